import { Template } from 'aws-cdk-lib/assertions';
import { HEARTBEAT_CONTROL_ID, TAMPER_CONTROL_ID } from '../../src/catalog/tamper-control';
import { checkTemplates } from '../../src/verdicts/check';
import { INTEGRITY_RULES, RULES } from '../../src/verdicts/rules';
import { ACCOUNT, REGION, monitoringStacks } from '../support/every-option-monitoring';

/**
 * Issue 20 §2/§3: the monitoring-integrity controls (tamper control, delivery heartbeat) are judged by the rule
 * set's chain machinery, in their own rows (`integrity`), without changing the CIS rows. Negative cases first: each
 * mutation of a working template must change the integrity verdict.
 */

type Tpl = { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
const stacks = monitoringStacks();
const SOURCES: Record<string, Tpl> = {
  default: Template.fromStack(stacks.default).toJSON() as Tpl,
  everyOption: Template.fromStack(stacks.everyOption).toJSON() as Tpl,
  lookup: Template.fromStack(stacks.lookup).toJSON() as Tpl,
};
const clone = (t: Tpl): Tpl => JSON.parse(JSON.stringify(t));
const check = (t: Tpl) => checkTemplates([{ name: 'T', template: t, account: ACCOUNT, region: REGION }]);
const row = (t: Tpl, id: string) => check(t).integrity.find((c) => c.id === id)!;
const cisRows = (t: Tpl) => check(t).controls.map((c) => `${c.id}:${c.verdict}`);

const alarms = (t: Tpl, suffix: string) => Object.values(t.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm'
  && typeof r.Properties.AlarmName === 'string' && r.Properties.AlarmName.endsWith(suffix));
const tamperFilters = (t: Tpl) => Object.entries(t.Resources).filter(([, r]) => r.Type === 'AWS::Logs::MetricFilter'
  && typeof r.Properties.FilterName === 'string' && r.Properties.FilterName.includes('monitoring_tamper_metric_'));
const heartbeat = (t: Tpl) => alarms(t, 'delivery_heartbeat_alarm');
const tamperAlarm = (t: Tpl) => alarms(t, 'monitoring_tamper_alarm');

function without(t: Tpl, drop: (id: string, r: Tpl['Resources'][string]) => boolean): Tpl {
  const c = clone(t);
  for (const [id, r] of Object.entries(c.Resources)) if (drop(id, r)) delete c.Resources[id];
  return c;
}

describe.each(['default', 'everyOption'])('the %s stack', (name) => {
  const source = SOURCES[name];

  test('as synthesized: both integrity controls PASS, in their own rows, and the CIS rows are the 15 controls', () => {
    const result = check(source);
    expect(result.integrity.map((c) => [c.id, c.verdict, c.reason])).toEqual([
      [TAMPER_CONTROL_ID, 'PASS', expect.stringMatching(/^6 tamper patterns/)],
      [HEARTBEAT_CONTROL_ID, 'PASS', expect.any(String)],
    ]);
    expect(result.controls.map((c) => c.id)).not.toContain(TAMPER_CONTROL_ID);
    expect(result.integrityFindings).toEqual([]);
  });

  const mutations: Array<[string, (t: Tpl) => void, string, RegExp]> = [
    ['a tamper pattern changed (the DeleteAlarms event dropped)', (t) => {
      const [, f] = tamperFilters(t).find(([, r]) => r.Properties.FilterName.endsWith('_cloudwatch'))!;
      f.Properties.FilterPattern = JSON.stringify(f.Properties.FilterPattern).includes('DeleteAlarms')
        ? JSON.parse(JSON.stringify(f.Properties.FilterPattern).replace('DeleteAlarms', 'DescribeAlarms')) : 'x';
    }, TAMPER_CONTROL_ID, /no metric filter with the control's pattern/],
    ['the tamper alarm\'s actions disabled', (t) => { tamperAlarm(t)[0].Properties.ActionsEnabled = false; }, TAMPER_CONTROL_ID, /actions disabled/],
    ['the tamper alarm notifies nobody', (t) => { tamperAlarm(t)[0].Properties.AlarmActions = []; }, TAMPER_CONTROL_ID, /no SNS topic/],
    ['a tamper filter publishes another metric', (t) => {
      tamperFilters(t)[0][1].Properties.MetricTransformations[0].MetricName = 'other_metric';
    }, TAMPER_CONTROL_ID, /no alarm watches metric/],
    ['the heartbeat does not treat missing data as breaching', (t) => { heartbeat(t)[0].Properties.TreatMissingData = 'notBreaching'; }, HEARTBEAT_CONTROL_ID, /treats missing data as notBreaching/],
    ['the heartbeat with the default missing-data treatment', (t) => { delete heartbeat(t)[0].Properties.TreatMissingData; }, HEARTBEAT_CONTROL_ID, /missing \(the default\)/],
    ['the heartbeat on another log group', (t) => { heartbeat(t)[0].Properties.Dimensions = [{ Name: 'LogGroupName', Value: 'app-logs' }]; }, HEARTBEAT_CONTROL_ID, /of log group 'app-logs', not of the trail's/],
    ['the heartbeat without its dimension (the account total)', (t) => { delete heartbeat(t)[0].Properties.Dimensions; }, HEARTBEAT_CONTROL_ID, /without the LogGroupName dimension/],
    ['the heartbeat firing on events instead of their absence', (t) => { heartbeat(t)[0].Properties.ComparisonOperator = 'GreaterThanOrEqualToThreshold'; }, HEARTBEAT_CONTROL_ID, /does not breach when the log group receives no event/],
    ['the heartbeat\'s actions disabled', (t) => { heartbeat(t)[0].Properties.ActionsEnabled = false; }, HEARTBEAT_CONTROL_ID, /actions disabled/],
  ];

  test.each(mutations)('NEGATIVE: %s is FAIL, the CIS rows are unchanged, and the run FAILs', (_m, mutate, id, message) => {
    const t = clone(source);
    mutate(t);
    const result = check(t);
    const r = result.integrity.find((c) => c.id === id)!;
    expect(r.verdict).toBe('FAIL');
    expect(r.findings.map((f) => f.message).join('\n')).toMatch(message);
    expect(cisRows(t)).toEqual(cisRows(source));
    expect(result.verdict).toBe('FAIL');
  });

  test('NEGATIVE: without the self-monitoring both rows are WARNING "not deployed", and the CIS verdict is unchanged', () => {
    const t = without(source, (_id, r) => (r.Type === 'AWS::CloudWatch::Alarm' && /(delivery_heartbeat|monitoring_tamper)_alarm$/.test(r.Properties.AlarmName))
      || (r.Type === 'AWS::Logs::MetricFilter' && String(r.Properties.FilterName).includes('monitoring_tamper_metric_')));
    const result = check(t);
    expect(result.integrity.map((c) => [c.id, c.verdict])).toEqual([[TAMPER_CONTROL_ID, 'WARNING'], [HEARTBEAT_CONTROL_ID, 'WARNING']]);
    expect(result.integrity[0].reason).toMatch(/MON\.TAMPER .* is not deployed/);
    expect(result.integrityFindings.map((f) => f.rule)).toEqual(['CIS-MON-INTEGRITY-DEPLOYED', 'CIS-MON-INTEGRITY-DEPLOYED']);
    expect(result.verdict).toBe(check(source).verdict);
    expect(cisRows(t)).toEqual(cisRows(source));
  });

  test('NEGATIVE: one tamper filter deleted is FAIL (the others do not stand in for it)', () => {
    const [id] = tamperFilters(source).find(([, r]) => r.Properties.FilterName.endsWith('_sns'))!;
    const r = row(without(source, (i) => i === id), TAMPER_CONTROL_ID);
    expect(r.verdict).toBe('FAIL');
    expect(r.reason).toMatch(/sns events/);
  });
});

test('a template whose trail log group is looked up at deploy time (trailArn): the tamper control is UNKNOWN, never PASS', () => {
  const r = row(SOURCES.lookup, TAMPER_CONTROL_ID);
  expect(r.verdict).toBe('UNKNOWN');
  expect(r.reason).toMatch(/log group's name cannot be determined .*Fn::GetAtt/);
});

test('the trail\'s IAM filter: judged against the delivery role the trail names (a rename of the role FAILs it)', () => {
  const t = clone(SOURCES.default);
  const [, iam] = tamperFilters(t).find(([, r]) => r.Properties.FilterName.endsWith('_iam'))!;
  expect(JSON.stringify(iam.Properties.FilterPattern)).toContain('roleName');
  const trail = Object.values(t.Resources).find((r) => r.Type === 'AWS::CloudTrail::Trail')!;
  trail.Properties.CloudWatchLogsRoleArn = `arn:aws:iam::${ACCOUNT}:role/another-role`;
  const r = row(t, TAMPER_CONTROL_ID);
  expect(r.verdict).toBe('FAIL');
  expect(r.reason).toMatch(/iam events/);
});

test('the integrity rules are not in RULES (CIS chains never run them) and have unique IDs with citations', () => {
  const ids = new Set(RULES.map((r) => r.id));
  for (const rule of INTEGRITY_RULES) {
    expect(ids.has(rule.id)).toBe(false);
    expect(rule.citation).toMatch(/https:\/\/docs\.aws\.amazon\.com\//);
  }
  expect(new Set(INTEGRITY_RULES.map((r) => r.id)).size).toBe(INTEGRITY_RULES.length);
});
