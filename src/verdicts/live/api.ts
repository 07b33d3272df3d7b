/**
 * What the audit reads from an AWS account: one small function per API call of the CIS audit
 * procedure, returning plain data. `sdk-api.ts` implements it with the AWS SDK for JavaScript v3 (the CLI's
 * dependency, the Lambda runtime's SDK in the self-audit function); tests can implement it in memory.
 *
 * No import here or in live-snapshot.ts: the CLI reaches both through src/cli-support.ts, whose closure must need
 * nothing but Node's built-ins.
 */

/** A trail as `cloudtrail describe-trails` lists it (shadow copies of multi-region trails included). */
export interface TrailInfo {
  readonly name: string;
  readonly arn: string;
  /** The region the trail was created in. */
  readonly homeRegion?: string;
  readonly isMultiRegionTrail: boolean;
  /** `arn:aws:logs:<region>:<account>:log-group:<name>:*`, when the trail delivers to CloudWatch Logs. */
  readonly cloudWatchLogsLogGroupArn?: string;
  /** The role CloudTrail assumes to deliver to the log group. */
  readonly cloudWatchLogsRoleArn?: string;
  readonly isOrganizationTrail?: boolean;
}

/** `cloudtrail get-trail-status`. */
export interface TrailStatusInfo {
  readonly isLogging: boolean;
  /** `LatestCloudWatchLogsDeliveryError`: why the last delivery to CloudWatch Logs failed (absent when it did not). */
  readonly latestCloudWatchLogsDeliveryError?: string;
  /** `LatestCloudWatchLogsDeliveryTime`, ISO 8601. */
  readonly latestCloudWatchLogsDeliveryTime?: string;
}

/** One basic event selector. */
export interface EventSelectorInfo {
  readonly readWriteType?: string;
  readonly includeManagementEvents?: boolean;
  /** Management event sources not logged (`kms.amazonaws.com`, `rdsdata.amazonaws.com`). */
  readonly excludeManagementEventSources?: string[];
}

/** One field condition of an advanced event selector. */
export interface FieldSelectorInfo {
  readonly field: string;
  readonly equals?: string[];
  readonly notEquals?: string[];
  readonly startsWith?: string[];
  readonly notStartsWith?: string[];
  readonly endsWith?: string[];
  readonly notEndsWith?: string[];
}

/** One advanced event selector. */
export interface AdvancedEventSelectorInfo {
  readonly name?: string;
  readonly fieldSelectors: FieldSelectorInfo[];
}

/** `cloudtrail get-event-selectors`: a trail has basic or advanced selectors, not both. */
export interface EventSelectorsInfo {
  readonly eventSelectors: EventSelectorInfo[];
  readonly advancedEventSelectors: AdvancedEventSelectorInfo[];
}

/** One metric transformation of a metric filter. */
export interface MetricTransformationInfo {
  readonly metricName: string;
  readonly metricNamespace: string;
  /** What each matching event publishes, as written (`1`, `$.count`). */
  readonly metricValue: string;
  readonly defaultValue?: number;
  /** Dimension name → value (`$.field`). */
  readonly dimensions?: Record<string, string>;
  readonly unit?: string;
}

/** One metric filter from `logs describe-metric-filters`. */
export interface MetricFilterInfo {
  readonly filterName: string;
  readonly logGroupName: string;
  readonly filterPattern: string;
  /** The first metric transformation's metric (CIS filters have exactly one). */
  readonly metricName?: string;
  readonly metricNamespace?: string;
  /** Every metric transformation. @default - one transformation of `metricName`/`metricNamespace` publishing 1 */
  readonly transformations?: MetricTransformationInfo[];
}

/** A metric an alarm reads, with how it is aggregated. */
export interface AlarmMetricInfo {
  readonly metricName?: string;
  readonly namespace?: string;
  readonly dimensions?: Record<string, string>;
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  readonly period?: number;
  readonly unit?: string;
}

/** One entry of a metric-math alarm's `Metrics`. */
export interface AlarmQueryInfo {
  readonly id: string;
  readonly expression?: string;
  readonly returnData?: boolean;
  /** The query's `MetricStat` (its metric, stat, period, unit). */
  readonly metric?: AlarmMetricInfo;
}

/** One metric alarm from `cloudwatch describe-alarms`. */
export interface AlarmInfo {
  readonly alarmName: string;
  readonly alarmArn?: string;
  readonly metricName?: string;
  readonly namespace?: string;
  /** The metrics of a metric-math alarm (empty for a single-metric alarm). */
  readonly metrics: AlarmMetricInfo[];
  readonly actionsEnabled: boolean;
  readonly alarmActions: string[];
  /** The single metric's aggregation (absent for a metric-math alarm). */
  readonly dimensions?: Record<string, string>;
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  readonly period?: number;
  readonly unit?: string;
  /** A metric-math alarm's queries (ids, expressions, MetricStats). */
  readonly queries?: AlarmQueryInfo[];
  readonly threshold?: number;
  readonly comparisonOperator?: string;
  readonly evaluationPeriods?: number;
  readonly datapointsToAlarm?: number;
  readonly treatMissingData?: string;
}

/** One subscription from `sns list-subscriptions-by-topic`. */
export interface SubscriptionInfo {
  /** A subscription ARN once confirmed; `PendingConfirmation` (or `Deleted`) otherwise. */
  readonly subscriptionArn: string;
  readonly protocol?: string;
  readonly endpoint?: string;
}

/** `sns get-topic-attributes`: what decides whether CloudWatch can publish to the topic. */
export interface TopicAttributesInfo {
  /** The topic policy, JSON text. */
  readonly policy?: string;
  /** `KmsMasterKeyId`: the key that encrypts the topic (key ID, key ARN, alias name or alias ARN). */
  readonly kmsMasterKeyId?: string;
}

/** `sns get-subscription-attributes`. */
export interface SubscriptionAttributesInfo {
  /** `PendingConfirmation` is `true`. */
  readonly pendingConfirmation?: boolean;
  /** The filter policy, JSON text. */
  readonly filterPolicy?: string;
  /** `MessageAttributes` or `MessageBody`. */
  readonly filterPolicyScope?: string;
}

/** `kms describe-key` (and `kms get-key-policy --policy-name default`). */
export interface KeyInfo {
  readonly arn: string;
  readonly keyId: string;
  readonly enabled: boolean;
  /** `Enabled`, `Disabled`, `PendingDeletion`, ... */
  readonly keyState?: string;
  /** `AWS` or `CUSTOMER`. */
  readonly keyManager?: string;
}

/** `iam get-role`. */
export interface RoleInfo {
  readonly arn: string;
  /** The trust policy, JSON text (decoded). */
  readonly assumeRolePolicyDocument?: string;
}

/** The account the credentials belong to. */
export interface CallerIdentityInfo {
  readonly account: string;
  readonly arn: string;
}

/** The read-only calls of the CIS audit procedure. `region` is where the call is sent. */
export interface AuditApi {
  /** `sts get-caller-identity` */
  callerIdentity(region: string): Promise<CallerIdentityInfo>;
  /** `cloudtrail describe-trails` (shadow trails included) */
  describeTrails(region: string): Promise<TrailInfo[]>;
  /** `cloudtrail get-trail-status --name <trail ARN>` */
  getTrailStatus(region: string, trailArn: string): Promise<TrailStatusInfo>;
  /** `cloudtrail get-event-selectors --trail-name <trail ARN>` */
  getEventSelectors(region: string, trailArn: string): Promise<EventSelectorsInfo>;
  /** `logs describe-log-groups --log-group-name-prefix <name>`: whether a group of exactly this name exists */
  logGroupExists(region: string, logGroupName: string): Promise<boolean>;
  /**
   * `logs describe-metric-filters [--log-group-name <name>]`, every page. For a log group that does not exist, AWS
   * answers `ResourceNotFoundException` (an `AuditApiError` of that `errorName`).
   */
  describeMetricFilters(region: string, logGroupName?: string): Promise<MetricFilterInfo[]>;
  /** `cloudwatch describe-alarms --alarm-types MetricAlarm`, every page */
  describeAlarms(region: string): Promise<AlarmInfo[]>;
  /** `sns list-subscriptions-by-topic`, every page; `undefined` when the topic does not exist */
  listSubscriptionsByTopic(region: string, topicArn: string): Promise<SubscriptionInfo[] | undefined>;
  /** `sns get-topic-attributes`; `undefined` when the topic does not exist */
  getTopicAttributes(region: string, topicArn: string): Promise<TopicAttributesInfo | undefined>;
  /** `sns get-subscription-attributes`; `undefined` when the subscription does not exist */
  getSubscriptionAttributes(region: string, subscriptionArn: string): Promise<SubscriptionAttributesInfo | undefined>;
  /** `kms describe-key --key-id <ref>` (ID, ARN, alias); `undefined` when there is no such key */
  describeKey(region: string, keyRef: string): Promise<KeyInfo | undefined>;
  /** `kms get-key-policy --key-id <id> --policy-name default`: JSON text */
  getKeyPolicy(region: string, keyId: string): Promise<string>;
  /** `iam get-role` of a role ARN; `undefined` when the role does not exist */
  getRole(roleArn: string): Promise<RoleInfo | undefined>;
}

/** An API call that failed for another reason than a missing resource (credentials, permissions, network). */
export class AuditApiError extends Error {
  constructor(public readonly operation: string, public readonly errorName: string, message: string) {
    super(`${operation} failed: ${errorName}: ${message}`);
    this.name = 'AuditApiError';
  }
}
