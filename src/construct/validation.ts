import { Token } from 'aws-cdk-lib';
import { CisControl } from '../catalog';
import { LogFilterPattern } from '../engine';

// Every check here throws an Error that names the offending value and the fix. Values that are
// unresolved tokens are only known at deploy time and pass.

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;
// CloudFormation's pattern for AWS::Logs::MetricFilter MetricNamespace.
const NAMESPACE = /^[0-9a-zA-Z.\-_/#]+$/;
// AWS::Logs::MetricFilter MetricName must not contain these.
const METRIC_NAME_FORBIDDEN = /[:*$]/;

/** CloudWatch's limit on alarm names. */
export const MAX_ALARM_NAME_LENGTH = 255;
/** CloudWatch Logs' limit of metric filters per log group. */
export const MAX_METRIC_FILTERS_PER_LOG_GROUP = 100;

export function validateEmails(emails: string[]): void {
  const seen = new Set<string>();
  for (const email of emails) {
    if (Token.isUnresolved(email)) continue;
    if (!EMAIL.test(email)) {
      throw new Error(`CisLogMonitoring: "${email}" is not an e-mail address. Pass addresses like "secops@example.com" in \`emails\`.`);
    }
    const normalized = email.toLowerCase();
    if (seen.has(normalized)) {
      throw new Error(`CisLogMonitoring: "${email}" is listed twice in \`emails\`. List each address once: it gets one subscription.`);
    }
    seen.add(normalized);
  }
}

export function validateControls(controls: CisControl[]): void {
  if (controls.length === 0) {
    throw new Error('CisLogMonitoring: `controls` is empty. Leave it out to deploy every control of the pattern set, or list at least one.');
  }
  const byKey = new Map<string, CisControl>();
  const byMetric = new Map<string, CisControl>();
  const byConstructId = new Map<string, CisControl>();
  for (const control of controls) {
    const twice = byKey.get(control.key);
    if (twice) throw new Error(`CisLogMonitoring: control ${control.id} (${control.key}) is listed twice in \`controls\`. List each control once.`);
    const sameMetric = byMetric.get(control.metricName);
    if (sameMetric) {
      throw new Error(`CisLogMonitoring: controls ${sameMetric.id} and ${control.id} both publish metric "${control.metricName}". `
        + 'Give each control its own metric name.');
    }
    const sameId = byConstructId.get(control.constructId);
    if (sameId) {
      throw new Error(`CisLogMonitoring: custom controls "${sameId.id}" and "${control.id}" map to the same construct id "${control.constructId}". `
        + 'Use ids that differ in their letters or digits.');
    }
    byKey.set(control.key, control);
    byMetric.set(control.metricName, control);
    byConstructId.set(control.constructId, control);
  }
}

// Validation is a pure function of the pattern text, and an app of many stacks validates the same fifteen
// patterns in each: remember the answer per text (bounded by the number of distinct patterns in the process).
const PATTERN_PROBLEMS = new Map<string, string[]>();

export function validatePattern(control: CisControl, pattern: string): void {
  if (Token.isUnresolved(pattern)) return;
  let problems = PATTERN_PROBLEMS.get(pattern);
  if (!problems) {
    problems = LogFilterPattern.validate(pattern);
    PATTERN_PROBLEMS.set(pattern, problems);
  }
  if (problems.length > 0) {
    throw new Error(`CisLogMonitoring: the filter pattern of control ${control.id} (${control.title}) would be rejected by CloudWatch Logs: `
      + `${problems.join('; ')}. Pattern: ${pattern}`);
  }
}

export function validateNamespace(namespace: string): void {
  if (Token.isUnresolved(namespace)) return;
  if (namespace.length === 0 || namespace.length > 255 || !NAMESPACE.test(namespace)) {
    throw new Error(`CisLogMonitoring: metricNamespace "${namespace}" is not valid: use 1 to 255 characters from A-Z a-z 0-9 . - _ / #, `
      + 'e.g. "CISBenchmark".');
  }
  if (namespace.startsWith('AWS/')) {
    throw new Error(`CisLogMonitoring: metricNamespace "${namespace}" starts with "AWS/", which is reserved for AWS services. Use e.g. "CISBenchmark".`);
  }
}

export function validateMetricName(control: CisControl): void {
  const name = control.metricName;
  if (Token.isUnresolved(name)) return;
  if (name.length > 255 || METRIC_NAME_FORBIDDEN.test(name) || name.trim() !== name) {
    throw new Error(`CisLogMonitoring: metric name "${name}" of control ${control.id} is not valid: use at most 255 characters, `
      + 'no ":", "*" or "$", and no leading or trailing spaces.');
  }
}

export function validateAlarmName(control: CisControl, alarmName: string): void {
  if (Token.isUnresolved(alarmName)) return;
  if (alarmName.length > MAX_ALARM_NAME_LENGTH) {
    throw new Error(`CisLogMonitoring: alarm name of control ${control.id} has ${alarmName.length} characters; CloudWatch allows `
      + `${MAX_ALARM_NAME_LENGTH}. Shorten \`alarmNamePrefix\` or the control's alarm name: ${alarmName}`);
  }
}

export function validateThreshold(threshold: number): void {
  if (!Number.isFinite(threshold) || threshold < 1) {
    throw new Error(`CisLogMonitoring: alarmThreshold ${threshold} would never or always alarm. Use a count of events of at least 1.`);
  }
}

/** Whether a key reference (resolved to CloudFormation JSON) points at the AWS managed SNS key. */
export function isAwsManagedSnsKey(resolvedKeyReference: unknown): boolean {
  return JSON.stringify(resolvedKeyReference ?? '').includes('alias/aws/sns');
}
