import { CisControl, CisPatternSet } from '../catalog';
import { KnownPatterns } from '../catalog/variants';

/**
 * The preventive check: reads a CloudFormation template (any template, written with this library or not) and
 * finds what would make the CIS monitoring fail once deployed: a trail log group without a control's metric
 * filter, and breaks in the chain metric filter → metric → alarm → SNS topic → subscription → KMS key grant
 * (alarms on a metric no filter publishes, alarms without an SNS action or with actions disabled, topics
 * without subscribers, topics encrypted with a key CloudWatch may not use).
 *
 * Used by `cdk-cis-log-monitoring check` and by `CisMonitoringPolicyPlugin`; one implementation for both.
 */

/** The rules, as reported. */
export const CHECK_RULES = {
  NO_CLOUDWATCH_TRAIL: 'CIS-MON-TRAIL-NO-CLOUDWATCH-LOGS',
  SINGLE_REGION_TRAIL: 'CIS-MON-TRAIL-SINGLE-REGION',
  TRAIL_NOT_LOGGING: 'CIS-MON-TRAIL-NOT-LOGGING',
  MISSING_CONTROL: 'CIS-MON-MISSING-CONTROL',
  ORPHAN_ALARM: 'CIS-MON-ALARM-ON-UNPUBLISHED-METRIC',
  CHAIN_BROKEN: 'CIS-MON-CHAIN-BROKEN',
  KEY_GRANT: 'CIS-MON-TOPIC-KEY-GRANT',
  UNVERIFIABLE: 'CIS-MON-UNVERIFIABLE',
} as const;

export type CheckSeverity = 'ERROR' | 'WARNING';

/** One finding. ERROR fails the check; WARNING is reported only. */
export interface CheckFinding {
  readonly rule: string;
  readonly severity: CheckSeverity;
  /** Logical IDs of the resources involved (the first is the one to fix). */
  readonly logicalIds: string[];
  readonly message: string;
  readonly fix?: string;
}

/** The chain of one control on one trail log group. */
export interface ControlResult {
  readonly id: string;
  readonly key: string;
  readonly title: string;
  /** The log group, as the template names it (`LogicalId` or a name). */
  readonly logGroup: string;
  readonly status: 'PASS' | 'FAIL';
  readonly reason: string;
  readonly filter?: string;
  readonly alarm?: string;
  readonly topic?: string;
}

export interface TemplateCheckOptions {
  /** Whose pattern texts count. @default - any pattern set's text */
  readonly patternSet?: CisPatternSet;
  /** The controls every trail log group needs. @default - the pattern set's controls (every built-in one without a set) */
  readonly controls?: CisControl[];
  /**
   * Trail log group names to check when the template has no trail of its own (the trail lives in another stack
   * or account). @default - the log groups that have at least one CIS metric filter
   */
  readonly logGroupNames?: string[];
}

export interface TemplateCheckResult {
  /** False when the template has no trail, no CIS metric filter and no alarm on a metric filter's metric. */
  readonly applicable: boolean;
  /** The trail log groups checked. */
  readonly logGroups: string[];
  readonly controls: ControlResult[];
  readonly findings: CheckFinding[];
  /** True when no finding is an ERROR. */
  readonly passed: boolean;
}

type Resource = { Type?: string; Properties?: Record<string, any> };
type Template = { Resources?: Record<string, Resource>; Parameters?: Record<string, unknown> };

interface Filter {
  readonly id: string;
  readonly logGroup: string;
  readonly pattern: string | undefined;
  readonly metrics: Array<{ name: string; namespace: string }>;
}

interface AlarmMetric { readonly name: string; readonly namespace: string }

interface Alarm {
  readonly id: string;
  readonly metrics: AlarmMetric[];
  readonly actionsEnabled: boolean;
  readonly actions: unknown[];
}

/** Checks one parsed template. */
export function checkTemplate(template: unknown, options: TemplateCheckOptions = {}): TemplateCheckResult {
  const model = new TemplateModel(template as Template);
  const findings: CheckFinding[] = [];
  const controls = options.controls ?? (options.patternSet ? options.patternSet.controls() : CisControl.all());

  // Trails and the log groups they deliver to.
  const targets = new Map<string, string>(); // log group identity → how to show it
  let trailCount = 0;
  for (const [id, trail] of model.ofType('AWS::CloudTrail::Trail')) {
    trailCount++;
    const arn = trail.Properties?.CloudWatchLogsLogGroupArn;
    if (arn === undefined) continue;
    const logGroup = model.logGroupFromArn(arn);
    if (!logGroup) {
      findings.push({
        rule: CHECK_RULES.UNVERIFIABLE,
        severity: 'WARNING',
        logicalIds: [id],
        message: `trail ${id}: cannot tell which log group CloudWatchLogsLogGroupArn ${JSON.stringify(arn)} names; its controls are not checked`,
      });
      continue;
    }
    targets.set(logGroup, model.describeLogGroup(logGroup));
    if (!truthy(trail.Properties?.IsMultiRegionTrail)) {
      findings.push({
        rule: CHECK_RULES.SINGLE_REGION_TRAIL,
        severity: 'ERROR',
        logicalIds: [id],
        message: `trail ${id} is not multi-region (IsMultiRegionTrail is not true): CIS audit step 1 needs a multi-region trail, `
          + 'and events of the other regions never reach the metric filters',
        fix: 'Set IsMultiRegionTrail to true.',
      });
    }
    const logging = trail.Properties?.IsLogging;
    if (logging === false || logging === 'false') {
      findings.push({
        rule: CHECK_RULES.TRAIL_NOT_LOGGING,
        severity: 'ERROR',
        logicalIds: [id],
        message: `trail ${id} is created stopped (IsLogging false): no event reaches the metric filters`,
        fix: 'Set IsLogging to true.',
      });
    }
  }
  if (trailCount > 0 && targets.size === 0 && findings.length === 0) {
    const ids = [...model.ofType('AWS::CloudTrail::Trail')].map(([id]) => id);
    findings.push({
      rule: CHECK_RULES.NO_CLOUDWATCH_TRAIL,
      severity: 'ERROR',
      logicalIds: ids,
      message: `no trail of this template delivers to CloudWatch Logs (${ids.join(', ')} ha${ids.length === 1 ? 's' : 've'} no `
        + 'CloudWatchLogsLogGroupArn): the metric filters of CIS 4.x see no events',
      fix: 'Set CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn on the multi-region trail.',
    });
  }

  const filters = model.filters();
  const alarms = model.alarms();
  for (const name of options.logGroupNames ?? []) {
    const identity = model.logGroupFromName(name);
    targets.set(identity, model.describeLogGroup(identity));
  }
  if (targets.size === 0 && trailCount === 0) {
    // No trail here: the log groups that carry any CIS filter are the trail's (its trail lives elsewhere).
    const cisTexts = new Set(CisControl.all().flatMap((c) => [...KnownPatterns.of(c).accepted(undefined)]));
    for (const filter of filters) {
      if (filter.pattern !== undefined && cisTexts.has(filter.pattern)) targets.set(filter.logGroup, model.describeLogGroup(filter.logGroup));
    }
  }

  // Alarms on a metric no filter publishes (in a namespace the template's filters publish to).
  const filterNamespaces = new Set(filters.flatMap((f) => f.metrics.map((m) => m.namespace)));
  const published = new Set(filters.flatMap((f) => f.metrics.map((m) => `${m.namespace}\u0000${m.name}`)));
  let watchesFilterMetric = false;
  for (const alarm of alarms) {
    for (const metric of alarm.metrics) {
      if (published.has(`${metric.namespace}\u0000${metric.name}`)) {
        watchesFilterMetric = true;
        continue;
      }
      if (!filterNamespaces.has(metric.namespace)) continue;
      const sameName = filters.find((f) => f.metrics.some((m) => m.name.toLowerCase() === metric.name.toLowerCase()));
      findings.push({
        rule: CHECK_RULES.ORPHAN_ALARM,
        severity: 'ERROR',
        logicalIds: [alarm.id],
        message: `alarm ${alarm.id} watches metric ${metric.namespace}/${metric.name}, which no metric filter publishes`
          + (sameName ? ` (filter ${sameName.id} publishes ${sameName.metrics.map((m) => `${m.namespace}/${m.name}`).join(', ')})` : '')
          + '; it can never fire',
        fix: 'Use the metric name and namespace of the metric filter\'s MetricTransformations in the alarm.',
      });
    }
  }

  // Every control on every trail log group, following the chain.
  const results: ControlResult[] = [];
  for (const [logGroup, shown] of targets) {
    const onGroup = filters.filter((f) => f.logGroup === logGroup);
    for (const control of controls) {
      const result = checkControl(model, control, options.patternSet, logGroup, shown, onGroup, filters, alarms);
      results.push(result.result);
      findings.push(...result.findings);
    }
  }

  const applicable = trailCount > 0 || targets.size > 0 || watchesFilterMetric || findings.length > 0;
  return {
    applicable,
    logGroups: [...targets.values()],
    controls: results,
    findings: dedupe(findings),
    passed: !findings.some((f) => f.severity === 'ERROR'),
  };
}

interface Step { readonly depth: number; readonly reason: string; readonly findings: CheckFinding[]; filter?: string; alarm?: string; topic?: string }

function checkControl(
  model: TemplateModel, control: CisControl, patternSet: CisPatternSet | undefined, identity: string, logGroup: string,
  onGroup: Filter[], allFilters: Filter[], alarms: Alarm[],
): { result: ControlResult; findings: CheckFinding[] } {
  const base = { id: (patternSet ? control.idIn(patternSet) : undefined) ?? control.id, key: control.key, title: control.title, logGroup };
  const accepted = control.isCustom ? new Set([control.patternFor(CisPatternSet.RECOMMENDED)]) : KnownPatterns.of(control).accepted(patternSet);
  const matching = onGroup.filter((f) => f.pattern !== undefined && accepted.has(f.pattern));
  if (matching.length === 0) {
    const reason = diagnoseMissing(control, patternSet, accepted, logGroup, onGroup, allFilters);
    return {
      result: { ...base, status: 'FAIL', reason },
      findings: [{
        rule: CHECK_RULES.MISSING_CONTROL,
        severity: 'ERROR',
        logicalIds: [model.logicalIdOf(identity) ?? model.trailOf(identity) ?? 'Template'],
        message: `control ${base.id} (${control.title}): ${reason}`,
        fix: `Add a metric filter with the exact pattern of ${control.id} to ${logGroup} (cdk-cis-log-monitoring catalog prints it).`,
      }],
    };
  }
  let best: Step | undefined;
  for (const filter of matching) {
    const step = followFilter(model, filter, alarms);
    if (!best || step.depth > best.depth) best = step;
  }
  const chosen = best as Step;
  const status = chosen.findings.some((f) => f.severity === 'ERROR') ? 'FAIL' : 'PASS';
  return {
    result: { ...base, status, reason: chosen.reason, filter: chosen.filter, alarm: chosen.alarm, topic: chosen.topic },
    findings: chosen.findings.map((f) => ({ ...f, message: `control ${base.id} (${control.title}): ${f.message}` })),
  };
}

function diagnoseMissing(
  control: CisControl, patternSet: CisPatternSet | undefined, accepted: Set<string>, logGroup: string, onGroup: Filter[], allFilters: Filter[],
): string {
  const expected = patternSet ? `${patternSet.name}'s pattern` : 'a pattern of any CIS pattern set';
  const known = KnownPatterns.of(control); // nothing for a custom control
  const otherSet = onGroup.find((f) => f.pattern !== undefined && known.has(f.pattern));
  if (otherSet) {
    return `metric filter ${otherSet.id} on ${logGroup} has the text of ${known.labelsOf(otherSet.pattern as string).join(', ')}; expected ${expected}`;
  }
  const squash = (t: string) => t.replace(/\s+/g, '');
  const spacing = onGroup.find((f) => f.pattern !== undefined && [...accepted].some((a) => squash(a) === squash(f.pattern as string)));
  if (spacing) {
    return `metric filter ${spacing.id} on ${logGroup} differs from ${expected} only in whitespace; checkers (Security Hub, prowler) `
      + 'compare the exact text, so it fails there';
  }
  const elsewhere = allFilters.find((f) => f.pattern !== undefined && accepted.has(f.pattern));
  if (elsewhere) return `metric filter ${elsewhere.id} has the pattern but is on another log group, not on the trail's ${logGroup}`;
  return `no metric filter with ${expected} on the trail log group ${logGroup}`;
}

function followFilter(model: TemplateModel, filter: Filter, alarms: Alarm[]): Step {
  const link = { filter: filter.id };
  if (filter.metrics.length === 0) {
    return { ...link, depth: 1, reason: `filter ${filter.id} publishes no metric`, findings: [chain(filter.id, `metric filter ${filter.id} has no MetricTransformations`)] };
  }
  const watching = alarms.filter((a) => a.metrics.some((m) => filter.metrics.some((f) => f.name === m.name && f.namespace === m.namespace)));
  const metricText = filter.metrics.map((m) => `${m.namespace}/${m.name}`).join(', ');
  if (watching.length === 0) {
    return {
      ...link,
      depth: 1,
      reason: `no alarm on metric ${metricText}`,
      findings: [chain(filter.id, `no alarm watches metric ${metricText} of metric filter ${filter.id}`, 'Add an alarm on that metric (Sum over 300 s, threshold 1).')],
    };
  }
  let best: Step | undefined;
  const keep = (s: Step) => {
    if (!best || s.depth > best.depth) best = s;
  };
  for (const alarm of watching) {
    const withAlarm = { ...link, alarm: alarm.id };
    if (!alarm.actionsEnabled) {
      keep({ ...withAlarm, depth: 2, reason: `alarm ${alarm.id} has ActionsEnabled false`, findings: [chain(alarm.id, `alarm ${alarm.id} has its actions disabled (ActionsEnabled false)`)] });
      continue;
    }
    const topics = alarm.actions.map((a) => model.topicOf(a)).filter((t): t is TopicRef => t !== undefined);
    if (topics.length === 0) {
      keep({ ...withAlarm, depth: 2, reason: `alarm ${alarm.id} notifies no SNS topic`, findings: [chain(alarm.id, `alarm ${alarm.id} has no SNS topic among its AlarmActions`, 'Add the topic to AlarmActions.')] });
      continue;
    }
    for (const topic of topics) keep(followTopic(model, withAlarm, topic));
  }
  return best as Step;
}

function followTopic(model: TemplateModel, link: { filter: string; alarm: string }, topic: TopicRef): Step {
  const withTopic = { ...link, topic: topic.logicalId ?? topic.text };
  if (!topic.logicalId) {
    return {
      ...withTopic,
      depth: 4,
      reason: `alarm ${link.alarm} notifies ${topic.text}, defined outside this template`,
      findings: [{
        rule: CHECK_RULES.UNVERIFIABLE,
        severity: 'WARNING',
        logicalIds: [link.alarm],
        message: `alarm ${link.alarm} notifies topic ${topic.text}, which is not in this template: its subscriptions and key are not checked`,
      }],
    };
  }
  const id = topic.logicalId;
  if (!model.hasSubscription(id)) {
    return { ...withTopic, depth: 3, reason: `topic ${id} has no subscription`, findings: [chain(id, `topic ${id} (notified by alarm ${link.alarm}) has no subscription: nobody is notified`, 'Add an AWS::SNS::Subscription for the topic.')] };
  }
  const publish = model.topicPolicyProblem(id);
  if (publish) return { ...withTopic, depth: 3, reason: publish, findings: [chain(id, publish, 'Allow the service principal cloudwatch.amazonaws.com sns:Publish in the topic policy.')] };
  const key = model.keyProblem(id);
  if (key) {
    const finding: CheckFinding = { ...key, rule: CHECK_RULES.KEY_GRANT };
    return { ...withTopic, depth: 4, reason: key.message, findings: [finding] };
  }
  return { ...withTopic, depth: 5, reason: `filter ${link.filter} → alarm ${link.alarm} → topic ${id} → subscription`, findings: [] };
}

function chain(logicalId: string, message: string, fix?: string): CheckFinding {
  return { rule: CHECK_RULES.CHAIN_BROKEN, severity: 'ERROR', logicalIds: [logicalId], message, fix };
}

function dedupe(findings: CheckFinding[]): CheckFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.logicalIds.join(',')}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === 'True';
}

interface TopicRef { readonly logicalId?: string; readonly text: string }

const KEY_GRANT_FIX = 'Add a key policy statement allowing the service principal cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*.';

/** The template's resources, with the intrinsic functions this check follows (Ref, Fn::GetAtt, Fn::Join, Fn::Sub). */
class TemplateModel {
  private readonly resources: Record<string, Resource>;
  private readonly parameters: Record<string, unknown>;

  constructor(template: Template) {
    // CDK writes an empty stack without Resources; anything else must have a Resources object.
    if (!template || typeof template !== 'object' || Array.isArray(template)
      || (template.Resources !== undefined && (typeof template.Resources !== 'object' || template.Resources === null || Array.isArray(template.Resources)))) {
      throw new Error('not a CloudFormation template: it has no Resources object');
    }
    this.resources = template.Resources ?? {};
    this.parameters = (template.Parameters ?? {}) as Record<string, unknown>;
  }

  public *ofType(type: string): Iterable<[string, Resource]> {
    for (const [id, resource] of Object.entries(this.resources)) if (resource?.Type === type) yield [id, resource];
  }

  public filters(): Filter[] {
    return [...this.ofType('AWS::Logs::MetricFilter')].map(([id, r]) => ({
      id,
      logGroup: this.logGroupFromName(r.Properties?.LogGroupName),
      pattern: typeof r.Properties?.FilterPattern === 'string' ? r.Properties.FilterPattern : undefined,
      metrics: (asArray(r.Properties?.MetricTransformations))
        .map((t: any) => ({ name: this.text(t?.MetricName), namespace: this.text(t?.MetricNamespace) })),
    }));
  }

  public alarms(): Alarm[] {
    return [...this.ofType('AWS::CloudWatch::Alarm')].map(([id, r]) => {
      const p = r.Properties ?? {};
      const metrics: AlarmMetric[] = [];
      if (p.MetricName !== undefined) metrics.push({ name: this.text(p.MetricName), namespace: this.text(p.Namespace) });
      for (const query of asArray(p.Metrics)) {
        const metric = (query as any)?.MetricStat?.Metric;
        if (metric?.MetricName !== undefined) metrics.push({ name: this.text(metric.MetricName), namespace: this.text(metric.Namespace) });
      }
      return { id, metrics, actionsEnabled: p.ActionsEnabled === undefined || truthy(p.ActionsEnabled), actions: asArray(p.AlarmActions) };
    });
  }

  /** A log group's identity from a LogGroupName value: `ref:<LogicalId>`, `param:<Name>` or `name:<literal>`. */
  public logGroupFromName(value: unknown): string {
    const ref = refOf(value);
    if (ref && this.parameters[ref] !== undefined) return `param:${ref}`;
    if (ref && this.resources[ref]) return `ref:${ref}`;
    const text = this.text(value);
    for (const [id, r] of this.ofType('AWS::Logs::LogGroup')) if (r.Properties?.LogGroupName === text) return `ref:${id}`;
    return `name:${text}`;
  }

  /** The log group a trail's CloudWatchLogsLogGroupArn names, or undefined when it cannot be told. */
  public logGroupFromArn(value: unknown): string | undefined {
    const getAtt = (value as any)?.['Fn::GetAtt'];
    if (Array.isArray(getAtt) && this.resources[getAtt[0]]?.Type === 'AWS::Logs::LogGroup') return `ref:${getAtt[0]}`;
    const text = this.text(value);
    const match = /:log-group:(.+?)(:\*)?$/.exec(text);
    if (!match) return undefined;
    const name = match[1];
    const whole = /^\$\{([^}]+)\}$/.exec(name);
    if (whole) return this.logGroupFromName({ Ref: whole[1] });
    return this.logGroupFromName(name);
  }

  public describeLogGroup(identity: string): string {
    const [kind, rest] = [identity.slice(0, identity.indexOf(':')), identity.slice(identity.indexOf(':') + 1)];
    if (kind === 'ref') {
      const name = this.resources[rest]?.Properties?.LogGroupName;
      return typeof name === 'string' ? `${rest} (${name})` : rest;
    }
    if (kind === 'param') return `the log group named by parameter ${rest}`;
    return `'${rest}'`;
  }

  public logicalIdOf(identity: string): string | undefined {
    return identity.startsWith('ref:') && this.resources[identity.slice(4)]?.Type === 'AWS::Logs::LogGroup' ? identity.slice(4) : undefined;
  }

  /** The trail that delivers to a log group, when this template has it. */
  public trailOf(identity: string): string | undefined {
    for (const [id, r] of this.ofType('AWS::CloudTrail::Trail')) {
      const arn = r.Properties?.CloudWatchLogsLogGroupArn;
      if (arn !== undefined && this.logGroupFromArn(arn) === identity) return id;
    }
    return undefined;
  }

  /** The SNS topic an alarm action names. */
  public topicOf(action: unknown): TopicRef | undefined {
    const ref = refOf(action);
    if (ref && this.resources[ref]?.Type === 'AWS::SNS::Topic') return { logicalId: ref, text: ref };
    const text = this.text(action);
    if (!/:sns:/.test(text)) return undefined;
    const name = text.split(':').pop() as string;
    for (const [id, r] of this.ofType('AWS::SNS::Topic')) if (r.Properties?.TopicName === name) return { logicalId: id, text };
    return { text };
  }

  public hasSubscription(topicId: string): boolean {
    const topic = this.resources[topicId];
    if (asArray(topic.Properties?.Subscription).length > 0) return true;
    for (const [, r] of this.ofType('AWS::SNS::Subscription')) if (refOf(r.Properties?.TopicArn) === topicId) return true;
    return false;
  }

  /** Why CloudWatch could not publish to the topic under its topic policy, or undefined. */
  public topicPolicyProblem(topicId: string): string | undefined {
    for (const [id, r] of this.ofType('AWS::SNS::TopicPolicy')) {
      if (!asArray(r.Properties?.Topics).some((t) => refOf(t) === topicId)) continue;
      const statements = asArray(r.Properties?.PolicyDocument?.Statement) as any[];
      const allows = statements.some((s) => s?.Effect === 'Allow' && actionAllows(s.Action, 'sns:Publish')
        && principalIncludes(s.Principal, 'cloudwatch.amazonaws.com'));
      const denies = statements.some((s) => s?.Effect === 'Deny' && actionAllows(s.Action, 'sns:Publish')
        && principalIncludes(s.Principal, 'cloudwatch.amazonaws.com') && s.Condition === undefined);
      if (!allows || denies) {
        return `topic policy ${id} replaces the topic's default policy and does not let cloudwatch.amazonaws.com publish to topic ${topicId}`;
      }
    }
    return undefined;
  }

  /** A problem with the topic's KMS key for CloudWatch, or undefined. */
  public keyProblem(topicId: string): { severity: CheckSeverity; message: string; logicalIds: string[]; fix?: string } | undefined {
    const keyRef = this.resources[topicId].Properties?.KmsMasterKeyId;
    if (keyRef === undefined) return undefined;
    const text = this.text(keyRef);
    if (/alias\/aws\/sns$/.test(text)) {
      return {
        severity: 'ERROR',
        logicalIds: [topicId],
        message: `topic ${topicId} is encrypted with the AWS managed key alias/aws/sns, which CloudWatch may not use: every notification is dropped`,
        fix: 'Encrypt the topic with a customer managed key whose policy allows cloudwatch.amazonaws.com.',
      };
    }
    const keyId = refOf(keyRef) ?? getAttOf(keyRef);
    const key = keyId ? this.resources[keyId] : undefined;
    if (!keyId || key?.Type !== 'AWS::KMS::Key') {
      return { severity: 'WARNING', logicalIds: [topicId], message: `topic ${topicId} is encrypted with key ${text}, defined outside this template: its grant to CloudWatch is not checked` };
    }
    const statements = asArray(key.Properties?.KeyPolicy?.Statement) as any[];
    const grants = (action: string) => statements.some((s) => s?.Effect === 'Allow' && actionAllows(s.Action, action)
      && principalIncludes(s.Principal, 'cloudwatch.amazonaws.com'));
    const missing = ['kms:Decrypt', 'kms:GenerateDataKey'].filter((a) => !grants(a));
    if (missing.length > 0) {
      return {
        severity: 'ERROR',
        logicalIds: [keyId, topicId],
        message: `key ${keyId} (of topic ${topicId}) does not allow cloudwatch.amazonaws.com ${missing.join(' and ')}: the alarms cannot publish`,
        fix: KEY_GRANT_FIX,
      };
    }
    return undefined;
  }

  /** A value as text: literals as they are, `Ref`s and pseudo parameters as `${Name}`, joins and subs expanded. */
  public text(value: unknown): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    const ref = refOf(value);
    if (ref) return `\${${ref}}`;
    const join = (value as any)?.['Fn::Join'];
    if (Array.isArray(join) && Array.isArray(join[1])) return join[1].map((v: unknown) => this.text(v)).join(String(join[0]));
    const sub = (value as any)?.['Fn::Sub'];
    if (typeof sub === 'string') return sub;
    if (Array.isArray(sub) && typeof sub[0] === 'string') {
      const vars = (sub[1] ?? {}) as Record<string, unknown>;
      return sub[0].replace(/\$\{([^}!]+)\}/g, (whole: string, name: string) => (vars[name] !== undefined ? this.text(vars[name]) : whole));
    }
    const getAtt = getAttOf(value);
    if (getAtt) return `\${${getAtt}.${(value as any)['Fn::GetAtt'][1]}}`;
    return JSON.stringify(value);
  }
}

function refOf(value: unknown): string | undefined {
  const ref = (value as any)?.Ref;
  return typeof ref === 'string' ? ref : undefined;
}

function getAttOf(value: unknown): string | undefined {
  const getAtt = (value as any)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Whether a policy's Action element covers an action (wildcards, case-insensitive). */
function actionAllows(actions: unknown, action: string): boolean {
  return asArray(actions).some((a) => typeof a === 'string'
    && new RegExp(`^${a.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i').test(action));
}

/** Whether a policy's Principal element names a service principal (or everyone). */
function principalIncludes(principal: unknown, service: string): boolean {
  if (principal === '*') return true;
  const p = principal as { Service?: unknown; AWS?: unknown } | undefined;
  if (asArray(p?.AWS).includes('*')) return true;
  return asArray(p?.Service).some((s) => s === service);
}
