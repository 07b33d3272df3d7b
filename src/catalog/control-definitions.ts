/**
 * Facts about each built-in CIS monitoring control (everything except the pattern text,
 * which lives in `benchmark-patterns.ts`). Order is the benchmark's order, 4.1 to 4.15.
 */
export interface ControlDefinition {
  /** Stable key; also the name of the `CisControl` static instance. */
  readonly key: string;
  /** Construct ID of the control's scope inside `CisLogMonitoring`. Part of the API: never change. */
  readonly constructId: string;
  /** Position in section 4 of v1.3.0–v5.0.0 (4.N), section 3 of v1.2.0 (3.N), section 5 of v6.0.0+ (5.N). */
  readonly number: number;
  /** Title as printed in v3.0.0. */
  readonly title: string;
  /** One line: what the filter detects. */
  readonly detects: string;
  /** The benchmark's metric name placeholder (v1.2.0–v3.0.0 spelling). */
  readonly metricName: string;
  /** The benchmark's alarm name placeholder. */
  readonly alarmName: string;
  /** AWS Security Hub control id, if Security Hub evaluates this control. */
  readonly securityHubId?: string;
  /** false for Organizations changes, which v1.2.0 does not have. */
  readonly inV120: boolean;
}

export const CONTROL_DEFINITIONS: ControlDefinition[] = [
  {
    key: 'UNAUTHORIZED_API_CALLS',
    constructId: 'UnauthorizedApiCalls',
    number: 1,
    title: 'Ensure unauthorized API calls are monitored',
    detects: 'API calls rejected with *UnauthorizedOperation or AccessDenied*',
    metricName: 'unauthorized_api_calls_metric',
    alarmName: 'unauthorized_api_calls_alarm',
    securityHubId: 'CloudWatch.2',
    inV120: true,
  },
  {
    key: 'CONSOLE_SIGNIN_WITHOUT_MFA',
    constructId: 'ConsoleSigninWithoutMfa',
    number: 2,
    title: 'Ensure management console sign-in without MFA is monitored',
    detects: 'Console sign-ins where MFAUsed is not "Yes"',
    metricName: 'no_mfa_console_signin_metric',
    alarmName: 'no_mfa_console_signin_alarm',
    securityHubId: 'CloudWatch.3',
    inV120: true,
  },
  {
    key: 'ROOT_ACCOUNT_USAGE',
    constructId: 'RootAccountUsage',
    number: 3,
    title: "Ensure usage of 'root' account is monitored",
    detects: 'Any root user activity not invoked by an AWS service',
    metricName: 'root_usage_metric',
    alarmName: 'root_usage_alarm',
    securityHubId: 'CloudWatch.1',
    inV120: true,
  },
  {
    key: 'IAM_POLICY_CHANGES',
    constructId: 'IamPolicyChanges',
    number: 4,
    title: 'Ensure IAM policy changes are monitored',
    detects: 'Creation, change, attachment or deletion of IAM policies',
    metricName: 'iam_changes_metric',
    alarmName: 'iam_changes_alarm',
    securityHubId: 'CloudWatch.4',
    inV120: true,
  },
  {
    key: 'CLOUDTRAIL_CONFIG_CHANGES',
    constructId: 'CloudTrailConfigChanges',
    number: 5,
    title: 'Ensure CloudTrail configuration changes are monitored',
    detects: 'Trails created, updated, deleted, started or stopped',
    metricName: 'cloudtrail_cfg_changes_metric',
    alarmName: 'cloudtrail_cfg_changes_alarm',
    securityHubId: 'CloudWatch.5',
    inV120: true,
  },
  {
    key: 'CONSOLE_AUTH_FAILURES',
    constructId: 'ConsoleAuthFailures',
    number: 6,
    title: 'Ensure AWS Management Console authentication failures are monitored',
    detects: 'Console sign-ins that failed authentication',
    metricName: 'console_signin_failure_metric',
    alarmName: 'console_signin_failure_alarm',
    securityHubId: 'CloudWatch.6',
    inV120: true,
  },
  {
    key: 'CMK_DISABLE_OR_DELETION',
    constructId: 'CmkDisableOrDeletion',
    number: 7,
    title: 'Ensure disabling or scheduled deletion of customer created CMKs is monitored',
    detects: 'KMS keys disabled or scheduled for deletion',
    metricName: 'disable_or_delete_cmk_changes_metric',
    alarmName: 'disable_or_delete_cmk_changes_alarm',
    securityHubId: 'CloudWatch.7',
    inV120: true,
  },
  {
    key: 'S3_BUCKET_POLICY_CHANGES',
    constructId: 'S3BucketPolicyChanges',
    number: 8,
    title: 'Ensure S3 bucket policy changes are monitored',
    detects: 'Bucket ACL, policy, CORS, lifecycle or replication changed',
    metricName: 's3_bucket_policy_changes_metric',
    alarmName: 's3_bucket_policy_changes_alarm',
    securityHubId: 'CloudWatch.8',
    inV120: true,
  },
  {
    key: 'CONFIG_CHANGES',
    constructId: 'ConfigChanges',
    number: 9,
    title: 'Ensure AWS Config configuration changes are monitored',
    detects: 'Config recorder stopped or changed, delivery channel changed or deleted',
    metricName: 'aws_config_changes_metric',
    alarmName: 'aws_config_changes_alarm',
    securityHubId: 'CloudWatch.9',
    inV120: true,
  },
  {
    key: 'SECURITY_GROUP_CHANGES',
    constructId: 'SecurityGroupChanges',
    number: 10,
    title: 'Ensure security group changes are monitored',
    detects: 'Security groups created, deleted, or their rules changed',
    metricName: 'security_group_changes_metric',
    alarmName: 'security_group_changes_alarm',
    securityHubId: 'CloudWatch.10',
    inV120: true,
  },
  {
    key: 'NACL_CHANGES',
    constructId: 'NaclChanges',
    number: 11,
    title: 'Ensure Network Access Control Lists (NACL) changes are monitored',
    detects: 'Network ACLs or their entries and associations changed',
    metricName: 'nacl_changes_metric',
    alarmName: 'nacl_changes_alarm',
    securityHubId: 'CloudWatch.11',
    inV120: true,
  },
  {
    key: 'NETWORK_GATEWAY_CHANGES',
    constructId: 'NetworkGatewayChanges',
    number: 12,
    title: 'Ensure changes to network gateways are monitored',
    detects: 'Customer or internet gateways created, deleted, attached or detached',
    metricName: 'network_gw_changes_metric',
    alarmName: 'network_gw_changes_alarm',
    securityHubId: 'CloudWatch.12',
    inV120: true,
  },
  {
    key: 'ROUTE_TABLE_CHANGES',
    constructId: 'RouteTableChanges',
    number: 13,
    title: 'Ensure route table changes are monitored',
    detects: 'Routes or route tables created, replaced, deleted or disassociated',
    metricName: 'route_table_changes_metric',
    alarmName: 'route_table_changes_alarm',
    securityHubId: 'CloudWatch.13',
    inV120: true,
  },
  {
    key: 'VPC_CHANGES',
    constructId: 'VpcChanges',
    number: 14,
    title: 'Ensure VPC changes are monitored',
    detects: 'VPCs created, deleted or modified; peering and ClassicLink changes',
    metricName: 'vpc_changes_metric',
    alarmName: 'vpc_changes_alarm',
    securityHubId: 'CloudWatch.14',
    inV120: true,
  },
  {
    key: 'ORGANIZATIONS_CHANGES',
    constructId: 'OrganizationsChanges',
    number: 15,
    title: 'Ensure AWS Organizations changes are monitored',
    detects: 'Organization, account, OU, policy and handshake changes',
    metricName: 'organizations_changes',
    alarmName: 'organizations_changes',
    inV120: false,
  },
];
