import { Duration, aws_cloudtrail as cloudtrail, aws_logs as logs, aws_sns_subscriptions as subs, aws_sqs as sqs } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { newStack, patternsByMetric, synth } from './helpers';
import { CisLogMonitoring, CisLogMonitoringProps, CisSeverity } from '../../src';
import { tamperEventNames } from '../../src/construct/self-monitoring';
import { LogFilterPattern } from '../../src/engine';
import { SILENCING_ACTIONS } from '../../src/organizations/silencing-actions';

const alarmNamed = (template: Template, suffix: string) => {
  const found = Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: Match.stringLikeRegexp(`${suffix}$`) } }));
  expect(found).toHaveLength(1);
  return (found[0] as any).Properties;
};
const heartbeat = (template: Template) => alarmNamed(template, 'delivery_heartbeat_alarm');
const tamperAlarm = (template: Template) => alarmNamed(template, 'monitoring_tamper_alarm');

describe('delivery heartbeat (issue 20 §1)', () => {
  test('on by default: IncomingLogEvents of the trail log group, missing data breaching, 12 x 5 minutes, notifies the alarm topic', () => {
    const { template } = synth();
    expect(heartbeat(template)).toEqual({
      AlarmName: 'TestStack-Cis-C322E0D3-delivery_heartbeat_alarm',
      AlarmDescription: expect.stringContaining('received no CloudTrail event for 1 hour'),
      Namespace: 'AWS/Logs',
      MetricName: 'IncomingLogEvents',
      Dimensions: [{ Name: 'LogGroupName', Value: { Ref: 'TrailLogGroup7A1F916A' } }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 12,
      DatapointsToAlarm: 12,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: 'CisTopicBFD955AA' }],
    });
  });

  test('deliveryHeartbeatPeriod sets the window: 6 hours is 72 five-minute periods, all of them breaching', () => {
    const props = heartbeat(synth({ deliveryHeartbeatPeriod: Duration.hours(6) }).template);
    expect([props.Period, props.EvaluationPeriods, props.DatapointsToAlarm]).toEqual([300, 72, 72]);
  });

  test.each([
    ['10 minutes (under three delivery intervals)', Duration.minutes(10)],
    ['25 hours (over one day of periods)', Duration.hours(25)],
    ['17 minutes (not a multiple of 5)', Duration.minutes(17)],
  ])('a window of %s is refused at synth', (_name, deliveryHeartbeatPeriod) => {
    expect(() => synth({ deliveryHeartbeatPeriod })).toThrow(/deliveryHeartbeatPeriod .* is outside 15 minutes \.\. 24 hours or not a multiple of 5 minutes/);
  });

  test('the bounds themselves are accepted', () => {
    expect(heartbeat(synth({ deliveryHeartbeatPeriod: Duration.minutes(15) }).template).EvaluationPeriods).toBe(3);
    expect(heartbeat(synth({ deliveryHeartbeatPeriod: Duration.hours(24) }).template).EvaluationPeriods).toBe(288);
  });

  test('deliveryHeartbeat: false adds no IncomingLogEvents alarm', () => {
    synth({ deliveryHeartbeat: false }).template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'IncomingLogEvents' }, 0);
  });

  test('a trail of the app: the dimension is the trail\'s own log group', () => {
    const { stack } = newStack();
    const trail = new cloudtrail.Trail(stack, 'Trail', { sendToCloudWatchLogs: true });
    new CisLogMonitoring(stack, 'Cis', { trail, emails: ['secops@example.com'] });
    expect(heartbeat(Template.fromStack(stack)).Dimensions).toEqual([{ Name: 'LogGroupName', Value: { Ref: 'TrailLogGroup4CBE3AF5' } }]);
  });
});

/** Exclusions (operational topic) and routes for CRITICAL and for MEDIUM: the self-monitoring alarms reach the first three. */
function withDestinations(extra: Partial<CisLogMonitoringProps> = {}): Template {
  const { stack, logGroup } = newStack();
  const queue = new sqs.Queue(stack, 'Triage', { enforceSSL: true });
  new CisLogMonitoring(stack, 'Cis', {
    logGroup,
    emails: ['secops@example.com'],
    exclusions: [{ principalArns: ['arn:aws:sts::111111111111:assumed-role/terraform-apply/*'], reason: 'terraform', owner: 'platform', expires: '2099-12-31' }],
    operationalEmails: ['oncall@example.com'],
    severityRoutes: [
      { severities: [CisSeverity.CRITICAL], subscriptions: [new subs.UrlSubscription('https://events.pagerduty.com/integration/KEY/enqueue')] },
      { severities: [CisSeverity.MEDIUM], subscriptions: [new subs.SqsSubscription(queue)] },
    ],
    ...extra,
  });
  return Template.fromStack(stack);
}

describe('destinations of the self-monitoring alarms', () => {
  test('heartbeat and tamper alarms notify the alarm topic, the operational topic and the CRITICAL route, not the MEDIUM route', () => {
    const template = withDestinations({ okNotifications: true });
    const topics = Object.keys(template.findResources('AWS::SNS::Topic'));
    const operational = topics.find((t) => t.startsWith('CisOperational'))!;
    const critical = topics.find((t) => t.startsWith('CisRoutesRouteCritical'))!;
    const medium = topics.find((t) => t.startsWith('CisRoutesRouteMedium'))!;
    expect([operational, critical, medium].every(Boolean)).toBe(true);
    for (const props of [heartbeat(template), tamperAlarm(template)]) {
      const refs = props.AlarmActions.map((a: any) => a.Ref);
      expect(refs.sort()).toEqual(['CisTopicBFD955AA', operational, critical].sort());
      expect(props.OKActions.map((a: any) => a.Ref).sort()).toEqual(refs.sort());
    }
  });
});

/** The tamper patterns of a construct on a literal log group name, so that the engine can evaluate them. */
function tamperPatterns(props: Partial<CisLogMonitoringProps> = {}): LogFilterPattern[] {
  const { stack } = newStack();
  const logGroup = logs.LogGroup.fromLogGroupName(stack, 'Named', 'aws-cloudtrail-logs-org');
  new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['secops@example.com'], alarmNamePrefix: 'Prod-', ...props });
  const filters = Template.fromStack(stack).findResources('AWS::Logs::MetricFilter', {
    Properties: { MetricTransformations: [{ MetricName: 'monitoring_tamper_metric', MetricNamespace: 'CISBenchmark', MetricValue: '1' }] },
  });
  return Object.values(filters).map((f: any) => LogFilterPattern.parse(f.Properties.FilterPattern));
}

/** A CloudTrail record (the shape of test/fixtures/cloudtrail) of an IAM user's call. */
function event(eventSource: string, eventName: string, requestParameters: object, invokedBy?: string): object {
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111111111111:user/mallory',
      accountId: '111111111111',
      userName: 'mallory',
      ...(invokedBy ? { invokedBy } : {}),
    },
    eventTime: '2026-12-07T03:00:00Z',
    eventSource,
    eventName,
    awsRegion: 'eu-west-1',
    sourceIPAddress: invokedBy ?? '198.51.100.7',
    userAgent: 'aws-cli/2.17.0',
    requestParameters,
    responseElements: null,
    eventType: 'AwsApiCall',
    recipientAccountId: '111111111111',
  };
}

const pages = (patterns: LogFilterPattern[], e: object) => patterns.some((p) => p.matches(e));
const CFN = 'cloudformation.amazonaws.com';

describe('tamper control (issue 20 §2), evaluated by the engine on CloudTrail-shaped events', () => {
  const patterns = tamperPatterns();

  test('a manual DeleteAlarms of a construct alarm pages; the same call made by CloudFormation does not', () => {
    expect(pages(patterns, event('monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['Prod-root_usage_alarm'] }))).toBe(true);
    expect(pages(patterns, event('monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['Prod-root_usage_alarm'] }, CFN))).toBe(false);
  });

  test('a construct alarm anywhere in the list of names pages; a list of unrelated alarms does not', () => {
    expect(pages(patterns, event('monitoring.amazonaws.com', 'DisableAlarmActions', { alarmNames: ['billing', 'Prod-monitoring_tamper_alarm'] }))).toBe(true);
    expect(pages(patterns, event('monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['billing-alarm', 'Staging-root_usage_alarm'] }))).toBe(false);
  });

  test('PutMetricAlarm and SetAlarmState name one alarm: scoped to the prefix', () => {
    expect(pages(patterns, event('monitoring.amazonaws.com', 'PutMetricAlarm', { alarmName: 'Prod-root_usage_alarm', actionsEnabled: false }))).toBe(true);
    expect(pages(patterns, event('monitoring.amazonaws.com', 'SetAlarmState', { alarmName: 'Prod-delivery_heartbeat_alarm', stateValue: 'ALARM' }))).toBe(true);
    expect(pages(patterns, event('monitoring.amazonaws.com', 'PutMetricAlarm', { alarmName: 'cpu-high' }))).toBe(false);
  });

  test('metric filter and log group calls are scoped to the trail log group', () => {
    expect(pages(patterns, event('logs.amazonaws.com', 'PutMetricFilter', { logGroupName: 'aws-cloudtrail-logs-org', filterName: 'root_usage_metric' }))).toBe(true);
    expect(pages(patterns, event('logs.amazonaws.com', 'DeleteLogGroup', { logGroupName: 'aws-cloudtrail-logs-org' }))).toBe(true);
    expect(pages(patterns, event('logs.amazonaws.com', 'PutDataProtectionPolicy',
      { logGroupIdentifier: 'arn:aws:logs:eu-west-1:111111111111:log-group:aws-cloudtrail-logs-org' }))).toBe(true);
    expect(pages(patterns, event('logs.amazonaws.com', 'DeleteMetricFilter', { logGroupName: '/aws/lambda/app', filterName: 'errors' }))).toBe(false);
    expect(pages(patterns, event('logs.amazonaws.com', 'PutMetricFilter', { logGroupName: 'aws-cloudtrail-logs-org' }, CFN))).toBe(false);
  });

  test('topic, subscription, key and trail calls page by event name (their requests name ARNs known only at deploy)', () => {
    expect(pages(patterns, event('sns.amazonaws.com', 'Unsubscribe', { subscriptionArn: 'arn:aws:sns:eu-west-1:111111111111:any:1234' }))).toBe(true);
    expect(pages(patterns, event('sns.amazonaws.com', 'SetSubscriptionAttributes', { attributeName: 'FilterPolicy' }))).toBe(true);
    expect(pages(patterns, event('kms.amazonaws.com', 'ScheduleKeyDeletion', { keyId: 'k', pendingWindowInDays: 7 }))).toBe(true);
    expect(pages(patterns, event('cloudtrail.amazonaws.com', 'PutEventSelectors', { trailName: 't' }))).toBe(true);
    expect(pages(patterns, event('kms.amazonaws.com', 'DisableKey', { keyId: 'k' }, CFN))).toBe(false);
  });

  test('calls that cannot silence anything do not page: reads, additions, the considered-and-allowed actions', () => {
    for (const [source, name] of [['monitoring.amazonaws.com', 'DescribeAlarms'], ['sns.amazonaws.com', 'Subscribe'], ['logs.amazonaws.com', 'PutRetentionPolicy'],
      ['cloudtrail.amazonaws.com', 'StartLogging'], ['kms.amazonaws.com', 'CreateGrant']]) {
      expect([name, pages(patterns, event(source, name, { alarmNames: ['Prod-root_usage_alarm'], logGroupName: 'aws-cloudtrail-logs-org' }))]).toEqual([name, false]);
    }
  });

  test('the event name alone is not enough: the same name from another service does not page (eventSource is part of the pattern)', () => {
    expect(pages(patterns, event('iot.amazonaws.com', 'DeleteTopic', {}))).toBe(false);
  });

  test('every action the tamper-protection table denies is an event name of a tamper pattern (one source of truth)', () => {
    const { stack } = newStack();
    const trail = new cloudtrail.Trail(stack, 'Trail', { sendToCloudWatchLogs: true });
    new CisLogMonitoring(stack, 'Cis', { trail, emails: ['secops@example.com'] });
    const filters = Template.fromStack(stack).findResources('AWS::Logs::MetricFilter', { Properties: { FilterName: Match.stringLikeRegexp('monitoring_tamper_metric_') } });
    const text = JSON.stringify(filters);
    const denied = Object.values(SILENCING_ACTIONS).flatMap((e) => e.protects?.deny ?? []).map((d) => d.action.split(':')[1]);
    expect(denied.length).toBeGreaterThan(20);
    for (const name of denied) expect([name, text.includes(`($.eventName=\\"${name}\\")`)]).toEqual([name, true]);
    const derived = [...tamperEventNames()].flatMap(([service, names]) => names.map((n) => `${service}:${n}`));
    const table = [...new Set(Object.values(SILENCING_ACTIONS).flatMap((e) => e.protects?.deny ?? []).map((d) => d.action))];
    expect(derived.sort()).toEqual(table.sort());
  });

  test('IAM calls are matched only on the trail\'s delivery role, and only when the construct knows it (a trail of the app)', () => {
    const { stack } = newStack();
    const trail = new cloudtrail.Trail(stack, 'Trail', { sendToCloudWatchLogs: true });
    new CisLogMonitoring(stack, 'Cis', { trail, emails: ['secops@example.com'] });
    const iam = Template.fromStack(stack).findResources('AWS::Logs::MetricFilter', { Properties: { FilterName: Match.stringLikeRegexp('monitoring_tamper_metric_iam$') } });
    expect(JSON.stringify(Object.values(iam))).toContain('$.requestParameters.roleName=\\"",{"Ref":"TrailLogsRole83B70503"}');
    synth().template.resourcePropertiesCountIs('AWS::Logs::MetricFilter', { FilterName: Match.stringLikeRegexp('monitoring_tamper_metric_iam$') }, 0);
  });

  test('every tamper pattern passes the engine\'s limits (1,024 characters, selector wildcards)', () => {
    for (const p of tamperPatterns({ alarmNamePrefix: 'A-very-long-prefix-of-an-organization-with-many-accounts-and-stacks-' })) {
      expect(p.limitViolations()).toEqual([]);
    }
  });

  test('tamperAlarm: false adds no tamper filter and no tamper alarm', () => {
    const { template } = synth({ tamperAlarm: false });
    template.resourcePropertiesCountIs('AWS::Logs::MetricFilter', { FilterName: Match.stringLikeRegexp('tamper') }, 0);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'monitoring_tamper_metric' }, 0);
  });

  test('the tamper alarm: Sum of monitoring_tamper_metric >= 1 over the alarm period, missing data not breaching', () => {
    const props = tamperAlarm(synth({ alarmPeriod: Duration.minutes(10) }).template);
    expect(props).toMatchObject({
      Namespace: 'CISBenchmark',
      MetricName: 'monitoring_tamper_metric',
      Statistic: 'Sum',
      Period: 600,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'CisTopicBFD955AA' }],
    });
  });
});

describe('the CIS controls are untouched by the self-monitoring', () => {
  test('the 15 compliance filter patterns are byte-identical with and without heartbeat and tamper control', () => {
    const on = patternsByMetric(synth().template);
    const off = patternsByMetric(synth({ deliveryHeartbeat: false, tamperAlarm: false }).template);
    expect(Object.keys(off)).toHaveLength(15);
    for (const [metric, pattern] of Object.entries(off)) expect([metric, on[metric]]).toEqual([metric, pattern]);
    expect(Object.keys(on)).toEqual(Object.keys(off));
    const all = Object.values(synth().template.findResources('AWS::Logs::MetricFilter')).map((f: any) => f.Properties.MetricTransformations[0].MetricName);
    expect(all.filter((m) => !(m in off))).toEqual(Array(5).fill('monitoring_tamper_metric'));
  });
});
