/**
 * `audit --organization` / `--accounts` logic: bounded concurrency, one unreadable account reported while the
 * rest go on, the matrix, JSON and JUnit outputs, the exit code as the worst account. Accounts are in memory
 * (FakeAccount); the SDK path against moto's Organizations and STS is test/e2e/organization-audit.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CisPatternSet, AuditApi, AuditApiError } from 'cdk-cis-log-monitoring/lib/cli-support';
import { FakeAccount, LOG_GROUP, REGION } from './fake-account';
import { AccountAccess, OrgAccount, parseAccountsFile, runOrganizationAudit } from '../../src/account/organization';
import { parseAuditArgs, runAudit } from '../../src/commands/audit/command';
import { formatJunit } from '../../src/commands/audit/format-organization';

const id = (i: number): string => String(100000000000 + i);

/** An organization in memory: `accounts` by ID; `deny` lists the accounts whose role cannot be assumed. */
class FakeOrganization implements AccountAccess {
  public readonly accounts = new Map<string, FakeAccount>();
  public readonly deny = new Set<string>();
  public inFlight = 0;
  public maxInFlight = 0;
  public released = 0;

  constructor(count: number) {
    for (let i = 0; i < count; i++) this.accounts.set(id(i), new FakeAccount(id(i)));
  }

  public async listAccounts(): Promise<OrgAccount[]> {
    return [...this.accounts.keys()].map((a, i) => ({ id: a, name: `acct-${i}` }));
  }

  public async apiFor(account: OrgAccount): Promise<AuditApi> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (this.deny.has(account.id)) {
      this.inFlight--;
      throw new AuditApiError(`sts:AssumeRole (arn:aws:iam::${account.id}:role/Auditor)`, 'AccessDenied',
        `User: arn:aws:iam::${id(0)}:user/ci is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${account.id}:role/Auditor`);
    }
    return this.accounts.get(account.id)!;
  }

  public release(): void {
    this.inFlight--;
    this.released++;
  }
}

async function run(argv: string[], org: FakeOrganization, progress = false) {
  let stdout = '';
  let stderr = '';
  const code = await runAudit(['--region', REGION, ...argv], {
    stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: {}, access: () => org, progress,
  });
  return { code, stdout, stderr };
}

test('accounts are audited at most --concurrency at a time, results in the listed order', async () => {
  const org = new FakeOrganization(20);
  const report = await runOrganizationAudit(await org.listAccounts(), org, { region: REGION, patternSet: CisPatternSet.RECOMMENDED, concurrency: 3 });
  expect(org.maxInFlight).toBe(3);
  expect(org.released).toBe(20);
  expect(report.accounts.map((a) => a.accountId)).toEqual([...org.accounts.keys()]);
  expect(report).toMatchObject({ status: 'PASS', passed: 20, failed: 0, unknown: 0 });
  expect(report.controls).toEqual(CisPatternSet.RECOMMENDED.controls().map((c) => c.id));
});

test('an account whose role cannot be assumed is UNKNOWN with the reason; the others are audited; exit 3', async () => {
  const org = new FakeOrganization(6);
  org.deny.add(id(2));
  org.accounts.get(id(4))!.logging = false;
  const { code, stdout, stderr } = await run(['--organization', '--role-name', 'Auditor', '--json'], org);
  const report = JSON.parse(stdout);
  expect(report.accounts.map((a: any) => a.status)).toEqual(['PASS', 'PASS', 'UNKNOWN', 'PASS', 'FAIL', 'PASS']);
  expect(report.accounts[2].reason).toMatch(/^cannot read the account: sts:AssumeRole \(arn:aws:iam::100000000002:role\/Auditor\) failed: AccessDenied: /);
  expect(report.accounts[2].report).toBeUndefined();
  expect(report.accounts[4].report.failed).toBe(15);
  expect(report).toMatchObject({ status: 'UNKNOWN', passed: 4, failed: 1, unknown: 1 });
  expect(code).toBe(3);
  expect(stderr).toMatch(/^audit: 1 account could not be read, e\.g\. 100000000002: cannot read the account: sts:AssumeRole/);
});

test('the exit code is the worst account: all PASS 0, one FAIL 2', async () => {
  const org = new FakeOrganization(3);
  expect((await run(['--organization', '--role-name', 'Auditor'], org)).code).toBe(0);
  org.accounts.get(id(1))!.alarms[0] = { ...org.accounts.get(id(1))!.alarms[0], alarmActions: [] };
  expect((await run(['--organization', '--role-name', 'Auditor'], org)).code).toBe(2);
});

test('credentials that read another account than asked are not taken for it', async () => {
  const org = new FakeOrganization(2);
  org.accounts.set(id(1), new FakeAccount(id(0)));
  const report = await runOrganizationAudit(await org.listAccounts(), org, { region: REGION, patternSet: CisPatternSet.RECOMMENDED, concurrency: 2 });
  expect(report.accounts[1]).toMatchObject({ status: 'UNKNOWN', reason: expect.stringMatching(/^the credentials for account 100000000001 read account 100000000000 /) });
});

test('the table is an accounts x controls matrix, then the findings with their reasons, then the verdict', async () => {
  const org = new FakeOrganization(3);
  org.deny.add(id(2));
  const mfa = org.accounts.get(id(1))!;
  mfa.alarms[1] = { ...mfa.alarms[1], actionsEnabled: false };
  const { stdout } = await run(['--organization', '--role-name', 'Auditor'], org);
  const lines = stdout.split('\n');
  expect(lines[0]).toBe(`CIS AWS Foundations Benchmark monitoring audit: 3 accounts, region ${REGION}, pattern set RECOMMENDED`);
  expect(lines.slice(2, 7)).toEqual([
    // The monitoring-integrity columns follow the CIS ones; these accounts deploy neither (WARN, which changes no result).
    '  ACCOUNT       NAME    RESULT   4.1   4.2   4.3   4.4   4.5   4.6   4.7   4.8   4.9   4.10  4.11  4.12  4.13  4.14  4.15  MON.TAMPER  MON.HEARTBEAT',
    '  100000000000  acct-0  PASS     PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  WARN        WARN',
    '  100000000001  acct-1  FAIL     PASS  FAIL  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  PASS  WARN        WARN',
    '  100000000002  acct-2  UNKNOWN  -     -     -     -     -     -     -     -     -     -     -     -     -     -     -     -           -',
    '  (WARN = WARNING: holds with a deviation named below; ? = UNKNOWN: could not be read; - = not audited)',
  ]);
  expect(stdout).toMatch(/^ {2}100000000001 \(acct-1\) {2}4\.2 {2}FAIL {2}alarm 'no_mfa_console_signin_alarm' has its actions disabled/m);
  expect(stdout).toMatch(/^ {2}100000000002 \(acct-2\) {2}UNKNOWN {2}cannot read the account: sts:AssumeRole/m);
  expect(stdout).toMatch(/\nUNKNOWN: 3 accounts: 1 passed, 1 failed, 1 unknown\n$/);
});

test('JUnit XML: a suite per account, a case per control, FAIL as failure, UNKNOWN as error; --junit writes it', async () => {
  const org = new FakeOrganization(3);
  org.deny.add(id(2));
  org.accounts.get(id(1))!.alarms[0] = { ...org.accounts.get(id(1))!.alarms[0], alarmActions: [] };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'junit-')), 'audit.xml');
  const { code } = await run(['--organization', '--role-name', 'Auditor', '--junit', file], org);
  expect(code).toBe(3);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="cdk-cis-log-monitoring audit" tests="35" failures="1" errors="1">\n/);
  expect(text.match(/<testsuite /g)).toHaveLength(3);
  expect(text).toContain('<testsuite name="CIS monitoring audit: account 100000000001 (acct-1), eu-west-1" tests="17" failures="1" errors="0">');
  expect(text).toContain('<testcase classname="cis.100000000001" name="4.1 Ensure unauthorized API calls are monitored"><failure type="FAIL" '
    + 'message="alarm &apos;unauthorized_api_calls_alarm&apos; has no SNS topic among its AlarmActions: nobody is notified [CIS-MON-ALARM-NOTIFIES]">'
      .replace(/&apos;/g, '\''));
  expect(text).toMatch(/<testcase classname="cis\.100000000002" name="account"><error type="UNKNOWN" message="cannot read the account: sts:AssumeRole/);
  // Markup in a reason is escaped.
  const xml = formatJunit({
    region: REGION,
    patternSet: 'RECOMMENDED',
    controls: [],
    integrityControls: [],
    passed: 0,
    warnings: 0,
    failed: 0,
    unknown: 1,
    status: 'UNKNOWN',
    accounts: [{ accountId: id(0), name: 'a<b>&"c"', status: 'UNKNOWN', reason: 'x < y & "z"\u0001' }],
  });
  expect(xml).toContain('name="CIS monitoring audit: account 100000000000 (a&lt;b&gt;&amp;&quot;c&quot;), eu-west-1"');
  expect(xml).toContain('message="x &lt; y &amp; &quot;z&quot;"');
});

test('a WARNING (a deviation a user may intend, e.g. threshold 5): WARN in the matrix, named in the findings, a passing JUnit case with the '
  + 'deviation in system-out, exit 0', async () => {
  const org = new FakeOrganization(2);
  const warned = org.accounts.get(id(1))!;
  warned.alarms[2] = { ...warned.alarms[2], threshold: 5 };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'junit-')), 'audit.xml');
  const { code, stdout } = await run(['--organization', '--role-name', 'Auditor', '--junit', file], org);
  expect(stdout).toMatch(/^ {2}100000000001 +acct-1 +WARNING +PASS +PASS +WARN +PASS/m);
  expect(stdout).toMatch(/^ {2}100000000001 \(acct-1\) {2}4\.3 {2}WARNING {2}alarm 'root_usage_alarm' .*5 matching events.* \[CIS-MON-ALARM-FIRES\]$/m);
  expect(stdout).toMatch(/\nWARNING: 2 accounts: 1 passed, 1 with warnings, 0 failed, 0 unknown\n$/);
  expect(code).toBe(0);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toMatch(/<testsuites name="cdk-cis-log-monitoring audit" tests="34" failures="0" errors="0">/);
  expect(text).toMatch(/<testcase classname="cis\.100000000001" name="4\.3 [^"]+"><system-out>WARNING: alarm .*5 matching events/);
});

/** Adds a delivery heartbeat alarm (as the construct deploys it) whose actions are disabled: MON.HEARTBEAT FAILs. */
function addBrokenHeartbeat(account: FakeAccount): void {
  account.alarms.push({
    ...account.alarms[0],
    alarmName: 'delivery_heartbeat_alarm',
    namespace: 'AWS/Logs',
    metricName: 'IncomingLogEvents',
    dimensions: { LogGroupName: LOG_GROUP },
    statistic: 'Sum',
    comparisonOperator: 'LessThanThreshold',
    treatMissingData: 'breaching',
    actionsEnabled: false,
  });
}

test('a monitoring-integrity FAIL fails the account and is named: its column, its finding, a JUnit failure', async () => {
  // A delivery heartbeat alarm whose actions are disabled: the CIS controls all pass, the account FAILs.
  const org = new FakeOrganization(2);
  addBrokenHeartbeat(org.accounts.get(id(1))!);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'junit-')), 'audit.xml');
  const { code, stdout } = await run(['--organization', '--role-name', 'Auditor', '--junit', file], org);
  expect(code).toBe(2);
  expect(stdout).toMatch(/^ {2}100000000001 +acct-1 +FAIL +(PASS +){15}WARN +FAIL$/m);
  expect(stdout).toMatch(/^ {2}100000000001 \(acct-1\) {2}MON\.HEARTBEAT {2}FAIL {2}alarm 'delivery_heartbeat_alarm' has its actions disabled/m);
  expect(stdout).toMatch(/\nFAIL: 2 accounts: 1 passed, 1 failed, 0 unknown\n$/);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain('<testsuite name="CIS monitoring audit: account 100000000001 (acct-1), eu-west-1" tests="17" failures="1" errors="0">');
  expect(text).toMatch(/<testcase classname="cis\.100000000001" name="MON\.HEARTBEAT [^"]+"><failure type="FAIL" message="alarm 'delivery_heartbeat_alarm' has its actions disabled/);
  // The JSON names the integrity columns too.
  const json = JSON.parse((await run(['--organization', '--role-name', 'Auditor', '--json'], org)).stdout);
  expect(json.integrityControls).toEqual(['MON.TAMPER', 'MON.HEARTBEAT']);
});

test('a single-account audit --junit has the integrity cases too: a FAIL there is a <failure>, as the exit code says', async () => {
  const account = new FakeAccount(id(0));
  addBrokenHeartbeat(account);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'junit-')), 'audit.xml');
  const code = await runAudit(['--region', REGION, '--junit', file], { stdout: () => undefined, stderr: () => undefined, env: {}, api: () => account });
  expect(code).toBe(2);
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toMatch(/<testsuites name="cdk-cis-log-monitoring audit" tests="17" failures="1" errors="0">/);
  expect(text).toMatch(/<testcase classname="cis\.100000000000" name="MON\.HEARTBEAT [^"]+"><failure type="FAIL" /);
});

test('progress on a terminal only', async () => {
  const org = new FakeOrganization(4);
  const tty = await run(['--organization', '--role-name', 'Auditor'], org, true);
  expect(tty.stderr).toBe('\raudit: 1/4 accounts (0 failing, 0 unknown)\raudit: 2/4 accounts (0 failing, 0 unknown)'
    + '\raudit: 3/4 accounts (0 failing, 0 unknown)\raudit: 4/4 accounts (0 failing, 0 unknown)\n');
  expect((await run(['--organization', '--role-name', 'Auditor'], org, false)).stderr).toBe('');
});

describe('--accounts FILE', () => {
  test('IDs with optional names; comments, blank lines and repeats skipped; a bad line is named', () => {
    expect(parseAccountsFile('\uFEFF# prod\n111122223333 prod-a\n\n444455556666,shared services\n111122223333\n555566667777 # no name\n', 'a.txt'))
      .toEqual([{ id: '111122223333', name: 'prod-a' }, { id: '444455556666', name: 'shared services' }, { id: '555566667777' }]);
    expect(() => parseAccountsFile('111122223333\n12345\n', 'a.txt')).toThrow('a.txt:2: expected a 12-digit account ID (optionally followed by a name), not "12345"');
    expect(() => parseAccountsFile('# none\n', 'a.txt')).toThrow('a.txt: no account IDs');
  });

  test('audits exactly the listed accounts (not the organization\'s list)', async () => {
    const org = new FakeOrganization(5);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'accounts-')), 'accounts.txt');
    fs.writeFileSync(file, `${id(3)} three\n${id(1)}\n`);
    const { code, stdout } = await run(['--accounts', file, '--role-name', 'Auditor', '--json'], org);
    expect(JSON.parse(stdout).accounts.map((a: any) => [a.accountId, a.name])).toEqual([[id(3), 'three'], [id(1), undefined]]);
    expect(code).toBe(0);
    const bad = await run(['--accounts', `${file}.missing`, '--role-name', 'Auditor'], org);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^audit: --accounts: ENOENT/);
  });

  test('option rules: --role-name is needed, and only with --organization or --accounts; the two exclude each other', () => {
    expect(parseAuditArgs(['--organization', '--role-name', 'R', '--concurrency', '4'])).toMatchObject({ organization: true, roleName: 'R', concurrency: 4 });
    expect(parseAuditArgs([]).concurrency).toBe(8);
    expect(() => parseAuditArgs(['--organization'])).toThrow('--organization needs --role-name NAME (the role to assume in each account)');
    expect(() => parseAuditArgs(['--accounts', 'f'])).toThrow('--accounts needs --role-name NAME');
    expect(() => parseAuditArgs(['--role-name', 'R'])).toThrow('--role-name needs --organization or --accounts FILE');
    expect(() => parseAuditArgs(['--organization', '--accounts', 'f', '--role-name', 'R'])).toThrow('--organization and --accounts exclude each other');
    expect(() => parseAuditArgs(['--organization', '--role-name', 'R', '--concurrency', '0'])).toThrow(/--concurrency/);
  });
});

test('listing the organization fails (not the management account): exit 3 with the hint', async () => {
  const org = new FakeOrganization(1);
  org.listAccounts = async () => {
    throw new AuditApiError('organizations:ListAccounts', 'AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  };
  const { code, stderr } = await run(['--organization', '--role-name', 'Auditor'], org);
  expect(code).toBe(3);
  expect(stderr).toMatch(/^audit: cannot list the organization's accounts: organizations:ListAccounts failed: AWSOrganizationsNotInUseException: .*\n {2}Run it in the management account/);
});
