import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, paginateDescribeAlarms } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, paginateDescribeLogGroups, paginateDescribeMetricFilters } from '@aws-sdk/client-cloudwatch-logs';
import { SNSClient, paginateListSubscriptionsByTopic } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AlarmInfo, AuditApi, AuditApiError, CallerIdentityInfo, EventSelectorsInfo, MetricFilterInfo, SubscriptionInfo, TrailInfo,
  TrailStatusInfo,
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
    }));
  }

  public async getTrailStatus(region: string, trailArn: string): Promise<TrailStatusInfo> {
    const out = await call('cloudtrail:GetTrailStatus',
      () => this.clients.get(CloudTrailClient, region).send(new GetTrailStatusCommand({ Name: trailArn })));
    return { isLogging: out.IsLogging === true };
  }

  public async getEventSelectors(region: string, trailArn: string): Promise<EventSelectorsInfo> {
    const out = await call('cloudtrail:GetEventSelectors',
      () => this.clients.get(CloudTrailClient, region).send(new GetEventSelectorsCommand({ TrailName: trailArn })));
    return {
      eventSelectors: (out.EventSelectors ?? []).map((s) => ({ readWriteType: s.ReadWriteType, includeManagementEvents: s.IncludeManagementEvents })),
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
          alarms.push({
            alarmName: a.AlarmName ?? '',
            metricName: a.MetricName,
            namespace: a.Namespace,
            metrics: (a.Metrics ?? []).flatMap((m) => m.MetricStat?.Metric
              ? [{ metricName: m.MetricStat.Metric.MetricName, namespace: m.MetricStat.Metric.Namespace }]
              : []),
            // The API omits ActionsEnabled only when it is true (its default).
            actionsEnabled: a.ActionsEnabled !== false,
            alarmActions: a.AlarmActions ?? [],
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

  /** Closes the clients' connections. */
  public destroy(): void {
    this.clients.destroy();
  }
}

/** Runs one API call and turns its failure into an `AuditApiError` naming the IAM action. */
export async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    const error = e as { name?: string; Code?: string; message?: string };
    throw new AuditApiError(operation, error.name ?? error.Code ?? 'Error', error.message ?? String(e));
  }
}
