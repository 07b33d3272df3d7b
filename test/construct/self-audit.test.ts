import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack, Validations, aws_kms as kms, aws_logs as logs, aws_s3 as s3 } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { cfnText, newStack, synth } from './helpers';
import { moduleClosure } from '../../scripts/package/bundle-closure';
import { CisControl, CisLogMonitoring, CisLogMonitoringProps, CisPatternSet } from '../../src';
import { SELF_AUDIT_READ_ACTIONS, SELF_AUDIT_REPORT_READ_ACTIONS } from '../../src/construct/self-audit';

// Issue 20 §3: the self-audit's resources in the template (docs/self-audit.md). The function's logic is tested against
// moto in test/e2e/self-audit-moto.test.ts.

const fnOf = (template: Template): [string, any] => Object.entries(template.findResources('AWS::Lambda::Function'))[0] as [string, any];

describe('selfAudit', () => {
  const { template, monitoring } = synth({ selfAudit: true });
  const [fnId, fn] = fnOf(template);

  test('off by default: no function, rule or Config rule', () => {
    const plain = synth().template;
    plain.resourceCountIs('AWS::Lambda::Function', 0);
    plain.resourceCountIs('AWS::Events::Rule', 0);
    plain.resourceCountIs('AWS::Config::ConfigRule', 0);
    expect(synth().monitoring.selfAuditFunction).toBeUndefined();
  });

  test('one bundled function on Node.js 24, reserved concurrency 1, 5-minute timeout, its own log group kept a year, configured by environment', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    expect(fn.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Timeout: 300,
      ReservedConcurrentExecutions: 1,
      Code: { S3Key: expect.stringMatching(/\.zip$/) },
      Environment: {
        Variables: {
          PATTERN_SET: 'RECOMMENDED',
          CONTROLS: CisPatternSet.RECOMMENDED.controls().map((c) => c.key).join(','),
          METRIC_NAMESPACE: 'CISBenchmark',
          ALARM_NAME_PREFIX: 'TestStack-Cis-C322E0D3-',
          SECURITY_HUB: 'true',
        },
      },
    });
    expect(monitoring.selfAuditFunction?.node.path).toBe('TestStack/Cis/SelfAudit/Function');
    const group = template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 365 } });
    expect(fn.Properties.LoggingConfig.LogGroup.Ref).toMatch(/^CisSelfAuditLogGroup/);
    expect(Object.keys(group)).toContain(fn.Properties.LoggingConfig.LogGroup.Ref);
    // The SDK is the runtime's: required, never bundled.
    const bundle = fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'construct', 'audit', 'self-audit.lambda', 'index.js'), 'utf8');
    expect(bundle).toMatch(/require\("@aws-sdk\/client-cloudtrail"\)/);
    expect(bundle).not.toMatch(/class CloudTrailClient/);
    // The write calls too: Security Hub, Config and S3 (the report) through the runtime's clients; no signer of our own.
    for (const client of ['client-securityhub', 'client-config-service', 'client-s3']) expect(bundle).toContain(`require("@aws-sdk/${client}")`);
    expect(bundle).not.toMatch(/class (SecurityHubClient|ConfigServiceClient|S3Client)\b|AWS4-HMAC-SHA256/);
  });

  test('scheduled daily by an EventBridge rule; the schedule is a prop, bounded to 1 hour … 1 day', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 day)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com', FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] } });
    synth({ selfAudit: true, selfAuditSchedule: Duration.hours(6) }).template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(6 hours)' });
    expect(() => synth({ selfAudit: true, selfAuditSchedule: Duration.minutes(30) })).toThrow(/selfAuditSchedule must be a whole number of minutes from 1 hour to 1 day/);
    expect(() => synth({ selfAudit: true, selfAuditSchedule: Duration.days(2) })).toThrow(/selfAuditSchedule/);
  });

  test('the alarm: SelfAuditNotPassing >= 1 over the schedule, missing data breaching, to every operational destination', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'TestStack-Cis-C322E0D3-cis_self_audit_alarm',
      Namespace: 'CISBenchmark',
      MetricName: 'SelfAuditNotPassing',
      Dimensions: [{ Name: 'AlarmNamePrefix', Value: 'TestStack-Cis-C322E0D3-' }],
      Statistic: 'Maximum',
      Period: 86400,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^CisTopic') }],
    });
    // With exclusions and a CRITICAL route, it notifies the same destinations as the heartbeat.
    const routed = synth({
      selfAudit: true,
      exclusions: [{ principalArns: ['arn:aws:iam::111111111111:role/ops'], controls: [CisControl.ROOT_ACCOUNT_USAGE], reason: 'r', owner: 'o', expires: '2099-01-01' }],
      operationalEmails: ['oncall@example.com'],
    }).template;
    const alarms = Object.values(routed.findResources('AWS::CloudWatch::Alarm')) as any[];
    const actionsOf = (suffix: string): string[] =>
      alarms.find((a) => a.Properties.AlarmName.endsWith(suffix)).Properties.AlarmActions.map(cfnText).sort();
    expect(actionsOf('cis_self_audit_alarm')).toEqual(actionsOf('delivery_heartbeat_alarm'));
    expect(actionsOf('cis_self_audit_alarm')).toHaveLength(2);
  });

  test('permissions: the read-only calls, PutMetricData on its namespace only, BatchImportFindings on the account\'s default product, own logs', () => {
    const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy')) as any[];
    expect(policies).toHaveLength(1);
    const statements = policies[0].Properties.PolicyDocument.Statement as any[];
    const byId = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(statements.map((s) => s.Sid)).toEqual(['ReadTheMonitoring', 'PublishTheVerdictMetrics', 'WriteOwnLogs', 'ImportTheFindings']);
    expect(byId.ReadTheMonitoring.Action).toEqual([...SELF_AUDIT_READ_ACTIONS]);
    for (const action of byId.ReadTheMonitoring.Action) expect(action).toMatch(/^[a-z]+:(Describe|Get|List)[A-Za-z]+$/);
    expect(byId.PublishTheVerdictMetrics).toMatchObject({ Action: 'cloudwatch:PutMetricData', Condition: { StringEquals: { 'cloudwatch:namespace': 'CISBenchmark' } } });
    expect(cfnText(byId.ImportTheFindings.Resource)).toBe('arn:${AWS::Partition}:securityhub:eu-west-1:111111111111:product/111111111111/default');
    expect(byId.ImportTheFindings.Action).toBe('securityhub:BatchImportFindings');
    expect(byId.WriteOwnLogs.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^CisSelfAuditLogGroup/), 'Arn'] });
    expect(JSON.stringify(statements)).not.toMatch(/config:|Put(?!MetricData|LogEvents)|Delete|Update|Create(?!LogStream)/);
    const roles = Object.values(template.findResources('AWS::IAM::Role')) as any[];
    expect(roles.map((r) => r.Properties.ManagedPolicyArns)).toEqual([undefined]);
  });

  test('docs/self-audit.md lists every permission the policy grants', () => {
    const docs = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'self-audit.md'), 'utf8');
    const row = docs.split('\n').find((l) => l.startsWith('| `ReadTheMonitoring` |'))!;
    expect(row.split('|')[2].match(/`[a-z]+:[A-Za-z]+`/g)!.map((a) => a.slice(1, -1))).toEqual([...SELF_AUDIT_READ_ACTIONS]);
    for (const action of ['cloudwatch:PutMetricData', 'securityhub:BatchImportFindings', 'config:PutEvaluations', 'logs:PutLogEvents']) {
      expect(docs).toContain(`\`${action}\``);
    }
  });

  test('docs/self-audit.md lists the evidence report\'s permissions', () => {
    const docs = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'self-audit.md'), 'utf8');
    const row = docs.split('\n').find((l) => l.startsWith('| `ReadTheEvidence`'))!;
    expect(row.split('|')[2].match(/`[a-z]+:[A-Za-z]+`/g)!.map((a) => a.slice(1, -1))).toEqual([...SELF_AUDIT_REPORT_READ_ACTIONS]);
    expect(docs.split('\n').find((l) => l.startsWith('| `StoreTheReport`'))).toContain('`s3:PutObject`');
  });

  test('no report bucket: no S3 or report permission, no report settings for the function', () => {
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toMatch(/s3:|GetMetricData|FilterLogEvents|REPORT_/);
    template.resourceCountIs('AWS::S3::BucketPolicy', 0);
  });

  describe('selfAuditReportBucket', () => {
    const withBucket = (bucketOf: (stack: Stack) => s3.IBucket, props: Partial<CisLogMonitoringProps> = {}) => {
      const { stack, logGroup } = newStack();
      const bucket = bucketOf(stack);
      new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['secops@example.com'], selfAudit: true, selfAuditReportBucket: bucket, ...props });
      const t = Template.fromStack(stack);
      const policies = Object.values(t.findResources('AWS::IAM::ManagedPolicy')) as any[];
      const statements = policies[0].Properties.PolicyDocument.Statement as any[];
      return { t, stack, bucket, byId: Object.fromEntries(statements.map((st) => [st.Sid, st])), statements };
    };

    test('s3:PutObject on the prefix only, encrypt on the bucket\'s key, the report\'s reads; the function is told bucket and prefix', () => {
      const { t, byId, statements } = withBucket((stack) => new s3.Bucket(stack, 'Reports', { encryptionKey: new kms.Key(stack, 'ReportKey') }));
      expect(byId.StoreTheReport.Action).toBe('s3:PutObject');
      expect(cfnText(byId.StoreTheReport.Resource)).toMatch(/^\{"Fn::GetAtt":\["Reports[0-9A-F]{8}","Arn"\]\}\/cis-self-audit\/\*$/);
      expect(byId.EncryptTheReport.Action).toEqual(['kms:GenerateDataKey', 'kms:Encrypt']);
      expect(byId.EncryptTheReport.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ReportKey/), 'Arn'] });
      expect(byId.ReadTheEvidence).toMatchObject({ Action: ['cloudwatch:GetMetricData', 'logs:FilterLogEvents'], Resource: '*' });
      // Nothing else of S3: no bucket-wide grant, no other object action, no bucket policy.
      expect(JSON.stringify(statements).match(/"s3:[A-Za-z*]+"/g)).toEqual(['"s3:PutObject"']);
      t.resourceCountIs('AWS::S3::BucketPolicy', 0);
      const roles = Object.values(t.findResources('AWS::IAM::Policy')) as any[];
      expect(roles).toEqual([]);
      const env = fnOf(t)[1].Properties.Environment.Variables;
      expect(env.REPORT_BUCKET).toEqual({ Ref: expect.stringMatching(/^Reports[0-9A-F]{8}$/) });
      expect(env.REPORT_PREFIX).toBe('cis-self-audit/');
    });

    test('an imported bucket without a key and a custom prefix: PutObject on that prefix, no KMS', () => {
      const { byId, t } = withBucket((stack) => s3.Bucket.fromBucketName(stack, 'Reports', 'acme-audit-reports'), { selfAuditReportPrefix: 'cis/daily/' });
      expect(cfnText(byId.StoreTheReport.Resource)).toBe('arn:${AWS::Partition}:s3:::acme-audit-reports/cis/daily/*');
      expect(byId.EncryptTheReport).toBeUndefined();
      expect(fnOf(t)[1].Properties.Environment.Variables).toMatchObject({ REPORT_BUCKET: 'acme-audit-reports', REPORT_PREFIX: 'cis/daily/' });
    });

    test('a prefix without a bucket is refused', () => {
      expect(() => synth({ selfAudit: true, selfAuditReportPrefix: 'x/' })).toThrow(/selfAuditReportPrefix needs selfAuditReportBucket/);
    });
  });

  test('selfAuditSecurityHub: false drops the Security Hub permission and tells the function', () => {
    const t = synth({ selfAudit: true, selfAuditSecurityHub: false }).template;
    expect(fnOf(t)[1].Properties.Environment.Variables.SECURITY_HUB).toBe('false');
    expect(JSON.stringify(t.findResources('AWS::IAM::ManagedPolicy'))).not.toContain('securityhub');
  });

  test('selfAuditConfigRule: a periodic custom Config rule on the function, and config:PutEvaluations', () => {
    const t = synth({ selfAudit: true, selfAuditConfigRule: true, selfAuditSchedule: Duration.hours(12) }).template;
    const [id] = fnOf(t);
    t.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: {
        Owner: 'CUSTOM_LAMBDA',
        SourceIdentifier: { 'Fn::GetAtt': [id, 'Arn'] },
        SourceDetails: [{ EventSource: 'aws.config', MessageType: 'ScheduledNotification', MaximumExecutionFrequency: 'Twelve_Hours' }],
      },
    });
    t.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'config.amazonaws.com', FunctionName: { 'Fn::GetAtt': [id, 'Arn'] } });
    const statements = (Object.values(t.findResources('AWS::IAM::ManagedPolicy'))[0] as any).Properties.PolicyDocument.Statement as any[];
    expect(statements.find((s) => s.Sid === 'ReportToConfig')).toMatchObject({ Action: 'config:PutEvaluations', Resource: '*' });
  });

  test('custom controls are not judged and the function says so; a construct with only custom controls is refused', () => {
    const custom = CisControl.custom({ id: 'X.1', title: 'mine', pattern: '{ $.eventName = "Mine" }', alarmName: 'mine_alarm', metricName: 'mine_metric' });
    const { template: t, monitoring: m } = synth({ selfAudit: true, additionalControls: [custom] });
    expect(fnOf(t)[1].Properties.Environment.Variables.CONTROLS).not.toContain('X.1');
    expect(m.selfAuditFunction!.node.metadata.map((e) => e.data)).toContain('custom controls not audited: CUSTOM:X.1');
    expect(() => synth({ selfAudit: true, controls: [custom] })).toThrow(/selfAudit judges the built-in CIS controls/);
  });

  test('cdk-nag AwsSolutions: no finding on the self-audit (wildcard reads acknowledged with their reason on the policy)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cis-self-audit-'));
    const app = new App({ outdir });
    const stack = new Stack(app, 'Audit', { env: { account: '111111111111', region: 'eu-west-1' } });
    const logGroup = new logs.LogGroup(stack, 'TrailLogs', { retention: logs.RetentionDays.ONE_YEAR });
    // With the report bucket (a KMS-encrypted one): its prefix-scoped PutObject is reported and acknowledged too.
    const selfAuditReportBucket = new s3.Bucket(stack, 'Reports', { encryptionKey: new kms.Key(stack, 'ReportKey', { enableKeyRotation: true }) });
    // Organization mode too: its sts:AssumeRole names each role, no wildcard.
    const organization = { selfAuditAccounts: ['222222222222', '333333333333'], selfAuditRoleName: 'CisAuditRole' };
    const props: CisLogMonitoringProps = { logGroup, emails: ['secops@example.com'], selfAudit: true, selfAuditConfigRule: true, selfAuditReportBucket, ...organization };
    new CisLogMonitoring(stack, 'Cis', props);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const exitCode = process.exitCode;
    try {
      app.synth();
    } finally {
      process.exitCode = exitCode;
    }
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    const findings: string[] = report.pluginReports.flatMap((r: any) => r.violations.flatMap((v: any) =>
      v.violatingConstructs.map((c: any) => `${v.ruleName} ${c.constructPath}`)));
    expect(findings.filter((f) => f.startsWith('AwsSolutions-') && f.includes('Audit/Cis/'))).toEqual([]);
    // The acknowledgements, on the policy: the `Resource::*` finding and the report prefix's.
    const acknowledged = stack.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .map((m) => `${c.node.path} ${Object.keys(m.data).join(' ')}`));
    expect(acknowledged).toEqual([
      'Audit/Cis/SelfAudit/Policy AwsSolutions-IAM5[Resource::*]',
      expect.stringMatching(/^Audit\/Cis\/SelfAudit\/Policy AwsSolutions-IAM5\[Resource::<Reports[0-9A-F]{8}\.Arn>\/cis-self-audit\/\*\]$/),
    ]);
  });

  test('the library\'s entry point never reaches the AWS SDK (the self-audit\'s SDK files are the function\'s and the CLI\'s)', () => {
    const closure = moduleClosure(path.join(__dirname, '..', '..', 'src', 'index.ts'), ['.ts']);
    expect(closure.external.filter((e) => e.specifier.startsWith('@aws-sdk/')).map((e) => `${path.relative(process.cwd(), e.file)} ${e.specifier}`)).toEqual([]);
    expect(closure.files.some((f) => f.endsWith(path.join('verdicts', 'live', 'self-audit.ts')))).toBe(true);
  });
});

describe('selfAudit organization mode (selfAuditAccounts, selfAuditRoleName)', () => {
  const MEMBERS = ['222222222222', '333333333333'];
  const statementsOf = (template: Template): any[] =>
    (Object.values(template.findResources('AWS::IAM::ManagedPolicy'))[0] as any).Properties.PolicyDocument.Statement;

  test('sts:AssumeRole on exactly the listed accounts\' role, in the stack\'s partition; the accounts and role in the environment; 15-minute timeout', () => {
    const { template } = synth({ selfAudit: true, selfAuditAccounts: MEMBERS, selfAuditRoleName: 'CisAuditRole' });
    const statements = statementsOf(template);
    const assume = statements.filter((s) => JSON.stringify(s.Action).includes('sts:'));
    expect(assume).toHaveLength(1);
    expect(assume[0]).toMatchObject({ Sid: 'AssumeTheMemberRoles', Action: 'sts:AssumeRole', Effect: 'Allow' });
    expect(assume[0].Resource.map(cfnText)).toEqual([
      'arn:${AWS::Partition}:iam::222222222222:role/CisAuditRole',
      'arn:${AWS::Partition}:iam::333333333333:role/CisAuditRole',
    ]);
    expect(assume[0].Condition).toBeUndefined();
    const fn = fnOf(template)[1].Properties;
    expect(fn.Environment.Variables).toMatchObject({ MEMBER_ACCOUNTS: '222222222222,333333333333', MEMBER_ROLE_NAME: 'CisAuditRole' });
    expect(fn.Timeout).toBe(900);
  });

  test('no AssumeRole and no member variables without selfAuditAccounts', () => {
    const { template } = synth({ selfAudit: true });
    expect(JSON.stringify(statementsOf(template))).not.toContain('sts:');
    const variables = fnOf(template)[1].Properties.Environment.Variables;
    expect(variables.MEMBER_ACCOUNTS).toBeUndefined();
    expect(variables.MEMBER_ROLE_NAME).toBeUndefined();
    expect(fnOf(synth({ selfAudit: true, selfAuditAccounts: [] }).template)[1].Properties.Environment.Variables.MEMBER_ACCOUNTS).toBeUndefined();
  });

  test('synth errors: not 12 digits, a duplicate, the own account, too many, no role, a bad role name, without selfAudit', () => {
    const role = { selfAudit: true, selfAuditRoleName: 'CisAuditRole' };
    expect(() => synth({ ...role, selfAuditAccounts: ['22222222222'] })).toThrow(/CisLogMonitoring TestStack\/Cis: selfAuditAccounts: "22222222222" is not a 12-digit AWS account ID/);
    expect(() => synth({ ...role, selfAuditAccounts: ['2222222222a2'] })).toThrow(/is not a 12-digit AWS account ID/);
    expect(() => synth({ ...role, selfAuditAccounts: ['222222222222', '222222222222'] })).toThrow(/selfAuditAccounts lists 222222222222 twice/);
    expect(() => synth({ ...role, selfAuditAccounts: ['111111111111'] })).toThrow(/lists 111111111111, the function's own account/);
    const many = Array.from({ length: 101 }, (_, i) => String(200000000000 + i));
    expect(() => synth({ ...role, selfAuditAccounts: many })).toThrow(/lists 101 accounts; at most 100/);
    expect(() => synth({ ...role, selfAuditAccounts: many.slice(0, 100) })).not.toThrow();
    expect(() => synth({ selfAudit: true, selfAuditAccounts: MEMBERS })).toThrow(/selfAuditAccounts needs selfAuditRoleName/);
    expect(() => synth({ ...role, selfAuditAccounts: MEMBERS, selfAuditRoleName: 'path/CisAuditRole' })).toThrow(/selfAuditRoleName "path\/CisAuditRole" is not an IAM role name/);
    expect(() => synth({ ...role, selfAuditAccounts: MEMBERS, selfAuditRoleName: 'x'.repeat(65) })).toThrow(/is not an IAM role name/);
    expect(() => synth({ selfAudit: true, selfAuditRoleName: 'CisAuditRole' })).toThrow(/selfAuditRoleName needs selfAuditAccounts/);
    expect(() => synth({ selfAuditAccounts: MEMBERS, selfAuditRoleName: 'CisAuditRole' })).toThrow(/selfAuditAccounts needs selfAudit: true/);
    expect(() => synth({ selfAuditRoleName: 'CisAuditRole' })).toThrow(/selfAuditRoleName needs selfAudit: true/);
  });
});
