import { Annotations, Stack, Token, aws_organizations as organizations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ProtectedKind, SILENCING_ACTIONS } from './silencing-actions';
import { CisControl } from '../catalog';
import { SELF_MONITORING_ALARM_NAMES } from '../construct/self-monitoring';
import { fail } from '../construct/validation';

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
   * Names of the SNS topics the alarms notify, with wildcards: the alarm topic, the operational topic
   * (exclusions) and every severity route's topic. The topics `CisLogMonitoring` creates get names
   * CloudFormation generates, `<stack name>-<construct id>Topic<hash>-<suffix>`,
   * `<stack name>-<construct id>OperationalTopic<hash>-<suffix>` and
   * `<stack name>-<construct id>Routes<route>Topic<hash>-<suffix>`; `*-Cis*Topic*` matches all three
   * for the construct id `Cis`. Add the topics you pass yourself (`topic`, a route's `topic`, e.g. AWS
   * Chatbot's). At least one.
   */
  readonly topicNames: string[];

  /**
   * Names of the trails that may not be stopped, deleted, updated or narrowed, with wildcards.
   *
   * @default ['*'] - every trail
   */
  readonly trailNames?: string[];

  /**
   * Alarm names (with wildcards) that may not be deleted, changed, forced into a state or have their
   * actions disabled. Cover the operational alarms too (`<alarm name>_operational`).
   *
   * @default - every built-in control's alarm name after any prefix, with any suffix (`*root_usage_alarm*`,
   * which also matches `..._operational`, ...), the delivery heartbeat's and tamper control's alarms
   * (`*delivery_heartbeat_alarm*`, `*monitoring_tamper_alarm*`) and the self-audit's (`*cis_self_audit_alarm*`)
   */
  readonly alarmNames?: string[];

  /**
   * Names (with wildcards) of the IAM roles the trails assume to deliver to CloudWatch Logs. Deleting
   * one, changing its trust policy or its policies stops delivery: the log group gets no event.
   *
   * @default ['aws-controltower-CloudWatchLogsRole', '*TrailLogsRole*'] - Control Tower's role and the
   * role `cloudtrail.Trail` creates (`<stack>-<trail id>LogsRole<hash>-<suffix>`) for a trail whose id ends in `Trail`
   */
  readonly trailDeliveryRoleNames?: string[];

  /**
   * ARNs of the KMS keys that encrypt the topics (with wildcards). Disabling such a key, scheduling
   * its deletion or replacing its key policy silently drops every notification. The key
   * `CisLogMonitoring` creates has a generated ID: pass its ARN (`topicEncryptionKey.keyArn`).
   *
   * @default - keys are not protected, and synth warns
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

/** The number of service control policies AWS Organizations lets you attach to one root, OU or account (`FullAWSAccess` is one). */
const MAX_ATTACHED_SCPS = 5;

/** The statement of each kind of protected resource, in document order. */
const KINDS: ReadonlyArray<{ kind: ProtectedKind; sid: string }> = [
  { kind: 'trailLogGroup', sid: 'ProtectCisMetricFilters' },
  { kind: 'alarm', sid: 'ProtectCisAlarms' },
  { kind: 'topic', sid: 'ProtectCisTopics' },
  { kind: 'trail', sid: 'ProtectCisTrails' },
  { kind: 'topicKey', sid: 'ProtectCisTopicKeys' },
  { kind: 'trailDeliveryRole', sid: 'ProtectCisTrailDeliveryRoles' },
];

/**
 * An AWS Organizations service control policy that keeps the CIS monitoring from being switched
 * off silently in member accounts. It is generated from one table of what silences a page or blinds
 * a control (`silencing-actions.ts`, per CloudFormation resource type): except for the break-glass
 * principals, nobody may delete or re-point the metric filters on the trail log groups (or delete
 * those log groups), delete, change, force or disable the alarms (compliance and operational), delete
 * or re-permission the topics (alarm, operational, routes), unsubscribe or filter their subscriptions,
 * stop, delete, update or narrow the trails, change or detach the trails' delivery roles, and (when
 * given) disable or delete the topics' keys.
 *
 * When the document would exceed the 5,120-character limit, it is split into several policies
 * (statements, then a statement's resources); synth fails when more than four would be needed.
 *
 * Deploy it in the organization's management account (or a delegated administrator for policies).
 * SCPs do not restrict the management account itself or service-linked roles.
 */
export class CisTamperProtectionPolicy extends Construct {
  /** The size limit of a service control policy document, in characters. */
  public static readonly MAX_CHARACTERS = MAX_SCP_CHARACTERS;

  /** The (first) `AWS::Organizations::Policy` resource. */
  public readonly policy: organizations.CfnPolicy;

  /** The (first) policy document as compact JSON, the text whose length counts against the SCP size limit. */
  public readonly policyDocument: string;

  /** Every `AWS::Organizations::Policy` resource: one unless the document had to be split. */
  public readonly policies: organizations.CfnPolicy[];

  /** Every policy document as compact JSON, in the order of `policies`. */
  public readonly policyDocuments: string[];

  constructor(scope: Construct, id: string, props: CisTamperProtectionPolicyProps) {
    super(scope, id);
    requireList(this, 'breakGlassPrincipalArns', props.breakGlassPrincipalArns);
    requireList(this, 'trailLogGroupNames', props.trailLogGroupNames);
    requireList(this, 'topicNames', props.topicNames);
    for (const principal of props.breakGlassPrincipalArns) {
      if (!Token.isUnresolved(principal) && !/^arn:[^:]+:(iam|sts)::[^:]*:.+/.test(principal)) {
        fail(this, `breakGlassPrincipalArns entry "${principal}" is not an IAM principal ARN. `
          + 'Pass ARNs like "arn:aws:iam::*:role/BreakGlass".', 'CisTamperProtectionPolicy');
      }
    }
    if (props.trailNames !== undefined) requireList(this, 'trailNames', props.trailNames);
    if (props.alarmNames !== undefined) requireList(this, 'alarmNames', props.alarmNames);
    if (props.trailDeliveryRoleNames !== undefined) requireList(this, 'trailDeliveryRoleNames', props.trailDeliveryRoleNames);

    const resources: Record<ProtectedKind, string[]> = {
      trailLogGroup: props.trailLogGroupNames.flatMap((n) => [arn('logs', `log-group:${n}`), arn('logs', `log-group:${n}:*`)]),
      alarm: (props.alarmNames ?? [...CisControl.all().map((c) => c.alarmName), ...SELF_MONITORING_ALARM_NAMES].map((n) => `*${n}*`))
        .map((n) => arn('cloudwatch', `alarm:${n}`)),
      // A subscription is named `<topic ARN>:<id>`: both forms are listed.
      topic: props.topicNames.flatMap((n) => [arn('sns', n), arn('sns', `${n}:*`)]),
      trail: (props.trailNames ?? ['*']).map((n) => arn('cloudtrail', `trail/${n}`)),
      topicKey: props.topicKeyArns ?? [],
      trailDeliveryRole: (props.trailDeliveryRoleNames ?? ['aws-controltower-CloudWatchLogsRole', '*TrailLogsRole*']).map((n) => `arn:*:iam::*:role/${n}`),
    };
    if (resources.topicKey.length === 0) {
      Annotations.of(this).addWarningV2('cdk-cis-log-monitoring:tamperProtectionWithoutKeys',
        'topicKeyArns is not set, so the keys that encrypt the topics are not protected: disabling one or scheduling its deletion '
        + 'silently drops every notification. Pass the keys\' ARNs (CisLogMonitoring.topicEncryptionKey.keyArn).');
    }
    const condition = { ArnNotLike: { 'aws:PrincipalArn': props.breakGlassPrincipalArns } };
    const statements: Statement[] = KINDS.filter(({ kind }) => resources[kind].length > 0).map(({ kind, sid }) => ({
      Sid: sid,
      Effect: 'Deny',
      Action: deniedActions(kind),
      Resource: resources[kind],
      Condition: condition,
    }));

    // Measured as compact JSON, the form CloudFormation hands to Organizations. Tokens (values known only at
    // deploy time) are counted as their placeholder's length.
    const documents = pack(statements, (document) => JSON.stringify(document).length);
    const oversized = documents.map((d) => JSON.stringify(d).length).find((size) => size > MAX_SCP_CHARACTERS);
    if (oversized !== undefined) {
      fail(this, `one statement with a single resource needs ${oversized} characters; AWS Organizations `
        + `allows ${MAX_SCP_CHARACTERS} for a service control policy. Shorten the principal ARNs or the name patterns.`, 'CisTamperProtectionPolicy');
    }
    if (documents.length > MAX_ATTACHED_SCPS - 1) {
      const size = JSON.stringify({ Version: '2012-10-17', Statement: statements }).length;
      fail(this, `the policy needs ${size} characters, ${documents.length} service control policies `
        + `of ${MAX_SCP_CHARACTERS} characters; AWS Organizations attaches at most ${MAX_ATTACHED_SCPS} to a target, FullAWSAccess included. `
        + 'Use wildcards to list fewer names (e.g. one pattern for all alarm names).', 'CisTamperProtectionPolicy');
    }
    const stack = Stack.of(this);
    const name = props.policyName ?? 'cis-log-monitoring-tamper-protection';
    this.policyDocuments = documents.map((document) => {
      const plain = JSON.stringify(document);
      return Token.isUnresolved(plain) ? stack.toJsonString(document) : plain;
    });
    this.policies = documents.map((document, index) => new organizations.CfnPolicy(this, index === 0 ? 'Resource' : `Resource${index + 1}`, {
      name: index === 0 ? name : `${name}-${index + 1}`,
      description: 'Denies deleting, changing or disabling the CIS monitoring (metric filters, alarms, topics, trails, delivery roles) except to break-glass roles'
        + (documents.length > 1 ? ` (part ${index + 1} of ${documents.length})` : ''),
      type: 'SERVICE_CONTROL_POLICY',
      content: document,
      targetIds: props.targetIds,
    }));
    this.policy = this.policies[0];
    this.policyDocument = this.policyDocuments[0];
  }
}

interface Statement {
  readonly Sid: string;
  readonly Effect: 'Deny';
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition: Record<string, Record<string, string[]>>;
}

interface Document {
  readonly Version: '2012-10-17';
  readonly Statement: Statement[];
}

/** Every action the table denies on resources of this kind, in table order, once. */
function deniedActions(kind: ProtectedKind): string[] {
  const actions = Object.values(SILENCING_ACTIONS)
    .flatMap((entry) => (entry.protects?.kind === kind ? entry.protects.deny.map((d) => d.action) : []));
  return [...new Set(actions)];
}

/**
 * Packs the statements into documents of at most MAX_SCP_CHARACTERS, first fit; a statement too large for a
 * document of its own is split by its resources (same actions and condition, Sid suffixed). Nothing is dropped:
 * every statement's every resource ends up in some document.
 */
function pack(statements: readonly Statement[], size: (document: Document) => number): Document[] {
  const fits = (s: readonly Statement[]) => size({ Version: '2012-10-17', Statement: [...s] }) <= MAX_SCP_CHARACTERS;
  const pieces: Statement[] = statements.flatMap((statement) => splitStatement(statement, (s) => fits([s])));
  const documents: Statement[][] = [];
  for (const piece of pieces) {
    const room = documents.find((d) => fits([...d, piece])); // first fit
    if (room) room.push(piece);
    else documents.push([piece]);
  }
  return documents.map((s) => ({ Version: '2012-10-17', Statement: s }));
}

function splitStatement(statement: Statement, fits: (s: Statement) => boolean): Statement[] {
  if (fits(statement)) return [statement];
  // As many resources per piece as fit in a document of its own; a single resource that does not fit stays
  // alone, and the caller's size check refuses it.
  const pieces: string[][] = [];
  for (const resource of statement.Resource) {
    const last = pieces[pieces.length - 1];
    if (last && fits({ ...statement, Sid: `${statement.Sid}${pieces.length}`, Resource: [...last, resource] })) last.push(resource);
    else pieces.push([resource]);
  }
  return pieces.map((resources, i) => ({ ...statement, Sid: `${statement.Sid}${i + 1}`, Resource: resources }));
}

/** `arn:*:<service>:*:*:<resource>`: every partition, region and account of the organization. */
function arn(service: string, resource: string): string {
  return `arn:*:${service}:*:*:${resource}`;
}

function requireList(scope: Construct, name: string, values: string[] | undefined): void {
  if (!values || values.length === 0) {
    fail(scope, `\`${name}\` is empty. List at least one (wildcards * and ? are allowed).`, 'CisTamperProtectionPolicy');
  }
  for (const value of values) {
    if (!Token.isUnresolved(value) && value.trim() === '') {
      fail(scope, `\`${name}\` has an empty entry.`, 'CisTamperProtectionPolicy');
    }
  }
}

