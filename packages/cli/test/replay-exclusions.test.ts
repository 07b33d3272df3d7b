import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from './support/run-cli';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'cloudtrail');

const run = (argv: string[]) => runCli(argv);

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-exclusions-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function exclusionsFile(name: string, content: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const USERS = { principalArns: ['arn:aws:iam::111122223333:user/*'], reason: 'the CI users', owner: 'platform', expires: '2099-12-31' };

async function controls(args: string[]): Promise<Record<string, any>> {
  const result = await run(['replay', FIXTURES, '--json', '--samples', '0', ...args]);
  expect(result.code).toBe(0);
  return Object.fromEntries(JSON.parse(result.stdout).controls.map((c: any) => [c.key, c]));
}

describe('replay --exclusions FILE', () => {
  test('compliance counts are unchanged; the operational count drops only the excluded principal, never an event without the field', async () => {
    const without = await controls([]);
    const withExclusions = await controls(['--exclusions', exclusionsFile('users-mfa.json', [{ ...USERS, controls: ['4.2'] }])]);
    for (const key of Object.keys(without)) expect([key, withExclusions[key].matches]).toEqual([key, without[key].matches]);
    const mfa = withExclusions.CONSOLE_SIGNIN_WITHOUT_MFA;
    // 6 matches: root x3, user/Alice x1, an SSO role x1, one sign-in without userIdentity.arn (kept: a missing field is never excluded).
    expect(mfa.matches).toBe(6);
    expect(mfa.operationalMatches).toBe(5);
    expect(mfa.operationalPattern).toContain('$.userIdentity.arn NOT EXISTS');
    // Controls the exclusion does not name have no operational count.
    expect(withExclusions.UNAUTHORIZED_API_CALLS.operationalMatches).toBeUndefined();
  });

  test('an exclusion without controls applies to every control', async () => {
    const all = await controls(['--exclusions', exclusionsFile('users-all.json', [USERS])]);
    expect([all.UNAUTHORIZED_API_CALLS.matches, all.UNAUTHORIZED_API_CALLS.operationalMatches]).toEqual([4, 0]);
    expect([all.ROOT_ACCOUNT_USAGE.matches, all.ROOT_ACCOUNT_USAGE.operationalMatches]).toEqual([5, 5]);
  });

  test('the text report says how many would still page people', async () => {
    const result = await run(['replay', FIXTURES, '--samples', '0', '--exclusions', exclusionsFile('users-text.json', [{ ...USERS, controls: ['CONSOLE_SIGNIN_WITHOUT_MFA'] }])]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/CONSOLE_SIGNIN_WITHOUT_MFA\s+6 matches\n\s+after exclusions: 5 would page people \(1 excluded\)/);
  });

  test.each([
    ['expired', [{ ...USERS, expires: '2020-01-01' }], /--exclusions .*expired\.json: exclusions\[0\] .*expired on 2020-01-01/],
    ['no reason', [{ principalArns: USERS.principalArns, owner: 'x', expires: '2099-12-31' }], /exclusions\[0\] needs `reason`/],
    ['unknown control', [{ ...USERS, controls: ['9.9'] }], /exclusions\[0\] .* names control "9\.9", which is not a control of RECOMMENDED/],
    ['not an array', { principalArns: [] }, /expected a JSON array of exclusions/],
    ['not JSON', '[{', /not valid JSON/],
    ['a middle wildcard', [{ ...USERS, principalArns: ['arn:aws:iam::*:user/ci'] }], /with a "\*" in the middle/],
    // Issue 18: a container may hold an object, which no complement can match; refused as synth refuses it.
    ['a container field', [{ pattern: '{ $.userIdentity.sessionContext NOT EXISTS }', reason: 'long-term keys', owner: 'x', expires: '2099-12-31' }],
      /exclusions\[0\] .*cannot be applied: \$\.userIdentity\.sessionContext may hold an object.*Write the condition on \$\.userIdentity\.sessionContext\.attributes\.creationDate/],
    // wrong types: each named by exclusion and field, never a JavaScript error
    ['principalArns a string', [{ ...USERS, principalArns: 'arn:aws:iam::111122223333:user/ci' }],
      /exclusions\[0\] \(owner "platform", reason "the CI users"\) has `principalArns` that is a string; expected an array of ARN strings/],
    ['an ARN a number', [{ ...USERS, principalArns: ['arn:aws:iam::111122223333:user/ci', 7] }], /exclusions\[0\] .* has `principalArns\[1\]` that is a number; expected an ARN string/],
    ['pattern a number', [{ ...USERS, pattern: 42 }], /exclusions\[0\] .* has `pattern` that is a number; expected a filter pattern string/],
    ['pattern null', [{ ...USERS, pattern: null }], /exclusions\[0\] .* has `pattern` that is null; expected a filter pattern string/],
    ['controls a string', [{ ...USERS, controls: '4.2' }], /exclusions\[0\] .* has `controls` that is a string; expected an array/],
    ['a control null', [{ ...USERS, controls: ['4.2', null] }], /exclusions\[0\] .* has `controls\[1\]` that is null; expected a control key or id/],
    ['owner a number', [{ ...USERS, owner: 7 }], /exclusions\[0\] has `owner` that is a number; expected a non-empty string/],
    ['an exclusion null', [USERS, null], /exclusions\[1\] is null; expected an object/],
    ['an unknown field', [{ ...USERS, principalArn: ['x'] }], /exclusions\[0\] .* has an unknown field `principalArn`; the fields are principalArns, pattern, controls, reason, owner, expires/],
    ['a match-everything ARN', [{ ...USERS, principalArns: ['*:*'] }], /has principal ARN "\*:\*", which matches every principal/],
  ])('%s: refused (exit 2) naming the file, the exclusion and the field, no report', async (name, content, message) => {
    const result = await run(['replay', FIXTURES, '--exclusions', exclusionsFile(`${name.replace(/ /g, '-')}.json`, content)]);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/^replay: --exclusions \S+\.json: /);
    expect(result.stderr).not.toMatch(/is not a function|Cannot read properties|codePointAt|TypeError/);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  test.each([
    ['/dev/zero (a device that never ends)', () => '/dev/zero', /--exclusions \/dev\/zero: not a regular file \(a character device\)/],
    ['a folder', () => dir, /: not a regular file \(a directory\)/],
    ['a FIFO nobody writes to', () => {
      const fifo = path.join(dir, 'fifo.json');
      if (!fs.existsSync(fifo)) execFileSync('mkfifo', [fifo]);
      return fifo;
    }, /: not a regular file \(a FIFO\)/],
    ['a missing file', () => path.join(dir, 'missing.json'), /: ENOENT: /],
    ['a file over 1 MiB', () => exclusionsFile('big.json', `[${' '.repeat(1024 * 1024)}]`), /: larger than 1 MiB \(1048578 bytes\); an exclusions file is a short list/],
  ])('%s: refused at once (exit 2), never read whole', async (_name, file, message) => {
    const started = Date.now();
    const result = await run(['replay', FIXTURES, '--exclusions', file()]);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('replay --exclusions: controls by the ids of the pattern set in use (the ids replay prints)', () => {
  test.each([['CIS_V6_0_0', '5.3'], ['CIS_V1_2_0', '3.3'], ['SECURITY_HUB', 'CloudWatch.1'], ['CIS_V3_0_0', '4.3']])('%s: %s, as the report names ROOT_ACCOUNT_USAGE', async (set, id) => {
    const plain = await controls(['--pattern-set', set]);
    expect(plain.ROOT_ACCOUNT_USAGE.id).toBe(id);
    const root = { ...USERS, principalArns: ['arn:aws:iam::111122223333:root'], controls: [plain.ROOT_ACCOUNT_USAGE.id] };
    const excluded = await controls(['--pattern-set', set, '--exclusions', exclusionsFile(`root-${set}.json`, [root])]);
    expect(excluded.ROOT_ACCOUNT_USAGE.operationalMatches).toBeLessThanOrEqual(excluded.ROOT_ACCOUNT_USAGE.matches);
    expect(Object.values(excluded).filter((c: any) => c.operationalMatches !== undefined).map((c: any) => c.key)).toEqual(['ROOT_ACCOUNT_USAGE']);
  });

  test('another set\'s id is refused, saying which ids are valid for the set in use', async () => {
    const result = await run(['replay', FIXTURES, '--pattern-set', 'CIS_V6_0_0', '--exclusions', exclusionsFile('v3-id.json', [{ ...USERS, controls: ['4.3'] }])]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/names control "4\.3", which is not a control of CIS_V6_0_0: use a key \(e\.g\. ROOT_ACCOUNT_USAGE\) or a CIS_V6_0_0 id \(5\.1 to 5\.15\)/);
  });
});
