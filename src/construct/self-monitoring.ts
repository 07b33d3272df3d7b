// Monitoring that cannot fail silently (issue 20 §1 and §2): the delivery heartbeat (an alarm when the trail's log
// group stops receiving events) and the tamper control (a metric filter and alarm on the events that delete,
// disable, re-point or unsubscribe what the construct created). Internal: CisLogMonitoring builds both; the tamper
// pattern's event names come from SILENCING_ACTIONS, the one table of "what silences a page or blinds a control"
// that CisTamperProtectionPolicy also generates its SCP from, and are compiled on the engine's syntax tree in
// src/catalog/tamper-control.ts (the one definition the CLI and the verdict rules also read).
import { Duration, Token, aws_cloudwatch as cloudwatch, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ICisAlarmDestination } from './cis-alarm-destination';
import { ControlAlarm } from './control-alarm';
import { fail } from './validation';
import { HEARTBEAT_ALARM_NAME, SELF_AUDIT_ALARM_NAME, TAMPER_ALARM_NAME, TAMPER_METRIC_NAME, tamperPatterns } from '../catalog/tamper-control';
import { LogFilterPattern } from '../engine/log-filter-pattern';

/** Construct IDs (part of the API: never change). */
export const HEARTBEAT_ID = 'DeliveryHeartbeat';
export const TAMPER_ID = 'Tamper';

/** The heartbeat's default window: see docs/self-monitoring.md ("Why one hour"). */
export const DEFAULT_HEARTBEAT_WINDOW = Duration.hours(1);
/** The heartbeat alarm evaluates 5-minute periods, CloudTrail's delivery interval: the window slides by 5 minutes. */
export const HEARTBEAT_STEP = Duration.minutes(5);
/** Below three delivery intervals an ordinary late batch would page. */
export const MIN_HEARTBEAT_WINDOW = Duration.minutes(15);
/** CloudWatch: evaluation periods times period may not exceed one day for periods under an hour. */
export const MAX_HEARTBEAT_WINDOW = Duration.hours(24);

// The tamper pattern, the names and the IDs are defined once in src/catalog/tamper-control.ts (the CLI and the
// verdict rules read them there); re-exported here for the construct's callers.
export {
  CLOUDFORMATION_INVOKED_BY, HEARTBEAT_ALARM_NAME, TAMPER_ALARM_NAME, TAMPER_METRIC_NAME, type TamperScope, tamperEventNames, tamperPatterns,
} from '../catalog/tamper-control';
/**
 * The alarm names (after the prefix) of the self-monitoring: the tamper-protection SCP protects them by default. The
 * self-audit's alarm is the one that pages when the self-audit stops or is starved, so it is protected like the others.
 */
export const SELF_MONITORING_ALARM_NAMES: readonly string[] = [HEARTBEAT_ALARM_NAME, TAMPER_ALARM_NAME, SELF_AUDIT_ALARM_NAME];

export function validateHeartbeatWindow(scope: Construct, window: Duration): void {
  if (window.isUnresolved()) fail(scope, 'deliveryHeartbeatPeriod must be known at synth (it sets the number of evaluation periods).');
  const ms = window.toMilliseconds();
  if (ms < MIN_HEARTBEAT_WINDOW.toMilliseconds() || ms > MAX_HEARTBEAT_WINDOW.toMilliseconds() || ms % HEARTBEAT_STEP.toMilliseconds() !== 0) {
    fail(scope, `deliveryHeartbeatPeriod ${window.toHumanString()} is outside 15 minutes .. 24 hours or not a multiple of 5 minutes. `
      + 'CloudTrail delivers to CloudWatch Logs about every 5 minutes, so a shorter window pages on an ordinary late batch, and '
      + 'CloudWatch evaluates at most one day of 5-minute periods. Use e.g. Duration.hours(1) (the default) or Duration.hours(6) for a quiet account.');
  }
}

export interface SelfMonitoringOptions {
  readonly logGroup: logs.ILogGroup;
  readonly alarmNamePrefix: string;
  readonly namespace: string;
  readonly alarmArnPattern: string;
  /** Every destination the two alarms notify: the alarm (compliance) topic, the operational topic, the CRITICAL routes. */
  readonly destinations: readonly ICisAlarmDestination[];
  readonly okNotifications: boolean;
}

/** The delivery heartbeat: fires when the log group received no event for `window` (missing data is breaching). */
export function addDeliveryHeartbeat(owner: Construct, o: SelfMonitoringOptions, window: Duration): cloudwatch.Alarm {
  const scope = new Construct(owner, HEARTBEAT_ID);
  const periods = window.toMinutes() / HEARTBEAT_STEP.toMinutes();
  const alarm = new cloudwatch.Alarm(scope, 'Alarm', {
    alarmName: `${o.alarmNamePrefix}${HEARTBEAT_ALARM_NAME}`,
    alarmDescription: `The trail's log group received no CloudTrail event for ${window.toHumanString()}: delivery stopped (trail stopped or `
      + 'deleted, delivery role changed, group deleted or throttled), so every CIS alarm is blind. See docs/self-monitoring.md.',
    metric: new cloudwatch.Metric({
      namespace: 'AWS/Logs',
      metricName: 'IncomingLogEvents',
      dimensionsMap: { LogGroupName: o.logGroup.logGroupName },
      statistic: cloudwatch.Stats.SUM,
      period: HEARTBEAT_STEP,
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: periods,
    datapointsToAlarm: periods,
    // IncomingLogEvents is published only for periods with events: no data is exactly "nothing arrived".
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  notify(alarm, o);
  return alarm;
}

/** The tamper control: one metric filter per service on one metric, and its alarm. */
export function addTamperControl(owner: Construct, o: SelfMonitoringOptions, deliveryRoleName: string | undefined, period: Duration):
{ alarm: cloudwatch.Alarm; filters: logs.MetricFilter[]; patterns: Map<string, string> } {
  const scope = new Construct(owner, TAMPER_ID);
  const patterns = tamperPatterns({ alarmNamePrefix: o.alarmNamePrefix, logGroupName: o.logGroup.logGroupName, deliveryRoleName });
  const tamper = new ControlAlarm(scope, { logGroup: o.logGroup, namespace: o.namespace, metricName: TAMPER_METRIC_NAME });
  for (const [service, pattern] of patterns) {
    if (!Token.isUnresolved(pattern)) {
      const problems = LogFilterPattern.validate(pattern);
      if (problems.length > 0) fail(owner, `the tamper pattern for ${service} is invalid: ${problems.join('; ')}`);
    }
    // Prefixed like the alarms, so that two instances on one log group (different controls) do not clash.
    tamper.addFilter(`${service.charAt(0).toUpperCase()}${service.slice(1)}MetricFilter`, pattern, `${o.alarmNamePrefix}${TAMPER_METRIC_NAME}_${service}`);
  }
  const alarm = tamper.addAlarm('Alarm', {
    alarmName: `${o.alarmNamePrefix}${TAMPER_ALARM_NAME}`,
    alarmDescription: 'Monitoring integrity: someone deleted, disabled, re-pointed or unsubscribed part of the CIS monitoring (metric filters, '
      + 'alarms, topics, subscriptions, keys, the log group, the trail) outside CloudFormation. Metric filters '
      + `${o.alarmNamePrefix}${TAMPER_METRIC_NAME}_*. See docs/self-monitoring.md.`,
    period,
    threshold: 1,
  });
  notify(alarm, o);
  return { alarm, filters: tamper.filters, patterns };
}

export function notify(alarm: cloudwatch.Alarm, o: SelfMonitoringOptions): void {
  for (const destination of o.destinations) {
    destination.addAlarmActions({ alarm, okNotifications: o.okNotifications, alarmArnPattern: o.alarmArnPattern });
  }
}
