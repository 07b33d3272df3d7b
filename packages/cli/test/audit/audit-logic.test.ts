/**
 * The audit's decisions on account states moto cannot produce (a subscription pending
 * confirmation, advanced event selectors, shadow trails, metric-math alarms, API errors), through
 * an in-memory `AuditApi`. The real SDK against moto is tested in test/e2e/deploy-audit.test.ts.
 */
import { AuditApi, AuditApiError, CisControl, CisPatternSet, EventSelectorsInfo, parseLogGroupArn } from 'cdk-cis-log-monitoring/lib/cli-support';
import { ACCOUNT, FakeAccount, LOG_GROUP, REGION } from './fake-account';
import { runCisAudit } from '../../src/account/audit';
import { parseAuditArgs, runAudit } from '../../src/commands/audit/command';

const audit = (account: AuditApi, patternSet?: CisPatternSet | 'any') => runCisAudit(account, { region: REGION, patternSet });

test('a complete account passes, reading each list once', async () => {
  const account = new FakeAccount();
  const report = await audit(account);
  expect(report).toMatchObject({ status: 'PASS', passed: 15, failed: 0, account: ACCOUNT, patternSet: 'RECOMMENDED' });
  expect(report.controls[0].reason).toBe('filter \'unauthorized_api_calls_metric\' → alarm \'unauthorized_api_calls_alarm\' → topic '
    + '\'cis-alarms\' (1 confirmed subscriber)');
  expect(account.calls.filter((c) => c.startsWith('describeAlarms'))).toHaveLength(1);
  expect(account.calls.filter((c) => c.startsWith('listSubscriptionsByTopic'))).toHaveLength(1);
  expect(account.calls.filter((c) => c.startsWith('getTopicAttributes'))).toHaveLength(1);
  expect(report.controls[0].findings).toEqual([]);
});

test('a subscription pending confirmation is reported as such (step 7 needs a subscription ARN)', async () => {
  const account = new FakeAccount();
  account.subscriptions = [{ subscriptionArn: 'PendingConfirmation', protocol: 'email', endpoint: 'secops@example.com' }];
  const report = await audit(account);
  expect(report.failed).toBe(15);
  expect(report.controls[0]).toMatchObject({
    status: 'FAIL',
    confirmedSubscriptions: 0,
    pendingSubscriptions: 1,
    reason: 'subscription email secops@example.com of topic \'cis-alarms\' is pending confirmation: it receives nothing [CIS-MON-SUBSCRIPTION-CONFIRMED]',
  });
});

test('a confirmed subscriber passes; pending ones are noted', async () => {
  const account = new FakeAccount();
  account.subscriptions!.push({ subscriptionArn: 'PendingConfirmation', protocol: 'email', endpoint: 'b@example.com' });
  const report = await audit(account);
  expect(report.status).toBe('PASS');
  expect(report.controls[0].notes).toEqual(['subscription pending confirmation: email b@example.com']);
  expect(report.controls[0]).toMatchObject({ confirmedSubscriptions: 1, pendingSubscriptions: 1 });
});

test('an alarm whose action is not an SNS topic', async () => {
  const account = new FakeAccount();
  account.alarms[2] = { ...account.alarms[2], alarmActions: [`arn:aws:lambda:${REGION}:${ACCOUNT}:function:f`] };
  const report = await audit(account);
  expect(report.controls[2]).toMatchObject({
    status: 'FAIL', reason: 'alarm \'root_usage_alarm\' has no SNS topic among its AlarmActions: nobody is notified [CIS-MON-ALARM-NOTIFIES]',
  });
});

test('a metric-math alarm: a single MetricStat query of the metric passes; an expression is not evaluated, so UNKNOWN', async () => {
  const account = new FakeAccount();
  const metric = { metricName: 'unauthorized_api_calls_metric', namespace: 'CISBenchmark', statistic: 'Sum', period: 300 };
  account.alarms[0] = {
    ...account.alarms[0],
    metricName: undefined,
    namespace: undefined,
    statistic: undefined,
    period: undefined,
    metrics: [metric],
    queries: [{ id: 'm1', returnData: true, metric }],
  };
  expect((await audit(account)).controls[0].status).toBe('PASS');
  account.alarms[0] = { ...account.alarms[0], queries: [{ id: 'm1', returnData: false, metric }, { id: 'e1', expression: 'm1 * 2', returnData: true }] };
  expect((await audit(account)).controls[0]).toMatchObject({ status: 'UNKNOWN', reason: expect.stringMatching(/\[CIS-MON-ALARM-METRIC-MATH\]$/) });
});

test('no alarm on the metric', async () => {
  const account = new FakeAccount();
  account.alarms = account.alarms.slice(1);
  expect((await audit(account)).controls[0].reason).toMatch(/^no alarm watches metric CISBenchmark\/unauthorized_api_calls_metric of metric filter 'unauthorized_api_calls_metric'.* \[CIS-MON-ALARM-PRESENT\]$/);
});

test('no filter at all on the log group', async () => {
  const account = new FakeAccount();
  account.filters = [];
  expect((await audit(account)).controls[0].reason).toBe('control 4.1 (Ensure unauthorized API calls are monitored): no metric filter with '
    + 'RECOMMENDED\'s pattern on the trail log group \'trail-logs\' [CIS-MON-FILTER-PRESENT]');
});

test('the SSO-aware variant passes for its set and is noted; CIS v1.2.0 has no such variant', async () => {
  const account = new FakeAccount();
  const mfa = CisControl.CONSOLE_SIGNIN_WITHOUT_MFA;
  account.filters[1] = { ...account.filters[1], filterPattern: mfa.patternFor(CisPatternSet.RECOMMENDED, true) };
  const report = await audit(account);
  expect(report.controls[1]).toMatchObject({ status: 'PASS', notes: [expect.stringMatching(/SSO-aware variant/)] });
  const v120 = await audit(account, CisPatternSet.CIS_V1_2_0);
  expect(v120.controls[1].reason).toMatch(/has the text of RECOMMENDED \(SSO-aware\), .*; expected CIS_V1_2_0's pattern \[CIS-MON-FILTER-PRESENT\]$/);
  expect(v120.controls[1].id).toBe('3.2');
});

test('CIS v6.0.0 and v7.0.0: the v5.0.0 text passes under their section-5 ids; RECOMMENDED\'s 4.13 does not', async () => {
  const account = new FakeAccount();
  const v5 = CisPatternSet.CIS_V5_0_0;
  account.filters = account.filters.map((f, i) => ({ ...f, filterPattern: v5.controls()[i].patternFor(v5) }));
  for (const set of [CisPatternSet.CIS_V6_0_0, CisPatternSet.CIS_V7_0_0]) {
    const report = await audit(account, set);
    expect(report).toMatchObject({ status: 'PASS', passed: 15, patternSet: set.name });
    expect(report.controls.map((c) => c.id)).toEqual(Array.from({ length: 15 }, (_, i) => `5.${i + 1}`));
  }
  account.filters[12] = { ...account.filters[12], filterPattern: CisControl.ROUTE_TABLE_CHANGES.patternFor(CisPatternSet.RECOMMENDED) };
  const v6 = await audit(account, CisPatternSet.CIS_V6_0_0);
  expect(v6.controls[12]).toMatchObject({ id: '5.13', status: 'FAIL' });
  expect(v6.controls[12].reason).toMatch(/has the text of RECOMMENDED; expected CIS_V6_0_0's pattern \[CIS-MON-FILTER-PRESENT\]$/);
});

test('advanced event selectors: Management only passes; a narrower selector does not', async () => {
  const management: EventSelectorsInfo = {
    eventSelectors: [],
    advancedEventSelectors: [{ name: 'mgmt', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }],
  };
  const all = new FakeAccount();
  all.selectors = management;
  expect((await audit(all)).status).toBe('PASS');
  const writeOnly: EventSelectorsInfo = {
    eventSelectors: [],
    advancedEventSelectors: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }, { field: 'readOnly', equals: ['false'] }] }],
  };
  const account = new FakeAccount();
  account.selectors = writeOnly;
  const report = await audit(account);
  expect(report.trails[0].reason).toMatch(/\[CIS-MON-TRAIL-MANAGEMENT-EVENTS\]$/);
  expect(report.status).toBe('FAIL');
});

test('a shadow trail is checked in its home region, and its log group region is used for filters and alarms', async () => {
  const account = new FakeAccount();
  account.trails = [{ ...account.trails[0], homeRegion: 'us-east-1', cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${LOG_GROUP}` }];
  await audit(account);
  expect(account.calls).toContain(`getTrailStatus us-east-1 ${account.trails[0].arn}`);
  expect(account.calls).toContain('describeMetricFilters us-east-1 *');
  expect(account.calls).toContain(`logGroupExists us-east-1 ${LOG_GROUP}`);
  expect(account.calls).toContain('describeAlarms us-east-1');
});

test('the passing trail is preferred over a failing one', async () => {
  const account = new FakeAccount();
  account.trails = [
    { name: 'no-logs', arn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/no-logs', homeRegion: REGION, isMultiRegionTrail: true },
    ...account.trails,
  ];
  const report = await audit(account);
  expect(report.trails.map((t) => t.status)).toEqual(['FAIL', 'PASS']);
  expect(report.trails[0].reason).toBe('trail \'no-logs\' does not deliver to CloudWatch Logs (no CloudWatchLogsLogGroupArn): no metric filter sees '
    + 'its events [CIS-MON-TRAIL-CLOUDWATCH-LOGS]');
  expect(report.status).toBe('PASS');
});

test('trails without CloudWatch Logs delivery', async () => {
  const account = new FakeAccount();
  account.trails = [{ ...account.trails[0], cloudWatchLogsLogGroupArn: undefined }];
  expect((await audit(account)).controls[0]).toMatchObject({
    status: 'FAIL',
    reason: 'trail \'main\' does not deliver to CloudWatch Logs (no CloudWatchLogsLogGroupArn): no metric filter sees its events [CIS-MON-TRAIL-CLOUDWATCH-LOGS]',
  });
});

test('log group ARNs with and without :*', () => {
  expect(parseLogGroupArn('arn:aws:logs:eu-west-1:1:log-group:g:*')).toEqual({ region: 'eu-west-1', account: '1', name: 'g' });
  expect(parseLogGroupArn('arn:aws:logs:eu-west-1:1:log-group:g')).toEqual({ region: 'eu-west-1', account: '1', name: 'g' });
  expect(parseLogGroupArn('arn:aws:s3:::bucket')).toBeUndefined();
});

describe('the command line', () => {
  const run = async (argv: string[], api: AuditApi = new FakeAccount(), env: Record<string, string> = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await runAudit(argv, { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env, api: () => api });
    return { code, stdout, stderr };
  };

  test('arguments', () => {
    expect(parseAuditArgs([])).toMatchObject({ patternSet: CisPatternSet.RECOMMENDED, output: 'table', help: false });
    expect(parseAuditArgs(['--pattern-set=cis_v3_0_0', '--json', '--region', 'x'])).toMatchObject({
      patternSet: CisPatternSet.CIS_V3_0_0, output: 'json', region: 'x',
    });
    expect(parseAuditArgs(['--pattern-set', 'ANY']).patternSet).toBe('any');
    expect(() => parseAuditArgs(['--pattern-set', 'nope'])).toThrow(/Unknown CIS pattern set "nope"/);
    expect(() => parseAuditArgs(['--output', 'xml'])).toThrow(/--output must be table or json/);
    expect(() => parseAuditArgs(['--region'])).toThrow(/--region needs a value/);
    expect(() => parseAuditArgs(['extra'])).toThrow(/unexpected argument "extra"/);
  });

  test('exit codes: 0 PASS, 1 usage, 2 FAIL, 3 unreadable account', async () => {
    expect((await run(['--region', REGION])).code).toBe(0);
    const usage = await run(['--bogus']);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/^audit: unknown option "--bogus"\n\nUsage: cdk-cis-log-monitoring audit/);
    const failing = new FakeAccount();
    failing.logging = false;
    expect((await run(['--region', REGION], failing)).code).toBe(2);
    const denied = new FakeAccount();
    denied.describeTrails = async () => { throw new AuditApiError('cloudtrail:DescribeTrails', 'AccessDeniedException', 'not authorized'); };
    const error = await run(['--region', REGION], denied);
    expect(error.code).toBe(3);
    expect(error.stderr).toMatch(/cloudtrail:DescribeTrails failed: AccessDeniedException: not authorized/);
  });

  test('the region comes from --region, then AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    const account = new FakeAccount();
    await run([], account, { AWS_DEFAULT_REGION: 'ap-south-1', AWS_REGION: 'ca-central-1' });
    expect(account.calls[0]).toBe('describeTrails ca-central-1');
    const other = new FakeAccount();
    await run([], other, { AWS_DEFAULT_REGION: 'ap-south-1' });
    expect(other.calls[0]).toBe('describeTrails ap-south-1');
  });

  test('--help prints the usage and exits 0', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--pattern-set NAME/);
  });

  test('JSON output is the report', async () => {
    const json = await run(['--region', REGION, '--output', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'PASS', region: REGION, controls: expect.any(Array), trails: expect.any(Array) });
  });
});

test('an account without monitoring-integrity controls: a WARNING naming the group, or saying there is no group to watch', async () => {
  const account = new FakeAccount();
  const withTrail = await audit(account);
  expect(withTrail.integrity.map((c) => [c.id, c.status, c.reason])).toEqual([
    ['MON.TAMPER', 'WARNING', `MON.TAMPER (Ensure changes that silence or blind the CIS monitoring itself are monitored) is not deployed for '${LOG_GROUP}' [CIS-MON-INTEGRITY-DEPLOYED]`],
    ['MON.HEARTBEAT', 'WARNING', `MON.HEARTBEAT (Ensure the trail's log group receiving no events is monitored (delivery heartbeat)) is not deployed for '${LOG_GROUP}' [CIS-MON-INTEGRITY-DEPLOYED]`],
  ]);
  account.trails = [];
  const noTrail = await audit(account);
  expect(noTrail.integrity.map((c) => c.reason)).toEqual([
    'MON.TAMPER (Ensure changes that silence or blind the CIS monitoring itself are monitored) is not deployed (and no trail delivers to a log group it could watch) [CIS-MON-INTEGRITY-DEPLOYED]',
    'MON.HEARTBEAT (Ensure the trail\'s log group receiving no events is monitored (delivery heartbeat)) is not deployed (and no trail delivers to a log group it could watch) [CIS-MON-INTEGRITY-DEPLOYED]',
  ]);
});
