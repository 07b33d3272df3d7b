import { AuditApi, AuditApiError, EventSelectorsInfo, TrailInfo } from './api';
import { TrailFinding } from './report';

/**
 * Audit step 1 for every trail the region lists. `account` is the audited account: a log group of
 * another account is never read here (a same-named group of this account is not the trail's).
 */
export async function auditTrails(api: AuditApi, region: string, account: string): Promise<TrailFinding[]> {
  const listed = await api.describeTrails(region);
  const seen = new Set<string>();
  const findings: TrailFinding[] = [];
  for (const trail of listed) {
    if (seen.has(trail.arn)) continue;
    seen.add(trail.arn);
    findings.push(await auditTrail(api, region, account, trail));
  }
  return findings;
}

/**
 * Step 1 for one trail: multi-region, delivering to an existing CloudWatch Logs group of the audited
 * account, logging, capturing all management events. A shadow trail is read in its home region. A
 * call that fails makes the trail UNKNOWN (unless something read already fails it).
 */
async function auditTrail(api: AuditApi, region: string, account: string, trail: TrailInfo): Promise<TrailFinding> {
  const homeRegion = trail.homeRegion || region;
  const base = { name: trail.name, arn: trail.arn, homeRegion, isMultiRegionTrail: trail.isMultiRegionTrail };
  const logGroup = trail.cloudWatchLogsLogGroupArn ? parseLogGroupArn(trail.cloudWatchLogsLogGroupArn) : undefined;
  if (!logGroup) {
    const reason = trail.cloudWatchLogsLogGroupArn
      ? `CloudWatchLogsLogGroupArn '${trail.cloudWatchLogsLogGroupArn}' is not a log group ARN`
      : 'does not deliver to CloudWatch Logs (no CloudWatchLogsLogGroupArn)';
    return { ...base, status: 'FAIL', reason };
  }
  const where = { logGroupName: logGroup.name, logGroupRegion: logGroup.region, logGroupAccount: logGroup.account || undefined };
  if (logGroup.account && account && logGroup.account !== account) {
    // An organization trail seen from a member account, or a trail delivering across accounts: its
    // filters and alarms are in the group's account, which these credentials do not read.
    return {
      ...base,
      ...where,
      status: 'FAIL',
      reason: `log group '${logGroup.name}' lives in account ${logGroup.account} (region ${logGroup.region}), not in the audited account `
        + `${account}; audit there (credentials of ${logGroup.account}, or audit --organization)`,
    };
  }

  const problems: string[] = [];
  const unreadable: string[] = [];
  const read = async <T>(what: string, call: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call();
    } catch (e) {
      if (!(e instanceof AuditApiError)) throw e;
      unreadable.push(`cannot read ${what}: ${e.message}`);
      return undefined;
    }
  };
  const exists = await read(`whether log group '${logGroup.name}' exists`, () => api.logGroupExists(logGroup.region, logGroup.name));
  const status = await read('the trail\'s status', () => api.getTrailStatus(homeRegion, trail.arn));
  const selectors = await read('the trail\'s event selectors', () => api.getEventSelectors(homeRegion, trail.arn));
  const allManagementEvents = selectors ? capturesAllManagementEvents(selectors) : undefined;

  if (!trail.isMultiRegionTrail) problems.push('single-region trail (IsMultiRegionTrail is false)');
  if (exists === false) problems.push(`log group '${logGroup.name}' does not exist (region ${logGroup.region})`);
  if (status && !status.isLogging) problems.push('not logging (IsLogging is false)');
  if (selectors && !allManagementEvents) problems.push(describeSelectorProblem(selectors));
  const verdict = problems.length > 0 ? 'FAIL' : unreadable.length > 0 ? 'UNKNOWN' : 'PASS';
  const reason = verdict === 'PASS'
    ? `multi-region, logging, all management events, delivers to log group '${logGroup.name}'`
    : [...problems, ...unreadable].join('; ');
  return {
    ...base,
    ...where,
    logGroupExists: exists,
    isLogging: status?.isLogging,
    allManagementEvents,
    status: verdict,
    reason,
  };
}

/** Whether the audit can read a trail's filters and alarms here: its log group is of this account and exists. */
export function isReadableHere(trail: TrailFinding, account: string): boolean {
  if (trail.logGroupName === undefined || trail.logGroupExists === false) return false;
  return !trail.logGroupAccount || !account || trail.logGroupAccount === account;
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

/** `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` → region, account and name. */
export function parseLogGroupArn(arn: string): { region: string; account: string; name: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'logs' || parts[5] !== 'log-group' || !parts[6]) return undefined;
  return { region: parts[3], account: parts[4], name: parts[6] };
}
