import { Duration, Token, aws_cloudwatch as cloudwatch, aws_kms as kms, aws_logs as logs, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisControl } from '../catalog';
import { CisExclusion } from './cis-exclusion';
import { ControlAlarm } from './control-alarm';
import { exclusionsFor, operationalPattern, parseExclusions } from './exclusions';
import { TopicDestination } from './topic-destination';
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
  /** The operational topic as a destination; created with the first operational alarm. */
  public destination?: TopicDestination;

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
    const controlAlarm = new ControlAlarm(controlScope, { logGroup: o.logGroup, namespace: o.namespace, metricName });
    const filter = controlAlarm.addFilter(OPERATIONAL_FILTER_ID, pattern);
    const alarm = controlAlarm.addAlarm(OPERATIONAL_ALARM_ID, {
      alarmName,
      alarmDescription: truncate(`${control.title} (${control.id}), operational: the events of metric ${control.metricName} except `
        + `${applying.map(p => `${p.exclusion.reason} (owner ${p.exclusion.owner}, until ${p.exclusion.expires})`).join('; ')}. `
        + `The compliance alarm ${o.alarmNamePrefix}${control.alarmName} still counts every event.${descriptionSuffix}`),
      period: o.period,
      threshold: o.threshold,
    });
    this.operationalDestination().addAlarmActions({ alarm, okNotifications: o.okNotifications, alarmArnPattern: o.alarmArnPattern });
    this.alarms.set(control.key, alarm);
    this.filters.set(control.key, filter);
    this.patterns.set(control.key, pattern);
    return alarm;
  }

  private operationalDestination(): TopicDestination {
    if (this.destination) return this.destination;
    const o = this.options;
    const scope = new Construct(this.owner, OPERATIONAL_ID);
    // With the construct's key, which already lets CloudWatch use it for every alarm named with the prefix.
    const destination = TopicDestination.create(scope, o.alarmArnPattern, {
      sharedKey: o.topicKey ? { key: o.topicKey, displayName: 'CIS monitoring operational alarms (exclusions applied)' } : undefined,
    }).destination;
    destination.subscribe(scope, o.emails, this.emailIds, o.subscriptions, {
      warnOn: this.owner,
      id: 'cdk-cis-log-monitoring:noOperationalSubscriber',
      message: 'Exclusions are set, but the operational topic has no subscriber, so nobody is notified of the alarms that exclusions apply to. '
        + 'Pass `operationalEmails` or `operationalSubscriptions` (the people who act on alarms); the alarm topic stays the compliance record.',
    });
    this.destination = destination;
    this.topic = destination.topic;
    return destination;
  }
}

function truncate(text: string): string {
  return text.length <= 1024 ? text : `${text.slice(0, 1021)}...`;
}
