import { AuditApi, AuditApiError, EvidenceApi, mapBounded } from 'cdk-cis-log-monitoring/lib/cli-support';
import { JudgedAccount, judgeAccount } from './audit';
import { AuditPatternSet, AuditReport, AuditStatus, worstStatus } from './report';

/** One account to audit. */
export interface OrgAccount {
  /** The 12-digit account ID. */
  readonly id: string;
  readonly name?: string;
}

/** How the organization audit reaches the accounts: Organizations and STS through the SDK (aws/organization-sdk.ts); tests fake it. */
export interface AccountAccess {
  /** The organization's active accounts (`organizations list-accounts`, every page). */
  listAccounts(): Promise<OrgAccount[]>;
  /** An API reading `account` (`sts assume-role` into it); throws an `AuditApiError` when it cannot. */
  apiFor(account: OrgAccount): Promise<AuditApi>;
  /** Frees what `apiFor` made for the account (its SDK clients), once its audit is done. */
  release?(api: AuditApi): void;
  /** The evidence report's reads (`audit --html`) with the credentials of an API `apiFor` made; the caller frees it (`destroy`). */
  evidenceApiFor?(api: AuditApi): EvidenceApi & { destroy?(): void };
}

/** One account's audit, or why it could not be read. */
export interface AccountResult {
  readonly accountId: string;
  readonly name?: string;
  /** The account's worst control; UNKNOWN when the account could not be read at all. */
  readonly status: AuditStatus;
  /** Why the account could not be read (the role could not be assumed, the caller identity failed). */
  readonly reason?: string;
  /** The account's audit, when it could be read. */
  readonly report?: AuditReport;
}

/** The audit of many accounts. */
export interface OrganizationReport {
  readonly region: string;
  readonly patternSet: string;
  /** The control ids audited, in order (the matrix's columns). */
  readonly controls: string[];
  /**
   * The monitoring-integrity controls judged in every account read (`MON.TAMPER`, `MON.HEARTBEAT`; docs/check.md), in
   * order: the matrix's columns after the CIS ones. Not CIS requirements; a FAIL among them fails the account.
   */
  readonly integrityControls: string[];
  readonly accounts: AccountResult[];
  /** Accounts whose every control passed. */
  readonly passed: number;
  /** Accounts whose worst control is a WARNING. */
  readonly warnings: number;
  /** Accounts with a failing control and nothing unknown. */
  readonly failed: number;
  /** Accounts that could not be read, or with a control that could not be read. */
  readonly unknown: number;
  /** The worst account. */
  readonly status: AuditStatus;
}

export interface OrganizationAuditOptions {
  readonly region: string;
  readonly patternSet: AuditPatternSet;
  /** How many accounts are audited at once. */
  readonly concurrency: number;
  /** Called after each account (for progress lines). */
  readonly onAccountDone?: (done: number, total: number, result: AccountResult) => void;
  /** Called with each account that could be read, while its API is still open (`audit --html` collects its evidence). */
  readonly onJudged?: (account: OrgAccount, judged: JudgedAccount, api: AuditApi) => Promise<void>;
}

/**
 * Audits every account with at most `concurrency` at a time. An account that cannot be read (no role to
 * assume, denied, a network error) is reported UNKNOWN with the reason and the others go on. Results are in
 * the order of `accounts`.
 */
export async function runOrganizationAudit(
  accounts: OrgAccount[], access: AccountAccess, options: OrganizationAuditOptions,
): Promise<OrganizationReport> {
  let done = 0;
  // The library's pool (shared with the self-audit's organization mode).
  const results = await mapBounded(accounts, options.concurrency, async (account) => {
    const result = await auditAccount(account, access, options);
    options.onAccountDone?.(++done, accounts.length, result);
    return result;
  });

  const patternSet = options.patternSet;
  const controls = (patternSet === 'any' ? undefined : patternSet.controls().map((c) => c.idIn(patternSet) ?? c.id))
    ?? results.find((r) => r.report)?.report?.controls.map((c): string => c.id) ?? [];
  const integrityControls = results.find((r) => r.report)?.report?.integrity.map((c): string => c.id) ?? [];
  const count = (status: AuditStatus): number => results.filter((r) => r.status === status).length;
  return {
    region: options.region,
    patternSet: patternSet === 'any' ? 'any' : patternSet.name,
    controls,
    integrityControls,
    accounts: results,
    passed: count('PASS'),
    warnings: count('WARNING'),
    failed: count('FAIL'),
    unknown: count('UNKNOWN'),
    status: worstStatus(results.map((r) => r.status)),
  };
}

async function auditAccount(account: OrgAccount, access: AccountAccess, options: OrganizationAuditOptions): Promise<AccountResult> {
  const base = { accountId: account.id, ...(account.name ? { name: account.name } : {}) };
  let api: AuditApi | undefined;
  try {
    api = await access.apiFor(account);
    const judged = await judgeAccount(api, { region: options.region, patternSet: options.patternSet });
    const report = judged.report;
    if (report.account !== account.id) {
      return { ...base, status: 'UNKNOWN', reason: `the credentials for account ${account.id} read account ${report.account} (${report.callerArn})` };
    }
    await options.onJudged?.(account, judged, api);
    return { ...base, status: report.status, report };
  } catch (e) {
    if (!(e instanceof AuditApiError)) throw e;
    return { ...base, status: 'UNKNOWN', reason: `cannot read the account: ${e.message}` };
  } finally {
    if (api) access.release?.(api);
  }
}

/**
 * `--accounts FILE`: one account per line, its 12-digit ID, optionally followed by a name (after spaces, a tab or
 * a comma); blank lines and `#` comments are skipped. Throws an Error naming the line of a malformed entry.
 */
export function parseAccountsFile(text: string, fileName: string): OrgAccount[] {
  const accounts: OrgAccount[] = [];
  const seen = new Set<string>();
  text.replace(/^\uFEFF/, '').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const match = /^(\d{12})(?:[\s,]+(.*))?$/.exec(line);
    if (!match) throw new Error(`${fileName}:${i + 1}: expected a 12-digit account ID (optionally followed by a name), not "${raw.trim()}"`);
    if (seen.has(match[1])) return;
    seen.add(match[1]);
    accounts.push({ id: match[1], ...(match[2]?.trim() ? { name: match[2].trim() } : {}) });
  });
  if (accounts.length === 0) throw new Error(`${fileName}: no account IDs`);
  return accounts;
}
