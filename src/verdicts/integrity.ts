import { Known, SnapshotIndex, isUnknown } from './model';
import { Chain, ControlContext, Rule, Verdict } from './rule';
import { heartbeatChainRules } from './rules';
import { INTEGRITY_DEPLOYED } from './rules/integrity-deployed';
import { ControlVerdict, Judged, Root, alarmChains, bestChain, chainsOf, judge, verdictOf, watchedMetrics, worstVerdict } from './runner';
import { CisControl } from '../catalog/cis-control';
import {
  HEARTBEAT_CONTROL_ID, HEARTBEAT_CONTROL_TITLE, HEARTBEAT_METRIC_NAME, HEARTBEAT_NAMESPACE, TAMPER_ALARM_NAME, TAMPER_CONTROL_ID,
  TAMPER_CONTROL_TITLE, TAMPER_METRIC_NAME, tamperEventNames, tamperFilterName, tamperPatterns,
} from '../catalog/tamper-control';

/**
 * The monitoring-integrity controls of issue 20, judged by the runner's chain machinery beside the CIS controls and
 * reported apart (`SnapshotVerdict.integrity`):
 *
 * - MON.TAMPER: for every service pattern the construct writes (src/catalog/tamper-control.ts), a metric filter on
 *   the trail's log group with that exact text, its metric, an alarm, a topic, a subscriber: each service pattern is
 *   one chain judged by every rule of RULES (as a custom control with that pattern), and the control's verdict is
 *   the worst of its service patterns. The scope the patterns are written for is read from the deployment: the
 *   alarm name prefix from the tamper alarm's (or a tamper filter's) name, the log group from the chain's root, the
 *   delivery role from the trail's CloudWatchLogsRoleArn; the IAM pattern is judged only where an IAM tamper filter
 *   exists (the construct writes it only when it knows the role).
 * - MON.HEARTBEAT: an alarm on AWS/Logs IncomingLogEvents of the trail's group, judged by the heartbeat's own rules
 *   and RULES' alarm-to-subscriber rules (`heartbeatChainRules`).
 *
 * Neither control found at all: WARNING (CIS-MON-INTEGRITY-DEPLOYED), since CIS does not require them. Found but
 * broken: the rules' FAIL. Undecidable: UNKNOWN.
 */
export function judgeIntegrity(index: SnapshotIndex, roots: Root[], rules: readonly Rule[]): ControlVerdict[] {
  return [judgeTamper(index, roots, rules), judgeHeartbeat(index, roots)];
}

const RANK: Record<Verdict, number> = { PASS: 3, WARNING: 2, UNKNOWN: 1, FAIL: 0 };

function context(id: string, title: string, pattern: string, metricName: string, alarmName: string): ControlContext {
  return { control: CisControl.custom({ id, title, pattern, metricName, alarmName }), id };
}

/** "Not deployed": the bare chain of each root, judged by CIS-MON-INTEGRITY-DEPLOYED only. */
function notDeployed(ctx: ControlContext, index: SnapshotIndex, roots: Root[]): ControlVerdict {
  const judged = roots.map((root) => judge(index, ctx, baseChain(index, root), [INTEGRITY_DEPLOYED]));
  return verdictOf(ctx, bestChain(judged) as Judged);
}

function baseChain(index: SnapshotIndex, root: Root): Chain {
  const logGroup = root.logGroupKey !== undefined ? index.snapshot.logGroups.find((g) => g.key === root.logGroupKey) : undefined;
  return { trail: root.trail, logGroupName: root.logGroupName, logGroup, trailUnseen: root.trailUnseen };
}

const known = (value: Known<string> | undefined): string | undefined => (value === undefined || isUnknown(value) ? undefined : value);

/** The alarm name prefixes the tamper control was deployed with: from the tamper alarm's and the tamper filters' names. */
function tamperPrefixes(index: SnapshotIndex): string[] {
  const prefixes = new Set<string>();
  for (const alarm of index.snapshot.alarms) {
    const name = known(alarm.name);
    if (name?.endsWith(TAMPER_ALARM_NAME)) prefixes.add(name.slice(0, -TAMPER_ALARM_NAME.length));
  }
  const services = [...tamperEventNames(true).keys()];
  for (const filter of index.snapshot.metricFilters) {
    const name = known(filter.name);
    const service = services.find((s) => name?.endsWith(tamperFilterName('', s)));
    if (name && service) prefixes.add(name.slice(0, -tamperFilterName('', service).length));
  }
  return [...prefixes];
}

/** The role name of a trail's CloudWatchLogsRoleArn (the last path segment), when known. */
function deliveryRoleName(root: Root): string | undefined {
  const arn = known(root.trail?.cloudWatchLogsRoleArn);
  const name = arn === undefined ? undefined : /:role\/(.+)$/.exec(arn)?.[1];
  // A generated name is one symbolic token (`{{generated/<stack>/<LogicalId>}}`, slashes included); else the last path segment.
  return name === undefined || /^\{\{.*\}\}$/.test(name) ? name : name.split('/').pop();
}

function judgeTamper(index: SnapshotIndex, roots: Root[], rules: readonly Rule[]): ControlVerdict {
  const base = context(TAMPER_CONTROL_ID, TAMPER_CONTROL_TITLE, '', TAMPER_METRIC_NAME, TAMPER_ALARM_NAME);
  const prefixes = tamperPrefixes(index);
  if (prefixes.length === 0) return notDeployed(base, index, roots);
  const candidates: ControlVerdict[] = [];
  for (const root of roots) {
    if (root.logGroupName === undefined) continue;
    if (isUnknown(root.logGroupName)) {
      candidates.push(undecidable(base, baseChain(index, root), [],
        `${TAMPER_CONTROL_ID}: the trail log group's name cannot be determined (${root.logGroupName.$unknown}), and the tamper patterns name it`,
        'Give the log group a literal name, or run audit against the deployed account.'));
      continue;
    }
    for (const prefix of prefixes) {
      const roleName = deliveryRoleName(root);
      const withIam = index.snapshot.metricFilters.some((f) => known(f.name) === tamperFilterName(prefix, 'iam'));
      const patterns = tamperPatterns({ alarmNamePrefix: prefix, logGroupName: root.logGroupName, deliveryRoleName: withIam ? roleName ?? '' : undefined });
      const perService: ControlVerdict[] = [];
      for (const [service, pattern] of patterns) {
        const ctx = context(TAMPER_CONTROL_ID, `${TAMPER_CONTROL_TITLE} (${service} events)`, pattern, TAMPER_METRIC_NAME, TAMPER_ALARM_NAME);
        if (service === 'iam' && roleName === undefined) {
          perService.push(undecidable(ctx, baseChain(index, root), [tamperFilterName(prefix, 'iam')],
            `${TAMPER_CONTROL_ID}: the trail's delivery role is not known, so the pattern of tamper filter ${tamperFilterName(prefix, 'iam')} cannot be checked`,
            'Check the template that holds the trail (or run audit in its account).'));
          continue;
        }
        const judged = [...chainsOf(index, ctx, root)].map((chain) => judge(index, ctx, chain, rules));
        perService.push(verdictOf(ctx, bestChain(judged) as Judged));
      }
      candidates.push(combine(base, perService));
    }
  }
  if (candidates.length === 0) return notDeployed(base, index, roots);
  return candidates.reduce((best, c) => (RANK[c.verdict] > RANK[best.verdict] ? c : best));
}

/** UNKNOWN: the expected filter pattern cannot be computed (reported as CIS-MON-FILTER-PRESENT, the link it blocks). */
function undecidable(ctx: ControlContext, chain: Chain, resources: string[], message: string, fix: string): ControlVerdict {
  return verdictOf(ctx, { chain, verdict: 'UNKNOWN', findings: [{ rule: 'CIS-MON-FILTER-PRESENT', verdict: 'UNKNOWN', resources, message, fix }] });
}

/** One row from the service patterns' verdicts: the worst verdict, its reason and chain; every finding. */
function combine(base: ControlContext, perService: ControlVerdict[]): ControlVerdict {
  const verdict = worstVerdict(perService.map((v) => v.verdict));
  const shown = perService.find((v) => v.verdict === verdict) as ControlVerdict;
  return {
    ...shown,
    id: base.id,
    key: base.control.key,
    title: base.control.title,
    verdict,
    reason: verdict === 'PASS' ? `${perService.length} tamper patterns: ${shown.reason}` : shown.reason,
    findings: perService.flatMap((v) => v.findings),
    unseen: [...new Set(perService.flatMap((v) => v.unseen))],
  };
}

function judgeHeartbeat(index: SnapshotIndex, roots: Root[]): ControlVerdict {
  const ctx = context(HEARTBEAT_CONTROL_ID, HEARTBEAT_CONTROL_TITLE, '', HEARTBEAT_METRIC_NAME, 'delivery_heartbeat_alarm');
  const watching = index.snapshot.alarms.flatMap((alarm) => watchedMetrics(alarm)
    .filter((m) => known(m.namespace) === HEARTBEAT_NAMESPACE && known(m.metricName) === HEARTBEAT_METRIC_NAME)
    .map((alarmMetric) => ({ alarm, alarmMetric })));
  if (watching.length === 0) return notDeployed(ctx, index, roots);
  const rules = heartbeatChainRules();
  const judged: Judged[] = [];
  for (const root of roots) {
    for (const { alarm, alarmMetric } of watching) {
      for (const chain of alarmChains(index, { ...baseChain(index, root), alarm, alarmMetric })) judged.push(judge(index, ctx, chain, rules));
    }
  }
  return verdictOf(ctx, bestChain(judged) as Judged);
}
