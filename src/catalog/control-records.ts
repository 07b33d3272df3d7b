/**
 * The catalog: one record per built-in CIS monitoring control, holding every fact about it and its
 * pattern text in every edition, plus the editions themselves (one per `CisPatternSet`).
 *
 * This is the single source of truth. `CisControl`, `CisPatternSet`, the construct, docs/catalog.md
 * tables, the CLI and the audit all read it, through `CisControl`/`CisPatternSet` or the variant
 * iterator in `variants.ts`. Adding a benchmark edition means: one entry in `EDITIONS`, its key in
 * `Edition`, and a text entry in each control whose text changed in that edition (plus the one-line
 * `CisPatternSet` static member that jsii needs).
 *
 * Strings are copied character for character from the benchmark's remediation text. Where the
 * printed text is malformed or logically broken, the entry carries the corrected string and a
 * `correction` note; docs/catalog.md lists every correction.
 *
 * Internal: not exported from the package's entry point.
 */

/** Keys of the built-in controls; also the names of the `CisControl` static instances. */
export type ControlKey =
  | 'UNAUTHORIZED_API_CALLS'
  | 'CONSOLE_SIGNIN_WITHOUT_MFA'
  | 'ROOT_ACCOUNT_USAGE'
  | 'IAM_POLICY_CHANGES'
  | 'CLOUDTRAIL_CONFIG_CHANGES'
  | 'CONSOLE_AUTH_FAILURES'
  | 'CMK_DISABLE_OR_DELETION'
  | 'S3_BUCKET_POLICY_CHANGES'
  | 'CONFIG_CHANGES'
  | 'SECURITY_GROUP_CHANGES'
  | 'NACL_CHANGES'
  | 'NETWORK_GATEWAY_CHANGES'
  | 'ROUTE_TABLE_CHANGES'
  | 'VPC_CHANGES'
  | 'ORGANIZATIONS_CHANGES';

/** One column of the catalog, i.e. one `CisPatternSet`. */
export type Edition = 'recommended' | 'v1_2_0' | 'v1_4_0' | 'v3_0_0' | 'v5_0_0' | 'v6_0_0' | 'v7_0_0' | 'securityHub';

/** What an edition is. */
export interface EditionRecord {
  /** Name of the `CisPatternSet` static member. */
  readonly setName: string;
  /**
   * `benchmark`: a text the CIS benchmark printed; a control's entry holds from that edition until
   * the next entry (editions are listed oldest first). `securityHub` and `recommended`: a text of its own,
   * given for every control the set has.
   */
  readonly kind: 'benchmark' | 'securityHub' | 'recommended';
  /** The benchmark version whose numbering the set's ids follow. */
  readonly benchmarkVersion: string;
  /** The monitoring section of that version (ids are `<section>.<number>`); absent: Security Hub ids. */
  readonly section?: number;
  /** One line for docs and CLI output. */
  readonly description: string;
}

/** Every edition, in `CisPatternSet.all()` order (default first); benchmark editions oldest first. */
export const EDITIONS: Readonly<Record<Edition, EditionRecord>> = {
  recommended: {
    setName: 'RECOMMENDED',
    kind: 'recommended',
    benchmarkVersion: '3.0.0',
    section: 4,
    description: 'Detects what CIS v3.0.0 intends with its defects fixed; accepted by current prowler and steampipe',
  },
  v1_2_0: { setName: 'CIS_V1_2_0', kind: 'benchmark', benchmarkVersion: '1.2.0', section: 3, description: 'CIS AWS Foundations Benchmark v1.2.0 text' },
  v1_4_0: {
    setName: 'CIS_V1_4_0',
    kind: 'benchmark',
    benchmarkVersion: '1.4.0',
    section: 4,
    description: 'CIS AWS Foundations Benchmark v1.4.0 text (4.1 corrected)',
  },
  v3_0_0: {
    setName: 'CIS_V3_0_0',
    kind: 'benchmark',
    benchmarkVersion: '3.0.0',
    section: 4,
    description: 'CIS AWS Foundations Benchmark v3.0.0 text (same as v2.0.0 and v4.0.0)',
  },
  v5_0_0: { setName: 'CIS_V5_0_0', kind: 'benchmark', benchmarkVersion: '5.0.0', section: 4, description: 'CIS AWS Foundations Benchmark v5.0.0 text' },
  // v6.0.0 moved Monitoring to section 5 (5.1-5.15; 5.16 "Ensure AWS Security Hub is enabled" is no filter control).
  // Filter text as recorded by prowler (prowler/compliance/aws/cis_6.0_aws.json, cis_7.0_aws.json): the v5.0.0 text
  // of every control, so no control has an entry of its own for these editions.
  v6_0_0: {
    setName: 'CIS_V6_0_0',
    kind: 'benchmark',
    benchmarkVersion: '6.0.0',
    section: 5,
    description: 'CIS AWS Foundations Benchmark v6.0.0 text (section 5; filter text as v5.0.0)',
  },
  v7_0_0: {
    setName: 'CIS_V7_0_0',
    kind: 'benchmark',
    benchmarkVersion: '7.0.0',
    section: 5,
    description: 'CIS AWS Foundations Benchmark v7.0.0 text (section 5; filter text as v5.0.0)',
  },
  securityHub: {
    setName: 'SECURITY_HUB',
    kind: 'securityHub',
    benchmarkVersion: 'CloudWatch',
    description: 'AWS Security Hub CloudWatch.1-14 remediation strings (exact match)',
  },
};

/** The edition whose numbering `CisControl.id` follows (`4.1` ... `4.15`). */
export const PRIMARY_EDITION: Edition = 'v3_0_0';

/** One pattern with an optional note explaining why it differs from the printed text. */
export interface PatternText {
  readonly text: string;
  /** Set when the string is not the benchmark's printed text: what was wrong and what changed. */
  readonly correction?: string;
}

/** Pattern text per edition. Benchmark editions: an entry holds until the next one. */
export type PatternTexts = Partial<Record<Edition, PatternText>>;

/** Everything about one built-in control. */
export interface ControlRecord {
  /** Construct ID of the control's scope inside `CisLogMonitoring`. Part of the API: never change. */
  readonly constructId: string;
  /** Position in the monitoring section: 3.N in v1.2.0, 4.N in v1.3.0–v5.0.0, 5.N from v6.0.0. */
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
  /** The plain pattern per edition. A benchmark edition before the first entry does not have the control. */
  readonly patterns: PatternTexts;
  /** The benchmark's SSO-aware variant (console sign-in without MFA only). */
  readonly ssoAware?: PatternTexts;
  /** Default severity (name of a `CisSeverity`); docs/severity-routes.md's table gives the reasons. */
  readonly severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
}

const same = (text: string): PatternText => ({ text });

const UNAUTHORIZED_V120 = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }';
const UNAUTHORIZED_V300 =
  '{ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }';

const MFA_PLAIN = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }';
const MFA_SSO =
  '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }';

const ROOT = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';

const IAM =
  '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}';

const CLOUDTRAIL =
  '{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }';

const AUTH_FAILURES = '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }';

const CMK = '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }';

const S3_POLICY =
  '{ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) }';

const CONFIG =
  '{ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel)||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) }';

const SECURITY_GROUP_V120 =
  '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }';
const SECURITY_GROUP_V500 =
  '{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }';

const NACL =
  '{ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) }';

const NETWORK_GATEWAY =
  '{ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) }';

const ROUTE_TABLE =
  '{ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) }';

const VPC =
  '{ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) }';

const ORGANIZATIONS =
  '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }';

/** One record per built-in control, in benchmark order. */
export const CONTROLS = {
  UNAUTHORIZED_API_CALLS: {
    constructId: 'UnauthorizedApiCalls',
    number: 1,
    title: 'Ensure unauthorized API calls are monitored',
    detects: 'API calls rejected with *UnauthorizedOperation or AccessDenied*',
    severity: 'MEDIUM',
    metricName: 'unauthorized_api_calls_metric',
    alarmName: 'unauthorized_api_calls_alarm',
    securityHubId: 'CloudWatch.2',
    patterns: {
      v1_2_0: same(UNAUTHORIZED_V120),
      v1_4_0: {
        text: '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
        correction:
          'v1.4.0 prints `A || B || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket")`, which matches nearly every event '
          + '(any event not from log delivery). Corrected to `(A || B) && C && D`, the intent that v2.0.0 restored with `&&`.',
      },
      v3_0_0: same(UNAUTHORIZED_V300),
      securityHub: same('{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}'),
      recommended: {
        text: '{ (($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*")) && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
        correction:
          'v3.0.0 text with explicit grouping `(A || B) && C && D`: without it `&&` binds tighter, so `*UnauthorizedOperation` errors from '
          + 'delivery.logs.amazonaws.com and on HeadBucket were not excluded.',
      },
    },
  },
  CONSOLE_SIGNIN_WITHOUT_MFA: {
    constructId: 'ConsoleSigninWithoutMfa',
    number: 2,
    title: 'Ensure management console sign-in without MFA is monitored',
    detects: 'Console sign-ins where MFAUsed is not "Yes"',
    severity: 'HIGH',
    metricName: 'no_mfa_console_signin_metric',
    alarmName: 'no_mfa_console_signin_alarm',
    securityHubId: 'CloudWatch.3',
    patterns: {
      v1_2_0: same(MFA_PLAIN),
      securityHub: same('{($.eventName="ConsoleLogin") && ($.additionalEventData.MFAUsed !="Yes")}'),
      recommended: same(MFA_PLAIN),
    },
    ssoAware: {
      v1_4_0: same(MFA_SSO),
      securityHub: same(
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
      ),
      recommended: same(MFA_SSO),
    },
  },
  ROOT_ACCOUNT_USAGE: {
    constructId: 'RootAccountUsage',
    number: 3,
    title: "Ensure usage of 'root' account is monitored",
    detects: 'Any root user activity not invoked by an AWS service',
    severity: 'CRITICAL',
    metricName: 'root_usage_metric',
    alarmName: 'root_usage_alarm',
    securityHubId: 'CloudWatch.1',
    patterns: {
      v1_2_0: same(ROOT),
      securityHub: same('{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}'),
      recommended: same(ROOT),
    },
  },
  IAM_POLICY_CHANGES: {
    constructId: 'IamPolicyChanges',
    number: 4,
    title: 'Ensure IAM policy changes are monitored',
    detects: 'Creation, change, attachment or deletion of IAM policies',
    severity: 'HIGH',
    metricName: 'iam_changes_metric',
    alarmName: 'iam_changes_alarm',
    securityHubId: 'CloudWatch.4',
    patterns: {
      v1_2_0: same(IAM),
      securityHub: same(
        '{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}',
      ),
      recommended: same(IAM),
    },
  },
  CLOUDTRAIL_CONFIG_CHANGES: {
    constructId: 'CloudTrailConfigChanges',
    number: 5,
    title: 'Ensure CloudTrail configuration changes are monitored',
    detects: 'Trails created, updated, deleted, started or stopped',
    severity: 'CRITICAL',
    metricName: 'cloudtrail_cfg_changes_metric',
    alarmName: 'cloudtrail_cfg_changes_alarm',
    securityHubId: 'CloudWatch.5',
    patterns: {
      v1_2_0: same(CLOUDTRAIL),
      securityHub: same(
        '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
      ),
      recommended: same(CLOUDTRAIL),
    },
  },
  CONSOLE_AUTH_FAILURES: {
    constructId: 'ConsoleAuthFailures',
    number: 6,
    title: 'Ensure AWS Management Console authentication failures are monitored',
    detects: 'Console sign-ins that failed authentication',
    severity: 'LOW',
    metricName: 'console_signin_failure_metric',
    alarmName: 'console_signin_failure_alarm',
    securityHubId: 'CloudWatch.6',
    patterns: {
      v1_2_0: same(AUTH_FAILURES),
      securityHub: same('{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}'),
      recommended: same(AUTH_FAILURES),
    },
  },
  CMK_DISABLE_OR_DELETION: {
    constructId: 'CmkDisableOrDeletion',
    number: 7,
    title: 'Ensure disabling or scheduled deletion of customer created CMKs is monitored',
    detects: 'KMS keys disabled or scheduled for deletion',
    severity: 'CRITICAL',
    metricName: 'disable_or_delete_cmk_changes_metric',
    alarmName: 'disable_or_delete_cmk_changes_alarm',
    securityHubId: 'CloudWatch.7',
    patterns: {
      v1_2_0: same(CMK),
      securityHub: same('{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}'),
      recommended: same(CMK),
    },
  },
  S3_BUCKET_POLICY_CHANGES: {
    constructId: 'S3BucketPolicyChanges',
    number: 8,
    title: 'Ensure S3 bucket policy changes are monitored',
    detects: 'Bucket ACL, policy, CORS, lifecycle or replication changed',
    severity: 'HIGH',
    metricName: 's3_bucket_policy_changes_metric',
    alarmName: 's3_bucket_policy_changes_alarm',
    securityHubId: 'CloudWatch.8',
    patterns: {
      v1_2_0: same(S3_POLICY),
      securityHub: same(
        '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
      ),
      recommended: same(S3_POLICY),
    },
  },
  CONFIG_CHANGES: {
    constructId: 'ConfigChanges',
    number: 9,
    title: 'Ensure AWS Config configuration changes are monitored',
    detects: 'Config recorder stopped or changed, delivery channel changed or deleted',
    severity: 'HIGH',
    metricName: 'aws_config_changes_metric',
    alarmName: 'aws_config_changes_alarm',
    securityHubId: 'CloudWatch.9',
    patterns: {
      v1_2_0: same(CONFIG),
      securityHub: same(
        '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
      ),
      recommended: same(CONFIG),
    },
  },
  SECURITY_GROUP_CHANGES: {
    constructId: 'SecurityGroupChanges',
    number: 10,
    title: 'Ensure security group changes are monitored',
    detects: 'Security groups created, deleted, or their rules changed',
    severity: 'MEDIUM',
    metricName: 'security_group_changes_metric',
    alarmName: 'security_group_changes_alarm',
    securityHubId: 'CloudWatch.10',
    patterns: {
      v1_2_0: same(SECURITY_GROUP_V120),
      v5_0_0: same(SECURITY_GROUP_V500),
      securityHub: same(
        '{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) || ($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || ($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}',
      ),
      recommended: {
        text: SECURITY_GROUP_V500,
        correction: 'Adds `ModifySecurityGroupRules` (as v5.0.0 does): since 2021 security group rules can be changed through that API alone.',
      },
    },
  },
  NACL_CHANGES: {
    constructId: 'NaclChanges',
    number: 11,
    title: 'Ensure Network Access Control Lists (NACL) changes are monitored',
    detects: 'Network ACLs or their entries and associations changed',
    severity: 'MEDIUM',
    metricName: 'nacl_changes_metric',
    alarmName: 'nacl_changes_alarm',
    securityHubId: 'CloudWatch.11',
    patterns: {
      v1_2_0: same(NACL),
      securityHub: same(
        '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}',
      ),
      recommended: same(NACL),
    },
  },
  NETWORK_GATEWAY_CHANGES: {
    constructId: 'NetworkGatewayChanges',
    number: 12,
    title: 'Ensure changes to network gateways are monitored',
    detects: 'Customer or internet gateways created, deleted, attached or detached',
    severity: 'MEDIUM',
    metricName: 'network_gw_changes_metric',
    alarmName: 'network_gw_changes_alarm',
    securityHubId: 'CloudWatch.12',
    patterns: {
      v1_2_0: same(NETWORK_GATEWAY),
      securityHub: same(
        '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}',
      ),
      recommended: same(NETWORK_GATEWAY),
    },
  },
  ROUTE_TABLE_CHANGES: {
    constructId: 'RouteTableChanges',
    number: 13,
    title: 'Ensure route table changes are monitored',
    detects: 'Routes or route tables created, replaced, deleted or disassociated',
    severity: 'MEDIUM',
    metricName: 'route_table_changes_metric',
    alarmName: 'route_table_changes_alarm',
    securityHubId: 'CloudWatch.13',
    patterns: {
      v1_2_0: same(ROUTE_TABLE),
      securityHub: same(
        '{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) || ($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || ($.eventName=DeleteRoute) || ($.eventName=DisassociateRouteTable)}',
      ),
      recommended: {
        text: '{ ($.eventSource = ec2.amazonaws.com) && (($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable)) }',
        correction:
          'Adds `$.eventSource = ec2.amazonaws.com`, which the v3.0.0+ audit text and prowler require but the remediation text lacks, '
          + 'and groups the event names so the source applies to all of them (the audit text leaves the `||` chain ungrouped).',
      },
    },
  },
  VPC_CHANGES: {
    constructId: 'VpcChanges',
    number: 14,
    title: 'Ensure VPC changes are monitored',
    detects: 'VPCs created, deleted or modified; peering and ClassicLink changes',
    severity: 'MEDIUM',
    metricName: 'vpc_changes_metric',
    alarmName: 'vpc_changes_alarm',
    securityHubId: 'CloudWatch.14',
    patterns: {
      v1_2_0: same(VPC),
      securityHub: same(
        '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}',
      ),
      recommended: same(VPC),
    },
  },
  ORGANIZATIONS_CHANGES: {
    constructId: 'OrganizationsChanges',
    number: 15,
    title: 'Ensure AWS Organizations changes are monitored',
    detects: 'Organization, account, OU, policy and handshake changes',
    severity: 'HIGH',
    metricName: 'organizations_changes',
    alarmName: 'organizations_changes',
    patterns: {
      v1_4_0: same(ORGANIZATIONS),
      securityHub: same(ORGANIZATIONS),
      recommended: {
        text: '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CancelHandshake") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganization") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnableAllFeatures") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }',
        correction:
          'Adds `CancelHandshake`, `CreateOrganization` and `EnableAllFeatures` (prowler requires all 21 Organizations events), '
          + 'inserted without reordering the benchmark\'s 18.',
      },
    },
  },
} satisfies Record<ControlKey, ControlRecord>;

/** The keys of every built-in control, in benchmark order. */
export const CONTROL_KEYS = (Object.keys(CONTROLS) as ControlKey[]).sort((a, b) => CONTROLS[a].number - CONTROLS[b].number);

/** Every edition key, in `CisPatternSet.all()` order. */
export const EDITION_KEYS = Object.keys(EDITIONS) as Edition[];

const BENCHMARK_EDITIONS = EDITION_KEYS.filter((edition) => EDITIONS[edition].kind === 'benchmark');

/**
 * The text of a control in an edition: for a benchmark edition the latest entry at or before it,
 * otherwise the edition's own entry; undefined when the edition does not have the control (or, with
 * `ssoAware`, has no SSO-aware variant of it).
 */
export function patternOf(key: ControlKey, edition: Edition, ssoAware: boolean): PatternText | undefined {
  const record: ControlRecord = CONTROLS[key];
  const texts = ssoAware ? record.ssoAware : record.patterns;
  if (!texts) return undefined;
  const position = BENCHMARK_EDITIONS.indexOf(edition);
  if (position < 0) return texts[edition];
  for (let i = position; i >= 0; i--) {
    const found = texts[BENCHMARK_EDITIONS[i]];
    if (found) return found;
  }
  return undefined;
}

/** The control's id in an edition's numbering (`4.1`, `3.1`, `CloudWatch.2`); undefined when the edition lacks the control. */
export function idOf(key: ControlKey, edition: Edition): string | undefined {
  if (!patternOf(key, edition, false)) return undefined;
  const record: ControlRecord = CONTROLS[key];
  const section = EDITIONS[edition].section;
  return section === undefined ? record.securityHubId : `${section}.${record.number}`;
}

/** Benchmark ids per benchmark version, e.g. `{ '1.2.0': '3.1', '1.4.0': '4.1', ... }`. */
export function benchmarkIdsOf(key: ControlKey): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const edition of BENCHMARK_EDITIONS) {
    const id = idOf(key, edition);
    if (id) ids[EDITIONS[edition].benchmarkVersion] = id;
  }
  return ids;
}
