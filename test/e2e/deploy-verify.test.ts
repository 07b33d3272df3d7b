/**
 * `cdk-cis-log-monitoring verify` against the demo app deployed into moto, as far as moto goes: moto 5.2 implements
 * SetAlarmState (the state and its reason change, and are set back) but neither DescribeAlarmHistory nor alarm
 * actions, so every delivery there is UNKNOWN and names the call it could not make. What AWS records in the history
 * (success, "Failed to execute action") is tested with AWS's shapes in packages/cli/test/verify/verify-logic.test.ts.
 *
 * Needs moto: `bash scripts/e2e/setup.sh` (creates .venv-moto/).
 */
import { DescribeAlarmsCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { demoApp } from './apps';
import { deployToMoto, MotoClients } from './moto/deploy';
import { MOTO_ACCOUNT, MotoServer } from './moto/server';
import { motoForThisFile } from './moto/suite';
import { verifyCommand } from '../../packages/cli/src/commands/verify/command';
import { RESTORE_REASON, TEST_REASON, VerifyReport } from '../../packages/cli/src/commands/verify/verify';
import { CisControl, CisPatternSet } from '../../src';

const REGION = 'us-east-1';
let moto: MotoServer;
let clients: MotoClients;

motoForThisFile({
  region: REGION,
  timeoutMs: 120_000,
  started: async (started, startedClients) => {
    moto = started;
    clients = startedClients;
    const demo = demoApp();
    await moto.reset();
    await deployToMoto(clients, demo.template, demo.stackName);
  },
});

async function verify(...args: string[]): Promise<{ code: number; report: VerifyReport; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (t: string) => { stdout += t; return true; } },
    stderr: { write: (t: string) => { stderr += t; return true; } },
    stderrIsTTY: false,
  };
  const code = await verifyCommand({ env: {}, pollMilliseconds: 50 })
    .run(['--region', REGION, '--endpoint-url', moto.endpoint, '--json', '--wait', '1', ...args], io as any);
  if (!stdout) throw new Error(`verify printed nothing (exit ${code}): ${stderr}`);
  return { code, report: JSON.parse(stdout), stderr };
}

async function alarmState(name: string) {
  const out = await clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return { value: out.MetricAlarms?.[0]?.StateValue, reason: out.MetricAlarms?.[0]?.StateReason };
}

test('every control\'s alarm is found, set to ALARM and set back; moto has no alarm history, so each is UNKNOWN naming the call', async () => {
  const { code, report } = await verify();
  expect(report.account).toBe(MOTO_ACCOUNT);
  const controls = CisPatternSet.RECOMMENDED.controls();
  expect(report.alarms.map((a) => a.key)).toEqual(controls.map((c) => c.key));
  for (const alarm of report.alarms) {
    expect(alarm).toMatchObject({ status: 'UNKNOWN', previousState: 'OK', restored: true, topics: [{ confirmed: 1, pending: 0 }] });
    expect(alarm.reason).toMatch(/was set to ALARM, but its history cannot be read: cloudwatch:DescribeAlarmHistory failed: /);
    // Set back, with the reason that says why it changed twice.
    expect(await alarmState(alarm.alarmName!)).toEqual({ value: 'OK', reason: RESTORE_REASON });
  }
  expect(report).toMatchObject({ status: 'UNKNOWN', passed: 0, unknown: controls.length });
  expect(code).toBe(3);
}, 120_000);

test('an alarm already in ALARM is not touched; --control selects by key or id', async () => {
  const alarms = (await clients.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
  const root = alarms.find((a) => a.MetricName === CisControl.ROOT_ACCOUNT_USAGE.metricName)!.AlarmName!;
  await clients.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: root, StateValue: 'ALARM', StateReason: 'a real alarm' }));
  const { report } = await verify('--control', 'root_account_usage', '--control', '4.1');
  expect(report.alarms.map((a) => [a.key, a.status])).toEqual([['UNAUTHORIZED_API_CALLS', 'UNKNOWN'], ['ROOT_ACCOUNT_USAGE', 'UNKNOWN']]);
  expect(report.alarms[1].reason).toMatch(/is in ALARM already .*not tested/);
  expect(await alarmState(root)).toEqual({ value: 'ALARM', reason: 'a real alarm' });
  expect(TEST_REASON).toMatch(/^cdk-cis-log-monitoring verify: delivery test/);
}, 60_000);
