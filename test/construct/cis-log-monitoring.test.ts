import { CfnParameter, Duration, aws_kms as kms, aws_sns as sns, aws_sns_subscriptions as subs, aws_sqs as sqs } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { cfnText, isSelfMonitoring, newStack, patternsByMetric, synth, warnings } from './helpers';
import { CisControl, CisLogMonitoring, CisPatternSet } from '../../src';

describe('default deployment', () => {
  const { template, monitoring } = synth();

  test('one metric filter and one alarm per control of the RECOMMENDED set, one topic, one key, one subscription', () => {
    // + the self-monitoring of issue 20 (docs/self-monitoring.md): 5 tamper filters, the heartbeat and tamper alarms
    template.resourceCountIs('AWS::Logs::MetricFilter', 15 + 5);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 15 + 2);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    expect(monitoring.patternSet).toBe(CisPatternSet.RECOMMENDED);
    expect(monitoring.alarms).toHaveLength(15);
    expect(monitoring.metricFilters).toHaveLength(15);
  });

  test('filters carry the catalog pattern, the benchmark metric name as metric and filter name, namespace CISBenchmark, value 1', () => {
    for (const control of CisPatternSet.RECOMMENDED.controls()) {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterName: control.metricName,
        FilterPattern: control.patternFor(CisPatternSet.RECOMMENDED),
        LogGroupName: { Ref: Match.stringLikeRegexp('^TrailLogGroup') },
        MetricTransformations: [{ MetricName: control.metricName, MetricNamespace: 'CISBenchmark', MetricValue: '1' }],
      });
    }
  });

  test('alarms are as the benchmark prescribes and notify the topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) => !isSelfMonitoring(a));
    expect(alarms).toHaveLength(15);
    for (const alarm of alarms as any[]) {
      expect(alarm.Properties).toMatchObject({
        Namespace: 'CISBenchmark',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: expect.stringMatching(/^CisTopic/) }],
      });
      expect(alarm.Properties.Unit).toBeUndefined();
      expect(alarm.Properties.OKActions).toBeUndefined();
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: Match.stringLikeRegexp('^TestStack-Cis-[0-9A-F]{8}-root_usage_alarm$'),
      MetricName: 'root_usage_metric',
    });
  });

  test('the alarm reads the metric its filter writes', () => {
    const filter = monitoring.metricFilterFor(CisControl.ROUTE_TABLE_CHANGES);
    const alarm = monitoring.alarmFor(CisControl.ROUTE_TABLE_CHANGES);
    expect(alarm.metric.toMetricConfig().metricStat).toMatchObject({ metricName: 'route_table_changes_metric', namespace: 'CISBenchmark' });
    expect(filter.node.path).toBe('TestStack/Cis/RouteTableChanges/MetricFilter');
  });

  test('topic is encrypted with a customer managed key with rotation, whose policy lets CloudWatch alarms of this account use it', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CisTopicKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0] as any;
    const statement = key.Properties.KeyPolicy.Statement.find((s: any) => s.Sid === 'AllowCloudWatchAlarmsToUseTheKey');
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
    });
    expect(cfnText(statement.Condition.ArnLike['aws:SourceArn'])).toMatch(
      /^arn:\$\{AWS::Partition\}:cloudwatch:eu-west-1:111111111111:alarm:TestStack-Cis-[0-9A-F]{8}-\*$/);
  });

  test('topic policy: CloudWatch alarms of this account may publish, publishing without TLS is denied, no Allow to a wildcard principal', () => {
    const policies = template.findResources('AWS::SNS::TopicPolicy');
    expect(Object.keys(policies)).toHaveLength(1);
    const statements = (Object.values(policies)[0] as any).Properties.PolicyDocument.Statement as any[];
    expect(statements).toContainEqual(expect.objectContaining({
      Sid: 'AllowCloudWatchAlarmsToPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': '111111111111' } }),
    }));
    expect(statements).toContainEqual(expect.objectContaining({
      Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
    const wildcardAllows = statements.filter((s) => s.Effect === 'Allow' && (s.Principal === '*' || s.Principal?.AWS === '*'));
    expect(wildcardAllows).toEqual([]);
  });

  test('one e-mail subscription per address', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'secops@example.com', TopicArn: { Ref: Match.anyValue() } });
  });
});

describe('options', () => {
  test('ssoAwareMfaFilter switches only the MFA control to the SSO-aware pattern', () => {
    const plain = patternsByMetric(synth().template);
    const sso = patternsByMetric(synth({ ssoAwareMfaFilter: true }).template);
    expect(sso.no_mfa_console_signin_metric).toBe(CisControl.CONSOLE_SIGNIN_WITHOUT_MFA.patternFor(CisPatternSet.RECOMMENDED, true));
    expect(sso.no_mfa_console_signin_metric).toContain('($.userIdentity.type = "IAMUser")');
    expect({ ...sso, no_mfa_console_signin_metric: '' }).toEqual({ ...plain, no_mfa_console_signin_metric: '' });
  });

  test.each(CisPatternSet.all().map((set) => [set.name, set]))('pattern set %s deploys its own strings', (_name, set) => {
    const { template } = synth({ patternSet: set });
    expect(patternsByMetric(template)).toEqual(Object.fromEntries(set.controls().map((c) => [c.metricName, c.patternFor(set)])));
  });

  test.each([['CIS_V6_0_0', CisPatternSet.CIS_V6_0_0], ['CIS_V7_0_0', CisPatternSet.CIS_V7_0_0]])('%s alarms carry the section-5 ids', (name, set) => {
    const { template, monitoring } = synth({ patternSet: set });
    template.resourceCountIs('AWS::CloudWatch::Alarm', 15 + 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'root_usage_metric',
      AlarmDescription: `Ensure usage of 'root' account is monitored (CIS 5.3, pattern set ${name}). `
        + 'Triggered by CloudTrail events matching the metric filter of the same metric name. '
        + 'Who did it: Logs Insights saved query "cis-log-monitoring/TestStack-Cis-C322E0D3/4.3 root_usage_alarm".',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'organizations_changes',
      AlarmDescription: Match.stringLikeRegexp(`\\(CIS 5\\.15, pattern set ${name}\\)`),
    });
    // Construct IDs do not depend on the set: switching sets replaces no resource.
    expect(monitoring.alarmFor(CisControl.ROOT_ACCOUNT_USAGE).node.path).toBe('TestStack/Cis/RootAccountUsage/Alarm');
  });

  test('CIS v1.2.0 deploys 14 controls', () => {
    synth({ patternSet: CisPatternSet.CIS_V1_2_0 }).template.resourceCountIs('AWS::CloudWatch::Alarm', 14 + 2);
  });

  test('a subset of controls, plus a custom one', () => {
    const custom = CisControl.custom({ id: 'ACME.1', title: 'Break-glass role used', pattern: '{ $.userIdentity.arn = "*break-glass*" }', metricName: 'break_glass_metric' });
    const { template, monitoring } = synth({ controls: [CisControl.ROOT_ACCOUNT_USAGE, custom] });
    template.resourceCountIs('AWS::Logs::MetricFilter', 2 + 5);
    template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterName: 'break_glass_metric', FilterPattern: '{ $.userIdentity.arn = "*break-glass*" }' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: Match.stringLikeRegexp('-break_glass_alarm$'), MetricName: 'break_glass_metric' });
    expect(monitoring.alarmFor(custom).node.path).toBe('TestStack/Cis/CustomACME1/Alarm');
    expect(() => monitoring.alarmFor(CisControl.VPC_CHANGES)).toThrow('CisLogMonitoring TestStack/Cis does not deploy control 4.14 (VPC_CHANGES); it deploys 4.3, ACME.1.');
  });

  test('additionalControls come after every control of the set', () => {
    const custom = CisControl.custom({ id: 'ACME.2', title: 'Custom', pattern: '{ $.eventName = "DeleteBucket" }', metricName: 'delete_bucket_metric' });
    const { template, monitoring } = synth({ patternSet: CisPatternSet.CIS_V5_0_0, additionalControls: [custom] });
    template.resourceCountIs('AWS::Logs::MetricFilter', 16 + 5);
    expect(monitoring.controls.map((c) => c.id)).toEqual([...CisPatternSet.CIS_V5_0_0.controls().map((c) => c.id), 'ACME.2']);
    expect(() => synth({ additionalControls: [CisControl.VPC_CHANGES] })).toThrow(/control 4.14 \(VPC_CHANGES\) is listed twice/);
  });

  test('namespace, alarm name prefix, period, threshold and OK notifications', () => {
    const { template } = synth({
      metricNamespace: 'Security/CIS', alarmNamePrefix: 'prod-', alarmPeriod: Duration.minutes(1), alarmThreshold: 3, okNotifications: true,
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', { MetricTransformations: [Match.objectLike({ MetricNamespace: 'Security/CIS' })] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'prod-root_usage_alarm',
      Namespace: 'Security/CIS',
      Period: 60,
      Threshold: 3,
      OKActions: [{ Ref: Match.stringLikeRegexp('^CisTopic') }],
    });
    const policy = Object.values(template.findResources('AWS::SNS::TopicPolicy'))[0] as any;
    const publish = policy.Properties.PolicyDocument.Statement.find((s: any) => s.Sid === 'AllowCloudWatchAlarmsToPublish');
    expect(cfnText(publish.Condition.ArnLike['aws:SourceArn'])).toMatch(/:alarm:prod-\*$/);
  });

  test('two instances in one stack get distinct alarm names', () => {
    const { stack, logGroup } = newStack();
    new CisLogMonitoring(stack, 'A', { logGroup, emails: ['a@example.com'], controls: [CisControl.ROOT_ACCOUNT_USAGE] });
    new CisLogMonitoring(stack, 'B', { logGroup, emails: ['b@example.com'], controls: [CisControl.VPC_CHANGES] });
    const names = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties.AlarmName);
    expect(new Set(names).size).toBe(2 * 3); // a control, the heartbeat and the tamper alarm each
    expect(names[0].startsWith('TestStack-A-')).toBe(true);
  });

  test('your own topic: no topic or key is created; alarms and subscriptions use it; CloudWatch may publish', () => {
    const { stack, logGroup } = newStack();
    const topic = new sns.Topic(stack, 'OpsTopic');
    const monitoring = new CisLogMonitoring(stack, 'Cis', { logGroup, topic, emails: ['secops@example.com'] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(monitoring.topic).toBe(topic);
    expect(monitoring.topicEncryptionKey).toBeUndefined();
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('^OpsTopic') }] });
    template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: Match.stringLikeRegexp('^OpsTopic') } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchAlarmsToPublish' })]) },
    });
  });

  test('your own encrypted topic: its key policy lets CloudWatch use the key', () => {
    const { stack, logGroup } = newStack();
    const masterKey = new kms.Key(stack, 'OpsKey');
    new CisLogMonitoring(stack, 'Cis', { logGroup, topic: new sns.Topic(stack, 'OpsTopic', { masterKey }), emails: ['secops@example.com'] });
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchAlarmsToUseTheKey' })]) },
    });
  });

  test('your own key for the created topic gets the CloudWatch statement', () => {
    const { stack, logGroup } = newStack();
    const key = new kms.Key(stack, 'MyKey');
    const monitoring = new CisLogMonitoring(stack, 'Cis', { logGroup, topicEncryptionKey: key, emails: ['secops@example.com'] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(monitoring.topicEncryptionKey).toBe(key);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^MyKey'), 'Arn'] } });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchAlarmsToUseTheKey' })]) },
    });
  });

  test('an imported key gets a warning: its policy must be changed by hand', () => {
    const { stack, logGroup } = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    new CisLogMonitoring(stack, 'Cis', { logGroup, topicEncryptionKey: key, emails: ['secops@example.com'] });
    expect(warnings(stack).join('\n')).toMatch(/KMS key is imported.*cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey\*/);
  });

  test('other subscription protocols', () => {
    const { stack, logGroup } = newStack();
    const queue = new sqs.Queue(stack, 'Queue');
    new CisLogMonitoring(stack, 'Cis', { logGroup, subscriptions: [new subs.SqsSubscription(queue)] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs' });
    expect(warnings(stack)).toEqual([]);
  });

  test('no subscriber at all: a warning, because nobody would be notified and audit step 7 fails', () => {
    const { stack, logGroup } = newStack();
    new CisLogMonitoring(stack, 'Cis', { logGroup });
    expect(warnings(stack).join('\n')).toMatch(/no subscriber.*audit step 7/);
  });

  test('unresolved e-mail tokens pass validation and get construct ids derived from their expression, not their position', () => {
    const { stack, logGroup } = newStack();
    const email = new CfnParameter(stack, 'Email').valueAsString;
    new CisLogMonitoring(stack, 'Cis', { logGroup, emails: [email] });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', { Endpoint: { Ref: 'Email' } });
    const ids = stack.node.tryFindChild('Cis')!.node.children.map((c) => c.node.id).filter((id) => id.startsWith('Email'));
    // sha256 of '{"Ref":"Email"}', first 12 hex digits: pinned, because the construct ID is the subscription's identity.
    expect(ids).toEqual(['EmailToken-af665699f43e']);
  });
});
