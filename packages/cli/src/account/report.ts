import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
import { EXIT } from '../exit-codes';

/**
 * The result of one check (the verdicts of the shared rules, src/verdicts). UNKNOWN: a call the check needs failed
 * (permissions, a resource of another account), so the audit can neither pass nor fail it; the reason names the
 * call. Never counted as PASS. WARNING: the chain holds with a deviation a user may intend (a threshold above 1,
 * several evaluation periods), named in the reason.
 */
export type AuditStatus = 'PASS' | 'WARNING' | 'FAIL' | 'UNKNOWN';

/** The worst of some results: UNKNOWN, then FAIL, then WARNING, then PASS (the exit code follows it: 3, 2, 0, 0); FAIL for none. */
export function worstStatus(statuses: AuditStatus[]): AuditStatus {
  if (statuses.includes('UNKNOWN')) return 'UNKNOWN';
  if (statuses.includes('FAIL') || statuses.length === 0) return 'FAIL';
  return statuses.includes('WARNING') ? 'WARNING' : 'PASS';
}

/**
 * The exit code of a result, for audit and verify: 0 PASS or WARNING (a deviation a user may intend, named in the
 * report, as `check` treats it), 2 FAIL, 3 UNKNOWN (the worst result decides).
 */
export function exitCodeOf(status: AuditStatus): number {
  return status === 'PASS' || status === 'WARNING' ? EXIT.OK : status === 'FAIL' ? EXIT.FAILED : EXIT.UNKNOWN;
}

/** One finding of a rule (src/verdicts/rules) on the chain judged. */
export interface RuleFindingReport {
  /** The rule's ID, e.g. `CIS-MON-ALARM-DIMENSIONS`. */
  readonly rule: string;
  readonly verdict: Exclude<AuditStatus, 'PASS'>;
  /** The resources to look at, the one to fix first. */
  readonly resources: string[];
  readonly message: string;
  readonly fix: string;
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
  /** PASS when the trail satisfies audit step 1 (the trail rules); UNKNOWN when it could not be read. */
  readonly status: AuditStatus;
  readonly reason: string;
  /** The trail rules' findings. */
  readonly findings: RuleFindingReport[];
}

/** Audit steps 1–7 for one control. */
export interface ControlFinding {
  /** The control's id as the pattern set numbers it (`4.1`, `3.1`, `CloudWatch.2`). */
  readonly id: string;
  readonly key: string;
  readonly title: string;
  readonly status: AuditStatus;
  /** Why it passed (the chain found) or failed (the first finding of the worst verdict: the rule's message). */
  readonly reason: string;
  /** Every rule finding on the chain judged (the rule, its verdict, the resources, the message and the fix). */
  readonly findings: RuleFindingReport[];
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
  /** Controls whose chain holds with a deviation a user may intend. */
  readonly warnings: number;
  readonly failed: number;
  /** Controls that could not be read. */
  readonly unknown: number;
  /** The worst control: PASS when every control passes, UNKNOWN when one could not be read, then FAIL, then WARNING. */
  readonly status: AuditStatus;
  /**
   * The monitoring-integrity controls (MON.TAMPER, MON.HEARTBEAT; docs/check.md), not counted in passed/failed/...:
   * absent is a WARNING, and only a FAIL among them changes `status`.
   */
  readonly integrity: ControlFinding[];
}
