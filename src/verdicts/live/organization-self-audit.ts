import { AuditApi } from './api';
import { mapBounded, withDeadline } from './bounded';
import {
  AsffFinding, ConfigInvocation, SELF_AUDIT_DIMENSION, SELF_AUDIT_METRICS, SelfAuditDatum, SelfAuditResult, SelfAuditSettings, SelfAuditSink,
  runSelfAudit,
} from './self-audit';
import { EvidenceApi } from '../evidence/collector';
import { Verdict } from '../rule';

/**
 * The self-audit's organization mode (issue 20 §3, docs/self-audit.md "Organization mode"): the function judges its
 * own account and each member account it may assume into, with the same live adapter and rules (`runSelfAudit` once
 * per account), and publishes:
 *
 * - per account, the five metrics with the dimensions `AlarmNamePrefix` and `Account`; and the totals with
 *   `AlarmNamePrefix` alone (the alarm's metric), `SelfAuditNotPassing` counting besides every FAIL and UNKNOWN
 *   control each account whose publication failed (a finding Security Hub refused), so the alarm sees that too;
 * - each member's findings imported into that member's Security Hub CSPM with the member's assumed-role credentials
 *   (`AwsAccountId` = the member): Security Hub takes a finding under an account's default product only from that
 *   account, the delegated administrator included (BatchImportFindings API reference), so this is the only way a
 *   finding naming the member lands. The administrator account sees them with the member's other findings.
 * - for an account whose role cannot be assumed (or whose time ran out before it was reached), every control
 *   UNKNOWN, counted in the metrics; its findings (Id and resource naming the member) go to the function's own
 *   account, the only one that can import them then.
 *
 * No SDK import: the function composes it with the SDK classes (src/construct/audit/self-audit.lambda.ts); tests
 * can pass any API and sink.
 */

/** The metric dimension naming the account a datum is about (organization mode only). */
export const SELF_AUDIT_ACCOUNT_DIMENSION = 'Account';
/** Accounts judged at once. */
export const ORGANIZATION_CONCURRENCY = 4;
/** Each account's time budget (the function's timeout is 15 minutes in organization mode). */
export const ACCOUNT_TIMEOUT_MS = 120_000;

/** An open session in a member account: its reads and where its findings go (both with its credentials). */
export interface MemberSession {
  readonly api: AuditApi;
  readonly sink: SelfAuditSink;
  /** The evidence report's reads in the account (with a report bucket). */
  readonly evidenceApi?: EvidenceApi;
  destroy(): void;
}

/** How the function reaches a member account (STS AssumeRole in the function). */
export interface MemberAccess {
  /** Throws (an `AuditApiError` naming the role) when the account cannot be reached. */
  open(account: string): Promise<MemberSession>;
}

export interface OrganizationSelfAuditOptions {
  /** The member accounts, besides the function's own (`settings.account`). */
  readonly members: readonly string[];
  /** @default ORGANIZATION_CONCURRENCY */
  readonly concurrency?: number;
  /** @default ACCOUNT_TIMEOUT_MS */
  readonly accountTimeoutMs?: number;
  /** Epoch ms after which no account is read any more (the function's own deadline less a margin). */
  readonly deadline?: number;
  /**
   * Called with each account's result while its session is open (none for the function's own account and an
   * unreachable one), before the metrics are sent: the evidence report. Answers the account's failed publications.
   */
  readonly afterAccount?: (result: SelfAuditResult, session: MemberSession | undefined) => Promise<string[]>;
}

/** What one organization run found and published. */
export interface OrganizationSelfAuditResult {
  /** The function's own account first, then the members in the order given. */
  readonly accounts: SelfAuditResult[];
  /** The sums over the accounts. */
  readonly counts: Record<Verdict, number>;
  /** Accounts whose role could not be assumed, with why. */
  readonly unreachable: Record<string, string>;
  /** Publications that failed, each prefixed with its account (the handler then fails the invocation). */
  readonly errors: string[];
}

/** An account that cannot be read at all: every call throws this (not an `AuditApiError`, so every control is UNKNOWN). */
class AccountUnreachable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountUnreachable';
  }
}

export async function runOrganizationSelfAudit(
  own: { api: AuditApi; sink: SelfAuditSink }, access: MemberAccess, settings: SelfAuditSettings, options: OrganizationSelfAuditOptions,
  config?: ConfigInvocation,
): Promise<OrganizationSelfAuditResult> {
  const timeout = options.accountTimeoutMs ?? ACCOUNT_TIMEOUT_MS;
  const unreachable: Record<string, string> = {};
  const accounts = [settings.account, ...options.members];
  const results = await mapBounded(accounts, options.concurrency ?? ORGANIZATION_CONCURRENCY, async (account, index) => {
    const deadline = Math.min(Date.now() + timeout, options.deadline ?? Infinity);
    const s: SelfAuditSettings = { ...settings, account };
    // The metrics are published once, for every account, below.
    const after = async (result: SelfAuditResult, session?: MemberSession): Promise<SelfAuditResult> => {
      const more = options.afterAccount ? await options.afterAccount(result, session) : [];
      return more.length > 0 ? { ...result, errors: [...result.errors, ...more] } : result;
    };
    if (index === 0) return after(await runSelfAudit(withDeadline(own.api, deadline), withoutMetrics(own.sink), s, config));
    let session: MemberSession | undefined;
    try {
      session = await beforeDeadline(access.open(account), deadline, account);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      unreachable[account] = reason;
      return after(await runSelfAudit(unreadableApi(`cannot reach account ${account}: ${reason}`), importedHome(own.sink, settings), s));
    }
    try {
      return await after(await runSelfAudit(withDeadline(session.api, deadline), withoutMetrics(session.sink), s), session);
    } finally {
      session.destroy();
    }
  });

  const counts: Record<Verdict, number> = { PASS: 0, WARNING: 0, UNKNOWN: 0, FAIL: 0 };
  const errors: string[] = [];
  const data: SelfAuditDatum[] = [];
  const prefix = { Name: SELF_AUDIT_DIMENSION, Value: settings.alarmNamePrefix || '(none)' };
  let failedPublications = 0;
  for (const r of results) {
    for (const v of Object.keys(counts) as Verdict[]) counts[v] += r.counts[v];
    errors.push(...r.errors.map((e) => `account ${r.account}: ${e}`));
    if (r.errors.length > 0) failedPublications++;
    data.push(...datums(r.counts, [prefix, { Name: SELF_AUDIT_ACCOUNT_DIMENSION, Value: r.account }], settings.now));
  }
  data.push(...datums(counts, [prefix], settings.now, failedPublications));
  try {
    // CloudWatch takes up to 1,000 data a call: 5 per account and 5 totals, at most 101 accounts.
    for (let i = 0; i < data.length; i += 1000) await own.sink.putMetricData(settings.namespace, data.slice(i, i + 1000));
  } catch (e) {
    errors.push(`cloudwatch:PutMetricData failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
  return { accounts: results, counts, unreachable, errors };
}

/** The five self-audit metrics of some counts (`extraNotPassing`: failed publications, in the totals). */
function datums(counts: Record<Verdict, number>, dimensions: SelfAuditDatum['Dimensions'], at: Date, extraNotPassing = 0): SelfAuditDatum[] {
  const datum = (name: string, value: number): SelfAuditDatum => ({ MetricName: name, Value: value, Unit: 'Count', Dimensions: dimensions, Timestamp: at });
  return [
    datum(SELF_AUDIT_METRICS.notPassing, counts.FAIL + counts.UNKNOWN + extraNotPassing),
    datum(SELF_AUDIT_METRICS.failed, counts.FAIL),
    datum(SELF_AUDIT_METRICS.unknown, counts.UNKNOWN),
    datum(SELF_AUDIT_METRICS.warning, counts.WARNING),
    datum(SELF_AUDIT_METRICS.passed, counts.PASS),
  ];
}

/** The sink with its other calls, but whose metrics are not sent (the organization run sends them all at once). */
function withoutMetrics(sink: SelfAuditSink): SelfAuditSink {
  return Object.assign(Object.create(sink) as SelfAuditSink, { putMetricData: async () => undefined });
}

/**
 * The function's own sink for an account it cannot reach: the findings (Id and resource naming the member) are
 * imported under the function's own account and default product, the only account that can import them.
 */
function importedHome(sink: SelfAuditSink, home: SelfAuditSettings): SelfAuditSink {
  const productArn = `arn:${home.partition}:securityhub:${home.region}:${home.account}:product/${home.account}/default`;
  return Object.assign(withoutMetrics(sink), {
    batchImportFindings: (findings: AsffFinding[]) =>
      sink.batchImportFindings(findings.map((f) => ({ ...f, AwsAccountId: home.account, ProductArn: productArn }))),
  });
}

/** An API every call of which fails with `reason`. */
function unreadableApi(reason: string): AuditApi {
  return new Proxy({} as AuditApi, {
    get: (_target, property) => (property === 'then' ? undefined : async () => { throw new AccountUnreachable(reason); }),
  });
}

async function beforeDeadline<T>(work: Promise<T>, deadline: number, account: string): Promise<T> {
  const remaining = deadline - Date.now();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`account ${account} was not reached within the self-audit's time budget`)), Math.max(0, remaining));
  });
  try {
    return await Promise.race([work, late]);
  } catch (e) {
    // A session that opens after all is closed at once.
    work.then((session) => (session as { destroy?: () => void }).destroy?.(), () => undefined);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
