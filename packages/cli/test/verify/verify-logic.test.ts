/**
 * `verify` (proof of delivery) against an account in memory whose alarm history is written as AWS writes it: a
 * `StateUpdate` item carrying the new state's reason, then one `Action` item per alarm action, with AWS's summaries
 * ("Successfully executed action arn:…", "Failed to execute action arn:…. Received error: "…"") and HistoryData.
 * The SDK's reading of DescribeAlarmHistory pages is tested with recorded JSON responses at the end.
 */
import { Readable } from 'stream';
import { CisControl, CisPatternSet, AuditApiError } from 'cdk-cis-log-monitoring/lib/cli-support';
import { AlarmHistoryItemInfo, AlarmStateInfo, SdkVerifyApi, VerifyApi } from '../../src/aws/verify-api';
import { COMMANDS } from '../../src/commands';
import { verifyCommand } from '../../src/commands/verify/command';
import { judgeHistory, RESTORE_REASON, runVerify, TEST_REASON } from '../../src/commands/verify/verify';
import { main } from '../../src/main';
import { FakeAccount, REGION, TOPIC } from '../audit/fake-account';

const KMS_ERROR = 'CloudWatch Alarms does not have authorization to access the SNS topic encryption key.';

/** CloudWatch and SNS in memory: SetAlarmState writes the history AWS writes. */
class FakeCloudWatch implements VerifyApi {
  public readonly states = new Map<string, string>();
  public readonly history = new Map<string, AlarmHistoryItemInfo[]>();
  /** How each action ends when an alarm enters ALARM (absent: no record, as when the history lags). */
  public outcomes = new Map<string, { state: 'Succeeded' | 'Failed'; error?: string }>([[TOPIC, { state: 'Succeeded' }]]);
  public calls: string[] = [];
  public failSet?: AuditApiError;
  public failRestore?: AuditApiError;
  public failHistory?: AuditApiError;
  public clock = Date.parse('2026-12-02T10:00:00Z');

  constructor(public readonly account: FakeAccount) {
    for (const alarm of account.alarms) this.states.set(alarm.alarmName, 'OK');
  }

  public async describeAlarm(_region: string, alarmName: string): Promise<AlarmStateInfo | undefined> {
    const alarm = this.account.alarms.find((a) => a.alarmName === alarmName);
    return alarm && { alarmName, stateValue: this.states.get(alarmName) ?? 'OK', actionsEnabled: alarm.actionsEnabled, alarmActions: alarm.alarmActions };
  }

  public async setAlarmState(_region: string, alarmName: string, stateValue: string, stateReason: string): Promise<void> {
    this.calls.push(`set ${alarmName} ${stateValue}`);
    if (this.failSet) throw this.failSet;
    if (stateReason === RESTORE_REASON && this.failRestore) throw this.failRestore;
    const old = this.states.get(alarmName) ?? 'OK';
    this.states.set(alarmName, stateValue);
    if (old === stateValue) return; // no transition, no history, no action
    const at = new Date(this.clock += 1000);
    const items = this.history.get(alarmName) ?? [];
    items.push({
      timestamp: at,
      historyItemType: 'StateUpdate',
      historySummary: `Alarm updated from ${old} to ${stateValue}`,
      historyData: JSON.stringify({ version: '1.0', oldState: { stateValue: old }, newState: { stateValue, stateReason } }),
    });
    if (stateValue === 'ALARM') {
      const alarm = this.account.alarms.find((a) => a.alarmName === alarmName)!;
      for (const action of alarm.alarmActions) {
        const outcome = this.outcomes.get(action);
        if (!outcome) continue;
        items.push({
          timestamp: at,
          historyItemType: 'Action',
          historySummary: outcome.state === 'Succeeded'
            ? `Successfully executed action ${action}`
            : `Failed to execute action ${action}. Received error: "${outcome.error}"`,
          historyData: JSON.stringify({
            actionState: outcome.state,
            stateUpdateTimestamp: at.getTime(),
            notificationResource: action,
            ...(outcome.error ? { error: outcome.error } : { publishedMessage: '{"AlarmName":"…"}' }),
          }),
        });
      }
    }
    this.history.set(alarmName, items);
  }

  public async describeAlarmHistory(_region: string, alarmName: string, since: Date): Promise<AlarmHistoryItemInfo[]> {
    this.calls.push(`history ${alarmName}`);
    if (this.failHistory) throw this.failHistory;
    return (this.history.get(alarmName) ?? []).filter((i) => i.timestamp >= since);
  }

  public async listSubscriptionsByTopic(region: string, topicArn: string) {
    return this.account.listSubscriptionsByTopic(region, topicArn);
  }
}

const ALARM_OF = (control: CisControl) => control.alarmName;
const ROOT = ALARM_OF(CisControl.ROOT_ACCOUNT_USAGE);

function setup() {
  const account = new FakeAccount();
  const cloudwatch = new FakeCloudWatch(account);
  const options = {
    region: REGION,
    waitSeconds: 4,
    pollMilliseconds: 1,
    now: () => new Date(cloudwatch.clock),
    sleep: async () => { cloudwatch.clock += 1000; },
  };
  return { account, cloudwatch, options };
}

async function cli(cloudwatch: FakeCloudWatch, ...argv: string[]) {
  cloudwatch.clock = Math.max(cloudwatch.clock, Date.now()); // the command reads the real clock
  const out: string[] = [];
  const err: string[] = [];
  const command = verifyCommand({ env: {}, apis: () => ({ audit: cloudwatch.account, verify: cloudwatch }), pollMilliseconds: 1 });
  const io = {
    stdout: { write: (t: string) => { out.push(t); return true; } },
    stderr: { write: (t: string) => { err.push(t); return true; } },
    stderrIsTTY: false,
  };
  const code = await command.run(['--region', REGION, ...argv], io as any);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('verify: an alarm that cannot deliver never passes', () => {
  test('the silent KMS drop: "Failed to execute action" in the history is FAIL with AWS\'s error; the alarm is set back', async () => {
    const { account, cloudwatch, options } = setup();
    cloudwatch.outcomes.set(TOPIC, { state: 'Failed', error: KMS_ERROR });
    const report = await runVerify(account, cloudwatch, { ...options, controls: ['ROOT_ACCOUNT_USAGE'] });
    expect(report.alarms).toHaveLength(1);
    expect(report.alarms[0]).toMatchObject({
      key: 'ROOT_ACCOUNT_USAGE',
      alarmName: ROOT,
      status: 'FAIL',
      previousState: 'OK',
      restored: true,
      actions: [{ action: TOPIC, outcome: 'Failed', error: KMS_ERROR }],
      reason: `alarm '${ROOT}': action ${TOPIC} failed: ${KMS_ERROR}`,
    });
    expect(report.status).toBe('FAIL');
    expect(cloudwatch.calls.filter((c) => c.startsWith('set'))).toEqual([`set ${ROOT} ALARM`, `set ${ROOT} OK`]);
    expect(cloudwatch.states.get(ROOT)).toBe('OK');
  });

  test('no record of the action within the wait is UNKNOWN, not PASS', async () => {
    const { account, cloudwatch, options } = setup();
    cloudwatch.outcomes.clear();
    const report = await runVerify(account, cloudwatch, { ...options, controls: ['4.3'] });
    expect(report.alarms[0]).toMatchObject({ status: 'UNKNOWN', reason: `alarm '${ROOT}': no record of action ${TOPIC} within 4 s`, restored: true });
    expect(cloudwatch.calls.filter((c) => c.startsWith('history')).length).toBeGreaterThan(1); // it kept reading until the wait was over
  });

  test('an earlier delivery in the history is not taken for this one', async () => {
    const { account, cloudwatch, options } = setup();
    await cloudwatch.setAlarmState(REGION, ROOT, 'ALARM', 'Threshold Crossed: 1 datapoint [1.0] was greater than or equal to the threshold (1.0).');
    await cloudwatch.setAlarmState(REGION, ROOT, 'OK', 'Threshold Crossed: no datapoints');
    cloudwatch.clock += 10_000; // ten seconds later, the history lags behind the test
    cloudwatch.outcomes.clear();
    const report = await runVerify(account, cloudwatch, { ...options, controls: ['ROOT_ACCOUNT_USAGE'] });
    expect(report.alarms[0].status).toBe('UNKNOWN');
    expect(report.alarms[0].actions).toEqual([{ action: TOPIC, outcome: 'NoRecord' }]);
  });

  test('an earlier run of verify, seconds before, is not taken for this one', async () => {
    const { account, cloudwatch, options } = setup();
    expect((await runVerify(account, cloudwatch, { ...options, alarms: [ROOT] })).status).toBe('PASS');
    cloudwatch.outcomes.clear();
    const again = await runVerify(account, cloudwatch, { ...options, alarms: [ROOT] });
    expect(again.alarms[0]).toMatchObject({ status: 'UNKNOWN', actions: [{ action: TOPIC, outcome: 'NoRecord' }] });
  });

  test('a delivered action to a topic whose only subscription is pending is FAIL', async () => {
    const { account, cloudwatch, options } = setup();
    account.subscriptions = [{ subscriptionArn: 'PendingConfirmation', protocol: 'email', endpoint: 'secops@example.com' }];
    const report = await runVerify(account, cloudwatch, { ...options, alarms: [ROOT] });
    expect(report.alarms[0]).toMatchObject({
      status: 'FAIL',
      topics: [{ topicArn: TOPIC, confirmed: 0, pending: 1 }],
      reason: `alarm '${ROOT}': topic ${TOPIC} has no confirmed subscriber (1 pending confirmation)`,
    });
  });

  test('actions disabled or none: FAIL without touching the alarm; already in ALARM: UNKNOWN, not touched', async () => {
    const { account, cloudwatch, options } = setup();
    const [a, b, c] = account.alarms;
    account.alarms[0] = { ...a, actionsEnabled: false };
    account.alarms[1] = { ...b, alarmActions: [] };
    cloudwatch.states.set(c.alarmName, 'ALARM');
    const report = await runVerify(account, cloudwatch, { ...options, alarms: [a.alarmName, b.alarmName, c.alarmName] });
    expect(report.alarms.map((r) => [r.alarmName, r.status])).toEqual([[a.alarmName, 'FAIL'], [b.alarmName, 'FAIL'], [c.alarmName, 'UNKNOWN']]);
    expect(report.alarms[0].reason).toMatch(/has its actions disabled: ALARM would notify no one \(not tested\)/);
    expect(report.alarms[1].reason).toMatch(/has no alarm action/);
    expect(report.alarms[2].reason).toMatch(/is in ALARM already/);
    expect(cloudwatch.calls.filter((x) => x.startsWith('set'))).toEqual([]);
  });

  test('SetAlarmState denied: UNKNOWN naming the call; nothing to set back', async () => {
    const { account, cloudwatch, options } = setup();
    cloudwatch.failSet = new AuditApiError('cloudwatch:SetAlarmState', 'AccessDenied', 'User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: cloudwatch:SetAlarmState');
    const report = await runVerify(account, cloudwatch, { ...options, alarms: [ROOT] });
    expect(report.alarms[0]).toMatchObject({ status: 'UNKNOWN', reason: expect.stringMatching(/^cannot set alarm '.*' to ALARM: cloudwatch:SetAlarmState failed: AccessDenied: /) });
    expect(report.alarms[0].restored).toBeUndefined();
  });

  test('the history cannot be read: UNKNOWN naming the call, and the alarm is still set back', async () => {
    const { account, cloudwatch, options } = setup();
    cloudwatch.failHistory = new AuditApiError('cloudwatch:DescribeAlarmHistory', 'AccessDenied', 'not authorized');
    const report = await runVerify(account, cloudwatch, { ...options, alarms: [ROOT] });
    expect(report.alarms[0]).toMatchObject({ status: 'UNKNOWN', restored: true, reason: expect.stringContaining('its history cannot be read: cloudwatch:DescribeAlarmHistory failed') });
    expect(cloudwatch.states.get(ROOT)).toBe('OK');
  });

  test('a delivery that succeeded but could not be set back is not a PASS', async () => {
    const { account, cloudwatch, options } = setup();
    cloudwatch.failRestore = new AuditApiError('cloudwatch:SetAlarmState', 'Throttling', 'Rate exceeded');
    const report = await runVerify(account, cloudwatch, { ...options, alarms: [ROOT] });
    expect(report.alarms[0]).toMatchObject({ status: 'UNKNOWN', restored: false });
    expect(report.alarms[0].reason).toMatch(/could not set it back to OK .*Throttling: Rate exceeded$/);
  });

  test('a control without an alarm is FAIL with the audit\'s reason; an unreadable one UNKNOWN', async () => {
    const { account, cloudwatch, options } = setup();
    account.alarms = account.alarms.filter((a) => a.alarmName !== ROOT);
    const report = await runVerify(account, cloudwatch, { ...options, controls: ['ROOT_ACCOUNT_USAGE'] });
    expect(report.alarms[0]).toMatchObject({ key: 'ROOT_ACCOUNT_USAGE', status: 'FAIL', reason: expect.stringMatching(/^no alarm to test: no alarm watches metric CISBenchmark\/root_usage_metric .*\[CIS-MON-ALARM-PRESENT\]$/) });
  });
});

describe('verify: a working account', () => {
  test('every control\'s alarm is set to ALARM, its action succeeds, it is set back: PASS, exit 0', async () => {
    const { account, cloudwatch, options } = setup();
    const report = await runVerify(account, cloudwatch, options);
    expect(report.alarms).toHaveLength(CisPatternSet.RECOMMENDED.controls().length);
    for (const alarm of report.alarms) {
      expect(alarm).toMatchObject({ status: 'PASS', restored: true, previousState: 'OK', actions: [{ action: TOPIC, outcome: 'Succeeded' }], topics: [{ confirmed: 1 }] });
      expect(alarm.reason).toBe(`alarm '${alarm.alarmName}' → its action succeeded (1 confirmed subscriber)`);
      expect(cloudwatch.states.get(alarm.alarmName!)).toBe('OK');
      // The test's own state update carries the reason people see in the notification.
      expect(cloudwatch.history.get(alarm.alarmName!)![0].historyData).toContain(TEST_REASON);
    }
    expect(report).toMatchObject({ status: 'PASS', passed: 15, failed: 0, unknown: 0 });
  });

  test('the command: table, --json, exit codes 0 / 2 / 1 and the --control check', async () => {
    const { cloudwatch } = setup();
    const table = await cli(cloudwatch, '--control', 'root_account_usage', '--control', '4.1');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^Delivery test: account 111122223333, region eu-west-1, pattern set RECOMMENDED\n/);
    expect(table.stdout).toMatch(/\n {2}4\.1 +PASS +/);
    expect(table.stdout.trimEnd().endsWith('PASS: 2 delivered, 0 failed, 0 unknown')).toBe(true);
    cloudwatch.outcomes.set(TOPIC, { state: 'Failed', error: KMS_ERROR });
    const json = await cli(cloudwatch, '--alarm', ROOT, '--json');
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'FAIL', alarms: [{ alarmName: ROOT, status: 'FAIL' }] });
    const bad = await cli(cloudwatch, '--control', '9.9');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^verify: no control "9.9" in RECOMMENDED; use a key or id: 4.1 UNAUTHORIZED_API_CALLS, /);
    expect((await cli(cloudwatch, '--wait', '0')).stderr).toContain('--wait must be a whole number from 1 to 900, not "0"');
  });

  test('verify is a command of the CLI with its usage', async () => {
    expect(Object.keys(COMMANDS)).toContain('verify');
    let out = '';
    const code = await main(['verify', '--help'], { stdout: { write: (t: string) => { out += t; return true; } } as any, stderr: process.stderr, stderrIsTTY: false });
    expect(code).toBe(0);
    expect(out).toContain('This WRITES: every tested alarm notifies its subscribers once');
    expect(out).toMatch(/--control KEY +test only this control .*repeatable/s);
  });
});

describe('reading the history as AWS writes it', () => {
  const item = (type: string, summary: string, data: object | undefined, at: string): AlarmHistoryItemInfo => ({
    timestamp: new Date(at), historyItemType: type, historySummary: summary, ...(data ? { historyData: JSON.stringify(data) } : {}),
  });
  const since = new Date('2026-12-02T10:00:00Z');

  test('HistoryData decides; the summary alone is read too; other actions and other resources are not mixed up', () => {
    const other = 'arn:aws:sns:eu-west-1:111122223333:other';
    const lambda = 'arn:aws:lambda:eu-west-1:111122223333:function:enrich';
    const items = [
      item('StateUpdate', 'Alarm updated from OK to ALARM', { newState: { stateValue: 'ALARM', stateReason: TEST_REASON } }, '2026-12-02T10:00:01Z'),
      item('Action', `Successfully executed action ${other}`, { actionState: 'Succeeded', notificationResource: other }, '2026-12-02T10:00:01Z'),
      item('Action', `Failed to execute action ${TOPIC}. Received error: "Resource: arn:aws:cloudwatch:eu-west-1:111122223333:alarm:a is not authorized to perform: SNS:Publish on resource: ${TOPIC}"`, undefined, '2026-12-02T10:00:02Z'),
    ];
    expect(judgeHistory(items, [TOPIC, other, lambda], since, TEST_REASON)).toEqual([
      { action: TOPIC, outcome: 'Failed', error: `Resource: arn:aws:cloudwatch:eu-west-1:111122223333:alarm:a is not authorized to perform: SNS:Publish on resource: ${TOPIC}` },
      { action: other, outcome: 'Succeeded' },
      { action: lambda, outcome: 'NoRecord' },
    ]);
  });

  test('records before the test\'s own state update do not count, even within the clock allowance', () => {
    const items = [
      item('Action', `Successfully executed action ${TOPIC}`, { actionState: 'Succeeded', notificationResource: TOPIC }, '2026-12-02T09:59:58Z'),
      item('StateUpdate', 'Alarm updated from OK to ALARM', { newState: { stateValue: 'ALARM', stateReason: TEST_REASON } }, '2026-12-02T10:00:00Z'),
    ];
    expect(judgeHistory(items, [TOPIC], since, TEST_REASON)).toEqual([{ action: TOPIC, outcome: 'NoRecord' }]);
  });

  test('SdkVerifyApi reads every page of DescribeAlarmHistory (CloudWatch\'s JSON protocol) and the timestamps', async () => {
    const pages: Record<string, object> = {
      first: {
        AlarmHistoryItems: [{
          AlarmName: ROOT,
          AlarmType: 'MetricAlarm',
          Timestamp: 1796205601.123,
          HistoryItemType: 'StateUpdate',
          HistorySummary: 'Alarm updated from OK to ALARM',
          HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: 'OK' }, newState: { stateValue: 'ALARM', stateReason: TEST_REASON } }),
        }],
        NextToken: 'page-2',
      },
      second: {
        AlarmHistoryItems: [{
          AlarmName: ROOT,
          AlarmType: 'MetricAlarm',
          Timestamp: 1796205601.456,
          HistoryItemType: 'Action',
          HistorySummary: `Failed to execute action ${TOPIC}. Received error: "${KMS_ERROR}"`,
          HistoryData: JSON.stringify({ actionState: 'Failed', stateUpdateTimestamp: 1796205601123, notificationResource: TOPIC, error: KMS_ERROR }),
        }],
      },
    };
    const seen: string[] = [];
    const requestHandler = {
      handle: async (request: { headers: Record<string, string>; body?: unknown }) => {
        const body = typeof request.body === 'string' ? request.body : Buffer.from(request.body as Uint8Array).toString('utf8');
        seen.push(`${request.headers['x-amz-target']} ${body}`);
        const page = JSON.parse(body).NextToken === 'page-2' ? pages.second : pages.first;
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'r-1' },
            body: Readable.from([Buffer.from(JSON.stringify(page))]),
          },
        };
      },
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
      destroy: () => undefined,
    };
    const sdk = new SdkVerifyApi({ credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, requestHandler });
    const items = await sdk.describeAlarmHistory(REGION, ROOT, new Date(1796205600000));
    expect(items.map((i) => i.historyItemType)).toEqual(['StateUpdate', 'Action']);
    expect(items[1].timestamp.toISOString()).toBe('2026-12-02T10:00:01.456Z');
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatch(/^GraniteServiceVersion20100801\.DescribeAlarmHistory /);
    expect(JSON.parse(seen[0].split(' ').slice(1).join(' '))).toMatchObject({ AlarmName: ROOT, ScanBy: 'TimestampAscending' });
    expect(judgeHistory(items, [TOPIC], new Date(1796205601000), TEST_REASON)).toEqual([{ action: TOPIC, outcome: 'Failed', error: KMS_ERROR }]);
    sdk.destroy();
  });
});
