import { AlarmInfo, AuditApi, MetricFilterInfo, SubscriptionInfo } from './api';

/** Reads each list once per audit: every control looks at the same filters, alarms and topics. */
export class CachedReader {
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(private readonly api: AuditApi) {}

  public metricFilters(region: string, logGroupName?: string): Promise<MetricFilterInfo[]> {
    return this.once(`filters:${region}:${logGroupName ?? '*'}`, () => this.api.describeMetricFilters(region, logGroupName));
  }

  public alarms(region: string): Promise<AlarmInfo[]> {
    return this.once(`alarms:${region}`, () => this.api.describeAlarms(region));
  }

  public subscriptions(topicArn: string): Promise<SubscriptionInfo[] | undefined> {
    return this.once(`topic:${topicArn}`, () => this.api.listSubscriptionsByTopic(arnRegion(topicArn), topicArn));
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let found = this.cache.get(key) as Promise<T> | undefined;
    if (!found) {
      found = load();
      this.cache.set(key, found);
    }
    return found;
  }
}

/** `arn:aws:sns:<region>:...` → region. */
function arnRegion(arn: string): string {
  return arn.split(':')[3] ?? '';
}
