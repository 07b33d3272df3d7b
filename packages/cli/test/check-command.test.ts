import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CisControl, CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
import { runCli } from './support/run-cli';
import { synthMonitoringAssembly } from '../../../test/support/monitoring-assembly';

const run = (...argv: string[]) => runCli(argv);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cis-check-cli-'));

/** A hand-written template (AWS CLI remediation style, no CDK): trail, and per control filter, alarm, topic, subscription. */
function handWritten(controls: CisControl[]): any {
  const resources: Record<string, any> = {
    Trail: {
      Type: 'AWS::CloudTrail::Trail',
      Properties: {
        IsLogging: true,
        IsMultiRegionTrail: true,
        S3BucketName: 'b',
        CloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111111111111:log-group:aws-controltower/CloudTrailLogs:*',
        CloudWatchLogsRoleArn: 'arn:aws:iam::111111111111:role/r',
      },
    },
    Topic: { Type: 'AWS::SNS::Topic', Properties: { Subscription: [{ Protocol: 'email', Endpoint: 'sec@example.com' }] } },
  };
  for (const c of controls) {
    resources[`${c.constructId}Filter`] = {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: 'aws-controltower/CloudTrailLogs',
        FilterPattern: c.patternFor(CisPatternSet.SECURITY_HUB),
        MetricTransformations: [{ MetricName: c.metricName, MetricNamespace: 'LogMetrics', MetricValue: '1' }],
      },
    };
    resources[`${c.constructId}Alarm`] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        MetricName: c.metricName,
        Namespace: 'LogMetrics',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: 'Topic' }],
      },
    };
  }
  return { Resources: resources };
}

function write(name: string, template: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(template));
  return file;
}

const assembly = (controls?: CisControl[]): string => synthMonitoringAssembly(dir, controls);

describe('cdk-cis-log-monitoring check', () => {
  test('a complete hand-written template passes (Security Hub text, any set accepted)', async () => {
    const { code, stdout } = await run('check', write('complete.json', handWritten(CisControl.all())));
    expect(stdout).toContain('controls: 15/15 with an unbroken chain');
    expect(stdout).toMatch(/PASS: 1 template\(s\), 0 error\(s\)/);
    expect(code).toBe(0);
  });

  test('NEGATIVE: a missing control and an alarm on an unpublished metric fail with exit code 2', async () => {
    const template = handWritten(CisControl.all().filter((c) => c !== CisControl.CONFIG_CHANGES));
    template.Resources.RootAccountUsageAlarm.Properties.MetricName = 'RootUsageCount';
    const { code, stdout } = await run('check', write('broken.json', template));
    expect(code).toBe(2);
    expect(stdout).toMatch(/ERROR CIS-MON-MISSING-CONTROL \[Trail\]: control 4\.9 /);
    expect(stdout).toMatch(/ERROR CIS-MON-ALARM-ON-UNPUBLISHED-METRIC \[RootAccountUsageAlarm\]: alarm RootAccountUsageAlarm watches metric LogMetrics\/RootUsageCount/);
    expect(stdout).toMatch(/FAIL: 1 template\(s\), 3 error\(s\)/);
  });

  test('--pattern-set: another set\'s text fails', async () => {
    const { code, stdout } = await run('check', '--pattern-set', 'cis_v1_2_0', write('complete2.json', handWritten(CisControl.all())));
    expect(code).toBe(2);
    expect(stdout).toMatch(/expected CIS_V1_2_0's pattern/);
  });

  test('a cdk.out with a stage: the library\'s synth output passes, unrelated stacks are skipped', async () => {
    const outdir = assembly();
    const { code, stdout } = await run('check', outdir);
    expect(stdout).toMatch(/ProdMonitoring.*PASS/);
    expect(stdout).toMatch(/Unrelated .*nothing to check/);
    expect(code).toBe(0);
  });

  test('NEGATIVE: a cdk.out whose monitoring lacks controls fails; --json lists them', async () => {
    const outdir = assembly([CisControl.ROOT_ACCOUNT_USAGE, CisControl.VPC_CHANGES]);
    const { code, stdout } = await run('check', outdir, '--json');
    expect(code).toBe(2);
    const doc = JSON.parse(stdout);
    expect(doc.passed).toBe(false);
    const monitoring = doc.templates.find((t: any) => t.stackName === 'Prod-Monitoring');
    expect(monitoring.controls.filter((c: any) => c.status === 'FAIL')).toHaveLength(13);
  });

  test('--log-group for templates without a trail', async () => {
    const template = handWritten(CisControl.all());
    delete template.Resources.Trail;
    const file = write('no-trail.json', template);
    expect((await run('check', file)).code).toBe(0);
    const { code, stdout } = await run('check', file, '--log-group', 'org/other-trail-logs');
    expect(code).toBe(2);
    expect(stdout).toMatch(/ERROR CIS-MON-MISSING-CONTROL \[Template\]: control 4\.1 .*has the pattern but is on another log group, not on the trail's 'org\/other-trail-logs'/);
  });

  test('usage errors and unreadable input exit 1', async () => {
    expect((await run('check')).code).toBe(1);
    expect((await run('check', path.join(dir, 'missing.json'))).stderr).toMatch(/missing.json: no such file or directory/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ not json');
    const { code, stdout } = await run('check', bad);
    expect(code).toBe(1);
    expect(stdout).toMatch(/bad.json: cannot read/);
  });
});
