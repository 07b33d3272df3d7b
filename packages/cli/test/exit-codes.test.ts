// The CLI's one exit-code table: its values (scripts depend on them), the footers every command's --help makes
// from it, and the one --pattern-set declaration with what "any" means per command.
import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
import { runCli } from './support/run-cli';
import { COMMANDS } from '../src/commands';
import { AUDIT_DECLARATION, AUDIT_EXIT } from '../src/commands/audit/command';
import { CATALOG_DECLARATION } from '../src/commands/catalog/command';
import { CHECK_DECLARATION } from '../src/commands/check/command';
import { HUNT_DECLARATION } from '../src/commands/hunt/command';
import { REPLAY_DECLARATION } from '../src/commands/replay/command';
import { VERIFY_DECLARATION } from '../src/commands/verify/command';
import { patternSetOption } from '../src/common-options';
import { EXIT, exitCodesFooter } from '../src/exit-codes';
import { parseCommandLine, UsageError } from '../src/options';

test('the numbers of the table do not change', () => {
  expect(EXIT).toEqual({ OK: 0, USAGE: 1, FAILED: 2, UNKNOWN: 3, SOFTWARE: 70, IO_ERROR: 74 });
  expect(AUDIT_EXIT).toEqual({ PASS: 0, USAGE: 1, FAIL: 2, ERROR: 3 });
});

describe('exitCodesFooter', () => {
  test('lists each code with its meaning, in the order given, wrapped under 110 characters at word boundaries', () => {
    const long = 'word '.repeat(60).trim();
    const footer = exitCodesFooter([['OK', 'all read'], ['IO_ERROR', long], ['USAGE', 'usage error']], { note: 'See x.' });
    expect(footer.replace(/\n/g, ' ')).toBe(`Exit codes: 0 all read; 74 ${long}; 1 usage error. See x.`);
    for (const line of footer.split('\n')) expect(line.length).toBeLessThanOrEqual(110);
    expect(footer.split('\n').length).toBeGreaterThan(2);
  });

  test('a heading replaces "Exit codes:"', () => {
    expect(exitCodesFooter([['UNKNOWN', 'could not tell']], { heading: 'Exit codes (worst wins):' })).toBe('Exit codes (worst wins): 3 could not tell.');
  });
});

test.each(Object.keys(COMMANDS).sort())('%s --help ends with an exit-code footer whose numbers are all in the table', async (name) => {
  const { code, stdout } = await runCli([name, '--help']);
  expect(code).toBe(EXIT.OK);
  // The list ends at the first full stop (check's note after it names a count of rules).
  const footer = stdout.slice(stdout.lastIndexOf('\n\nExit codes') + 2).replace(/\n/g, ' ').split(/\.(?: |$)/)[0];
  expect(footer).toMatch(/^Exit codes[^:]*: 0 /);
  const numbers = [...footer.matchAll(/(?:: |; )(\d+) /g)].map((m) => Number(m[1]));
  expect(numbers).toContain(EXIT.OK);
  expect(numbers).toContain(EXIT.USAGE);
  for (const n of numbers) expect(Object.values(EXIT)).toContain(n);
});

describe('--pattern-set, declared once', () => {
  const parse = (declaration: Parameters<typeof parseCommandLine>[0], ...argv: string[]) =>
    parseCommandLine(declaration, argv).options['pattern-set'];

  test('replay, hunt and catalog refuse "any" and default to RECOMMENDED', () => {
    for (const declaration of [REPLAY_DECLARATION, HUNT_DECLARATION, CATALOG_DECLARATION]) {
      expect(parse(declaration)).toBe(CisPatternSet.RECOMMENDED);
      expect(() => parse(declaration, '--pattern-set', 'any')).toThrow(UsageError);
      expect(declaration.options['pattern-set'].allowed).not.toContain('any');
    }
  });

  test('audit and verify: "any" (any case) is the value "any"; the default is RECOMMENDED', () => {
    for (const declaration of [AUDIT_DECLARATION, VERIFY_DECLARATION]) {
      expect(parse(declaration)).toBe(CisPatternSet.RECOMMENDED);
      expect(parse(declaration, '--pattern-set', 'Any')).toBe('any');
      expect(parse(declaration, '--pattern-set', 'cis_v1_4_0')).toBe(CisPatternSet.CIS_V1_4_0);
    }
  });

  test('check: "any" is the default and means no one set (undefined: the text of every set counts)', () => {
    expect(parse(CHECK_DECLARATION)).toBeUndefined();
    expect(parse(CHECK_DECLARATION, '--pattern-set', 'ANY')).toBeUndefined();
    expect(parse(CHECK_DECLARATION, '--pattern-set', 'security_hub')).toBe(CisPatternSet.SECURITY_HUB);
    expect(() => parse(CHECK_DECLARATION, '--pattern-set', 'nope')).toThrow(/Unknown CIS pattern set "nope"/);
  });

  test('every command lists the same set names, and "any" exactly when it accepts it, saying what it means', () => {
    const names = CisPatternSet.all().map((s) => s.name);
    expect(patternSetOption().allowed).toEqual(names);
    const option = patternSetOption({ value: 0, meaning: 'zero' });
    expect(option.allowed).toEqual([...names, 'any']);
    expect(option.description).toContain('"any": zero');
    expect(option.default).toBe(CisPatternSet.RECOMMENDED.name);
    expect(patternSetOption({ value: 0, meaning: 'zero', isDefault: true }).default).toBe('any');
  });
});
