import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App, BootstraplessSynthesizer, CfnParameter, Stack, Token, aws_cloudformation as cloudformation, aws_iam as iam, aws_logs as logs, aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisControl, CisPatternSet } from '../catalog';
import { CisLogMonitoring } from '../construct';
import { fail } from '../construct/validation';

/** Properties of `CisMonitoringStackSet`. */
export interface CisMonitoringStackSetProps {
  /** The organizational units (or the root, `r-...`) whose accounts get the monitoring, now and when they join. */
  readonly organizationalUnitIds: string[];

  /** The regions of each account to deploy to: the region of each account's trail log group. */
  readonly regions: string[];

  /**
   * The name of the trail's CloudWatch Logs log group in every member account (a template parameter,
   * `TrailLogGroupName`, so one OU can override it). Control Tower: `aws-controltower/CloudTrailLogs`.
   */
  readonly trailLogGroupName: string;

  /**
   * Where notifications go: e-mail addresses subscribed to each account's alarm topic (each recipient confirms
   * once per account). Either this or `notificationTopicArn`.
   *
   * @default - none
   */
  readonly emails?: string[];

  /**
   * A central SNS topic (for example in the security account) that every account's alarms notify instead of a
   * topic of their own. Its policy must allow `cloudwatch.amazonaws.com` from the member accounts to publish
   * (and its key, if any, to be used by CloudWatch).
   *
   * @default - each account gets its own encrypted topic
   */
  readonly notificationTopicArn?: string;

  /**
   * Which text of the benchmark the metric filters use.
   *
   * @default CisPatternSet.RECOMMENDED
   */
  readonly patternSet?: CisPatternSet;

  /**
   * The controls to deploy.
   *
   * @default - every control of the pattern set
   */
  readonly controls?: CisControl[];

  /**
   * The prefix of every alarm name in the member accounts.
   *
   * @default 'CIS-'
   */
  readonly alarmNamePrefix?: string;

  /**
   * The StackSet's name.
   *
   * @default 'cis-log-monitoring'
   */
  readonly stackSetName?: string;

  /**
   * Whether you deploy from a delegated administrator account for StackSets (`DELEGATED_ADMIN`) rather than
   * the management account (`SELF`).
   *
   * @default false
   */
  readonly delegatedAdmin?: boolean;

  /**
   * Keep the stacks (and their alarms) when an account leaves the OUs.
   *
   * @default false
   */
  readonly retainStacksOnAccountRemoval?: boolean;

  /**
   * The percentage of accounts deployed to at once per region.
   *
   * @default 25
   */
  readonly maxConcurrentPercentage?: number;

  /**
   * The percentage of accounts per region that may fail before the operation stops.
   *
   * @default 10
   */
  readonly failureTolerancePercentage?: number;
}

/** CloudFormation's limit for a template passed inline (`TemplateBody`), in bytes. */
const MAX_TEMPLATE_BODY_BYTES = 51_200;

/**
 * `CisLogMonitoring` in every account of the given organizational units, through a service-managed
 * CloudFormation StackSet with automatic deployment: accounts that join the OUs later get it too, and accounts
 * that leave lose it. The per-account template is synthesized here, from the same construct, and passed inline.
 *
 * Deploy it in the management account or a StackSets delegated administrator, with trusted access for
 * StackSets enabled in Organizations. The management account itself is never a target of a service-managed
 * StackSet: deploy `CisLogMonitoring` there directly.
 */
export class CisMonitoringStackSet extends Construct {
  /** CloudFormation's limit for an inline template, in bytes. */
  public static readonly MAX_TEMPLATE_BODY_BYTES = MAX_TEMPLATE_BODY_BYTES;

  /**
   * Lets a central topic serve the member accounts: their CloudWatch alarms may publish to it (service principal
   * `cloudwatch.amazonaws.com`, only from accounts of the organization), and principals of the organization may read
   * its subscriptions and attributes, which the CIS audit step 7 (`sns list-subscriptions-by-topic`), Security Hub
   * and prowler do from each member account. A no-op for an imported topic (its policy is not this app's).
   *
   * @param topic the central topic
   * @param organizationId the organization's id, `o-...`
   */
  public static grantCentralTopic(topic: sns.ITopic, organizationId: string): void {
    if (!Token.isUnresolved(organizationId) && !/^o-[a-z0-9]{10,32}$/.test(organizationId)) {
      throw new Error(`CisMonitoringStackSet.grantCentralTopic: "${organizationId}" is not an organization id (o-xxxxxxxxxx).`);
    }
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CisMemberAlarmsPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:SourceOrgID': organizationId } },
    }));
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'CisMemberCheckersRead',
      principals: [new iam.AnyPrincipal()],
      actions: ['sns:ListSubscriptionsByTopic', 'sns:GetTopicAttributes'],
      resources: [topic.topicArn],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
    }));
  }

  /** The `AWS::CloudFormation::StackSet` resource. */
  public readonly stackSet: cloudformation.CfnStackSet;

  /** The per-account template, compact JSON, as passed in `TemplateBody`. */
  public readonly templateBody: string;

  constructor(scope: Construct, id: string, props: CisMonitoringStackSetProps) {
    super(scope, id);
    if (!props.organizationalUnitIds || props.organizationalUnitIds.length === 0) {
      fail(this, '`organizationalUnitIds` is empty. List the OUs (or the root r-...) to deploy to.', 'CisMonitoringStackSet');
    }
    for (const ou of props.organizationalUnitIds) {
      if (!Token.isUnresolved(ou) && !/^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/.test(ou)) {
        fail(this, `"${ou}" is not an organizational unit id (ou-xxxx-xxxxxxxx) or root id (r-xxxx).`, 'CisMonitoringStackSet');
      }
    }
    if (!props.regions || props.regions.length === 0) {
      fail(this, '`regions` is empty. List the region(s) of the trail log groups.', 'CisMonitoringStackSet');
    }
    if ((props.emails ?? []).length > 0 && props.notificationTopicArn) {
      fail(this, 'pass `emails` or `notificationTopicArn`, not both: subscribe the addresses '
        + 'to the central topic where it lives.', 'CisMonitoringStackSet');
    }
    if ((props.emails ?? []).length === 0 && !props.notificationTopicArn) {
      fail(this, 'no destination. Pass `emails` or `notificationTopicArn`: '
        + 'alarms that notify nobody fail CIS audit step 7.', 'CisMonitoringStackSet');
    }

    const template = synthesizeMemberTemplate(props);
    this.templateBody = JSON.stringify(template);
    const bytes = Buffer.byteLength(this.templateBody, 'utf8');
    if (bytes > MAX_TEMPLATE_BODY_BYTES) {
      fail(this, `the per-account template has ${bytes} bytes; an inline template may have `
        + `${MAX_TEMPLATE_BODY_BYTES}. Deploy fewer controls, or stage the template in S3 (see docs/organizations.md).`, 'CisMonitoringStackSet');
    }

    this.stackSet = new cloudformation.CfnStackSet(this, 'Resource', {
      stackSetName: props.stackSetName ?? 'cis-log-monitoring',
      description: 'CIS AWS Foundations Benchmark monitoring (cdk-cis-log-monitoring) in every account of the OUs',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: props.retainStacksOnAccountRemoval ?? false },
      callAs: props.delegatedAdmin ? 'DELEGATED_ADMIN' : 'SELF',
      managedExecution: { Active: true },
      capabilities: ['CAPABILITY_IAM'],
      operationPreferences: {
        maxConcurrentPercentage: props.maxConcurrentPercentage ?? 25,
        failureTolerancePercentage: props.failureTolerancePercentage ?? 10,
        regionConcurrencyType: 'PARALLEL',
      },
      parameters: [{ parameterKey: 'TrailLogGroupName', parameterValue: props.trailLogGroupName }],
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: props.organizationalUnitIds }, regions: props.regions }],
      templateBody: this.templateBody,
    });
  }
}

/** The per-account stack, synthesized in an app of its own (its own directory, so the outer app's cdk.out is untouched). */
function synthesizeMemberTemplate(props: CisMonitoringStackSetProps): Record<string, unknown> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cis-stackset-'));
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, 'CisLogMonitoringMember', {
      synthesizer: new BootstraplessSynthesizer(),
      description: 'CIS AWS Foundations Benchmark monitoring (cdk-cis-log-monitoring), deployed by a StackSet',
    });
    const logGroupName = new CfnParameter(stack, 'TrailLogGroupName', {
      type: 'String',
      description: 'The CloudWatch Logs log group the account\'s multi-region CloudTrail trail delivers to',
      default: props.trailLogGroupName,
    });
    new CisLogMonitoring(stack, 'Cis', {
      logGroup: logs.LogGroup.fromLogGroupName(stack, 'TrailLogGroup', logGroupName.valueAsString),
      emails: props.notificationTopicArn ? undefined : props.emails,
      topic: props.notificationTopicArn ? sns.Topic.fromTopicArn(stack, 'CentralTopic', props.notificationTopicArn) : undefined,
      patternSet: props.patternSet,
      controls: props.controls,
      alarmNamePrefix: props.alarmNamePrefix ?? 'CIS-',
    });
    const assembly = app.synth();
    return assembly.getStackArtifact(stack.artifactId).template;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
