import { aws_logs as logs, aws_sns as sns } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { isSelfMonitoring, newStack, patternsByMetric, synth, warnings } from './helpers';
import { CisControl, CisExclusion, CisLogMonitoring, CisLogMonitoringProps, CisPatternSet, LogFilterPattern } from '../../src';

const TERRAFORM = 'arn:aws:sts::111111111111:assumed-role/terraform-apply/*';
const FUTURE = '2099-12-31';

const terraform = (extra: Partial<CisExclusion> = {}): CisExclusion => ({
  principalArns: [TERRAFORM], reason: 'nightly terraform apply', owner: 'platform-team', expires: FUTURE, ...extra,
});

function resources(props: Partial<CisLogMonitoringProps>): Record<string, any> {
  return synth(props).template.toJSON().Resources as Record<string, any>;
}

describe('exclusions leave the compliance layer exactly as it is', () => {
  test.each([
    ['created topic', {}],
    ['v1.2.0 set, SSO-aware off, threshold 2', { patternSet: CisPatternSet.CIS_V1_2_0, alarmThreshold: 2, okNotifications: true }],
  ])('%s: every resource of the stack without exclusions exists with the same logical ID and identical properties', (_name, base) => {
    const without = resources(base);
    const withExclusions = resources({
      ...base,
      exclusions: [terraform(), {
        pattern: '{ $.sourceIPAddress = "config.amazonaws.com" }',
        controls: [CisControl.CONFIG_CHANGES],
        reason: 'AWS Config recorder',
        owner: 'secops',
        expires: FUTURE,
      }],
      operationalEmails: ['oncall@example.com'],
    });
    // The heartbeat and tamper alarms (issue 20) also notify the operational topic when there is one: only their actions change.
    const actionless = (r: any) => (isSelfMonitoring(r) && r.Type === 'AWS::CloudWatch::Alarm'
      ? { ...r, Properties: { ...r.Properties, AlarmActions: undefined, OKActions: undefined } } : r);
    for (const [id, resource] of Object.entries(without)) {
      expect({ id, resource: actionless(withExclusions[id]) }).toEqual({ id, resource: actionless(resource) });
    }
    expect(Object.keys(withExclusions).length).toBeGreaterThan(Object.keys(without).length);
  });

  test('own topic: compliance alarms still notify it; the operational topic gets its own key', () => {
    const { stack, logGroup } = newStack();
    const ops = new sns.Topic(stack, 'OpsTopic');
    new CisLogMonitoring(stack, 'Cis', { logGroup, topic: ops, emails: ['secops@example.com'], exclusions: [terraform()], operationalEmails: ['oncall@example.com'] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: Match.stringLikeRegexp('root_usage_alarm$'), AlarmActions: [{ Ref: Match.stringLikeRegexp('^OpsTopic') }] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.stringLikeRegexp('root_usage_alarm_operational$'), AlarmActions: [{ Ref: Match.stringLikeRegexp('^CisOperationalTopic') }],
    });
  });
});

describe('the operational layer', () => {
  const { template, monitoring, stack } = synth({
    exclusions: [terraform({ controls: [CisControl.UNAUTHORIZED_API_CALLS, CisControl.IAM_POLICY_CHANGES] })],
    operationalEmails: ['oncall@example.com'],
  });

  test('pinned logical IDs of the added resources', () => {
    const added = {
      CisUnauthorizedApiCallsOperationalMetricFilter3F885304: 'AWS::Logs::MetricFilter',
      CisUnauthorizedApiCallsOperationalAlarmC24C32F3: 'AWS::CloudWatch::Alarm',
      CisIamPolicyChangesOperationalMetricFilterE32F20BE: 'AWS::Logs::MetricFilter',
      CisIamPolicyChangesOperationalAlarm03DF3D27: 'AWS::CloudWatch::Alarm',
      CisOperationalTopic0AD6104C: 'AWS::SNS::Topic',
      CisOperationalTopicPolicy91AB8B42: 'AWS::SNS::TopicPolicy',
      CisOperationalEmailoncallexamplecom28F9AD1F: 'AWS::SNS::Subscription',
    };
    const all = template.toJSON().Resources;
    const types = Object.fromEntries(Object.entries(all).filter(([id]) => /Operational/.test(id)).map(([id, r]: [string, any]) => [id, r.Type]));
    expect(types).toEqual(added);
  });

  test('one operational filter, metric and alarm per control the exclusion applies to, on the same log group and namespace', () => {
    template.resourceCountIs('AWS::Logs::MetricFilter', 17 + 5); // + the 5 tamper filters (issue 20)
    template.resourceCountIs('AWS::CloudWatch::Alarm', 17 + 2); // + heartbeat and tamper alarms
    for (const control of [CisControl.UNAUTHORIZED_API_CALLS, CisControl.IAM_POLICY_CHANGES]) {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterName: `${control.metricName}_operational`,
        LogGroupName: { Ref: Match.stringLikeRegexp('^TrailLogGroup') },
        MetricTransformations: [{ MetricName: `${control.metricName}_operational`, MetricNamespace: 'CISBenchmark', MetricValue: '1' }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: Match.stringLikeRegexp(`${control.alarmName}_operational$`),
        MetricName: `${control.metricName}_operational`,
        Namespace: 'CISBenchmark',
        AlarmActions: [{ Ref: 'CisOperationalTopic0AD6104C' }],
        AlarmDescription: Match.stringLikeRegexp('nightly terraform apply \\(owner platform-team, until 2099-12-31\\)'),
      });
      expect(monitoring.operationalAlarmFor(control).node.path).toBe(`TestStack/Cis/${control.constructId}/OperationalAlarm`);
      expect(monitoring.operationalMetricFilterFor(control).node.path).toBe(`TestStack/Cis/${control.constructId}/OperationalMetricFilter`);
    }
    expect(() => monitoring.operationalAlarmFor(CisControl.ROOT_ACCOUNT_USAGE)).toThrow(/no exclusion applies to it/);
    expect(monitoring.operationalTopic).toBeDefined();
    expect(warnings(stack)).toEqual([]);
  });

  test('the operational topic reuses the construct\'s key and lets only this construct\'s alarms publish', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CisTopicKey'), 'Arn'] },
      DisplayName: Match.stringLikeRegexp('operational'),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: 'CisOperationalTopic0AD6104C' }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchAlarmsToPublish', Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  test('the deployed operational pattern (evaluated by the engine) drops the excluded principal and keeps events without userIdentity.arn', () => {
    const pattern = LogFilterPattern.parse(patternsByMetric(template).unauthorized_api_calls_metric_operational);
    const base = { eventName: 'GetObject', sourceIPAddress: '198.51.100.7', errorCode: 'AccessDenied' };
    expect(pattern.matches({ ...base, userIdentity: { arn: 'arn:aws:sts::111111111111:assumed-role/terraform-apply/run-1' } })).toBe(false);
    expect(pattern.matches({ ...base, userIdentity: { type: 'AWSAccount', accountId: 'anonymous' } })).toBe(true);
    expect(pattern.matches(base)).toBe(true);
    expect(pattern.matches({ ...base, userIdentity: { arn: 'arn:aws:iam::111111111111:user/alice' } })).toBe(true);
    expect(pattern.matches({ ...base, errorCode: 'Throttling', userIdentity: { accountId: 'anonymous' } })).toBe(false);
  });

  test('compliance filters keep the exact catalog pattern', () => {
    const patterns = patternsByMetric(template);
    for (const control of CisPatternSet.RECOMMENDED.controls()) {
      expect(patterns[control.metricName]).toBe(control.patternFor(CisPatternSet.RECOMMENDED));
    }
  });
});

describe('exclusions are documented exceptions: bad input fails at synth, naming the exclusion', () => {
  const fails = (exclusion: Partial<CisExclusion>, message: RegExp, props: Partial<CisLogMonitoringProps> = {}) =>
    expect(() => synth({ exclusions: [terraform(), { ...terraform(), ...exclusion } as CisExclusion], ...props })).toThrow(message);

  test('an expired exclusion fails, naming it', () => {
    fails({ expires: '2024-01-31', owner: 'alice' }, /exclusions\[1\] \(owner "alice", reason "nightly terraform apply"\) expired on 2024-01-31/);
  });
  test.each(['2027-02-30', '31/12/2027', '2027-1-5', 'next year', ''])('expires "%s" is refused', (expires) => {
    fails({ expires }, expires === '' ? /exclusions\[1\] needs `expires`/ : /not an ISO date/);
  });
  test.each(['reason', 'owner'] as const)('a missing %s is refused', (field) => {
    fails({ [field]: ' ' }, new RegExp(`exclusions\\[1\\] needs \`${field}\``));
  });
  test('no criterion, empty lists, a "*" in the middle of an ARN, a match-everything ARN', () => {
    fails({ principalArns: undefined }, /names no events/);
    fails({ principalArns: [] }, /empty `principalArns`/);
    fails({ principalArns: ['arn:aws:iam::*:role/x'] }, /with a "\*" in the middle/);
    fails({ principalArns: ['*'] }, /matches every principal/);
    fails({ controls: [] }, /empty `controls`/);
  });
  test('a control that is not deployed, an invalid pattern, a wildcard selector', () => {
    fails({ controls: [CisControl.ORGANIZATIONS_CHANGES] }, /names control 4.15 .* which this construct does not deploy/, { controls: [CisControl.ROOT_ACCOUNT_USAGE] });
    fails({ pattern: '{ $.a = }' }, /invalid `pattern`: Expected a value/);
    fails({ principalArns: undefined, pattern: '{ $.resources[*].ARN = "x" }' }, /cannot be applied: the selector \$\.resources\[\*\]\.ARN has a wildcard/);
  });
  test('a condition on a field that may hold an object is refused at synth, naming the field to use (issue 18)', () => {
    fails({ principalArns: undefined, pattern: '{ $.userIdentity.sessionContext NOT EXISTS }' },
      /exclusions\[1\] .*cannot be applied: \$\.userIdentity\.sessionContext may hold an object or an array.*Write the condition on \$\.userIdentity\.sessionContext\.attributes\.creationDate/);
  });
  test('a pattern over 1024 characters fails naming the exclusion that costs the most', () => {
    const many = Array.from({ length: 12 }, (_, i) => `arn:aws:sts::111111111111:assumed-role/deployment-pipeline-number-${i}/*`);
    fails({ principalArns: many, owner: 'bob', controls: [CisControl.IAM_POLICY_CHANGES] },
      /operational pattern of control 4.4 .* is \d+ characters long; CloudWatch Logs allows at most 1024.*Shorten exclusions\[1\] \(owner "bob"/);
  });
  test('a warning when nobody subscribes to the operational topic', () => {
    const { stack } = synth({ exclusions: [terraform()] });
    expect(warnings(stack).join('\n')).toMatch(/operational topic has no subscriber/);
  });
});

describe('exclusions of the wrong shape or type fail at synth, naming the exclusion and the field (jsii languages pass anything)', () => {
  const fails = (exclusions: unknown, message: RegExp) => expect(() => synth({ exclusions: exclusions as CisExclusion[] })).toThrow(message);

  test.each([['a string', 'terraform'], ['an object', { principalArns: [TERRAFORM] }], ['a number', 3], ['null', null]])(
    'a non-array `exclusions` (%s) is refused, not ignored', (_name, value) => {
      fails(value, /CisLogMonitoring TestStack\/Cis: `exclusions` is (a string|an object|a number|null); expected an array of CisExclusion\./);
    });
  test.each([
    ['principalArns a string', { principalArns: TERRAFORM }, /exclusions\[1\] \(owner "platform-team", reason "nightly terraform apply"\) has `principalArns` that is a string; expected an array of ARN strings/],
    ['an ARN a number', { principalArns: [TERRAFORM, 7] }, /exclusions\[1\] .* has `principalArns\[1\]` that is a number; expected an ARN string/],
    ['pattern a number', { pattern: 42 }, /exclusions\[1\] .* has `pattern` that is a number; expected a filter pattern string/],
    ['pattern null', { pattern: null }, /exclusions\[1\] .* has `pattern` that is null; expected a filter pattern string/],
    ['controls an object', { controls: CisControl.ROOT_ACCOUNT_USAGE }, /exclusions\[1\] .* has `controls` that is an object; expected an array/],
    ['a control given as its id', { controls: ['4.3'] }, /exclusions\[1\] .* has `controls\[0\]` that is a string; expected a CisControl/],
    ['reason a number', { reason: 7 }, /exclusions\[1\] has `reason` that is a number; expected a non-empty string/],
    ['expires a Date', { expires: new Date('2099-01-01') }, /exclusions\[1\] has `expires` that is an object; expected a non-empty string/],
  ])('%s: refused naming the exclusion and the field', (_name, extra, message) => {
    fails([terraform(), { ...terraform(), ...extra }], message);
  });
  test('an exclusion that is not an object is refused', () => {
    fails([terraform(), 'terraform'], /exclusions\[1\] is a string; expected an object/);
  });
});

describe('a principal pattern that matches every principal is refused; narrower ones are accepted', () => {
  const build = (arn: string) => () => synth({ exclusions: [terraform({ principalArns: [arn] })] });
  test.each([
    ['*', 'nothing but wildcards'],
    ['**', 'nothing but wildcards'],
    ['*:*', 'every ARN has a ":"'],
    ['*::*', 'every principal ARN has an empty region'],
    ['arn:*', 'every ARN starts so'],
    ['a*', 'every ARN starts so'],
    ['arn:aws*', 'every ARN of every aws partition'],
    ['arn:aws:*', 'every principal of the aws partition'],
    ['arn:aws-cn:*', 'every principal of aws-cn'],
    ['arn:aws-us-gov*', 'every principal of aws-us-gov'],
    ['*aws*', 'in every ARN'],
    ['*rn:aws:*', 'in every ARN of the aws partition'],
    ['*:123456789012:*', 'every principal of the account'],
    ['*::123456789012:*', 'every principal of the account'],
    ['*123456789012*', 'every principal of the account'],
    ['*3456*', 'every principal of any account with those digits'],
  ])('%s is refused (%s)', (arn) => {
    expect(build(arn)).toThrow(new RegExp(`principal ARN "${arn.replace(/[*]/g, '\\*')}", which matches every principal`));
  });
  test.each([
    'arn:aws:iam::123456789012:role/Admin*',
    'arn:aws:sts::111111111111:assumed-role/terraform-apply/*',
    'arn:aws:iam::123456789012:user/alice',
    'arn:aws:iam::123456789012:root',
    'arn:aws:sts::*',
    'arn:aws:iam::123456789012:*',
    '*:root',
    '*:user/alice',
    '*/terraform-apply/*',
    '*:assumed-role/*',
    '*1234567890123*',
  ])('%s is accepted', (arn) => {
    expect(build(arn)).not.toThrow();
  });
});

test('the 100-filters-per-log-group check counts the operational filters', () => {
  const { stack, logGroup } = newStack();
  // 75 + 15 compliance + 6 operational + 5 tamper
  for (let i = 0; i < 75; i++) new logs.MetricFilter(stack, `Other${i}`, { logGroup, filterPattern: logs.FilterPattern.allEvents(), metricNamespace: 'X', metricName: `m${i}` });
  new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['a@example.com'], exclusions: [terraform({ controls: CisControl.all().slice(0, 6) })], operationalEmails: ['b@example.com'] });
  expect(() => Template.fromStack(stack)).toThrow(/would have 101 metric filters/);
});
