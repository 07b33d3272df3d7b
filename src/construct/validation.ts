import { createHash } from 'crypto';
import { Duration, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CisControl } from '../catalog';
import { LogFilterPattern } from '../engine';

// Every check here throws an Error that names the construct path, the offending value and the fix.
// Values that are unresolved tokens are only known at deploy time and pass.

/** The library's constructs, as their errors name them. */
export type ConstructKind = 'CisLogMonitoring' | 'CisMonitoringStackSet' | 'CisTamperProtectionPolicy';

/** The one prefix of every construct error: `<construct> <path>`, so that two instances give distinguishable errors. */
export function errorPrefix(scope: IConstruct, kind: ConstructKind = 'CisLogMonitoring'): string {
  return `${kind} ${scope.node.path}`;
}

/** Throws the construct's error: `<construct> <path>: <message>` (`CisLogMonitoring` unless `kind` says otherwise). */
export function fail(scope: IConstruct, message: string, kind: ConstructKind = 'CisLogMonitoring'): never {
  throw new Error(`${errorPrefix(scope, kind)}: ${message}`);
}

// CloudFormation's pattern for AWS::Logs::MetricFilter MetricNamespace.
const NAMESPACE = /^[0-9a-zA-Z.\-_/#]+$/;
// AWS::Logs::MetricFilter MetricName must not contain these.
const METRIC_NAME_FORBIDDEN = /[:*$]/;

/** CloudWatch's limit on alarm names. */
export const MAX_ALARM_NAME_LENGTH = 255;
/** CloudWatch Logs' limit of metric filters per log group. */
export const MAX_METRIC_FILTERS_PER_LOG_GROUP = 100;

// Whether a filter pattern has a %regex% term, per text (the engine parses it; an app repeats the same patterns).
const CONTAINS_REGEX = new Map<string, boolean>();

/** Whether a filter pattern of any kind (JSON, text-term, space-delimited) contains a `%regex%` term. */
export function containsRegex(pattern: string): boolean {
  let answer = CONTAINS_REGEX.get(pattern);
  if (answer === undefined) {
    answer = LogFilterPattern.containsRegexTerm(pattern);
    CONTAINS_REGEX.set(pattern, answer);
  }
  return answer;
}

/**
 * CloudWatch Logs allows `LogFilterPattern.MAX_REGEX_PATTERNS_PER_LOG_GROUP` (5) filter patterns containing a regex per
 * log group, counting metric filters and subscription filters ("Supported regular expressions (regex) syntax",
 * Quotas). `regexFilterPaths` are the construct paths of the filters on one log group whose pattern has a regex.
 */
export function regexFilterProblems(logGroupPath: string, regexFilterPaths: string[]): string[] {
  const max = LogFilterPattern.MAX_REGEX_PATTERNS_PER_LOG_GROUP;
  if (regexFilterPaths.length <= max) return [];
  return [`log group ${logGroupPath} would have ${regexFilterPaths.length} filter patterns containing a regex (%...%), counting metric and `
    + `subscription filters: ${regexFilterPaths.join(', ')}. CloudWatch Logs allows ${max} per log group. Use wildcards ("*" at the start or end `
    + 'of a value) instead of regex terms where they suffice, or deploy fewer controls with regex terms on this log group.'];
}

/**
 * Checks `emails` and returns one construct ID per address, derived from the address (literal addresses) or from
 * the CloudFormation expression (tokens), never from the position: adding or removing an address leaves the
 * other subscriptions alone.
 */
export function validateEmails(scope: IConstruct, emails: string[]): string[] {
  const seen = new Map<string, string>();
  return emails.map((email) => {
    const id = emailSubscriptionId(scope, email);
    const shown = Token.isUnresolved(email) ? JSON.stringify(Stack.of(scope).resolve(email)) : `"${email}"`;
    if (seen.has(id)) fail(scope, `${shown} is listed twice in \`emails\`. List each address once: it gets one subscription.`);
    seen.set(id, email);
    return id;
  });
}

function emailSubscriptionId(scope: IConstruct, email: string): string {
  if (typeof email !== 'string') fail(scope, `\`emails\` must be a list of strings; got ${JSON.stringify(email)}.`);
  if (Token.isUnresolved([email])) {
    fail(scope, '`emails` contains a list token (a CommaDelimitedList parameter, Fn.split, an imported list, ...). Its length is only '
      + 'known at deploy time, and every address needs a subscription of its own. Pass one element per address instead: '
      + '`Fn.select(0, list)`, `Fn.select(1, list)`, ...');
  }
  if (Token.isUnresolved(email)) {
    // The expression, not the position, names the subscription: a token address keeps its subscription when others come or go.
    const expression = JSON.stringify(Stack.of(scope).resolve(email));
    return `EmailToken-${createHash('sha256').update(expression).digest('hex').slice(0, 12)}`;
  }
  const problem = emailProblem(email);
  if (problem) fail(scope, `${JSON.stringify(email)} is not an e-mail address SNS accepts: ${problem}. Pass plain addresses like "secops@example.com" in \`emails\`.`);
  // One construct per address, named after it (case-insensitive, as mail systems treat the domain).
  return `Email-${email.toLowerCase()}`;
}

// The plain ASCII address form (RFC 5321 dot-atom local part and a domain name); quoted local parts, IP-literal
// domains, display names and `mailto:` URIs are not addresses an SNS e-mail subscription takes.
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LOCAL_PART = new RegExp(`^${ATEXT}(\\.${ATEXT})*$`);
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

function emailProblem(email: string): string | undefined {
  if (email.length === 0) return 'it is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(email)) return 'it contains a control character';
  if (/\s/.test(email)) return 'it contains white space';
  if (/^mailto:/i.test(email)) return 'drop the "mailto:"';
  if (/[<>]/.test(email)) return 'pass the bare address, without a display name or angle brackets';
  if (/[^\x20-\x7e]/.test(email)) return 'it contains non-ASCII characters';
  if (email.length > 254) return `it has ${email.length} characters; an address has at most 254`;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return 'it needs one "@" between a local part and a domain';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64) return `its local part has ${local.length} characters; at most 64`;
  if (!LOCAL_PART.test(local)) return 'its local part (before "@") must be dot-separated letters, digits and !#$%&\'*+/=?^_`{|}~-, without quotes or empty parts';
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label)) || /^[0-9]+$/.test(labels[labels.length - 1])) {
    return 'its domain (after "@") must be a name like example.com: dot-separated labels of letters, digits and inner hyphens';
  }
  return undefined;
}

export function validateControls(scope: IConstruct, controls: CisControl[]): void {
  if (controls.length === 0) {
    fail(scope, '`controls` is empty. Leave it out to deploy every control of the pattern set, or list at least one.');
  }
  const byKey = new Map<string, CisControl>();
  const byMetric = new Map<string, CisControl>();
  const byConstructId = new Map<string, CisControl>();
  const byAlarmName = new Map<string, CisControl>();
  for (const control of controls) {
    const twice = byKey.get(control.key);
    if (twice) fail(scope, `control ${control.id} (${control.key}) is listed twice in \`controls\`. List each control once.`);
    const sameMetric = byMetric.get(control.metricName);
    if (sameMetric) {
      fail(scope, `controls ${sameMetric.id} and ${control.id} both publish metric "${control.metricName}". `
        + 'Give each control its own metric name.');
    }
    const sameId = byConstructId.get(control.constructId);
    if (sameId) {
      fail(scope, `custom controls "${sameId.id}" and "${control.id}" map to the same construct id "${control.constructId}". `
        + 'Use ids that differ in their letters or digits.');
    }
    const sameAlarm = byAlarmName.get(control.alarmName);
    if (sameAlarm) {
      fail(scope, `controls ${sameAlarm.id} and ${control.id} both name their alarm "${control.alarmName}"; alarm names are unique per `
        + 'account and region, so the deploy would fail. Give each control its own `alarmName`.');
    }
    byKey.set(control.key, control);
    byMetric.set(control.metricName, control);
    byConstructId.set(control.constructId, control);
    byAlarmName.set(control.alarmName, control);
  }
}

// Validation is a pure function of the pattern text, and an app of many stacks validates the same fifteen
// patterns in each: remember the answer per text (bounded by the number of distinct patterns in the process).
const PATTERN_PROBLEMS = new Map<string, string[]>();

export function validatePattern(scope: IConstruct, control: CisControl, pattern: string): void {
  if (Token.isUnresolved(pattern)) return;
  let problems = PATTERN_PROBLEMS.get(pattern);
  if (!problems) {
    problems = LogFilterPattern.validate(pattern);
    PATTERN_PROBLEMS.set(pattern, problems);
  }
  if (problems.length > 0) {
    fail(scope, `the filter pattern of control ${control.id} (${control.title}) would be rejected by CloudWatch Logs: `
      + `${problems.join('; ')}. Pattern: ${pattern}`);
  }
}

export function validateNamespace(scope: IConstruct, namespace: string): void {
  if (Token.isUnresolved(namespace)) return;
  if (namespace.length === 0 || namespace.length > 255 || !NAMESPACE.test(namespace)) {
    fail(scope, `metricNamespace "${namespace}" is not valid: use 1 to 255 characters from A-Z a-z 0-9 . - _ / #, `
      + 'e.g. "CISBenchmark".');
  }
  if (namespace.startsWith('AWS/')) {
    fail(scope, `metricNamespace "${namespace}" starts with "AWS/", which is reserved for AWS services. Use e.g. "CISBenchmark".`);
  }
}

export function validateMetricName(scope: IConstruct, control: CisControl): void {
  const name = control.metricName;
  if (Token.isUnresolved(name)) return;
  if (name.length > 255 || METRIC_NAME_FORBIDDEN.test(name) || name.trim() !== name) {
    fail(scope, `metric name "${name}" of control ${control.id} is not valid: use at most 255 characters, `
      + 'no ":", "*" or "$", and no leading or trailing spaces.');
  }
}

// CloudWatch alarm names may not contain ASCII control characters; C1 controls are refused too (invisible in any console).
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** The literal parts of a string that may contain tokens. */
function literalParts(value: string): string {
  if (!Token.isUnresolved(value)) return value;
  return String(Tokenization.reverseString(value).mapTokens({ mapToken: () => '' }).join({ join: (a, b) => `${a ?? ''}${b ?? ''}` }) ?? '');
}

/**
 * The prefix ends up in the topic policy's and key policy's `aws:SourceArn` condition (`...:alarm:<prefix>*`), where
 * `*` and `?` are wildcards: they would let alarms outside this construct publish.
 */
export function validateAlarmNamePrefix(scope: IConstruct, prefix: string): void {
  const literal = literalParts(prefix);
  const wildcard = literal.match(/[*?]/);
  if (wildcard) {
    fail(scope, `alarmNamePrefix "${prefix}" contains "${wildcard[0]}", a wildcard in the topic policy's aws:SourceArn condition `
      + '(alarm:<prefix>*): alarms of other names could publish to the topic. Use a prefix without "*" or "?".');
  }
  if (CONTROL_CHARACTER.test(literal)) {
    fail(scope, `alarmNamePrefix ${JSON.stringify(prefix)} contains a control character, which CloudWatch refuses in alarm names.`);
  }
}

export function validateAlarmName(scope: IConstruct, control: CisControl, alarmName: string): void {
  if (!Token.isUnresolved(control.alarmName) && control.alarmName.trim() === '') {
    fail(scope, `control ${control.id} has an empty alarm name. Give it an \`alarmName\` (or leave it out for <metric name>_alarm).`);
  }
  if (CONTROL_CHARACTER.test(literalParts(control.alarmName))) {
    fail(scope, `the alarm name ${JSON.stringify(control.alarmName)} of control ${control.id} contains a control character, which CloudWatch refuses.`);
  }
  if (Token.isUnresolved(alarmName)) return;
  if (alarmName.length > MAX_ALARM_NAME_LENGTH) {
    fail(scope, `alarm name of control ${control.id} has ${alarmName.length} characters; CloudWatch allows `
      + `${MAX_ALARM_NAME_LENGTH}. Shorten \`alarmNamePrefix\` or the control's alarm name: ${alarmName}`);
  }
}

export function validateThreshold(scope: IConstruct, threshold: number): void {
  if (Token.isUnresolved(threshold)) return;
  if (!Number.isFinite(threshold) || threshold < 1) {
    fail(scope, `alarmThreshold ${threshold} would never or always alarm. Use a count of events of at least 1.`);
  }
}

/**
 * Metric filters publish at 1-minute resolution: an alarm over a shorter period sees empty periods (and with
 * missing data treated as not breaching, misses events); CloudWatch takes only multiples of 60 s above a minute.
 */
export function validatePeriod(scope: IConstruct, period: Duration): void {
  if (period.isUnresolved()) return;
  const millis = period.toMilliseconds();
  if (millis < 60_000 || millis % 60_000 !== 0) {
    fail(scope, `alarmPeriod ${period.toHumanString()} is not a whole number of minutes. Metric filter metrics have 1-minute resolution, `
      + 'so a shorter period misses events, and CloudWatch only takes multiples of 60 seconds. Use e.g. Duration.minutes(5).');
  }
}

/** Whether a key reference (resolved to CloudFormation JSON) points at the AWS managed SNS key. */
export function isAwsManagedSnsKey(resolvedKeyReference: unknown): boolean {
  return JSON.stringify(resolvedKeyReference ?? '').includes('alias/aws/sns');
}
