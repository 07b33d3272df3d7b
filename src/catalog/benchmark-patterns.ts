/**
 * The filter-pattern text of every CIS monitoring control, per source.
 *
 * This is the single source of truth for pattern strings: the construct, the docs table,
 * the tests and the CLI all read it through `CisControl.patternFor()`.
 *
 * Strings are copied character for character from the benchmark's remediation text
 * (see `/docs/catalog.md` for sources). Where the printed text is malformed or logically
 * broken, the entry carries the corrected string and a `correction` note; the README lists
 * every correction.
 */

/** Which column of the catalog a pattern comes from. */
export type PatternEdition = 'v1_2_0' | 'v1_4_0' | 'v3_0_0' | 'v5_0_0' | 'securityHub' | 'recommended';

/** One pattern with an optional note explaining why it differs from the printed text. */
export interface PatternText {
  readonly text: string;
  /** Set when the string is not the benchmark's printed text: what was wrong and what changed. */
  readonly correction?: string;
}

/** Per control: the plain pattern per edition, and (for the MFA control) the SSO-aware variant. */
export interface ControlPatterns {
  readonly patterns: Partial<Record<PatternEdition, PatternText>>;
  /** The SSO-aware variant (console sign-in without MFA only). */
  readonly ssoAware?: Partial<Record<PatternEdition, PatternText>>;
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

/** Same text in v1.2.0 (where the control exists), v1.4.0, v3.0.0 and v5.0.0. */
const unchanged = (text: string, inV120 = true): Partial<Record<PatternEdition, PatternText>> => ({
  ...(inV120 ? { v1_2_0: same(text) } : {}),
  v1_4_0: same(text),
  v3_0_0: same(text),
  v5_0_0: same(text),
});

/**
 * Pattern text per control key. Keys are `CisControl.key` values.
 *
 * Security Hub strings: the remediation text of CloudWatch.1–14 in the AWS Security Hub
 * user guide (Security Hub compares exactly). 4.15 has no Security Hub control; that set
 * uses the v3.0.0 text.
 */
export const BENCHMARK_PATTERNS: Record<string, ControlPatterns> = {
  UNAUTHORIZED_API_CALLS: {
    patterns: {
      v1_2_0: same(UNAUTHORIZED_V120),
      v1_4_0: {
        text: '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") }',
        correction:
          'v1.4.0 prints `A || B || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket")`, which matches nearly every event '
          + '(any event not from log delivery). Corrected to `(A || B) && C && D`, the intent that v2.0.0 restored with `&&`.',
      },
      v3_0_0: same(UNAUTHORIZED_V300),
      v5_0_0: same(UNAUTHORIZED_V300),
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
    patterns: {
      ...unchanged(MFA_PLAIN),
      securityHub: same('{($.eventName="ConsoleLogin") && ($.additionalEventData.MFAUsed !="Yes")}'),
      recommended: same(MFA_PLAIN),
    },
    ssoAware: {
      v1_4_0: same(MFA_SSO),
      v3_0_0: same(MFA_SSO),
      v5_0_0: same(MFA_SSO),
      securityHub: same(
        '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
      ),
      recommended: same(MFA_SSO),
    },
  },
  ROOT_ACCOUNT_USAGE: {
    patterns: {
      ...unchanged(ROOT),
      securityHub: same('{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}'),
      recommended: same(ROOT),
    },
  },
  IAM_POLICY_CHANGES: {
    patterns: {
      ...unchanged(IAM),
      securityHub: same(
        '{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || ($.eventName=DeleteUserPolicy) || ($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) || ($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || ($.eventName=CreatePolicyVersion) || ($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || ($.eventName=DetachRolePolicy) || ($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || ($.eventName=AttachGroupPolicy) || ($.eventName=DetachGroupPolicy)}',
      ),
      recommended: same(IAM),
    },
  },
  CLOUDTRAIL_CONFIG_CHANGES: {
    patterns: {
      ...unchanged(CLOUDTRAIL),
      securityHub: same(
        '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
      ),
      recommended: same(CLOUDTRAIL),
    },
  },
  CONSOLE_AUTH_FAILURES: {
    patterns: {
      ...unchanged(AUTH_FAILURES),
      securityHub: same('{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}'),
      recommended: same(AUTH_FAILURES),
    },
  },
  CMK_DISABLE_OR_DELETION: {
    patterns: {
      ...unchanged(CMK),
      securityHub: same('{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}'),
      recommended: same(CMK),
    },
  },
  S3_BUCKET_POLICY_CHANGES: {
    patterns: {
      ...unchanged(S3_POLICY),
      securityHub: same(
        '{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || ($.eventName=PutBucketPolicy) || ($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || ($.eventName=PutBucketReplication) || ($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || ($.eventName=DeleteBucketLifecycle) || ($.eventName=DeleteBucketReplication))}',
      ),
      recommended: same(S3_POLICY),
    },
  },
  CONFIG_CHANGES: {
    patterns: {
      ...unchanged(CONFIG),
      securityHub: same(
        '{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || ($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || ($.eventName=PutConfigurationRecorder))}',
      ),
      recommended: same(CONFIG),
    },
  },
  SECURITY_GROUP_CHANGES: {
    patterns: {
      v1_2_0: same(SECURITY_GROUP_V120),
      v1_4_0: same(SECURITY_GROUP_V120),
      v3_0_0: same(SECURITY_GROUP_V120),
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
    patterns: {
      ...unchanged(NACL),
      securityHub: same(
        '{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || ($.eventName=DeleteNetworkAcl) || ($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || ($.eventName=ReplaceNetworkAclAssociation)}',
      ),
      recommended: same(NACL),
    },
  },
  NETWORK_GATEWAY_CHANGES: {
    patterns: {
      ...unchanged(NETWORK_GATEWAY),
      securityHub: same(
        '{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || ($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || ($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}',
      ),
      recommended: same(NETWORK_GATEWAY),
    },
  },
  ROUTE_TABLE_CHANGES: {
    patterns: {
      ...unchanged(ROUTE_TABLE),
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
    patterns: {
      ...unchanged(VPC),
      securityHub: same(
        '{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || ($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || ($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || ($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || ($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}',
      ),
      recommended: same(VPC),
    },
  },
  ORGANIZATIONS_CHANGES: {
    patterns: {
      ...unchanged(ORGANIZATIONS, false),
      securityHub: same(ORGANIZATIONS),
      recommended: {
        text: '{ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CancelHandshake") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganization") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnableAllFeatures") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) }',
        correction:
          'Adds `CancelHandshake`, `CreateOrganization` and `EnableAllFeatures` (prowler requires all 21 Organizations events), '
          + 'inserted without reordering the benchmark\'s 18.',
      },
    },
  },
};
