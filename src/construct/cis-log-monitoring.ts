import {
  Annotations, ArnFormat, Duration, Names, Stack, aws_cloudwatch as cloudwatch,
  aws_events as events, aws_iam as iam, aws_kms as kms, aws_lambda as lambda, aws_logs as logs, aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { CisControl, CisPatternSet, CisSeverity } from '../catalog';
import { alarmNameProblems, checkLogGroupEnvironment, metricFilterProblems, registerForAppChecks } from './app-checks';
import { ControlAlarm } from './control-alarm';
import { exclusionsOf } from './exclusions';
import { OperationalLayer } from './operational-layer';
import { CisLogMonitoringProps } from './props';
import { addRealTimeRules } from './real-time';
import { addSavedQuery, savedQueryName } from './saved-query';
import { DEFAULT_SELF_AUDIT_SCHEDULE, addSelfAudit } from './self-audit';
import { DEFAULT_HEARTBEAT_WINDOW, addDeliveryHeartbeat, addTamperControl, validateHeartbeatWindow } from './self-monitoring';
import { SeverityRouting } from './severity-routing';
import { TopicDestination } from './topic-destination';
import { monitoredLogGroup } from './trail-source';
import {
  errorPrefix, fail, validateAlarmName, validateAlarmNamePrefix, validateControls, validateEmails, validateMetricName,
  validateNamespace, validatePattern, validatePeriod, validateThreshold,
} from './validation';
import { WhoDidIt } from './who-did-it';

/** The benchmark's namespace for every metric. */
const DEFAULT_NAMESPACE = 'CISBenchmark';

/**
 * CIS AWS Foundations Benchmark monitoring (v3.0.0 4.1–4.15) on a CloudTrail log group: per
 * control one CloudWatch Logs metric filter and one alarm, and one shared SNS topic whose
 * notifications reach the subscribers.
 *
 * @example
 * new CisLogMonitoring(stack, 'Cis', { logGroup: trailLogGroup, emails: ['secops@example.com'] });
 */
export class CisLogMonitoring extends Construct {
  /** The log group the metric filters are on: `logGroup`, or the one of `trail` / `trailArn`. */
  public readonly logGroup: logs.ILogGroup;

  /** The topic every alarm notifies (created, or the one you passed). */
  public readonly topic: sns.ITopic;

  /** The key that encrypts the created topic; undefined when you passed your own topic. */
  public readonly topicEncryptionKey?: kms.IKey;

  /** The pattern set in use. */
  public readonly patternSet: CisPatternSet;

  /** The deployed controls, in deployment order. */
  public readonly controls: CisControl[];

  /** One alarm per control, in the order of `controls`. */
  public readonly alarms: cloudwatch.Alarm[];

  /** One metric filter per control, in the order of `controls`. */
  public readonly metricFilters: logs.MetricFilter[];

  /** The prefix of every alarm name. */
  public readonly alarmNamePrefix: string;

  /** The topic the operational alarms notify; undefined without `exclusions`. */
  public readonly operationalTopic?: sns.ITopic;

  /** The who-did-it function that publishes a digest of the events behind an alarm; undefined unless `enrichAlarms`. */
  public readonly whoDidItFunction?: lambda.IFunction;

  /** The delivery heartbeat alarm (no event reached the log group for `deliveryHeartbeatPeriod`); undefined when `deliveryHeartbeat` is false. */
  public readonly deliveryHeartbeatAlarm?: cloudwatch.Alarm;

  /** The tamper control's alarm; undefined when `tamperAlarm` is false. */
  public readonly tamperControlAlarm?: cloudwatch.Alarm;

  /** The tamper control's metric filters, one per service; empty when `tamperAlarm` is false. */
  public readonly tamperMetricFilters: logs.MetricFilter[];

  /** One EventBridge rule per control, in the order of `controls`; empty unless `realTime`. */
  public readonly realTimeRules: events.CfnRule[];

  /** The self-audit function (`selfAudit`); undefined without it. */
  public readonly selfAuditFunction?: lambda.IFunction;

  private readonly alarmByKey = new Map<string, cloudwatch.Alarm>();
  private readonly filterByKey = new Map<string, logs.MetricFilter>();
  private readonly operational?: OperationalLayer;
  private readonly routing: SeverityRouting;

  constructor(scope: Construct, id: string, props: CisLogMonitoringProps) {
    super(scope, id);
    this.logGroup = monitoredLogGroup(this, props);
    const logGroup = this.logGroup;
    checkLogGroupEnvironment(this, logGroup);
    this.patternSet = props.patternSet ?? CisPatternSet.RECOMMENDED;
    this.controls = [...(props.controls ?? this.patternSet.controls()), ...(props.additionalControls ?? [])];
    const namespace = props.metricNamespace ?? DEFAULT_NAMESPACE;
    const threshold = props.alarmThreshold ?? 1;
    const emails = props.emails ?? [];
    const period = props.alarmPeriod ?? Duration.minutes(5);
    validateControls(this, this.controls);
    validateNamespace(this, namespace);
    validateThreshold(this, threshold);
    validatePeriod(this, period);
    const emailIds = validateEmails(this, emails);

    this.alarmNamePrefix = props.alarmNamePrefix ?? `${Names.uniqueResourceName(this, { maxLength: 120, separator: '-' })}-`;
    validateAlarmNamePrefix(this, this.alarmNamePrefix);
    if (this.alarmNamePrefix === '') {
      Annotations.of(this).addWarningV2('cdk-cis-log-monitoring:emptyAlarmNamePrefix',
        'alarmNamePrefix is empty, so the topic policy lets every CloudWatch alarm of this account and region publish '
        + '(aws:SourceArn ...:alarm:*). Give the alarms a prefix to keep the topic for these alarms only.');
    }
    const stack = Stack.of(this);
    const alarmArnPattern = stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: `${this.alarmNamePrefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    let destination: TopicDestination;
    if (props.topic) {
      if (props.topicEncryptionKey) {
        fail(this, 'pass either `topic` or `topicEncryptionKey`, not both: the key only encrypts a topic the construct creates.');
      }
      if (props.topic.fifo) {
        fail(this, `topic ${props.topic.node.path} is a FIFO topic. E-mail endpoints can only subscribe to standard topics, `
          + 'so the alarms could not reach anyone by e-mail. Pass a standard topic, or leave `topic` out to get one.');
      }
      destination = TopicDestination.existing(this, props.topic, alarmArnPattern, this.alarmNamePrefix, '',
        'the topic you passed is encrypted with the AWS managed key alias/aws/sns. CloudWatch alarms cannot '
        + 'publish to it (that key policy cannot allow cloudwatch.amazonaws.com), so every notification would be dropped. '
        + 'Encrypt the topic with a customer managed key.');
    } else {
      const created = TopicDestination.create(this, alarmArnPattern, { topicEncryptionKey: props.topicEncryptionKey });
      destination = created.destination;
      this.topicEncryptionKey = created.key;
    }
    this.topic = destination.topic;
    destination.subscribe(this, emails, emailIds, props.subscriptions ?? [], props.topic ? undefined : {
      warnOn: this,
      id: 'cdk-cis-log-monitoring:noSubscriber',
      message: 'The alarm topic has no subscriber, so nobody is notified and CIS audit step 7 ("at least one active subscriber") fails. '
        + 'Pass `emails` or `subscriptions`.',
    });

    const ssoAware = props.ssoAwareMfaFilter ?? false;
    const exclusions = exclusionsOf(this, props.exclusions);
    this.operational = exclusions.length > 0 ? new OperationalLayer(this, {
      exclusions,
      controls: this.controls,
      logGroup,
      namespace,
      period,
      threshold,
      okNotifications: props.okNotifications ?? false,
      alarmNamePrefix: this.alarmNamePrefix,
      alarmArnPattern,
      topicKey: this.topicEncryptionKey,
      emails: props.operationalEmails ?? [],
      subscriptions: props.operationalSubscriptions ?? [],
      today: new Date(),
    }) : undefined;
    this.alarms = [];
    this.metricFilters = [];
    const patterns = new Map<string, string>();
    for (const control of this.controls) {
      const pattern = this.patternOf(control, ssoAware);
      validatePattern(this, control, pattern);
      patterns.set(control.key, pattern);
      validateMetricName(this, control);
      const alarmName = `${this.alarmNamePrefix}${control.alarmName}`;
      validateAlarmName(this, control, alarmName);

      const controlScope = new Construct(this, control.constructId);
      const controlAlarm = new ControlAlarm(controlScope, { logGroup, namespace, metricName: control.metricName });
      // The audit notes the filter's name as the metric name (CIS audit step 4; trivy compares them).
      const filter = controlAlarm.addFilter('MetricFilter', pattern);
      const queryName = savedQueryName(this.alarmNamePrefix, control);
      const whoDidIt = addSavedQuery(controlScope, this, control, pattern, logGroup, queryName)
        ? ` Who did it: Logs Insights saved query "${queryName}".` : '';
      const alarm = controlAlarm.addAlarm('Alarm', {
        alarmName,
        alarmDescription: `${control.title} (CIS ${control.idIn(this.patternSet) ?? control.id}, pattern set ${this.patternSet.name}). `
          + `Triggered by CloudTrail events matching the metric filter of the same metric name.${whoDidIt}`,
        period,
        threshold,
      });
      destination.addAlarmActions({ alarm, okNotifications: props.okNotifications ?? false, alarmArnPattern });

      this.alarms.push(alarm);
      this.metricFilters.push(filter);
      this.alarmByKey.set(control.key, alarm);
      this.filterByKey.set(control.key, filter);
      this.operational?.addControl(control, controlScope, pattern, whoDidIt);
    }
    this.operationalTopic = this.operational?.topic;
    this.routing = new SeverityRouting(this, props.severityRoutes ?? [], alarmArnPattern, this.alarmNamePrefix, this.topicEncryptionKey);
    const peopleAlarms: cloudwatch.Alarm[] = [];
    const digestTopics = new Set<sns.ITopic>();
    const realTimeControls = [];
    for (const control of this.controls) {
      const operational = this.operational?.alarms.get(control.key);
      const alarm = operational ?? this.alarmFor(control);
      this.routing.route(control, alarm, props.okNotifications ?? false);
      peopleAlarms.push(alarm);
      const topics = [operational ? this.operationalTopic! : this.topic, ...this.routing.topicsFor(control.severity)];
      for (const topic of topics) digestTopics.add(topic);
      realTimeControls.push({
        control,
        id: control.idIn(this.patternSet) ?? control.id,
        scope: this.node.findChild(control.constructId),
        pattern: this.operational?.patterns.get(control.key) ?? patterns.get(control.key)!,
        topics,
      });
    }
    this.realTimeRules = props.realTime ? addRealTimeRules(this, realTimeControls) : [];
    const heartbeatWindow = props.deliveryHeartbeatPeriod ?? DEFAULT_HEARTBEAT_WINDOW;
    validateHeartbeatWindow(this, heartbeatWindow);
    const selfMonitoring = {
      logGroup,
      alarmNamePrefix: this.alarmNamePrefix,
      namespace,
      alarmArnPattern,
      destinations: [...new Set([destination, ...(this.operational?.destination ? [this.operational.destination] : []),
        ...this.routing.destinationsFor(CisSeverity.CRITICAL)])],
      okNotifications: props.okNotifications ?? false,
    };
    if (props.deliveryHeartbeat ?? true) this.deliveryHeartbeatAlarm = addDeliveryHeartbeat(this, selfMonitoring, heartbeatWindow);
    this.tamperMetricFilters = [];
    if (props.tamperAlarm ?? true) {
      const deliveryRole = props.trail?.node.tryFindChild('LogsRole') as iam.IRole | undefined;
      const tamper = addTamperControl(this, selfMonitoring, deliveryRole?.roleName, period);
      this.tamperControlAlarm = tamper.alarm;
      this.tamperMetricFilters = tamper.filters;
    }
    if (props.selfAudit) {
      this.selfAuditFunction = addSelfAudit(this, {
        ...selfMonitoring,
        patternSet: this.patternSet,
        controls: this.controls,
        schedule: props.selfAuditSchedule ?? DEFAULT_SELF_AUDIT_SCHEDULE,
        securityHub: props.selfAuditSecurityHub ?? true,
        configRule: props.selfAuditConfigRule ?? false,
        reportBucket: props.selfAuditReportBucket,
        reportPrefix: props.selfAuditReportPrefix,
        accounts: props.selfAuditAccounts,
        roleName: props.selfAuditRoleName,
      }).function;
    } else if (props.selfAuditAccounts !== undefined || props.selfAuditRoleName !== undefined) {
      fail(this, `${props.selfAuditAccounts !== undefined ? 'selfAuditAccounts' : 'selfAuditRoleName'} needs selfAudit: true.`);
    }
    if (props.enrichAlarms) {
      const keys = new Set([...digestTopics].map((t) => (t as { masterKey?: kms.IKey }).masterKey).filter((k): k is kms.IKey => k !== undefined));
      this.whoDidItFunction = new WhoDidIt(this, {
        logGroup, alarmArnPattern, alarms: peopleAlarms, topics: [...digestTopics], keys: [...keys], maxEvents: 20,
      }).function;
    }

    registerForAppChecks(this);
    const isInstance = (c: IConstruct) => c instanceof CisLogMonitoring;
    const selfAlarms = [this.deliveryHeartbeatAlarm, this.tamperControlAlarm].filter((a): a is cloudwatch.Alarm => a !== undefined);
    this.node.addValidation({
      validate: () => [
        ...metricFilterProblems(this, logGroup,
          [...this.metricFilters, ...this.operational?.filters.values() ?? [], ...this.tamperMetricFilters], isInstance),
        ...alarmNameProblems(this, [...this.alarms, ...this.operational?.alarms.values() ?? [], ...selfAlarms], isInstance),
      ],
    });
  }

  /** The alarm of a deployed control. Throws when the control is not deployed by this construct. */
  public alarmFor(control: CisControl): cloudwatch.Alarm {
    return this.lookup(this.alarmByKey, control);
  }

  /** The metric filter of a deployed control. Throws when the control is not deployed by this construct. */
  public metricFilterFor(control: CisControl): logs.MetricFilter {
    return this.lookup(this.filterByKey, control);
  }

  /**
   * The operational alarm of a control that exclusions apply to: it notifies the operational topic.
   * Throws when no exclusion applies to the control.
   */
  public operationalAlarmFor(control: CisControl): cloudwatch.Alarm {
    return this.lookup(this.operational?.alarms ?? new Map(), control, 'an operational alarm for');
  }

  /** The operational metric filter of a control that exclusions apply to. Throws when no exclusion applies to the control. */
  public operationalMetricFilterFor(control: CisControl): logs.MetricFilter {
    return this.lookup(this.operational?.filters ?? new Map(), control, 'an operational metric filter for');
  }

  /** The route topics that receive the alarms of a severity (from `severityRoutes`; empty when none does). */
  public routeTopicsFor(severity: CisSeverity): sns.ITopic[] {
    return this.routing.topicsFor(severity);
  }

  private lookup<T>(table: Map<string, T>, control: CisControl, what = 'control'): T {
    const found = table.get(control.key);
    if (!found) {
      throw new Error(`${errorPrefix(this)} does not deploy ${what} ${control.id} (${control.key}); `
        + (what === 'control' ? `it deploys ${this.controls.map((c) => c.id).join(', ')}.` : 'no exclusion applies to it.'));
    }
    return found;
  }

  /** The control's pattern in this construct's set; the catalog's refusal (no such variant) names this construct. */
  private patternOf(control: CisControl, ssoAware: boolean): string {
    try {
      return control.patternFor(this.patternSet, ssoAware);
    } catch (error) {
      return fail(this, (error as Error).message);
    }
  }
}
