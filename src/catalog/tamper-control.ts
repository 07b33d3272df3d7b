// The monitoring-integrity controls of issue 20 (§1 the delivery heartbeat, §2 the tamper control) as data, one
// definition for every place that shows them: the construct (src/construct/self-monitoring.ts builds the filters
// and alarms from it), `replay` and `hunt` (the tamper control's row/query), `check`, `audit` and the plugin
// (src/verdicts/integrity.ts judges both controls). The tamper pattern's event names come from SILENCING_ACTIONS,
// the one table of "what silences a page or blinds a control" that CisTamperProtectionPolicy also generates its SCP
// from, and are composed on the engine's syntax tree.
//
// Internal (not exported from src/index.ts) and free of aws-cdk-lib/constructs imports: the CLI bundles it.
import { Expression } from '../engine/ast';
import { conjunction, disjunction, equalsAny, negate, renderCompact, selector } from '../engine/compose';
import { SILENCING_ACTIONS } from '../organizations/silencing-actions';

/**
 * The tamper control's ID wherever controls are listed (replay rows, hunt queries, check/audit integrity rows).
 * Not a CIS section number: `MON.` marks the monitoring-integrity controls, which no CIS edition defines.
 */
export const TAMPER_CONTROL_ID = 'MON.TAMPER';
/** The delivery heartbeat's ID in check/audit (it reads a metric, not events, so replay and hunt do not show it). */
export const HEARTBEAT_CONTROL_ID = 'MON.HEARTBEAT';
export const TAMPER_CONTROL_TITLE = 'Ensure changes that silence or blind the CIS monitoring itself are monitored';
export const HEARTBEAT_CONTROL_TITLE = 'Ensure the trail\'s log group receiving no events is monitored (delivery heartbeat)';

/** The metric the tamper filters publish, and the prefix of their names (`<alarm prefix><metric>_<service>`). */
export const TAMPER_METRIC_NAME = 'monitoring_tamper_metric';
/** The alarm names after the construct's alarm name prefix. */
export const TAMPER_ALARM_NAME = 'monitoring_tamper_alarm';
export const HEARTBEAT_ALARM_NAME = 'delivery_heartbeat_alarm';
/** The continuous self-audit's alarm (`selfAudit`): FAIL or UNKNOWN controls, or no report for a period. */
export const SELF_AUDIT_ALARM_NAME = 'cis_self_audit_alarm';
/** The heartbeat's metric: CloudWatch Logs' vended `IncomingLogEvents` of the trail's group. */
export const HEARTBEAT_NAMESPACE = 'AWS/Logs';
export const HEARTBEAT_METRIC_NAME = 'IncomingLogEvents';
export const HEARTBEAT_DIMENSION = 'LogGroupName';

/** The CloudTrail `eventSource` of each IAM service prefix in SILENCING_ACTIONS (CloudWatch's API is "monitoring"). */
export const TAMPER_EVENT_SOURCE: Readonly<Record<string, string>> = {
  logs: 'logs.amazonaws.com',
  cloudwatch: 'monitoring.amazonaws.com',
  sns: 'sns.amazonaws.com',
  kms: 'kms.amazonaws.com',
  cloudtrail: 'cloudtrail.amazonaws.com',
  iam: 'iam.amazonaws.com',
};

/** What a CloudFormation deployment's own calls carry (calls made with the caller's credentials or a service role). */
export const CLOUDFORMATION_INVOKED_BY = 'cloudformation.amazonaws.com';

/**
 * The names the tamper patterns are scoped to. The construct sets all it knows; the CLI (`replay`, `hunt`) leaves
 * out what the user did not give, and an omitted name matches every resource of its kind.
 */
export interface TamperScope {
  /** The prefix of every alarm name of the construct (empty or undefined: every alarm). */
  readonly alarmNamePrefix?: string;
  /** The trail log group's name (may be a token); undefined: every log group. */
  readonly logGroupName?: string;
  /** The trail's CloudWatch Logs delivery role name, when known; without it IAM events are not matched. */
  readonly deliveryRoleName?: string;
}

/**
 * The event names of SILENCING_ACTIONS' denied actions, by IAM service prefix, in table order, without duplicates.
 * `iam` is left out when `withIam` is false.
 */
export function tamperEventNames(withIam = true): Map<string, string[]> {
  // SILENCING_ACTIONS is a constant table: derive each variant once per process, hand out copies.
  let derived = TAMPER_EVENT_NAMES.get(withIam);
  if (derived === undefined) {
    derived = deriveTamperEventNames(withIam);
    TAMPER_EVENT_NAMES.set(withIam, derived);
  }
  return new Map([...derived].map(([service, names]) => [service, [...names]]));
}

const TAMPER_EVENT_NAMES = new Map<boolean, Map<string, string[]>>();

function deriveTamperEventNames(withIam: boolean): Map<string, string[]> {
  const byService = new Map<string, string[]>();
  for (const entry of Object.values(SILENCING_ACTIONS)) {
    for (const { action } of entry.protects?.deny ?? []) {
      const [service, name] = action.split(':');
      if (!TAMPER_EVENT_SOURCE[service]) throw new Error(`SILENCING_ACTIONS names ${action}, whose CloudTrail event source is not known`);
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
      if (!scope.alarmNamePrefix) return undefined;
      // PutMetricAlarm and SetAlarmState name one alarm; DeleteAlarms and DisableAlarmActions take a list.
      return disjunction([eq('$.requestParameters.alarmName', `${scope.alarmNamePrefix}*`), eq('$.requestParameters.alarmNames[*]', `${scope.alarmNamePrefix}*`)]);
    case 'logs':
      if (scope.logGroupName === undefined) return undefined;
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

/** The tamper control's expressions, one per service, in table order (IAM only with a delivery role name). */
export function tamperExpressions(scope: TamperScope): Map<string, Expression> {
  const invokedBy = selector('$.userIdentity.invokedBy');
  const notCloudFormation = negate(equalsAny(invokedBy, [CLOUDFORMATION_INVOKED_BY]), () => 'string');
  const expressions = new Map<string, Expression>();
  for (const [service, names] of tamperEventNames(scope.deliveryRoleName !== undefined)) {
    const scoped = scopeOf(service, scope);
    expressions.set(service, conjunction([
      eq('$.eventSource', TAMPER_EVENT_SOURCE[service]),
      equalsAny(selector('$.eventName'), names),
      ...(scoped ? [scoped] : []),
      notCloudFormation,
    ]));
  }
  return expressions;
}

/**
 * The tamper patterns, one per service (together they exceed CloudWatch Logs' 1,024 characters per pattern): the
 * service's silencing events, scoped to the construct's names where the request names them, and not made by
 * CloudFormation (`$.userIdentity.invokedBy`). These are the construct's filter patterns, byte for byte.
 */
export function tamperPatterns(scope: TamperScope): Map<string, string> {
  return new Map([...tamperExpressions(scope)].map(([service, expression]) => [service, renderCompact(expression)]));
}

/**
 * The tamper control as one pattern text (the disjunction of the service patterns), for `replay` and `hunt`, which
 * evaluate it on records and are not bound by CloudWatch Logs' pattern length: an event matches exactly when one of
 * the construct's filters matches it.
 */
export function tamperPattern(scope: TamperScope): string {
  return renderCompact(disjunction([...tamperExpressions(scope).values()]));
}

/** The name of the tamper filter of a service: `<alarm prefix>monitoring_tamper_metric_<service>`. */
export function tamperFilterName(alarmNamePrefix: string, service: string): string {
  return `${alarmNamePrefix}${TAMPER_METRIC_NAME}_${service}`;
}
