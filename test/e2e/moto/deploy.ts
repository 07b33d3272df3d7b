import {
  CloudFormationClient, CreateStackCommand, DescribeStacksCommand, ListStackResourcesCommand, StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, MetricAlarm, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { DisableKeyCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { MOTO_ACCOUNT, MOTO_CREDENTIALS } from './server';

/**
 * Deploys a synthesized CloudFormation template into moto, the way verification.md §5 describes:
 * `create-stack` for what moto's CloudFormation models, then direct API calls for the types it
 * silently skips. The replay is strict: an unknown resource type, property or intrinsic function
 * throws, so the test never passes over something it did not deploy.
 */

/** Types moto's CloudFormation creates (moto 5.2; verification.md §2.1). */
export const MOTO_CFN_TYPES = new Set([
  'AWS::Logs::LogGroup', 'AWS::SNS::Topic', 'AWS::KMS::Key', 'AWS::KMS::Alias', 'AWS::S3::Bucket',
  'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy',
]);

/** Types moto's CloudFormation skips, replayed here in this order. */
export const REPLAYED_TYPES = [
  'AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy', 'AWS::SNS::Subscription', 'AWS::CloudTrail::Trail',
  'AWS::Logs::MetricFilter', 'AWS::CloudWatch::Alarm',
];

/**
 * Types skipped by moto and harmless to leave out. AWS::Logs::QueryDefinition (the who-did-it saved queries): moto has no
 * PutQueryDefinition, and neither the audit nor the alarm chain reads saved queries; template tests cover them.
 */
export const IGNORED_TYPES = new Set(['AWS::CDK::Metadata', 'AWS::Logs::QueryDefinition']);

/** What the CDK bootstrap parameter resolves to (any version ≥ 6 satisfies CDK's check rule, which moto ignores anyway). */
const BOOTSTRAP_VERSION = '30';

type Json = any;

/** The outcome of one deployment. */
export interface Deployment {
  readonly stackName: string;
  /** Logical ID → physical ID, for moto-created and replayed resources. */
  readonly physicalIds: Map<string, string>;
  /** Logical IDs replayed through the API. */
  readonly replayed: string[];
  /** The types in the template that moto's CloudFormation does not model. */
  readonly skippedTypes: Set<string>;
}

/** SDK clients pointed at moto. */
export class MotoClients {
  public readonly cfn: CloudFormationClient;
  public readonly ssm: SSMClient;
  public readonly s3: S3Client;
  public readonly sns: SNSClient;
  public readonly cloudtrail: CloudTrailClient;
  public readonly logs: CloudWatchLogsClient;
  public readonly cloudwatch: CloudWatchClient;
  public readonly kms: KMSClient;
  public readonly iam: IAMClient;

  /**
   * `credentials`: default moto's default account; assumed-role credentials act in the role's account (a server
   * started with `multiAccount`), which `accountId` names.
   */
  constructor(public readonly endpoint: string, public readonly region: string,
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = MOTO_CREDENTIALS,
    public readonly accountId: string = MOTO_ACCOUNT) {
    const config = { endpoint, region, credentials };
    this.cfn = new CloudFormationClient(config);
    this.ssm = new SSMClient(config);
    this.s3 = new S3Client({ ...config, forcePathStyle: true });
    this.sns = new SNSClient(config);
    this.cloudtrail = new CloudTrailClient(config);
    this.logs = new CloudWatchLogsClient(config);
    this.cloudwatch = new CloudWatchClient(config);
    this.kms = new KMSClient(config);
    this.iam = new IAMClient(config);
  }

  public destroy(): void {
    for (const client of [this.cfn, this.ssm, this.s3, this.sns, this.cloudtrail, this.logs, this.cloudwatch, this.kms, this.iam]) client.destroy();
  }

  /** The alarm on `metricName` (a test's way to find the alarm a control deployed). */
  public async alarmFor(metricName: string): Promise<MetricAlarm> {
    const out = await this.cloudwatch.send(new DescribeAlarmsCommand({}));
    return out.MetricAlarms!.find((a) => a.MetricName === metricName)!;
  }

  /** Puts `alarm` again with `change` applied (how the tests break one link of a control's chain). */
  public async changeAlarm(alarm: MetricAlarm, change: Partial<MetricAlarm>): Promise<void> {
    const a = { ...alarm, ...change };
    await this.cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: a.AlarmName,
      MetricName: a.MetricName,
      Namespace: a.Namespace,
      Statistic: a.ExtendedStatistic ? undefined : a.Statistic,
      ExtendedStatistic: a.ExtendedStatistic,
      Dimensions: a.Dimensions,
      Unit: a.Unit,
      Period: a.Period,
      EvaluationPeriods: a.EvaluationPeriods,
      DatapointsToAlarm: a.DatapointsToAlarm,
      Threshold: a.Threshold,
      ComparisonOperator: a.ComparisonOperator,
      TreatMissingData: a.TreatMissingData,
      AlarmActions: a.AlarmActions,
      ActionsEnabled: a.ActionsEnabled,
    }));
  }
}

/** Deploys `template` as stack `stackName`. */
export async function deployToMoto(clients: MotoClients, template: Json, stackName: string): Promise<Deployment> {
  const resources: Record<string, Json> = template.Resources ?? {};
  const skippedTypes = new Set<string>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    const type = resource.Type as string;
    if (MOTO_CFN_TYPES.has(type)) continue;
    if (!REPLAYED_TYPES.includes(type) && !IGNORED_TYPES.has(type)) {
      throw new Error(`deployToMoto: ${logicalId} has type ${type}, which neither moto's CloudFormation nor the replay supports`);
    }
    skippedTypes.add(type);
  }
  for (const [name, parameter] of Object.entries<Json>(template.Parameters ?? {})) {
    if (String(parameter.Type).startsWith('AWS::SSM::Parameter::Value')) {
      if (name !== 'BootstrapVersion') throw new Error(`deployToMoto: unexpected SSM parameter ${name}`);
      await clients.ssm.send(new PutParameterCommand({ Name: parameter.Default, Value: BOOTSTRAP_VERSION, Type: 'String', Overwrite: true }));
    }
  }

  await clients.cfn.send(new CreateStackCommand({
    StackName: stackName,
    TemplateBody: JSON.stringify(template),
    Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
  }));
  const stack = (await clients.cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  if (stack?.StackStatus !== 'CREATE_COMPLETE') {
    throw new Error(`deployToMoto: stack ${stackName} is ${stack?.StackStatus}: ${stack?.StackStatusReason}`);
  }
  const summaries: StackResourceSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await clients.cfn.send(new ListStackResourcesCommand({ StackName: stackName, NextToken: nextToken }));
    summaries.push(...(page.StackResourceSummaries ?? []));
    nextToken = page.NextToken;
  } while (nextToken);

  const physicalIds = new Map<string, string>();
  for (const summary of summaries) {
    if (summary.LogicalResourceId && summary.PhysicalResourceId) physicalIds.set(summary.LogicalResourceId, summary.PhysicalResourceId);
  }
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (MOTO_CFN_TYPES.has(resource.Type) && !physicalIds.has(logicalId)) {
      throw new Error(`deployToMoto: moto's CloudFormation did not create ${logicalId} (${resource.Type})`);
    }
  }

  const replay = new Replay(clients, template, stackName, physicalIds);
  // moto's CloudFormation keeps a KMS key's KeyPolicy as an object, on which its DescribeKey fails (HTTP 500), and sets
  // Enabled false without the Disabled state: put the same policy as the JSON text AWS stores, and disable as AWS does.
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::KMS::Key') await replay.settleKey(logicalId, resource);
  }
  const replayed: string[] = [];
  for (const type of REPLAYED_TYPES) {
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (resource.Type !== type) continue;
      if (resource.Condition) throw new Error(`deployToMoto: ${logicalId} has a Condition, which the replay does not evaluate`);
      physicalIds.set(logicalId, await replay.create(logicalId, resource));
      replayed.push(logicalId);
    }
  }
  return { stackName, physicalIds, replayed, skippedTypes };
}

/** Marker for `Ref: AWS::NoValue`. */
const NO_VALUE = Symbol('AWS::NoValue');

class Replay {
  private readonly region: string;
  private readonly account: string;

  constructor(private readonly clients: MotoClients, private readonly template: Json, private readonly stackName: string,
    private readonly physicalIds: Map<string, string>) {
    this.region = clients.region;
    this.account = clients.accountId;
  }

  public async create(logicalId: string, resource: Json): Promise<string> {
    const props = this.resolve(resource.Properties ?? {}) as Record<string, Json>;
    switch (resource.Type) {
      case 'AWS::S3::BucketPolicy': {
        allowOnly(logicalId, props, ['Bucket', 'PolicyDocument']);
        await this.clients.s3.send(new PutBucketPolicyCommand({ Bucket: props.Bucket, Policy: JSON.stringify(props.PolicyDocument) }));
        return `${props.Bucket}-policy`;
      }
      case 'AWS::SNS::TopicPolicy': {
        allowOnly(logicalId, props, ['Topics', 'PolicyDocument']);
        for (const topicArn of props.Topics as string[]) {
          await this.clients.sns.send(new SetTopicAttributesCommand({
            TopicArn: topicArn, AttributeName: 'Policy', AttributeValue: JSON.stringify(props.PolicyDocument),
          }));
        }
        return `${logicalId}-policy`;
      }
      case 'AWS::SNS::Subscription': {
        allowOnly(logicalId, props, ['TopicArn', 'Protocol', 'Endpoint', 'FilterPolicy', 'FilterPolicyScope']);
        const attributes: Record<string, string> = {};
        if (props.FilterPolicy !== undefined) attributes.FilterPolicy = JSON.stringify(props.FilterPolicy);
        if (props.FilterPolicyScope !== undefined) attributes.FilterPolicyScope = props.FilterPolicyScope;
        const out = await this.clients.sns.send(new SubscribeCommand({
          TopicArn: props.TopicArn,
          Protocol: props.Protocol,
          Endpoint: props.Endpoint,
          ReturnSubscriptionArn: true,
          Attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
        }));
        return out.SubscriptionArn as string;
      }
      case 'AWS::CloudTrail::Trail': return this.createTrail(logicalId, props);
      case 'AWS::Logs::MetricFilter': {
        allowOnly(logicalId, props, ['LogGroupName', 'FilterPattern', 'FilterName', 'MetricTransformations']);
        await this.assertLogGroupExists(logicalId, props.LogGroupName);
        const filterName = props.FilterName ?? this.generatedName(logicalId);
        await this.clients.logs.send(new PutMetricFilterCommand({
          logGroupName: props.LogGroupName,
          filterName,
          filterPattern: props.FilterPattern,
          metricTransformations: (props.MetricTransformations as Json[]).map((t) => {
            allowOnly(`${logicalId}.MetricTransformations`, t, ['MetricName', 'MetricNamespace', 'MetricValue', 'DefaultValue', 'Unit', 'Dimensions']);
            return {
              metricName: t.MetricName,
              metricNamespace: t.MetricNamespace,
              metricValue: String(t.MetricValue),
              defaultValue: t.DefaultValue === undefined ? undefined : Number(t.DefaultValue),
              unit: t.Unit,
              dimensions: t.Dimensions === undefined ? undefined
                : Object.fromEntries((t.Dimensions as Json[]).map((d) => [d.Key, d.Value])),
            };
          }),
        }));
        return filterName;
      }
      case 'AWS::CloudWatch::Alarm': {
        allowOnly(logicalId, props, [
          'AlarmName', 'AlarmDescription', 'ActionsEnabled', 'AlarmActions', 'OKActions', 'InsufficientDataActions',
          'ComparisonOperator', 'EvaluationPeriods', 'DatapointsToAlarm', 'Threshold', 'Period', 'Statistic', 'ExtendedStatistic', 'MetricName',
          'Namespace', 'Dimensions', 'TreatMissingData', 'Unit',
        ]);
        const alarmName = props.AlarmName ?? this.generatedName(logicalId);
        await this.clients.cloudwatch.send(new PutMetricAlarmCommand({
          AlarmName: alarmName,
          AlarmDescription: props.AlarmDescription,
          ActionsEnabled: props.ActionsEnabled === undefined ? undefined : bool(props.ActionsEnabled),
          AlarmActions: props.AlarmActions,
          OKActions: props.OKActions,
          InsufficientDataActions: props.InsufficientDataActions,
          ComparisonOperator: props.ComparisonOperator,
          EvaluationPeriods: num(props.EvaluationPeriods),
          DatapointsToAlarm: props.DatapointsToAlarm === undefined ? undefined : num(props.DatapointsToAlarm),
          Threshold: num(props.Threshold),
          Period: num(props.Period),
          Statistic: props.Statistic,
          ExtendedStatistic: props.ExtendedStatistic,
          MetricName: props.MetricName,
          Namespace: props.Namespace,
          Dimensions: props.Dimensions,
          TreatMissingData: props.TreatMissingData,
          Unit: props.Unit,
        }));
        return alarmName;
      }
      default: throw new Error(`deployToMoto: no replay for ${resource.Type}`);
    }
  }

  public async settleKey(logicalId: string, resource: Json): Promise<void> {
    const props = this.resolve(resource.Properties ?? {}) as Record<string, Json>;
    const keyId = this.physicalIds.get(logicalId) as string;
    await this.clients.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify(props.KeyPolicy) }));
    if (props.Enabled !== undefined && !bool(props.Enabled)) await this.clients.kms.send(new DisableKeyCommand({ KeyId: keyId }));
  }

  private async createTrail(logicalId: string, props: Record<string, Json>): Promise<string> {
    allowOnly(logicalId, props, [
      'TrailName', 'S3BucketName', 'S3KeyPrefix', 'SnsTopicName', 'IsLogging', 'IsMultiRegionTrail', 'IncludeGlobalServiceEvents',
      'EnableLogFileValidation', 'CloudWatchLogsLogGroupArn', 'CloudWatchLogsRoleArn', 'KMSKeyId', 'EventSelectors',
    ]);
    if (props.CloudWatchLogsLogGroupArn) {
      await this.assertLogGroupExists(logicalId, String(props.CloudWatchLogsLogGroupArn).split(':')[6]);
    }
    const name = props.TrailName ?? this.generatedName(logicalId);
    await this.clients.cloudtrail.send(new CreateTrailCommand({
      Name: name,
      S3BucketName: props.S3BucketName,
      S3KeyPrefix: props.S3KeyPrefix,
      SnsTopicName: props.SnsTopicName,
      IsMultiRegionTrail: bool(props.IsMultiRegionTrail ?? false),
      IncludeGlobalServiceEvents: bool(props.IncludeGlobalServiceEvents ?? true),
      EnableLogFileValidation: bool(props.EnableLogFileValidation ?? false),
      CloudWatchLogsLogGroupArn: props.CloudWatchLogsLogGroupArn,
      CloudWatchLogsRoleArn: props.CloudWatchLogsRoleArn,
      KmsKeyId: props.KMSKeyId,
    }));
    // Without EventSelectors, a real trail logs all management events; moto starts with none (verification.md §2.2).
    const selectors = (props.EventSelectors as Json[] | undefined) ?? [{ ReadWriteType: 'All', IncludeManagementEvents: true }];
    await this.clients.cloudtrail.send(new PutEventSelectorsCommand({
      TrailName: name,
      EventSelectors: selectors.map((s) => {
        allowOnly(`${logicalId}.EventSelectors`, s, ['ReadWriteType', 'IncludeManagementEvents', 'DataResources', 'ExcludeManagementEventSources']);
        return { ...s, IncludeManagementEvents: s.IncludeManagementEvents === undefined ? undefined : bool(s.IncludeManagementEvents) };
      }),
    }));
    // IsLogging is required by CloudFormation; start by name (moto answers 500 to an ARN).
    if (bool(props.IsLogging)) await this.clients.cloudtrail.send(new StartLoggingCommand({ Name: name }));
    return name;
  }

  private async assertLogGroupExists(logicalId: string, logGroupName: string): Promise<void> {
    // moto does not check this (AWS does): check it here so that a wrong reference fails the test.
    const out = await this.clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName }));
    if (!(out.logGroups ?? []).some((g) => g.logGroupName === logGroupName)) {
      throw new Error(`deployToMoto: ${logicalId} refers to log group ${logGroupName}, which does not exist`);
    }
  }

  /** CloudFormation's generated physical name: `<stack>-<logicalId>-<suffix>`. */
  private generatedName(logicalId: string): string {
    return `${this.stackName}-${logicalId}-${Math.abs(hash(this.stackName + logicalId)).toString(36).toUpperCase()}`;
  }

  private resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      const [fn] = keys;
      const arg = value[fn];
      switch (fn) {
        case 'Ref': return this.ref(arg);
        case 'Fn::GetAtt': {
          const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(logicalId, attribute);
        }
        case 'Fn::Join': return (this.resolve(arg[1]) as Json[]).join(arg[0]);
        case 'Fn::Select': return (this.resolve(arg[1]) as Json[])[Number(this.resolve(arg[0]))];
        case 'Fn::Split': return String(this.resolve(arg[1])).split(arg[0]);
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? [arg[0], this.resolve(arg[1])] : [arg, {}];
          return String(text).replace(/\$\{([^}!]+)\}/g, (_: string, name: string) => {
            if (name in vars) return String(vars[name]);
            const [id, attribute] = name.split('.');
            return String(attribute ? this.getAtt(id, attribute) : this.ref(id));
          });
        }
        default: throw new Error(`deployToMoto: the replay does not evaluate ${fn}`);
      }
    }
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      const resolved = this.resolve(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  private ref(name: string): Json {
    switch (name) {
      case 'AWS::Region': return this.region;
      case 'AWS::AccountId': return this.account;
      case 'AWS::Partition': return 'aws';
      case 'AWS::URLSuffix': return 'amazonaws.com';
      case 'AWS::StackName': return this.stackName;
      case 'AWS::NoValue': return NO_VALUE;
    }
    const parameter = this.template.Parameters?.[name];
    if (parameter) return parameter.Default;
    const physical = this.physicalIds.get(name);
    if (physical === undefined) throw new Error(`deployToMoto: Ref to ${name}, which is not deployed (yet)`);
    return physical;
  }

  private getAtt(logicalId: string, attribute: string): string {
    const type = this.template.Resources?.[logicalId]?.Type;
    const physical = this.ref(logicalId) as string;
    const key = `${type}.${attribute}`;
    switch (key) {
      // Real CloudFormation returns the log group ARN with ':*' (moto's own GetAtt omits it).
      case 'AWS::Logs::LogGroup.Arn': return `arn:aws:logs:${this.region}:${this.account}:log-group:${physical}:*`;
      case 'AWS::KMS::Key.Arn': return `arn:aws:kms:${this.region}:${this.account}:key/${physical}`;
      case 'AWS::IAM::Role.Arn': return `arn:aws:iam::${this.account}:role/${physical}`;
      case 'AWS::S3::Bucket.Arn': return `arn:aws:s3:::${physical}`;
      case 'AWS::SNS::Topic.TopicArn': return physical;
      case 'AWS::SNS::Topic.TopicName': return physical.split(':')[5];
      case 'AWS::CloudTrail::Trail.Arn': return `arn:aws:cloudtrail:${this.region}:${this.account}:trail/${physical}`;
      default: throw new Error(`deployToMoto: the replay does not know Fn::GetAtt ${logicalId}.${attribute} (${type})`);
    }
  }
}

function allowOnly(where: string, props: Record<string, Json>, allowed: string[]): void {
  const unknown = Object.keys(props).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new Error(`deployToMoto: ${where} has properties the replay does not apply: ${unknown.join(', ')}`);
}

function bool(value: Json): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`deployToMoto: not a boolean: ${JSON.stringify(value)}`);
}

function num(value: Json): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`deployToMoto: not a number: ${JSON.stringify(value)}`);
  return n;
}

function hash(text: string): number {
  let h = 0;
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) % 2_147_483_647;
  return h;
}
