/**
 * Issue 18, the live side: setups in which no alarm can reach anyone, and which `audit` used to pass (PASS 15/15 on
 * moto). Each case deploys the demo app into moto, breaks one property the way the issue describes, runs the audit
 * in-process as users run it, and expects the affected control(s) not to PASS, with the rule and the resource named.
 *
 * What moto cannot show (GetTrailStatus's LatestCloudWatchLogsDeliveryError, a KMS key policy's effect) is tested on
 * recorded AWS API responses in packages/cli/test/audit/live-adapter.test.ts.
 *
 * Needs moto: `bash scripts/e2e/setup.sh`.
 */
import { GetEventSelectorsCommand, PutEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { DeleteMetricFilterCommand, DescribeMetricFiltersCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeleteRoleCommand, DeleteRolePolicyCommand, IAMClient, ListAttachedRolePoliciesCommand, ListRolePoliciesCommand, DetachRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { demoApp } from './apps';
import { CisControl } from '../../src';
import { Deployment, MotoClients, deployToMoto } from './moto/deploy';
import { MOTO_CREDENTIALS, MotoServer } from './moto/server';
import { motoForThisFile } from './moto/suite';
import { AuditReport, ControlFinding } from '../../packages/cli/src/account/report';
import { runAudit } from '../../packages/cli/src/commands/audit/command';

const REGION = 'us-east-1';

let moto: MotoServer;
let clients: MotoClients;
let iam: IAMClient;
const demo = demoApp();
let deployment: Deployment;

motoForThisFile({
  region: REGION,
  started: (started, startedClients) => {
    moto = started;
    clients = startedClients;
    iam = new IAMClient({ endpoint: moto.endpoint, region: REGION, credentials: MOTO_CREDENTIALS });
  },
});

afterAll(() => iam?.destroy());

beforeEach(async () => {
  await moto.reset();
  deployment = await deployToMoto(clients, demo.template, demo.stackName);
});

async function audit(): Promise<{ code: number; report: AuditReport }> {
  let stdout = '';
  let stderr = '';
  const code = await runAudit(['--region', REGION, '--endpoint-url', moto.endpoint, '--output', 'json'],
    { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: {} });
  if (!stdout) throw new Error(`audit printed nothing (exit ${code}): ${stderr}`);
  return { code, report: JSON.parse(stdout) as AuditReport };
}

function finding(report: AuditReport, control: CisControl): ControlFinding {
  const found = report.controls.find((c) => c.key === control.key);
  if (!found) throw new Error(`no finding for ${control.key}`);
  return found;
}

function physicalIdOf(type: string): string {
  const logicalId = Object.keys(demo.template.Resources).find((id) => demo.template.Resources[id].Type === type)!;
  return deployment.physicalIds.get(logicalId)!;
}

/** Every control but `affected` passes; `affected` has `status` and a reason matching `reason`. */
function expectOnly(report: AuditReport, affected: CisControl, status: string, reason: RegExp): void {
  const f = finding(report, affected);
  expect({ status: f.status, reason: f.reason }).toEqual({ status, reason: expect.stringMatching(reason) });
  expect(report.controls.filter((c) => c.key !== affected.key && c.status !== 'PASS').map((c) => `${c.id} ${c.status}: ${c.reason}`)).toEqual([]);
}

const ROOT = CisControl.ROOT_ACCOUNT_USAGE;

test('the demo app as deployed passes (the baseline of every case below)', async () => {
  const { code, report } = await audit();
  expect(report.controls.filter((c) => c.status !== 'PASS').map((c) => `${c.id} ${c.status}: ${c.reason}`)).toEqual([]);
  expect(report).toMatchObject({ status: 'PASS', passed: 15 });
  expect(code).toBe(0);
});

test('a trail excluding KMS management events: 4.7 (CMK disable/deletion) sees no event and FAILs', async () => {
  const trail = physicalIdOf('AWS::CloudTrail::Trail');
  await clients.cloudtrail.send(new PutEventSelectorsCommand({
    TrailName: trail,
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] }],
  }));
  // moto keeps the field (so the audit can read it).
  const read = await clients.cloudtrail.send(new GetEventSelectorsCommand({ TrailName: trail }));
  expect(read.EventSelectors?.[0].ExcludeManagementEventSources).toEqual(['kms.amazonaws.com']);
  const { code, report } = await audit();
  const f = finding(report, CisControl.CMK_DISABLE_OR_DELETION);
  expect({ status: f.status, reason: f.reason }).toEqual({ status: 'FAIL', reason: expect.stringMatching(/excludes kms\.amazonaws\.com events, the only ones/) });
  // The controls that match calls of any source miss KMS's: a WARNING that names the exclusion; none FAILs or PASSes silently.
  for (const c of report.controls.filter((x) => x.key !== CisControl.CMK_DISABLE_OR_DELETION.key)) {
    expect([c.id, c.status === 'PASS' || (c.status === 'WARNING' && /excludes kms\.amazonaws\.com/.test(c.reason))]).toEqual([c.id, true]);
  }
  expect(report.controls.filter((c) => c.status === 'WARNING').length).toBeGreaterThan(0);
  expect(code).toBe(2);
});

test('an alarm with a dimension the filter does not publish never fires: FAIL', async () => {
  const alarm = await clients.alarmFor(ROOT.metricName);
  await clients.changeAlarm(alarm, { Dimensions: [{ Name: 'Account', Value: '123456789012' }] });
  expect((await clients.alarmFor(ROOT.metricName)).Dimensions).toEqual([{ Name: 'Account', Value: '123456789012' }]);
  const { code, report } = await audit();
  expectOnly(report, ROOT, 'FAIL', /dimension/i);
  expect(code).toBe(2);
});

test('an alarm with Unit Seconds on a metric published without a unit never fires: FAIL', async () => {
  const alarm = await clients.alarmFor(ROOT.metricName);
  await clients.changeAlarm(alarm, { Unit: 'Seconds' });
  expect((await clients.alarmFor(ROOT.metricName)).Unit).toBe('Seconds');
  const { code, report } = await audit();
  expectOnly(report, ROOT, 'FAIL', /unit/i);
  expect(code).toBe(2);
});

test('an alarm with LessThanThreshold 0 on a count never fires: FAIL', async () => {
  const alarm = await clients.alarmFor(ROOT.metricName);
  await clients.changeAlarm(alarm, { ComparisonOperator: 'LessThanThreshold', Threshold: 0 });
  const { code, report } = await audit();
  expectOnly(report, ROOT, 'FAIL', /LessThanThreshold/);
  expect(code).toBe(2);
});

test('a filter publishing 0 per matching event never breaches the alarm: FAIL', async () => {
  const logGroupName = physicalIdOf('AWS::Logs::LogGroup');
  const filters = await clients.logs.send(new DescribeMetricFiltersCommand({ logGroupName, filterNamePrefix: ROOT.metricName }));
  const filter = filters.metricFilters!.find((f) => f.filterName === ROOT.metricName)!;
  await clients.logs.send(new DeleteMetricFilterCommand({ logGroupName, filterName: filter.filterName }));
  await clients.logs.send(new PutMetricFilterCommand({
    logGroupName,
    filterName: filter.filterName,
    filterPattern: filter.filterPattern,
    metricTransformations: filter.metricTransformations!.map((t) => ({ ...t, metricValue: '0' })),
  }));
  const { code, report } = await audit();
  expectOnly(report, ROOT, 'FAIL', /value|publishes 0/i);
  expect(code).toBe(2);
});

test('the CloudTrail -> CloudWatch Logs delivery role deleted: nothing reaches the log group, every control FAILs', async () => {
  const roleName = physicalIdOf('AWS::IAM::Role');
  for (const name of (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? []) {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
  }
  for (const p of (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }))).AttachedPolicies ?? []) {
    await iam.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: p.PolicyArn }));
  }
  await iam.send(new DeleteRoleCommand({ RoleName: roleName }));
  const { code, report } = await audit();
  expect(report.controls.map((c) => c.status)).toEqual(report.controls.map(() => 'FAIL'));
  for (const c of report.controls) expect(c.reason).toMatch(new RegExp(`role.*${roleName}|${roleName}.*role`, 'i'));
  expect(code).toBe(2);
});
