import { judgeIntegrity } from './integrity';
import { Alarm, AlarmMetric, Known, MetricFilter, MonitoringSnapshot, SnapshotIndex, Trail, isUnknown, unknown } from './model';
import { Chain, ControlContext, Finding, FindingVerdict, Rule, Verdict } from './rule';
import { RULES } from './rules';
import { CisControl } from '../catalog/cis-control';
import { CisPatternSet } from '../catalog/cis-pattern-set';
import { KnownPatterns } from '../catalog/variants';

/**
 * The runner: enumerates every candidate chain of every control in a snapshot, runs every rule on each chain,
 * and gives per-control verdicts. A control's verdict is its best chain's (PASS, then WARNING, then UNKNOWN, then
 * FAIL; among equals the one that got furthest); a chain's verdict is its worst finding's (FAIL, then UNKNOWN,
 * then WARNING; PASS without findings). The snapshot's verdict is its worst control's (FAIL, UNKNOWN, WARNING,
 * PASS), and UNKNOWN when there is nothing to check.
 */

export interface RunOptions {
  /** Whose pattern texts count. @default - the text of any pattern set */
  readonly patternSet?: CisPatternSet;
  /** The controls to judge. @default - the pattern set's controls (every built-in one without a set) */
  readonly controls?: CisControl[];
  /** The rules. @default RULES */
  readonly rules?: readonly Rule[];
}

/** The links of a control's chosen chain, as labels (for reports). */
export interface ChainLabels {
  readonly trail?: string;
  readonly logGroup?: string;
  readonly filter?: string;
  readonly alarm?: string;
  readonly topic?: string;
  readonly subscription?: string;
}

/** One control's verdict. */
export interface ControlVerdict {
  /** The control's ID as shown (the pattern set's numbering). */
  readonly id: string;
  readonly key: string;
  readonly title: string;
  readonly verdict: Verdict;
  /** The trail log group judged (its label). */
  readonly logGroup?: string;
  /** One line: why this verdict. */
  readonly reason: string;
  /** The chosen chain's links, as labels. */
  readonly chain: ChainLabels;
  /** The chosen chain itself (the model's resources: names, ARNs, the filter's metric). */
  readonly links: Chain;
  /** The chosen chain's findings. */
  readonly findings: Finding[];
  /** What could not be seen for this control (the trail, when it lives elsewhere). */
  readonly unseen: string[];
}

/** The verdict over a snapshot. */
export interface SnapshotVerdict {
  readonly verdict: Verdict;
  /** Set when there was nothing to check (the verdict is then UNKNOWN). */
  readonly nothingToCheck?: string;
  /** The trail log groups judged (labels). */
  readonly logGroups: string[];
  readonly controls: ControlVerdict[];
  /** Every finding of every control's chosen chain, deduplicated. */
  readonly findings: Finding[];
  /** What the adapter and the chains could not see. */
  readonly unseen: string[];
  /**
   * The monitoring-integrity controls (issue 20: MON.TAMPER, MON.HEARTBEAT), judged by the same chain machinery
   * but reported apart, so the CIS rows, `findings` and `verdict` read as before. Their only effect on `verdict`:
   * a FAIL among them makes it FAIL (absent is a WARNING, undecidable UNKNOWN; neither changes `verdict`).
   * Empty when there was nothing to check. See `integrity.ts`.
   */
  readonly integrity: ControlVerdict[];
  /** Every finding of the integrity controls' chosen chains. */
  readonly integrityFindings: Finding[];
}

const RANK: Record<Verdict, number> = { PASS: 3, WARNING: 2, UNKNOWN: 1, FAIL: 0 };

/** The worst verdict: FAIL, then UNKNOWN, then WARNING, then PASS (PASS for none). */
export function worstVerdict(verdicts: Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((w, v) => (RANK[v] < RANK[w] ? v : w), 'PASS');
}

/** The controls a run judges. */
export function controlsOf(options: RunOptions): CisControl[] {
  return options.controls ?? (options.patternSet ? options.patternSet.controls() : CisControl.all());
}

/** Judges every control of a snapshot with every rule. */
export function runRules(snapshot: MonitoringSnapshot, options: RunOptions = {}): SnapshotVerdict {
  const index = new SnapshotIndex(snapshot);
  const rules = options.rules ?? RULES;
  const roots = chainRoots(snapshot);
  if (roots.length === 0) {
    const nothingToCheck = `${snapshot.source}: no trail, no CIS metric filter on any log group and no --log-group: nothing to check`;
    return { verdict: 'UNKNOWN', nothingToCheck, logGroups: [], controls: [], findings: [], unseen: [...snapshot.unseen], integrity: [], integrityFindings: [] };
  }
  const controls: ControlVerdict[] = [];
  for (const control of controlsOf(options)) {
    const context: ControlContext = {
      control,
      patternSet: options.patternSet,
      id: (options.patternSet ? control.idIn(options.patternSet) : undefined) ?? control.id,
    };
    const judged = roots.flatMap((root) => [...chainsOf(index, context, root)]).map((chain) => judge(index, context, chain, rules));
    controls.push(verdictOf(context, bestChain(judged) as Judged));
  }
  const integrity = judgeIntegrity(index, roots, rules);
  const cisVerdict = worstVerdict(controls.map((c) => c.verdict));
  return {
    verdict: integrity.some((c) => c.verdict === 'FAIL') ? 'FAIL' : cisVerdict,
    logGroups: [...new Set(controls.map((c) => c.logGroup).filter((g): g is string => g !== undefined))],
    controls,
    findings: distinctFindings(controls),
    unseen: [...new Set([...snapshot.unseen, ...controls.flatMap((c) => c.unseen)])],
    integrity,
    integrityFindings: distinctFindings(integrity),
  };
}

function distinctFindings(controls: ControlVerdict[]): Finding[] {
  const seen = new Set<string>();
  return controls.flatMap((c) => c.findings).filter((f) => {
    const key = `${f.rule}|${f.resources.join(',')}|${f.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** One judged chain. */
export interface Judged { readonly chain: Chain; readonly verdict: Verdict; readonly findings: Finding[] }

/** The best of judged chains: PASS, then WARNING, then UNKNOWN, then FAIL; among equals the one that got furthest. */
export function bestChain(judged: Judged[]): Judged | undefined {
  let best: Judged | undefined;
  for (const j of judged) {
    if (!best || RANK[j.verdict] > RANK[best.verdict] || (RANK[j.verdict] === RANK[best.verdict] && depth(j.chain) > depth(best.chain))) best = j;
  }
  return best;
}

/** Runs every rule on one chain of one control. */
export function judge(index: SnapshotIndex, context: ControlContext, chain: Chain, rules: readonly Rule[]): Judged {
  const findings = rules.flatMap((rule) => rule.check(index, context, chain).map((f) => ({ ...f, rule: rule.id })));
  const worst: Record<FindingVerdict, boolean> = { FAIL: false, UNKNOWN: false, WARNING: false };
  for (const f of findings) worst[f.verdict] = true;
  const verdict: Verdict = worst.FAIL ? 'FAIL' : worst.UNKNOWN ? 'UNKNOWN' : worst.WARNING ? 'WARNING' : 'PASS';
  return { chain, verdict, findings };
}

function depth(chain: Chain): number {
  return [chain.trail, chain.logGroupName, chain.filter, chain.transformation, chain.alarm, chain.action, chain.topic, chain.subscription]
    .filter((l) => l !== undefined).length;
}

/** The label of a chain's log group. */
export function logGroupLabel(chain: Chain): string {
  if (chain.logGroup) return chain.logGroup.origin.label;
  return chain.logGroupName === undefined ? 'none' : isUnknown(chain.logGroupName) ? `the log group named by ${chain.logGroupName.$unknown}` : `'${chain.logGroupName}'`;
}

/** A control's verdict from its best chain. */
export function verdictOf(context: ControlContext, judged: Judged): ControlVerdict {
  const { chain, verdict, findings } = judged;
  const order: FindingVerdict[] = ['FAIL', 'UNKNOWN', 'WARNING'];
  const first = order.map((v) => findings.find((f) => f.verdict === v)).find((f) => f !== undefined);
  const links: ChainLabels = {
    trail: chain.trail?.origin.label,
    logGroup: chain.logGroupName === undefined ? undefined : logGroupLabel(chain),
    filter: chain.filter?.origin.label,
    alarm: chain.alarm?.origin.label,
    topic: chain.topic?.origin.label ?? chain.action,
    subscription: chain.subscription?.origin.label,
  };
  const path = [links.filter, links.alarm, links.topic, links.subscription].filter((l) => l !== undefined).join(' → ');
  return {
    id: context.id,
    key: context.control.key,
    title: context.control.title,
    verdict,
    logGroup: links.logGroup,
    reason: first ? first.message : `${links.trail ? `trail ${links.trail} → ` : ''}${links.logGroup} → ${path}`,
    chain: links,
    links: chain,
    findings,
    unseen: chain.trailUnseen ? [chain.trailUnseen] : [],
  };
}

/** Where chains start: a trail with the log group it delivers to, or a log group judged without its trail. */
export interface Root {
  readonly trail?: Trail;
  readonly logGroupName?: Known<string>;
  readonly logGroupKey?: string;
  readonly trailUnseen?: string;
}

export function chainRoots(snapshot: MonitoringSnapshot): Root[] {
  const delivering = snapshot.trails.filter((t) => t.cloudWatchLogsLogGroupArn !== undefined);
  if (delivering.length > 0) {
    return delivering.map((trail) => ({
      trail,
      logGroupName: trail.logGroupName ?? unknown('cannot tell which log group CloudWatchLogsLogGroupArn names'),
      logGroupKey: trail.logGroupKey,
    }));
  }
  const roots: Root[] = [];
  if (snapshot.trails.length > 0) roots.push(...snapshot.trails.map((trail) => ({ trail })));
  const groups = new Map<string, Known<string>>((snapshot.monitoredLogGroups ?? []).map((g) => [g, g]));
  if (snapshot.trails.length === 0 && groups.size === 0) {
    if (snapshot.seesAllTrails) return [{}];
    // The trail lives elsewhere: the log groups carrying a CIS pattern (or one off by whitespace) are its; a group
    // named by a parameter is judged as "the group that parameter names", whatever its value.
    const texts = cisTexts();
    for (const filter of snapshot.metricFilters) {
      if (isUnknown(filter.pattern)) continue;
      const name = filter.logGroupName;
      if (texts.has(squash(filter.pattern))) groups.set(isUnknown(name) ? `unknown:${name.$unknown}` : name, name);
    }
  }
  for (const name of groups.values()) {
    const group = isUnknown(name) ? undefined : snapshot.logGroups.find((g) => g.name === name);
    const shown = isUnknown(name) ? `the log group named by ${name.$unknown}` : `log group '${name}'`;
    roots.push({
      logGroupName: name,
      logGroupKey: group?.key,
      trailUnseen: `the trail delivering to ${shown} is not in ${snapshot.source}: its multi-region setting, event `
        + 'selectors, delivery role and delivery were not checked (run audit in the account)',
    });
  }
  return roots;
}

let cisTextCache: Set<string> | undefined;
function cisTexts(): Set<string> {
  cisTextCache ??= new Set(CisControl.all().flatMap((c) => [...KnownPatterns.of(c).accepted(undefined)].map(squash)));
  return cisTextCache;
}

/** A pattern without whitespace (checkers compare exact text; the runner uses this only to find near misses). */
export function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

/** The pattern texts a control accepts. */
export function acceptedPatterns(context: ControlContext): Set<string> {
  const { control, patternSet } = context;
  return control.isCustom ? new Set([control.patternFor(CisPatternSet.RECOMMENDED)]) : KnownPatterns.of(control).accepted(patternSet);
}

/** Whether two log group names are the same group: equal names, or the same undeterminable value (one parameter). */
export function sameGroup(a: Known<string> | undefined, b: Known<string> | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (isUnknown(a) || isUnknown(b)) return isUnknown(a) && isUnknown(b) && a.$unknown === b.$unknown;
  return a === b;
}

/** Whether a filter is on the root's log group (an Unknown group may be it). */
function onGroup(filter: MetricFilter, root: Root): boolean | 'maybe' {
  if (root.logGroupName === undefined) return false;
  if (root.logGroupKey !== undefined && filter.logGroupKey === root.logGroupKey) return true;
  if (sameGroup(filter.logGroupName, root.logGroupName)) return true;
  if (isUnknown(filter.logGroupName) || isUnknown(root.logGroupName)) return 'maybe';
  return false;
}

export function* chainsOf(index: SnapshotIndex, context: ControlContext, root: Root): Generator<Chain> {
  const logGroup = root.logGroupKey !== undefined ? index.snapshot.logGroups.find((g) => g.key === root.logGroupKey) : undefined;
  const base: Chain = { trail: root.trail, logGroupName: root.logGroupName, logGroup, trailUnseen: root.trailUnseen };
  const accepted = acceptedPatterns(context);
  const filters = index.snapshot.metricFilters.filter((f) => onGroup(f, root) !== false
    && (isUnknown(f.pattern) || accepted.has(f.pattern)));
  if (filters.length === 0) {
    yield base;
    return;
  }
  for (const filter of filters) {
    const withFilter: Chain = { ...base, filter };
    if (isUnknown(filter.transformations) || filter.transformations.length === 0) {
      yield withFilter;
      continue;
    }
    for (const transformation of filter.transformations) {
      const withMetric: Chain = { ...withFilter, transformation };
      const watching = index.snapshot.alarms.flatMap((alarm) => watchedMetrics(alarm)
        .filter((m) => sameName(m.metricName, transformation.metricName) && sameName(m.namespace, transformation.namespace))
        .map((alarmMetric) => ({ alarm, alarmMetric })));
      if (watching.length === 0) {
        yield withMetric;
        continue;
      }
      for (const { alarm, alarmMetric } of watching) yield* alarmChains(index, { ...withMetric, alarm, alarmMetric });
    }
  }
}

/** The metrics an alarm watches: its single metric, or its queries' MetricStats. */
export function watchedMetrics(alarm: Alarm): AlarmMetric[] {
  if (alarm.metric) return [alarm.metric];
  if (alarm.queries === undefined || isUnknown(alarm.queries)) return [];
  return alarm.queries.flatMap((q) => (q.metric ? [q.metric] : []));
}

function sameName(a: Known<string>, b: Known<string>): boolean {
  return isUnknown(a) || isUnknown(b) || a === b;
}

export function* alarmChains(index: SnapshotIndex, chain: Chain): Generator<Chain> {
  const actions = (chain.alarm as Alarm).alarmActions;
  const topics = isUnknown(actions) ? [] : actions.filter((a): a is string => !isUnknown(a) && (index.topic(a) !== undefined || /^arn:[^:]*:sns:/.test(a)));
  if (topics.length === 0) {
    yield chain;
    return;
  }
  for (const action of topics) {
    const topic = index.topic(action);
    if (!topic) {
      yield { ...chain, action };
      continue;
    }
    const key = topic.kmsMasterKeyId !== undefined ? index.key(topic.kmsMasterKeyId) : undefined;
    const withTopic: Chain = { ...chain, action, topic, key };
    const subscriptions = index.subscriptionsOf(topic);
    if (subscriptions.length === 0) yield withTopic;
    for (const subscription of subscriptions) yield { ...withTopic, subscription };
  }
}
