import { AuditApi, EventSelectorsInfo, TrailInfo } from './api';
import { TrailFinding } from './report';

/** Audit step 1 for every trail the region lists. */
export async function auditTrails(api: AuditApi, region: string): Promise<TrailFinding[]> {
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

/**
 * Step 1 for one trail: multi-region, delivering to CloudWatch Logs, logging, capturing all
 * management events. A shadow trail is read in its home region.
 */
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
