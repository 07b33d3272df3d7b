import { join } from 'path';
import {
  App, Aws, BootstraplessSynthesizer, CfnParameter, Duration, Stack, aws_cloudwatch_actions as actions, aws_kms as kms, aws_logs as logs,
  aws_s3 as s3, aws_sns as sns, aws_sns_subscriptions as subscriptions, aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ts from 'typescript';
import {
  CisAlarmDestinationBinding, CisControl, CisExclusion, CisLogMonitoring, CisLogMonitoringOptions, CisLogMonitoringProps, CisMonitoringStackSet,
  CisMonitoringStackSetProps, CisPatternSet, CisSeverity, ICisAlarmDestination,
} from '../../src';

// Issue 22 §2: `CisMonitoringStackSet` takes every option of `CisLogMonitoring` (`CisLogMonitoringOptions`). The
// options are read from the TypeScript interface with the compiler API, not from a list kept here, so an option
// added to the construct and forgotten by the StackSet fails this test: each must have a sample below, and the
// sample must either reach the member template (the template equals the construct's own with that option, and
// differs from the template without it) or be refused with its documented error (docs/organizations.md).

const SRC = join(__dirname, '..', '..', 'src');
const PROPS_FILE = join(SRC, 'construct', 'props.ts');
const STACK_SET_FILE = join(SRC, 'organizations', 'monitoring-stack-set.ts');
const PROGRAM = ts.createProgram([PROPS_FILE, STACK_SET_FILE], { strict: true, skipLibCheck: true, noEmit: true });

/** The properties of an interface, inherited ones included, as the type checker sees them. */
function propertiesOf(interfaceName: string, file = PROPS_FILE): string[] {
  const checker = PROGRAM.getTypeChecker();
  const source = PROGRAM.getSourceFile(file)!;
  const declaration = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === interfaceName);
  if (!declaration) throw new Error(`${interfaceName} is not declared in ${file}`);
  return checker.getPropertiesOfType(checker.getTypeAtLocation(declaration)).map((p) => p.getName()).sort();
}

const OU = 'ou-ab12-3cd4ef56';
const CENTRAL = 'arn:aws:sns:eu-west-1:888888888888:cis-central';
const EXCLUSION: CisExclusion = {
  principalArns: ['arn:aws:sts::111111111111:assumed-role/terraform-apply/*'],
  controls: [CisControl.IAM_POLICY_CHANGES],
  reason: 'Terraform applies reviewed changes',
  owner: 'platform-team',
  expires: '2099-12-31',
};

/** A destination of one class (ICisAlarmDestination) holding no construct: it works in member accounts. */
class OpenOpsItem implements ICisAlarmDestination {
  public addAlarmActions(binding: CisAlarmDestinationBinding): void {
    binding.alarm.addAlarmAction(new actions.SsmAction(actions.OpsItemSeverity.HIGH, actions.OpsItemCategory.SECURITY));
  }
}

/** One option's sample: built in the stack that holds the construct (the management stack, or the reference member stack). */
interface Sample {
  readonly value: (stack: Stack) => unknown;
  /** Other props the option needs (given with and without it). */
  readonly context?: Partial<CisMonitoringStackSetProps>;
  /** The StackSet refuses the option with this error (documented in docs/organizations.md). */
  readonly refused?: RegExp;
}

const SAMPLES: Record<keyof CisLogMonitoringOptions, Sample> = {
  emails: { value: () => ['secops@example.com', 'oncall@example.com'] },
  topic: { value: (stack) => sns.Topic.fromTopicArn(stack, 'CentralTopic', CENTRAL), context: { emails: undefined, subscriptions: [new subscriptions.UrlSubscription('https://pager.example.com/hook')] } },
  subscriptions: { value: () => [new subscriptions.UrlSubscription('https://pager.example.com/hook')] },
  patternSet: { value: () => CisPatternSet.CIS_V1_2_0 },
  ssoAwareMfaFilter: { value: () => true },
  controls: { value: () => [CisControl.ROOT_ACCOUNT_USAGE, CisControl.VPC_CHANGES] },
  additionalControls: {
    value: () => [CisControl.custom({ id: 'ACME.1', title: 'Reads a secret', pattern: '{ $.eventName = "GetSecretValue" }', metricName: 'acme_metric' })],
  },
  metricNamespace: { value: () => 'Org/CIS' },
  alarmNamePrefix: { value: () => 'Org-' },
  alarmPeriod: { value: () => Duration.minutes(10) },
  alarmThreshold: { value: () => 3 },
  okNotifications: { value: () => true },
  topicEncryptionKey: { value: (stack) => new kms.Key(stack, 'Key'), refused: /`topicEncryptionKey` cannot be used in member accounts: a KMS key lives in one account/ },
  exclusions: { value: () => [EXCLUSION] },
  operationalEmails: { value: () => ['oncall@example.com'], context: { exclusions: [EXCLUSION] } },
  operationalSubscriptions: { value: () => [new subscriptions.UrlSubscription('https://pager.example.com/ops')], context: { exclusions: [EXCLUSION] } },
  severityRoutes: {
    value: (stack) => [
      { severities: [CisSeverity.CRITICAL], subscriptions: [new subscriptions.UrlSubscription('https://pager.example.com/critical')] },
      { severities: [CisSeverity.HIGH], topic: sns.Topic.fromTopicArn(stack, 'Chatbot', 'arn:aws:sns:eu-west-1:888888888888:chatbot') },
      { severities: [CisSeverity.MEDIUM], destinations: [new OpenOpsItem()] },
    ],
  },
  enrichAlarms: { value: () => true, refused: /`enrichAlarms` cannot be used in member accounts: the who-did-it function is a file asset/ },
  deliveryHeartbeat: { value: () => false },
  deliveryHeartbeatPeriod: { value: () => Duration.hours(6) },
  tamperAlarm: { value: () => false },
  // All 15 controls with their rules pass the 51,200 bytes of an inline template (54,076): fewer controls.
  realTime: { value: () => true, context: { controls: [CisControl.ROOT_ACCOUNT_USAGE, CisControl.IAM_POLICY_CHANGES, CisControl.VPC_CHANGES] } },
  selfAudit: { value: () => true, refused: /`selfAudit` cannot be used in member accounts: the self-audit function is a file asset/ },
  selfAuditSchedule: { value: () => Duration.hours(6), refused: /`selfAuditSchedule` cannot be used in member accounts/ },
  selfAuditSecurityHub: { value: () => true, refused: /`selfAuditSecurityHub` cannot be used in member accounts/ },
  selfAuditConfigRule: { value: () => true, refused: /`selfAuditConfigRule` cannot be used in member accounts/ },
  selfAuditReportBucket: { value: (stack) => s3.Bucket.fromBucketName(stack, 'Reports', 'cis-reports'), refused: /`selfAuditReportBucket` cannot be used in member accounts/ },
  selfAuditReportPrefix: { value: () => 'reports/', refused: /`selfAuditReportPrefix` cannot be used in member accounts/ },
  selfAuditAccounts: { value: () => ['111111111111'], refused: /`selfAuditAccounts` cannot be used in member accounts/ },
  selfAuditRoleName: { value: () => 'CisAuditRole', refused: /`selfAuditRoleName` cannot be used in member accounts/ },
};

function stackSet(props: Partial<CisMonitoringStackSetProps>): CisMonitoringStackSet {
  const stack = new Stack(new App(), 'Management', { env: { account: '999999999999', region: 'us-east-1' } });
  return new CisMonitoringStackSet(stack, 'CisEverywhere', {
    organizationalUnitIds: [OU],
    regions: ['eu-west-1'],
    trailLogGroupName: 'aws-controltower/CloudTrailLogs',
    emails: ['secops@example.com'],
    ...props,
  });
}

function withSample(stack: Stack, name: string, sample: Sample): Record<string, unknown> {
  return { emails: ['secops@example.com'], ...sample.context, [name]: sample.value(stack) };
}

/** The member template, built by hand: the construct itself in a stack like the StackSet's member stack. */
function referenceTemplate(name: string, sample: Sample): unknown {
  const stack = new Stack(new App(), 'CisLogMonitoringMember', {
    synthesizer: new BootstraplessSynthesizer(),
    description: 'CIS AWS Foundations Benchmark monitoring (cdk-cis-log-monitoring), deployed by a StackSet',
  });
  const logGroupName = new CfnParameter(stack, 'TrailLogGroupName', {
    type: 'String',
    description: 'The CloudWatch Logs log group the account\'s multi-region CloudTrail trail delivers to',
    default: 'aws-controltower/CloudTrailLogs',
  });
  new CisLogMonitoring(stack, 'Cis', {
    alarmNamePrefix: 'CIS-',
    ...withSample(stack, name, sample),
    logGroup: logs.LogGroup.fromLogGroupName(stack, 'TrailLogGroup', logGroupName.valueAsString),
  } as CisLogMonitoringProps);
  return Template.fromStack(stack).toJSON();
}

function memberTemplate(props: Record<string, unknown>): unknown {
  return JSON.parse(stackSet(props as Partial<CisMonitoringStackSetProps>).templateBody);
}

const OPTIONS = propertiesOf('CisLogMonitoringOptions');

describe('CisMonitoringStackSet takes every option of CisLogMonitoring (issue 22 §2)', () => {
  test('the options, read from the interface, are the construct\'s props but its log group source; the StackSet extends them', () => {
    expect(OPTIONS.length).toBeGreaterThanOrEqual(22);
    expect(propertiesOf('CisLogMonitoringProps')).toEqual([...OPTIONS, 'logGroup', 'trail', 'trailArn'].sort());
    const stackSetProps = new Set(propertiesOf('CisMonitoringStackSetProps', STACK_SET_FILE));
    for (const option of OPTIONS) expect(stackSetProps.has(option)).toBe(true);
  });

  test('every option has a sample here (add one, with proof, when you add an option)', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(OPTIONS);
  });

  test.each(OPTIONS)('%s reaches the member template, or is refused with its documented error', (name) => {
    const sample = (SAMPLES as Record<string, Sample>)[name];
    const build = (stack: Stack) => withSample(stack, name, sample);
    if (sample.refused) {
      expect(() => {
        const app = new App();
        const stack = new Stack(app, 'Management');
        new CisMonitoringStackSet(stack, 'CisEverywhere', {
          organizationalUnitIds: [OU], regions: ['eu-west-1'], trailLogGroupName: 'x', ...build(stack),
        } as CisMonitoringStackSetProps);
      }).toThrow(new RegExp(`^CisMonitoringStackSet Management/CisEverywhere: ${sample.refused.source}`));
      return;
    }
    const app = new App();
    const stack = new Stack(app, 'Management', { env: { account: '999999999999', region: 'us-east-1' } });
    const withOption = JSON.parse(new CisMonitoringStackSet(stack, 'CisEverywhere', {
      organizationalUnitIds: [OU], regions: ['eu-west-1'], trailLogGroupName: 'aws-controltower/CloudTrailLogs', ...build(stack),
    } as CisMonitoringStackSetProps).templateBody);
    expect(withOption).toEqual(referenceTemplate(name, sample));
    const without = memberTemplate({ ...sample.context });
    expect(withOption).not.toEqual(without);
  });
});

describe('CisMonitoringStackSet refuses what a member template cannot hold, naming the option', () => {
  const refused = (props: (stack: Stack) => Partial<CisMonitoringStackSetProps>, message: RegExp) => {
    const stack = new Stack(new App(), 'Management');
    expect(() => new CisMonitoringStackSet(stack, 'CisEverywhere', {
      organizationalUnitIds: [OU], regions: ['eu-west-1'], trailLogGroupName: 'x', emails: ['secops@example.com'], ...props(stack),
    })).toThrow(message);
  };

  test('a topic defined in this app (as `topic` or a route\'s topic)', () => {
    refused((stack) => ({ emails: undefined, topic: new sns.Topic(stack, 'Mine') }),
      /`topic` is Management\/Mine, a topic of this app, which a member account's template cannot refer to/);
    refused((stack) => ({ severityRoutes: [{ severities: [CisSeverity.CRITICAL], topic: new sns.Topic(stack, 'Mine') }] }),
      /`severityRoutes\[0\]\.topic` is Management\/Mine, a topic of this app/);
  });

  test('a subscription to a queue of this app, a deploy-time value of this app', () => {
    refused((stack) => ({ subscriptions: [new subscriptions.SqsSubscription(new sqs.Queue(stack, 'Queue'))] }),
      /`subscriptions` refers to construct Management\/Queue of this app/);
    refused((stack) => ({ alarmThreshold: new CfnParameter(stack, 'Threshold', { type: 'Number' }).valueAsNumber }),
      /`alarmThreshold` refers to construct Management\/Threshold of this app/);
    refused((stack) => ({ operationalEmails: [new CfnParameter(stack, 'Mail').valueAsString], exclusions: [EXCLUSION] }),
      /`operationalEmails` refers to construct Management\/Mail of this app/);
  });

  test('the log group props of the in-stack construct, and two central topics', () => {
    refused((stack) => ({ logGroup: new logs.LogGroup(stack, 'Trail') } as Partial<CisMonitoringStackSetProps>),
      /`logGroup` is not an option of the StackSet: the construct in each member account monitors the log group that `trailLogGroupName` names/);
    refused((stack) => ({ emails: undefined, notificationTopicArn: CENTRAL, topic: sns.Topic.fromTopicArn(stack, 'C', CENTRAL) }),
      /pass `topic` or `notificationTopicArn`, not both/);
    refused((stack) => ({ topic: sns.Topic.fromTopicArn(stack, 'C', CENTRAL) }), /pass `emails` or `topic`, not both/);
  });

  test('a deploy-time value that is not a reference into this app passes (a pseudo parameter)', () => {
    const member = JSON.parse(stackSet({ emails: [`secops+${Aws.ACCOUNT_ID}@example.com`] }).templateBody);
    const endpoints = Object.values(member.Resources).filter((r: any) => r.Type === 'AWS::SNS::Subscription').map((r: any) => r.Properties.Endpoint);
    expect(endpoints).toEqual([{ 'Fn::Join': ['', ['secops+', { Ref: 'AWS::AccountId' }, '@example.com']] }]);
  });
});
