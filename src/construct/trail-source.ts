import {
  CustomResource, Duration, Stack, Token, aws_cloudtrail as cloudtrail, aws_iam as iam, aws_lambda as lambda, aws_logs as logs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisLogMonitoringProps } from './props';
import { TRAIL_LOOKUP_HANDLER_CODE } from './trail-lookup-handler';
import { fail } from './validation';

/** Construct ID of the deploy-time trail lookup inside `CisLogMonitoring` (only with `trailArn`). Part of the API. */
export const TRAIL_LOOKUP_ID = 'TrailLookup';
/** The lookup function, one per stack. */
const LOOKUP_FUNCTION_UUID = 'c1e5b0a4-6f0e-4c55-9f6b-cis-trail-lookup';

const TRAIL_ARN = /^arn:[^:]+:cloudtrail:[^:]+:\d{12}:trail\/.+$/;

/**
 * The log group the metric filters go on: `logGroup` as given, the log group of a `trail` of this app (refused
 * when the trail is not multi-region or does not deliver to CloudWatch Logs), or, for `trailArn`, the log group
 * of an existing trail, read at deploy time (names with suffixes only known then, as Control Tower and the
 * Landing Zone Accelerator make them).
 */
export function monitoredLogGroup(scope: Construct, props: CisLogMonitoringProps): logs.ILogGroup {
  const given = (['logGroup', 'trail', 'trailArn'] as const).filter((name) => props?.[name] !== undefined);
  if (given.length === 0) {
    fail(scope, '`logGroup` is required unless you pass `trail` or `trailArn`: pass the CloudWatch Logs log group your '
      + 'CloudTrail trail delivers to, the trail itself (`trail`), or an existing trail\'s ARN (`trailArn`).');
  }
  if (given.length > 1) {
    fail(scope, `pass one of \`logGroup\`, \`trail\` and \`trailArn\`, not ${given.map((g) => `\`${g}\``).join(' and ')}: `
      + 'each names the log group the metric filters go on.');
  }
  if (props.logGroup) return props.logGroup;
  if (props.trail) return logGroupOfTrail(scope, props.trail);
  return lookUpTrail(scope, props.trailArn as string);
}

function logGroupOfTrail(scope: Construct, trail: cloudtrail.Trail): logs.ILogGroup {
  const cfn = trail.node.defaultChild as cloudtrail.CfnTrail;
  const multiRegion = cfn.isMultiRegionTrail;
  if (!Token.isUnresolved(multiRegion) && multiRegion !== true) {
    fail(scope, `trail ${trail.node.path} is not multi-region (isMultiRegionTrail is `
      + `${multiRegion ?? 'unset'}). CIS audit step 1 needs a multi-region trail: events of other regions would never reach the metric `
      + 'filters. Create the trail with isMultiRegionTrail: true (the default of cloudtrail.Trail).');
  }
  const logGroup = trail.logGroup;
  if (!logGroup) {
    fail(scope, `trail ${trail.node.path} does not deliver to CloudWatch Logs, so metric filters `
      + 'would see no event. Create it with sendToCloudWatchLogs: true (and optionally cloudWatchLogGroup).');
  }
  return logGroup;
}

function lookUpTrail(scope: Construct, trailArn: string): logs.ILogGroup {
  if (!Token.isUnresolved(trailArn) && !TRAIL_ARN.test(trailArn)) {
    fail(scope, `trailArn "${trailArn}" is not a CloudTrail trail ARN. `
      + 'Pass arn:<partition>:cloudtrail:<region>:<account>:trail/<name>, e.g. the Control Tower trail '
      + 'arn:aws:cloudtrail:us-east-1:111111111111:trail/aws-controltower-BaselineCloudTrail.');
  }
  const stack = Stack.of(scope);
  const lookup = new Construct(scope, TRAIL_LOOKUP_ID);
  // One function per stack (the singleton lives in the stack); this construct is only its handle.
  const handler = new lambda.SingletonFunction(lookup, 'Function', {
    uuid: LOOKUP_FUNCTION_UUID,
    lambdaPurpose: 'CisTrailLookup',
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(TRAIL_LOOKUP_HANDLER_CODE),
    timeout: Duration.minutes(1),
    description: 'cdk-cis-log-monitoring: reads a CloudTrail trail at deploy time and returns its CloudWatch Logs log group',
  });
  handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudtrail:DescribeTrails'], resources: ['*'] }));
  const resource = new CustomResource(lookup, 'Resource', {
    serviceToken: handler.functionArn,
    resourceType: 'Custom::CisTrailLookup',
    properties: { TrailArn: trailArn, StackAccount: stack.account, StackRegion: stack.region },
  });
  return logs.LogGroup.fromLogGroupName(lookup, 'LogGroup', resource.getAttString('LogGroupName'));
}
