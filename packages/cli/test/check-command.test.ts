import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CisControl, CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
import { runCli } from './support/run-cli';
import { synthMonitoringAssembly } from '../../../test/support/monitoring-assembly';
import { synthNestedMonitoringAssembly } from '../../../test/support/nested-monitoring-assembly';

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
        CloudWatchLogsLogGroupArn: { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:aws-controltower/CloudTrailLogs:*' },
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
    expect(stdout).toContain('controls: 15 PASS, 0 WARNING, 0 UNKNOWN, 0 FAIL of 15');
    expect(stdout).toMatch(/not seen: whether subscriptions were confirmed/);
    expect(stdout).toMatch(/PASS: 1 template\(s\), 0 failing, 0 unknown, 0 warning control\(s\)/);
    expect(code).toBe(0);
  });

  test('a literal account in the trail\'s log group ARN, in a template without an account: UNKNOWN (exit 3), not PASS', async () => {
    const template = handWritten(CisControl.all());
    template.Resources.Trail.Properties.CloudWatchLogsLogGroupArn = 'arn:aws:logs:us-east-1:111111111111:log-group:aws-controltower/CloudTrailLogs:*';
    const { code, stdout } = await run('check', write('literal-account.json', template));
    expect(stdout).toMatch(/UNKNOWN CIS-MON-TRAIL-LOG-GROUP-ACCOUNT \[Trail\]: trail Trail delivers to a log group of account 111111111111/);
    expect(code).toBe(3);
  });

  test('NEGATIVE: a missing control and an alarm on an unpublished metric fail with exit code 2', async () => {
    const template = handWritten(CisControl.all().filter((c) => c !== CisControl.CONFIG_CHANGES));
    template.Resources.RootAccountUsageAlarm.Properties.MetricName = 'RootUsageCount';
    const { code, stdout } = await run('check', write('broken.json', template));
    expect(code).toBe(2);
    expect(stdout).toMatch(/FAIL CIS-MON-FILTER-PRESENT \[Trail\]: control 4\.9 .*no metric filter/);
    expect(stdout).toMatch(/FAIL CIS-MON-ALARM-PRESENT \[RootAccountUsageAlarm\]: no alarm watches metric LogMetrics\/root_usage_metric .*alarm RootAccountUsageAlarm watches LogMetrics\/RootUsageCount/);
    expect(stdout).toMatch(/FAIL: 1 template\(s\), 2 failing, 0 unknown, 0 warning control\(s\)/);
  });

  test('--pattern-set: another set\'s text fails', async () => {
    const { code, stdout } = await run('check', '--pattern-set', 'cis_v1_2_0', write('complete2.json', handWritten(CisControl.all())));
    expect(code).toBe(2);
    expect(stdout).toMatch(/expected CIS_V1_2_0's pattern/);
  });

  test('a cdk.out with a stage: the library\'s synth output passes; a group of unrelated stacks has nothing to check', async () => {
    const outdir = assembly();
    const { code, stdout } = await run('check', outdir);
    expect(stdout).toMatch(/\[Prod-Monitoring\]: PASS/);
    expect(stdout).toMatch(/\[Unrelated\]: no trail, CIS metric filter or --log-group: nothing to check \(not a PASS\)/);
    expect(code).toBe(0);
  });

  test('NEGATIVE: a cdk.out whose monitoring lacks controls fails; --json lists them', async () => {
    const outdir = assembly([CisControl.ROOT_ACCOUNT_USAGE, CisControl.VPC_CHANGES]);
    const { code, stdout } = await run('check', outdir, '--json');
    expect(code).toBe(2);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ passed: false, verdict: 'FAIL' });
    const monitoring = doc.apps.find((a: any) => a.controls?.length > 0);
    expect(monitoring.controls.filter((c: any) => c.verdict === 'FAIL')).toHaveLength(13);
    expect(doc.templates.map((t: any) => t.stackName).sort()).toEqual(['Prod-Monitoring', 'Unrelated']);
  });

  test('monitoring integrity (MON.TAMPER, MON.HEARTBEAT): own rows; absent is a WARNING that keeps exit 0; broken FAILs (exit 2) with the CIS rows unchanged', async () => {
    const plain = await run('check', write('integrity-absent.json', handWritten(CisControl.all())), '--json');
    expect(plain.code).toBe(0);
    const absent = JSON.parse(plain.stdout).apps[0];
    expect(absent.integrity.map((c: any) => [c.id, c.verdict])).toEqual([['MON.TAMPER', 'WARNING'], ['MON.HEARTBEAT', 'WARNING']]);
    expect(absent.controls.every((c: any) => c.verdict === 'PASS')).toBe(true);

    const find = (d: string): string[] => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? find(path.join(d, e.name))
      : e.name.endsWith('.template.json') ? [path.join(d, e.name)] : []));
    const outdir = assembly();
    const source = find(outdir).find((f) => fs.readFileSync(f, 'utf8').includes('delivery_heartbeat_alarm'))!;
    const ok = await run('check', outdir);
    expect(ok.stdout).toMatch(/ {2}monitoring integrity: MON\.TAMPER PASS, MON\.HEARTBEAT PASS\n/);
    expect(ok.code).toBe(0);
    // The same assembly with the heartbeat's missing data not breaching (edited in place: the manifest keeps the environment).
    const template = JSON.parse(fs.readFileSync(source, 'utf8'));
    const heartbeat = Object.values<any>(template.Resources).find((r) => String(r.Properties?.AlarmName).endsWith('delivery_heartbeat_alarm'));
    heartbeat.Properties.TreatMissingData = 'notBreaching';
    fs.writeFileSync(source, JSON.stringify(template));
    const broken = await run('check', outdir);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toMatch(/controls: 15 PASS, 0 WARNING, 0 UNKNOWN, 0 FAIL of 15/);
    expect(broken.stdout).toMatch(/FAIL MON\.HEARTBEAT CIS-MON-HEARTBEAT-MISSING-DATA \[.*\]: alarm .* treats missing data as notBreaching/);
    expect(broken.stdout).toMatch(/\nFAIL: 2 template\(s\), 0 failing, .*, 1 failing monitoring-integrity control\(s\)\n/);
  });

  test('--log-group for templates without a trail', async () => {
    const template = handWritten(CisControl.all());
    delete template.Resources.Trail;
    const file = write('no-trail.json', template);
    const alone = await run('check', file);
    expect(alone.stdout).toMatch(/not seen: the trail delivering to log group 'aws-controltower\/CloudTrailLogs' is not in template/);
    expect(alone.code).toBe(0);
    const { code, stdout } = await run('check', file, '--log-group', 'org/other-trail-logs');
    expect(code).toBe(2);
    expect(stdout).toMatch(/FAIL CIS-MON-FILTER-PRESENT \['org\/other-trail-logs'\]: control 4\.1 .*has the pattern but is on another log group, not on the trail's 'org\/other-trail-logs'/);
  });

  test('a cdk.out whose monitoring is in a NestedStack of another stack than the trail passes; with the nested template missing, UNKNOWN (not FAIL)', async () => {
    const outdir = synthNestedMonitoringAssembly(dir);
    const passed = await run('check', outdir);
    expect(passed.stdout).toMatch(/\[Trail, Alarms\]: PASS/);
    expect(passed.code).toBe(0);
    for (const f of fs.readdirSync(outdir).filter((x) => x.endsWith('.nested.template.json'))) fs.rmSync(path.join(outdir, f));
    const blind = await run('check', outdir);
    expect(blind.stdout).toMatch(/not seen: nested stack \w+ of Alarms: its template was not read/);
    expect(blind.stdout).toMatch(/UNKNOWN CIS-MON-FILTER-PRESENT .*in what was read \(nested stack \w+ of Alarms: its template was not read: it may be there\)/);
    expect(blind.code).toBe(3);
  });

  test('nothing to check is UNKNOWN (exit 3), not PASS', async () => {
    const { code, stdout } = await run('check', write('bucket.json', { Resources: { B: { Type: 'AWS::S3::Bucket' } } }));
    expect(stdout).toMatch(/nothing to check \(not a PASS\)/);
    expect(stdout).toMatch(/^UNKNOWN: 1 template/m);
    expect(code).toBe(3);
  });

  test('YAML templates with the short-form tags are read like their JSON', async () => {
    const yamlText = [
      'Resources:',
      '  Logs: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: trail-logs } }',
      '  Trail:',
      '    Type: AWS::CloudTrail::Trail',
      '    Properties:',
      '      IsLogging: true',
      '      IsMultiRegionTrail: true',
      '      S3BucketName: b',
      '      CloudWatchLogsLogGroupArn: !GetAtt Logs.Arn',
      '      CloudWatchLogsRoleArn: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/r"',
      '  Topic: { Type: AWS::SNS::Topic, Properties: { Subscription: [{ Protocol: email, Endpoint: sec@example.com }] } }',
      '  Filter:',
      '    Type: AWS::Logs::MetricFilter',
      '    Properties:',
      '      LogGroupName: !Ref Logs',
      `      FilterPattern: '${CisControl.ROOT_ACCOUNT_USAGE.patternFor(CisPatternSet.CIS_V3_0_0).replace(/'/g, "''")}'`,
      '      MetricTransformations: [{ MetricName: root, MetricNamespace: CIS, MetricValue: "1" }]',
      '  Alarm:',
      '    Type: AWS::CloudWatch::Alarm',
      '    Properties: { MetricName: root, Namespace: CIS, Statistic: Sum, Period: 300, Threshold: 1, EvaluationPeriods: 1,',
      '      ComparisonOperator: GreaterThanOrEqualToThreshold, AlarmActions: [!GetAtt [Topic, TopicArn]] }',
    ].join('\n');
    const file = path.join(dir, 'root.yaml');
    fs.writeFileSync(file, yamlText);
    const { stdout } = await run('check', file, '--json');
    const doc = JSON.parse(stdout);
    expect(doc.apps[0].controls.find((c: any) => c.key === 'ROOT_ACCOUNT_USAGE')).toMatchObject({ verdict: 'PASS', reason: 'trail Trail → Logs → Filter → Alarm → Topic → Topic Subscription[0]' });
    expect(doc.apps[0].controls.filter((c: any) => c.verdict === 'FAIL')).toHaveLength(14);
  });

  test('usage errors and unreadable templates exit 1', async () => {
    expect((await run('check')).code).toBe(1);
    expect((await run('check', path.join(dir, 'missing.json'))).stderr).toMatch(/missing.json: no such file or directory/);
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{ not json');
    const { code, stdout } = await run('check', bad);
    expect(code).toBe(1);
    expect(stdout).toMatch(/bad.json: cannot read: not valid JSON/);
  });

  test('NEGATIVE (issue 19 §5): a malformed manifest.json and a nested assembly pointing at itself exit 2 with a clear error', async () => {
    const malformed = fs.mkdtempSync(path.join(dir, 'bad-manifest-'));
    fs.writeFileSync(path.join(malformed, 'manifest.json'), '{ "version": ');
    const first = await run('check', malformed);
    expect(first.code).toBe(2);
    expect(first.stderr).toMatch(/manifest\.json: not a readable cloud assembly manifest/);

    const looped = fs.mkdtempSync(path.join(dir, 'loop-'));
    const manifest = JSON.parse(fs.readFileSync(path.join(assembly(), 'manifest.json'), 'utf8'));
    manifest.artifacts = { Self: { type: 'cdk:cloud-assembly', properties: { directoryName: '.', displayName: 'Self' } } };
    fs.writeFileSync(path.join(looped, 'manifest.json'), JSON.stringify(manifest));
    const second = await run('check', looped);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/points back at an assembly already read/);
  });
});
