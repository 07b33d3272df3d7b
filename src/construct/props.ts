import { Duration, aws_cloudtrail as cloudtrail, aws_kms as kms, aws_logs as logs, aws_s3 as s3, aws_sns as sns } from 'aws-cdk-lib';
import { CisControl, CisPatternSet } from '../catalog';
import { CisExclusion } from './cis-exclusion';
import { CisSeverityRoute } from './cis-severity-route';

/**
 * Properties of `CisLogMonitoring`: where the trail's log group comes from, and every option
 * (`CisLogMonitoringOptions`).
 */
export interface CisLogMonitoringProps extends CisLogMonitoringOptions {
  /**
   * The CloudWatch Logs log group your multi-region CloudTrail trail delivers to.
   * The metric filters are created on it. It must live in the stack's account and region:
   * a group known to be elsewhere is refused at synth. Pass exactly one of `logGroup`, `trail`
   * and `trailArn`.
   *
   * @default - the log group of `trail` or `trailArn`
   */
  readonly logGroup?: logs.ILogGroup;

  /**
   * The trail to monitor, a `cloudtrail.Trail` of this app: the metric filters go on its CloudWatch Logs log
   * group. Refused at synth when the trail is not multi-region or does not deliver to CloudWatch Logs.
   *
   * @default - `logGroup` or `trailArn`
   */
  readonly trail?: cloudtrail.Trail;

  /**
   * The ARN of an existing trail (for example Control Tower's
   * `arn:aws:cloudtrail:<home region>:<account>:trail/aws-controltower-BaselineCloudTrail`). Its log group is read
   * at deploy time by a custom resource (a small Lambda function allowed `cloudtrail:DescribeTrails`), so names
   * with suffixes known only then work. The deployment fails, saying why, when the trail is not multi-region,
   * does not deliver to CloudWatch Logs, or delivers to a log group in another account or region than the stack.
   *
   * @default - `logGroup` or `trail`
   */
  readonly trailArn?: string;
}

/**
 * Every option of `CisLogMonitoring` but the log group it monitors. `CisMonitoringStackSet` takes the same
 * options for the construct in each member account.
 */
export interface CisLogMonitoringOptions {
  /**
   * E-mail addresses to notify; one e-mail subscription each. Every recipient must confirm
   * the subscription (AWS sends a confirmation mail) before CIS audit step 7 passes.
   * Plain ASCII addresses only (`secops@example.com`); tokens pass, one per address
   * (`Fn.select(i, list)`, not the list itself).
   *
   * @default - no e-mail subscriptions
   */
  readonly emails?: string[];

  /**
   * Bring your own SNS topic. When given, no topic and no key are created, and the alarms
   * and the subscriptions use this topic. A FIFO topic is refused (e-mail cannot subscribe to it);
   * a topic imported by ARN gets a warning, as its policy and key cannot be checked.
   *
   * @default - a new topic, encrypted with `topicEncryptionKey`
   */
  readonly topic?: sns.ITopic;

  /**
   * Further subscriptions of any protocol (SQS, Lambda, HTTPS, SMS, ...).
   *
   * @default - none
   */
  readonly subscriptions?: sns.ITopicSubscription[];

  /**
   * Which text of the benchmark the metric filters use.
   *
   * @default CisPatternSet.RECOMMENDED
   */
  readonly patternSet?: CisPatternSet;

  /**
   * Use the benchmark's SSO-aware variant of the console sign-in without MFA pattern, which
   * only counts successful IAM-user sign-ins (sign-ins through IAM Identity Center or SAML
   * federation report `MFAUsed: "No"` and would otherwise alarm every time).
   *
   * @default false
   */
  readonly ssoAwareMfaFilter?: boolean;

  /**
   * The controls to deploy, built-in or `CisControl.custom()`.
   *
   * @default - every control of the pattern set (15; 14 for `CIS_V1_2_0`)
   */
  readonly controls?: CisControl[];

  /**
   * Controls deployed in addition to `controls`, typically your `CisControl.custom()` ones on top
   * of every control of the pattern set.
   *
   * @default - none
   */
  readonly additionalControls?: CisControl[];

  /**
   * CloudWatch metric namespace of the filters' metrics.
   *
   * @default 'CISBenchmark'
   */
  readonly metricNamespace?: string;

  /**
   * Prefix of every alarm name; the alarm name is the prefix followed by the benchmark's
   * alarm name, e.g. `Prod-root_usage_alarm`. Alarm names must be unique per account and
   * region, so give each instance its own prefix (duplicates in the app are refused at synth).
   * No `*` or `?`: the prefix is the topic policy's `aws:SourceArn` condition.
   *
   * @default - `<stack name>-<construct id>-<hash of the construct path>-`, unique per account and region
   */
  readonly alarmNamePrefix?: string;

  /**
   * The period over which the alarm sums the metric: a whole number of minutes (metric filter
   * metrics have 1-minute resolution).
   *
   * @default Duration.minutes(5) (the benchmark's 300 seconds)
   */
  readonly alarmPeriod?: Duration;

  /**
   * The alarm fires when the number of matching events in one period is at least this
   * (at least 1; a token passes).
   *
   * @default 1
   */
  readonly alarmThreshold?: number;

  /**
   * Also notify the topic when an alarm returns to OK.
   *
   * @default false
   */
  readonly okNotifications?: boolean;

  /**
   * The customer managed KMS key that encrypts the created topic. CloudWatch must be allowed
   * to use it: for a key defined in this app the construct adds that permission to the key
   * policy; for an imported key you must add it yourself (a warning says so). The AWS managed
   * key `alias/aws/sns` is refused: CloudWatch alarms cannot publish to a topic encrypted
   * with it.
   *
   * @default - a new customer managed key with rotation enabled
   */
  readonly topicEncryptionKey?: kms.IKey;

  /**
   * Events that should not page people, each a documented exception with a reason, an owner and an
   * expiry date. The compliance filters, metrics and alarms stay exactly as without exclusions (they keep
   * notifying `topic`, the compliance record); for each control an exclusion applies to, an operational
   * filter, metric (`<metric>_operational`) and alarm are added, notifying the operational topic.
   * Synth fails when an exclusion has expired.
   *
   * @default - no exclusions, no operational layer
   */
  readonly exclusions?: CisExclusion[];

  /**
   * E-mail addresses of the people who act on alarms when `exclusions` are set: subscribed to the
   * operational topic that the operational alarms notify.
   *
   * @default - none
   */
  readonly operationalEmails?: string[];

  /**
   * Further subscriptions (any protocol) of the operational topic, when `exclusions` are set.
   *
   * @default - none
   */
  readonly operationalSubscriptions?: sns.ITopicSubscription[];

  /**
   * Extra destinations by severity (each control has one, `CisControl.severity`): a topic such as the one an
   * AWS Chatbot channel subscribes to, and/or subscriptions of any protocol. A route receives the alarm people
   * act on: the operational alarm of a control with exclusions, otherwise the control's alarm. The alarm
   * topic keeps receiving every alarm.
   *
   * @default - no routes: every alarm notifies the alarm topic only
   */
  readonly severityRoutes?: CisSeverityRoute[];

  /**
   * Add the who-did-it function: when an alarm people act on goes to ALARM, it searches the log group with
   * the control's exact filter pattern over the alarm's window (FilterLogEvents) and publishes a digest (event,
   * principal, source IP, account, region, time; at most 20 events listed, all counted; the saved query's name)
   * to the topics that alarm notifies. Node.js 24 runtime, bundled with the library; least-privilege role.
   *
   * @default false
   */
  readonly enrichAlarms?: boolean;

  /**
   * Add the delivery heartbeat: an alarm on the log group's `AWS/Logs` `IncomingLogEvents` (dimension
   * `LogGroupName`) that fires when no event arrived for `deliveryHeartbeatPeriod` (missing data is breaching), so
   * that a stopped trail, a broken delivery role or a deleted group is reported instead of leaving every CIS alarm
   * blind. It notifies the alarm topic, the operational topic and the CRITICAL severity routes. Cost: one alarm
   * ($0.10 a month); the metric is free. See docs/self-monitoring.md.
   *
   * @default true
   */
  readonly deliveryHeartbeat?: boolean;

  /**
   * How long the log group may receive no event before the heartbeat fires: 15 minutes to 24 hours, a multiple of
   * 5 minutes (CloudTrail's delivery interval). Raise it for an account with long quiet spells.
   *
   * @default Duration.hours(1)
   */
  readonly deliveryHeartbeatPeriod?: Duration;

  /**
   * Add the tamper control: metric filters (metric `monitoring_tamper_metric`) and an alarm on the CloudTrail events
   * that delete, disable, re-point or unsubscribe the monitoring (the actions of the tamper-protection SCP's table),
   * scoped to this construct's alarm names and log group where the request names them, not counting calls made by
   * CloudFormation (`userIdentity.invokedBy`). It notifies the alarm topic, the operational topic and the CRITICAL
   * severity routes. Cost: one metric and one alarm ($0.40 a month). See docs/self-monitoring.md.
   *
   * @default true
   */
  readonly tamperAlarm?: boolean;

  /**
   * Add real-time notices: per control an EventBridge rule on the default event bus whose event pattern is the
   * control's filter pattern compiled to EventBridge (the operational pattern when `exclusions` apply), sending each
   * matching CloudTrail event within seconds to the topics the control's alarm people act on notifies (the
   * operational topic or the alarm topic, and the severity routes), as one line naming the control, the event, the
   * principal, the source IP, account, region, time, event ID and a CloudTrail console link. The alarms are unchanged.
   * Synth fails when a control's pattern has no exact EventBridge form. IAM, Organizations, STS global-endpoint and
   * sign-in events reach EventBridge only in us-east-1: outside it a warning names the controls concerned. See
   * docs/realtime.md.
   *
   * @default false
   */
  readonly realTime?: boolean;

  /**
   * Add the continuous self-audit: a function (Node.js 24, the runtime's AWS SDK, reserved concurrency 1, 5-minute
   * timeout) that runs on `selfAuditSchedule` and judges this account's and region's CIS monitoring with the rules
   * of `check` and `audit` (read-only calls), then publishes the count of controls that FAIL or cannot be judged
   * (UNKNOWN) as the metric `SelfAuditNotPassing` in `metricNamespace`, with an alarm (missing data breaching) to
   * the alarm topic, the operational topic and the CRITICAL severity routes; one Security Hub CSPM finding per
   * control (`selfAuditSecurityHub`); and AWS Config evaluations (`selfAuditConfigRule`). Custom controls are not
   * judged. Cost: about $0.40 a month (one alarm, five metrics, one short daily run). See docs/self-audit.md.
   *
   * @default false
   */
  readonly selfAudit?: boolean;

  /**
   * How often the self-audit runs: a whole number of minutes from 1 hour to 1 day (it is also the alarm's period).
   *
   * @default Duration.days(1)
   */
  readonly selfAuditSchedule?: Duration;

  /**
   * Import the self-audit's verdicts into Security Hub CSPM: one finding per control in the AWS Security Finding
   * Format, updated in place on each run (compliance status PASSED, FAILED or WARNING; UNKNOWN is WARNING). Security
   * Hub CSPM must be enabled in the account and region. Only with `selfAudit`.
   *
   * @default true
   */
  readonly selfAuditSecurityHub?: boolean;

  /**
   * Also report the self-audit to AWS Config: a periodic custom Config rule whose function is the self-audit, which
   * evaluates the account (`AWS::::Account`) COMPLIANT only when every control passes. AWS Config must be set up in
   * the account and region. Only with `selfAudit`.
   *
   * @default false
   */
  readonly selfAuditConfigRule?: boolean;

  /**
   * Store the self-audit's evidence report in this bucket after each run: the same HTML page as
   * `cdk-cis-log-monitoring audit --html` (per control the chain, the verdict, the rule and the fix; the delivery
   * heartbeat's last delivery; the tamper events of the last 24 hours), under
   * `<selfAuditReportPrefix><account>/<region>/latest.html` and a dated copy `<yyyy-mm-dd>.html` beside it. The
   * function gets `s3:PutObject` on that prefix only (and encrypt on the bucket's KMS key, if it has one), plus the
   * report's read calls (`cloudwatch:GetMetricData`, `logs:FilterLogEvents`). The report is stored after the metric
   * and the findings were published; a report that cannot be stored fails the run. Only with `selfAudit`.
   *
   * @default - none: no report is stored
   */
  readonly selfAuditReportBucket?: s3.IBucket;

  /**
   * The key prefix of the self-audit's evidence report in `selfAuditReportBucket` (ends with `/` for a folder).
   * Only with `selfAuditReportBucket`.
   *
   * @default 'cis-self-audit/'
   */
  readonly selfAuditReportPrefix?: string;

  /**
   * Organization mode of the self-audit: the 12-digit IDs of other accounts the function judges on each run besides
   * its own, each read through STS AssumeRole of `selfAuditRoleName` in it (as `audit --organization` does), at most
   * 4 at a time, each within 2 minutes. Per account it publishes the metrics (dimension `Account`; the alarm reads
   * the total) and imports that account's findings into its Security Hub CSPM with the assumed role's credentials
   * (Security Hub accepts a finding only from the account it names). An account whose role cannot be assumed is
   * UNKNOWN for every control. The function gets `sts:AssumeRole` on exactly these roles. At most 100 accounts, no
   * duplicates, not the function's own account. Only with `selfAudit`. See docs/self-audit.md.
   *
   * @default - none: the function judges its own account only
   */
  readonly selfAuditAccounts?: string[];

  /**
   * The role the self-audit assumes in each of `selfAuditAccounts` (`arn:<partition>:iam::<account>:role/<name>`,
   * without a path). It must trust the function's role and allow the read-only calls of `audit --organization` and
   * `securityhub:BatchImportFindings` on its account's default product (docs/self-audit.md lists them). Required with
   * `selfAuditAccounts`, as `audit --organization` requires `--role-name`.
   *
   * @default - none: required with `selfAuditAccounts`
   */
  readonly selfAuditRoleName?: string;
}
