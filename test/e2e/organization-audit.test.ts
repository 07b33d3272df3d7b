/**
 * `cdk-cis-log-monitoring audit --organization --role-name NAME` against moto (issue 11 part 4): an organization
 * of 56 active accounts (moto's Organizations CreateAccount), each reached through STS AssumeRole, the demo app
 * deployed into most of them as is and into others with one defect each (every kind twice), one closed account,
 * one account that cannot be reached. The organization audit must report each account exactly as its setup
 * says, go on past the unreachable one, and write JUnit XML that an XML parser reads.
 *
 * Needs moto: `bash scripts/e2e/setup.sh`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { demoApp } from './apps';
import { AUDIT_ROLE, AccountSetup, DEFECTS, DEFECT_CONTROL, clientsIn, closeAccount, createOrganization, setUpAccount } from './moto/organization';
import { MOTO_ACCOUNT, MotoServer, useMotoCredentials, REPO_ROOT } from './moto/server';
import { AccountAccess, OrgAccount, OrganizationReport } from '../../packages/cli/src/account/organization';
import { SdkAccountAccess } from '../../packages/cli/src/aws/organization-sdk';
import { runAudit } from '../../packages/cli/src/commands/audit/command';
import { CisPatternSet } from '../../src';
import { AuditApi } from '../../src/verdicts/live/api';
import { runTranspiledCli, transpileForChildProcess } from '../support/transpile';

const REGION = 'us-east-1';
const MEMBERS = 56; // + the management account; one member is closed: 56 ACTIVE accounts
const CONTROLS = CisPatternSet.RECOMMENDED.controls();

let moto: MotoServer;
const setups = new Map<string, AccountSetup>();
let closed: string;
let unreachable: string;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  moto = await MotoServer.start({ multiAccount: true });
  restoreEnv = useMotoCredentials();
  const { management, members } = await createOrganization(moto.endpoint, REGION, MEMBERS);
  closed = members[MEMBERS - 1];
  await closeAccount(moto.endpoint, REGION, closed);
  unreachable = members[MEMBERS - 2];
  const demo = demoApp();
  // Every defect twice, the rest correct (the management account too).
  const plan: Array<[string, AccountSetup]> = [[management, 'correct'], ...members.slice(0, MEMBERS - 1).map((id, i): [string, AccountSetup] =>
    [id, i < DEFECTS.length * 2 ? DEFECTS[i % DEFECTS.length] : 'correct'])];
  for (const [id, setup] of plan) {
    setups.set(id, setup);
    const clients = await clientsIn(moto.endpoint, REGION, id);
    try {
      await setUpAccount(clients, demo.template, demo.stackName, setup);
    } finally {
      clients.destroy();
    }
  }
}, 900_000);

afterAll(async () => {
  await moto?.stop();
  restoreEnv?.();
});

/** The SDK access, except that one account's STS endpoint is a closed port (the account cannot be reached). */
function accessWithOneUnreachable(roleName: string, region: string, endpoint: string | undefined): AccountAccess {
  const real = new SdkAccountAccess(roleName, region, { endpoint });
  const nowhere = new SdkAccountAccess(roleName, region, { endpoint: 'http://127.0.0.1:9' });
  return {
    listAccounts: () => real.listAccounts(),
    apiFor: (account: OrgAccount): Promise<AuditApi> => (account.id === unreachable ? nowhere.apiFor(account) : real.apiFor(account)),
    release: (api: AuditApi) => real.release(api),
  };
}

test('every active account is audited through the role, each exactly as it was set up; the unreachable one is UNKNOWN', async () => {
  let stdout = '';
  let stderr = '';
  const code = await runAudit(['--organization', '--role-name', AUDIT_ROLE, '--region', REGION, '--endpoint-url', moto.endpoint, '--json'], {
    stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: {}, access: accessWithOneUnreachable,
  });
  const report = JSON.parse(stdout) as OrganizationReport;
  expect(report.accounts).toHaveLength(MEMBERS); // 57 accounts, one closed
  expect(report.accounts.map((a) => a.accountId)).not.toContain(closed);
  expect(report.accounts.map((a) => a.accountId)).toContain(MOTO_ACCOUNT);
  expect(report.controls).toEqual(CONTROLS.map((c) => c.id));

  for (const account of report.accounts) {
    const setup = setups.get(account.accountId)!;
    const failing = account.report?.controls.filter((c) => c.status !== 'PASS').map((c) => c.key);
    if (account.accountId === unreachable) {
      // Its STS endpoint refuses the connection: the first call (the caller's partition, or AssumeRole) fails.
      expect(account).toMatchObject({ status: 'UNKNOWN', reason: expect.stringMatching(/^cannot read the account: sts:\S+.* failed: .*ECONNREFUSED/) });
      continue;
    }
    expect(account.report!.account).toBe(account.accountId);
    if (setup === 'correct') {
      expect({ id: account.accountId, setup, status: account.status, failing }).toEqual({ id: account.accountId, setup, status: 'PASS', failing: [] });
    } else if (DEFECT_CONTROL[setup]) {
      expect({ setup, status: account.status, failing }).toEqual({ setup, status: 'FAIL', failing: [DEFECT_CONTROL[setup]!.key] });
    } else {
      expect({ setup, status: account.status, failed: account.report!.failed }).toEqual({ setup, status: 'FAIL', failed: 15 });
    }
  }
  const reasonOf = (setup: AccountSetup): string => report.accounts.find((a) => setups.get(a.accountId) === setup && a.accountId !== unreachable)!
    .report!.controls.find((c) => c.status === 'FAIL')!.reason;
  expect(reasonOf('no-deployment')).toMatch(new RegExp(`^no CloudTrail trail in account \\d{12} \\(${REGION}\\): .*\\[CIS-MON-TRAIL-PRESENT\\]$`));
  expect(reasonOf('stopped-trail')).toMatch(/ is not logging \(IsLogging false\): .*\[CIS-MON-TRAIL-LOGGING\]$/);
  expect(reasonOf('single-region-trail')).toMatch(/ is not multi-region: .*\[CIS-MON-TRAIL-MULTI-REGION\]$/);
  expect(reasonOf('read-only-trail')).toMatch(/ logs only read management events: .*\[CIS-MON-TRAIL-MANAGEMENT-EVENTS\]$/);
  expect(reasonOf('wrong-pattern')).toMatch(/has the text of CIS_V3_0_0.*\[CIS-MON-FILTER-PRESENT\]$/);
  expect(reasonOf('alarm-without-action')).toMatch(/has no SNS topic among its AlarmActions: .*\[CIS-MON-ALARM-NOTIFIES\]$/);
  expect(reasonOf('alarm-actions-disabled')).toMatch(/has its actions disabled .*\[CIS-MON-ALARM-ACTIONS-ENABLED\]$/);
  expect(reasonOf('no-subscriber')).toMatch(/has no subscription: nobody is notified \[CIS-MON-SUBSCRIPTION-PRESENT\]$/);
  expect(reasonOf('topic-deleted')).toMatch(/which does not exist: nobody is notified \[CIS-MON-TOPIC-VISIBLE\]$/);
  expect(reasonOf('log-group-deleted')).toMatch(/does not exist \(region us-east-1\): .*\[CIS-MON-TRAIL-LOG-GROUP-EXISTS\]$/);
  expect(reasonOf('log-group-in-other-account')).toMatch(new RegExp(`delivers to a log group of account ${MOTO_ACCOUNT}, not of \\d{12}: .*\\[CIS-MON-TRAIL-LOG-GROUP-ACCOUNT\\]$`));

  const correct = [...setups.entries()].filter(([id, s]) => s === 'correct' && id !== unreachable).length;
  expect(report).toMatchObject({ status: 'UNKNOWN', passed: correct, failed: DEFECTS.length * 2, unknown: 1 });
  expect(code).toBe(3);
  expect(stderr).toMatch(new RegExp(`^audit: 1 account could not be read, e\\.g\\. ${unreachable}: `));
}, 300_000);

test('as users run it: its own process, AWS_ENDPOINT_URL, the matrix on stdout and JUnit XML that a parser reads', async () => {
  const dir = transpileForChildProcess();
  const junit = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'org-junit-')), 'cis.xml');
  const result = await runTranspiledCli(dir, ['audit', '--organization', '--role-name', AUDIT_ROLE,
    '--region', REGION, '--concurrency', '4', '--junit', junit], moto.childEnv());
  // Every account readable here: the worst result is FAIL.
  expect(result.stderr).not.toMatch(/audit:/);
  expect(result.code).toBe(2);
  const lines = result.stdout.split('\n');
  expect(lines[0]).toBe(`CIS AWS Foundations Benchmark monitoring audit: ${MEMBERS} accounts, region ${REGION}, pattern set RECOMMENDED`);
  expect(lines[2]).toMatch(/^ {2}ACCOUNT +NAME +RESULT +4\.1 +4\.2 .* 4\.15 +MON\.TAMPER +MON\.HEARTBEAT$/);
  // The construct deployed here has the heartbeat and the tamper control: the integrity columns PASS too.
  expect(result.stdout).toMatch(new RegExp(`^ {2}${MOTO_ACCOUNT} +master +PASS +(PASS +){14}PASS +PASS +PASS$`, 'm'));
  expect(result.stdout).toMatch(new RegExp(`\nFAIL: ${MEMBERS} accounts: ${MEMBERS - DEFECTS.length * 2} passed, ${DEFECTS.length * 2} failed, 0 unknown\n$`));

  // Python's XML parser reads it; one suite per account, one case per control; failures counted per suite.
  const python = path.join(REPO_ROOT, '.venv-moto', 'bin', 'python');
  const summary = JSON.parse(execFileSync(python, ['-c', [
    'import json, sys, xml.etree.ElementTree as ET',
    'root = ET.parse(sys.argv[1]).getroot()',
    'suites = root.findall("testsuite")',
    'print(json.dumps({"tag": root.tag, "tests": int(root.get("tests")), "failures": int(root.get("failures")), "errors": int(root.get("errors")),',
    '  "suites": len(suites), "cases": sum(len(s.findall("testcase")) for s in suites),',
    '  "failed": sum(len(s.findall("testcase/failure")) for s in suites)}))',
  ].join('\n'), junit], { encoding: 'utf8' }));
  // The monitoring-integrity cases (MON.TAMPER, MON.HEARTBEAT) fail where what carries their events or their
  // notification is broken: the tamper control needs the trail's events (a heartbeat still fires on a stopped trail),
  // both need a subscribed topic. An absent deployment is a WARNING, a passing case.
  const integrityFails: Partial<Record<AccountSetup, number>> = {
    'stopped-trail': 1, 'single-region-trail': 1, 'read-only-trail': 1, 'no-subscriber': 2, 'topic-deleted': 2, 'log-group-deleted': 1,
  };
  const failedControls = DEFECTS.reduce((n, d) => n + (DEFECT_CONTROL[d] ? 1 : 15) + (integrityFails[d] ?? 0), 0) * 2;
  expect(summary).toEqual({
    tag: 'testsuites',
    tests: MEMBERS * (CONTROLS.length + 2),
    failures: failedControls,
    errors: 0,
    suites: MEMBERS,
    cases: MEMBERS * (CONTROLS.length + 2),
    failed: failedControls,
  });
}, 300_000);
