import { CisControl, CisPatternSet } from 'cdk-cis-log-monitoring/lib/catalog';
import { AlarmInfo, AuditApi, EventSelectorsInfo, MetricFilterInfo, SubscriptionInfo, TrailInfo } from './api';

/** The result of one check. */
export type AuditStatus = 'PASS' | 'FAIL';

/** Which pattern text a filter must have: one set's (its SSO-aware variant of 4.2 included), or any set's. */
export type AuditPatternSet = CisPatternSet | 'any';

/** What to audit. */
export interface AuditOptions {
  /** The region whose trails are listed (multi-region trails from other home regions included). */
  readonly region: string;
  /** @default CisPatternSet.RECOMMENDED */
  readonly patternSet?: AuditPatternSet;
}

/** Audit step 1 for one trail. */
export interface TrailFinding {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly isMultiRegionTrail: boolean;
  readonly logGroupName?: string;
  readonly logGroupRegion?: string;
  readonly isLogging?: boolean;
  /** At least one selector captures all management events (read and write). */
  readonly allManagementEvents?: boolean;
  /** PASS when the trail satisfies audit step 1. */
  readonly status: AuditStatus;
  readonly reason: string;
}

/** Audit steps 1–7 for one control. */
export interface ControlFinding {
  /** The control's id as the pattern set numbers it (`4.1`, `3.1`, `CloudWatch.2`). */
  readonly id: string;
  readonly key: string;
  readonly title: string;
  readonly status: AuditStatus;
  /** Why it passed (the chain found) or failed (the first missing link). */
  readonly reason: string;
  /** Extra facts: SSO-aware variant, which sets' text the pattern is, pending subscriptions. */
  readonly notes: string[];
  readonly trail?: string;
  readonly logGroupName?: string;
  readonly filterName?: string;
  readonly metricName?: string;
  readonly metricNamespace?: string;
  readonly alarmName?: string;
  readonly topicArn?: string;
  readonly confirmedSubscriptions?: number;
  readonly pendingSubscriptions?: number;
}

/** The whole audit. */
export interface AuditReport {
  readonly account: string;
  readonly callerArn: string;
  readonly region: string;
  /** The pattern set's name, or `any`. */
  readonly patternSet: string;
  readonly trails: TrailFinding[];
  readonly controls: ControlFinding[];
  readonly passed: number;
  readonly failed: number;
  /** PASS when every control passes. */
  readonly status: AuditStatus;
}

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
}

/** Pattern texts the catalog knows for a control, each with the sets (and variants) that use it. */
type KnownPatterns = Map<string, string[]>;

const SSO_SUFFIX = ' (SSO-aware)';

/**
 * Runs the CIS AWS Foundations Benchmark audit procedure for the monitoring controls (v3.0.0
 * 4.1–4.15, "Audit" steps 1–7) against an account.
 *
 * Per control, PASS needs one chain: a multi-region trail that is logging and captures all
 * management events (step 1) → a metric filter on the trail's log group with the expected pattern
 * (steps 2–3) → an alarm on the filter's metric, same name and namespace (steps 4–5) → an alarm
 * action to an SNS topic, with actions enabled (step 6) → at least one confirmed subscription
 * (step 7). A FAIL names the first missing link of the chain that got furthest.
 */
export async function runCisAudit(api: AuditApi, options: AuditOptions): Promise<AuditReport> {
  const region = options.region;
  const patternSet = options.patternSet ?? CisPatternSet.RECOMMENDED;
  const reader = new CachedReader(api);
  const identity = await api.callerIdentity(region);

  const trails = await auditTrails(api, region);
  const candidates = trails
    .filter((t) => t.logGroupName !== undefined)
    .sort((a, b) => (a.status === b.status ? 0 : a.status === 'PASS' ? -1 : 1));
  const controls = patternSet === 'any' ? CisControl.all() : patternSet.controls();

  const findings: ControlFinding[] = [];
  for (const control of controls) {
    findings.push(await auditControl(reader, control, patternSet, trails, candidates, region));
  }
  const passed = findings.filter((f) => f.status === 'PASS').length;
  return {
    account: identity.account,
    callerArn: identity.arn,
    region,
    patternSet: patternSet === 'any' ? 'any' : patternSet.name,
    trails,
    controls: findings,
    passed,
    failed: findings.length - passed,
    status: passed === findings.length && findings.length > 0 ? 'PASS' : 'FAIL',
  };
}

/** Audit step 1 for every trail the region lists. */
async function auditTrails(api: AuditApi, region: string): Promise<TrailFinding[]> {
  const listed = await api.describeTrails(region);
  const seen = new Set<string>();
  const findings: TrailFinding[] = [];
  for (const trail of listed) {
    if (seen.has(trail.arn)) continue;
    seen.add(trail.arn);
    findings.push(await auditTrail(api, region, trail));
  }
  return findings;
}

async function auditTrail(api: AuditApi, region: string, trail: TrailInfo): Promise<TrailFinding> {
  const homeRegion = trail.homeRegion || region;
  const base = { name: trail.name, arn: trail.arn, homeRegion, isMultiRegionTrail: trail.isMultiRegionTrail };
  const logGroup = trail.cloudWatchLogsLogGroupArn ? parseLogGroupArn(trail.cloudWatchLogsLogGroupArn) : undefined;
  if (!logGroup) {
    const reason = trail.cloudWatchLogsLogGroupArn
      ? `CloudWatchLogsLogGroupArn '${trail.cloudWatchLogsLogGroupArn}' is not a log group ARN`
      : 'does not deliver to CloudWatch Logs (no CloudWatchLogsLogGroupArn)';
    return { ...base, status: 'FAIL', reason };
  }
  const status = await api.getTrailStatus(homeRegion, trail.arn);
  const selectors = await api.getEventSelectors(homeRegion, trail.arn);
  const allManagementEvents = capturesAllManagementEvents(selectors);

  const problems: string[] = [];
  if (!trail.isMultiRegionTrail) problems.push('single-region trail (IsMultiRegionTrail is false)');
  if (!status.isLogging) problems.push('not logging (IsLogging is false)');
  if (!allManagementEvents) problems.push(describeSelectorProblem(selectors));
  const reason = problems.length === 0
    ? `multi-region, logging, all management events, delivers to log group '${logGroup.name}'`
    : problems.join('; ');
  return {
    ...base,
    logGroupName: logGroup.name,
    logGroupRegion: logGroup.region,
    isLogging: status.isLogging,
    allManagementEvents,
    status: problems.length === 0 ? 'PASS' : 'FAIL',
    reason,
  };
}

/**
 * Step 1's third bullet: a basic selector with IncludeManagementEvents true and ReadWriteType All,
 * or an advanced selector that selects the Management category and nothing narrower.
 */
export function capturesAllManagementEvents(selectors: EventSelectorsInfo): boolean {
  const basic = selectors.eventSelectors.some((s) => s.includeManagementEvents === true && s.readWriteType === 'All');
  const advanced = selectors.advancedEventSelectors.some((s) =>
    s.fieldSelectors.length === 1
    && s.fieldSelectors[0].field === 'eventCategory'
    && (s.fieldSelectors[0].equals ?? []).includes('Management'));
  return basic || advanced;
}

function describeSelectorProblem(selectors: EventSelectorsInfo): string {
  if (selectors.advancedEventSelectors.length > 0) {
    return 'no advanced event selector captures all management events (eventCategory = Management with no narrower field)';
  }
  if (selectors.eventSelectors.length === 0) return 'no event selectors (management events are not captured)';
  const found = selectors.eventSelectors
    .map((s) => `IncludeManagementEvents ${s.includeManagementEvents === true}, ReadWriteType ${s.readWriteType ?? '-'}`)
    .join(' | ');
  return `no event selector with IncludeManagementEvents true and ReadWriteType All (found: ${found})`;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` → region and name. */
export function parseLogGroupArn(arn: string): { region: string; name: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'logs' || parts[5] !== 'log-group' || !parts[6]) return undefined;
  return { region: parts[3], name: parts[6] };
}

async function auditControl(
  reader: CachedReader, control: CisControl, patternSet: AuditPatternSet, trails: TrailFinding[], candidates: TrailFinding[],
  region: string,
): Promise<ControlFinding> {
  const base = {
    id: (patternSet === 'any' ? control.id : control.idIn(patternSet)) ?? control.id,
    key: control.key,
    title: control.title,
  };
  if (candidates.length === 0) {
    const reason = trails.length === 0
      ? `no CloudTrail trail in ${region} (describe-trails lists none)`
      : `no trail delivers to CloudWatch Logs (${trails.map((t) => `'${t.name}'`).join(', ')} ha${trails.length === 1 ? 's' : 've'} `
        + 'no CloudWatchLogsLogGroupArn)';
    return { ...base, status: 'FAIL', reason, notes: [] };
  }

  const known = knownPatterns(control);
  const accepted = acceptedPatterns(known, patternSet);
  let best: { trail: TrailFinding; chain: ChainResult; score: number } | undefined;
  for (const trail of candidates) {
    const chain = await auditChain(reader, control, patternSet, known, accepted, trail.logGroupRegion as string, trail.logGroupName as string);
    const score = (trail.status === 'PASS' ? 10 : 0) + chain.depth;
    if (!best || score > best.score) best = { trail, chain, score };
  }
  const { trail, chain } = best as { trail: TrailFinding; chain: ChainResult };
  const pass = trail.status === 'PASS' && chain.depth === 4;
  let reason = chain.reason;
  if (trail.status !== 'PASS') {
    reason = `trail '${trail.name}': ${trail.reason}`
      + (chain.depth === 4 ? ` (filter, alarm and confirmed subscriber are in place: ${chain.reason})` : `; and ${chain.reason}`);
  }
  return {
    ...base,
    status: pass ? 'PASS' : 'FAIL',
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
  const filters = await reader.metricFilters(region, logGroupName);
  const matching = filters.filter((f) => accepted.has(f.filterPattern));
  if (matching.length === 0) {
    return { depth: 0, notes: [], reason: await diagnoseMissingFilter(reader, control, known, accepted, expected, filters, region, logGroupName) };
  }

  let best: ChainResult | undefined;
  const keep = (result: ChainResult): void => {
    if (!best || result.depth > best.depth) best = result;
  };
  const alarms = await reader.alarms(region);
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
        const subscriptions = await reader.subscriptions(topicArn);
        keep(judgeSubscriptions(filter, alarm, topicArn, subscriptions, notes));
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
    return `filter '${otherSet.filterName}' has ${describeLabels(known.get(otherSet.filterPattern) as string[])}; expected ${expected}`;
  }
  // A filter for this control's metric with some other text.
  const sameMetric = filters.find((f) => f.metricName === control.metricName || f.filterName === control.metricName);
  if (sameMetric) {
    const whitespaceOnly = [...accepted].some((text) => squash(text) === squash(sameMetric.filterPattern));
    return `filter '${sameMetric.filterName}' (metric '${sameMetric.metricName}') has a pattern that is not ${expected}`
      + (whitespaceOnly ? ' (it differs only in whitespace; checkers compare the exact text)' : '');
  }
  // The right filter on the wrong log group.
  const elsewhere = (await reader.metricFilters(region)).find((f) => f.logGroupName !== logGroupName && accepted.has(f.filterPattern));
  if (elsewhere) {
    return `filter '${elsewhere.filterName}' with the expected pattern is on log group '${elsewhere.logGroupName}', `
      + `not on the trail's log group '${logGroupName}'`;
  }
  return `no metric filter with ${expected} pattern on log group '${logGroupName}' (${plural(filters.length, 'filter')} there)`;
}

/** Every text the catalog has for the control, labelled with the sets that use it. */
function knownPatterns(control: CisControl): KnownPatterns {
  const known: KnownPatterns = new Map();
  const add = (text: string, label: string): void => {
    known.set(text, [...(known.get(text) ?? []), label]);
  };
  for (const set of CisPatternSet.all()) {
    if (!control.isDefinedIn(set)) continue;
    add(control.patternFor(set), set.name);
    if (control.key === CisControl.CONSOLE_SIGNIN_WITHOUT_MFA.key) {
      try {
        add(control.patternFor(set, true), `${set.name}${SSO_SUFFIX}`);
      } catch {
        // this set has no SSO-aware variant
      }
    }
  }
  return known;
}

function acceptedPatterns(known: KnownPatterns, patternSet: AuditPatternSet): Set<string> {
  if (patternSet === 'any') return new Set(known.keys());
  const labels = [patternSet.name, `${patternSet.name}${SSO_SUFFIX}`];
  return new Set([...known].filter(([, setNames]) => setNames.some((l) => labels.includes(l))).map(([text]) => text));
}

function patternNotes(known: KnownPatterns, patternSet: AuditPatternSet, text: string): string[] {
  const labels = known.get(text) ?? [];
  if (patternSet === 'any') return [`pattern is the text of ${labels.join(', ')}`];
  if (!labels.includes(patternSet.name) && labels.includes(`${patternSet.name}${SSO_SUFFIX}`)) {
    return ['pattern is the benchmark\'s SSO-aware variant (IAM users only, successful sign-ins only)'];
  }
  return [];
}

/** `A's pattern (the same text is in B, C)`. */
function describeLabels(labels: string[]): string {
  return labels.length === 1 ? `${labels[0]}'s pattern` : `${labels[0]}'s pattern (the same text is in ${labels.slice(1).join(', ')})`;
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

/** `arn:aws:sns:<region>:...` → region. */
function arnRegion(arn: string): string {
  return arn.split(':')[3] ?? '';
}

function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Reads each list once per audit: every control looks at the same filters, alarms and topics. */
class CachedReader {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(private readonly api: AuditApi) {}

  public metricFilters(region: string, logGroupName?: string): Promise<MetricFilterInfo[]> {
    return this.once(`filters:${region}:${logGroupName ?? '*'}`, () => this.api.describeMetricFilters(region, logGroupName));
  }

  public alarms(region: string): Promise<AlarmInfo[]> {
    return this.once(`alarms:${region}`, () => this.api.describeAlarms(region));
  }

  public subscriptions(topicArn: string): Promise<SubscriptionInfo[] | undefined> {
    return this.once(`topic:${topicArn}`, () => this.api.listSubscriptionsByTopic(arnRegion(topicArn), topicArn));
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let found = this.cache.get(key) as Promise<T> | undefined;
    if (!found) {
      found = load();
      this.cache.set(key, found);
    }
    return found;
  }
}
