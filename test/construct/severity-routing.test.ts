import { readFileSync } from 'fs';
import { join } from 'path';
import { aws_chatbot as chatbot, aws_sns as sns, aws_sns_subscriptions as subs, aws_sqs as sqs } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { newStack, synth } from './helpers';
import { CisControl, CisLogMonitoring, CisLogMonitoringProps, CisSeverity } from '../../src';

const DEFAULTS: Record<string, string> = {
  UNAUTHORIZED_API_CALLS: 'MEDIUM',
  CONSOLE_SIGNIN_WITHOUT_MFA: 'HIGH',
  ROOT_ACCOUNT_USAGE: 'CRITICAL',
  IAM_POLICY_CHANGES: 'HIGH',
  CLOUDTRAIL_CONFIG_CHANGES: 'CRITICAL',
  CONSOLE_AUTH_FAILURES: 'LOW',
  CMK_DISABLE_OR_DELETION: 'CRITICAL',
  S3_BUCKET_POLICY_CHANGES: 'HIGH',
  CONFIG_CHANGES: 'HIGH',
  SECURITY_GROUP_CHANGES: 'MEDIUM',
  NACL_CHANGES: 'MEDIUM',
  NETWORK_GATEWAY_CHANGES: 'MEDIUM',
  ROUTE_TABLE_CHANGES: 'MEDIUM',
  VPC_CHANGES: 'MEDIUM',
  ORGANIZATIONS_CHANGES: 'HIGH',
};

/** The alarm's actions as a list of logical IDs. */
function actionsOf(template: Template, alarmNameSuffix: string): string[] {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
    .filter((a: any) => (a.Properties.AlarmName as string).endsWith(alarmNameSuffix));
  expect(alarms).toHaveLength(1);
  return (alarms[0] as any).Properties.AlarmActions.map((a: any) => a.Ref);
}

describe('severity', () => {
  test('default severities of the built-in controls (a change here is a change for every user\'s paging)', () => {
    expect(Object.fromEntries(CisControl.all().map((c) => [c.key, c.severity.name]))).toEqual(DEFAULTS);
  });

  test('the table of docs/severity-routes.md states the same defaults, with a reason for each', () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'docs', 'severity-routes.md'), 'utf8');
    for (const control of CisControl.all()) {
      expect(readme).toMatch(new RegExp(`\\| ${control.id.replace('.', '\\.')} \\| [^|]+ \\| ${control.severity.name} \\| [^|]{20,}\\|`));
    }
  });

  test('custom controls: HIGH unless chosen', () => {
    const base = { id: 'ACME.1', title: 'Break-glass', pattern: '{ $.a = "b" }', metricName: 'break_glass_metric' };
    expect(CisControl.custom(base).severity).toBe(CisSeverity.HIGH);
    expect(CisControl.custom({ ...base, severity: CisSeverity.CRITICAL }).severity).toBe(CisSeverity.CRITICAL);
    expect(CisSeverity.fromName('low')).toBe(CisSeverity.LOW);
    expect(() => CisSeverity.fromName('urgent')).toThrow(/Unknown severity "urgent"/);
  });
});

describe('routing by severity', () => {
  test('without routes every alarm notifies the alarm topic only (single-topic default)', () => {
    const { template } = synth();
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm')) as any[]) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: 'CisTopicBFD955AA' }]);
    }
  });

  test('AWS Chatbot: CRITICAL alarms also notify the topic a Slack channel subscribes to; other alarms do not', () => {
    const { stack, logGroup } = newStack();
    const chatTopic = new sns.Topic(stack, 'ChatTopic');
    new chatbot.SlackChannelConfiguration(stack, 'Slack', {
      slackChannelConfigurationName: 'security-critical', slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0123ABCD', notificationTopics: [chatTopic],
    });
    const monitoring = new CisLogMonitoring(stack, 'Cis', {
      logGroup, emails: ['secops@example.com'], severityRoutes: [{ severities: [CisSeverity.CRITICAL], topic: chatTopic }],
    });
    const template = Template.fromStack(stack);
    const chat = Object.keys(template.findResources('AWS::SNS::Topic')).find((id) => id.startsWith('ChatTopic'))!;
    for (const control of CisControl.all()) {
      const expected = control.severity === CisSeverity.CRITICAL ? ['CisTopicBFD955AA', chat] : ['CisTopicBFD955AA'];
      expect({ control: control.key, actions: actionsOf(template, control.alarmName) }).toEqual({ control: control.key, actions: expected });
    }
    template.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', { SnsTopicArns: [{ Ref: chat }] });
    // CloudWatch may publish to the chat topic, only for this construct's alarms.
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: chat }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Condition: Match.objectLike({ ArnLike: Match.anyValue() }) })]) },
    });
    expect(monitoring.routeTopicsFor(CisSeverity.CRITICAL).map((t) => t.node.path)).toEqual(['TestStack/ChatTopic']);
    expect(monitoring.routeTopicsFor(CisSeverity.LOW)).toEqual([]);
  });

  test('HTTPS endpoint (PagerDuty style) and SQS: created route topics, encrypted with the construct\'s key, with pinned logical IDs', () => {
    const { stack, logGroup } = newStack();
    const queue = new sqs.Queue(stack, 'Triage', { enforceSSL: true });
    new CisLogMonitoring(stack, 'Cis', {
      logGroup,
      emails: ['secops@example.com'],
      severityRoutes: [
        { severities: [CisSeverity.CRITICAL, CisSeverity.HIGH], subscriptions: [new subs.UrlSubscription('https://events.pagerduty.com/integration/abc123/enqueue')] },
        { severities: [CisSeverity.MEDIUM, CisSeverity.LOW], subscriptions: [new subs.SqsSubscription(queue)] },
      ],
    });
    const template = Template.fromStack(stack);
    const topics = Object.keys(template.findResources('AWS::SNS::Topic'));
    expect(topics.sort()).toEqual(['CisRoutesRouteCriticalHighTopic91865ADC', 'CisRoutesRouteMediumLowTopic035B5811', 'CisTopicBFD955AA'].sort());
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https', Endpoint: 'https://events.pagerduty.com/integration/abc123/enqueue', TopicArn: { Ref: 'CisRoutesRouteCriticalHighTopic91865ADC' },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', TopicArn: { Ref: 'CisRoutesRouteMediumLowTopic035B5811' } });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CisTopicKey'), 'Arn'] } });
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(actionsOf(template, 'root_usage_alarm')).toEqual(['CisTopicBFD955AA', 'CisRoutesRouteCriticalHighTopic91865ADC']);
    expect(actionsOf(template, CisControl.CONSOLE_AUTH_FAILURES.alarmName)).toEqual(['CisTopicBFD955AA', 'CisRoutesRouteMediumLowTopic035B5811']);
  });

  test('with exclusions, the route receives the operational alarm; the compliance alarm keeps its actions', () => {
    const { template } = synth({
      exclusions: [{ principalArns: ['arn:aws:iam::111111111111:role/ops'], controls: [CisControl.ROOT_ACCOUNT_USAGE], reason: 'r', owner: 'o', expires: '2099-01-01' }],
      operationalEmails: ['oncall@example.com'],
      severityRoutes: [{ severities: [CisSeverity.CRITICAL], subscriptions: [new subs.UrlSubscription('https://example.com/hook')] }],
    });
    expect(actionsOf(template, 'root_usage_alarm')).toEqual(['CisTopicBFD955AA']);
    expect(actionsOf(template, 'root_usage_alarm_operational')).toEqual([expect.stringMatching(/^CisOperationalTopic/), 'CisRoutesRouteCriticalTopic9A17DB92']);
    expect(actionsOf(template, 'cloudtrail_cfg_changes_alarm')).toEqual(['CisTopicBFD955AA', 'CisRoutesRouteCriticalTopic9A17DB92']);
  });

  test.each([
    [{ severities: [] }, /severityRoutes\[0\] has no severities/],
    [{ severities: [CisSeverity.LOW] }, /neither a topic nor subscriptions/],
  ] as [any, RegExp][])('bad route %#', (route, message) => {
    expect(() => synth({ severityRoutes: [route] } as Partial<CisLogMonitoringProps>)).toThrow(message);
  });

  test('two created routes for the same severities are refused', () => {
    const hook = new subs.UrlSubscription('https://example.com/hook');
    const route = { severities: [CisSeverity.LOW], subscriptions: [hook] };
    expect(() => synth({ severityRoutes: [route, route] })).toThrow(/severityRoutes\[1\] creates a second topic for the same severities \(RouteLow\)/);
  });
});
