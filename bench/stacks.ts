// The two stacks the synth benchmark compares: one built with CisLogMonitoring, and the same resources written
// by hand with aws-cdk-lib L2 constructs. The hand-written one mirrors the construct's tree (same construct IDs,
// same properties, same statements), so both synthesize the same template and the ratio measures only what the
// library adds: catalog lookups, pattern validation (parse + limits), name checks and the filter-count validation.
import {
  App, ArnFormat, Duration, Names, Stack, StackProps, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_iam as iam,
  aws_kms as kms, aws_logs as logs, aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisLogMonitoring, CisPatternSet } from '../src';
import { tamperPatterns } from '../src/construct/self-monitoring';
import { parseExpression } from '../src/engine/compose';
import { insightsFilter } from '../src/engine/insights';

/** The CloudTrail log group of the stacks (imported: the trail lives elsewhere in an organization). */
export const LOG_GROUP_NAME = 'aws-cloudtrail-logs-organization';
export const EMAILS = ['secops@example.com', 'platform@example.com'];

/** A stack that holds only the monitoring, in the form a user writes it with the library. */
export class LibraryStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const logGroup = logs.LogGroup.fromLogGroupName(this, 'TrailLogGroup', LOG_GROUP_NAME);
    new CisLogMonitoring(this, 'Cis', { logGroup, emails: EMAILS });
  }
}

/** One control as a hand-writer pastes it: literals only, no catalog and no validation at synth time. */
interface ControlRow {
  readonly constructId: string;
  readonly metricName: string;
  readonly alarmName: string;
  readonly pattern: string;
  readonly description: string;
  /** The control's id as the saved query names it. */
  readonly id: string;
  /** The Logs Insights filter of the control's pattern (pasted, like the pattern). */
  readonly insightsFilter: string;
}

// Taken from the catalog once, when this module loads (outside every timed region): the hand-written stack
// uses these strings as if they had been copied from the benchmark's PDF.
const ROWS: readonly ControlRow[] = CisPatternSet.RECOMMENDED.controls().map((control) => ({
  constructId: control.constructId,
  metricName: control.metricName,
  alarmName: control.alarmName,
  pattern: control.patternFor(CisPatternSet.RECOMMENDED),
  description: `${control.title} (CIS ${control.idIn(CisPatternSet.RECOMMENDED) ?? control.id}, pattern set ${CisPatternSet.RECOMMENDED.name}). `
    + 'Triggered by CloudTrail events matching the metric filter of the same metric name.',
  id: control.id,
  insightsFilter: insightsFilter(parseExpression(control.patternFor(CisPatternSet.RECOMMENDED))),
}));

// The self-monitoring (delivery heartbeat, tamper control) as a hand-writer pastes it: the tamper patterns are taken
// once, at load, with a placeholder for the alarm-name prefix that the constructor fills in (a string replace).
const PREFIX_PLACEHOLDER = '__PREFIX__-';
const TAMPER_PATTERNS: ReadonlyArray<[string, string]> = [...tamperPatterns({ alarmNamePrefix: PREFIX_PLACEHOLDER, logGroupName: LOG_GROUP_NAME })];

/** The same resources as LibraryStack, written with aws-cdk-lib L2 constructs only. */
export class HandWrittenStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const logGroup = logs.LogGroup.fromLogGroupName(this, 'TrailLogGroup', LOG_GROUP_NAME);
    const cis = new Construct(this, 'Cis');

    const prefix = `${Names.uniqueResourceName(cis, { maxLength: 120, separator: '-' })}-`;
    const alarmArns = this.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `${prefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': this.account },
      ArnLike: { 'aws:SourceArn': alarmArns },
    };

    const key = new kms.Key(cis, 'TopicKey', { description: `Encrypts the CIS monitoring alarm topic of ${cis.node.path}`, enableKeyRotation: true });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToUseTheKey',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: fromOurAlarms,
    }), true);
    const topic = new sns.Topic(cis, 'Topic', { displayName: 'CIS AWS Foundations Benchmark monitoring alarms', masterKey: key, enforceSSL: true });
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: fromOurAlarms,
    }));
    for (const email of EMAILS) {
      new sns.Subscription(cis, `Email-${email}`, { topic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: email });
    }

    const action = new actions.SnsAction(topic);
    for (const row of ROWS) {
      const controlScope = new Construct(cis, row.constructId);
      const filter = new logs.MetricFilter(controlScope, 'MetricFilter', {
        logGroup,
        filterName: row.metricName,
        filterPattern: logs.FilterPattern.literal(row.pattern),
        metricNamespace: 'CISBenchmark',
        metricName: row.metricName,
        metricValue: '1',
      });
      const queryName = `cis-log-monitoring/${prefix.replace(/-$/, '')}/${row.id} ${row.alarmName}`;
      new logs.QueryDefinition(controlScope, 'WhoDidItQuery', {
        queryDefinitionName: queryName,
        logGroups: [logGroup],
        queryString: new logs.QueryString({
          fields: ['@timestamp', 'eventSource', 'eventName', 'userIdentity.type', 'userIdentity.arn', 'sourceIPAddress', 'recipientAccountId', 'awsRegion', 'errorCode'],
          filterStatements: [row.insightsFilter],
          sort: '@timestamp desc',
          limit: 200,
        }),
      });
      const alarm = new cloudwatch.Alarm(controlScope, 'Alarm', {
        alarmName: `${prefix}${row.alarmName}`,
        alarmDescription: `${row.description} Who did it: Logs Insights saved query "${queryName}".`,
        metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
    }

    // The delivery heartbeat and the tamper control (on by default in the construct).
    const heartbeat = new cloudwatch.Alarm(new Construct(cis, 'DeliveryHeartbeat'), 'Alarm', {
      alarmName: `${prefix}delivery_heartbeat_alarm`,
      alarmDescription: 'The trail\'s log group received no CloudTrail event for 1 hour: delivery stopped (trail stopped or '
        + 'deleted, delivery role changed, group deleted or throttled), so every CIS alarm is blind. See docs/self-monitoring.md.',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Logs',
        metricName: 'IncomingLogEvents',
        dimensionsMap: { LogGroupName: LOG_GROUP_NAME },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 12,
      datapointsToAlarm: 12,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    heartbeat.addAlarmAction(action);
    const tamper = new Construct(cis, 'Tamper');
    for (const [service, pattern] of TAMPER_PATTERNS) {
      new logs.MetricFilter(tamper, `${service.charAt(0).toUpperCase()}${service.slice(1)}MetricFilter`, {
        logGroup,
        filterName: `${prefix}monitoring_tamper_metric_${service}`,
        filterPattern: logs.FilterPattern.literal(pattern.split(PREFIX_PLACEHOLDER).join(prefix)),
        metricNamespace: 'CISBenchmark',
        metricName: 'monitoring_tamper_metric',
        metricValue: '1',
      });
    }
    const tamperAlarm = new cloudwatch.Alarm(tamper, 'Alarm', {
      alarmName: `${prefix}monitoring_tamper_alarm`,
      alarmDescription: 'Monitoring integrity: someone deleted, disabled, re-pointed or unsubscribed part of the CIS monitoring (metric filters, '
        + 'alarms, topics, subscriptions, keys, the log group, the trail) outside CloudFormation. Metric filters '
        + `${prefix}monitoring_tamper_metric_*. See docs/self-monitoring.md.`,
      metric: new cloudwatch.Metric({ namespace: 'CISBenchmark', metricName: 'monitoring_tamper_metric', statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    tamperAlarm.addAlarmAction(action);
  }
}

export type StackKind = 'library' | 'handwritten';

export const STACK_CLASSES: Record<StackKind, typeof LibraryStack> = { library: LibraryStack, handwritten: HandWrittenStack };

/** The accounts and regions of an organization: stack i of an app of n. */
export function orgEnv(i: number): { account: string; region: string } {
  const regions = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1', 'ca-central-1', 'eu-north-1'];
  return { account: String(100000000000 + Math.floor(i / regions.length)), region: regions[i % regions.length] };
}

/** Builds an app with n stacks of one kind (one per account and region when n > 1) and synthesizes it. */
export function synthApp(kind: StackKind, n: number, outdir: string): App {
  const app = new App({ outdir });
  const StackClass = STACK_CLASSES[kind];
  for (let i = 0; i < n; i++) {
    new StackClass(app, n === 1 ? 'Monitoring' : `Monitoring-${i}`, n === 1 ? {} : { env: orgEnv(i) });
  }
  app.synth();
  return app;
}
