import { CisControl, KnownPatterns } from 'cdk-cis-log-monitoring/lib/cli-support';
import { AlarmInfo, AuditApiError, MetricFilterInfo, SubscriptionInfo } from './api';
import { CachedReader } from './cached-reader';
import { describeKnown, patternNotes } from './known-patterns';
import { AuditPatternSet, ControlFinding, TrailFinding } from './report';

/** A link of the chain of audit steps 2–7, and how far it got: 0 no filter, 1 no alarm, 2 no action, 3 no subscriber, 4 all there. */
interface ChainResult {
  readonly depth: number;
  readonly reason: string;
  readonly notes: string[];
  readonly filter?: MetricFilterInfo;
  readonly alarm?: AlarmInfo;
  readonly topicArn?: string;
  readonly confirmed?: number;
  readonly pending?: number;
  /** The next link could not be read: the chain may be complete (the control is then UNKNOWN, not FAIL). */
  readonly unknown?: boolean;
}

/** How far a chain got, an unreadable link counting as "maybe complete": above every broken chain, below a complete one. */
function reach(chain: ChainResult): number {
  return chain.unknown ? 3.5 : chain.depth;
}

/** Runs a read; an `AuditApiError` becomes the `failed` result instead. */
async function attempt<T>(read: () => Promise<T>, failed: (e: AuditApiError) => ChainResult): Promise<T | ChainResult> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof AuditApiError) return failed(e);
    throw e;
  }
}

function isChainResult(value: unknown): value is ChainResult {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'depth' in value;
}

/**
 * Audit steps 2–7 for one control on every candidate trail's log group; the chain that got furthest
 * (on a passing trail first) is the finding.
 */
export async function auditControl(
  reader: CachedReader, control: CisControl, patternSet: AuditPatternSet, trails: TrailFinding[], candidates: TrailFinding[],
  region: string,
): Promise<ControlFinding> {
  const base = {
    id: (patternSet === 'any' ? control.id : control.idIn(patternSet)) ?? control.id,
    key: control.key,
    title: control.title,
  };
  if (candidates.length === 0) {
    // A trail whose log group is elsewhere (another account) or gone says so, rather than "no trail".
    const unreadable = trails.find((t) => t.logGroupName !== undefined);
    if (unreadable) return { ...base, status: 'FAIL', reason: `trail '${unreadable.name}': ${unreadable.reason}`, notes: [], trail: unreadable.name };
    const reason = trails.length === 0
      ? `no CloudTrail trail in ${region} (describe-trails lists none)`
      : `no trail delivers to CloudWatch Logs (${trails.map((t) => `'${t.name}'`).join(', ')} ha${trails.length === 1 ? 's' : 've'} `
        + 'no CloudWatchLogsLogGroupArn)';
    return { ...base, status: 'FAIL', reason, notes: [] };
  }

  const known = KnownPatterns.of(control);
  const accepted = known.accepted(patternSet === 'any' ? undefined : patternSet);
  let best: { trail: TrailFinding; chain: ChainResult; score: number } | undefined;
  for (const trail of candidates) {
    const chain = await auditChain(reader, control, patternSet, known, accepted, trail.logGroupRegion as string, trail.logGroupName as string);
    const score = (trail.status === 'PASS' ? 10 : trail.status === 'UNKNOWN' ? 5 : 0) + reach(chain);
    if (!best || score > best.score) best = { trail, chain, score };
  }
  const { trail, chain } = best as { trail: TrailFinding; chain: ChainResult };
  // PASS needs a passing trail and a complete chain; FAIL needs something read to be wrong; else UNKNOWN.
  const complete = chain.depth === 4;
  const status = trail.status === 'PASS' && complete ? 'PASS'
    : trail.status !== 'FAIL' && (complete || chain.unknown) ? 'UNKNOWN' : 'FAIL';
  let reason = chain.reason;
  if (trail.status !== 'PASS') {
    reason = `trail '${trail.name}': ${trail.reason}`
      + (chain.depth === 4 ? ` (filter, alarm and confirmed subscriber are in place: ${chain.reason})` : `; and ${chain.reason}`);
  }
  return {
    ...base,
    status,
    reason,
    notes: chain.notes,
    trail: trail.name,
    logGroupName: trail.logGroupName,
    filterName: chain.filter?.filterName,
    metricName: chain.filter?.metricName,
    metricNamespace: chain.filter?.metricNamespace,
    alarmName: chain.alarm?.alarmName,
    topicArn: chain.topicArn,
    confirmedSubscriptions: chain.confirmed,
    pendingSubscriptions: chain.pending,
  };
}

/** Steps 2–7 on one log group. */
async function auditChain(
  reader: CachedReader, control: CisControl, patternSet: AuditPatternSet, known: KnownPatterns, accepted: Set<string>,
  region: string, logGroupName: string,
): Promise<ChainResult> {
  const expected = patternSet === 'any' ? 'any pattern set\'s' : `${patternSet.name}'s`;
  const filters = await attempt(() => reader.metricFilters(region, logGroupName), (e): ChainResult => (e.errorName === 'ResourceNotFoundException'
    ? { depth: 0, notes: [], reason: `log group '${logGroupName}' does not exist (region ${region})` }
    : { depth: 0, notes: [], unknown: true, reason: `cannot read the metric filters of log group '${logGroupName}': ${e.message}` }));
  if (isChainResult(filters)) return filters;
  const matching = filters.filter((f) => accepted.has(f.filterPattern));
  if (matching.length === 0) {
    return { depth: 0, notes: [], reason: await diagnoseMissingFilter(reader, control, known, accepted, expected, filters, region, logGroupName) };
  }

  let best: ChainResult | undefined;
  const keep = (result: ChainResult): void => {
    if (!best || reach(result) > reach(best)) best = result;
  };
  const alarms = await attempt(() => reader.alarms(region), (e): ChainResult => ({
    depth: 1, notes: [], unknown: true, filter: matching[0], reason: `cannot read the alarms of ${region}: ${e.message}`,
  }));
  if (isChainResult(alarms)) return alarms;
  for (const filter of matching) {
    const notes = patternNotes(known, patternSet, filter.filterPattern);
    const metric = `${filter.metricNamespace ?? '?'}/${filter.metricName ?? '?'}`;
    const onMetric = alarms.filter((a) => watches(a, filter.metricName, filter.metricNamespace));
    if (onMetric.length === 0) {
      const otherNamespace = alarms.find((a) => watches(a, filter.metricName, undefined));
      const reason = otherNamespace
        ? `alarm '${otherNamespace.alarmName}' watches metric '${filter.metricName}' in namespace '${alarmNamespace(otherNamespace, filter.metricName)}', `
          + `but filter '${filter.filterName}' publishes to namespace '${filter.metricNamespace}'`
        : `no alarm on metric ${metric} (filter '${filter.filterName}')`;
      keep({ depth: 1, reason, notes, filter });
      continue;
    }
    for (const alarm of onMetric) {
      const topics = alarm.alarmActions.filter(isSnsTopicArn);
      if (!alarm.actionsEnabled) {
        keep({ depth: 2, reason: `alarm '${alarm.alarmName}' has its actions disabled (ActionsEnabled is false)`, notes, filter, alarm });
        continue;
      }
      if (topics.length === 0) {
        const reason = alarm.alarmActions.length === 0
          ? `alarm '${alarm.alarmName}' has no alarm action (AlarmActions is empty)`
          : `alarm '${alarm.alarmName}' has no SNS topic among its alarm actions (${alarm.alarmActions.join(', ')})`;
        keep({ depth: 2, reason, notes, filter, alarm });
        continue;
      }
      for (const topicArn of topics) {
        const subscriptions = await attempt(() => reader.subscriptions(topicArn), (e): ChainResult => ({
          depth: 3,
          notes,
          unknown: true,
          filter,
          alarm,
          topicArn,
          reason: `alarm '${alarm.alarmName}' notifies topic ${topicArn}, whose subscriptions cannot be read: ${e.message}`,
        }));
        keep(isChainResult(subscriptions) ? subscriptions : judgeSubscriptions(filter, alarm, topicArn, subscriptions, notes));
      }
    }
  }
  return best as ChainResult;
}

function judgeSubscriptions(
  filter: MetricFilterInfo, alarm: AlarmInfo, topicArn: string, subscriptions: SubscriptionInfo[] | undefined, notes: string[],
): ChainResult {
  const topic = `'${topicName(topicArn)}'`;
  const base = { filter, alarm, topicArn };
  if (subscriptions === undefined) {
    return { ...base, depth: 3, notes, reason: `alarm '${alarm.alarmName}' notifies topic ${topicArn}, which does not exist` };
  }
  const confirmed = subscriptions.filter((s) => s.subscriptionArn.startsWith('arn:'));
  const pending = subscriptions.filter((s) => /^pending\s*confirmation$/i.test(s.subscriptionArn));
  const counts = { confirmed: confirmed.length, pending: pending.length };
  const pendingList = pending.map((s) => `${s.protocol ?? '?'} ${s.endpoint ?? '?'}`).join(', ');
  if (confirmed.length > 0) {
    const extra = pending.length > 0 ? [`${pending.length} more subscription(s) pending confirmation: ${pendingList}`] : [];
    return {
      ...base,
      ...counts,
      depth: 4,
      notes: [...notes, ...extra],
      reason: `filter '${filter.filterName}' → alarm '${alarm.alarmName}' → topic ${topic} (${plural(confirmed.length, 'confirmed subscriber')})`,
    };
  }
  if (pending.length > 0) {
    return {
      ...base,
      ...counts,
      depth: 3,
      notes,
      reason: `topic ${topic} has no confirmed subscriber: ${plural(pending.length, 'subscription')} pending confirmation (${pendingList}); `
        + 'the recipient must confirm',
    };
  }
  return { ...base, ...counts, depth: 3, notes, reason: `topic ${topic} (alarm '${alarm.alarmName}') has no subscribers` };
}

async function diagnoseMissingFilter(
  reader: CachedReader, control: CisControl, known: KnownPatterns, accepted: Set<string>, expected: string,
  filters: MetricFilterInfo[], region: string, logGroupName: string,
): Promise<string> {
  // The text of another pattern set for this control.
  const otherSet = filters.find((f) => known.has(f.filterPattern));
  if (otherSet) {
    return `filter '${otherSet.filterName}' has ${describeKnown(known, otherSet.filterPattern)}; expected ${expected}`;
  }
  // A filter for this control's metric with some other text.
  const sameMetric = filters.find((f) => f.metricName === control.metricName || f.filterName === control.metricName);
  if (sameMetric) {
    const whitespaceOnly = [...accepted].some((text) => squash(text) === squash(sameMetric.filterPattern));
    return `filter '${sameMetric.filterName}' (metric '${sameMetric.metricName}') has a pattern that is not ${expected}`
      + (whitespaceOnly ? ' (it differs only in whitespace; checkers compare the exact text)' : '');
  }
  // The right filter on the wrong log group.
  const everyGroup = await reader.metricFilters(region).catch((e) => {
    if (e instanceof AuditApiError) return [] as MetricFilterInfo[]; // only a hint: leave it out
    throw e;
  });
  const elsewhere = everyGroup.find((f) => f.logGroupName !== logGroupName && accepted.has(f.filterPattern));
  if (elsewhere) {
    return `filter '${elsewhere.filterName}' with the expected pattern is on log group '${elsewhere.logGroupName}', `
      + `not on the trail's log group '${logGroupName}'`;
  }
  return `no metric filter with ${expected} pattern on log group '${logGroupName}' (${plural(filters.length, 'filter')} there)`;
}

function watches(alarm: AlarmInfo, metricName: string | undefined, namespace: string | undefined): boolean {
  if (metricName === undefined) return false;
  const metrics = [{ metricName: alarm.metricName, namespace: alarm.namespace }, ...alarm.metrics];
  return metrics.some((m) => m.metricName === metricName && (namespace === undefined || m.namespace === namespace));
}

function alarmNamespace(alarm: AlarmInfo, metricName: string | undefined): string {
  const metrics = [{ metricName: alarm.metricName, namespace: alarm.namespace }, ...alarm.metrics];
  return metrics.find((m) => m.metricName === metricName)?.namespace ?? '?';
}

function isSnsTopicArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:sns:[^:]+:\d+:[^:]+$/.test(arn);
}

function topicName(arn: string): string {
  return arn.split(':')[5] ?? arn;
}

function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

