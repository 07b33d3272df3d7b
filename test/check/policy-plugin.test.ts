import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, NestedStack, Stack, Validations, aws_cloudtrail as cloudtrail, aws_logs as logs } from 'aws-cdk-lib';
import { CisControl, CisLogMonitoring, CisMonitoringPolicyPlugin } from '../../src';

interface Report {
  pluginReports: Array<{ pluginName: string; conclusion: string; violations: Array<{ ruleName: string; description: string; severity?: string }> }>;
}

/** Synthesizes with the plugin; returns the validation report and the exit code CDK would set. */
function synth(configure: (stack: Stack, logGroup: logs.ILogGroup) => void, register: (app: App, plugin: CisMonitoringPolicyPlugin) => App):
{ report: Report; exitCode: number | string | undefined } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cis-plugin-'));
  const plugin = new CisMonitoringPolicyPlugin();
  const app = register(new App({ outdir }), plugin);
  const stack = new Stack(app, 'Monitoring', { env: { account: '111111111111', region: 'eu-west-1' } });
  const logGroup = new logs.LogGroup(stack, 'TrailLogs');
  new cloudtrail.Trail(stack, 'Trail', { sendToCloudWatchLogs: true, cloudWatchLogGroup: logGroup });
  configure(stack, logGroup);
  const before = process.exitCode;
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  let exitCode: number | string | undefined;
  try {
    app.synth();
    exitCode = process.exitCode;
  } finally {
    process.exitCode = before;
    errors.mockRestore();
  }
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  return { report, exitCode };
}

const viaValidations = (app: App, plugin: CisMonitoringPolicyPlugin): App => {
  Validations.of(app).addPlugins(plugin);
  return app;
};

describe('CisMonitoringPolicyPlugin', () => {
  test('passes the library\'s complete monitoring (Validations.of(app).addPlugins)', () => {
    const { report, exitCode } = synth((stack, logGroup) => new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['sec@example.com'] }), viaValidations);
    // CDK lists only plugins that reported a violation.
    expect(report.pluginReports.filter((r) => r.pluginName === 'cdk-cis-log-monitoring')).toEqual([]);
    expect(exitCode).not.toBe(1);
  });

  test('NEGATIVE: fails synthesis when a control is missing on the trail log group', () => {
    const { report, exitCode } = synth((stack, logGroup) => new CisLogMonitoring(stack, 'Cis', {
      logGroup, emails: ['sec@example.com'], controls: CisControl.all().filter((c) => c !== CisControl.VPC_CHANGES),
    }), viaValidations);
    const ours = report.pluginReports.find((r) => r.pluginName === 'cdk-cis-log-monitoring');
    expect(ours?.conclusion).toBe('failure');
    expect(ours?.violations).toEqual([expect.objectContaining({
      ruleName: 'CIS-MON-FILTER-PRESENT', severity: 'error', description: expect.stringMatching(/^FAIL: control 4\.14 \(Ensure VPC changes are monitored\): no metric filter/),
    })]);
    expect(exitCode).toBe(1);
  });

  test('NEGATIVE: fails synthesis when the tamper alarm\'s actions are disabled (MON.TAMPER FAILs; every CIS control still passes)', () => {
    const { report, exitCode } = synth((stack, logGroup) => {
      const cis = new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['sec@example.com'] });
      (cis.tamperControlAlarm!.node.defaultChild as CfnResource).addPropertyOverride('ActionsEnabled', false);
    }, viaValidations);
    const ours = report.pluginReports.find((r) => r.pluginName === 'cdk-cis-log-monitoring');
    expect(ours?.conclusion).toBe('failure');
    expect(ours?.violations).toEqual([expect.objectContaining({
      ruleName: 'CIS-MON-ALARM-ACTIONS-ENABLED', severity: 'error', description: expect.stringMatching(/^FAIL: alarm CisTamperAlarm[0-9A-F]+ has its actions disabled/),
    })]);
    expect(exitCode).toBe(1);
  });

  test('an acknowledged rule (cdk-cis-log-monitoring::<rule>) no longer fails synthesis', () => {
    const { exitCode, report } = synth((stack, logGroup) => {
      new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['sec@example.com'], controls: [CisControl.ROOT_ACCOUNT_USAGE] });
      Validations.of(stack).acknowledge({ id: 'cdk-cis-log-monitoring::CIS-MON-FILTER-PRESENT', reason: 'the other controls are in stack B' });
    }, viaValidations);
    expect(exitCode).not.toBe(1);
    expect(report.pluginReports.find((r) => r.pluginName === 'cdk-cis-log-monitoring')?.conclusion).not.toBe('failure');
  });

  test('NEGATIVE: fails on an alarm whose metric name no filter publishes (escape hatch edit)', () => {
    const { report } = synth((stack, logGroup) => {
      const cis = new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['sec@example.com'] });
      (cis.alarmFor(CisControl.ROOT_ACCOUNT_USAGE).node.defaultChild as CfnResource).addPropertyOverride('MetricName', 'RootUsage');
    }, viaValidations);
    const ours = report.pluginReports.find((r) => r.pluginName === 'cdk-cis-log-monitoring');
    expect(ours?.conclusion).toBe('failure');
    expect(ours?.violations.map((v) => [v.ruleName, v.description])).toEqual([[
      'CIS-MON-ALARM-PRESENT',
      expect.stringMatching(/^FAIL: no alarm watches metric CISBenchmark\/root_usage_metric .*alarm CisRootAccountUsageAlarm\w+ watches CISBenchmark\/RootUsage\): that alarm watches a metric no filter publishes/),
    ]]);
  });

  test('reads the app\'s stacks together: the monitoring in a NestedStack of another stack than the trail passes; without it, fails', () => {
    const passing = synth((stack, logGroup) => {
      const nested = new NestedStack(new Stack(stack.node.scope as App, 'Alarms', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Nested');
      new CisLogMonitoring(nested, 'Cis', { logGroup: logs.LogGroup.fromLogGroupName(nested, 'Logs', 'trail-logs'), emails: ['sec@example.com'] });
      (logGroup.node.defaultChild as CfnResource).addPropertyOverride('LogGroupName', 'trail-logs');
    }, viaValidations);
    expect(passing.report.pluginReports.filter((r) => r.pluginName === 'cdk-cis-log-monitoring')).toEqual([]);
    const failing = synth((stack) => {
      new NestedStack(new Stack(stack.node.scope as App, 'Alarms', { env: { account: '111111111111', region: 'eu-west-1' } }), 'Nested');
    }, viaValidations);
    expect(failing.report.pluginReports.find((r) => r.pluginName === 'cdk-cis-log-monitoring')?.violations).toHaveLength(15);
  });

  test('stacks of two accounts are judged per account: complete monitoring in each passes, an unrelated stack is skipped', () => {
    const { report } = synth((stack, logGroup) => {
      new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['sec@example.com'] });
      const other = new Stack(stack.node.scope as App, 'Other', { env: { account: '222222222222', region: 'eu-west-1' } });
      const otherLogs = new logs.LogGroup(other, 'TrailLogs');
      new cloudtrail.Trail(other, 'Trail', { sendToCloudWatchLogs: true, cloudWatchLogGroup: otherLogs });
      new CisLogMonitoring(other, 'Cis', { logGroup: otherLogs, emails: ['sec@example.com'] });
      new Stack(stack.node.scope as App, 'Unrelated');
    }, viaValidations);
    expect(report.pluginReports.filter((r) => r.pluginName === 'cdk-cis-log-monitoring')).toEqual([]);
  });

  test('NEGATIVE: the Beta1 form fails too (new App({ policyValidationBeta1 }))', () => {
    const { report, exitCode } = synth(() => undefined, (_app, plugin) => {
      const outdir = _app.outdir;
      return new App({ outdir, policyValidationBeta1: [plugin.asBeta1()] });
    });
    const ours = report.pluginReports.find((r) => r.pluginName === 'cdk-cis-log-monitoring');
    expect(ours?.conclusion).toBe('failure');
    expect(ours?.violations).toHaveLength(15);
    expect(exitCode).toBe(1);
  });
});
