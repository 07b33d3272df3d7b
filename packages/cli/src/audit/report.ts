import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';

/**
 * The result of one check. UNKNOWN: a call the check needs failed (permissions, a resource of another account), so
 * the audit can neither pass nor fail it; the reason names the call. Never counted as PASS.
 */
export type AuditStatus = 'PASS' | 'FAIL' | 'UNKNOWN';

/** The worst of some results: UNKNOWN, then FAIL, then PASS (the exit code follows it: 3, 2, 0). */
export function worstStatus(statuses: AuditStatus[]): AuditStatus {
  if (statuses.includes('UNKNOWN')) return 'UNKNOWN';
  return statuses.includes('FAIL') || statuses.length === 0 ? 'FAIL' : 'PASS';
}

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
  /** The account of the log group, from `CloudWatchLogsLogGroupArn`. */
  readonly logGroupAccount?: string;
  /** Whether the log group exists (checked only in the audited account). */
  readonly logGroupExists?: boolean;
  readonly isLogging?: boolean;
  /** At least one selector captures all management events (read and write). */
  readonly allManagementEvents?: boolean;
  /** PASS when the trail satisfies audit step 1; UNKNOWN when it could not be read. */
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
  /** Controls that could not be read. */
  readonly unknown: number;
  /** The worst control: PASS when every control passes, UNKNOWN when one could not be read, FAIL otherwise. */
  readonly status: AuditStatus;
}
