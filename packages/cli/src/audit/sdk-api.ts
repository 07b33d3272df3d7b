import { CloudTrailClient, DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, DescribeAlarmsCommandOutput } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeMetricFiltersCommand, DescribeMetricFiltersCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { ListSubscriptionsByTopicCommand, ListSubscriptionsByTopicCommandOutput, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AlarmInfo, AuditApi, AuditApiError, CallerIdentityInfo, EventSelectorsInfo, MetricFilterInfo, SubscriptionInfo, TrailInfo,
  TrailStatusInfo,
} from './api';

/** How the SDK clients are made. Credentials come from the SDK's default chain (env, profile, SSO, role). */
export interface SdkApiOptions {
  /** Send every call to this endpoint instead of AWS (e.g. a local emulator). `AWS_ENDPOINT_URL` works too. */
  readonly endpoint?: string;
}

/** A safety stop for paginated calls. */
const MAX_PAGES = 1000;

/** The audit's calls through the AWS SDK for JavaScript v3, one client per service and region. */
export class SdkAuditApi implements AuditApi {
  private readonly clients = new Map<string, unknown>();

  constructor(private readonly options: SdkApiOptions = {}) {}

  public async callerIdentity(region: string): Promise<CallerIdentityInfo> {
    const out = await call('sts:GetCallerIdentity', () => this.sts(region).send(new GetCallerIdentityCommand({})));
    return { account: out.Account ?? '', arn: out.Arn ?? '' };
  }

  public async describeTrails(region: string): Promise<TrailInfo[]> {
    const out = await call('cloudtrail:DescribeTrails', () => this.cloudtrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true })));
    return (out.trailList ?? []).map((trail) => ({
      name: trail.Name ?? '',
      arn: trail.TrailARN ?? '',
      homeRegion: trail.HomeRegion,
      isMultiRegionTrail: trail.IsMultiRegionTrail === true,
      cloudWatchLogsLogGroupArn: trail.CloudWatchLogsLogGroupArn || undefined,
    }));
  }

  public async getTrailStatus(region: string, trailArn: string): Promise<TrailStatusInfo> {
    const out = await call('cloudtrail:GetTrailStatus', () => this.cloudtrail(region).send(new GetTrailStatusCommand({ Name: trailArn })));
    return { isLogging: out.IsLogging === true };
  }

  public async getEventSelectors(region: string, trailArn: string): Promise<EventSelectorsInfo> {
    const out = await call('cloudtrail:GetEventSelectors',
      () => this.cloudtrail(region).send(new GetEventSelectorsCommand({ TrailName: trailArn })));
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

  public async describeMetricFilters(region: string, logGroupName?: string): Promise<MetricFilterInfo[]> {
    const filters: MetricFilterInfo[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out: DescribeMetricFiltersCommandOutput = await call('logs:DescribeMetricFilters',
        () => this.logs(region).send(new DescribeMetricFiltersCommand({ logGroupName, nextToken })));
      for (const f of out.metricFilters ?? []) {
        const transformation = f.metricTransformations?.[0];
        filters.push({
          filterName: f.filterName ?? '',
          logGroupName: f.logGroupName ?? logGroupName ?? '',
          filterPattern: f.filterPattern ?? '',
          metricName: transformation?.metricName,
          metricNamespace: transformation?.metricNamespace,
        });
      }
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    return filters;
  }

  public async describeAlarms(region: string): Promise<AlarmInfo[]> {
    const alarms: AlarmInfo[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const out: DescribeAlarmsCommandOutput = await call('cloudwatch:DescribeAlarms',
        () => this.cloudwatch(region).send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], NextToken: nextToken })));
      for (const a of out.MetricAlarms ?? []) {
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
      nextToken = out.NextToken;
      if (!nextToken) break;
    }
    return alarms;
  }

  public async listSubscriptionsByTopic(region: string, topicArn: string): Promise<SubscriptionInfo[] | undefined> {
    const subscriptions: SubscriptionInfo[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      let out: ListSubscriptionsByTopicCommandOutput;
      try {
        out = await call('sns:ListSubscriptionsByTopic',
          () => this.sns(region).send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken })));
      } catch (e) {
        if (e instanceof AuditApiError && /^NotFound/.test(e.errorName)) return undefined;
        throw e;
      }
      for (const s of out.Subscriptions ?? []) {
        subscriptions.push({ subscriptionArn: s.SubscriptionArn ?? '', protocol: s.Protocol, endpoint: s.Endpoint });
      }
      nextToken = out.NextToken;
      if (!nextToken) break;
    }
    return subscriptions;
  }

  private sts(region: string): STSClient {
    return this.client(`sts:${region}`, () => new STSClient(this.config(region)));
  }

  private cloudtrail(region: string): CloudTrailClient {
    return this.client(`cloudtrail:${region}`, () => new CloudTrailClient(this.config(region)));
  }

  private logs(region: string): CloudWatchLogsClient {
    return this.client(`logs:${region}`, () => new CloudWatchLogsClient(this.config(region)));
  }

  private cloudwatch(region: string): CloudWatchClient {
    return this.client(`cloudwatch:${region}`, () => new CloudWatchClient(this.config(region)));
  }

  private sns(region: string): SNSClient {
    return this.client(`sns:${region}`, () => new SNSClient(this.config(region)));
  }

  private config(region: string): { region: string; endpoint?: string; maxAttempts: number } {
    return { region, maxAttempts: 5, ...(this.options.endpoint ? { endpoint: this.options.endpoint } : {}) };
  }

  private client<T>(key: string, make: () => T): T {
    let found = this.clients.get(key) as T | undefined;
    if (!found) {
      found = make();
      this.clients.set(key, found);
    }
    return found;
  }
}

/** Runs one API call and turns its failure into an `AuditApiError` naming the IAM action. */
async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    const error = e as { name?: string; Code?: string; message?: string };
    throw new AuditApiError(operation, error.name ?? error.Code ?? 'Error', error.message ?? String(e));
  }
}
