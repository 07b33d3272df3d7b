/**
 * prowler's CIS monitoring regexes, copied from prowler 5.40.0 (current: >= 5.30.0, order-independent) and 5.0.0-5.29
 * (legacy: clauses in a fixed order). Source: prowler-cloud/prowler prowler/providers/aws/services/cloudwatch/cloudwatch_*.py,
 * as recorded in our verification notes. prowler applies them with re.search(..., re.DOTALL).
 */
export const PROWLER_CHECKS: { key: string; check: string; current: string; legacy: string }[] = [
  {
    key: 'UNAUTHORIZED_API_CALLS',
    check: 'cloudwatch_log_metric_filter_unauthorized_api_calls',
    current: String.raw`\$\.errorCode\s*=\s*.?\*UnauthorizedOperation.+\$\.errorCode\s*=\s*.?AccessDenied\*.?`,
    legacy: String.raw`\$\.errorCode\s*=\s*.?\*UnauthorizedOperation.+\$\.errorCode\s*=\s*.?AccessDenied\*.?`,
  },
  {
    key: 'CONSOLE_SIGNIN_WITHOUT_MFA',
    check: 'cloudwatch_log_metric_filter_sign_in_without_mfa',
    current: String.raw`(?=.*\$\.eventName\s*=\s*.?ConsoleLogin\b)(?=.*\$\.additionalEventData\.MFAUsed\s*!=\s*.?Yes)`,
    legacy: String.raw`\$\.eventName\s*=\s*.?ConsoleLogin.+\$\.additionalEventData\.MFAUsed\s*!=\s*.?Yes.?`,
  },
  {
    key: 'ROOT_ACCOUNT_USAGE',
    check: 'cloudwatch_log_metric_filter_root_usage',
    current: String.raw`\$\.userIdentity\.type\s*=\s*.?Root.+\$\.userIdentity\.invokedBy NOT EXISTS.+\$\.eventType\s*!=\s*.?AwsServiceEvent.?`,
    legacy: String.raw`\$\.userIdentity\.type\s*=\s*.?Root.+\$\.userIdentity\.invokedBy NOT EXISTS.+\$\.eventType\s*!=\s*.?AwsServiceEvent.?`,
  },
  {
    key: 'IAM_POLICY_CHANGES',
    check: 'cloudwatch_log_metric_filter_policy_changes',
    current: String.raw`(?=.*\$\.eventName\s*=\s*.?DeleteGroupPolicy\b)(?=.*\$\.eventName\s*=\s*.?DeleteRolePolicy\b)(?=.*\$\.eventName\s*=\s*.?DeleteUserPolicy\b)(?=.*\$\.eventName\s*=\s*.?PutGroupPolicy\b)(?=.*\$\.eventName\s*=\s*.?PutRolePolicy\b)(?=.*\$\.eventName\s*=\s*.?PutUserPolicy\b)(?=.*\$\.eventName\s*=\s*.?CreatePolicy\b)(?=.*\$\.eventName\s*=\s*.?DeletePolicy\b)(?=.*\$\.eventName\s*=\s*.?CreatePolicyVersion\b)(?=.*\$\.eventName\s*=\s*.?DeletePolicyVersion\b)(?=.*\$\.eventName\s*=\s*.?AttachRolePolicy\b)(?=.*\$\.eventName\s*=\s*.?DetachRolePolicy\b)(?=.*\$\.eventName\s*=\s*.?AttachUserPolicy\b)(?=.*\$\.eventName\s*=\s*.?DetachUserPolicy\b)(?=.*\$\.eventName\s*=\s*.?AttachGroupPolicy\b)(?=.*\$\.eventName\s*=\s*.?DetachGroupPolicy\b)`,
    legacy: String.raw`\$\.eventName\s*=\s*.?DeleteGroupPolicy.+\$\.eventName\s*=\s*.?DeleteRolePolicy.+\$\.eventName\s*=\s*.?DeleteUserPolicy.+\$\.eventName\s*=\s*.?PutGroupPolicy.+\$\.eventName\s*=\s*.?PutRolePolicy.+\$\.eventName\s*=\s*.?PutUserPolicy.+\$\.eventName\s*=\s*.?CreatePolicy.+\$\.eventName\s*=\s*.?DeletePolicy.+\$\.eventName\s*=\s*.?CreatePolicyVersion.+\$\.eventName\s*=\s*.?DeletePolicyVersion.+\$\.eventName\s*=\s*.?AttachRolePolicy.+\$\.eventName\s*=\s*.?DetachRolePolicy.+\$\.eventName\s*=\s*.?AttachUserPolicy.+\$\.eventName\s*=\s*.?DetachUserPolicy.+\$\.eventName\s*=\s*.?AttachGroupPolicy.+\$\.eventName\s*=\s*.?DetachGroupPolicy.?`,
  },
  {
    key: 'CLOUDTRAIL_CONFIG_CHANGES',
    check: 'cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled',
    current: String.raw`(?=.*\$\.eventName\s*=\s*.?CreateTrail\b)(?=.*\$\.eventName\s*=\s*.?UpdateTrail\b)(?=.*\$\.eventName\s*=\s*.?DeleteTrail\b)(?=.*\$\.eventName\s*=\s*.?StartLogging\b)(?=.*\$\.eventName\s*=\s*.?StopLogging\b)`,
    legacy: String.raw`\$\.eventName\s*=\s*.?CreateTrail.+\$\.eventName\s*=\s*.?UpdateTrail.+\$\.eventName\s*=\s*.?DeleteTrail.+\$\.eventName\s*=\s*.?StartLogging.+\$\.eventName\s*=\s*.?StopLogging.?`,
  },
  {
    key: 'CONSOLE_AUTH_FAILURES',
    check: 'cloudwatch_log_metric_filter_authentication_failures',
    current: String.raw`(?=.*\$\.eventName\s*=\s*.?ConsoleLogin\b)(?=.*\$\.errorMessage\s*=\s*.?Failed\ authentication)`,
    legacy: String.raw`\$\.eventName\s*=\s*.?ConsoleLogin.+\$\.errorMessage\s*=\s*.?Failed authentication.?`,
  },
  {
    key: 'CMK_DISABLE_OR_DELETION',
    check: 'cloudwatch_log_metric_filter_disable_or_scheduled_deletion_of_kms_cmk',
    current: String.raw`(?=.*\$\.eventSource\s*=\s*.?kms\.amazonaws\.com)(?=.*\$\.eventName\s*=\s*.?DisableKey\b)(?=.*\$\.eventName\s*=\s*.?ScheduleKeyDeletion\b)`,
    legacy: String.raw`\$\.eventSource\s*=\s*.?kms.amazonaws.com.+\$\.eventName\s*=\s*.?DisableKey.+\$\.eventName\s*=\s*.?ScheduleKeyDeletion.?`,
  },
  {
    key: 'S3_BUCKET_POLICY_CHANGES',
    check: 'cloudwatch_log_metric_filter_for_s3_bucket_policy_changes',
    current: String.raw`(?=.*\$\.eventSource\s*=\s*.?s3\.amazonaws\.com)(?=.*\$\.eventName\s*=\s*.?PutBucketAcl\b)(?=.*\$\.eventName\s*=\s*.?PutBucketPolicy\b)(?=.*\$\.eventName\s*=\s*.?PutBucketCors\b)(?=.*\$\.eventName\s*=\s*.?PutBucketLifecycle\b)(?=.*\$\.eventName\s*=\s*.?PutBucketReplication\b)(?=.*\$\.eventName\s*=\s*.?DeleteBucketPolicy\b)(?=.*\$\.eventName\s*=\s*.?DeleteBucketCors\b)(?=.*\$\.eventName\s*=\s*.?DeleteBucketLifecycle\b)(?=.*\$\.eventName\s*=\s*.?DeleteBucketReplication\b)`,
    legacy: String.raw`\$\.eventSource\s*=\s*.?s3.amazonaws.com.+\$\.eventName\s*=\s*.?PutBucketAcl.+\$\.eventName\s*=\s*.?PutBucketPolicy.+\$\.eventName\s*=\s*.?PutBucketCors.+\$\.eventName\s*=\s*.?PutBucketLifecycle.+\$\.eventName\s*=\s*.?PutBucketReplication.+\$\.eventName\s*=\s*.?DeleteBucketPolicy.+\$\.eventName\s*=\s*.?DeleteBucketCors.+\$\.eventName\s*=\s*.?DeleteBucketLifecycle.+\$\.eventName\s*=\s*.?DeleteBucketReplication.?`,
  },
  {
    key: 'CONFIG_CHANGES',
    check: 'cloudwatch_log_metric_filter_and_alarm_for_aws_config_configuration_changes_enabled',
    current: String.raw`(?=.*\$\.eventSource\s*=\s*.?config\.amazonaws\.com)(?=.*\$\.eventName\s*=\s*.?StopConfigurationRecorder\b)(?=.*\$\.eventName\s*=\s*.?DeleteDeliveryChannel\b)(?=.*\$\.eventName\s*=\s*.?PutDeliveryChannel\b)(?=.*\$\.eventName\s*=\s*.?PutConfigurationRecorder\b)`,
    legacy: String.raw`\$\.eventSource\s*=\s*.?config.amazonaws.com.+\$\.eventName\s*=\s*.?StopConfigurationRecorder.+\$\.eventName\s*=\s*.?DeleteDeliveryChannel.+\$\.eventName\s*=\s*.?PutDeliveryChannel.+\$\.eventName\s*=\s*.?PutConfigurationRecorder.?`,
  },
  {
    key: 'SECURITY_GROUP_CHANGES',
    check: 'cloudwatch_log_metric_filter_security_group_changes',
    current: String.raw`(?=.*\$\.eventName\s*=\s*.?AuthorizeSecurityGroupIngress\b)(?=.*\$\.eventName\s*=\s*.?AuthorizeSecurityGroupEgress\b)(?=.*\$\.eventName\s*=\s*.?RevokeSecurityGroupIngress\b)(?=.*\$\.eventName\s*=\s*.?RevokeSecurityGroupEgress\b)(?=.*\$\.eventName\s*=\s*.?CreateSecurityGroup\b)(?=.*\$\.eventName\s*=\s*.?DeleteSecurityGroup\b)`,
    legacy: String.raw`\$\.eventName\s*=\s*.?AuthorizeSecurityGroupIngress.+\$\.eventName\s*=\s*.?AuthorizeSecurityGroupEgress.+\$\.eventName\s*=\s*.?RevokeSecurityGroupIngress.+\$\.eventName\s*=\s*.?RevokeSecurityGroupEgress.+\$\.eventName\s*=\s*.?CreateSecurityGroup.+\$\.eventName\s*=\s*.?DeleteSecurityGroup.?`,
  },
  {
    key: 'NACL_CHANGES',
    check: 'cloudwatch_changes_to_network_acls_alarm_configured',
    current: String.raw`(?=.*\$\.eventName\s*=\s*.?CreateNetworkAcl\b)(?=.*\$\.eventName\s*=\s*.?CreateNetworkAclEntry\b)(?=.*\$\.eventName\s*=\s*.?DeleteNetworkAcl\b)(?=.*\$\.eventName\s*=\s*.?DeleteNetworkAclEntry\b)(?=.*\$\.eventName\s*=\s*.?ReplaceNetworkAclEntry\b)(?=.*\$\.eventName\s*=\s*.?ReplaceNetworkAclAssociation\b)`,
    legacy: String.raw`\$\.eventName\s*=\s*.?CreateNetworkAcl.+\$\.eventName\s*=\s*.?CreateNetworkAclEntry.+\$\.eventName\s*=\s*.?DeleteNetworkAcl.+\$\.eventName\s*=\s*.?DeleteNetworkAclEntry.+\$\.eventName\s*=\s*.?ReplaceNetworkAclEntry.+\$\.eventName\s*=\s*.?ReplaceNetworkAclAssociation.?`,
  },
  {
    key: 'NETWORK_GATEWAY_CHANGES',
    check: 'cloudwatch_changes_to_network_gateways_alarm_configured',
    current: String.raw`(?=.*\$\.eventName\s*=\s*.?CreateCustomerGateway\b)(?=.*\$\.eventName\s*=\s*.?DeleteCustomerGateway\b)(?=.*\$\.eventName\s*=\s*.?AttachInternetGateway\b)(?=.*\$\.eventName\s*=\s*.?CreateInternetGateway\b)(?=.*\$\.eventName\s*=\s*.?DeleteInternetGateway\b)(?=.*\$\.eventName\s*=\s*.?DetachInternetGateway\b)`,
    legacy: String.raw`\$\.eventName\s*=\s*.?CreateCustomerGateway.+\$\.eventName\s*=\s*.?DeleteCustomerGateway.+\$\.eventName\s*=\s*.?AttachInternetGateway.+\$\.eventName\s*=\s*.?CreateInternetGateway.+\$\.eventName\s*=\s*.?DeleteInternetGateway.+\$\.eventName\s*=\s*.?DetachInternetGateway.?`,
  },
  {
    key: 'ROUTE_TABLE_CHANGES',
    check: 'cloudwatch_changes_to_network_route_tables_alarm_configured',
    current: String.raw`(?=.*\$\.eventSource\s*=\s*.?ec2\.amazonaws\.com)(?=.*\$\.eventName\s*=\s*.?CreateRoute\b)(?=.*\$\.eventName\s*=\s*.?CreateRouteTable\b)(?=.*\$\.eventName\s*=\s*.?ReplaceRoute\b)(?=.*\$\.eventName\s*=\s*.?ReplaceRouteTableAssociation\b)(?=.*\$\.eventName\s*=\s*.?DeleteRouteTable\b)(?=.*\$\.eventName\s*=\s*.?DeleteRoute\b)(?=.*\$\.eventName\s*=\s*.?DisassociateRouteTable\b)`,
    legacy: String.raw`\$\.eventSource\s*=\s*.?ec2.amazonaws.com.+\$\.eventName\s*=\s*.?CreateRoute.+\$\.eventName\s*=\s*.?CreateRouteTable.+\$\.eventName\s*=\s*.?ReplaceRoute.+\$\.eventName\s*=\s*.?ReplaceRouteTableAssociation.+\$\.eventName\s*=\s*.?DeleteRouteTable.+\$\.eventName\s*=\s*.?DeleteRoute.+\$\.eventName\s*=\s*.?DisassociateRouteTable.?`,
  },
  {
    key: 'VPC_CHANGES',
    check: 'cloudwatch_changes_to_vpcs_alarm_configured',
    current: String.raw`(?=.*\$\.eventName\s*=\s*.?CreateVpc\b)(?=.*\$\.eventName\s*=\s*.?DeleteVpc\b)(?=.*\$\.eventName\s*=\s*.?ModifyVpcAttribute\b)(?=.*\$\.eventName\s*=\s*.?AcceptVpcPeeringConnection\b)(?=.*\$\.eventName\s*=\s*.?CreateVpcPeeringConnection\b)(?=.*\$\.eventName\s*=\s*.?DeleteVpcPeeringConnection\b)(?=.*\$\.eventName\s*=\s*.?RejectVpcPeeringConnection\b)(?=.*\$\.eventName\s*=\s*.?AttachClassicLinkVpc\b)(?=.*\$\.eventName\s*=\s*.?DetachClassicLinkVpc\b)(?=.*\$\.eventName\s*=\s*.?DisableVpcClassicLink\b)(?=.*\$\.eventName\s*=\s*.?EnableVpcClassicLink\b)`,
    legacy: String.raw`\$\.eventName\s*=\s*.?CreateVpc.+\$\.eventName\s*=\s*.?DeleteVpc.+\$\.eventName\s*=\s*.?ModifyVpcAttribute.+\$\.eventName\s*=\s*.?AcceptVpcPeeringConnection.+\$\.eventName\s*=\s*.?CreateVpcPeeringConnection.+\$\.eventName\s*=\s*.?DeleteVpcPeeringConnection.+\$\.eventName\s*=\s*.?RejectVpcPeeringConnection.+\$\.eventName\s*=\s*.?AttachClassicLinkVpc.+\$\.eventName\s*=\s*.?DetachClassicLinkVpc.+\$\.eventName\s*=\s*.?DisableVpcClassicLink.+\$\.eventName\s*=\s*.?EnableVpcClassicLink.?`,
  },
  {
    key: 'ORGANIZATIONS_CHANGES',
    check: 'cloudwatch_log_metric_filter_aws_organizations_changes',
    current: String.raw`(?=.*\$\.eventSource\s*=\s*.?organizations\.amazonaws\.com)(?=.*\$\.eventName\s*=\s*.?AcceptHandshake\b)(?=.*\$\.eventName\s*=\s*.?AttachPolicy\b)(?=.*\$\.eventName\s*=\s*.?CancelHandshake\b)(?=.*\$\.eventName\s*=\s*.?CreateAccount\b)(?=.*\$\.eventName\s*=\s*.?CreateOrganization\b)(?=.*\$\.eventName\s*=\s*.?CreateOrganizationalUnit\b)(?=.*\$\.eventName\s*=\s*.?CreatePolicy\b)(?=.*\$\.eventName\s*=\s*.?DeclineHandshake\b)(?=.*\$\.eventName\s*=\s*.?DeleteOrganization\b)(?=.*\$\.eventName\s*=\s*.?DeleteOrganizationalUnit\b)(?=.*\$\.eventName\s*=\s*.?DeletePolicy\b)(?=.*\$\.eventName\s*=\s*.?EnableAllFeatures\b)(?=.*\$\.eventName\s*=\s*.?EnablePolicyType\b)(?=.*\$\.eventName\s*=\s*.?InviteAccountToOrganization\b)(?=.*\$\.eventName\s*=\s*.?LeaveOrganization\b)(?=.*\$\.eventName\s*=\s*.?DetachPolicy\b)(?=.*\$\.eventName\s*=\s*.?DisablePolicyType\b)(?=.*\$\.eventName\s*=\s*.?MoveAccount\b)(?=.*\$\.eventName\s*=\s*.?RemoveAccountFromOrganization\b)(?=.*\$\.eventName\s*=\s*.?UpdateOrganizationalUnit\b)(?=.*\$\.eventName\s*=\s*.?UpdatePolicy\b)`,
    legacy: String.raw`\$\.eventSource\s*=\s*.?organizations\.amazonaws\.com.+\$\.eventName\s*=\s*.?AcceptHandshake.+\$\.eventName\s*=\s*.?AttachPolicy.+\$\.eventName\s*=\s*.?CancelHandshake.+\$\.eventName\s*=\s*.?CreateAccount.+\$\.eventName\s*=\s*.?CreateOrganization.+\$\.eventName\s*=\s*.?CreateOrganizationalUnit.+\$\.eventName\s*=\s*.?CreatePolicy.+\$\.eventName\s*=\s*.?DeclineHandshake.+\$\.eventName\s*=\s*.?DeleteOrganization.+\$\.eventName\s*=\s*.?DeleteOrganizationalUnit.+\$\.eventName\s*=\s*.?DeletePolicy.+\$\.eventName\s*=\s*.?EnableAllFeatures.+\$\.eventName\s*=\s*.?EnablePolicyType.+\$\.eventName\s*=\s*.?InviteAccountToOrganization.+\$\.eventName\s*=\s*.?LeaveOrganization.+\$\.eventName\s*=\s*.?DetachPolicy.+\$\.eventName\s*=\s*.?DisablePolicyType.+\$\.eventName\s*=\s*.?MoveAccount.+\$\.eventName\s*=\s*.?RemoveAccountFromOrganization.+\$\.eventName\s*=\s*.?UpdateOrganizationalUnit.+\$\.eventName\s*=\s*.?UpdatePolicy.?`,
  },
];
