// What silences a page or blinds a control, per CloudFormation resource type of the monitoring (issue 18 §2): the
// one table `CisTamperProtectionPolicy` generates its service control policy from. For every resource type that
// CisLogMonitoring creates, or that carries its events (the trail, its log group and CloudWatch Logs role), it says
// which resources of the type the policy protects, how they are named in an ARN, the IAM actions that delete,
// disable, re-point, unsubscribe, filter, detach or decrypt-deny them (each with why and the AWS page), the actions
// considered and not denied (why not), and the resources of the type deliberately left out (why).
//
// A test synthesizes the construct with every option and fails when a resource type has no entry here, and the
// test IAM evaluator checks every denied action on every protected resource's ARN. Internal (not exported from
// src/index.ts); imports nothing, so the CLI can read it.

/** How the policy names the protected resources of a type: each kind is one statement, with ARN patterns built from the props. */
export type ProtectedKind = 'trailLogGroup' | 'alarm' | 'topic' | 'topicKey' | 'trail' | 'trailDeliveryRole';

export interface SilencingAction {
  /** `service:Action`. */
  readonly action: string;
  /** How it silences a page or blinds a control. */
  readonly why: string;
  /** The AWS page that documents the behaviour. */
  readonly doc: string;
}

export interface ConsideredAction {
  readonly action: string;
  /** Why it is not denied. */
  readonly whyNot: string;
  readonly doc: string;
}

export interface SilencingEntry {
  /** The resources of this type the policy protects. */
  readonly protects?: {
    readonly what: string;
    readonly kind: ProtectedKind;
    readonly deny: readonly SilencingAction[];
    readonly notDenied?: readonly ConsideredAction[];
  };
  /**
   * Resources of this type that are not protected: those under a construct with the id `under` (`*`: all of
   * them), and why losing them cannot silence a page or blind a control.
   */
  readonly unprotected?: readonly { readonly under: string; readonly why: string; readonly doc: string }[];
}

// Service Authorization Reference pages (actions, resource types, condition keys) and behaviour pages.
const SAR = 'https://docs.aws.amazon.com/service-authorization/latest/reference/';
const LOGS = `${SAR}list_amazoncloudwatchlogs.html`;
const CLOUDWATCH = `${SAR}list_amazoncloudwatch.html`;
const SNS = `${SAR}list_amazonsns.html`;
const KMS = `${SAR}list_awskeymanagementservice.html`;
const CLOUDTRAIL = `${SAR}list_awscloudtrail.html`;
const IAM = `${SAR}list_awsidentityandaccessmanagementiam.html`;
const ALARM_ACTIONS = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions.html';
const FILTER_POLICY = 'https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html';
const SNS_DATA_PROTECTION = 'https://docs.aws.amazon.com/sns/latest/dg/sns-message-data-protection-policies.html';
const SNS_SSE = 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html';
const TRAIL_TO_LOGS = 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html';
const LOGS_KMS = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html';
const METRIC_FILTER_API = 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricFilter.html';
const QUERY_DEFINITION = 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutQueryDefinition.html';
const MISSING_DATA = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html';
const CONFIG_CUSTOM_RULES = 'https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules.html';
const EVENTBRIDGE_RULES = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rules.html';

// The continuous self-audit (`selfAudit`): its function, schedule, role and log group. Each is left out for the same
// reason: stopping it stops the metric, and its alarm (named with the prefix, so protected above) treats missing data
// as breaching. What a policy cannot deny is a replaced function that reports 0 (docs/organizations.md says so).
const SELF_AUDIT_STOPS = 'the self-audit stops reporting, and its alarm <prefix>cis_self_audit_alarm (protected as an alarm) treats missing data as breaching: it pages';

/** The actions on a trail's log group and its metric filters (both named by the log group's ARN). */
const METRIC_FILTER_ACTIONS: readonly SilencingAction[] = [
  { action: 'logs:DeleteMetricFilter', why: 'no filter, no metric data: the alarm never fires', doc: LOGS },
  { action: 'logs:PutMetricFilter', why: 're-points the filter (pattern, metric name, value 0, applyOnTransformedLogs): the alarm watches nothing', doc: LOGS },
];

export const SILENCING_ACTIONS: Readonly<Record<string, SilencingEntry>> = {
  'AWS::Logs::MetricFilter': {
    protects: { what: 'the metric filters (compliance and _operational) on the trail log groups', kind: 'trailLogGroup', deny: METRIC_FILTER_ACTIONS },
  },
  'AWS::Logs::LogGroup': {
    protects: {
      what: 'the trail log groups',
      kind: 'trailLogGroup',
      deny: [
        ...METRIC_FILTER_ACTIONS,
        { action: 'logs:DeleteLogGroup', why: 'deletes every metric filter with it; CloudTrail can no longer deliver', doc: TRAIL_TO_LOGS },
        { action: 'logs:AssociateKmsKey', why: 'with a key the caller then disables, CloudWatch Logs cannot ingest the trail\'s events', doc: LOGS_KMS },
        { action: 'logs:PutDataProtectionPolicy', why: 'masks fields of ingested events; what metric filters then see is not documented, so it is denied', doc: LOGS },
      ],
      notDenied: [
        { action: 'logs:PutRetentionPolicy', whyNot: 'expires stored events only; metric filters act at ingestion', doc: LOGS },
        { action: 'logs:PutTransformer', whyNot: 'filters read the original events unless applyOnTransformedLogs, which only logs:PutMetricFilter (denied) can set', doc: METRIC_FILTER_API },
      ],
    },
    unprotected: [
      { under: 'WhoDidIt', why: 'the digest function\'s own log group: no notification reads it', doc: ALARM_ACTIONS },
      { under: 'SelfAudit', why: 'the self-audit function\'s own log group: its metric, findings and report do not pass through it', doc: MISSING_DATA },
    ],
  },
  'AWS::CloudWatch::Alarm': {
    protects: {
      what: 'the alarms, compliance and _operational',
      kind: 'alarm',
      deny: [
        { action: 'cloudwatch:DeleteAlarms', why: 'no alarm, no notification', doc: CLOUDWATCH },
        { action: 'cloudwatch:DisableAlarmActions', why: 'the alarm changes state and notifies nobody', doc: ALARM_ACTIONS },
        { action: 'cloudwatch:PutMetricAlarm', why: 're-points the alarm (metric, threshold, actions)', doc: CLOUDWATCH },
        { action: 'cloudwatch:SetAlarmState', why: 'holds the alarm in ALARM: actions run on state changes only, so the events that follow notify nobody', doc: ALARM_ACTIONS },
      ],
      notDenied: [{ action: 'cloudwatch:PutMetricData', whyNot: 'adds data points; a Sum alarm cannot be lowered by more data', doc: CLOUDWATCH }],
    },
  },
  'AWS::SNS::Topic': {
    protects: {
      what: 'the alarm topic, the operational topic and the severity route topics',
      kind: 'topic',
      deny: [
        { action: 'sns:DeleteTopic', why: 'the alarms publish to nothing', doc: SNS },
        { action: 'sns:SetTopicAttributes', why: 'replaces the topic policy (CloudWatch may no longer publish) or the KMS key', doc: SNS_SSE },
        { action: 'sns:RemovePermission', why: 'removes CloudWatch\'s permission to publish', doc: SNS },
        { action: 'sns:PutDataProtectionPolicy', why: 'a Deny operation blocks the delivery of matching messages', doc: SNS_DATA_PROTECTION },
      ],
      notDenied: [
        { action: 'sns:Subscribe', whyNot: 'adds a recipient; cannot remove one', doc: SNS },
        { action: 'sns:AddPermission', whyNot: 'grants; cannot revoke CloudWatch\'s permission', doc: SNS },
      ],
    },
  },
  'AWS::SNS::TopicPolicy': {
    protects: {
      what: 'the policies of those topics',
      kind: 'topic',
      deny: [
        { action: 'sns:SetTopicAttributes', why: 'the Policy attribute is the topic policy: replacing it drops CloudWatch\'s permission', doc: SNS },
        { action: 'sns:RemovePermission', why: 'removes CloudWatch\'s statement', doc: SNS },
      ],
    },
  },
  'AWS::SNS::Subscription': {
    protects: {
      what: 'the subscriptions of those topics (e-mail, HTTPS, SQS, ...), named <topic ARN>:<id>',
      kind: 'topic',
      deny: [
        { action: 'sns:Unsubscribe', why: 'removes the person or the pager', doc: SNS },
        { action: 'sns:SetSubscriptionAttributes', why: 'a FilterPolicy that matches nothing silently drops every message', doc: FILTER_POLICY },
      ],
    },
  },
  'AWS::KMS::Key': {
    protects: {
      what: 'the keys that encrypt the topics',
      kind: 'topicKey',
      deny: [
        { action: 'kms:DisableKey', why: 'CloudWatch cannot encrypt the message: SNS drops the notification', doc: SNS_SSE },
        { action: 'kms:ScheduleKeyDeletion', why: 'the same, for good after the waiting period', doc: KMS },
        { action: 'kms:PutKeyPolicy', why: 'removes CloudWatch\'s kms:GenerateDataKey*/Decrypt', doc: SNS_SSE },
        { action: 'kms:DeleteImportedKeyMaterial', why: 'a key with imported material becomes unusable', doc: KMS },
      ],
      notDenied: [
        { action: 'kms:RevokeGrant', whyNot: 'CloudWatch uses the key policy, not grants', doc: SNS_SSE },
        { action: 'kms:CreateGrant', whyNot: 'grants add permissions; cannot take CloudWatch\'s away', doc: KMS },
      ],
    },
  },
  'AWS::CloudTrail::Trail': {
    protects: {
      what: 'the trails',
      kind: 'trail',
      deny: [
        { action: 'cloudtrail:StopLogging', why: 'no events reach the log group', doc: CLOUDTRAIL },
        { action: 'cloudtrail:DeleteTrail', why: 'no events, for good', doc: CLOUDTRAIL },
        { action: 'cloudtrail:UpdateTrail', why: 're-points the log group or role, or makes the trail single-region', doc: TRAIL_TO_LOGS },
        { action: 'cloudtrail:PutEventSelectors', why: 'narrows the trail (write-only, no management events, excluded sources)', doc: CLOUDTRAIL },
      ],
      notDenied: [{ action: 'cloudtrail:PutInsightSelectors', whyNot: 'Insights events are not what the controls read', doc: CLOUDTRAIL }],
    },
  },
  'AWS::IAM::Role': {
    protects: {
      what: 'the trails\' CloudWatch Logs delivery roles',
      kind: 'trailDeliveryRole',
      deny: [
        { action: 'iam:DeleteRole', why: 'CloudTrail can no longer deliver to CloudWatch Logs', doc: TRAIL_TO_LOGS },
        { action: 'iam:UpdateAssumeRolePolicy', why: 'CloudTrail can no longer assume the role', doc: IAM },
        { action: 'iam:PutRolePolicy', why: 'replaces the inline policy that allows logs:PutLogEvents', doc: IAM },
        { action: 'iam:DeleteRolePolicy', why: 'deletes that inline policy', doc: IAM },
        { action: 'iam:DetachRolePolicy', why: 'detaches a managed policy that allows logs:PutLogEvents', doc: IAM },
        { action: 'iam:AttachRolePolicy', why: 'attaches a policy that denies logs:PutLogEvents', doc: IAM },
        { action: 'iam:PutRolePermissionsBoundary', why: 'a boundary without logs:PutLogEvents blocks delivery', doc: IAM },
      ],
    },
    unprotected: [
      { under: 'SelfAudit', why: `the self-audit function's role: a role that can no longer read or publish gives UNKNOWN or a failed publication, which the function counts as not passing; one it cannot assume stops the function: ${SELF_AUDIT_STOPS}`, doc: MISSING_DATA },
      { under: 'WhoDidIt', why: 'the digest function\'s role: the digest is a second alarm action, run independently of the SNS action', doc: ALARM_ACTIONS },
      { under: 'TrailLookup', why: 'reads the trail at deploy time only', doc: CLOUDTRAIL },
    ],
  },
  'AWS::IAM::Policy': {
    protects: {
      what: 'the inline policies of the delivery roles, named by the role\'s ARN',
      kind: 'trailDeliveryRole',
      deny: [
        { action: 'iam:PutRolePolicy', why: 'replaces the policy that allows logs:PutLogEvents', doc: IAM },
        { action: 'iam:DeleteRolePolicy', why: 'deletes the policy that allows logs:PutLogEvents', doc: IAM },
      ],
    },
    unprotected: [{ under: 'TrailLookup', why: 'the deploy-time lookup\'s policy', doc: CLOUDTRAIL }],
  },
  'AWS::IAM::ManagedPolicy': {
    unprotected: [
      { under: 'WhoDidIt', why: 'the digest function\'s policy: the digest runs independently of the SNS action', doc: ALARM_ACTIONS },
      { under: 'SelfAudit', why: `the self-audit function's policy: without it the reads give UNKNOWN and the metric cannot be sent: ${SELF_AUDIT_STOPS}`, doc: MISSING_DATA },
    ],
  },
  'AWS::Lambda::Function': {
    unprotected: [
      { under: 'SelfAudit', why: `deleted, starved (concurrency 0) or broken, ${SELF_AUDIT_STOPS}. Its code could be replaced by one that reports 0: that hides drift from the self-audit, not a CIS alarm, which this policy protects on its own; CloudFormation generates the function's name, so the policy cannot name it (docs/organizations.md)`, doc: MISSING_DATA },
      { under: 'WhoDidIt', why: 'the digest is a second alarm action; CloudWatch runs each action independently, so the SNS notification still pages', doc: ALARM_ACTIONS },
      { under: 'TrailLookup', why: 'runs at deploy time only', doc: CLOUDTRAIL },
    ],
  },
  'AWS::Lambda::Permission': {
    unprotected: [
      { under: 'WhoDidIt', why: 'lets the alarms invoke the digest; the SNS action does not depend on it', doc: ALARM_ACTIONS },
      { under: 'SelfAudit', why: `lets the schedule and AWS Config invoke the self-audit; without it ${SELF_AUDIT_STOPS}`, doc: MISSING_DATA },
    ],
  },
  'AWS::Events::Rule': {
    unprotected: [
      { under: 'SelfAudit', why: `the self-audit's schedule: deleted, disabled or its target removed, ${SELF_AUDIT_STOPS}`, doc: MISSING_DATA },
      { under: 'RealTime', why: 'the real-time notices (realTime) are sent beside the alarms, which notify on their own: a disabled rule loses the early notice, not the page', doc: EVENTBRIDGE_RULES },
    ],
  },
  'AWS::Config::ConfigRule': {
    unprotected: [{ under: 'SelfAudit', why: 'only receives the self-audit\'s evaluations for teams that report from AWS Config: deleting it removes a report, not a page or a control', doc: CONFIG_CUSTOM_RULES }],
  },
  'AWS::Logs::QueryDefinition': {
    unprotected: [{ under: '*', why: 'saved queries for the investigation; no notification depends on them, and logs:DeleteQueryDefinition has no resource-level permission (only "*")', doc: QUERY_DEFINITION }],
  },
  'Custom::CisTrailLookup': {
    unprotected: [{ under: '*', why: 'looks up the trail\'s log group at deploy time; deleting it changes nothing deployed', doc: CLOUDTRAIL }],
  },
};
