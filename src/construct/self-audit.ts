import {
  Duration, Stack, Token, Validations, aws_cloudwatch as cloudwatch, aws_config as config, aws_events as events, aws_events_targets as targets,
  aws_iam as iam, aws_lambda as lambda, aws_logs as logs, aws_s3 as s3,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SelfAuditFunction } from './audit/self-audit-function';
import { SelfMonitoringOptions, notify } from './self-monitoring';
import { fail } from './validation';
import { CisControl } from '../catalog/cis-control';
import { CisPatternSet } from '../catalog/cis-pattern-set';
import { SELF_AUDIT_ALARM_NAME } from '../catalog/tamper-control';
import { DEFAULT_REPORT_PREFIX, SELF_AUDIT_DIMENSION, SELF_AUDIT_METRICS } from '../verdicts/live/self-audit';

/** The most member accounts of organization mode (the role policy's size, the metrics of one PutMetricData call). */
export const MAX_SELF_AUDIT_ACCOUNTS = 100;
/** IAM's role names (without a path): 1-64 of these characters. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** Construct ID of the self-audit's scope. Part of the API: never change. */
export const SELF_AUDIT_ID = 'SelfAudit';
/** The default schedule: daily. */
export const DEFAULT_SELF_AUDIT_SCHEDULE = Duration.days(1);
/** The shortest and longest schedules (the alarm's period: CloudWatch allows at most one day). */
export const MIN_SELF_AUDIT_SCHEDULE = Duration.hours(1);
export const MAX_SELF_AUDIT_SCHEDULE = Duration.days(1);

/**
 * The read-only calls of the live adapter (src/verdicts/live/sdk-api.ts), one IAM action each. None of them takes a
 * narrower resource than `*` usefully: the function must see every trail, filter, alarm, topic and key of the region
 * (that is the audit). docs/self-audit.md lists them; a test keeps both in step.
 */
export const SELF_AUDIT_READ_ACTIONS: readonly string[] = [
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:GetEventSelectors',
  'logs:DescribeLogGroups',
  'logs:DescribeMetricFilters',
  'cloudwatch:DescribeAlarms',
  'sns:GetTopicAttributes',
  'sns:ListSubscriptionsByTopic',
  'sns:GetSubscriptionAttributes',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'iam:GetRole',
];

/**
 * The read-only calls of the evidence report (src/verdicts/live/sdk-evidence-api.ts), added when the report is
 * stored: the heartbeat's last delivery, the tamper events of the period and the heartbeat alarms. docs/self-audit.md
 * lists them; a test keeps both in step.
 */
export const SELF_AUDIT_REPORT_READ_ACTIONS: readonly string[] = [
  'cloudwatch:GetMetricData',
  'logs:FilterLogEvents',
  'cloudwatch:DescribeAlarms',
];

/** What the self-audit needs from CisLogMonitoring. */
export interface SelfAuditOptions extends SelfMonitoringOptions {
  readonly patternSet: CisPatternSet;
  readonly controls: readonly CisControl[];
  readonly schedule: Duration;
  readonly securityHub: boolean;
  readonly configRule: boolean;
  /** Where the evidence report goes (none: no report). */
  readonly reportBucket?: s3.IBucket;
  readonly reportPrefix?: string;
  /** Organization mode: the member accounts judged besides the function's own (none: own account only). */
  readonly accounts?: readonly string[];
  /** Organization mode: the role assumed in each member account. */
  readonly roleName?: string;
}

/** What the self-audit made. */
export interface SelfAuditResources {
  readonly function: lambda.Function;
  readonly alarm: cloudwatch.Alarm;
  readonly rule: events.Rule;
  readonly configRule?: config.CfnConfigRule;
}

/**
 * The continuous self-audit (issue 20 §3, docs/self-audit.md): a function on a schedule that judges this account's
 * CIS monitoring with the rule set of `check` and `audit` and publishes a metric (alarmed), Security Hub CSPM
 * findings and, optionally, AWS Config evaluations.
 */
export function addSelfAudit(owner: Construct, o: SelfAuditOptions): SelfAuditResources {
  const minutes = o.schedule.toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < MIN_SELF_AUDIT_SCHEDULE.toMinutes() || minutes > MAX_SELF_AUDIT_SCHEDULE.toMinutes()) {
    fail(owner, `selfAuditSchedule must be a whole number of minutes from 1 hour to 1 day (it is the alarm's period), not ${o.schedule.toHumanString()}.`);
  }
  const custom = o.controls.filter((c) => c.isCustom);
  const builtIn = o.controls.filter((c) => !c.isCustom);
  if (builtIn.length === 0) fail(owner, 'selfAudit judges the built-in CIS controls, and this construct deploys none.');
  if (o.reportPrefix !== undefined && !o.reportBucket) fail(owner, 'selfAuditReportPrefix needs selfAuditReportBucket (the bucket the report goes to).');
  const reportPrefix = o.reportPrefix ?? DEFAULT_REPORT_PREFIX;

  const members = validateOrganization(owner, o.accounts, o.roleName);

  const scope = new Construct(owner, SELF_AUDIT_ID);
  const stack = Stack.of(scope);
  const logGroup = new logs.LogGroup(scope, 'LogGroup', { retention: logs.RetentionDays.ONE_YEAR });
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Lets the self-audit function of ${owner.node.path} read the account's CIS monitoring and publish its verdicts`,
  });
  const statements = [
    new iam.PolicyStatement({ sid: 'ReadTheMonitoring', actions: [...SELF_AUDIT_READ_ACTIONS], resources: ['*'] }),
    new iam.PolicyStatement({
      sid: 'PublishTheVerdictMetrics',
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: { StringEquals: { 'cloudwatch:namespace': o.namespace } },
    }),
    new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
  ];
  if (o.securityHub) {
    statements.push(new iam.PolicyStatement({
      sid: 'ImportTheFindings',
      actions: ['securityhub:BatchImportFindings'],
      resources: [stack.formatArn({ service: 'securityhub', resource: 'product', resourceName: `${stack.account}/default` })],
    }));
  }
  if (members.length > 0) {
    // Organization mode: exactly the listed accounts' role, nothing else.
    statements.push(new iam.PolicyStatement({
      sid: 'AssumeTheMemberRoles',
      actions: ['sts:AssumeRole'],
      resources: members.map((account) => `arn:${stack.partition}:iam::${account}:role/${o.roleName}`),
    }));
  }
  if (o.configRule) {
    statements.push(new iam.PolicyStatement({ sid: 'ReportToConfig', actions: ['config:PutEvaluations'], resources: ['*'] }));
  }
  if (o.reportBucket) {
    // cloudwatch:DescribeAlarms is already read above; one statement per purpose.
    statements.push(new iam.PolicyStatement({
      sid: 'ReadTheEvidence',
      actions: SELF_AUDIT_REPORT_READ_ACTIONS.filter((a) => !SELF_AUDIT_READ_ACTIONS.includes(a)),
      resources: ['*'],
    }));
    // s3:PutObject on the report's prefix only; with a KMS-encrypted bucket, what S3 needs of the key to encrypt.
    statements.push(new iam.PolicyStatement({
      sid: 'StoreTheReport', actions: ['s3:PutObject'], resources: [o.reportBucket.arnForObjects(`${reportPrefix}*`)],
    }));
    if (o.reportBucket.encryptionKey) {
      statements.push(new iam.PolicyStatement({
        sid: 'EncryptTheReport', actions: ['kms:GenerateDataKey', 'kms:Encrypt'], resources: [o.reportBucket.encryptionKey.keyArn],
      }));
    }
  }
  const policy = new iam.ManagedPolicy(scope, 'Policy', { roles: [role], statements, description: 'Least privilege of the CIS self-audit function' });
  // cdk-nag 3.x reads CDK's acknowledgements: the one wildcard it reports, with why it cannot be narrower.
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: 'The self-audit reads every trail, metric filter, alarm, topic, subscription, key and delivery role of the region (read-only '
      + 'Describe/Get/List calls: the audit must see what it did not create). cloudwatch:PutMetricData and config:PutEvaluations '
      + 'support no resource narrower than *; PutMetricData is conditioned on the construct\'s namespace.',
  });
  // The report prefix's wildcard (one key per account, region and day), as cdk-nag names it. CDK reserves '::' in an
  // acknowledgement's ID for one prefix, so an imported bucket's ARN (`arn:<AWS::Partition>:s3:::...`) cannot be
  // acknowledged: cdk-nag then reports it (docs/self-audit.md).
  const reportFinding = o.reportBucket ? `AwsSolutions-IAM5[Resource::${nagText(stack.resolve(o.reportBucket.arnForObjects(`${reportPrefix}*`)))}]` : undefined;
  if (reportFinding && reportFinding.split('::').length === 2) {
    Validations.of(policy).acknowledge({
      id: reportFinding,
      reason: 'The self-audit stores its evidence report under its prefix, one key per account, region and day: s3:PutObject on that prefix only.',
    });
  }

  const fn = new SelfAuditFunction(scope, 'Function', {
    role,
    logGroup,
    // The Lambda runtime's AWS SDK v3 is used (not bundled); the bundle targets Node 22, which 24 runs.
    runtime: lambda.Runtime.NODEJS_24_X,
    // Organization mode: each account within 2 minutes, 4 at once (src/verdicts/live/organization-self-audit.ts).
    timeout: Duration.minutes(members.length > 0 ? 15 : 5),
    memorySize: 512,
    reservedConcurrentExecutions: 1,
    description: `CIS monitoring: self-audit of ${owner.node.path} (the rules of check/audit), to CloudWatch${o.securityHub ? ', Security Hub' : ''}${o.configRule ? ', AWS Config' : ''}`,
    environment: {
      PATTERN_SET: o.patternSet.name,
      CONTROLS: builtIn.map((c) => c.key).join(','),
      METRIC_NAMESPACE: o.namespace,
      ALARM_NAME_PREFIX: o.alarmNamePrefix,
      SECURITY_HUB: String(o.securityHub),
      ...(o.reportBucket ? { REPORT_BUCKET: o.reportBucket.bucketName, REPORT_PREFIX: reportPrefix } : {}),
      ...(members.length > 0 ? { MEMBER_ACCOUNTS: members.join(','), MEMBER_ROLE_NAME: o.roleName! } : {}),
    },
  });
  fn.node.addDependency(policy);
  if (custom.length > 0) {
    // Custom controls have no text in the catalog the function could judge them against: said, not hidden.
    fn.node.addMetadata('cdk-cis-log-monitoring:selfAudit', `custom controls not audited: ${custom.map((c) => c.key).join(', ')}`);
  }

  const rule = new events.Rule(scope, 'Schedule', {
    description: `Runs the CIS monitoring self-audit of ${owner.node.path} every ${o.schedule.toHumanString()}`,
    schedule: events.Schedule.rate(o.schedule),
    targets: [new targets.LambdaFunction(fn, { retryAttempts: 2 })],
  });

  const alarm = new cloudwatch.Alarm(scope, 'Alarm', {
    alarmName: `${o.alarmNamePrefix}${SELF_AUDIT_ALARM_NAME}`,
    alarmDescription: 'The CIS monitoring self-audit found controls that FAIL or cannot be judged (UNKNOWN), or did not report for '
      + `${o.schedule.toHumanString()}. See the Security Hub findings or the function's log, and docs/self-audit.md.`,
    metric: new cloudwatch.Metric({
      namespace: o.namespace,
      metricName: SELF_AUDIT_METRICS.notPassing,
      dimensionsMap: { [SELF_AUDIT_DIMENSION]: o.alarmNamePrefix || '(none)' },
      statistic: cloudwatch.Stats.MAXIMUM,
      period: o.schedule,
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    // A self-audit that stopped running (deleted schedule, failing function) is not silence.
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  notify(alarm, o);

  let configRule: config.CfnConfigRule | undefined;
  if (o.configRule) {
    // CfnConfigRule rather than config.CustomRule, which would attach the AWS managed AWSConfigRulesExecutionRole
    // policy to the function's role: the role keeps its least-privilege policy (config:PutEvaluations above).
    fn.addPermission('InvokedByConfig', { principal: new iam.ServicePrincipal('config.amazonaws.com'), sourceAccount: stack.account });
    configRule = new config.CfnConfigRule(scope, 'ConfigRule', {
      description: 'CIS AWS Foundations Benchmark monitoring controls (4.1-4.15 / 5.1-5.15): each control\'s filter, alarm, topic and '
        + 'confirmed subscription hold (cdk-cis-log-monitoring self-audit). NON_COMPLIANT unless every control PASSes.',
      maximumExecutionFrequency: configFrequency(o.schedule),
      source: {
        owner: 'CUSTOM_LAMBDA',
        sourceIdentifier: fn.functionArn,
        sourceDetails: [{ eventSource: 'aws.config', messageType: 'ScheduledNotification', maximumExecutionFrequency: configFrequency(o.schedule) }],
      },
    });
    configRule.node.addDependency(fn.node.findChild('InvokedByConfig'));
  }
  return { function: fn, alarm, rule, configRule };
}

/** Checks organization mode's accounts and role name at synth; answers the accounts (none without the mode). */
function validateOrganization(owner: Construct, accounts: readonly string[] | undefined, roleName: string | undefined): string[] {
  if (accounts === undefined || accounts.length === 0) {
    if (roleName !== undefined) fail(owner, 'selfAuditRoleName needs selfAuditAccounts (the member accounts to assume it in).');
    return [];
  }
  if (Token.isUnresolved(accounts)) fail(owner, 'selfAuditAccounts must be a literal list of account IDs (one IAM resource and one check each), not a token.');
  const seen = new Set<string>();
  for (const account of accounts) {
    if (Token.isUnresolved(account) || !/^\d{12}$/.test(account)) {
      fail(owner, `selfAuditAccounts: ${JSON.stringify(account)} is not a 12-digit AWS account ID.`);
    }
    if (seen.has(account)) fail(owner, `selfAuditAccounts lists ${account} twice.`);
    seen.add(account);
  }
  const own = Stack.of(owner).account;
  if (!Token.isUnresolved(own) && seen.has(own)) {
    fail(owner, `selfAuditAccounts lists ${own}, the function's own account, which it always judges (with its own role): remove it.`);
  }
  if (accounts.length > MAX_SELF_AUDIT_ACCOUNTS) {
    fail(owner, `selfAuditAccounts lists ${accounts.length} accounts; at most ${MAX_SELF_AUDIT_ACCOUNTS} (deploy another self-audit for more).`);
  }
  if (roleName === undefined) fail(owner, 'selfAuditAccounts needs selfAuditRoleName: the role to assume in each account (as `audit --organization` needs --role-name).');
  if (Token.isUnresolved(roleName) || !ROLE_NAME.test(roleName)) {
    fail(owner, `selfAuditRoleName ${JSON.stringify(roleName)} is not an IAM role name (1-64 letters, digits and +=,.@_-; no path).`);
  }
  return [...accounts];
}

/** A resolved CloudFormation value as cdk-nag names it in a finding: `<LogicalId.Arn>`, `<AWS::Partition>`, joined text. */
function nagText(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { 'Ref'?: string; 'Fn::GetAtt'?: [string, string]; 'Fn::Join'?: [string, unknown[]] };
  if (v.Ref !== undefined) return `<${v.Ref}>`;
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  if (v['Fn::Join']) return v['Fn::Join'][1].map(nagText).join(v['Fn::Join'][0]);
  return JSON.stringify(value);
}

/** The Config rule's frequency: the shortest one not more frequent than the schedule. */
function configFrequency(schedule: Duration): string {
  const hours = schedule.toMinutes() / 60;
  if (hours >= 24) return 'TwentyFour_Hours';
  if (hours >= 12) return 'Twelve_Hours';
  if (hours >= 6) return 'Six_Hours';
  if (hours >= 3) return 'Three_Hours';
  return 'One_Hour';
}
