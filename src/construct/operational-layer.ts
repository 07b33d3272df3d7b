import {
  Annotations, Duration, Token, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_kms as kms, aws_logs as logs,
  aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisControl } from '../catalog';
import { CisExclusion } from './cis-exclusion';
import { exclusionsFor, operationalPattern, parseExclusions } from './exclusions';
import { allowCloudWatchToPublish, createNotificationTopic } from './notification-topic';
import { MAX_ALARM_NAME_LENGTH, fail, validateEmails } from './validation';

/** Construct IDs of the operational layer. Part of the API: never change. */
export const OPERATIONAL_ID = 'Operational';
export const OPERATIONAL_FILTER_ID = 'OperationalMetricFilter';
export const OPERATIONAL_ALARM_ID = 'OperationalAlarm';
/** Suffix of the operational metric, filter and alarm names. */
export const OPERATIONAL_SUFFIX = '_operational';

/** What the operational layer needs from CisLogMonitoring. */
export interface OperationalLayerOptions {
  readonly exclusions: readonly CisExclusion[];
  readonly controls: readonly CisControl[];
  readonly logGroup: logs.ILogGroup;
  readonly namespace: string;
  readonly period: Duration;
  readonly threshold: number;
  readonly okNotifications: boolean;
  readonly alarmNamePrefix: string;
  readonly alarmArnPattern: string;
  /** The key of the construct's own topic, reused for the operational topic; undefined when the user passed a topic. */
  readonly topicKey?: kms.IKey;
  readonly emails: readonly string[];
  readonly subscriptions: readonly sns.ITopicSubscription[];
  /** Today, for the expiry check. */
  readonly today: Date;
}

/**
 * The operational layer: for each control with exclusions, a second metric filter (the control's pattern AND NOT
 * the exclusions) on its own metric, with its own alarm notifying the operational topic. The compliance filter,
 * metric and alarm are left exactly as they are.
 */
export class OperationalLayer {
  /** The operational alarms by control key. */
  public readonly alarms = new Map<string, cloudwatch.Alarm>();
  /** The operational metric filters by control key. */
  public readonly filters = new Map<string, logs.MetricFilter>();
  /** The operational filter patterns (the control's pattern AND NOT its exclusions) by control key. */
  public readonly patterns = new Map<string, string>();
  /** The topic the operational alarms notify; created with the first operational alarm. */
  public topic?: sns.ITopic;

  private readonly parsed: ReturnType<typeof parseExclusions>;
  /** Construct IDs of the e-mail subscriptions, from the addresses or their expressions (never the position). */
  private readonly emailIds: string[];

  constructor(private readonly owner: Construct, private readonly options: OperationalLayerOptions) {
    this.emailIds = validateEmails(owner, [...options.emails]);
    this.parsed = parseExclusions(owner, options.exclusions, options.controls, options.today);
  }

  /** Adds the operational filter and alarm of a control into its scope, when exclusions apply to it. */
  public addControl(control: CisControl, controlScope: Construct, compliancePattern: string, descriptionSuffix = ''): cloudwatch.Alarm | undefined {
    const applying = exclusionsFor(control, this.parsed);
    if (applying.length === 0) return undefined;
    const o = this.options;
    const pattern = operationalPattern(this.owner, control, compliancePattern, applying);
    const metricName = `${control.metricName}${OPERATIONAL_SUFFIX}`;
    const alarmName = `${o.alarmNamePrefix}${control.alarmName}${OPERATIONAL_SUFFIX}`;
    if (!Token.isUnresolved(alarmName) && alarmName.length > MAX_ALARM_NAME_LENGTH) {
      fail(this.owner, `operational alarm name of control ${control.id} has ${alarmName.length} characters; `
        + `CloudWatch allows ${MAX_ALARM_NAME_LENGTH}. Shorten \`alarmNamePrefix\`: ${alarmName}`);
    }
    const filter = new logs.MetricFilter(controlScope, OPERATIONAL_FILTER_ID, {
      logGroup: o.logGroup,
      filterName: metricName,
      filterPattern: logs.FilterPattern.literal(pattern),
      metricNamespace: o.namespace,
      metricName,
      metricValue: '1',
    });
    const alarm = new cloudwatch.Alarm(controlScope, OPERATIONAL_ALARM_ID, {
      alarmName,
      alarmDescription: truncate(`${control.title} (${control.id}), operational: the events of metric ${control.metricName} except `
        + `${applying.map(p => `${p.exclusion.reason} (owner ${p.exclusion.owner}, until ${p.exclusion.expires})`).join('; ')}. `
        + `The compliance alarm ${o.alarmNamePrefix}${control.alarmName} still counts every event.${descriptionSuffix}`),
      metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: o.period }),
      threshold: o.threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const topic = this.operationalTopic();
    alarm.addAlarmAction(new actions.SnsAction(topic));
    if (o.okNotifications) alarm.addOkAction(new actions.SnsAction(topic));
    this.alarms.set(control.key, alarm);
    this.filters.set(control.key, filter);
    this.patterns.set(control.key, pattern);
    return alarm;
  }

  private operationalTopic(): sns.ITopic {
    if (this.topic) return this.topic;
    const o = this.options;
    const scope = new Construct(this.owner, OPERATIONAL_ID);
    let topic: sns.ITopic;
    if (o.topicKey) {
      // The construct's key already lets CloudWatch use it for every alarm named with the prefix.
      topic = new sns.Topic(scope, 'Topic', {
        displayName: 'CIS monitoring operational alarms (exclusions applied)',
        masterKey: o.topicKey,
        enforceSSL: true,
      });
      allowCloudWatchToPublish(topic, o.alarmArnPattern);
    } else {
      topic = createNotificationTopic(scope, o.alarmArnPattern).topic;
    }
    o.emails.forEach((email, index) => {
      new sns.Subscription(scope, this.emailIds[index], { topic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: email });
    });
    for (const subscription of o.subscriptions) topic.addSubscription(subscription);
    if (o.emails.length === 0 && o.subscriptions.length === 0) {
      Annotations.of(this.owner).addWarningV2('cdk-cis-log-monitoring:noOperationalSubscriber',
        'Exclusions are set, but the operational topic has no subscriber, so nobody is notified of the alarms that exclusions apply to. '
        + 'Pass `operationalEmails` or `operationalSubscriptions` (the people who act on alarms); the alarm topic stays the compliance record.');
    }
    this.topic = topic;
    return topic;
  }
}

function truncate(text: string): string {
  return text.length <= 1024 ? text : `${text.slice(0, 1021)}...`;
}
