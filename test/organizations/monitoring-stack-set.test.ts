import { App, Stack, aws_sns as sns } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CisControl, CisMonitoringStackSet, CisMonitoringStackSetProps } from '../../src';
import { checkTemplates } from '../../src/verdicts/check';

const OU = 'ou-ab12-3cd4ef56';

function build(props: Partial<CisMonitoringStackSetProps> = {}) {
  const stack = new Stack(new App(), 'Management', { env: { account: '999999999999', region: 'us-east-1' } });
  const stackSet = new CisMonitoringStackSet(stack, 'CisEverywhere', {
    organizationalUnitIds: [OU],
    regions: ['eu-west-1', 'us-east-1'],
    trailLogGroupName: 'aws-controltower/CloudTrailLogs',
    emails: ['secops@example.com'],
    ...props,
  });
  const template = Template.fromStack(stack);
  return { stack, stackSet, template, member: JSON.parse(stackSet.templateBody) };
}

describe('CisMonitoringStackSet (issue 11 part 3)', () => {
  test('a service-managed StackSet with automatic deployment to the OUs, template inline', () => {
    const { template, stackSet } = build();
    template.resourceCountIs('AWS::CloudFormation::StackSet', 1);
    template.hasResourceProperties('AWS::CloudFormation::StackSet', {
      StackSetName: 'cis-log-monitoring',
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      CallAs: 'SELF',
      ManagedExecution: { Active: true },
      Parameters: [{ ParameterKey: 'TrailLogGroupName', ParameterValue: 'aws-controltower/CloudTrailLogs' }],
      StackInstancesGroup: [{ DeploymentTargets: { OrganizationalUnitIds: [OU] }, Regions: ['eu-west-1', 'us-east-1'] }],
      TemplateBody: stackSet.templateBody,
    });
    expect(template.toJSON().Resources).not.toHaveProperty(['CisEverywhere', 'Properties', 'TemplateURL']);
  });

  test('the per-account template fits inline (< 51,200 bytes), also with every option', () => {
    const { stackSet } = build();
    const bytes = Buffer.byteLength(stackSet.templateBody);
    expect(CisMonitoringStackSet.MAX_TEMPLATE_BODY_BYTES).toBe(51_200);
    expect(bytes).toBeLessThan(51_200);
    const central = build({ emails: undefined, notificationTopicArn: 'arn:aws:sns:eu-west-1:888888888888:cis-central' }).stackSet.templateBody;
    expect(Buffer.byteLength(central)).toBeLessThan(bytes);
  });

  test('the per-account template is the construct on the parameterized log group, and passes the preventive check', () => {
    const { member } = build();
    expect(member.Parameters.TrailLogGroupName).toMatchObject({ Type: 'String', Default: 'aws-controltower/CloudTrailLogs' });
    const filters = Object.values(member.Resources).filter((r: any) => r.Type === 'AWS::Logs::MetricFilter') as any[];
    expect(filters).toHaveLength(15 + 5); // + the tamper filters (docs/self-monitoring.md)
    for (const f of filters) expect(f.Properties.LogGroupName).toEqual({ Ref: 'TrailLogGroupName' });
    const alarms = Object.values(member.Resources).filter((r: any) => r.Type === 'AWS::CloudWatch::Alarm') as any[];
    expect(alarms.map((a) => a.Properties.AlarmName)).toContain('CIS-root_usage_alarm');
    // No bootstrap stack in the member accounts: no asset, no BootstrapVersion rule.
    expect(member.Rules).toBeUndefined();
    expect(member.Parameters.BootstrapVersion).toBeUndefined();
    // Judged on what it holds: every control on the group the parameter names; the trail is the organization's (unseen).
    const result = checkTemplates([{ name: 'member', template: member }]);
    expect(result.findings).toEqual([]);
    expect(result.controls.map((c) => c.verdict)).toEqual(Array(15).fill('PASS'));
    expect(result.unseen).toContainEqual(expect.stringMatching(/^the trail delivering to the log group named by parameter TrailLogGroupName of stack member is not in/));
  });

  test('destinations: a central topic instead of a topic per account', () => {
    const topicArn = 'arn:aws:sns:eu-west-1:888888888888:cis-central';
    const { member } = build({ emails: undefined, notificationTopicArn: topicArn });
    const types = Object.values(member.Resources).map((r: any) => r.Type);
    expect(types).not.toContain('AWS::SNS::Topic');
    expect(types).not.toContain('AWS::KMS::Key');
    const alarms = Object.values(member.Resources).filter((r: any) => r.Type === 'AWS::CloudWatch::Alarm') as any[];
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([topicArn]);
  });

  test('controls and pattern set reach the member template', () => {
    const { member } = build({ controls: [CisControl.ROOT_ACCOUNT_USAGE, CisControl.VPC_CHANGES] });
    expect(Object.values(member.Resources).filter((r: any) => r.Type === 'AWS::Logs::MetricFilter')).toHaveLength(2 + 5); // + the tamper filters
  });

  test('the outer cdk.out is untouched by the inner synthesis (own directory)', () => {
    const app = new App();
    const stack = new Stack(app, 'Management');
    new CisMonitoringStackSet(stack, 'CisEverywhere', {
      organizationalUnitIds: [OU], regions: ['eu-west-1'], trailLogGroupName: 'x', emails: ['a@example.com'],
    });
    const assembly = app.synth();
    expect(assembly.stacks.map((s) => s.stackName)).toEqual(['Management']);
  });

  test('NEGATIVE: bad input is refused, naming the construct', () => {
    expect(() => build({ organizationalUnitIds: [] })).toThrow(/Management\/CisEverywhere: `organizationalUnitIds` is empty/);
    expect(() => build({ organizationalUnitIds: ['123456789012'] })).toThrow(/"123456789012" is not an organizational unit id/);
    expect(() => build({ regions: [] })).toThrow(/`regions` is empty/);
    expect(() => build({ emails: [] })).toThrow(/no destination/);
    expect(() => build({ notificationTopicArn: 'arn:aws:sns:eu-west-1:888888888888:c' })).toThrow(/not both/);
  });

  test('the StackSet logical ID is pinned', () => {
    const { stack, stackSet } = build();
    expect(stack.getLogicalId(stackSet.stackSet)).toBe('CisEverywhere959DFAA7');
  });
});

describe('CisMonitoringStackSet.grantCentralTopic: what a central topic needs', () => {
  test('member accounts\' alarms may publish; member checkers may list subscriptions (CIS audit step 7)', () => {
    const stack = new Stack(new App(), 'Security', { env: { account: '888888888888', region: 'eu-west-1' } });
    const topic = new sns.Topic(stack, 'Central', { topicName: 'cis-central' });
    CisMonitoringStackSet.grantCentralTopic(topic, 'o-abc123def4');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CisMemberAlarmsPublish',
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceOrgID': 'o-abc123def4' } },
          }),
          Match.objectLike({
            Sid: 'CisMemberCheckersRead',
            Effect: 'Allow',
            Action: ['sns:ListSubscriptionsByTopic', 'sns:GetTopicAttributes'],
            Principal: { AWS: '*' },
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } },
          }),
        ]),
      },
    });
  });

  test('NEGATIVE: an organization id that is not one is refused', () => {
    const stack = new Stack(new App(), 'Security');
    expect(() => CisMonitoringStackSet.grantCentralTopic(new sns.Topic(stack, 'T'), '123456789012')).toThrow(/"123456789012" is not an organization id/);
  });
});
