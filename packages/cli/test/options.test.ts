import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
import { PROGRAM } from '../src/command';
import { runCli } from './support/run-cli';
import { AUDIT_DECLARATION, AUDIT_USAGE, parseAuditArgs } from '../src/commands/audit/command';
import { CATALOG_DECLARATION } from '../src/commands/catalog/command';
import { CHECK_DECLARATION } from '../src/commands/check/command';
import { HUNT_DECLARATION } from '../src/commands/hunt/command';
import { REPLAY_DECLARATION } from '../src/commands/replay/command';
import { VERIFY_DECLARATION } from '../src/commands/verify/command';
import { CommandDeclaration, defineCommand, parseCommandLine, UsageError, usageText } from '../src/options';

const run = (...argv: string[]) => runCli(argv);

const TEST_COMMAND = defineCommand({
  name: 'test',
  summary: 'a command for the parser tests',
  positionals: '<things...>',
  description: 'Exercises every kind of declared option.',
  options: {
    flag: { type: 'boolean', description: 'a flag' },
    on: { type: 'boolean', default: true, description: 'a flag that is on unless turned off' },
    name: { type: 'string', valueName: 'NAME', description: 'any text' },
    color: { type: 'string', allowed: ['red', 'green'], ignoreCase: true, default: 'red', description: 'a choice' },
    count: { type: 'integer', min: 1, max: 5, default: 2, description: 'a bounded number' },
    tag: { type: 'string', repeatable: true, description: 'given several times' },
    upper: { type: 'string', parse: (t: string) => { if (t === 'bad') throw new Error('upper: bad is bad'); return t.toUpperCase(); }, description: 'converted' },
  },
});

const parse = (...argv: string[]) => parseCommandLine(TEST_COMMAND, argv);

describe('parseCommandLine', () => {
  test('defaults come from the declaration, typed', () => {
    const { options, positionals, help } = parse();
    expect(options).toEqual({ flag: false, on: true, name: undefined, color: 'red', count: 2, tag: [], upper: undefined });
    expect(positionals).toEqual([]);
    expect(help).toBe(false);
  });

  test('--opt value and --opt=value are the same; the last of a non-repeatable option wins', () => {
    expect(parse('--name', 'a', 'x', '--name=b', '--color', 'GREEN', '--count=5', '--upper', 'q').options)
      .toMatchObject({ name: 'b', color: 'green', count: 5, upper: 'Q' });
  });

  test('a repeatable option collects every value in order', () => {
    expect(parse('--tag', 'a', '--tag=b', 'p', '--tag', 'c').options.tag).toEqual(['a', 'b', 'c']);
  });

  test.each([
    [['--flag=true'], true], [['--flag=false'], false], [['--flag=FALSE'], false], [['--flag=no'], false],
    [['--flag=1'], true], [['--flag=0'], false], [['--flag'], true], [['--on=false'], false], [['--flag', '--flag=false'], false],
  ])('a boolean given a value is parsed, never silently true: %j', (argv, value) => {
    const { options } = parse(...argv);
    expect(argv[0].startsWith('--on') ? options.on : options.flag).toBe(value);
  });

  test.each([
    [['--flag=maybe'], '--flag is a flag: give it alone, or as --flag=true or --flag=false, not --flag=maybe'],
    [['--flag='], '--flag is a flag'],
    [['--nope'], 'unknown option "--nope"'],
    [['--nope=1'], 'unknown option "--nope=1"'],
    [['-x'], 'unknown option "-x"'],
    [['--name'], '--name needs a value'],
    [['--name', '--flag'], '--name needs a value'],
    [['--color', 'blue'], '--color must be red or green, not "blue"'],
    [['--count', '0'], '--count must be a whole number from 1 to 5, not "0"'],
    [['--count', '-1'], '--count must be a whole number from 1 to 5, not "-1"'],
    [['--count', '2.5'], '--count must be a whole number from 1 to 5, not "2.5"'],
    [['--upper', 'bad'], 'upper: bad is bad'],
  ])('refused: %j', (argv, message) => {
    expect(() => parse(...argv)).toThrow(UsageError);
    expect(() => parse(...argv)).toThrow(message);
  });

  test('-- ends the options: what follows is positional, even if it looks like an option; - is positional', () => {
    const { options, positionals } = parse('--flag', '--', '--name', 'x', '-', '--');
    expect(options).toMatchObject({ flag: true, name: undefined });
    expect(positionals).toEqual(['--name', 'x', '-', '--']);
    expect(parse('-').positionals).toEqual(['-']);
  });

  test('a value starting with -- is taken when given inline', () => {
    expect(parse('--name=--x').options.name).toBe('--x');
  });

  test('positionals are refused by a command that declares none', () => {
    expect(() => parseCommandLine(CATALOG_DECLARATION, ['extra'])).toThrow('unexpected argument "extra"');
  });

  test('--help and -h are built into every command', () => {
    expect(parse('-h').help).toBe(true);
    expect(parse('--help=false').help).toBe(false);
    expect(() => defineCommand({ name: 'x', summary: '', description: '', options: { help: { type: 'boolean', description: '' } } })).toThrow(/built in/);
  });
});

/** Values for options that check their text (any text does for the others). */
const EXAMPLE_VALUES: Record<string, string> = { since: '2024-03-01', until: '2024-03-02T09:30:00Z' };

describe('usage text comes from the declaration', () => {
  const declarations: CommandDeclaration[] = [
    REPLAY_DECLARATION, CATALOG_DECLARATION, AUDIT_DECLARATION, HUNT_DECLARATION, CHECK_DECLARATION, VERIFY_DECLARATION, TEST_COMMAND,
  ];

  test.each(declarations.map((d) => [d.name, d]))('%s: every declared option is listed with its value name, choices and default', (_name, declaration) => {
    const usage = usageText(PROGRAM, declaration);
    expect(usage.startsWith(`Usage: ${PROGRAM} ${declaration.name}${declaration.positionals ? ` ${declaration.positionals}` : ''} [options]\n`)).toBe(true);
    expect(usage).toContain('  -h, --help ');
    for (const [name, option] of Object.entries(declaration.options)) {
      const head = `--${name}${option.type === 'boolean' ? '' : ` ${option.valueName ?? (option.type === 'integer' ? 'N' : 'VALUE')}`}`;
      const line = usage.split('\n').findIndex((l) => l.startsWith(`  ${head} `) || l === `  ${head}`);
      expect(line).toBeGreaterThan(0);
      const entry = usage.split('\n').slice(line).join(' ').replace(/\s+/g, ' ');
      for (const value of option.allowed ?? []) expect(entry).toContain(value);
      if (option.default !== undefined && option.type !== 'boolean') expect(entry).toContain(`default ${option.default}`);
      if (option.repeatable) expect(entry).toContain('repeatable');
      // ...and the parser accepts it.
      const argv = option.type === 'boolean' ? [`--${name}`] : [`--${name}`, String(option.allowed?.[0] ?? option.default ?? option.min ?? EXAMPLE_VALUES[name] ?? 'x')];
      expect(() => parseCommandLine(declaration, argv)).not.toThrow();
    }
    for (const line of usage.split('\n')) expect(line.length).toBeLessThanOrEqual(110);
  });

  test.each(['replay', 'catalog', 'audit', 'hunt'])('%s --help prints the usage made from its declaration', async (name) => {
    const declaration = declarations.find((d) => d.name === name)!;
    const result = await run(name, '--help');
    expect(result).toEqual({ code: 0, stdout: usageText(PROGRAM, declaration), stderr: '' });
    expect((await run('help', name)).stdout).toBe(usageText(PROGRAM, declaration));
  });

  test('the audit usage constant is the generated text', () => {
    expect(AUDIT_USAGE).toBe(usageText(PROGRAM, AUDIT_DECLARATION));
  });
});

describe('the commands parse booleans with values and --', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'options-test-'));
    // A file whose name starts with dashes, readable only after `--`.
    fs.writeFileSync(path.join(dir, '--json'), JSON.stringify({ Records: [{ eventID: 'e1', eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com' }] }));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('replay --json=false prints text, --json=true JSON', async () => {
    const file = path.join(dir, '--json');
    const text = await run('replay', '--json=false', '--', file);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Pattern set RECOMMENDED: 15 controls\n/);
    const json = await run('replay', '--json=true', '--', file);
    expect(JSON.parse(json.stdout)).toMatchObject({ events: 1, files: 1 });
  });

  test('replay -- reads a file named like an option', async () => {
    process.chdir(dir);
    try {
      const result = await run('replay', '--json', '--', '--json');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ files: 1, filesRead: 1, events: 1 });
    } finally {
      process.chdir(path.join(__dirname, '..', '..', '..'));
    }
  });

  test.each([
    ['replay', 'x', '--json=maybe'],
    ['replay', 'x', '--sso-aware-mfa=on'],
    ['catalog', '--json=yes please'],
    ['audit', '--json=2'],
  ])('%s %s %s: a boolean with a value it cannot mean is a usage error, exit 1', async (...argv) => {
    const result = await run(...argv.filter((a) => a !== undefined));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/: --[a-z-]+ is a flag: give it alone, or as --[a-z-]+=true or --[a-z-]+=false/);
  });

  test('catalog --json=false prints text', async () => {
    const result = await run('catalog', '--json=false');
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('RECOMMENDED: ')).toBe(true);
  });

  test('audit: --json=false keeps the table; --pattern-set any', () => {
    expect(parseAuditArgs(['--json=false']).output).toBe('table');
    expect(parseAuditArgs(['--json']).output).toBe('json');
    expect(parseAuditArgs(['--pattern-set', 'cis_v5_0_0']).patternSet).toBe(CisPatternSet.CIS_V5_0_0);
  });
});
