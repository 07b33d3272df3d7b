import { HEARTBEAT_CONTROL_ID } from '../../catalog/tamper-control';
import { MonitoringSnapshot, SnapshotIndex, isUnknown } from '../model';
import { Finding, FindingVerdict, Verdict } from '../rule';
import { ControlVerdict, SnapshotVerdict } from '../runner';

/**
 * The evidence report (issue 20 §4): what `audit --html` and the scheduled self-audit both show an auditor. Per
 * account and control: the chain of links the rules judged (trail → log group → metric filter → alarm → topic →
 * subscriptions), the verdict, the rule that decided it, its message and its fix; per account: the delivery
 * heartbeat's last delivery and the tamper events of the period. Built from the verdict runner's results
 * (`controlEvidence`) plus what `collectAccountEvidence` (collector.ts) reads; rendered by `renderEvidenceHtml`.
 *
 * Nothing here decides a verdict: the verdicts are the runner's. What could not be read is an entry that says so
 * (`error`), never an empty list.
 */

/** The links of a control's chain, in order. */
export type EvidenceLinkKind = 'trail' | 'log group' | 'metric filter' | 'alarm' | 'topic' | 'subscriptions';

export const EVIDENCE_LINK_KINDS: readonly EvidenceLinkKind[] = ['trail', 'log group', 'metric filter', 'alarm', 'topic', 'subscriptions'];

/** One link of a chain. */
export interface EvidenceLink {
  readonly kind: EvidenceLinkKind;
  /** What the link is (its label); undefined: the chain stops before it (no such resource was found). */
  readonly label?: string;
}

/** One rule finding on a control's chain. */
export interface EvidenceFinding {
  readonly rule: string;
  readonly verdict: FindingVerdict;
  readonly resources: string[];
  readonly message: string;
  readonly fix: string;
}

/** One control of one account. */
export interface ControlEvidence {
  /** The control's ID as the pattern set numbers it (`4.3`). */
  readonly id: string;
  readonly key: string;
  readonly title: string;
  readonly verdict: Verdict;
  /** The rule that decided the verdict (the first finding of the worst verdict); undefined for PASS. */
  readonly rule?: string;
  /** The deciding rule's message, or for PASS the chain that holds. */
  readonly message: string;
  /** The deciding rule's fix; undefined for PASS. */
  readonly fix?: string;
  readonly chain: EvidenceLink[];
  /** Every finding of the chain judged (the deciding one first). */
  readonly findings: EvidenceFinding[];
}

/** One alarm on the heartbeat's metric (`AWS/Logs IncomingLogEvents` of the log group). */
export interface HeartbeatAlarm {
  readonly name: string;
  /** OK, ALARM or INSUFFICIENT_DATA. */
  readonly state: string;
  readonly stateUpdated?: string;
  readonly actionsEnabled?: boolean;
}

/** The delivery heartbeat of one trail log group. */
export interface HeartbeatEvidence {
  readonly logGroup: string;
  /** The start of the look-back (ISO 8601): no datapoint since then means nothing was delivered since then. */
  readonly since: string;
  /** The start of the latest 5-minute period with `IncomingLogEvents` > 0 (ISO 8601); undefined: none since `since` (or not read). */
  readonly lastDelivery?: string;
  /** The events delivered in that period. */
  readonly lastDeliveryEvents?: number;
  /** Why the last delivery could not be read (set: `lastDelivery` is unknown, not absent). */
  readonly deliveryError?: string;
  /** The alarms on the heartbeat metric of this group (empty: none exists), when read. */
  readonly alarms: HeartbeatAlarm[];
  /** Why the alarms could not be read (set: `alarms` is unknown, not empty). */
  readonly alarmError?: string;
}

/** One tamper event: who did what to which resource, when. */
export interface TamperEvent {
  /** `eventTime` (ISO 8601), or the log event's timestamp. */
  readonly time: string;
  /** The principal: `userIdentity.arn`, else its principalId or type. */
  readonly who: string;
  readonly eventSource: string;
  readonly eventName: string;
  /** The resource the request names (alarm names, log group, topic, key, role, trail), as far as it names one. */
  readonly target?: string;
  readonly sourceIp?: string;
  readonly eventId?: string;
  /** Set when the call failed (`errorCode`): an attempt, not a change. */
  readonly errorCode?: string;
}

/** The tamper events of the period in one trail log group. */
export interface TamperEvidence {
  readonly logGroup: string;
  readonly since: string;
  readonly until: string;
  /** The alarm name prefix the patterns were scoped to ('' : every alarm). */
  readonly alarmNamePrefix: string;
  /** The delivery role the IAM pattern was scoped to (undefined: IAM events not searched). */
  readonly deliveryRoleName?: string;
  /** The events, newest first, at most the collector's limit. */
  readonly events: TamperEvent[];
  /** Matching events read but not listed. */
  readonly more: number;
  /** The page limit was reached: there may be matching events beyond `events` and `more`. */
  readonly truncated: boolean;
  /** Searches that failed (a service's pattern: the error): the events of that service are unknown. */
  readonly errors: string[];
}

/** Counts of verdicts. */
export type VerdictCounts = Record<Verdict, number>;

/** One account. */
export interface AccountEvidence {
  readonly account: string;
  /** A name for the account (the organization's), when known. */
  readonly name?: string;
  readonly region: string;
  /** The pattern set the controls were judged against (`any`: the text of any set). */
  readonly patternSet: string;
  /** The account's verdict: the runner's (the worst control's), UNKNOWN when the account could not be read. */
  readonly verdict: Verdict;
  /** Why the account could not be read at all (then there are no controls). */
  readonly error?: string;
  /** The CIS controls by verdict. */
  readonly counts: VerdictCounts;
  /** The CIS controls. */
  readonly controls: ControlEvidence[];
  /** The monitoring-integrity controls (MON.TAMPER, MON.HEARTBEAT), judged apart by the runner (`SnapshotVerdict.integrity`). */
  readonly integrity: ControlEvidence[];
  /** One per trail log group; empty only with `heartbeatNote`. */
  readonly heartbeat: HeartbeatEvidence[];
  /** One per trail log group; empty only with `heartbeatNote`. */
  readonly tamper: TamperEvidence[];
  /** Why there is no heartbeat or tamper entry (no trail log group found, or it lives in another account). */
  readonly heartbeatNote?: string;
  /** What the adapter and the chains could not see, and "nothing to check". */
  readonly notes: string[];
}

/** The whole report. */
export interface EvidenceReport {
  /** What made it: `audit --html` or the self-audit function. */
  readonly producer: string;
  /** When (ISO 8601). */
  readonly generatedAt: string;
  /** The tamper period (ISO 8601). */
  readonly since: string;
  readonly until: string;
  readonly accounts: AccountEvidence[];
  /** The worst account verdict (FAIL, UNKNOWN, WARNING, PASS); UNKNOWN without accounts. */
  readonly verdict: Verdict;
  /** CIS controls by verdict, over every account. */
  readonly controlCounts: VerdictCounts;
  /** Monitoring-integrity controls by verdict, over every account. */
  readonly integrityCounts: VerdictCounts;
  /** Accounts by verdict. */
  readonly accountCounts: VerdictCounts;
}

const ORDER: FindingVerdict[] = ['FAIL', 'UNKNOWN', 'WARNING'];
const RANK: Record<Verdict, number> = { PASS: 3, WARNING: 2, UNKNOWN: 1, FAIL: 0 };

/** Zero of every verdict. */
export function zeroCounts(): VerdictCounts {
  return { PASS: 0, WARNING: 0, UNKNOWN: 0, FAIL: 0 };
}

/** Counts of verdicts. */
export function countVerdicts(verdicts: Verdict[]): VerdictCounts {
  const counts = zeroCounts();
  for (const v of verdicts) counts[v]++;
  return counts;
}

/** The finding that decides a verdict: the first of the worst verdict. */
export function decidingFinding(findings: readonly Finding[]): Finding | undefined {
  return ORDER.map((v) => findings.find((f) => f.verdict === v)).find((f) => f !== undefined);
}

/** The evidence of every CIS control of a runner result (its chosen chain, verdict, deciding rule, message and fix). */
export function controlEvidence(snapshot: MonitoringSnapshot, result: SnapshotVerdict): ControlEvidence[] {
  const index = new SnapshotIndex(snapshot);
  return result.controls.map((c) => oneControl(index, c));
}

/** The same for the monitoring-integrity controls (MON.TAMPER, MON.HEARTBEAT). */
export function integrityEvidence(snapshot: MonitoringSnapshot, result: SnapshotVerdict): ControlEvidence[] {
  const index = new SnapshotIndex(snapshot);
  return (result.integrity ?? []).map((c) => oneControl(index, c));
}

function oneControl(index: SnapshotIndex, c: ControlVerdict): ControlEvidence {
  const deciding = decidingFinding(c.findings);
  const subscriptions = c.links.topic ? index.subscriptionsOf(c.links.topic) : [];
  const subscriptionLabel = subscriptions.length > 0
    ? subscriptions.map((s) => `${s.origin.label} (${s.confirmed === true ? 'confirmed' : s.confirmed === false ? 'pending confirmation'
      : isUnknown(s.confirmed) ? 'confirmation unknown' : 'confirmation not seen'})`).join('; ')
    : c.chain.subscription;
  const labels: Record<EvidenceLinkKind, string | undefined> = {
    'trail': c.chain.trail,
    'log group': c.chain.logGroup,
    'metric filter': c.chain.filter,
    'alarm': c.chain.alarm,
    'topic': c.chain.topic,
    'subscriptions': subscriptionLabel,
  };
  const findings = deciding ? [deciding, ...c.findings.filter((f) => f !== deciding)] : [...c.findings];
  return {
    id: c.id,
    key: c.key,
    title: c.title,
    verdict: c.verdict,
    rule: deciding?.rule,
    message: deciding ? deciding.message : c.reason,
    fix: deciding?.fix,
    // The heartbeat alarm watches AWS/Logs IncomingLogEvents itself: its chain has no metric filter.
    chain: EVIDENCE_LINK_KINDS.filter((kind) => !(kind === 'metric filter' && c.id === HEARTBEAT_CONTROL_ID)).map((kind) => ({ kind, label: labels[kind] })),
    findings: findings.map((f) => ({ rule: f.rule, verdict: f.verdict, resources: [...f.resources], message: f.message, fix: f.fix })),
  };
}

/** An account that could not be read at all (e.g. the role could not be assumed): UNKNOWN, with the reason. */
export function unreadableAccountEvidence(account: string, region: string, patternSet: string, error: string, name?: string): AccountEvidence {
  return {
    account,
    name,
    region,
    patternSet,
    verdict: 'UNKNOWN',
    error,
    counts: zeroCounts(),
    controls: [],
    integrity: [],
    heartbeat: [],
    tamper: [],
    heartbeatNote: `not read: ${error}`,
    notes: [],
  };
}

/** What the report says about itself. */
export interface EvidenceReportOptions {
  /** What made the report, e.g. `cdk-cis-log-monitoring audit --html` or `self-audit function <name>`. */
  readonly producer: string;
  /** When (default: now). */
  readonly generatedAt?: Date;
  /** The tamper period. */
  readonly since: Date;
  readonly until: Date;
}

/** The report over some accounts (in the order given). */
export function evidenceReport(accounts: AccountEvidence[], options: EvidenceReportOptions): EvidenceReport {
  const verdicts = accounts.map((a) => a.verdict);
  const worst = verdicts.reduce<Verdict>((w, v) => (RANK[v] < RANK[w] ? v : w), 'PASS');
  return {
    producer: options.producer,
    generatedAt: (options.generatedAt ?? new Date()).toISOString(),
    since: options.since.toISOString(),
    until: options.until.toISOString(),
    accounts,
    verdict: accounts.length === 0 ? 'UNKNOWN' : worst,
    controlCounts: countVerdicts(accounts.flatMap((a) => a.controls.map((c) => c.verdict))),
    integrityCounts: countVerdicts(accounts.flatMap((a) => a.integrity.map((c) => c.verdict))),
    accountCounts: countVerdicts(verdicts),
  };
}
