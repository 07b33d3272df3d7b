import { Known, SnapshotIndex, isUnknown } from '../model';
import { Chain, FindingVerdict, RuleFinding } from '../rule';
import { logGroupLabel } from '../runner';

/** Helpers shared by the rules (internal). */

/** CIS section text of the monitoring controls' audit, cited by the rules (v3.0.0 numbering; 5.x in v5.0.0 and later). */
export const CIS_AUDIT = 'CIS AWS Foundations Benchmark v3.0.0 §4.1–4.16 (v5.0.0+ §5.x), Audit';

export function finding(verdict: FindingVerdict, resources: Array<string | undefined>, message: string, fix: string): RuleFinding {
  return { verdict, resources: resources.filter((r): r is string => r !== undefined), message, fix };
}

/**
 * A missing link: FAIL, or UNKNOWN when the adapter could not read part of its input (the link may be there).
 */
export function missing(snapshot: SnapshotIndex, resources: Array<string | undefined>, message: string, fix: string): RuleFinding {
  const unread = snapshot.snapshot.incomplete ?? [];
  if (unread.length === 0) return finding('FAIL', resources, message, fix);
  return finding('UNKNOWN', resources, `${message}, in what was read (${unread.join('; ')}: it may be there)`, fix);
}

/** The text of an Unknown, for messages. */
export function why(value: unknown): string {
  return isUnknown(value) ? value.$unknown : String(value);
}

/** An UNKNOWN finding for a value a rule needs. */
export function undecided(resource: string | undefined, what: string, value: Known<unknown>, consequence: string): RuleFinding {
  return finding('UNKNOWN', [resource], `${what} cannot be determined (${why(value)}): ${consequence}`,
    'Give it a literal value in this template, or run audit against the deployed account to decide it.');
}

export function trailOf(chain: Chain): string | undefined {
  return chain.trail?.origin.label;
}

export function groupOf(chain: Chain): string {
  return logGroupLabel(chain);
}

export function alarmOf(chain: Chain): string | undefined {
  return chain.alarm?.origin.label;
}

export function metricText(namespace: Known<string>, name: Known<string>): string {
  return `${isUnknown(namespace) ? '<unknown namespace>' : namespace}/${isUnknown(name) ? '<unknown name>' : name}`;
}

/** A known boolean, accepting CloudFormation's string spellings. */
export function bool(value: unknown): boolean | undefined {
  if (value === true || value === 'true' || value === 'True') return true;
  if (value === false || value === 'false' || value === 'False') return false;
  return undefined;
}

/**
 * The request context of CloudWatch acting for an alarm (publishing to its topic, using the topic's key): the
 * alarm's ARN and account, over TLS.
 */
export function alarmContext(snapshot: SnapshotIndex, chain: Chain): Record<string, Known<string> | undefined> {
  const alarm = chain.alarm;
  const account = snapshot.snapshot.account ?? { $unknown: 'the account' };
  return {
    'aws:sourcearn': alarm?.arn ?? { $unknown: `the ARN of alarm ${alarm?.origin.label}` },
    'aws:sourceaccount': account,
    'aws:sourceowner': account,
    'aws:securetransport': 'true',
  };
}
