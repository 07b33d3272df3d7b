/**
 * Deploy proof (ISSUE 5): the synthesized templates are deployed into an emulated AWS account
 * (moto server on loopback) and the CIS audit procedure (`cdk-cis-log-monitoring audit`, steps 1–7)
 * runs against it through the AWS SDK for JavaScript v3, for every control and every pattern set,
 * and for the negative cases the audit must catch.
 *
 * Needs moto: `bash scripts/e2e/setup.sh` (creates .venv-moto/). Without it, this test fails and says so.
 */
import {
  CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand, UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CreateLogGroupCommand, DeleteLogGroupCommand, DeleteMetricFilterCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DeleteTopicCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { SynthesizedApp, TEST_EMAIL, TEST_LOG_GROUP, demoApp, stackNameFor, testApp } from './apps';
import { CisControl, CisPatternSet } from '../../src';
import { Deployment, IGNORED_TYPES, MotoClients, REPLAYED_TYPES, deployToMoto } from './moto/deploy';
import { MOTO_ACCOUNT, MotoServer } from './moto/server';
import { motoForThisFile } from './moto/suite';
import { AuditReport, ControlFinding } from '../../packages/cli/src/account/report';
import { runAudit } from '../../packages/cli/src/commands/audit/command';
import { setOptions } from '../../src/catalog/variants';
import { runTranspiledCli, transpileForChildProcess } from '../support/transpile';

const REGION = 'us-east-1';

let moto: MotoServer;
let clients: MotoClients;

motoForThisFile({
  region: REGION,
  started: async (started, startedClients) => {
    moto = started;
    clients = startedClients;
  },
});

/** Runs `cdk-cis-log-monitoring audit` in-process against moto. */
async function audit(...args: string[]): Promise<{ code: number; report: AuditReport; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAudit(['--region', REGION, '--endpoint-url', moto.endpoint, '--output', 'json', ...args],
    { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: {} });
  if (!stdout) throw new Error(`audit printed nothing (exit ${code}): ${stderr}`);
  return { code, report: JSON.parse(stdout) as AuditReport, stderr };
}

/** Runs the audit and returns the table output. */
async function auditTable(...args: string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const code = await runAudit(['--region', REGION, '--endpoint-url', moto.endpoint, ...args],
    { stdout: (t) => { text += t; }, stderr: (t) => { text += t; }, env: {} });
  return { code, text };
}

let transpiled: string | undefined;

/** Runs the CLI package's entry point (transpiled, laid out as installed) as a process with the user's environment variables. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  transpiled ??= transpileForChildProcess();
  return runTranspiledCli(transpiled, args, moto.childEnv());
}

/** A fresh account with the app deployed. */
async function freshDeploy(app: SynthesizedApp): Promise<Deployment> {
  await moto.reset();
  return deployToMoto(clients, app.template, app.stackName);
}

/** What audit step 1 needs, for apps that do not define the trail: a multi-region trail, logging all management events. */
async function createTrail(name = 'cis-e2e-trail', logGroupName = TEST_LOG_GROUP): Promise<string> {
  const bucket = `${name}-bucket`;
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  // The delivery role the trail names must exist and trust CloudTrail (the audit reads it: iam:GetRole).
  await clients.iam.send(new CreateRoleCommand({
    RoleName: 'cloudtrail-to-logs',
    AssumeRolePolicyDocument: JSON.stringify({
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    }),
  }));
  await clients.cloudtrail.send(new CreateTrailCommand({
    Name: name,
    S3BucketName: bucket,
    IsMultiRegionTrail: true,
    IncludeGlobalServiceEvents: true,
    CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${MOTO_ACCOUNT}:log-group:${logGroupName}:*`,
    CloudWatchLogsRoleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/cloudtrail-to-logs`,
  }));
  await clients.cloudtrail.send(new PutEventSelectorsCommand({
    TrailName: name, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
  }));
  await clients.cloudtrail.send(new StartLoggingCommand({ Name: name }));
  return name;
}

function finding(report: AuditReport, control: CisControl): ControlFinding {
  const found = report.controls.find((c) => c.key === control.key);
  if (!found) throw new Error(`no finding for ${control.key}`);
  return found;
}

function expectOnlyFailing(report: AuditReport, failing: CisControl[]): void {
  const failed = report.controls.filter((c) => c.status === 'FAIL').map((c) => c.key);
  expect(failed).toEqual(failing.map((c) => c.key));
}

describe('the demo app (examples/demo-stack.ts) deployed into moto', () => {
  const demo = demoApp();
  let deployment: Deployment;

  beforeEach(async () => {
    deployment = await freshDeploy(demo);
  });

  test('moto skips exactly the types the replay covers, and the replay deploys every one of them', () => {
    const templateTypes = new Set(Object.values<any>(demo.template.Resources).map((r) => r.Type as string));
    for (const type of moto.skippedCloudFormationTypes()) expect([...REPLAYED_TYPES, ...IGNORED_TYPES]).toContain(type);
    for (const type of deployment.skippedTypes) {
      if (!IGNORED_TYPES.has(type)) expect(moto.skippedCloudFormationTypes()).toContain(type);
    }
    const replayedCount = Object.values<any>(demo.template.Resources).filter((r) => REPLAYED_TYPES.includes(r.Type)).length;
    expect(deployment.replayed).toHaveLength(replayedCount);
    expect(templateTypes).toContain('AWS::CloudTrail::Trail');
  });

  test('every control passes the CIS audit (steps 1-7) with the default pattern set', async () => {
    const { code, report } = await audit();
    expect(report.account).toBe(MOTO_ACCOUNT);
    expect(report.patternSet).toBe('RECOMMENDED');
    expect(report.trails).toHaveLength(1);
    expect(report.trails[0]).toMatchObject({ status: 'PASS', isMultiRegionTrail: true, isLogging: true, allManagementEvents: true });
    expect(report.controls.map((c) => c.id)).toEqual(CisPatternSet.RECOMMENDED.controls().map((c) => c.id));
    expect(report.controls.filter((c) => c.status !== 'PASS')).toEqual([]);
    expect(report).toMatchObject({ status: 'PASS', passed: 15, failed: 0 });
    expect(code).toBe(0);

    // The chain the audit found is the one the template defines.
    const topicLogicalId = Object.keys(demo.template.Resources).find((id) => demo.template.Resources[id].Type === 'AWS::SNS::Topic')!;
    const alarmNames = Object.values<any>(demo.template.Resources)
      .filter((r) => r.Type === 'AWS::CloudWatch::Alarm').map((r) => r.Properties.AlarmName);
    for (const c of report.controls) {
      expect(c.topicArn).toBe(deployment.physicalIds.get(topicLogicalId));
      expect(alarmNames).toContain(c.alarmName);
      expect(c.metricNamespace).toBe('CISBenchmark');
      expect(c.confirmedSubscriptions).toBe(1);
    }
  });

  test('the table output names every control and ends with the verdict', async () => {
    const { code, text } = await auditTable();
    expect(code).toBe(0);
    for (const control of CisPatternSet.RECOMMENDED.controls()) expect(text).toMatch(new RegExp(`^  ${control.id.replace('.', '\\.')} +PASS `, 'm'));
    expect(text).toMatch(/PASS: 15 passed, 0 failed\n$/);
  });

  test('the command as users run it: `cdk-cis-log-monitoring audit` in its own process, endpoint from AWS_ENDPOINT_URL', async () => {
    const pass = await runCli(['audit', '--region', REGION]);
    expect(pass.stderr).not.toMatch(/audit:/); // (Node 20 prints the SDK's end-of-support warning there)
    expect(pass.stdout).toMatch(/^CIS AWS Foundations Benchmark monitoring audit: account 123456789012, region us-east-1, pattern set RECOMMENDED$/m);
    expect(pass.stdout).toMatch(/PASS: 15 passed, 0 failed\n$/);
    expect(pass.code).toBe(0);

    await clients.cloudtrail.send(new StopLoggingCommand({
      Name: deployment.physicalIds.get(
        Object.keys(demo.template.Resources).find((id) => demo.template.Resources[id].Type === 'AWS::CloudTrail::Trail')!)!,
    }));
    const fail = await runCli(['audit', '--region', REGION, '--json', '--pattern-set', 'any']);
    expect(JSON.parse(fail.stdout)).toMatchObject({ status: 'FAIL', failed: 15, patternSet: 'any' });
    expect(fail.code).toBe(2);
  }, 180_000);

  describe('negative cases: each reported as FAIL with the right reason', () => {
    const trailName = (): string => deployment.physicalIds.get(
      Object.keys(demo.template.Resources).find((id) => demo.template.Resources[id].Type === 'AWS::CloudTrail::Trail')!)!;
    const logGroupName = (): string => deployment.physicalIds.get(
      Object.keys(demo.template.Resources).find((id) => demo.template.Resources[id].Type === 'AWS::Logs::LogGroup')!)!;
    const alarmOf = (control: CisControl): Promise<MetricAlarm> => clients.alarmFor(control.metricName);
    const putAlarm = (alarm: MetricAlarm, change: Partial<MetricAlarm>): Promise<void> => clients.changeAlarm(alarm, change);
    const replaceFilter = async (control: CisControl, pattern: string, onLogGroup = logGroupName()): Promise<void> => {
      // moto adds a duplicate on a second put with the same name: delete first.
      await clients.logs.send(new DeleteMetricFilterCommand({ logGroupName: logGroupName(), filterName: control.metricName }));
      await clients.logs.send(new PutMetricFilterCommand({
        logGroupName: onLogGroup,
        filterName: control.metricName,
        filterPattern: pattern,
        metricTransformations: [{ metricName: control.metricName, metricNamespace: 'CISBenchmark', metricValue: '1' }],
      }));
    };

    test('a wrong pattern: another pattern set\'s text', async () => {
      const control = CisControl.UNAUTHORIZED_API_CALLS;
      const wrong = control.patternFor(CisPatternSet.CIS_V3_0_0);
      expect(wrong).not.toBe(control.patternFor(CisPatternSet.RECOMMENDED));
      await replaceFilter(control, wrong);
      const { code, report } = await audit();
      expect(code).toBe(2);
      expectOnlyFailing(report, [control]);
      expect(finding(report, control).reason).toBe(`control 4.1 (${control.title}): metric filter 'unauthorized_api_calls_metric' on '${logGroupName()}' has `
        + 'the text of CIS_V3_0_0, CIS_V5_0_0, CIS_V6_0_0, CIS_V7_0_0; expected RECOMMENDED\'s pattern [CIS-MON-FILTER-PRESENT]');
    });

    test('a wrong pattern: unknown text for the control\'s metric, and a whitespace-only difference', async () => {
      await replaceFilter(CisControl.ROOT_ACCOUNT_USAGE, '{ $.userIdentity.type = "Root" }');
      const spaced = CisControl.VPC_CHANGES.patternFor(CisPatternSet.RECOMMENDED).replace('{ ', '{  ');
      await replaceFilter(CisControl.VPC_CHANGES, spaced);
      const { report } = await audit();
      expectOnlyFailing(report, [CisControl.ROOT_ACCOUNT_USAGE, CisControl.VPC_CHANGES]);
      expect(finding(report, CisControl.ROOT_ACCOUNT_USAGE).reason).toBe(`control 4.3 (${CisControl.ROOT_ACCOUNT_USAGE.title}): no metric filter with `
        + `RECOMMENDED's pattern on the trail log group '${logGroupName()}' [CIS-MON-FILTER-PRESENT]`);
      expect(finding(report, CisControl.VPC_CHANGES).reason).toMatch(/differs from RECOMMENDED's pattern only in whitespace/);
    });

    test('an alarm without action', async () => {
      const control = CisControl.ROOT_ACCOUNT_USAGE;
      const alarm = await alarmOf(control);
      await putAlarm(alarm, { AlarmActions: [] });
      const { code, report } = await audit();
      expect(code).toBe(2);
      expectOnlyFailing(report, [control]);
      expect(finding(report, control).reason).toBe(`alarm '${alarm.AlarmName}' has no SNS topic among its AlarmActions: nobody is notified [CIS-MON-ALARM-NOTIFIES]`);
    });

    test('an alarm with its actions disabled', async () => {
      const control = CisControl.CONSOLE_AUTH_FAILURES;
      const alarm = await alarmOf(control);
      await putAlarm(alarm, { ActionsEnabled: false });
      const { report } = await audit();
      expectOnlyFailing(report, [control]);
      expect(finding(report, control).reason).toBe(`alarm '${alarm.AlarmName}' has its actions disabled (ActionsEnabled false): nobody is notified `
        + '[CIS-MON-ALARM-ACTIONS-ENABLED]');
    });

    test('an alarm on the metric name in another namespace', async () => {
      const control = CisControl.NACL_CHANGES;
      const alarm = await alarmOf(control);
      await putAlarm(alarm, { Namespace: 'LogMetrics' });
      const { report } = await audit();
      expectOnlyFailing(report, [control]);
      expect(finding(report, control).reason).toMatch(/^no alarm watches metric CISBenchmark\/nacl_changes_metric of metric filter 'nacl_changes_metric'.* \[CIS-MON-ALARM-PRESENT\]$/);
    });

    test('a topic without subscribers', async () => {
      const topicArn = deployment.physicalIds.get(
        Object.keys(demo.template.Resources).find((id) => demo.template.Resources[id].Type === 'AWS::SNS::Topic')!)!;
      const subs = await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
      expect(subs.Subscriptions).toHaveLength(1);
      await clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: subs.Subscriptions![0].SubscriptionArn }));
      const { code, report } = await audit();
      expect(code).toBe(2);
      expect(report.failed).toBe(15);
      for (const c of report.controls) {
        expect(c.reason).toMatch(new RegExp(`^topic '${topicArn.split(':')[5]}' \\(notified by alarm '.+'\\) has no subscription: nobody is notified `
          + '\\[CIS-MON-SUBSCRIPTION-PRESENT\\]$'));
      }
    });

    test('a topic that no longer exists', async () => {
      const topicArn = deployment.physicalIds.get(
        Object.keys(demo.template.Resources).find((id) => demo.template.Resources[id].Type === 'AWS::SNS::Topic')!)!;
      await clients.sns.send(new DeleteTopicCommand({ TopicArn: topicArn }));
      const { report } = await audit();
      expect(report.failed).toBe(15);
      for (const c of report.controls) expect(c.reason).toMatch(/^alarm '.+' notifies topic arn:aws:sns:.+, which does not exist: nobody is notified \[CIS-MON-TOPIC-VISIBLE\]$/);
    });

    test('a single-region trail', async () => {
      await clients.cloudtrail.send(new UpdateTrailCommand({ Name: trailName(), IsMultiRegionTrail: false }));
      const { code, report } = await audit();
      expect(code).toBe(2);
      const reason = `trail '${trailName()}' is not multi-region: events of the other regions never reach the metric filters [CIS-MON-TRAIL-MULTI-REGION]`;
      expect(report.trails[0]).toMatchObject({ status: 'FAIL', reason });
      expect(report.failed).toBe(15);
      for (const c of report.controls) {
        // Only the trail is wrong: the rest of the chain was found, and is reported.
        expect({ reason: c.reason, rules: c.findings.map((f) => f.rule), alarm: c.alarmName !== undefined })
          .toEqual({ reason, rules: ['CIS-MON-TRAIL-MULTI-REGION'], alarm: true });
      }
    });

    test('a stopped trail', async () => {
      await clients.cloudtrail.send(new StopLoggingCommand({ Name: trailName() }));
      const { code, report } = await audit();
      expect(code).toBe(2);
      const reason = `trail '${trailName()}' is not logging (IsLogging false): no event reaches the metric filters [CIS-MON-TRAIL-LOGGING]`;
      expect(report.trails[0]).toMatchObject({ status: 'FAIL', isLogging: false, reason });
      for (const c of report.controls) expect(c.reason).toBe(reason);
    });

    test('a trail that does not capture write management events', async () => {
      await clients.cloudtrail.send(new PutEventSelectorsCommand({
        TrailName: trailName(), EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }],
      }));
      const { report } = await audit();
      expect(report.trails[0].status).toBe('FAIL');
      expect(report.trails[0].reason).toBe(`trail '${trailName()}' logs only read management events: the controls miss the calls it drops `
        + '[CIS-MON-TRAIL-MANAGEMENT-EVENTS]');
      expect(report.failed).toBe(15);
    });

    test('an organization trail: its log group lives in another account, so a same-named group here does not count', async () => {
      // The management account's organization trail as a member account lists it: the log group ARN names the
      // management account. The member has a fully wired group of the same name (the demo app's).
      const managementAccount = '999988887777';
      await clients.cloudtrail.send(new UpdateTrailCommand({
        Name: trailName(),
        CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${managementAccount}:log-group:${logGroupName()}:*`,
        CloudWatchLogsRoleArn: `arn:aws:iam::${managementAccount}:role/cloudtrail-to-logs`,
      }));
      const { code, report } = await audit();
      expect(code).toBe(2);
      expect(report.trails[0]).toMatchObject({
        status: 'FAIL',
        logGroupAccount: managementAccount,
        reason: `trail '${trailName()}' delivers to a log group of account ${managementAccount}, not of ${MOTO_ACCOUNT}: the metric filters of this `
          + 'account\'s group of that name never see its events [CIS-MON-TRAIL-LOG-GROUP-ACCOUNT]',
      });
      expect(report).toMatchObject({ status: 'FAIL', passed: 0, failed: 15 });
      for (const c of report.controls) expect(c.reason).toBe(report.trails[0].reason);
    });

    test('the trail\'s log group was deleted: FAIL "does not exist", not PASS (moto keeps the filters) and not an abort', async () => {
      await clients.logs.send(new DeleteLogGroupCommand({ logGroupName: logGroupName() }));
      const { code, report } = await audit();
      expect(code).toBe(2);
      const reason = `log group '${logGroupName()}' of trail '${trailName()}' does not exist (region ${REGION}): no event reaches a metric filter `
        + '[CIS-MON-TRAIL-LOG-GROUP-EXISTS]';
      expect(report.trails[0]).toMatchObject({ status: 'FAIL', logGroupExists: false, reason });
      expect(report).toMatchObject({ status: 'FAIL', passed: 0, failed: 15 });
      for (const c of report.controls) expect(c.reason).toBe(reason);
    });

    test('a filter on another log group', async () => {
      const control = CisControl.CLOUDTRAIL_CONFIG_CHANGES;
      await clients.logs.send(new CreateLogGroupCommand({ logGroupName: 'some-application-logs' }));
      await replaceFilter(control, control.patternFor(CisPatternSet.RECOMMENDED), 'some-application-logs');
      const { code, report } = await audit();
      expect(code).toBe(2);
      expectOnlyFailing(report, [control]);
      expect(finding(report, control).reason).toBe(`control 4.5 (${control.title}): metric filter 'cloudtrail_cfg_changes_metric' has the pattern but is `
        + `on another log group, not on the trail's '${logGroupName()}' [CIS-MON-FILTER-PRESENT]`);
    });
  });
});

describe('every control of every pattern set, in its own account', () => {
  const cases = setOptions().map(({ set, ssoAware }) => ({ set, ssoAware, name: `${set.name}${ssoAware ? ' (SSO-aware MFA filter)' : ''}` }));

  test.each(cases)('$name: deployed, and every control passes the audit for that set', async ({ set, ssoAware }) => {
    const app = testApp(stackNameFor('CisE2E', set, ssoAware), { patternSet: set, ssoAwareMfaFilter: ssoAware });
    await freshDeploy(app);
    await createTrail();

    const { code, report } = await audit('--pattern-set', set.name);
    expect(report.controls.filter((c) => c.status !== 'PASS')).toEqual([]);
    expect(report.controls.map((c) => c.id)).toEqual(set.controls().map((c) => c.idIn(set) ?? c.id));
    expect(report.controls).toHaveLength(set.controls().length);
    expect(code).toBe(0);
    const mfa = report.controls.find((c) => c.key === CisControl.CONSOLE_SIGNIN_WITHOUT_MFA.key)!;
    if (ssoAware) expect(mfa.notes).toEqual([expect.stringMatching(/SSO-aware variant/)]);
    else expect(mfa.notes).toEqual([]);

    // `--pattern-set any` accepts it too, and says whose text each pattern is.
    const any = await audit('--pattern-set', 'any');
    const expectedAny = CisControl.all().filter((c) => c.isDefinedIn(set)).map((c) => c.key);
    expect(any.report.controls.filter((c) => c.status === 'PASS').map((c) => c.key)).toEqual(expectedAny);
    for (const c of any.report.controls.filter((f) => f.status === 'PASS')) expect(c.notes[0]).toMatch(new RegExp(`pattern is .*${set.name}`));
  });

  test('a CIS v3.0.0 deployment audited for RECOMMENDED: the controls whose text differs fail and say whose text they have', async () => {
    const app = testApp('CisE2E-Cross', { patternSet: CisPatternSet.CIS_V3_0_0 });
    await freshDeploy(app);
    await createTrail();
    const { code, report } = await audit('--pattern-set', 'recommended');
    const differing = CisPatternSet.RECOMMENDED.controls()
      .filter((c) => c.patternFor(CisPatternSet.CIS_V3_0_0) !== c.patternFor(CisPatternSet.RECOMMENDED));
    expect(differing.length).toBeGreaterThan(0);
    expectOnlyFailing(report, differing);
    for (const c of differing) {
      expect(finding(report, c).reason).toMatch(/ has the text of [\w, ()-]+; expected RECOMMENDED's pattern \[CIS-MON-FILTER-PRESENT\]$/);
      expect(finding(report, c).reason).toMatch(/CIS_V3_0_0/);
    }
    expect(code).toBe(2);
  });

  test('no trail at all: every control fails at step 1', async () => {
    await freshDeploy(testApp('CisE2E-NoTrail'));
    const { code, report } = await audit();
    expect(code).toBe(2);
    expect(report.trails).toEqual([]);
    for (const c of report.controls) {
      expect(c.reason).toBe(`no CloudTrail trail in account ${MOTO_ACCOUNT} (${REGION}): no event reaches a metric filter [CIS-MON-TRAIL-PRESENT]`);
    }
  });

  test('a trail delivering to another log group: the filters are not on the trail\'s log group', async () => {
    await freshDeploy(testApp('CisE2E-OtherGroup'));
    await clients.logs.send(new CreateLogGroupCommand({ logGroupName: 'org-trail-logs' }));
    await createTrail('org-trail', 'org-trail-logs');
    const { report } = await audit();
    expect(report.trails[0].status).toBe('PASS');
    for (const c of report.controls) expect(c.reason).toMatch(/has the pattern but is on another log group, not on the trail's 'org-trail-logs' \[CIS-MON-FILTER-PRESENT\]$/);
  });

  test('the subscriber is the one the app asked for', async () => {
    await freshDeploy(testApp('CisE2E-Subscriber'));
    const topics = (await clients.sns.send(new ListTopicsCommand({}))).Topics!;
    expect(topics).toHaveLength(1);
    const subscriptions = await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topics[0].TopicArn }));
    expect(subscriptions.Subscriptions!.map((s) => [s.Protocol, s.Endpoint])).toEqual([['email', TEST_EMAIL]]);
  });
});
