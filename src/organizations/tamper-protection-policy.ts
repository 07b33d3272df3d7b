import { Stack, Token, aws_organizations as organizations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisControl } from '../catalog';

/** Properties of `CisTamperProtectionPolicy`. */
export interface CisTamperProtectionPolicyProps {
  /**
   * IAM principals that may still change the monitoring: your break-glass roles and the role that
   * deploys it (for a StackSet, `arn:aws:iam::*:role/stacksets-exec-*`; for CDK, the
   * `cdk-*-cfn-exec-role-*` roles). ARNs, with `*` and `?` wildcards (matched with `ArnNotLike`
   * against `aws:PrincipalArn`). At least one.
   */
  readonly breakGlassPrincipalArns: string[];

  /**
   * Names of the trails' CloudWatch Logs log groups whose metric filters are protected, with `*`
   * and `?` wildcards, e.g. `aws-controltower/CloudTrailLogs`. At least one.
   */
  readonly trailLogGroupNames: string[];

  /**
   * Names of the SNS topics the alarms notify, with wildcards. The topic `CisLogMonitoring`
   * creates gets a name CloudFormation generates, `<stack name>-<construct id>Topic<hash>-<suffix>`;
   * a pattern like `*-CisTopic*` matches it. At least one.
   */
  readonly topicNames: string[];

  /**
   * Names of the trails that may not be stopped, deleted, updated or narrowed, with wildcards.
   *
   * @default ['*'] - every trail
   */
  readonly trailNames?: string[];

  /**
   * Alarm names (with wildcards) that may not be deleted, changed or have their actions disabled.
   *
   * @default - every built-in control's alarm name after any prefix (`*root_usage_alarm`, ...)
   */
  readonly alarmNames?: string[];

  /**
   * ARNs of the KMS keys that encrypt the topics (with wildcards). Disabling such a key, scheduling
   * its deletion or replacing its key policy silently drops every notification.
   *
   * @default - keys are not protected
   */
  readonly topicKeyArns?: string[];

  /**
   * Roots, organizational units or accounts the policy is attached to.
   *
   * @default - the policy is created but not attached
   */
  readonly targetIds?: string[];

  /**
   * The policy's name in AWS Organizations.
   *
   * @default 'cis-log-monitoring-tamper-protection'
   */
  readonly policyName?: string;
}

/** The size limit of a service control policy document, in characters (AWS Organizations quota). */
const MAX_SCP_CHARACTERS = 5120;

/**
 * An AWS Organizations service control policy that keeps the CIS monitoring from being switched
 * off silently in member accounts: except for the break-glass principals, nobody may delete or
 * change the metric filters on the trail log groups (or delete those log groups), delete, change or
 * disable the alarms, delete the topics, their subscriptions or permissions, or stop, delete,
 * update or narrow the trails (and, when given, disable or delete the topics' keys).
 *
 * Deploy it in the organization's management account (or a delegated administrator for policies).
 * SCPs do not restrict the management account itself or service-linked roles.
 */
export class CisTamperProtectionPolicy extends Construct {
  /** The size limit of a service control policy document, in characters. */
  public static readonly MAX_CHARACTERS = MAX_SCP_CHARACTERS;

  /** The `AWS::Organizations::Policy` resource. */
  public readonly policy: organizations.CfnPolicy;

  /** The policy document as compact JSON, the text whose length counts against the SCP size limit. */
  public readonly policyDocument: string;

  constructor(scope: Construct, id: string, props: CisTamperProtectionPolicyProps) {
    super(scope, id);
    requireList(this, 'breakGlassPrincipalArns', props.breakGlassPrincipalArns);
    requireList(this, 'trailLogGroupNames', props.trailLogGroupNames);
    requireList(this, 'topicNames', props.topicNames);
    for (const principal of props.breakGlassPrincipalArns) {
      if (!Token.isUnresolved(principal) && !/^arn:[^:]+:(iam|sts)::[^:]*:.+/.test(principal)) {
        throw new Error(`CisTamperProtectionPolicy ${this.node.path}: breakGlassPrincipalArns entry "${principal}" is not an IAM principal ARN. `
          + 'Pass ARNs like "arn:aws:iam::*:role/BreakGlass".');
      }
    }
    if (props.trailNames !== undefined) requireList(this, 'trailNames', props.trailNames);
    if (props.alarmNames !== undefined) requireList(this, 'alarmNames', props.alarmNames);

    const alarmNames = props.alarmNames ?? CisControl.all().map((c) => `*${c.alarmName}`);
    const document = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ProtectCisMetricFilters',
          actions: ['logs:DeleteMetricFilter', 'logs:PutMetricFilter', 'logs:DeleteLogGroup'],
          resources: props.trailLogGroupNames.flatMap((n) => [arn('logs', `log-group:${n}`), arn('logs', `log-group:${n}:*`)]),
        },
        {
          Sid: 'ProtectCisAlarms',
          actions: ['cloudwatch:DeleteAlarms', 'cloudwatch:DisableAlarmActions', 'cloudwatch:PutMetricAlarm'],
          resources: alarmNames.map((n) => arn('cloudwatch', `alarm:${n}`)),
        },
        {
          Sid: 'ProtectCisTopics',
          actions: ['sns:DeleteTopic', 'sns:Unsubscribe', 'sns:SetTopicAttributes', 'sns:RemovePermission'],
          // Unsubscribe names the subscription, `<topic ARN>:<id>`: both forms are listed.
          resources: props.topicNames.flatMap((n) => [arn('sns', n), arn('sns', `${n}:*`)]),
        },
        {
          Sid: 'ProtectCisTrails',
          actions: ['cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors'],
          resources: (props.trailNames ?? ['*']).map((n) => arn('cloudtrail', `trail/${n}`)),
        },
        ...(props.topicKeyArns && props.topicKeyArns.length > 0 ? [{
          Sid: 'ProtectCisTopicKeys',
          actions: ['kms:DisableKey', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy'],
          resources: props.topicKeyArns,
        }] : []),
      ].map((s) => ({
        Sid: s.Sid,
        Effect: 'Deny',
        Action: s.actions,
        Resource: s.resources,
        Condition: { ArnNotLike: { 'aws:PrincipalArn': props.breakGlassPrincipalArns } },
      })),
    };

    // Measured as compact JSON, the form CloudFormation hands to Organizations. Tokens (values known only at
    // deploy time) are counted as their placeholder's length.
    const plain = JSON.stringify(document);
    this.policyDocument = Token.isUnresolved(plain) ? Stack.of(this).toJsonString(document) : plain;
    const size = plain.length;
    if (size > MAX_SCP_CHARACTERS) {
      throw new Error(`CisTamperProtectionPolicy ${this.node.path}: the policy document has ${size} characters; AWS Organizations allows `
        + `${MAX_SCP_CHARACTERS} for a service control policy. Use wildcards to list fewer names (e.g. one pattern for all alarm names).`);
    }
    this.policy = new organizations.CfnPolicy(this, 'Resource', {
      name: props.policyName ?? 'cis-log-monitoring-tamper-protection',
      description: 'Denies deleting, changing or disabling the CIS monitoring (metric filters, alarms, topic, trail) except to break-glass roles',
      type: 'SERVICE_CONTROL_POLICY',
      content: document,
      targetIds: props.targetIds,
    });
  }
}

/** `arn:*:<service>:*:*:<resource>`: every partition, region and account of the organization. */
function arn(service: string, resource: string): string {
  return `arn:*:${service}:*:*:${resource}`;
}

function requireList(scope: Construct, name: string, values: string[] | undefined): void {
  if (!values || values.length === 0) {
    throw new Error(`CisTamperProtectionPolicy ${scope.node.path}: \`${name}\` is empty. List at least one (wildcards * and ? are allowed).`);
  }
  for (const value of values) {
    if (!Token.isUnresolved(value) && value.trim() === '') {
      throw new Error(`CisTamperProtectionPolicy ${scope.node.path}: \`${name}\` has an empty entry.`);
    }
  }
}

