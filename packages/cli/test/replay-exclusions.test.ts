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
    ['unknown control', [{ ...USERS, controls: ['9.9'] }], /Unknown CIS control "9\.9"/],
    ['not an array', { principalArns: [] }, /expected a JSON array of exclusions/],
    ['not JSON', '[{', /not valid JSON/],
    ['a middle wildcard', [{ ...USERS, principalArns: ['arn:aws:iam::*:user/ci'] }], /with a "\*" in the middle/],
    // Issue 18: a container may hold an object, which no complement can match; refused as synth refuses it.
    ['a container field', [{ pattern: '{ $.userIdentity.sessionContext NOT EXISTS }', reason: 'long-term keys', owner: 'x', expires: '2099-12-31' }],
      /exclusions\[0\] .*cannot be applied: \$\.userIdentity\.sessionContext may hold an object.*Write the condition on \$\.userIdentity\.sessionContext\.attributes\.creationDate/],
  ])('%s: usage error (exit 1) naming the file, no report', async (name, content, message) => {
    const result = await run(['replay', FIXTURES, '--exclusions', exclusionsFile(`${name.replace(/ /g, '-')}.json`, content)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});
