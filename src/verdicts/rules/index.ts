import { Rule } from '../rule';
import { ALARM_ACTIONS_ENABLED } from './alarm-actions-enabled';
import { ALARM_DATAPOINTS } from './alarm-datapoints';
import { ALARM_DIMENSIONS } from './alarm-dimensions';
import { ALARM_FIRES } from './alarm-fires';
import { ALARM_METRIC_MATH } from './alarm-metric-math';
import { ALARM_MISSING_DATA } from './alarm-missing-data';
import { ALARM_NOTIFIES } from './alarm-notifies';
import { ALARM_PRESENT } from './alarm-present';
import { ALARM_UNIT } from './alarm-unit';
import { FILTER_METRIC } from './filter-metric';
import { FILTER_METRIC_VALUE } from './filter-metric-value';
import { FILTER_PRESENT } from './filter-present';
import { HEARTBEAT_FIRES } from './heartbeat-fires';
import { HEARTBEAT_LOG_GROUP } from './heartbeat-log-group';
import { HEARTBEAT_MISSING_DATA } from './heartbeat-missing-data';
import { INTEGRITY_DEPLOYED } from './integrity-deployed';
import { KEY_USABLE } from './key-usable';
import { SUBSCRIPTION_CONFIRMED } from './subscription-confirmed';
import { SUBSCRIPTION_FILTER_POLICY } from './subscription-filter-policy';
import { SUBSCRIPTION_PRESENT } from './subscription-present';
import { TOPIC_POLICY } from './topic-policy';
import { TOPIC_VISIBLE } from './topic-visible';
import { TRAIL_CLOUDWATCH_LOGS } from './trail-cloudwatch-logs';
import { TRAIL_DELIVERY_ROLE } from './trail-delivery-role';
import { TRAIL_DELIVERY_STATUS } from './trail-delivery-status';
import { TRAIL_EXCLUDED_SOURCES } from './trail-excluded-sources';
import { TRAIL_LOG_GROUP_ACCOUNT } from './trail-log-group-account';
import { TRAIL_LOG_GROUP_EXISTS } from './trail-log-group-exists';
import { TRAIL_LOGGING } from './trail-logging';
import { TRAIL_MANAGEMENT_EVENTS } from './trail-management-events';
import { TRAIL_MULTI_REGION } from './trail-multi-region';
import { TRAIL_PRESENT } from './trail-present';

/**
 * Every rule, in chain order: the one registry `check`, `audit`, the validation plugin and the docs read. A rule
 * added here applies everywhere.
 */
export const RULES: readonly Rule[] = [
  TRAIL_PRESENT,
  TRAIL_CLOUDWATCH_LOGS,
  TRAIL_MULTI_REGION,
  TRAIL_LOGGING,
  TRAIL_MANAGEMENT_EVENTS,
  TRAIL_EXCLUDED_SOURCES,
  TRAIL_DELIVERY_ROLE,
  TRAIL_DELIVERY_STATUS,
  TRAIL_LOG_GROUP_ACCOUNT,
  TRAIL_LOG_GROUP_EXISTS,
  FILTER_PRESENT,
  FILTER_METRIC,
  FILTER_METRIC_VALUE,
  ALARM_PRESENT,
  ALARM_METRIC_MATH,
  ALARM_DIMENSIONS,
  ALARM_UNIT,
  ALARM_FIRES,
  ALARM_DATAPOINTS,
  ALARM_MISSING_DATA,
  ALARM_ACTIONS_ENABLED,
  ALARM_NOTIFIES,
  TOPIC_VISIBLE,
  TOPIC_POLICY,
  KEY_USABLE,
  SUBSCRIPTION_PRESENT,
  SUBSCRIPTION_CONFIRMED,
  SUBSCRIPTION_FILTER_POLICY,
];

/**
 * The rules only the monitoring-integrity controls (MON.TAMPER, MON.HEARTBEAT; src/verdicts/integrity.ts) run, on
 * top of those of RULES that apply to them: the tamper control's chains run every rule of RULES, the heartbeat's
 * (an alarm on a vended metric, no filter) the alarm-to-subscriber ones (`HEARTBEAT_CHAIN_RULES`).
 */
export const INTEGRITY_RULES: readonly Rule[] = [
  INTEGRITY_DEPLOYED,
  HEARTBEAT_LOG_GROUP,
  HEARTBEAT_FIRES,
  HEARTBEAT_MISSING_DATA,
];

/** What the heartbeat's chains run: its own rules, then RULES' rules from "actions enabled" to the subscriber. */
export function heartbeatChainRules(): readonly Rule[] {
  return [
    HEARTBEAT_LOG_GROUP,
    HEARTBEAT_FIRES,
    HEARTBEAT_MISSING_DATA,
    ALARM_ACTIONS_ENABLED,
    ALARM_NOTIFIES,
    TOPIC_VISIBLE,
    TOPIC_POLICY,
    KEY_USABLE,
    SUBSCRIPTION_PRESENT,
    SUBSCRIPTION_CONFIRMED,
    SUBSCRIPTION_FILTER_POLICY,
  ];
}
