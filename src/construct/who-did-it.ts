import {
  Duration, Stack, aws_cloudwatch as cloudwatch, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_logs as logs, aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisAlarmDestinationBinding, ICisAlarmDestination } from './cis-alarm-destination';
import { DigestFunction } from './enrichment/digest-function';

/** Construct ID of the enrichment function's scope. Part of the API: never change. */
export const WHO_DID_IT_ID = 'WhoDidIt';

/** What the enrichment needs from CisLogMonitoring. */
export interface WhoDidItOptions {
  readonly logGroup: logs.ILogGroup;
  readonly alarmArnPattern: string;
  /** The alarms people act on; each gets the function as an action. */
  readonly alarms: readonly cloudwatch.Alarm[];
  /** Every topic those alarms notify (the digest goes to the same topics). */
  readonly topics: readonly sns.ITopic[];
  /** The keys of those topics. */
  readonly keys: readonly kms.IKey[];
  readonly maxEvents: number;
}

/**
 * The "who did it" enrichment: a function that, when an alarm goes to ALARM, searches the trail's log group with
 * the control's exact filter pattern over the alarm's window (FilterLogEvents) and publishes a digest of the events
 * to the topics the alarm notifies.
 *
 * Least privilege: its own role with one customer managed policy that names every resource (the trail's log group,
 * each alarm, each topic and key, its own log group); no AWS managed policy; one invoke permission for
 * CloudWatch alarms of this account whose names start with the construct's prefix.
 */
export class WhoDidIt extends Construct implements ICisAlarmDestination {
  public readonly function: lambda.Function;
  private readonly action: cloudwatch.IAlarmAction;

  constructor(scope: Construct, options: WhoDidItOptions) {
    super(scope, WHO_DID_IT_ID);
    const stack = Stack.of(this);
    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logs.RetentionDays.ONE_YEAR });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Lets the who-did-it function of ${scope.node.path} read the trail's matching events and publish a digest`,
    });
    const statements = [
      new iam.PolicyStatement({
        sid: 'SearchTheTrailLogGroup',
        actions: ['logs:DescribeMetricFilters', 'logs:FilterLogEvents'],
        resources: [options.logGroup.logGroupArn],
      }),
      new iam.PolicyStatement({ sid: 'ReadTheAlarmActions', actions: ['cloudwatch:DescribeAlarms'], resources: options.alarms.map((a) => a.alarmArn) }),
      new iam.PolicyStatement({ sid: 'PublishTheDigest', actions: ['sns:Publish'], resources: options.topics.map((t) => t.topicArn) }),
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    ];
    if (options.keys.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'EncryptForEncryptedTopics',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: options.keys.map((k) => k.keyArn),
      }));
    }
    new iam.ManagedPolicy(this, 'Policy', { roles: [role], statements, description: 'Least privilege of the CIS who-did-it function' });

    this.function = new DigestFunction(this, 'Function', {
      role,
      logGroup,
      runtime: lambda.Runtime.NODEJS_24_X,
      timeout: Duration.minutes(1),
      memorySize: 256,
      description: `CIS monitoring: on ALARM, lists who did it (FilterLogEvents with the control's pattern) for ${scope.node.path}`,
      environment: {
        LOG_GROUP_NAME: options.logGroup.logGroupName,
        MAX_EVENTS: String(options.maxEvents),
      },
    });
    // Invoked by the alarms directly (CloudWatch alarm Lambda action), not through SNS.
    this.function.addPermission('InvokedByAlarms', {
      principal: new iam.ServicePrincipal('lambda.alarms.cloudwatch.amazonaws.com'),
      sourceAccount: stack.account,
      sourceArn: options.alarmArnPattern,
    });
    this.action = { bind: () => ({ alarmActionArn: this.function.functionArn }) };
    for (const alarm of options.alarms) this.addAlarmActions({ alarm, okNotifications: false, alarmArnPattern: options.alarmArnPattern });
  }

  /** The function is an ALARM action only: a return to OK has no events to list. */
  public addAlarmActions(binding: CisAlarmDestinationBinding): void {
    binding.alarm.addAlarmAction(this.action);
  }
}
