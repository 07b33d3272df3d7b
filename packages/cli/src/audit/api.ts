/**
 * What the audit reads from an AWS account: one small function per API call of the CIS audit
 * procedure, returning plain data. `sdk-api.ts` implements it with the AWS SDK for JavaScript v3;
 * tests can implement it in memory.
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
}

/** `cloudtrail get-trail-status`. */
export interface TrailStatusInfo {
  readonly isLogging: boolean;
}

/** One basic event selector. */
export interface EventSelectorInfo {
  readonly readWriteType?: string;
  readonly includeManagementEvents?: boolean;
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

/** One metric filter from `logs describe-metric-filters`. */
export interface MetricFilterInfo {
  readonly filterName: string;
  readonly logGroupName: string;
  readonly filterPattern: string;
  /** The first metric transformation's metric (CIS filters have exactly one). */
  readonly metricName?: string;
  readonly metricNamespace?: string;
}

/** A metric that a metric-math alarm reads. */
export interface AlarmMetricInfo {
  readonly metricName?: string;
  readonly namespace?: string;
}

/** One metric alarm from `cloudwatch describe-alarms`. */
export interface AlarmInfo {
  readonly alarmName: string;
  readonly metricName?: string;
  readonly namespace?: string;
  /** The metrics of a metric-math alarm (empty for a single-metric alarm). */
  readonly metrics: AlarmMetricInfo[];
  readonly actionsEnabled: boolean;
  readonly alarmActions: string[];
}

/** One subscription from `sns list-subscriptions-by-topic`. */
export interface SubscriptionInfo {
  /** A subscription ARN once confirmed; `PendingConfirmation` (or `Deleted`) otherwise. */
  readonly subscriptionArn: string;
  readonly protocol?: string;
  readonly endpoint?: string;
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
}

/** An API call that failed for another reason than a missing resource (credentials, permissions, network). */
export class AuditApiError extends Error {
  constructor(public readonly operation: string, public readonly errorName: string, message: string) {
    super(`${operation} failed: ${errorName}: ${message}`);
    this.name = 'AuditApiError';
  }
}
