/**
 * Issue 18 §2, the differential test: two adapters, one truth. For every mutation of the demo app's template that moto
 * can represent, `check` on the template (the template adapter + the shared rules) and `audit` on moto after deploying
 * it (the live adapter + the same rules) give the same verdict per control.
 *
 * What moto cannot represent, and where those rules are tested instead (recorded AWS response shapes and in-memory
 * accounts, packages/cli/test/audit/live-adapter.test.ts and sdk-api.test.ts):
 * - a subscription pending confirmation: moto confirms every subscription at once (and a template cannot see it);
 * - GetTrailStatus's LatestCloudWatchLogsDeliveryError: moto never reports a delivery error;
 * - a key pending deletion or AWS managed (alias/aws/sns): not expressible as a template property;
 * - a key policy that denies CloudWatch: moto applies a key policy's Deny to every caller whatever its Principal, so
 *   the audit's own kms:DescribeKey is denied (the audit says UNKNOWN, as it must for an unreadable key; AWS would let it
 *   read and the rule FAILs, which live-adapter.test.ts shows);
 * - metric-math alarms (`Metrics`) and nested stacks: the replay (moto/deploy.ts) deploys neither;
 * - `Fn::ImportValue`, parameters without defaults: template forms, not states of an account.
 *
 * Needs moto: `bash scripts/e2e/setup.sh`.
 */
import { demoApp } from './apps';
import { CisControl, CisPatternSet } from '../../src';
import { MotoClients, deployToMoto } from './moto/deploy';
import { MOTO_ACCOUNT, MotoServer } from './moto/server';
import { motoForThisFile } from './moto/suite';
import { runCisAudit } from '../../packages/cli/src/account/audit';
import { checkTemplates } from '../../src/verdicts/check';
import { SdkAuditApi } from '../../src/verdicts/live/sdk-api';

const REGION = 'us-east-1';
type Json = any;

let moto: MotoServer;
let clients: MotoClients;
const demo = demoApp();

motoForThisFile({
  region: REGION,
  started: async (started, startedClients) => {
    moto = started;
    clients = startedClients;
  },
});

/** The resource of `type` (whose properties match `where`) in a template. */
function resource(template: Json, type: string, where: (props: Json) => boolean = () => true): Json {
  const found = Object.values<Json>(template.Resources).find((r) => r.Type === type && where(r.Properties ?? {}));
  if (!found) throw new Error(`no ${type} in the template`);
  return found;
}

const ROOT = CisControl.ROOT_ACCOUNT_USAGE;
const rootAlarm = (t: Json): Json => resource(t, 'AWS::CloudWatch::Alarm', (p) => p.MetricName === ROOT.metricName).Properties;
const rootFilter = (t: Json): Json => resource(t, 'AWS::Logs::MetricFilter', (p) => p.MetricTransformations?.[0]?.MetricName === ROOT.metricName).Properties;
const trail = (t: Json): Json => resource(t, 'AWS::CloudTrail::Trail').Properties;
const topicPolicy = (t: Json): Json => resource(t, 'AWS::SNS::TopicPolicy').Properties.PolicyDocument;
const key = (t: Json): Json => resource(t, 'AWS::KMS::Key').Properties;
const topicRef = (t: Json): Json => ({ Ref: Object.keys(t.Resources).find((id) => t.Resources[id].Type === 'AWS::SNS::Topic') });

/** Mutations the issue lists (and the chain's other properties), each applied to a fresh copy of the demo template. */
const MUTATIONS: Array<[string, (t: Json) => void]> = [
  ['unchanged', () => undefined],
  ['alarm threshold 1e12', (t) => { rootAlarm(t).Threshold = 1e12; }],
  ['alarm threshold 5 (a deviation a user may intend)', (t) => { rootAlarm(t).Threshold = 5; }],
  ['alarm LessThanThreshold 0', (t) => { Object.assign(rootAlarm(t), { ComparisonOperator: 'LessThanThreshold', Threshold: 0 }); }],
  ['alarm dimensions the filter does not publish', (t) => { rootAlarm(t).Dimensions = [{ Name: 'Account', Value: MOTO_ACCOUNT }]; }],
  ['alarm Unit Seconds', (t) => { rootAlarm(t).Unit = 'Seconds'; }],
  ['alarm SampleCount >= 100000', (t) => { Object.assign(rootAlarm(t), { Statistic: 'SampleCount', Threshold: 100000 }); }],
  ['alarm 288 of 288 datapoints', (t) => { Object.assign(rootAlarm(t), { EvaluationPeriods: 288, DatapointsToAlarm: 288 }); }],
  ['alarm p0 >= 1e9', (t) => { const a = rootAlarm(t); delete a.Statistic; Object.assign(a, { ExtendedStatistic: 'p0', Threshold: 1e9 }); }],
  ['alarm actions disabled', (t) => { rootAlarm(t).ActionsEnabled = false; }],
  ['alarm without actions', (t) => { rootAlarm(t).AlarmActions = []; }],
  ['alarm TreatMissingData breaching', (t) => { rootAlarm(t).TreatMissingData = 'breaching'; }],
  ['alarm renamed outside the topic policy\'s aws:SourceArn prefix', (t) => { rootAlarm(t).AlarmName = 'renamed-root-usage-alarm'; }],
  ['filter MetricValue "0"', (t) => { rootFilter(t).MetricTransformations[0].MetricValue = '0'; }],
  ['filter dimensions the alarm does not name', (t) => { rootFilter(t).MetricTransformations[0].Dimensions = [{ Key: 'source', Value: '$.eventSource' }]; }],
  ['KMS key Enabled false', (t) => { key(t).Enabled = false; }],
  ['topic policy: a conditional Deny of sns:Publish the alarms meet', (t) => {
    topicPolicy(t).Statement.push({
      Sid: 'DenyFromThisAccount',
      Effect: 'Deny',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: topicRef(t),
      Condition: { StringEquals: { 'aws:SourceAccount': MOTO_ACCOUNT } },
    });
  }],
  ['topic policy: the only Allow conditioned on another account', (t) => {
    const allow = topicPolicy(t).Statement.find((s: Json) => s.Effect === 'Allow');
    allow.Condition = { StringEquals: { 'aws:SourceAccount': '999988887777' } };
  }],
  ['subscription filter policy that drops everything', (t) => {
    resource(t, 'AWS::SNS::Subscription').Properties.FilterPolicy = { never: ['sent'] };
  }],
  ['trail write-only', (t) => { trail(t).EventSelectors = [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }]; }],
  ['trail without management events', (t) => { trail(t).EventSelectors = [{ ReadWriteType: 'All', IncludeManagementEvents: false }]; }],
  ['trail excluding kms.amazonaws.com', (t) => {
    trail(t).EventSelectors = [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] }];
  }],
  ['trail without its delivery role', (t) => { delete trail(t).CloudWatchLogsRoleArn; }],
  ['trail single-region', (t) => { trail(t).IsMultiRegionTrail = false; }],
  ['trail not logging', (t) => { trail(t).IsLogging = false; }],
];

const RECOMMENDED = CisPatternSet.RECOMMENDED; // audit's default pattern set, given to check explicitly
const controls = RECOMMENDED.controls();

test.each(MUTATIONS)('%s: check on the template and audit on moto give the same verdict per control', async (_name, mutate) => {
  const template = JSON.parse(JSON.stringify(demo.template));
  mutate(template);

  // What `check` runs on a template (packages/cli/src/commands/check): the template adapter and the shared rules.
  const check = checkTemplates([{ name: demo.stackName, template, account: MOTO_ACCOUNT, region: REGION }], { patternSet: RECOMMENDED });

  await moto.reset();
  await deployToMoto(clients, template, demo.stackName);
  const api = new SdkAuditApi({ endpoint: moto.endpoint });
  const audit = await runCisAudit(api, { region: REGION }).finally(() => api.destroy());

  const byControl = (verdicts: Array<{ id: string; status: string; rules: string[] }>) => Object.fromEntries(verdicts.map((v) => [v.id, v]));
  const checked = byControl(check.controls.map((c) => ({ id: c.id, status: c.verdict, rules: [...new Set(c.findings.map((f) => f.rule))].sort() })));
  const audited = byControl(audit.controls.map((c) => ({ id: c.id, status: c.status, rules: [...new Set(c.findings.map((f) => f.rule))].sort() })));
  expect(Object.keys(checked)).toEqual(controls.map((c) => c.id));
  // Same verdict and same rules per control (a rule only the live side can decide would show here).
  expect(audited).toEqual(checked);
}, 120_000);

test('the mutations change verdicts: each but the unchanged template has a control that does not PASS on both sides', () => {
  // (Guards against a differential that agrees because nothing is judged.) Checked on the template side, which is fast.
  for (const [name, mutate] of MUTATIONS.slice(1)) {
    const template = JSON.parse(JSON.stringify(demo.template));
    mutate(template);
    const check = checkTemplates([{ name: demo.stackName, template, account: MOTO_ACCOUNT, region: REGION }], { patternSet: RECOMMENDED });
    expect([name, check.controls.some((c) => c.verdict !== 'PASS')]).toEqual([name, true]);
  }
});

/** Issue 20: the monitoring-integrity controls (MON.TAMPER, MON.HEARTBEAT) on both sides, unchanged and broken. */
const alarmEndingWith = (t: Json, suffix: string): Json => resource(t, 'AWS::CloudWatch::Alarm',
  (p) => typeof p.AlarmName === 'string' && p.AlarmName.endsWith(suffix)).Properties;
const tamperFilter = (t: Json, service: string): Json => resource(t, 'AWS::Logs::MetricFilter',
  (p) => typeof p.FilterName === 'string' && p.FilterName.endsWith(`monitoring_tamper_metric_${service}`)).Properties;
const INTEGRITY_MUTATIONS: Array<[string, (t: Json) => void, Record<string, string>]> = [
  ['unchanged', () => undefined, { 'MON.TAMPER': 'PASS', 'MON.HEARTBEAT': 'PASS' }],
  ['heartbeat TreatMissingData notBreaching', (t) => { alarmEndingWith(t, 'delivery_heartbeat_alarm').TreatMissingData = 'notBreaching'; },
    { 'MON.TAMPER': 'PASS', 'MON.HEARTBEAT': 'FAIL' }],
  ['heartbeat on another log group', (t) => { alarmEndingWith(t, 'delivery_heartbeat_alarm').Dimensions = [{ Name: 'LogGroupName', Value: 'app-logs' }]; },
    { 'MON.TAMPER': 'PASS', 'MON.HEARTBEAT': 'FAIL' }],
  ['tamper alarm actions disabled', (t) => { alarmEndingWith(t, 'monitoring_tamper_alarm').ActionsEnabled = false; },
    { 'MON.TAMPER': 'FAIL', 'MON.HEARTBEAT': 'PASS' }],
  ['tamper pattern without DeleteTopic', (t) => {
    const f = tamperFilter(t, 'sns');
    f.FilterPattern = JSON.parse(JSON.stringify(f.FilterPattern).replace('($.eventName=\\"DeleteTopic\\")||', ''));
  }, { 'MON.TAMPER': 'FAIL', 'MON.HEARTBEAT': 'PASS' }],
];

test.each(INTEGRITY_MUTATIONS)('integrity, %s: check and audit on moto agree on MON.TAMPER and MON.HEARTBEAT, CIS stays PASS', async (_name, mutate, expected) => {
  const template = JSON.parse(JSON.stringify(demo.template));
  mutate(template);
  const check = checkTemplates([{ name: demo.stackName, template, account: MOTO_ACCOUNT, region: REGION }], { patternSet: RECOMMENDED });
  await moto.reset();
  await deployToMoto(clients, template, demo.stackName);
  const api = new SdkAuditApi({ endpoint: moto.endpoint });
  const audit = await runCisAudit(api, { region: REGION }).finally(() => api.destroy());

  const rules = (findings: Array<{ rule: string }>) => [...new Set(findings.map((f) => f.rule))].sort();
  const checked = Object.fromEntries(check.integrity.map((c) => [c.id, { status: c.verdict, rules: rules(c.findings) }]));
  const audited = Object.fromEntries(audit.integrity.map((c) => [c.id, { status: c.status, rules: rules(c.findings) }]));
  expect(Object.fromEntries(Object.entries(checked).map(([id, v]) => [id, v.status]))).toEqual(expected);
  expect(audited).toEqual(checked);
  expect(audit.controls.every((c) => c.status === 'PASS')).toBe(true);
  expect(audit.status).toBe(Object.values(expected).includes('FAIL') ? 'FAIL' : 'PASS');
}, 120_000);
