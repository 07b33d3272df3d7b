import { App, CfnParameter, Fn, Stack, aws_cloudtrail as cloudtrail, aws_logs as logs } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CisLogMonitoring } from '../../src';
import { TRAIL_LOOKUP_HANDLER_CODE } from '../../src/construct/trail-lookup-handler';

function newStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
}

const CT_TRAIL = 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/aws-controltower-BaselineCloudTrail';

describe('CisLogMonitoring on a trail (issue 11 part 1)', () => {
  test('`trail`: the metric filters go on the trail\'s own log group', () => {
    // GIVEN
    const stack = newStack();
    const trail = new cloudtrail.Trail(stack, 'Trail', { sendToCloudWatchLogs: true });
    // WHEN
    const cis = new CisLogMonitoring(stack, 'Cis', { trail, emails: ['sec@example.com'] });
    // THEN
    const template = Template.fromStack(stack);
    const trailLogGroupId = stack.getLogicalId(trail.logGroup!.node.defaultChild as logs.CfnLogGroup);
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')) as any[];
    expect(filters).toHaveLength(15 + 6); // + 6 tamper filters (with the delivery role's, known from the trail)
    for (const f of filters) expect(f.Properties.LogGroupName).toEqual({ Ref: trailLogGroupId });
    expect(cis.logGroup).toBe(trail.logGroup);
  });

  test('`trail` with its own cloudWatchLogGroup', () => {
    const stack = newStack();
    const logGroup = new logs.LogGroup(stack, 'OrgTrailLogs', { logGroupName: 'org-trail-logs' });
    const trail = new cloudtrail.Trail(stack, 'Trail', { sendToCloudWatchLogs: true, cloudWatchLogGroup: logGroup });
    new CisLogMonitoring(stack, 'Cis', { trail, emails: ['sec@example.com'] });
    Template.fromStack(stack).allResourcesProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup) },
    });
  });

  test('NEGATIVE: a single-region trail is refused, saying why', () => {
    const stack = newStack();
    const trail = new cloudtrail.Trail(stack, 'Trail', { sendToCloudWatchLogs: true, isMultiRegionTrail: false });
    expect(() => new CisLogMonitoring(stack, 'Cis', { trail })).toThrow(
      /CisLogMonitoring TestStack\/Cis: trail TestStack\/Trail is not multi-region \(isMultiRegionTrail is false\)\. CIS audit step 1 needs a multi-region trail/);
  });

  test('NEGATIVE: a trail without CloudWatch Logs delivery is refused, saying why', () => {
    const stack = newStack();
    const trail = new cloudtrail.Trail(stack, 'Trail');
    expect(() => new CisLogMonitoring(stack, 'Cis', { trail })).toThrow(
      /trail TestStack\/Trail does not deliver to CloudWatch Logs, so metric filters would see no event\. Create it with sendToCloudWatchLogs: true/);
  });

  test('NEGATIVE: two sources of the log group are refused; none is refused', () => {
    const stack = newStack();
    const trail = new cloudtrail.Trail(stack, 'Trail', { sendToCloudWatchLogs: true });
    expect(() => new CisLogMonitoring(stack, 'Cis', { trail, logGroup: trail.logGroup! }))
      .toThrow(/pass one of `logGroup`, `trail` and `trailArn`, not `logGroup` and `trail`/);
    expect(() => new CisLogMonitoring(stack, 'Cis2', { trail, trailArn: CT_TRAIL })).toThrow(/not `trail` and `trailArn`/);
    expect(() => new CisLogMonitoring(stack, 'Cis3', {})).toThrow(/`logGroup` is required unless you pass `trail` or `trailArn`/);
  });

  test('`trailArn`: the log group is read at deploy time by a custom resource, and the filters use its answer', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new CisLogMonitoring(stack, 'Cis', { trailArn: CT_TRAIL, emails: ['sec@example.com'] });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::CisTrailLookup', 1);
    template.hasResourceProperties('Custom::CisTrailLookup', {
      TrailArn: CT_TRAIL, StackAccount: '111111111111', StackRegion: 'eu-west-1',
    });
    const lookups = template.findResources('Custom::CisTrailLookup');
    const lookupId = Object.keys(lookups)[0];
    expect(lookupId).toBe('CisTrailLookup7914BA81');
    template.allResourcesProperties('AWS::Logs::MetricFilter', { LogGroupName: { 'Fn::GetAtt': [lookupId, 'LogGroupName'] } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x', Handler: 'index.handler', Code: { ZipFile: TRAIL_LOOKUP_HANDLER_CODE },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'cloudtrail:DescribeTrails', Effect: 'Allow', Resource: '*' })]) },
    });
  });

  test('`trailArn` construct IDs are pinned (adding, never renaming)', () => {
    const stack = newStack();
    const cis = new CisLogMonitoring(stack, 'Cis', { trailArn: CT_TRAIL, emails: ['sec@example.com'] });
    const lookup = cis.node.findChild('TrailLookup');
    expect(lookup.node.findChild('Resource').node.path).toBe('TestStack/Cis/TrailLookup/Resource');
    expect(stack.node.tryFindChild('CisTrailLookupc1e5b0a46f0e4c559f6bcistraillookup')).toBeDefined();
    // Two instances in one stack share the function.
    new CisLogMonitoring(stack, 'Cis2', { trailArn: CT_TRAIL, emails: ['sec@example.com'], alarmNamePrefix: 'second-' });
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('NEGATIVE: a trailArn that is not a trail ARN is refused at synth', () => {
    const stack = newStack();
    expect(() => new CisLogMonitoring(stack, 'Cis', { trailArn: 'aws-controltower-BaselineCloudTrail' }))
      .toThrow(/trailArn "aws-controltower-BaselineCloudTrail" is not a CloudTrail trail ARN/);
    expect(() => new CisLogMonitoring(stack, 'Cis2', { trailArn: 'arn:aws:logs:eu-west-1:111111111111:log-group:x' }))
      .toThrow(/is not a CloudTrail trail ARN/);
  });

  test('log group names known only at deploy time: a parameter, an import, an SSM value', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'TrailLogGroupName', { type: 'String' });
    new CisLogMonitoring(stack, 'Cis', { logGroup: logs.LogGroup.fromLogGroupName(stack, 'Param', name.valueAsString), emails: ['a@example.com'] });
    new CisLogMonitoring(stack, 'Imported', {
      logGroup: logs.LogGroup.fromLogGroupName(stack, 'Import', Fn.importValue('LzaTrailLogGroupName')), emails: ['a@example.com'], alarmNamePrefix: 'i-',
    });
    const template = Template.fromStack(stack);
    const names = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((f: any) => JSON.stringify(f.Properties.LogGroupName));
    expect(new Set(names)).toEqual(new Set([JSON.stringify({ Ref: 'TrailLogGroupName' }), JSON.stringify({ 'Fn::ImportValue': 'LzaTrailLogGroupName' })]));
  });

  test('the handler is inline code within the 4,096-character ZipFile limit', () => {
    expect(TRAIL_LOOKUP_HANDLER_CODE.length).toBeLessThanOrEqual(4096);
  });
});
