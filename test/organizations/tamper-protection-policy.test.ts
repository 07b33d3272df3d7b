import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CisControl, CisTamperProtectionPolicy, CisTamperProtectionPolicyProps } from '../../src';
import { FULL_AWS_ACCESS, PolicyDocument, evaluate } from '../support/iam-policy-evaluator';

const BREAK_GLASS = 'arn:aws:iam::*:role/BreakGlass';
const STACKSET_EXEC = 'arn:aws:iam::*:role/stacksets-exec-*';
const ORDINARY = 'arn:aws:iam::222222222222:role/Developer';
const ACCOUNT = '222222222222';

function build(props: Partial<CisTamperProtectionPolicyProps> = {}): { stack: Stack; policy: CisTamperProtectionPolicy; template: Template } {
  const app = new App();
  const stack = new Stack(app, 'OrgStack', { env: { account: '999999999999', region: 'us-east-1' } });
  const policy = new CisTamperProtectionPolicy(stack, 'TamperProtection', {
    breakGlassPrincipalArns: [BREAK_GLASS, STACKSET_EXEC],
    trailLogGroupNames: ['aws-controltower/CloudTrailLogs'],
    topicNames: ['*-CisTopic*'],
    targetIds: ['ou-abcd-11111111'],
    ...props,
  });
  return { stack, policy, template: Template.fromStack(stack) };
}

/** The policy content as deployed (the template's Content). */
function deployedDocument(template: Template): PolicyDocument {
  const policies = Object.values(template.findResources('AWS::Organizations::Policy')) as any[];
  expect(policies).toHaveLength(1);
  return policies[0].Properties.Content;
}

const LOG_GROUP = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:aws-controltower/CloudTrailLogs:*`;
const TOPIC = `arn:aws:sns:eu-west-1:${ACCOUNT}:Monitoring-CisTopic1234ABCD-Xy12`;
const TRAIL = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/aws-controltower-BaselineCloudTrail`;
const alarm = (name: string) => `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:${name}`;

/** Every way of silently switching the monitoring off, as requests. */
const TAMPERING: Array<[string, string]> = [
  ['logs:DeleteMetricFilter', LOG_GROUP],
  ['logs:PutMetricFilter', LOG_GROUP],
  ['logs:DeleteLogGroup', LOG_GROUP],
  ['cloudwatch:DeleteAlarms', alarm('Monitoring-Cis-1a2b3c4d-root_usage_alarm')],
  ['cloudwatch:DisableAlarmActions', alarm('Monitoring-Cis-1a2b3c4d-unauthorized_api_calls_alarm')],
  ['cloudwatch:PutMetricAlarm', alarm('Monitoring-Cis-1a2b3c4d-organizations_changes')],
  ['sns:DeleteTopic', TOPIC],
  ['sns:Unsubscribe', `${TOPIC}:0b0c7f7e-1111-2222-3333-444455556666`],
  ['sns:SetTopicAttributes', TOPIC],
  ['sns:RemovePermission', TOPIC],
  ['cloudtrail:StopLogging', TRAIL],
  ['cloudtrail:DeleteTrail', TRAIL],
  ['cloudtrail:UpdateTrail', TRAIL],
  ['cloudtrail:PutEventSelectors', TRAIL],
];

describe('CisTamperProtectionPolicy: template', () => {
  test('one service control policy, attached to the targets, with a compact JSON document', () => {
    // GIVEN / WHEN
    const { template, policy } = build();
    // THEN
    template.resourceCountIs('AWS::Organizations::Policy', 1);
    template.hasResourceProperties('AWS::Organizations::Policy', {
      Type: 'SERVICE_CONTROL_POLICY',
      Name: 'cis-log-monitoring-tamper-protection',
      TargetIds: ['ou-abcd-11111111'],
    });
    const document = deployedDocument(template);
    expect(JSON.stringify(document)).toEqual(policy.policyDocument);
    const statements = document.Statement as any[];
    expect(statements.map((s) => s.Sid)).toEqual(['ProtectCisMetricFilters', 'ProtectCisAlarms', 'ProtectCisTopics', 'ProtectCisTrails', 'ProtectCisTrailDeliveryRoles']);
    for (const statement of statements) {
      expect(statement.Effect).toBe('Deny');
      expect(statement.Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': [BREAK_GLASS, STACKSET_EXEC] } });
    }
  });

  test('the logical ID of the policy is pinned', () => {
    const { stack, policy } = build();
    expect(stack.getLogicalId(policy.policy)).toBe('TamperProtectionBAFF3D67');
    expect(policy.policy.node.path).toBe('OrgStack/TamperProtection/Resource');
  });

  test('default alarm names cover every built-in control, after any prefix, and its _operational alarm, and the self-monitoring and self-audit alarms', () => {
    const { template } = build();
    const alarms = (deployedDocument(template).Statement as any[]).find((s) => s.Sid === 'ProtectCisAlarms');
    expect(alarms.Resource).toEqual([...CisControl.all().map((c) => c.alarmName), 'delivery_heartbeat_alarm', 'monitoring_tamper_alarm', 'cis_self_audit_alarm']
      .map((n) => `arn:*:cloudwatch:*:*:alarm:*${n}*`));
  });

  test('within the SCP size limit with defaults and with a realistic, larger configuration', () => {
    const small = build().policy.policyDocument;
    expect(small.length).toBeLessThanOrEqual(CisTamperProtectionPolicy.MAX_CHARACTERS);
    expect(CisTamperProtectionPolicy.MAX_CHARACTERS).toBe(5120);
    const large = build({
      breakGlassPrincipalArns: [BREAK_GLASS, STACKSET_EXEC, 'arn:aws:iam::*:role/cdk-*-cfn-exec-role-*', 'arn:aws:iam::*:role/AWSControlTowerExecution'],
      trailLogGroupNames: ['aws-controltower/CloudTrailLogs', 'aws-accelerator-cloudtrail-logs*', 'org-trail-logs'],
      topicNames: ['*-CisTopic*', 'security-alarms'],
      trailNames: ['aws-controltower-BaselineCloudTrail', 'AWSAccelerator-Organizations-CloudTrail'],
      topicKeyArns: ['arn:aws:kms:*:*:key/*'],
    }).policy.policyDocument;
    expect(large.length).toBeGreaterThan(small.length);
    expect(large.length).toBeLessThanOrEqual(5120);
  });

  test('a document over 5,120 characters is split into several policies, dropping nothing; beyond four it is refused', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `some-very-long-log-group-name-for-account-number-${i}`);
    const { policy, template } = build({ trailLogGroupNames: names(60) });
    expect(policy.policies).toHaveLength(3); // 5,059 + 5,081 + 2,851 characters: resources packed first fit
    const documents = Object.values(template.findResources('AWS::Organizations::Policy')).map((p: any) => p.Properties.Content as PolicyDocument);
    expect(documents).toHaveLength(policy.policies.length);
    for (const text of policy.policyDocuments) expect(text.length).toBeLessThanOrEqual(5120);
    const deniedLogGroups = documents.flatMap((d) => (d.Statement as any[]).filter((s) => s.Sid.startsWith('ProtectCisMetricFilters')).flatMap((s) => s.Resource));
    expect(deniedLogGroups).toEqual(names(60).flatMap((n) => [`arn:*:logs:*:*:log-group:${n}`, `arn:*:logs:*:*:log-group:${n}:*`]));
    const principals = Array.from({ length: 130 }, (_, i) => `arn:aws:iam::*:role/break-glass-role-number-${i}`);
    expect(() => build({ breakGlassPrincipalArns: principals }))
      .toThrow(/one statement with a single resource needs \d{4,} characters; AWS Organizations allows 5120/);
    expect(() => build({ trailLogGroupNames: names(150) }))
      .toThrow(/OrgStack\/TamperProtection: the policy needs \d{5,} characters, \d service control policies of 5120 characters; AWS Organizations attaches at most 5/);
  });

  test('empty lists and non-ARN break-glass principals are refused', () => {
    expect(() => build({ breakGlassPrincipalArns: [] })).toThrow(/`breakGlassPrincipalArns` is empty/);
    expect(() => build({ trailLogGroupNames: [] })).toThrow(/`trailLogGroupNames` is empty/);
    expect(() => build({ topicNames: [] })).toThrow(/`topicNames` is empty/);
    expect(() => build({ trailNames: [] })).toThrow(/`trailNames` is empty/);
    expect(() => build({ breakGlassPrincipalArns: ['BreakGlass'] })).toThrow(/"BreakGlass" is not an IAM principal ARN/);
  });
});

describe('CisTamperProtectionPolicy: evaluated against requests (with FullAWSAccess)', () => {
  const { template } = build({ topicKeyArns: [`arn:aws:kms:*:${ACCOUNT}:key/1234abcd-*`] });
  const scp = deployedDocument(template);
  const decide = (principal: string, action: string, resource: string) =>
    evaluate([FULL_AWS_ACCESS, scp], { action, resource, context: { 'aws:PrincipalArn': principal } }).decision;

  test.each(TAMPERING)('an ordinary role is denied %s', (action, resource) => {
    expect(decide(ORDINARY, action, resource)).toBe('EXPLICIT_DENY');
  });

  test.each(TAMPERING)('the break-glass role may %s', (action, resource) => {
    expect(decide(`arn:aws:iam::${ACCOUNT}:role/BreakGlass`, action, resource)).toBe('ALLOW');
  });

  test.each(TAMPERING)('the StackSet execution role may %s (deployments and updates still work)', (action, resource) => {
    expect(decide(`arn:aws:iam::${ACCOUNT}:role/stacksets-exec-0123456789abcdef`, action, resource)).toBe('ALLOW');
  });

  test('a role whose name only starts like the break-glass role is still denied', () => {
    expect(decide(`arn:aws:iam::${ACCOUNT}:role/BreakGlassNot`, 'cloudwatch:DeleteAlarms', alarm('x-root_usage_alarm'))).toBe('EXPLICIT_DENY');
  });

  test('the topic key may not be disabled or scheduled for deletion', () => {
    const key = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-0000-1111-2222-333344445555`;
    expect(decide(ORDINARY, 'kms:DisableKey', key)).toBe('EXPLICIT_DENY');
    expect(decide(ORDINARY, 'kms:ScheduleKeyDeletion', key)).toBe('EXPLICIT_DENY');
    expect(decide(ORDINARY, 'kms:DisableKey', `arn:aws:kms:eu-west-1:${ACCOUNT}:key/ffff0000-other`)).toBe('ALLOW');
  });

  test.each([
    ['the same actions on other resources', 'logs:PutMetricFilter', `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/lambda/my-function:*`],
    ['a log group whose name only starts like the trail\'s', 'logs:DeleteLogGroup', `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:aws-controltower/CloudTrailLogsCopy:*`],
    ['an application alarm', 'cloudwatch:DeleteAlarms', alarm('my-app-latency-high')],
    ['an application topic', 'sns:DeleteTopic', `arn:aws:sns:eu-west-1:${ACCOUNT}:orders`],
    ['reading the monitoring', 'logs:DescribeMetricFilters', LOG_GROUP],
    ['reading alarms', 'cloudwatch:DescribeAlarms', alarm('Monitoring-Cis-1a2b3c4d-root_usage_alarm')],
    ['subscribing to the topic', 'sns:Subscribe', TOPIC],
    ['unrelated services', 's3:DeleteBucket', 'arn:aws:s3:::my-bucket'],
    ['starting the trail', 'cloudtrail:StartLogging', TRAIL],
  ])('unaffected: %s', (_what, action, resource) => {
    expect(decide(ORDINARY, action, resource)).toBe('ALLOW');
  });

  test('the evaluator itself denies without FullAWSAccess and honours explicit deny over allow', () => {
    expect(evaluate([scp], { action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: { 'aws:PrincipalArn': ORDINARY } }).decision)
      .toBe('IMPLICIT_DENY');
    const evaluation = evaluate([FULL_AWS_ACCESS, scp], { action: 'CloudTrail:stoplogging', resource: TRAIL, context: { 'aws:PrincipalArn': ORDINARY } });
    expect(evaluation).toEqual({ decision: 'EXPLICIT_DENY', matched: ['ProtectCisTrails'] });
  });
});
