import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  App, BootstraplessSynthesizer, CfnParameter, Stack, Token, Tokenization, aws_cloudformation as cloudformation, aws_iam as iam,
  aws_logs as logs, aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisLogMonitoring, CisLogMonitoringOptions, CisLogMonitoringProps } from '../construct';
import { fail } from '../construct/validation';

/**
 * Properties of `CisMonitoringStackSet`: where to deploy, and every option of `CisLogMonitoring`
 * (`CisLogMonitoringOptions`) for the construct in each member account.
 *
 * Two defaults differ from the construct's: `alarmNamePrefix` is `'CIS-'` (the same in every account), and a
 * destination is required (`emails`, `subscriptions`, `topic` or `notificationTopicArn`). Options that cannot
 * work in a member account's template are refused at synth, naming the option: `topicEncryptionKey` (a key lives
 * in one account), `enrichAlarms` and `selfAudit` (their functions are file assets, which an inline template cannot carry), and any
 * value that refers to a construct or a deploy-time value of this app (a topic defined here, a queue or function
 * subscription, a stack parameter). A topic imported by a literal ARN (`sns.Topic.fromTopicArn`) is re-imported
 * in each member account, as `topic` or a severity route's `topic`.
 */
export interface CisMonitoringStackSetProps extends CisLogMonitoringOptions {
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
   * A central SNS topic (for example in the security account) that every account's alarms notify instead of a
   * topic of their own. Its policy must allow `cloudwatch.amazonaws.com` from the member accounts to publish
   * (and its key, if any, to be used by CloudWatch). The same as `topic` imported by this ARN; not with `emails`.
   *
   * @default - each account gets its own encrypted topic
   */
  readonly notificationTopicArn?: string;

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
    const member = memberOptions(this, props);
    if ((props.emails ?? []).length > 0 && member.centralTopicArn) {
      fail(this, `pass \`emails\` or \`${member.centralTopicOption}\`, not both: subscribe the addresses `
        + 'to the central topic where it lives.', 'CisMonitoringStackSet');
    }
    if ((props.emails ?? []).length === 0 && !member.centralTopicArn && (props.subscriptions ?? []).length === 0) {
      fail(this, 'no destination. Pass `emails` or `notificationTopicArn`: '
        + 'alarms that notify nobody fail CIS audit step 7.', 'CisMonitoringStackSet');
    }

    const template = synthesizeMemberTemplate(props.trailLogGroupName, member);
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

/** The props of `CisMonitoringStackSet` that are not options of the construct. */
const STACK_SET_ONLY: ReadonlySet<string> = new Set<keyof CisMonitoringStackSetProps>([
  'organizationalUnitIds', 'regions', 'trailLogGroupName', 'notificationTopicArn', 'stackSetName', 'delegatedAdmin',
  'retainStacksOnAccountRemoval', 'maxConcurrentPercentage', 'failureTolerancePercentage',
]);
/** The props of `CisLogMonitoring` that are not options: a member monitors the log group `trailLogGroupName` names. */
const IN_STACK_ONLY: readonly string[] = ['logGroup', 'trail', 'trailArn'] satisfies (keyof CisLogMonitoringProps)[];

/** The construct's options for the member accounts, checked; topics imported by ARN are re-imported in the member stack. */
interface MemberOptions {
  /** Every option but the topics. */
  readonly options: CisLogMonitoringOptions;
  /** The ARN of the central topic (`notificationTopicArn`, or `topic` imported by ARN). */
  readonly centralTopicArn?: string;
  /** The prop that named the central topic, for the messages. */
  readonly centralTopicOption: string;
  /** The ARN of each severity route's topic, in the order of `severityRoutes`. */
  readonly routeTopicArns: readonly (string | undefined)[];
}

/**
 * Every option of the construct, for a template deployed in other accounts: what such a template cannot hold is
 * refused, naming the option, instead of being dropped.
 */
function memberOptions(scope: Construct, props: CisMonitoringStackSetProps): MemberOptions {
  const refuse = (message: string): never => fail(scope, message, 'CisMonitoringStackSet');
  const given = props as unknown as Record<string, unknown>;
  for (const name of IN_STACK_ONLY) {
    if (given[name] !== undefined) {
      refuse(`\`${name}\` is not an option of the StackSet: the construct in each member account monitors the log group `
        + 'that `trailLogGroupName` names.');
    }
  }
  const options = Object.fromEntries(Object.entries(given).filter(([name]) => !STACK_SET_ONLY.has(name))) as CisLogMonitoringOptions;
  if (options.topicEncryptionKey) {
    refuse('`topicEncryptionKey` cannot be used in member accounts: a KMS key lives in one account, and each member account\'s '
      + 'topic gets a customer managed key of its own. Leave it out, or pass a central topic (`notificationTopicArn`).');
  }
  if (options.enrichAlarms) {
    refuse('`enrichAlarms` cannot be used in member accounts: the who-did-it function is a file asset, which the inline template of a '
      + 'StackSet cannot carry (member accounts have no bootstrap bucket). Leave it out, or deploy CisLogMonitoring with it in each '
      + 'account (docs/organizations.md).');
  }
  for (const name of [
    'selfAudit', 'selfAuditSchedule', 'selfAuditSecurityHub', 'selfAuditConfigRule', 'selfAuditReportBucket', 'selfAuditReportPrefix',
    'selfAuditAccounts', 'selfAuditRoleName',
  ] as const) {
    if (options[name] !== undefined && options[name] !== false) {
      refuse(`\`${name}\` cannot be used in member accounts: the self-audit function is a file asset, which the inline template of a `
        + 'StackSet cannot carry (member accounts have no bootstrap bucket). Deploy CisLogMonitoring with `selfAudit` in each account '
        + '(docs/self-audit.md).');
    }
  }
  const importedArn = (topic: sns.ITopic | undefined, name: string): string | undefined => {
    if (!topic) return undefined;
    if (Token.isUnresolved(topic.topicArn)) {
      refuse(`\`${name}\` is ${topic.node.path}, a topic of this app, which a member account's template cannot refer to. Pass a topic `
        + 'imported by its literal ARN (sns.Topic.fromTopicArn), or its ARN as `notificationTopicArn`.');
    }
    return topic.topicArn;
  };
  if (options.topic && props.notificationTopicArn) refuse('pass `topic` or `notificationTopicArn`, not both: both name the central topic.');
  const routes = options.severityRoutes ?? [];
  const routeTopicArns = routes.map((route, index) => importedArn(route.topic, `severityRoutes[${index}].topic`));
  for (const [name, value] of Object.entries(options)) {
    const checked = name === 'topic' ? undefined
      : name === 'severityRoutes' ? routes.map((route) => ({ ...route, topic: undefined })) : value;
    const found = foreignReference(checked, new Set());
    if (found !== undefined) {
      refuse(`\`${name}\` refers to ${found} of this app, which a member account's template cannot refer to (the member template is `
        + 'synthesized on its own). Pass values known at synth: literal strings and numbers, topics imported by literal ARN, and '
        + 'subscriptions with literal endpoints (e-mail, HTTPS, SMS).');
    }
  }
  return {
    options,
    centralTopicArn: props.notificationTopicArn ?? importedArn(options.topic, 'topic'),
    centralTopicOption: options.topic ? 'topic' : 'notificationTopicArn',
    routeTopicArns,
  };
}

/**
 * The first construct, or reference to one, reachable from an option's value (through objects, arrays and the tokens
 * in strings, numbers and lists), by its path; undefined when there is none.
 */
function foreignReference(value: unknown, seen: Set<unknown>): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return Token.isUnresolved(value) ? firstFound(Tokenization.reverseString(value).tokens, seen) : undefined;
  if (typeof value === 'number') return Token.isUnresolved(value) ? foreignReference(Tokenization.reverseNumber(value), seen) : undefined;
  if (typeof value !== 'object' || seen.has(value)) return undefined;
  seen.add(value);
  if (Construct.isConstruct(value)) return `construct ${value.node.path}`;
  if (Array.isArray(value) && Token.isUnresolved(value)) return foreignReference(Tokenization.reverseList(value), seen) ?? 'a deploy-time list';
  return firstFound(Object.values(value), seen);
}

function firstFound(values: readonly unknown[], seen: Set<unknown>): string | undefined {
  for (const value of values) {
    const found = foreignReference(value, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The per-account stack, synthesized in an app of its own (its own directory, so the outer app's cdk.out is untouched). */
function synthesizeMemberTemplate(trailLogGroupName: string, member: MemberOptions): Record<string, unknown> {
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
      default: trailLogGroupName,
    });
    const { options, centralTopicArn, routeTopicArns } = member;
    new CisLogMonitoring(stack, 'Cis', {
      ...options,
      logGroup: logs.LogGroup.fromLogGroupName(stack, 'TrailLogGroup', logGroupName.valueAsString),
      topic: centralTopicArn ? sns.Topic.fromTopicArn(stack, 'CentralTopic', centralTopicArn) : undefined,
      severityRoutes: options.severityRoutes?.map((route, index) => ({
        ...route,
        topic: routeTopicArns[index] ? sns.Topic.fromTopicArn(stack, `RouteTopic${index}`, routeTopicArns[index]!) : undefined,
      })),
      alarmNamePrefix: options.alarmNamePrefix ?? 'CIS-',
    });
    const assembly = app.synth();
    return assembly.getStackArtifact(stack.artifactId).template;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
