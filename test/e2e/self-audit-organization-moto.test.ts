/**
 * Issue 20 §3, organization mode of the self-audit, against moto on loopback in multi-account mode (credentials from
 * STS AssumeRole act in the role's account): the demo app deployed into the function's own account and two member
 * accounts, one healthy and one with a broken link; a third member whose STS endpoint refuses the connection (its
 * role cannot be assumed). The function's code runs with its SDK classes pointed at moto; what moto stored is read
 * back with boto3 (independent of the code under test), in each account with that account's assumed-role
 * credentials: the findings of each account's Security Hub and the metrics of the function's account.
 *
 * Needs moto: `bash scripts/e2e/setup.sh`.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { DisableAlarmActionsCommand } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { demoApp } from './apps';
import { MotoClients, deployToMoto } from './moto/deploy';
import { AUDIT_ROLE, clientsIn } from './moto/organization';
import { MOTO_ACCOUNT, MotoServer, REPO_ROOT, useMotoCredentials } from './moto/server';
import { CisControl, CisPatternSet } from '../../src';
import { handler, memberAccess } from '../../src/construct/audit/self-audit.lambda';
import { AuditApi } from '../../src/verdicts/live/api';
import { MemberAccess, runOrganizationSelfAudit } from '../../src/verdicts/live/organization-self-audit';
import { SdkAuditApi } from '../../src/verdicts/live/sdk-api';
import { RoleAssumer } from '../../src/verdicts/live/sdk-assume-role';
import { SdkSelfAuditSink } from '../../src/verdicts/live/sdk-publisher';
import { AsffFinding, SelfAuditSettings } from '../../src/verdicts/live/self-audit';

const REGION = 'us-east-1';
const PYTHON = path.join(REPO_ROOT, '.venv-moto', 'bin', 'python');
const PREFIX = 'CisMonitoringDemo-Cis-34AF7D5D-';
const HEALTHY = '222222222222';
const BROKEN = '333333333333';
const UNREACHABLE = '444444444444';

let moto: MotoServer;
let restoreEnv: (() => void) | undefined;
const demo = demoApp();

beforeAll(async () => {
  moto = await MotoServer.start({ multiAccount: true });
  restoreEnv = useMotoCredentials();
}, 90_000);

afterAll(async () => {
  await moto?.stop();
  restoreEnv?.();
});

beforeEach(async () => {
  await moto.reset();
  await deployToMoto(new MotoClients(moto.endpoint, REGION), demo.template, demo.stackName);
  for (const account of [HEALTHY, BROKEN]) {
    const clients = await clientsIn(moto.endpoint, REGION, account);
    try {
      await deployToMoto(clients, demo.template, demo.stackName);
      if (account === BROKEN) await clients.cloudwatch.send(new DisableAlarmActionsCommand({ AlarmNames: [`${PREFIX}root_usage_alarm`] }));
    } finally {
      clients.destroy();
    }
  }
}, 120_000);

function settings(): SelfAuditSettings {
  return {
    account: MOTO_ACCOUNT,
    region: REGION,
    partition: 'aws',
    patternSet: CisPatternSet.RECOMMENDED,
    controls: CisPatternSet.RECOMMENDED.controls(),
    namespace: 'CISBenchmark',
    alarmNamePrefix: PREFIX,
    securityHub: true,
    now: new Date(),
  };
}

/** boto3 against moto, in `account` (through AssumeRole unless it is moto's default account). */
function boto3(account: string, script: string): any {
  const out = spawnSync(PYTHON, ['-c', `import boto3, json, datetime
kw = dict(endpoint_url=${JSON.stringify(moto.endpoint)}, region_name='${REGION}', aws_access_key_id='testing', aws_secret_access_key='testing')
if '${account}' != '${MOTO_ACCOUNT}':
    cr = boto3.client('sts', **kw).assume_role(RoleArn='arn:aws:iam::${account}:role/reader', RoleSessionName='read')['Credentials']
    kw.update(aws_access_key_id=cr['AccessKeyId'], aws_secret_access_key=cr['SecretAccessKey'], aws_session_token=cr['SessionToken'])
c = lambda s: boto3.client(s, **kw)
${script}`], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`boto3 failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

function storedFindings(account: string): AsffFinding[] {
  return boto3(account, 'print(json.dumps(c("securityhub").get_findings(MaxResults=100)["Findings"], default=str))');
}

/** The latest SelfAuditNotPassing (and the other four) in the function's account, for a dimension set. */
function storedMetric(name: string, accountDimension?: string): number | undefined {
  const dimensions = [{ Name: 'AlarmNamePrefix', Value: PREFIX }, ...(accountDimension ? [{ Name: 'Account', Value: accountDimension }] : [])];
  const values = boto3(MOTO_ACCOUNT, `cw = c("cloudwatch")
now = datetime.datetime.now(datetime.timezone.utc)
r = cw.get_metric_data(MetricDataQueries=[{"Id": "m", "MetricStat": {"Metric": {"Namespace": "CISBenchmark", "MetricName": "${name}", "Dimensions": ${JSON.stringify(dimensions)}},
  "Period": 60, "Stat": "Maximum"}}], StartTime=now - datetime.timedelta(hours=1), EndTime=now + datetime.timedelta(minutes=5))
print(json.dumps(r["MetricDataResults"][0]["Values"]))`) as number[];
  return values[0];
}

const byKey = (findings: AsffFinding[]): Record<string, AsffFinding> =>
  Object.fromEntries(findings.map((f) => [f.ProductFields['cdk-cis-log-monitoring/ControlKey'], f]));

/** The handler's access, except that the unreachable account's STS endpoint is a closed port. */
function accessWithOneUnreachable(s: SelfAuditSettings): { access: MemberAccess; destroy: () => void } {
  const assumer = new RoleAssumer(REGION, { endpoint: moto.endpoint });
  const nowhere = new RoleAssumer(REGION, { endpoint: 'http://127.0.0.1:9' });
  const real = memberAccess(s, AUDIT_ROLE, assumer, moto.endpoint);
  const refused = memberAccess(s, AUDIT_ROLE, nowhere, moto.endpoint);
  return {
    access: { open: (account) => (account === UNREACHABLE ? refused : real).open(account) },
    destroy: () => { assumer.destroy(); nowhere.destroy(); },
  };
}

test('each member judged through its role: findings in its own Security Hub naming it, per-account and total metrics; the unreachable one UNKNOWN', async () => {
  const s = settings();
  const api = new SdkAuditApi({ endpoint: moto.endpoint });
  const sink = new SdkSelfAuditSink(REGION, moto.endpoint);
  const { access, destroy } = accessWithOneUnreachable(s);
  let result;
  try {
    result = await runOrganizationSelfAudit({ api, sink }, access, s, { members: [HEALTHY, BROKEN, UNREACHABLE] });
  } finally {
    api.destroy();
    sink.destroy();
    destroy();
  }
  expect(result.errors).toEqual([]);
  expect(result.accounts.map((a) => [a.account, a.counts])).toEqual([
    [MOTO_ACCOUNT, { PASS: 17, WARNING: 0, UNKNOWN: 0, FAIL: 0 }],
    [HEALTHY, { PASS: 17, WARNING: 0, UNKNOWN: 0, FAIL: 0 }],
    [BROKEN, { PASS: 16, WARNING: 0, UNKNOWN: 0, FAIL: 1 }],
    [UNREACHABLE, { PASS: 0, WARNING: 0, UNKNOWN: 15, FAIL: 0 }],
  ]);
  expect(result.counts).toEqual({ PASS: 50, WARNING: 0, UNKNOWN: 15, FAIL: 1 });
  expect(Object.keys(result.unreachable)).toEqual([UNREACHABLE]);
  expect(result.unreachable[UNREACHABLE]).toMatch(/^sts:AssumeRole \(arn:aws:iam::444444444444:role\/CisAuditRole\) failed: .*ECONNREFUSED/);

  // The healthy member: 17 PASSED findings in its Security Hub, each naming it.
  const healthy = storedFindings(HEALTHY);
  expect(healthy).toHaveLength(17);
  expect(healthy.map((f) => f.Compliance.Status)).toEqual(Array(17).fill('PASSED'));
  expect(byKey(healthy)[CisControl.ROOT_ACCOUNT_USAGE.key]).toMatchObject({
    Id: `arn:aws:cdk-cis-log-monitoring:${REGION}:${HEALTHY}:self-audit/${PREFIX}/ROOT_ACCOUNT_USAGE`,
    ProductArn: `arn:aws:securityhub:${REGION}:${HEALTHY}:product/${HEALTHY}/default`,
    AwsAccountId: HEALTHY,
    Resources: [{ Type: 'AwsAccount', Id: `AWS::::Account:${HEALTHY}`, Partition: 'aws', Region: REGION }],
  });
  // The broken member: the root-usage control FAILED, in its Security Hub.
  const broken = byKey(storedFindings(BROKEN));
  expect(Object.keys(broken)).toHaveLength(17);
  expect(broken[CisControl.ROOT_ACCOUNT_USAGE.key]).toMatchObject({
    AwsAccountId: BROKEN,
    Compliance: { Status: 'FAILED' },
    Severity: { Label: 'HIGH' },
    Id: `arn:aws:cdk-cis-log-monitoring:${REGION}:${BROKEN}:self-audit/${PREFIX}/ROOT_ACCOUNT_USAGE`,
  });
  expect(broken[CisControl.ROOT_ACCOUNT_USAGE.key].Description).toMatch(/^FAIL: .*root_usage_alarm.*\[CIS-MON-ALARM-ACTIONS-ENABLED\]/s);
  expect(Object.values(broken).filter((f) => f.Compliance.Status === 'PASSED')).toHaveLength(16);

  // The function's account: its own 17, plus the unreachable member's 15 UNKNOWN (WARNING) findings, which only it
  // can import (Id and resource name the member).
  const home = storedFindings(MOTO_ACCOUNT);
  expect(home.filter((f) => f.Id.includes(`:${MOTO_ACCOUNT}:self-audit/`)).map((f) => f.Compliance.Status)).toEqual(Array(17).fill('PASSED'));
  const lost = home.filter((f) => f.Id.includes(`:${UNREACHABLE}:self-audit/`));
  expect(lost).toHaveLength(15);
  for (const f of lost) {
    expect(f).toMatchObject({
      AwsAccountId: MOTO_ACCOUNT,
      ProductArn: `arn:aws:securityhub:${REGION}:${MOTO_ACCOUNT}:product/${MOTO_ACCOUNT}/default`,
      Compliance: { Status: 'WARNING' },
      Severity: { Label: 'MEDIUM' },
      ProductFields: expect.objectContaining({ 'cdk-cis-log-monitoring/Verdict': 'UNKNOWN' }),
      Resources: [expect.objectContaining({ Id: `AWS::::Account:${UNREACHABLE}` })],
    });
    expect(f.Description).toMatch(/^UNKNOWN: the self-audit could not read the account: AccountUnreachable: cannot reach account 444444444444: sts:AssumeRole .*ECONNREFUSED/);
  }
  // Nothing imported into the unreachable account itself.
  expect(storedFindings(UNREACHABLE)).toEqual([]);

  // Metrics in the function's account: per account (dimension Account) and the total the alarm reads.
  expect(storedMetric('SelfAuditNotPassing', MOTO_ACCOUNT)).toBe(0);
  expect(storedMetric('SelfAuditNotPassing', HEALTHY)).toBe(0);
  expect(storedMetric('SelfAuditNotPassing', BROKEN)).toBe(1);
  expect(storedMetric('SelfAuditFailed', BROKEN)).toBe(1);
  expect(storedMetric('SelfAuditNotPassing', UNREACHABLE)).toBe(15);
  expect(storedMetric('SelfAuditUnknown', UNREACHABLE)).toBe(15);
  expect(storedMetric('SelfAuditPassed', HEALTHY)).toBe(17);
  expect(storedMetric('SelfAuditNotPassing')).toBe(16);
  expect(storedMetric('SelfAuditPassed')).toBe(50);
}, 120_000);

test('the bundled handler\'s entry: MEMBER_ACCOUNTS and MEMBER_ROLE_NAME from its environment switch it to organization mode; one evidence report per account', async () => {
  const owned = new MotoClients(moto.endpoint, REGION);
  await owned.s3.send(new CreateBucketCommand({ Bucket: 'cis-reports' }));
  owned.destroy();
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: REGION,
    PATTERN_SET: 'RECOMMENDED',
    METRIC_NAMESPACE: 'CISBenchmark',
    ALARM_NAME_PREFIX: PREFIX,
    SECURITY_HUB: 'true',
    CONTROLS: CisPatternSet.RECOMMENDED.controls().map((c) => c.key).join(','),
    MEMBER_ACCOUNTS: `${HEALTHY},${BROKEN}`,
    MEMBER_ROLE_NAME: AUDIT_ROLE,
    REPORT_BUCKET: 'cis-reports',
    REPORT_PREFIX: 'audits/',
  });
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const out = await handler({}, { invokedFunctionArn: `arn:aws:lambda:${REGION}:${MOTO_ACCOUNT}:function:self-audit`, getRemainingTimeInMillis: () => 900_000 });
    expect(out.counts).toEqual({ PASS: 50, WARNING: 0, UNKNOWN: 0, FAIL: 1 });
    expect((out as any).accounts[BROKEN]).toEqual({ PASS: 16, WARNING: 0, UNKNOWN: 0, FAIL: 1 });
    expect(storedFindings(HEALTHY).map((f) => f.AwsAccountId)).toEqual(Array(17).fill(HEALTHY));
    expect(byKey(storedFindings(BROKEN))[CisControl.ROOT_ACCOUNT_USAGE.key].Compliance.Status).toBe('FAILED');
    expect(storedFindings(MOTO_ACCOUNT)).toHaveLength(17);
    expect(storedMetric('SelfAuditNotPassing')).toBe(1);
    expect(log.mock.calls.map((c) => JSON.parse(c[0]))).toContainEqual(expect.objectContaining({ account: BROKEN, control: '4.3', verdict: 'FAIL' }));
    // The evidence report of each account, read with its session, stored in the function's bucket under its account.
    const day = new Date().toISOString().slice(0, 10);
    expect([...(out as any).report].sort()).toEqual([MOTO_ACCOUNT, HEALTHY, BROKEN]
      .flatMap((a) => [`audits/${a}/${REGION}/${day}.html`, `audits/${a}/${REGION}/latest.html`]).sort());
    const page = (account: string): string => boto3(MOTO_ACCOUNT,
      `print(json.dumps(c("s3").get_object(Bucket="cis-reports", Key="audits/${account}/${REGION}/latest.html")["Body"].read().decode()))`);
    expect(page(BROKEN)).toContain(`<h2>Account ${BROKEN}: <span class="verdict v-FAIL">FAIL</span></h2>`);
    expect(page(HEALTHY)).toContain(`<h2>Account ${HEALTHY}: <span class="verdict v-PASS">PASS</span></h2>`);
  } finally {
    log.mockRestore();
    process.env = saved;
  }
}, 120_000);

test('a member whose findings Security Hub refuses: the error names the account and the total SelfAuditNotPassing counts it (the alarm sees it)', async () => {
  const s = settings();
  const api = new SdkAuditApi({ endpoint: moto.endpoint });
  const sink = new SdkSelfAuditSink(REGION, moto.endpoint);
  const assumer = new RoleAssumer(REGION, { endpoint: moto.endpoint });
  const real = memberAccess(s, AUDIT_ROLE, assumer, moto.endpoint);
  const refusing: MemberAccess = {
    open: async (account) => {
      const session = await real.open(account);
      const denied = Object.assign(Object.create(session.sink), {
        batchImportFindings: async () => { throw Object.assign(new Error('not authorized to perform: securityhub:BatchImportFindings'), { name: 'AccessDeniedException' }); },
      });
      return { ...session, sink: denied, destroy: () => session.destroy() };
    },
  };
  try {
    const result = await runOrganizationSelfAudit({ api, sink }, refusing, s, { members: [HEALTHY] });
    expect(result.errors).toEqual([`account ${HEALTHY}: securityhub:BatchImportFindings failed: AccessDeniedException: not authorized to perform: securityhub:BatchImportFindings`]);
    expect(result.counts).toEqual({ PASS: 34, WARNING: 0, UNKNOWN: 0, FAIL: 0 });
  } finally {
    api.destroy();
    sink.destroy();
    assumer.destroy();
  }
  expect(storedMetric('SelfAuditNotPassing', HEALTHY)).toBe(0);
  expect(storedMetric('SelfAuditNotPassing')).toBe(1);
}, 120_000);

test('bounded: at most 4 accounts at once, and an account that does not answer within its budget is UNKNOWN (Timeout), the others judged', async () => {
  const s = settings();
  const api = new SdkAuditApi({ endpoint: moto.endpoint });
  const sink = new SdkSelfAuditSink(REGION, moto.endpoint);
  const assumer = new RoleAssumer(REGION, { endpoint: moto.endpoint });
  const real = memberAccess(s, AUDIT_ROLE, assumer, moto.endpoint);
  const members = Array.from({ length: 9 }, (_, i) => String(500000000000 + i));
  let open = 0;
  let most = 0;
  const access: MemberAccess = {
    open: async (account) => {
      most = Math.max(most, ++open);
      const session = await real.open(account);
      // The last member's trails never answer.
      const hanging: AuditApi = account === members[8]
        ? Object.assign(Object.create(session.api), { describeTrails: () => new Promise(() => undefined) })
        : session.api;
      return { api: hanging, sink: session.sink, destroy: () => { open--; session.destroy(); } };
    },
  };
  const started = Date.now();
  try {
    const result = await runOrganizationSelfAudit({ api, sink }, access, s, { members, accountTimeoutMs: 3_000 });
    // The function's own account takes one of the 4 slots while it is judged; the members the others.
    expect(most).toBeGreaterThanOrEqual(3);
    expect(most).toBeLessThanOrEqual(4);
    const hung = result.accounts.find((a) => a.account === members[8])!;
    expect(hung.counts.PASS).toBe(0);
    expect(hung.controls.filter((c) => c.verdict === 'PASS')).toEqual([]);
    expect(hung.controls.some((c) => /describeTrails failed: Timeout/.test(c.reason))).toBe(true);
    // The other members have no deployment: judged (FAIL), not lost.
    expect(result.accounts.filter((a) => a.account !== members[8] && a.account !== MOTO_ACCOUNT).every((a) => a.counts.FAIL > 0)).toBe(true);
    expect(Date.now() - started).toBeLessThan(60_000);
  } finally {
    api.destroy();
    sink.destroy();
    assumer.destroy();
  }
}, 120_000);
