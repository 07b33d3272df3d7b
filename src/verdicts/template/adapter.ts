import {
  AdvancedEventSelector, Alarm, AlarmMetric, AlarmMetricQuery, EventSelector, Key, Known, LogGroup, MetricFilter, MetricTransformation,
  MonitoringSnapshot, Origin, PolicyDocument, Subscription, Topic, Trail, isUnknown, unknown,
} from '../model';
import { NO_VALUE, StackContext, StackTemplate, Template } from './resolve';

/**
 * The template adapter: CloudFormation templates (parsed; JSON or YAML is the caller's business) → one
 * `MonitoringSnapshot`. Every stack given is resolved together (an app's trail stack and monitoring stack; exports
 * and `Fn::ImportValue` between them), nested stacks included when `loadNested` returns their templates.
 */

/** Where a nested stack's template is: the `aws:asset:path` metadata (relative to the parent's directory) and the TemplateURL. */
export interface NestedTemplateRef {
  readonly assetPath?: string;
  readonly templateUrl?: string;
}

export type NestedLoader = (ref: NestedTemplateRef, parentPath: string | undefined) => { template: unknown; path: string } | undefined;

export interface TemplateInput {
  /** The stack's name, or the file's name. */
  readonly name: string;
  readonly template: unknown;
  readonly path?: string;
  readonly account?: string;
  readonly region?: string;
}

export interface TemplateSnapshotOptions {
  /** Log group names to judge when no trail of the templates delivers (the trail lives elsewhere). */
  readonly monitoredLogGroups?: string[];
  /**
   * Reads a nested stack's template (of an `AWS::CloudFormation::Stack` resource) given where it is and the
   * parent template's path; returns the parsed template and its file, or undefined when it cannot be read.
   */
  readonly loadNested?: NestedLoader;
}

/** Thrown for input that is not a CloudFormation template. */
export class TemplateFormatError extends Error {}

function validate(template: unknown, name: string): Template {
  const t = template as Template;
  if (!t || typeof t !== 'object' || Array.isArray(t)
    || (t.Resources !== undefined && (typeof t.Resources !== 'object' || t.Resources === null || Array.isArray(t.Resources)))) {
    throw new TemplateFormatError(`${name}: not a CloudFormation template: it has no Resources object`);
  }
  return t;
}

/** Builds one snapshot from the templates of an app (or of one file). */
export function snapshotFromTemplates(inputs: TemplateInput[], options: TemplateSnapshotOptions = {}): MonitoringSnapshot {
  const contexts: StackContext[] = [];
  const notes: string[] = [];
  let exportsCache: Map<string, { stack: StackContext; value: unknown }> | undefined;
  const exports = () => {
    if (!exportsCache) {
      exportsCache = new Map();
      for (const c of contexts) {
        for (const output of Object.values(c.stack.template.Outputs ?? {})) {
          const name = output?.Export?.Name !== undefined ? c.resolve(output.Export.Name) : undefined;
          if (typeof name === 'string') exportsCache.set(name, { stack: c, value: output.Value });
        }
      }
    }
    return exportsCache;
  };
  const add = (stack: StackTemplate, depth: number) => {
    const context = new StackContext(stack, exports);
    contexts.push(context);
    for (const [id, resource] of Object.entries(context.resources)) {
      if (resource?.Type !== 'AWS::CloudFormation::Stack') continue;
      const assetPath = resource.Metadata?.['aws:asset:path'];
      const url = context.text(resource.Properties?.TemplateURL);
      const ref = { assetPath: typeof assetPath === 'string' ? assetPath : undefined, templateUrl: typeof url === 'string' ? url : undefined };
      const loaded = options.loadNested && depth < 20 ? options.loadNested(ref, stack.path) : undefined;
      if (loaded === undefined) {
        notes.push(`nested stack ${id} of ${context.name}: its template was not read${ref.assetPath ? ` (${ref.assetPath})` : ''}`);
        continue;
      }
      const child = add({
        name: `${context.name}/${id}`, template: validate(loaded.template, `${context.name}/${id}`), path: loaded.path, parent: { stack: context, logicalId: id },
      }, depth + 1);
      context.nested.set(id, child);
    }
    return context;
  };
  for (const input of inputs) {
    add({ name: input.name, template: validate(input.template, input.name), path: input.path, account: input.account, region: input.region }, 0);
  }
  return new Builder(contexts, inputs, options, notes).build();
}

class Builder {
  private readonly trails: Trail[] = [];
  private readonly logGroups: LogGroup[] = [];
  private readonly filters: MetricFilter[] = [];
  private readonly alarms: Alarm[] = [];
  private readonly topics: Topic[] = [];
  private readonly subscriptions: Subscription[] = [];
  private readonly keys: Key[] = [];

  constructor(
    private readonly contexts: StackContext[], private readonly inputs: TemplateInput[],
    private readonly options: TemplateSnapshotOptions, private readonly notes: string[],
  ) {}

  public build(): MonitoringSnapshot {
    for (const c of this.contexts) this.read(c);
    this.attachPolicies();
    this.linkGroups();
    this.linkRoles();
    const accounts = new Set(this.contexts.map((c) => c.account));
    const regions = new Set(this.contexts.map((c) => c.region));
    // Environment-agnostic templates: every \${AWS::AccountId} is the one (symbolic) account they are deployed to.
    const account = accounts.size === 1 ? [...accounts][0] ?? '{{AccountId}}' : unknown('the templates declare several accounts');
    const region = regions.size === 1 ? [...regions][0] ?? '{{Region}}' : unknown('the templates declare several regions');
    const source = this.inputs.length === 1 ? `template ${this.inputs[0].path ?? this.inputs[0].name}` : `${this.inputs.length} templates`;
    return {
      source,
      account,
      region,
      seesAllTrails: false,
      monitoredLogGroups: this.options.monitoredLogGroups,
      trails: this.trails,
      logGroups: this.logGroups,
      metricFilters: this.filters,
      alarms: this.alarms,
      topics: this.topics,
      subscriptions: this.subscriptions,
      keys: this.keys,
      unseen: [
        'whether subscriptions were confirmed and CloudTrail delivers without error (decided after deployment: run audit)',
        ...this.notes,
      ],
      notes: this.notes,
      incomplete: this.notes.filter((n) => n.startsWith('nested stack ')),
    };
  }

  private origin(c: StackContext, id: string): Origin {
    const several = this.contexts.length > 1;
    return {
      label: several ? `${id} (stack ${c.name})` : id,
      logicalId: id,
      stack: c.name,
      templatePath: c.stack.path,
      account: c.account,
      region: c.region,
    };
  }

  private read(c: StackContext): void {
    for (const [id, resource] of Object.entries(c.resources)) {
      const p = (resource?.Properties ?? {}) as Record<string, unknown>;
      const key = `cfn:${c.name}/${id}`;
      const origin = this.origin(c, id);
      const get = (name: string) => value(c.resolve(p[name]));
      switch (resource?.Type) {
        case 'AWS::CloudTrail::Trail': this.trails.push(this.trail(c, id, key, origin, p)); break;
        case 'AWS::Logs::LogGroup': this.logGroups.push({ key, origin, name: c.physicalName(id), arn: c.getAtt(id, 'Arn') }); break;
        case 'AWS::Logs::MetricFilter':
          this.filters.push({
            key,
            origin,
            name: get('FilterName'),
            logGroupName: c.text(p.LogGroupName) ?? unknown('no LogGroupName'),
            pattern: c.text(p.FilterPattern) ?? '',
            transformations: listOf(get('MetricTransformations'), (t: any): MetricTransformation => ({
              metricName: str(t.MetricName),
              namespace: str(t.MetricNamespace),
              value: str(t.MetricValue),
              defaultValue: t.DefaultValue === undefined ? undefined : num(t.DefaultValue),
              dimensions: t.Dimensions === undefined ? undefined : dimensions(t.Dimensions),
              unit: t.Unit === undefined ? undefined : str(t.Unit),
            })),
          });
          break;
        case 'AWS::CloudWatch::Alarm': this.alarms.push(this.alarm(c, id, key, origin, p)); break;
        case 'AWS::SNS::Topic': {
          const arn = c.getAtt(id, 'TopicArn');
          this.topics.push({
            key,
            origin,
            name: c.physicalName(id),
            arn,
            kmsMasterKeyId: p.KmsMasterKeyId === undefined ? undefined : c.text(p.KmsMasterKeyId),
          });
          for (const [i, s] of (asList(get('Subscription')) ?? []).entries()) {
            this.subscriptions.push({
              key: `${key}#${i}`,
              origin: { ...origin, label: `${origin.label} Subscription[${i}]` },
              topic: arn,
              protocol: str((s as any)?.Protocol),
              endpoint: str((s as any)?.Endpoint),
            });
          }
          break;
        }
        case 'AWS::SNS::Subscription':
          this.subscriptions.push({
            key,
            origin,
            topic: c.text(p.TopicArn) ?? unknown('no TopicArn'),
            protocol: str(get('Protocol')),
            endpoint: str(get('Endpoint')),
            filterPolicy: p.FilterPolicy === undefined ? undefined : jsonOf(get('FilterPolicy')),
            filterPolicyScope: p.FilterPolicyScope === undefined ? undefined : str(get('FilterPolicyScope')),
          });
          break;
        case 'AWS::KMS::Key': {
          const policy = p.KeyPolicy === undefined ? DEFAULT_KEY_POLICY : policyOf(jsonOf(get('KeyPolicy')));
          this.keys.push({
            key,
            origin,
            arn: c.getAtt(id, 'Arn'),
            keyId: c.physicalId(id),
            aliases: [],
            enabled: p.Enabled === undefined ? undefined : bool(get('Enabled')),
            policy,
          });
          break;
        }
        default: break;
      }
    }
  }

  private trail(c: StackContext, id: string, key: string, origin: Origin, p: Record<string, unknown>): Trail {
    const get = (name: string) => value(c.resolve(p[name]));
    const arn = p.CloudWatchLogsLogGroupArn === undefined ? undefined : c.text(p.CloudWatchLogsLogGroupArn);
    let logGroupName: Known<string> | undefined;
    let logGroupAccount: Known<string> | undefined;
    if (arn !== undefined) {
      if (isUnknown(arn)) {
        logGroupName = arn;
      } else {
        const match = /^arn:[^:]*:logs:[^:]*:([^:]*):log-group:(.+?)(:\*)?$/.exec(arn);
        logGroupName = match ? match[2] : unknown(`CloudWatchLogsLogGroupArn ${arn} is not a log group ARN`);
        if (match) logGroupAccount = match[1] === '{{AccountId}}' ? undefined : match[1];
      }
    }
    return {
      key,
      origin,
      name: c.physicalName(id),
      arn: c.getAtt(id, 'Arn'),
      isMultiRegion: p.IsMultiRegionTrail === undefined ? false : bool(get('IsMultiRegionTrail')),
      isOrganizationTrail: p.IsOrganizationTrail === undefined ? undefined : bool(get('IsOrganizationTrail')),
      isLogging: p.IsLogging === undefined ? unknown('no IsLogging property') : bool(get('IsLogging')),
      eventSelectors: p.EventSelectors === undefined ? undefined : listOf(get('EventSelectors'), (s: any): EventSelector => ({
        readWriteType: s.ReadWriteType === undefined ? undefined : str(s.ReadWriteType),
        includeManagementEvents: s.IncludeManagementEvents === undefined ? undefined : bool(s.IncludeManagementEvents),
        excludeManagementEventSources: s.ExcludeManagementEventSources === undefined ? undefined : strings(s.ExcludeManagementEventSources),
      })),
      advancedEventSelectors: p.AdvancedEventSelectors === undefined ? undefined : listOf(get('AdvancedEventSelectors'), (s: any): AdvancedEventSelector => ({
        name: typeof s.Name === 'string' ? s.Name : undefined,
        fieldSelectors: listOf(s.FieldSelectors, (f: any) => ({
          field: str(f.Field),
          equals: f.Equals === undefined ? undefined : strings(f.Equals),
          notEquals: f.NotEquals === undefined ? undefined : strings(f.NotEquals),
          startsWith: f.StartsWith === undefined ? undefined : strings(f.StartsWith),
          notStartsWith: f.NotStartsWith === undefined ? undefined : strings(f.NotStartsWith),
          endsWith: f.EndsWith === undefined ? undefined : strings(f.EndsWith),
          notEndsWith: f.NotEndsWith === undefined ? undefined : strings(f.NotEndsWith),
        })),
      })),
      cloudWatchLogsLogGroupArn: arn,
      logGroupName,
      logGroupAccount,
      cloudWatchLogsRoleArn: p.CloudWatchLogsRoleArn === undefined ? undefined : c.text(p.CloudWatchLogsRoleArn),
    };
  }

  private alarm(c: StackContext, id: string, key: string, origin: Origin, p: Record<string, unknown>): Alarm {
    const get = (name: string) => value(c.resolve(p[name]));
    const metric: AlarmMetric | undefined = p.MetricName === undefined ? undefined : {
      metricName: str(get('MetricName')),
      namespace: str(get('Namespace')),
      dimensions: p.Dimensions === undefined ? undefined : dimensions(get('Dimensions')),
      statistic: p.Statistic === undefined ? undefined : str(get('Statistic')),
      extendedStatistic: p.ExtendedStatistic === undefined ? undefined : str(get('ExtendedStatistic')),
      period: p.Period === undefined ? undefined : num(get('Period')),
      unit: p.Unit === undefined ? undefined : str(get('Unit')),
    };
    const queries = p.Metrics === undefined ? undefined : listOf(get('Metrics'), (q: any): AlarmMetricQuery => ({
      id: str(q.Id),
      expression: q.Expression === undefined ? undefined : str(q.Expression),
      returnData: q.ReturnData === undefined ? undefined : bool(q.ReturnData),
      metric: q.MetricStat === undefined ? undefined : {
        metricName: str(q.MetricStat?.Metric?.MetricName),
        namespace: str(q.MetricStat?.Metric?.Namespace),
        dimensions: q.MetricStat?.Metric?.Dimensions === undefined ? undefined : dimensions(q.MetricStat.Metric.Dimensions),
        statistic: str(q.MetricStat?.Stat),
        period: num(q.MetricStat?.Period),
        unit: q.MetricStat?.Unit === undefined ? undefined : str(q.MetricStat.Unit),
      },
    }));
    return {
      key,
      origin,
      name: c.physicalName(id),
      arn: c.getAtt(id, 'Arn'),
      metric,
      queries,
      threshold: p.Threshold === undefined ? undefined : num(get('Threshold')),
      comparisonOperator: str(get('ComparisonOperator')),
      evaluationPeriods: num(get('EvaluationPeriods')),
      datapointsToAlarm: p.DatapointsToAlarm === undefined ? undefined : num(get('DatapointsToAlarm')),
      treatMissingData: p.TreatMissingData === undefined ? undefined : str(get('TreatMissingData')),
      actionsEnabled: p.ActionsEnabled === undefined ? undefined : bool(get('ActionsEnabled')),
      alarmActions: p.AlarmActions === undefined ? [] : listOf(get('AlarmActions'), (a: unknown) => str(a)),
    };
  }

  /** Topic policies (AWS::SNS::TopicPolicy, TopicInlinePolicy) onto their topics; key aliases onto their keys. */
  private attachPolicies(): void {
    const policies = new Map<Topic, unknown[]>();
    const owners = new Map<Topic, string[]>();
    const unknownPolicies: Array<{ label: string; reason: string }> = [];
    for (const c of this.contexts) {
      for (const [id, resource] of Object.entries(c.resources)) {
        const p = resource?.Properties ?? {};
        if (resource?.Type === 'AWS::SNS::TopicPolicy' || resource?.Type === 'AWS::SNS::TopicInlinePolicy') {
          const targets = resource.Type === 'AWS::SNS::TopicPolicy' ? value(c.resolve(p.Topics)) : [c.text(p.TopicArn)];
          const document = value(c.resolve(p.PolicyDocument));
          const statements = isUnknown(document) ? document : document?.Statement;
          if (isUnknown(targets)) {
            unknownPolicies.push({ label: this.origin(c, id).label, reason: targets.$unknown });
            continue;
          }
          for (const target of asList(targets) ?? []) {
            const topic = this.topics.find((t) => !isUnknown(target) && !isUnknown(t.arn) && t.arn === target);
            if (!topic) continue;
            const list = policies.get(topic) ?? [];
            if (isUnknown(statements)) list.push(statements);
            else list.push(...(asList(statements) ?? []));
            policies.set(topic, list);
            owners.set(topic, [...(owners.get(topic) ?? []), this.origin(c, id).label]);
          }
        }
        if (resource?.Type === 'AWS::KMS::Alias') {
          const target = c.text(p.TargetKeyId);
          const alias = c.text(p.AliasName);
          const key = this.keys.find((k) => !isUnknown(target) && target !== undefined && (k.keyId === target || k.arn === target));
          if (key && typeof alias === 'string') (key.aliases as string[]).push(alias);
        }
      }
    }
    for (const [i, topic] of this.topics.entries()) {
      const statements = policies.get(topic);
      let policy: Known<PolicyDocument> | undefined = statements ? { Statement: statements } : undefined;
      const several = owners.get(topic) ?? [];
      // Each topic policy replaces the topic's whole policy: with several, the one applied last wins, unknown here.
      if (several.length > 1) policy = unknown(`topic policies ${several.join(', ')} each replace the policy of one topic; which applies last cannot be told`);
      if (!statements && unknownPolicies.length > 0) policy = unknown(`topic policy ${unknownPolicies[0].label} applies to topics this check cannot resolve (${unknownPolicies[0].reason})`);
      this.topics[i] = { ...topic, policy };
    }
  }

  /** The delivery role of each trail, when a template of the snapshot creates it (its trust policy is then checked). */
  private linkRoles(): void {
    for (const [i, t] of this.trails.entries()) {
      const arn = t.cloudWatchLogsRoleArn;
      if (arn === undefined || isUnknown(arn)) continue;
      for (const c of this.contexts) {
        const role = Object.entries(c.resources).find(([id, r]) => r?.Type === 'AWS::IAM::Role' && c.getAtt(id, 'Arn') === arn);
        if (!role) continue;
        const trust = value(c.resolve(role[1].Properties?.AssumeRolePolicyDocument));
        this.trails[i] = { ...t, cloudWatchLogsRole: { exists: true, trustPolicy: policyOf(jsonOf(trust)) } };
        break;
      }
    }
  }

  /** Log group keys onto filters and trails (by name, in the same account). */
  private linkGroups(): void {
    const byName = (name: Known<string> | undefined) => (name === undefined || isUnknown(name)
      ? undefined
      : this.logGroups.find((g) => g.name === name));
    for (const [i, f] of this.filters.entries()) {
      const group = byName(f.logGroupName);
      if (group) this.filters[i] = { ...f, logGroupKey: group.key };
    }
    for (const [i, t] of this.trails.entries()) {
      if (t.logGroupAccount !== undefined && (isUnknown(t.logGroupAccount) || t.logGroupAccount !== t.origin.account)) continue;
      const group = byName(t.logGroupName);
      if (group) this.trails[i] = { ...t, logGroupKey: group.key };
    }
  }
}

/** The key policy KMS gives a key created without one: the account's root only (no service principal). */
const DEFAULT_KEY_POLICY: PolicyDocument = {
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:{{Partition}}:iam::{{AccountId}}:root' }, Action: 'kms:*', Resource: '*' }],
};

function value(v: Known<any>): Known<any> {
  return v === NO_VALUE ? undefined : v;
}

function asList(v: Known<any>): any[] | undefined {
  if (v === undefined || v === null || isUnknown(v)) return undefined;
  return Array.isArray(v) ? v : [v];
}

function listOf<T>(v: Known<any>, map: (item: any) => T): Known<T[]> {
  if (isUnknown(v)) return v;
  const list = asList(v) ?? [];
  const bad = list.find(isUnknown);
  if (bad) return bad;
  return list.map((item) => map(item ?? {}));
}

function str(v: unknown): Known<string> {
  if (isUnknown(v)) return v;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return unknown(v === undefined ? 'not set' : `not a string: ${JSON.stringify(v)}`);
}

function strings(v: unknown): Known<Known<string>[]> {
  return listOf(v, str);
}

function num(v: unknown): Known<number> {
  if (isUnknown(v)) return v;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : unknown(v === undefined ? 'not set' : `not a number: ${JSON.stringify(v)}`);
}

function bool(v: unknown): Known<boolean> {
  if (isUnknown(v)) return v;
  if (v === true || v === 'true' || v === 'True') return true;
  if (v === false || v === 'false' || v === 'False') return false;
  return unknown(`not a boolean: ${JSON.stringify(v)}`);
}

function dimensions(v: unknown): Known<Record<string, Known<string>>> {
  if (isUnknown(v)) return v;
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    // MetricTransformation Dimensions: [{Key, Value}] in CloudFormation; a map in the API.
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, str(x)]));
  }
  const list = asList(v) ?? [];
  const out: Record<string, Known<string>> = {};
  for (const d of list) {
    if (isUnknown(d)) return d;
    const name = d?.Name ?? d?.Key;
    if (typeof name !== 'string') return unknown(`a dimension without a literal name: ${JSON.stringify(d)}`);
    out[name] = str(d?.Value);
  }
  return out;
}

function jsonOf(v: Known<any>): Known<any> {
  if (typeof v === 'string') {
    try {
      return JSON.parse(v);
    } catch {
      return unknown('not JSON');
    }
  }
  return v;
}

function policyOf(v: Known<any>): Known<PolicyDocument> {
  if (isUnknown(v)) return v;
  if (!v || typeof v !== 'object') return unknown('not a policy document');
  return { Statement: isUnknown(v.Statement) ? v.Statement : asList(v.Statement) ?? [] };
}
