/**
 * The monitoring model of issue 18 §1: what decides whether a CIS event that happens raises an alarm that reaches
 * a confirmed person, as one snapshot that every adapter fills (CloudFormation templates for `check` and the
 * validation plugin, one live account or every account of an organization for `audit`). The rules
 * (`rules/*.ts`) and the runner (`runner.ts`) read only this model, so one rule set gives every verdict.
 *
 * Internal: not exported from the package's entry point, and free of aws-cdk-lib/constructs imports, because the
 * CLI bundles it.
 *
 * Three states for every value an adapter reports:
 * - a value: known;
 * - `undefined`: absent (the property is not set; the documented default applies), or, for the few fields
 *   marked "adapter-dependent", a kind of fact this adapter cannot see at all (a template cannot see whether an
 *   e-mail subscription was confirmed); the adapter lists such kinds in `MonitoringSnapshot.unseen`;
 * - `Unknown` (made with `unknown(reason)`): set, but this adapter could not determine it (an `Fn::ImportValue`, a
 *   parameter, an API call that failed). Rules that need an Unknown value report UNKNOWN, never PASS.
 */

/** A value that is set but could not be determined. `reason` says why, for the message (e.g. "Fn::ImportValue 'X'"). */
export interface Unknown {
  readonly $unknown: string;
}

/** A known value or an `Unknown` one. */
export type Known<T> = T | Unknown;

/** Marks a value as set but undeterminable. */
export function unknown(reason: string): Unknown {
  return { $unknown: reason };
}

/** Whether a value is `Unknown`. */
export function isUnknown(value: unknown): value is Unknown {
  return typeof value === 'object' && value !== null && typeof (value as Unknown).$unknown === 'string';
}

/** The value when known, else undefined (absent and Unknown both give undefined: test `isUnknown` first when it matters). */
export function knownOr<T>(value: Known<T> | undefined): T | undefined {
  return isUnknown(value) ? undefined : value;
}

/**
 * Where a resource comes from, for messages: a template's logical ID (and stack / template path), or a live
 * resource's ARN or name. `label` is what messages show ("alarm RootUsageAlarm in stack Monitoring").
 */
export interface Origin {
  /** What messages name, e.g. `RootAccountUsageAlarm (stack Monitoring)` or the alarm's name. */
  readonly label: string;
  /** The template's logical ID, when read from a template. */
  readonly logicalId?: string;
  /** The stack's name, when read from a template of a cloud assembly or a live stack. */
  readonly stack?: string;
  /** The template file, when read from one. */
  readonly templatePath?: string;
  /** The account, when known (live adapters; templates whose assembly declares an environment). */
  readonly account?: string;
  /** The region, when known. */
  readonly region?: string;
}

/**
 * Every resource has a `key`: its identity in the snapshot, unique and comparable across adapters where possible.
 * Adapters use the ARN when they know it (live: always), otherwise the name, otherwise a template-local key
 * `cfn:<stack>/<LogicalId>`. References between resources (an alarm's actions, a subscription's topic, a topic's
 * key) hold the referenced resource's `key` when the adapter resolved it, otherwise the raw text (an ARN), and
 * the lookups in `SnapshotIndex` match either the key or the ARN.
 */
interface Resource {
  readonly key: string;
  readonly origin: Origin;
}

/** CloudTrail `EventSelector`. */
export interface EventSelector {
  /** @default 'All' */
  readonly readWriteType?: Known<'All' | 'ReadOnly' | 'WriteOnly' | string>;
  /** @default true */
  readonly includeManagementEvents?: Known<boolean>;
  /** Management event sources not logged (CloudTrail accepts `kms.amazonaws.com` and `rdsdata.amazonaws.com`). */
  readonly excludeManagementEventSources?: Known<Known<string>[]>;
}

/** One field selector of a CloudTrail advanced event selector. */
export interface AdvancedFieldSelector {
  /** e.g. `eventCategory`, `readOnly`, `eventSource`. */
  readonly field: Known<string>;
  readonly equals?: Known<Known<string>[]>;
  readonly notEquals?: Known<Known<string>[]>;
  readonly startsWith?: Known<Known<string>[]>;
  readonly notStartsWith?: Known<Known<string>[]>;
  readonly endsWith?: Known<Known<string>[]>;
  readonly notEndsWith?: Known<Known<string>[]>;
}

/** CloudTrail `AdvancedEventSelector`. */
export interface AdvancedEventSelector {
  readonly name?: string;
  readonly fieldSelectors: Known<AdvancedFieldSelector[]>;
}

/** A trail and where it delivers. */
export interface Trail extends Resource {
  readonly name: Known<string>;
  readonly arn?: Known<string>;
  /** @default false */
  readonly isMultiRegion?: Known<boolean>;
  /** @default false */
  readonly isOrganizationTrail?: Known<boolean>;
  /** Whether the trail is logging. Templates: the `IsLogging` property (required by CloudFormation). */
  readonly isLogging: Known<boolean>;
  /**
   * Basic event selectors. `undefined`: none set (CloudTrail's default: all management events, read and write).
   * Trails use either these or `advancedEventSelectors`.
   */
  readonly eventSelectors?: Known<EventSelector[]>;
  /** Advanced event selectors, when the trail uses them. */
  readonly advancedEventSelectors?: Known<AdvancedEventSelector[]>;
  /** `CloudWatchLogsLogGroupArn` as set (undefined: the trail does not deliver to CloudWatch Logs). */
  readonly cloudWatchLogsLogGroupArn?: Known<string>;
  /** The key of the log group the ARN names, when that group is in the snapshot (same account, same name). */
  readonly logGroupKey?: string;
  /** The log group's name taken from the ARN, when it can be read. */
  readonly logGroupName?: Known<string>;
  /** The account in the log group ARN, when it is a literal. */
  readonly logGroupAccount?: Known<string>;
  /** `CloudWatchLogsRoleArn` (undefined: not set, CloudTrail cannot deliver). */
  readonly cloudWatchLogsRoleArn?: Known<string>;
  /**
   * The role `cloudWatchLogsRoleArn` names, as the adapter saw it. Adapter-dependent: undefined when the adapter cannot
   * see the role (a template whose role lives elsewhere); live: `iam:GetRole` (`Unknown` when it failed).
   */
  readonly cloudWatchLogsRole?: Known<DeliveryRole>;
  /**
   * Delivery to CloudWatch Logs as CloudTrail reports it (`GetTrailStatus`). Adapter-dependent: undefined for
   * templates (not deployed), `Unknown` when the status could not be read.
   */
  readonly delivery?: Known<TrailDelivery>;
}

/** The IAM role CloudTrail assumes to deliver to CloudWatch Logs. */
export interface DeliveryRole {
  /** False: the role was looked up and does not exist (deleted), so CloudTrail cannot deliver. */
  readonly exists: boolean;
  /** The role's trust policy (who may assume it). */
  readonly trustPolicy?: Known<PolicyDocument>;
}

/** `GetTrailStatus`'s CloudWatch Logs delivery fields. */
export interface TrailDelivery {
  /** `LatestCloudWatchLogsDeliveryTime` as an ISO string, when present. */
  readonly latestDeliveryTime?: string;
  /** `LatestCloudWatchLogsDeliveryError`, when present (e.g. the role cannot be assumed). */
  readonly latestDeliveryError?: string;
}

/** A CloudWatch Logs log group. */
export interface LogGroup extends Resource {
  readonly name: Known<string>;
  readonly arn?: Known<string>;
}

/** One `MetricTransformation` of a metric filter. */
export interface MetricTransformation {
  readonly metricName: Known<string>;
  readonly namespace: Known<string>;
  /** The value published per matching event, as written (`"1"`, `"$.count"`). */
  readonly value: Known<string>;
  /** Published when no event matches. @default - nothing is published */
  readonly defaultValue?: Known<number>;
  /** Dimension name → value (or `$.field`). @default - no dimensions */
  readonly dimensions?: Known<Record<string, Known<string>>>;
  /** @default - none (the metric has no unit) */
  readonly unit?: Known<string>;
}

/** A metric filter. */
export interface MetricFilter extends Resource {
  readonly name?: Known<string>;
  /** The log group's name (as written: a template may refer to a group it does not hold). */
  readonly logGroupName: Known<string>;
  /** The log group's key, when the group is in the snapshot. */
  readonly logGroupKey?: string;
  readonly pattern: Known<string>;
  readonly transformations: Known<MetricTransformation[]>;
}

/** One entry of an alarm's `Metrics` (metric math or a single `MetricStat`). */
export interface AlarmMetricQuery {
  readonly id: Known<string>;
  readonly expression?: Known<string>;
  readonly metric?: AlarmMetric;
  /** @default true */
  readonly returnData?: Known<boolean>;
}

/** The metric an alarm (or one of its queries) watches, with how it is aggregated. */
export interface AlarmMetric {
  readonly metricName: Known<string>;
  readonly namespace: Known<string>;
  /** @default - no dimensions */
  readonly dimensions?: Known<Record<string, Known<string>>>;
  /** `Sum`, `Maximum`, `SampleCount`, ... (one of this or `extendedStatistic`). */
  readonly statistic?: Known<string>;
  /** A percentile or other extended statistic, e.g. `p99`. */
  readonly extendedStatistic?: Known<string>;
  readonly period?: Known<number>;
  readonly unit?: Known<string>;
}

/** A CloudWatch alarm. */
export interface Alarm extends Resource {
  readonly name: Known<string>;
  readonly arn?: Known<string>;
  /** A single-metric alarm's metric (undefined when the alarm uses `queries`). */
  readonly metric?: AlarmMetric;
  /** A metric-math alarm's queries. */
  readonly queries?: Known<AlarmMetricQuery[]>;
  readonly threshold?: Known<number>;
  /** `GreaterThanOrEqualToThreshold`, `LessThanThreshold`, ... */
  readonly comparisonOperator: Known<string>;
  readonly evaluationPeriods: Known<number>;
  /** @default - evaluationPeriods */
  readonly datapointsToAlarm?: Known<number>;
  /** @default 'missing' */
  readonly treatMissingData?: Known<string>;
  /** @default true */
  readonly actionsEnabled?: Known<boolean>;
  /** Each action as the key of a snapshot resource (a topic) when resolved, else as written (an ARN). */
  readonly alarmActions: Known<Known<string>[]>;
}

/** An IAM-style policy document (topic and key policies) as JSON; values the adapter could not resolve are `Unknown`. */
export interface PolicyDocument {
  readonly Statement: Known<unknown[]>;
}

/** An SNS topic. */
export interface Topic extends Resource {
  readonly name: Known<string>;
  readonly arn: Known<string>;
  /** `KmsMasterKeyId`: the key's snapshot key when resolved, else as written (ARN, key ID, `alias/...`). */
  readonly kmsMasterKeyId?: Known<string>;
  /** The topic policy; undefined: the default policy (the owner account only, which lets CloudWatch publish). */
  readonly policy?: Known<PolicyDocument>;
}

/** An SNS subscription. */
export interface Subscription extends Resource {
  /** The topic's snapshot key when resolved, else the topic ARN as written. */
  readonly topic: Known<string>;
  readonly protocol: Known<string>;
  readonly endpoint: Known<string>;
  /**
   * Whether the subscription is confirmed. Adapter-dependent: undefined for templates (decided after deployment);
   * live: false for `PendingConfirmation`.
   */
  readonly confirmed?: Known<boolean>;
  /** The filter policy as JSON. @default - none: every message is delivered */
  readonly filterPolicy?: Known<unknown>;
  /** @default 'MessageAttributes' */
  readonly filterPolicyScope?: Known<string>;
}

/** A KMS key. */
export interface Key extends Resource {
  readonly arn?: Known<string>;
  /** The key ID, when known. */
  readonly keyId?: Known<string>;
  /** The key's aliases (`alias/...`). */
  readonly aliases?: string[];
  /** @default true */
  readonly enabled?: Known<boolean>;
  /** `KeyState` (live), e.g. `PendingDeletion`. */
  readonly keyState?: Known<string>;
  /** `KeyManager`: `AWS` for AWS managed keys (alias/aws/sns), which CloudWatch cannot use. */
  readonly keyManager?: Known<'AWS' | 'CUSTOMER' | string>;
  readonly policy: Known<PolicyDocument>;
}

/** Everything one adapter saw. */
export interface MonitoringSnapshot {
  /** What was read, for messages: `template Monitoring.template.json`, `account 111111111111 us-east-1`. */
  readonly source: string;
  /** The account the resources live in, when known. */
  readonly account?: Known<string>;
  /** The region, when known. */
  readonly region?: Known<string>;
  /**
   * Whether the snapshot can hold every trail that may deliver here: true for a live account (describe-trails
   * lists them, organization trails included); false for templates (the trail may live in another stack or
   * account), in which case the runner judges the monitoring the snapshot holds on `monitoredLogGroups` or the
   * log groups carrying CIS metric filters, and says it could not see the trail.
   */
  readonly seesAllTrails: boolean;
  /** Log group names to judge when no trail of the snapshot delivers (the user's `--log-group`). */
  readonly monitoredLogGroups?: string[];
  readonly trails: Trail[];
  readonly logGroups: LogGroup[];
  readonly metricFilters: MetricFilter[];
  readonly alarms: Alarm[];
  readonly topics: Topic[];
  readonly subscriptions: Subscription[];
  readonly keys: Key[];
  /** Kinds of facts this adapter cannot see, e.g. "whether subscriptions were confirmed (decided after deployment)". */
  readonly unseen: string[];
  /** Problems the adapter met reading its input (an unreadable API, an unresolvable intrinsic), for messages. */
  readonly notes?: string[];
  /**
   * References the adapter looked up and found not to exist (live: a deleted topic, log group or key; ARNs, or a key
   * reference as written). A rule that needs one of them FAILs ("does not exist") instead of saying it could not see it.
   */
  readonly absent?: string[];
  /**
   * Parts of the input the adapter could not read at all (a nested stack's template): a link missing from the snapshot
   * may be there, so the rules that FAIL a missing link (no filter, no alarm, no subscriber) say UNKNOWN instead.
   */
  readonly incomplete?: string[];
}

/** Lookups over a snapshot by key or ARN. */
export class SnapshotIndex {
  constructor(public readonly snapshot: MonitoringSnapshot) {}

  /** The topic a reference (key or ARN) names. */
  public topic(ref: Known<string>): Topic | undefined {
    return byRef(this.snapshot.topics, ref);
  }

  /** The key a reference (key, ARN, key ID or alias) names. */
  public key(ref: Known<string>): Key | undefined {
    if (isUnknown(ref)) return undefined;
    return byRef(this.snapshot.keys, ref)
      ?? this.snapshot.keys.find((k) => k.keyId === ref || (k.aliases ?? []).some((a) => a === ref || ref.endsWith(`:${a}`)));
  }

  /** The subscriptions of a topic. */
  public subscriptionsOf(topic: Topic): Subscription[] {
    return this.snapshot.subscriptions.filter((s) => !isUnknown(s.topic) && (s.topic === topic.key || s.topic === topic.arn));
  }
}

function byRef<T extends { key: string; arn?: Known<string> }>(items: T[], ref: Known<string>): T | undefined {
  if (isUnknown(ref)) return undefined;
  return items.find((i) => i.key === ref) ?? items.find((i) => !isUnknown(i.arn) && i.arn === ref);
}
