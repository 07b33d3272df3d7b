// The pure part of the self-monitoring (issue 20 §1 and §2): the alarm and metric names and the tamper control's
// patterns. No aws-cdk-lib here, so that the CLI (through src/cli-support.ts) and the self-audit function can read the
// same patterns and names the construct deploys (the evidence report lists the events matching them). The construct
// side (self-monitoring.ts) re-exports every name.
import { Expression } from '../engine/ast';
import { conjunction, disjunction, equalsAny, negate, renderCompact, selector } from '../engine/compose';
import { SILENCING_ACTIONS } from '../organizations/silencing-actions';

export const TAMPER_METRIC_NAME = 'monitoring_tamper_metric';
export const TAMPER_ALARM_NAME = 'monitoring_tamper_alarm';
export const HEARTBEAT_ALARM_NAME = 'delivery_heartbeat_alarm';
/** The alarm names (after the prefix) of the self-monitoring: the tamper-protection SCP protects them by default. */
export const SELF_MONITORING_ALARM_NAMES: readonly string[] = [HEARTBEAT_ALARM_NAME, TAMPER_ALARM_NAME];

/** The CloudTrail `eventSource` of each IAM service prefix in SILENCING_ACTIONS (CloudWatch's API is "monitoring"). */
const EVENT_SOURCE: Readonly<Record<string, string>> = {
  logs: 'logs.amazonaws.com',
  cloudwatch: 'monitoring.amazonaws.com',
  sns: 'sns.amazonaws.com',
  kms: 'kms.amazonaws.com',
  cloudtrail: 'cloudtrail.amazonaws.com',
  iam: 'iam.amazonaws.com',
};

/** What a CloudFormation deployment's own calls carry (calls made with the caller's credentials or a service role). */
export const CLOUDFORMATION_INVOKED_BY = 'cloudformation.amazonaws.com';

/** The names the tamper patterns are scoped to. */
export interface TamperScope {
  /** The prefix of every alarm name of the construct (empty: every alarm). */
  readonly alarmNamePrefix: string;
  /** The trail log group's name (may be a token). */
  readonly logGroupName: string;
  /** The trail's CloudWatch Logs delivery role name, when the construct knows it; without it IAM events are not matched. */
  readonly deliveryRoleName?: string;
}

/**
 * The event names of SILENCING_ACTIONS' denied actions, by IAM service prefix, in table order, without duplicates.
 * `iam` is left out when `withIam` is false.
 */
export function tamperEventNames(withIam = true): Map<string, string[]> {
  const byService = new Map<string, string[]>();
  for (const entry of Object.values(SILENCING_ACTIONS)) {
    for (const { action } of entry.protects?.deny ?? []) {
      const [service, name] = action.split(':');
      if (!EVENT_SOURCE[service]) throw new Error(`SILENCING_ACTIONS names ${action}, whose CloudTrail event source is not known`);
      if (service === 'iam' && !withIam) continue;
      const names = byService.get(service) ?? [];
      if (!names.includes(name)) names.push(name);
      byService.set(service, names);
    }
  }
  return byService;
}

const eq = (field: string, value: string): Expression => equalsAny(selector(field), [value]);

/** The scope condition of a service's events (undefined: the event name alone). */
function scopeOf(service: string, scope: TamperScope): Expression | undefined {
  switch (service) {
    case 'cloudwatch':
      if (scope.alarmNamePrefix === '') return undefined;
      // PutMetricAlarm and SetAlarmState name one alarm; DeleteAlarms and DisableAlarmActions take a list.
      return disjunction([eq('$.requestParameters.alarmName', `${scope.alarmNamePrefix}*`), eq('$.requestParameters.alarmNames[*]', `${scope.alarmNamePrefix}*`)]);
    case 'logs':
      // Most calls take logGroupName; PutDataProtectionPolicy takes logGroupIdentifier (the name or the ARN, which
      // contains the name): "contains" may also match a group whose name contains this one (pages, never silences).
      return disjunction([
        eq('$.requestParameters.logGroupName', scope.logGroupName),
        eq('$.requestParameters.logGroupIdentifier', `*${scope.logGroupName}*`),
      ]);
    case 'iam':
      return eq('$.requestParameters.roleName', scope.deliveryRoleName!);
    default:
      return undefined;
  }
}

/**
 * The tamper patterns, one per service (together they exceed CloudWatch Logs' 1,024 characters per pattern): the
 * service's silencing events, scoped to the construct's names where the request names them, and not made by
 * CloudFormation (`$.userIdentity.invokedBy`).
 */
export function tamperPatterns(scope: TamperScope): Map<string, string> {
  const invokedBy = selector('$.userIdentity.invokedBy');
  const notCloudFormation = negate(equalsAny(invokedBy, [CLOUDFORMATION_INVOKED_BY]), () => 'string');
  const patterns = new Map<string, string>();
  for (const [service, names] of tamperEventNames(scope.deliveryRoleName !== undefined)) {
    const scoped = scopeOf(service, scope);
    const expression = conjunction([
      eq('$.eventSource', EVENT_SOURCE[service]),
      equalsAny(selector('$.eventName'), names),
      ...(scoped ? [scoped] : []),
      notCloudFormation,
    ]);
    patterns.set(service, renderCompact(expression));
  }
  return patterns;
}
