import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, paginateDescribeLogGroups, paginateDescribeMetricFilters } from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  GetSubscriptionAttributesCommand, GetTopicAttributesCommand, SNSClient, paginateListSubscriptionsByTopic,
} from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AlarmInfo, AlarmMetricInfo, AuditApi, AuditApiError, CallerIdentityInfo, EventSelectorsInfo, KeyInfo, MetricFilterInfo, RoleInfo,
  SubscriptionAttributesInfo, SubscriptionInfo, TopicAttributesInfo, TrailInfo, TrailStatusInfo,
} from './api';
import { ClientCache, ClientSettings } from './client-cache';

/** How the SDK clients are made. Credentials come from the SDK's default chain (env, profile, SSO, role) unless given. */
export type SdkApiOptions = ClientSettings;

/** The audit's calls through the AWS SDK for JavaScript v3; lists are read with the SDK's paginators. */
export class SdkAuditApi implements AuditApi {
  private readonly clients: ClientCache;

  constructor(options: SdkApiOptions = {}) {
    this.clients = new ClientCache(options);
  }

  public async callerIdentity(region: string): Promise<CallerIdentityInfo> {
    const out = await call('sts:GetCallerIdentity', () => this.clients.get(STSClient, region).send(new GetCallerIdentityCommand({})));
    return { account: out.Account ?? '', arn: out.Arn ?? '' };
  }

  public async describeTrails(region: string): Promise<TrailInfo[]> {
    // DescribeTrails is not paginated: it returns every trail of the region at once.
    const out = await call('cloudtrail:DescribeTrails',
      () => this.clients.get(CloudTrailClient, region).send(new DescribeTrailsCommand({ includeShadowTrails: true })));
    return (out.trailList ?? []).map((trail) => ({
      name: trail.Name ?? '',
      arn: trail.TrailARN ?? '',
      homeRegion: trail.HomeRegion,
      isMultiRegionTrail: trail.IsMultiRegionTrail === true,
      cloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn || undefined,
      cloudWatchLogsRoleArn: trail.CloudWatchLogsRoleArn || undefined,
      isOrganizationTrail: trail.IsOrganizationTrail === true,
    }));
  }

  public async getTrailStatus(region: string, trailArn: string): Promise<TrailStatusInfo> {
    const out = await call('cloudtrail:GetTrailStatus',
      () => this.clients.get(CloudTrailClient, region).send(new GetTrailStatusCommand({ Name: trailArn })));
    return {
      isLogging: out.IsLogging === true,
      latestCloudWatchLogsDeliveryError: out.LatestCloudWatchLogsDeliveryError || undefined,
      latestCloudWatchLogsDeliveryTime: out.LatestCloudWatchLogsDeliveryTime?.toISOString(),
    };
  }

  public async getEventSelectors(region: string, trailArn: string): Promise<EventSelectorsInfo> {
    const out = await call('cloudtrail:GetEventSelectors',
      () => this.clients.get(CloudTrailClient, region).send(new GetEventSelectorsCommand({ TrailName: trailArn })));
    return {
      eventSelectors: (out.EventSelectors ?? []).map((s) => ({
        readWriteType: s.ReadWriteType,
        includeManagementEvents: s.IncludeManagementEvents,
        excludeManagementEventSources: s.ExcludeManagementEventSources,
      })),
      advancedEventSelectors: (out.AdvancedEventSelectors ?? []).map((s) => ({
        name: s.Name,
        fieldSelectors: (s.FieldSelectors ?? []).map((f) => ({
          field: f.Field ?? '',
          equals: f.Equals,
          notEquals: f.NotEquals,
          startsWith: f.StartsWith,
          notStartsWith: f.NotStartsWith,
          endsWith: f.EndsWith,
          notEndsWith: f.NotEndsWith,
        })),
      })),
    };
  }

  public async logGroupExists(region: string, logGroupName: string): Promise<boolean> {
    return call('logs:DescribeLogGroups', async () => {
      const pages = paginateDescribeLogGroups({ client: this.clients.get(CloudWatchLogsClient, region) }, { logGroupNamePrefix: logGroupName });
      for await (const page of pages) {
        if ((page.logGroups ?? []).some((g) => g.logGroupName === logGroupName)) return true;
      }
      return false;
    });
  }

  public async describeMetricFilters(region: string, logGroupName?: string): Promise<MetricFilterInfo[]> {
    const filters: MetricFilterInfo[] = [];
    await call('logs:DescribeMetricFilters', async () => {
      for await (const page of paginateDescribeMetricFilters({ client: this.clients.get(CloudWatchLogsClient, region) }, { logGroupName })) {
        for (const f of page.metricFilters ?? []) {
          const transformation = f.metricTransformations?.[0];
          filters.push({
            filterName: f.filterName ?? '',
            logGroupName: f.logGroupName ?? logGroupName ?? '',
            filterPattern: f.filterPattern ?? '',
            metricName: transformation?.metricName,
            metricNamespace: transformation?.metricNamespace,
            transformations: (f.metricTransformations ?? []).map((t) => ({
              metricName: t.metricName ?? '',
              metricNamespace: t.metricNamespace ?? '',
              metricValue: t.metricValue ?? '',
              defaultValue: t.defaultValue,
              dimensions: t.dimensions,
              unit: t.unit,
            })),
          });
        }
      }
    });
    return filters;
  }

  public async describeAlarms(region: string): Promise<AlarmInfo[]> {
    const alarms: AlarmInfo[] = [];
    await call('cloudwatch:DescribeAlarms', async () => {
      for await (const page of paginateDescribeAlarms({ client: this.clients.get(CloudWatchClient, region) }, { AlarmTypes: ['MetricAlarm'] })) {
        for (const a of page.MetricAlarms ?? []) {
          const metricOf = (m: NonNullable<typeof a.Metrics>[number]): AlarmMetricInfo | undefined => (m.MetricStat?.Metric ? {
            metricName: m.MetricStat.Metric.MetricName,
            namespace: m.MetricStat.Metric.Namespace,
            dimensions: dimensionsOf(m.MetricStat.Metric.Dimensions),
            statistic: m.MetricStat.Stat,
            period: m.MetricStat.Period,
            unit: m.MetricStat.Unit,
          } : undefined);
          alarms.push({
            alarmName: a.AlarmName ?? '',
            alarmArn: a.AlarmArn,
            metricName: a.MetricName,
            namespace: a.Namespace,
            metrics: (a.Metrics ?? []).flatMap((m) => metricOf(m) ?? []),
            // The API omits ActionsEnabled only when it is true (its default).
            actionsEnabled: a.ActionsEnabled !== false,
            alarmActions: a.AlarmActions ?? [],
            dimensions: a.Metrics && a.Metrics.length > 0 ? undefined : dimensionsOf(a.Dimensions),
            statistic: a.Statistic,
            extendedStatistic: a.ExtendedStatistic,
            period: a.Period,
            unit: a.Unit,
            queries: a.Metrics && a.Metrics.length > 0
              ? a.Metrics.map((m) => ({ id: m.Id ?? '', expression: m.Expression, returnData: m.ReturnData, metric: metricOf(m) }))
              : undefined,
            threshold: a.Threshold,
            comparisonOperator: a.ComparisonOperator,
            evaluationPeriods: a.EvaluationPeriods,
            datapointsToAlarm: a.DatapointsToAlarm,
            treatMissingData: a.TreatMissingData,
          });
        }
      }
    });
    return alarms;
  }

  public async listSubscriptionsByTopic(region: string, topicArn: string): Promise<SubscriptionInfo[] | undefined> {
    const subscriptions: SubscriptionInfo[] = [];
    try {
      await call('sns:ListSubscriptionsByTopic', async () => {
        for await (const page of paginateListSubscriptionsByTopic({ client: this.clients.get(SNSClient, region) }, { TopicArn: topicArn })) {
          for (const s of page.Subscriptions ?? []) {
            subscriptions.push({ subscriptionArn: s.SubscriptionArn ?? '', protocol: s.Protocol, endpoint: s.Endpoint });
          }
        }
      });
    } catch (e) {
      if (e instanceof AuditApiError && /^NotFound/.test(e.errorName)) return undefined;
      throw e;
    }
    return subscriptions;
  }

  public async getTopicAttributes(region: string, topicArn: string): Promise<TopicAttributesInfo | undefined> {
    const out = await missingAsUndefined(/^NotFound/, () => call('sns:GetTopicAttributes',
      () => this.clients.get(SNSClient, region).send(new GetTopicAttributesCommand({ TopicArn: topicArn }))));
    if (!out) return undefined;
    const attributes = out.Attributes ?? {};
    return { policy: attributes.Policy || undefined, kmsMasterKeyId: attributes.KmsMasterKeyId || undefined };
  }

  public async getSubscriptionAttributes(region: string, subscriptionArn: string): Promise<SubscriptionAttributesInfo | undefined> {
    const out = await missingAsUndefined(/^NotFound/, () => call('sns:GetSubscriptionAttributes',
      () => this.clients.get(SNSClient, region).send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }))));
    if (!out) return undefined;
    const attributes = out.Attributes ?? {};
    return {
      pendingConfirmation: attributes.PendingConfirmation === undefined ? undefined : attributes.PendingConfirmation === 'true',
      filterPolicy: attributes.FilterPolicy || undefined,
      filterPolicyScope: attributes.FilterPolicyScope || undefined,
    };
  }

  public async describeKey(region: string, keyRef: string): Promise<KeyInfo | undefined> {
    const out = await missingAsUndefined(/^NotFound/, () => call('kms:DescribeKey',
      () => this.clients.get(KMSClient, region).send(new DescribeKeyCommand({ KeyId: keyRef }))));
    const meta = out?.KeyMetadata;
    if (!meta) return undefined;
    return { arn: meta.Arn ?? '', keyId: meta.KeyId ?? '', enabled: meta.Enabled === true, keyState: meta.KeyState, keyManager: meta.KeyManager };
  }

  public async getKeyPolicy(region: string, keyId: string): Promise<string> {
    const out = await call('kms:GetKeyPolicy',
      () => this.clients.get(KMSClient, region).send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' })));
    return out.Policy ?? '';
  }

  public async getRole(roleArn: string): Promise<RoleInfo | undefined> {
    const name = roleArn.split(':role/').pop()?.split('/').pop() ?? roleArn;
    const partition = roleArn.split(':')[1];
    // IAM is global: its endpoint is the partition's (us-east-1 for aws).
    const region = partition === 'aws-cn' ? 'cn-north-1' : partition === 'aws-us-gov' ? 'us-gov-west-1' : 'us-east-1';
    const out = await missingAsUndefined(/^NoSuchEntity/, () => call('iam:GetRole',
      () => this.clients.get(IAMClient, region).send(new GetRoleCommand({ RoleName: name }))));
    if (!out?.Role) return undefined;
    const document = out.Role.AssumeRolePolicyDocument;
    return { arn: out.Role.Arn ?? roleArn, assumeRolePolicyDocument: document === undefined ? undefined : decodeURIComponent(document) };
  }

  /** Closes the clients' connections. */
  public destroy(): void {
    this.clients.destroy();
  }
}

/** `[{Name, Value}]` → `{Name: Value}` (undefined for none). */
function dimensionsOf(dimensions: Array<{ Name?: string; Value?: string }> | undefined): Record<string, string> | undefined {
  if (!dimensions || dimensions.length === 0) return undefined;
  return Object.fromEntries(dimensions.map((d) => [d.Name ?? '', d.Value ?? '']));
}

/** A call whose "no such resource" error (by name) means `undefined`. */
async function missingAsUndefined<T>(missing: RegExp, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof AuditApiError && missing.test(e.errorName)) return undefined;
    throw e;
  }
}

/** Runs one API call and turns its failure into an `AuditApiError` naming the IAM action. */
export async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    if (e instanceof AuditApiError) throw e;
    const error = e as { name?: string; Code?: string; message?: string };
    throw new AuditApiError(operation, error.name ?? error.Code ?? 'Error', error.message ?? String(e));
  }
}
