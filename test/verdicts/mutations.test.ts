import { Template } from 'aws-cdk-lib/assertions';
import { checkTemplates } from '../../src/verdicts/check';
import { Verdict } from '../../src/verdicts/rule';
import { TemplateInput } from '../../src/verdicts/template/adapter';
import { ACCOUNT, REGION, monitoringStacks } from '../support/every-option-monitoring';

/**
 * Issue 18 §2, first bullet: from the synthesized default and every-option templates, every property the rules read
 * is mutated (on every resource of its type, so no second path can carry the alarm), and each mutation must change
 * a verdict; each valid respelling (GetAtt for Ref, Join of literals, Sub, split stacks, a nested stack) must not.
 * A surviving mutation fails the build.
 */

type Resources = Record<string, { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any> }>;
type Tpl = { Resources: Resources; Parameters?: Record<string, unknown>; Outputs?: Record<string, any> };

const stacks = monitoringStacks();
const SOURCES: Record<string, Tpl> = {
  default: Template.fromStack(stacks.default).toJSON() as Tpl,
  everyOption: Template.fromStack(stacks.everyOption).toJSON() as Tpl,
};

const clone = (t: Tpl): Tpl => JSON.parse(JSON.stringify(t));
const input = (name: string, template: unknown): TemplateInput => ({ name, template, account: ACCOUNT, region: REGION });

/** Per-control verdicts of templates read together (the default controls). */
function verdicts(inputs: TemplateInput[], loadNested?: (ref: any) => { template: unknown; path: string } | undefined): Record<string, Verdict> {
  const result = checkTemplates(inputs, { loadNested });
  return Object.fromEntries(result.controls.map((c) => [c.key, c.verdict]));
}

interface Mutation {
  readonly name: string;
  readonly type: string;
  /** Mutates one resource's properties (in place); `t` is the whole template (for parameters). */
  readonly apply: (p: Record<string, any>, t: Tpl, id: string) => void;
  /** The verdict every control must get, or 'changed' when only some controls are affected. */
  readonly expect: Verdict | 'changed';
}

const param = (t: Tpl, name: string) => {
  t.Parameters = { ...(t.Parameters ?? {}), [name]: { Type: 'String' } };
  return { Ref: name };
};
const transformation = (p: Record<string, any>) => p.MetricTransformations[0];

const MUTATIONS: Mutation[] = [
  // Trail (CIS-MON-TRAIL-*)
  { name: 'trail single-region', type: 'AWS::CloudTrail::Trail', expect: 'FAIL', apply: (p) => { p.IsMultiRegionTrail = false; } },
  { name: 'trail not logging', type: 'AWS::CloudTrail::Trail', expect: 'FAIL', apply: (p) => { p.IsLogging = false; } },
  { name: 'trail IsLogging from a parameter', type: 'AWS::CloudTrail::Trail', expect: 'UNKNOWN', apply: (p, t) => { p.IsLogging = param(t, 'Logging'); } },
  { name: 'trail without CloudWatch Logs', type: 'AWS::CloudTrail::Trail', expect: 'FAIL', apply: (p) => { delete p.CloudWatchLogsLogGroupArn; } },
  {
    name: 'trail delivering to another account\'s group of the same name',
    type: 'AWS::CloudTrail::Trail',
    expect: 'FAIL',
    apply: (p, t) => {
      const group = Object.entries(t.Resources).find(([id]) => id === p.CloudWatchLogsLogGroupArn['Fn::GetAtt'][0])![1];
      const name = group.Properties?.LogGroupName ?? 'trail-logs';
      if (group.Properties) group.Properties.LogGroupName = name; else group.Properties = { LogGroupName: name };
      p.CloudWatchLogsLogGroupArn = `arn:aws:logs:${REGION}:222222222222:log-group:${name}:*`;
    },
  },
  { name: 'trail group ARN imported', type: 'AWS::CloudTrail::Trail', expect: 'UNKNOWN', apply: (p) => { p.CloudWatchLogsLogGroupArn = { 'Fn::ImportValue': 'elsewhere' }; } },
  { name: 'trail without delivery role', type: 'AWS::CloudTrail::Trail', expect: 'FAIL', apply: (p) => { delete p.CloudWatchLogsRoleArn; } },
  {
    name: 'delivery role not trusting CloudTrail',
    type: 'AWS::IAM::Role',
    expect: 'FAIL',
    apply: (p) => { for (const st of p.AssumeRolePolicyDocument.Statement) st.Principal = { Service: 'ec2.amazonaws.com' }; },
  },
  { name: 'trail write-only', type: 'AWS::CloudTrail::Trail', expect: 'FAIL', apply: (p) => { p.EventSelectors = [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }]; } },
  { name: 'trail read-only', type: 'AWS::CloudTrail::Trail', expect: 'FAIL', apply: (p) => { p.EventSelectors = [{ ReadWriteType: 'ReadOnly' }]; } },
  { name: 'trail without management events', type: 'AWS::CloudTrail::Trail', expect: 'FAIL', apply: (p) => { p.EventSelectors = [{ IncludeManagementEvents: false }]; } },
  {
    name: 'trail advanced selectors write-only',
    type: 'AWS::CloudTrail::Trail',
    expect: 'FAIL',
    apply: (p) => { p.AdvancedEventSelectors = [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] }]; },
  },
  {
    name: 'trail excluding kms.amazonaws.com (4.7 blind, the rest warned)',
    type: 'AWS::CloudTrail::Trail',
    expect: 'changed',
    apply: (p) => { p.EventSelectors = [{ ReadWriteType: 'All', ExcludeManagementEventSources: ['kms.amazonaws.com'] }]; },
  },
  // Metric filters (CIS-MON-FILTER-*)
  { name: 'pattern off by a trailing space', type: 'AWS::Logs::MetricFilter', expect: 'FAIL', apply: (p) => { p.FilterPattern = `${p.FilterPattern} `; } },
  { name: 'pattern imported', type: 'AWS::Logs::MetricFilter', expect: 'UNKNOWN', apply: (p) => { p.FilterPattern = { 'Fn::ImportValue': 'pattern' }; } },
  { name: 'filter on another log group', type: 'AWS::Logs::MetricFilter', expect: 'FAIL', apply: (p) => { p.LogGroupName = '/aws/lambda/other'; } },
  { name: 'filter publishes 0', type: 'AWS::Logs::MetricFilter', expect: 'FAIL', apply: (p) => { transformation(p).MetricValue = '0'; } },
  { name: 'filter metric renamed', type: 'AWS::Logs::MetricFilter', expect: 'FAIL', apply: (p) => { transformation(p).MetricName += 'X'; } },
  { name: 'filter namespace changed', type: 'AWS::Logs::MetricFilter', expect: 'FAIL', apply: (p) => { transformation(p).MetricNamespace = 'Elsewhere'; } },
  { name: 'filter publishes dimensions', type: 'AWS::Logs::MetricFilter', expect: 'FAIL', apply: (p) => { transformation(p).Dimensions = [{ Key: 'user', Value: '$.userIdentity.arn' }]; } },
  { name: 'filter DefaultValue 1 (the alarm sits in ALARM)', type: 'AWS::Logs::MetricFilter', expect: 'FAIL', apply: (p) => { transformation(p).DefaultValue = 1; } },
  { name: 'filter without transformations', type: 'AWS::Logs::MetricFilter', expect: 'FAIL', apply: (p) => { p.MetricTransformations = []; } },
  // Alarms (CIS-MON-ALARM-*)
  { name: 'threshold 1e12', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p) => { p.Threshold = 1e12; } },
  { name: 'LessThanThreshold 0', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p) => { p.ComparisonOperator = 'LessThanThreshold'; p.Threshold = 0; } },
  { name: 'SampleCount >= 100000', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p) => { p.Statistic = 'SampleCount'; p.Threshold = 100000; } },
  { name: 'p0 >= 1e9', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p) => { delete p.Statistic; p.ExtendedStatistic = 'p0'; p.Threshold = 1e9; } },
  { name: 'statistic Average (intended?)', type: 'AWS::CloudWatch::Alarm', expect: 'WARNING', apply: (p) => { p.Statistic = 'Average'; } },
  { name: 'threshold 3 (intended?)', type: 'AWS::CloudWatch::Alarm', expect: 'WARNING', apply: (p) => { p.Threshold = 3; } },
  { name: '288 of 288 datapoints', type: 'AWS::CloudWatch::Alarm', expect: 'WARNING', apply: (p) => { p.EvaluationPeriods = 288; p.DatapointsToAlarm = 288; } },
  { name: 'datapoints above evaluation periods', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p) => { p.EvaluationPeriods = 1; p.DatapointsToAlarm = 2; } },
  { name: 'missing data breaching', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p) => { p.TreatMissingData = 'breaching'; } },
  { name: 'actions disabled', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p) => { p.ActionsEnabled = false; } },
  { name: 'no alarm actions', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p) => { p.AlarmActions = []; } },
  { name: 'alarm actions imported', type: 'AWS::CloudWatch::Alarm', expect: 'UNKNOWN', apply: (p) => { p.AlarmActions = [{ 'Fn::ImportValue': 'topic' }]; } },
  { name: 'unit Seconds', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p) => { p.Unit = 'Seconds'; } },
  { name: 'alarm dimensions the filter does not publish', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p) => { p.Dimensions = [{ Name: 'user', Value: 'root' }]; } },
  { name: 'alarm metric renamed', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p) => { p.MetricName += 'X'; } },
  { name: 'alarm namespace changed', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p) => { p.Namespace = 'Elsewhere'; } },
  { name: 'threshold from a parameter', type: 'AWS::CloudWatch::Alarm', expect: 'UNKNOWN', apply: (p, t) => { p.Threshold = param(t, 'Threshold'); } },
  { name: 'alarm renamed outside the topic policy\'s SourceArn prefix', type: 'AWS::CloudWatch::Alarm', expect: 'FAIL', apply: (p, _t, id) => { p.AlarmName = `renamed-${id}`; } },
  // Topics, topic policies, keys, subscriptions (CIS-MON-TOPIC-*, CIS-MON-KEY-*, CIS-MON-SUBSCRIPTION-*)
  { name: 'topic on alias/aws/sns', type: 'AWS::SNS::Topic', expect: 'FAIL', apply: (p) => { p.KmsMasterKeyId = 'alias/aws/sns'; } },
  { name: 'topic on a key outside the template', type: 'AWS::SNS::Topic', expect: 'UNKNOWN', apply: (p) => { p.KmsMasterKeyId = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0000`; } },
  {
    name: 'topic policy: conditional Deny of sns:Publish that applies',
    type: 'AWS::SNS::TopicPolicy',
    expect: 'FAIL',
    apply: (p) => { p.PolicyDocument.Statement.push({ Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } }); },
  },
  {
    name: 'topic policy: the only Allow conditioned on another account',
    type: 'AWS::SNS::TopicPolicy',
    expect: 'FAIL',
    apply: (p) => { for (const s of p.PolicyDocument.Statement) if (s.Effect === 'Allow') s.Condition.StringEquals['aws:SourceAccount'] = '999999999999'; },
  },
  { name: 'topic policy: no Allow for CloudWatch', type: 'AWS::SNS::TopicPolicy', expect: 'FAIL', apply: (p) => { p.PolicyDocument.Statement = p.PolicyDocument.Statement.filter((s: any) => s.Effect !== 'Allow'); } },
  { name: 'key disabled', type: 'AWS::KMS::Key', expect: 'FAIL', apply: (p) => { p.Enabled = false; } },
  {
    name: 'key policy denies CloudWatch',
    type: 'AWS::KMS::Key',
    expect: 'FAIL',
    apply: (p) => { p.KeyPolicy.Statement.push({ Effect: 'Deny', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'kms:*', Resource: '*' }); },
  },
  { name: 'key policy without the CloudWatch grant', type: 'AWS::KMS::Key', expect: 'FAIL', apply: (p) => { p.KeyPolicy.Statement = p.KeyPolicy.Statement.slice(0, 1); } },
  { name: 'subscription filter policy that drops everything', type: 'AWS::SNS::Subscription', expect: 'FAIL', apply: (p) => { p.FilterPolicy = { severity: ['none'] }; } },
  {
    name: 'body filter policy on another state',
    type: 'AWS::SNS::Subscription',
    expect: 'FAIL',
    apply: (p) => { p.FilterPolicyScope = 'MessageBody'; p.FilterPolicy = { NewStateValue: ['OK'] }; },
  },
  { name: 'subscription topic imported', type: 'AWS::SNS::Subscription', expect: 'UNKNOWN', apply: (p) => { p.TopicArn = { 'Fn::ImportValue': 'topic' }; } },
];

/** Applies a mutation to every resource of its type. */
function mutate(source: Tpl, m: Mutation): Tpl {
  const t = clone(source);
  for (const [id, r] of Object.entries(t.Resources)) if (r.Type === m.type) m.apply(r.Properties ?? (r.Properties = {}), t, id);
  return t;
}

describe('mutations of every property the rules read change the verdict (issue 18 §2)', () => {
  const survivors: string[] = [];
  let generated = 0;
  for (const [source, template] of Object.entries(SOURCES)) {
    const baseline = verdicts([input(source, template)]);
    test(`${source}: the unmutated template passes every control`, () => {
      expect(Object.values(baseline)).toEqual(Array(15).fill('PASS'));
    });
    for (const m of MUTATIONS) {
      if (!Object.values(template.Resources).some((r) => r.Type === m.type)) continue;
      generated++;
      test(`${source}: ${m.name} → ${m.expect}`, () => {
        const after = verdicts([input(source, mutate(template, m))]);
        const changed = Object.keys(baseline).filter((k) => after[k] !== baseline[k]);
        if (changed.length === 0) survivors.push(`${source}: ${m.name}`);
        expect(changed.length).toBeGreaterThan(0);
        if (m.expect !== 'changed') expect(Object.values(after)).toEqual(Array(15).fill(m.expect));
      });
    }
  }
  test('the excluded KMS source blinds 4.7 only (FAIL) and warns on the controls that match any source', () => {
    const m = MUTATIONS.find((x) => x.name.startsWith('trail excluding kms'))!;
    const after = verdicts([input('default', mutate(SOURCES.default, m))]);
    expect(after.CMK_DISABLE_OR_DELETION).toBe('FAIL');
    expect(after.ROOT_ACCOUNT_USAGE).toBe('WARNING');
    expect(after.S3_BUCKET_POLICY_CHANGES).toBe('PASS');
  });
  test('one alarm mutated changes that control only', () => {
    const t = clone(SOURCES.default);
    const root = Object.values(t.Resources).find((r) => r.Type === 'AWS::CloudWatch::Alarm' && r.Properties?.MetricName === 'root_usage_metric')!;
    root.Properties!.Threshold = 1e12;
    const after = verdicts([input('default', t)]);
    expect(Object.entries(after).filter(([, v]) => v !== 'PASS')).toEqual([['ROOT_ACCOUNT_USAGE', 'FAIL']]);
  });
  afterAll(() => {
    // The counts the report quotes; a survivor fails its own test above.
    process.stdout.write(`mutations: ${generated} generated, ${generated - survivors.length} killed, survivors: ${JSON.stringify(survivors)}\n`);
  });
});

/** The resources the trail needs (itself, what it references, and the policies attached to those), for split stacks. */
function trailSide(t: Tpl): Set<string> {
  const side = new Set<string>();
  const refs = (v: unknown): string[] => {
    const out: string[] = [];
    JSON.stringify(v, (k, x) => {
      if (k === 'Ref' && typeof x === 'string') out.push(x);
      if (k === 'Fn::GetAtt' && Array.isArray(x)) out.push(x[0]);
      return x;
    });
    return out.filter((id) => t.Resources[id] !== undefined);
  };
  const add = (id: string) => {
    if (side.has(id)) return;
    side.add(id);
    for (const r of refs(t.Resources[id].Properties)) add(r);
  };
  for (const [id, r] of Object.entries(t.Resources)) if (r.Type === 'AWS::CloudTrail::Trail') add(id);
  for (const [id, r] of Object.entries(t.Resources)) {
    if (['AWS::IAM::Policy', 'AWS::S3::BucketPolicy'].includes(r.Type) && refs(r.Properties).some((x) => side.has(x))) add(id);
  }
  return side;
}

/** Rewrites references in `value` to resources of `moved` with `rewrite(id, attribute)`. */
function rewriteRefs(value: any, moved: Set<string>, rewrite: (id: string, attribute?: string) => unknown): any {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, moved, rewrite));
  if (value === null || typeof value !== 'object') return value;
  if (typeof value.Ref === 'string' && moved.has(value.Ref)) return rewrite(value.Ref);
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && moved.has(getAtt[0])) return rewrite(getAtt[0], getAtt[1]);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteRefs(v, moved, rewrite)]));
}

const refName = (id: string, attribute?: string) => `${id}${attribute ? attribute.replace(/\W/g, '') : 'Ref'}`;
const original = (id: string, attribute?: string) => (attribute ? { 'Fn::GetAtt': [id, attribute] } : { Ref: id });

/** The trail side in one stack exporting what the rest imports (Fn::ImportValue). */
function splitStacks(t: Tpl): TemplateInput[] {
  const side = trailSide(t);
  const trail: Tpl = { Resources: {}, Outputs: {} };
  const monitoring: Tpl = { Resources: {} };
  for (const [id, r] of Object.entries(t.Resources)) (side.has(id) ? trail : monitoring).Resources[id] = r;
  monitoring.Resources = rewriteRefs(monitoring.Resources, side, (id, attribute) => {
    trail.Outputs![refName(id, attribute)] = { Value: original(id, attribute), Export: { Name: `trail-${refName(id, attribute)}` } };
    return { 'Fn::ImportValue': `trail-${refName(id, attribute)}` };
  });
  return [input('Trail', trail), input('Monitoring', monitoring)];
}

/** The monitoring in a nested stack of the trail's stack, the references passed as the nested stack's parameters. */
function nestedStack(t: Tpl): { inputs: TemplateInput[]; load: (ref: any) => { template: unknown; path: string } | undefined } {
  const side = trailSide(t);
  const parent: Tpl = { Resources: {} };
  const child: Tpl = { Resources: {}, Parameters: {} };
  for (const [id, r] of Object.entries(t.Resources)) (side.has(id) ? parent : child).Resources[id] = r;
  const parameters: Record<string, unknown> = {};
  child.Resources = rewriteRefs(child.Resources, side, (id, attribute) => {
    child.Parameters![refName(id, attribute)] = { Type: 'String' };
    parameters[refName(id, attribute)] = original(id, attribute);
    return { Ref: refName(id, attribute) };
  });
  parent.Resources.Monitoring = { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.com/m.json', Parameters: parameters }, Metadata: { 'aws:asset:path': 'm.json' } };
  return {
    inputs: [{ ...input('Parent', parent), path: '/virtual/parent.template.json' }],
    load: (ref) => (ref.assetPath === 'm.json' ? { template: child, path: '/virtual/m.json' } : undefined),
  };
}

/** Respellings of the same template (same resources, same meaning). */
function respellings(t: Tpl): Record<string, { inputs: TemplateInput[]; load?: (ref: any) => { template: unknown; path: string } | undefined }> {
  const getAttTopics = clone(t);
  for (const r of Object.values(getAttTopics.Resources)) {
    const topics = new Set(Object.entries(getAttTopics.Resources).filter(([, x]) => x.Type === 'AWS::SNS::Topic').map(([id]) => id));
    if (r.Type === 'AWS::CloudWatch::Alarm' || r.Type === 'AWS::SNS::Subscription' || r.Type === 'AWS::SNS::TopicPolicy') {
      r.Properties = rewriteRefs(r.Properties, topics, (id, attribute) => (attribute ? original(id, attribute) : { 'Fn::GetAtt': [id, 'TopicArn'] }));
    }
  }
  const joined = clone(t);
  for (const r of Object.values(joined.Resources)) {
    if (r.Type !== 'AWS::Logs::MetricFilter' || typeof r.Properties!.FilterPattern !== 'string') continue;
    const text: string = r.Properties!.FilterPattern;
    const third = Math.ceil(text.length / 3);
    r.Properties!.FilterPattern = { 'Fn::Join': ['', [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)]] };
  }
  const sub = clone(t);
  for (const r of Object.values(sub.Resources)) {
    if (r.Type !== 'AWS::CloudTrail::Trail') continue;
    const group = r.Properties!.CloudWatchLogsLogGroupArn['Fn::GetAtt'][0];
    r.Properties!.CloudWatchLogsLogGroupArn = { 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:\${${group}}:*` };
  }
  return {
    'Fn::GetAtt TopicArn for Ref': { inputs: [input('t', getAttTopics)] },
    'patterns as Fn::Join of literals': { inputs: [input('t', joined)] },
    'trail group ARN as Fn::Sub': { inputs: [input('t', sub)] },
    'split stacks (export / Fn::ImportValue)': { inputs: splitStacks(t) },
    'nested stack (parameters)': nestedStack(t),
  };
}

/** The monitoring-integrity rows' verdicts (MON.TAMPER, MON.HEARTBEAT; issue 20). */
function integrityVerdicts(inputs: TemplateInput[], loadNested?: (ref: any) => { template: unknown; path: string } | undefined):
Record<string, Verdict> {
  return Object.fromEntries(checkTemplates(inputs, { loadNested }).integrity.map((c) => [c.id, c.verdict]));
}

describe('valid respellings do not change any verdict (issue 18 §2)', () => {
  for (const [source, template] of Object.entries(SOURCES)) {
    const baseline = verdicts([input(source, template)]);
    const integrity = integrityVerdicts([input(source, template)]);
    for (const [name, respelled] of Object.entries(respellings(template))) {
      test(`${source}: ${name}`, () => {
        expect(verdicts(respelled.inputs, respelled.load)).toEqual(baseline);
        // The monitoring-integrity rows too (they PASS on the synthesized templates).
        expect(integrity).toEqual({ 'MON.TAMPER': 'PASS', 'MON.HEARTBEAT': 'PASS' });
        expect(integrityVerdicts(respelled.inputs, respelled.load)).toEqual(integrity);
      });
    }
  }
});
