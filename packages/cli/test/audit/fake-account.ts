import { CisPatternSet, AlarmInfo, AuditApi, AuditApiError, EventSelectorsInfo, KeyInfo, MetricFilterInfo, SubscriptionAttributesInfo, SubscriptionInfo, TopicAttributesInfo, TrailInfo } from 'cdk-cis-log-monitoring/lib/cli-support';

export const REGION = 'eu-west-1';
export const ACCOUNT = '111122223333';
export const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:cis-alarms`;
export const LOG_GROUP = 'trail-logs';
/** The trust policy of a CloudTrail delivery role. */
export const CLOUDTRAIL_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** An account in memory: one good trail and the RECOMMENDED controls wired to one topic. */
export class FakeAccount implements AuditApi {
  public trails: TrailInfo[];
  public logging = true;
  public selectors: EventSelectorsInfo = { eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true }], advancedEventSelectors: [] };
  public filters: MetricFilterInfo[] = CisPatternSet.RECOMMENDED.controls().map((c) => ({
    filterName: c.metricName,
    logGroupName: LOG_GROUP,
    filterPattern: c.patternFor(CisPatternSet.RECOMMENDED),
    metricName: c.metricName,
    metricNamespace: 'CISBenchmark',
    transformations: [{ metricName: c.metricName, metricNamespace: 'CISBenchmark', metricValue: '1' }],
  }));
  public alarms: AlarmInfo[] = CisPatternSet.RECOMMENDED.controls().map((c) => ({
    alarmName: c.alarmName,
    metricName: c.metricName,
    namespace: 'CISBenchmark',
    metrics: [],
    actionsEnabled: true,
    alarmActions: [TOPIC],
    // As CisLogMonitoring deploys them.
    statistic: 'Sum',
    period: 300,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    evaluationPeriods: 1,
    treatMissingData: 'notBreaching',
  }));
  public subscriptions: SubscriptionInfo[] | undefined = [{ subscriptionArn: `${TOPIC}:0f1e`, protocol: 'email', endpoint: 'a@example.com' }];
  /** The log groups that exist (DescribeLogGroups; DescribeMetricFilters on any other fails as AWS does). */
  public logGroups = new Set([LOG_GROUP]);
  public calls: string[] = [];

  /** The topic's attributes (undefined: deleted, as the subscriptions say); no key, no policy: the default policy. */
  public topicAttributes: TopicAttributesInfo = {};
  public subscriptionAttributes: SubscriptionAttributesInfo = { pendingConfirmation: false };
  /** KMS keys by the reference the topic names. */
  public keys = new Map<string, KeyInfo & { policy: string }>();
  /** The delivery roles that exist. */
  public roles: Set<string>;

  /** `accountId`: the account the credentials read (its trail and log group are of that account). */
  constructor(public readonly accountId: string = ACCOUNT) {
    this.roles = new Set([`arn:aws:iam::${accountId}:role/trail-to-logs`]);
    this.trails = [{
      name: 'main',
      arn: `arn:aws:cloudtrail:${REGION}:${accountId}:trail/main`,
      homeRegion: REGION,
      isMultiRegionTrail: true,
      cloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${accountId}:log-group:${LOG_GROUP}:*`,
      cloudWatchLogsRoleArn: `arn:aws:iam::${accountId}:role/trail-to-logs`,
    }];
  }

  public async callerIdentity() { return { account: this.accountId, arn: `arn:aws:iam::${this.accountId}:user/auditor` }; }
  public async describeTrails(region: string) { this.calls.push(`describeTrails ${region}`); return this.trails; }
  public async getTrailStatus(region: string, arn: string) { this.calls.push(`getTrailStatus ${region} ${arn}`); return { isLogging: this.logging }; }
  public async getEventSelectors(region: string) { this.calls.push(`getEventSelectors ${region}`); return this.selectors; }
  public async logGroupExists(region: string, logGroupName: string) {
    this.calls.push(`logGroupExists ${region} ${logGroupName}`);
    return this.logGroups.has(logGroupName);
  }
  public async describeMetricFilters(region: string, logGroupName?: string) {
    this.calls.push(`describeMetricFilters ${region} ${logGroupName ?? '*'}`);
    if (logGroupName !== undefined && !this.logGroups.has(logGroupName)) {
      // What CloudWatch Logs answers for a log group that does not exist.
      throw new AuditApiError('logs:DescribeMetricFilters', 'ResourceNotFoundException', 'The specified log group does not exist.');
    }
    return this.filters.filter((f) => logGroupName === undefined || f.logGroupName === logGroupName);
  }
  public async describeAlarms(region: string) { this.calls.push(`describeAlarms ${region}`); return this.alarms; }
  public async listSubscriptionsByTopic(region: string, arn: string) { this.calls.push(`listSubscriptionsByTopic ${region} ${arn}`); return this.subscriptions; }
  public async getTopicAttributes(region: string, arn: string) {
    this.calls.push(`getTopicAttributes ${region} ${arn}`);
    return this.subscriptions === undefined ? undefined : this.topicAttributes;
  }
  public async getSubscriptionAttributes(region: string, arn: string) {
    this.calls.push(`getSubscriptionAttributes ${region} ${arn}`);
    return this.subscriptionAttributes;
  }
  public async describeKey(region: string, ref: string) { this.calls.push(`describeKey ${region} ${ref}`); return this.keys.get(ref); }
  public async getKeyPolicy(region: string, keyId: string) {
    this.calls.push(`getKeyPolicy ${region} ${keyId}`);
    const key = [...this.keys.values()].find((k) => k.keyId === keyId);
    if (!key) throw new AuditApiError('kms:GetKeyPolicy', 'NotFoundException', `Key '${keyId}' does not exist`);
    return key.policy;
  }
  public async getRole(arn: string) {
    this.calls.push(`getRole ${arn}`);
    return this.roles.has(arn) ? { arn, assumeRolePolicyDocument: JSON.stringify(CLOUDTRAIL_TRUST) } : undefined;
  }
}

