/**
 * The evidence model and collector (issue 20 §4) on the demo app's verdicts and AWS responses recorded as the SDK
 * returns them (fixtures.ts): the chain, verdict, deciding rule, message and fix per control; the heartbeat's last
 * delivery and alarm; the tamper events (the tamper control's own patterns, re-checked by the engine); the bounds;
 * and every failed call as a visible "could not read", never an empty list.
 */
import {
  ACCOUNT, LOG_GROUP, NOT_TAMPER, PREFIX, ROLE, RecordedApi, TAMPER, UNTIL,
  broken, filterResponse, healthy, heartbeatAlarm, metricDataResponse, sdkError,
} from './fixtures';
import { tamperPatterns } from '../../../src/catalog/tamper-control';
import {
  AccountEvidence, EVIDENCE_LINK_KINDS, collectAccountEvidence, controlEvidence, evidencePeriod, evidenceReport, integrityEvidence,
  unreadableAccountEvidence,
} from '../../../src/verdicts/evidence';

const collect = (api: RecordedApi, input = healthy(), options = {}): Promise<AccountEvidence> =>
  collectAccountEvidence(input, api, { until: UNTIL, ...options });

describe('the model: per control the chain, the verdict, the deciding rule, its message and fix', () => {
  test('a healthy account: every control PASS with its six links and no rule', () => {
    const { snapshot, result } = healthy();
    const controls = controlEvidence(snapshot, result);
    expect(controls).toHaveLength(15);
    for (const c of controls) {
      expect(c.verdict).toBe('PASS');
      expect(c.rule).toBeUndefined();
      expect(c.fix).toBeUndefined();
      expect(c.chain.map((l) => l.kind)).toEqual(EVIDENCE_LINK_KINDS);
      expect(c.chain.every((l) => l.label !== undefined)).toBe(true);
    }
    const root = controls.find((c) => c.key === 'ROOT_ACCOUNT_USAGE')!;
    expect(root.chain.find((l) => l.kind === 'metric filter')!.label).toMatch(/^CisRootAccountUsageMetricFilter/);
    expect(root.chain.find((l) => l.kind === 'subscriptions')!.label).toMatch(/^CisEmail.*\(confirmation not seen\)$/);
    expect(root.message).toContain('→');
  });

  test('the monitoring-integrity controls: their own rows; the heartbeat\'s chain has no metric filter (its alarm watches IncomingLogEvents)', () => {
    const { snapshot, result } = healthy();
    const integrity = integrityEvidence(snapshot, result);
    expect(integrity.map((c) => `${c.id} ${c.verdict}`)).toEqual(['MON.TAMPER PASS', 'MON.HEARTBEAT PASS']);
    expect(integrity[0].chain.map((l) => l.kind)).toEqual(EVIDENCE_LINK_KINDS);
    expect(integrity[1].chain.map((l) => l.kind)).toEqual(['trail', 'log group', 'alarm', 'topic', 'subscriptions']);
    expect(integrity[1].chain.every((l) => l.label !== undefined)).toBe(true);
  });

  test('a broken account: the deciding rule (the first finding of the worst verdict), its message and fix; the chain stops', () => {
    const { snapshot, result } = broken();
    const controls = controlEvidence(snapshot, result);
    const root = controls.find((c) => c.key === 'ROOT_ACCOUNT_USAGE')!;
    const runner = result.controls.find((c) => c.key === 'ROOT_ACCOUNT_USAGE')!;
    const fail = runner.findings.find((f) => f.verdict === 'FAIL')!;
    expect(root).toMatchObject({ id: '4.3', verdict: 'FAIL', rule: fail.rule, message: fail.message, fix: fail.fix });
    expect(root.rule).toBe('CIS-MON-FILTER-PRESENT');
    expect(root.findings[0].rule).toBe(root.rule);
    expect(root.chain.filter((l) => l.label === undefined).map((l) => l.kind)).toEqual(['metric filter', 'alarm', 'topic', 'subscriptions']);
    expect(controls.filter((c) => c.verdict !== 'PASS').map((c) => c.id)).toEqual(['4.3']);
  });

  test('the deciding rule is the first finding of the worst verdict, wherever it comes in the runner\'s list', () => {
    const { snapshot, result } = healthy();
    const warning = { rule: 'CIS-MON-ALARM-THRESHOLD', verdict: 'WARNING' as const, resources: ['a'], message: 'threshold 2', fix: 'use 1' };
    const unknown = { rule: 'CIS-MON-TOPIC-VISIBLE', verdict: 'UNKNOWN' as const, resources: ['t'], message: 'topic not seen', fix: 'grant sns:Get*' };
    const fail = { rule: 'CIS-MON-KEY-USABLE', verdict: 'FAIL' as const, resources: ['k'], message: 'key disabled', fix: 'enable the key' };
    const [first, ...rest] = result.controls;
    const mixed = { ...result, controls: [{ ...first, verdict: 'FAIL' as const, findings: [warning, fail, unknown] }, ...rest] };
    const [c] = controlEvidence(snapshot, mixed);
    expect(c).toMatchObject({ verdict: 'FAIL', rule: fail.rule, message: 'key disabled', fix: 'enable the key' });
    expect(c.findings.map((f) => f.rule)).toEqual([fail.rule, warning.rule, unknown.rule]);
  });

  test('the report counts controls and accounts by verdict; its verdict is the worst account\'s; none is UNKNOWN', async () => {
    const good = await collect(new RecordedApi());
    const bad = await collect(new RecordedApi(), broken());
    const unreadable = unreadableAccountEvidence('210987654321', 'us-east-1', 'any', 'AccessDenied: sts:AssumeRole');
    const report = evidenceReport([good, bad, unreadable], { producer: 'test', ...evidencePeriod({ until: UNTIL }) });
    expect(report.controlCounts).toEqual({ PASS: 29, WARNING: 0, UNKNOWN: 0, FAIL: 1 });
    expect(report.accountCounts).toEqual({ PASS: 1, WARNING: 0, UNKNOWN: 1, FAIL: 1 });
    expect(report.verdict).toBe('FAIL');
    expect(evidenceReport([good, unreadable], { producer: 'test', ...evidencePeriod() }).verdict).toBe('UNKNOWN');
    expect(evidenceReport([good], { producer: 'test', ...evidencePeriod() }).verdict).toBe('PASS');
    expect(evidenceReport([], { producer: 'test', ...evidencePeriod() }).verdict).toBe('UNKNOWN');
    expect(report.since).toBe('2026-12-06T06:00:00.000Z');
  });
});

describe('the collector', () => {
  test('the heartbeat: the latest 5-minute period with events, and the alarm on the group\'s IncomingLogEvents', async () => {
    const api = new RecordedApi();
    api.metricPages = [metricDataResponse([['2026-12-07T05:50:00Z', 0], ['2026-12-07T05:45:00Z', 187], ['2026-12-07T05:40:00Z', 90]])];
    const evidence = await collect(api);
    expect(evidence.heartbeat).toEqual([{
      logGroup: LOG_GROUP,
      since: '2026-11-23T06:00:00.000Z',
      lastDelivery: '2026-12-07T05:45:00.000Z',
      lastDeliveryEvents: 187,
      alarms: [{ name: `${PREFIX}delivery_heartbeat_alarm`, state: 'OK', stateUpdated: '2026-12-06T22:15:00.000Z', actionsEnabled: true }],
      alarmError: undefined,
    }]);
    const [request] = api.metricRequests;
    expect(request.MetricDataQueries[0].MetricStat).toEqual({
      Metric: { Namespace: 'AWS/Logs', MetricName: 'IncomingLogEvents', Dimensions: [{ Name: 'LogGroupName', Value: LOG_GROUP }] }, Period: 300, Stat: 'Sum',
    });
    expect(request).toMatchObject({ ScanBy: 'TimestampDescending', EndTime: UNTIL });
    expect(api.metricRequests).toHaveLength(1); // the latest is on the first page of a descending scan
  });

  test('no datapoint in the look-back: no last delivery (said so), not an error; an alarm of another group is not this group\'s', async () => {
    const api = new RecordedApi();
    api.metricPages = [metricDataResponse([])];
    api.alarmPages = [{ MetricAlarms: [heartbeatAlarm('x-delivery_heartbeat_alarm', 'ALARM', 'another-group')] }];
    const [h] = (await collect(api, healthy(), { heartbeatLookbackHours: 48 })).heartbeat;
    expect(h).toEqual({ logGroup: LOG_GROUP, since: '2026-12-05T06:00:00.000Z', alarms: [], alarmError: undefined });
  });

  test('the tamper events: the tamper control\'s own patterns, scoped by the heartbeat alarm\'s prefix and the delivery role; re-checked by the engine', async () => {
    const api = new RecordedApi();
    const evidence = await collect(api);
    const expected = [...tamperPatterns({ alarmNamePrefix: PREFIX, logGroupName: LOG_GROUP, deliveryRoleName: ROLE }).values()];
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(api.filterRequests.map((r) => r.filterPattern)).toEqual(expected);
    for (const r of api.filterRequests) {
      expect(r).toMatchObject({ logGroupName: LOG_GROUP, startTime: Date.parse('2026-12-06T06:00:00Z'), endTime: UNTIL.getTime() });
    }
    const [t] = evidence.tamper;
    expect(t).toMatchObject({ logGroup: LOG_GROUP, alarmNamePrefix: PREFIX, deliveryRoleName: ROLE, more: 0, truncated: false, errors: [] });
    // Newest first; the emulator returned every event for every pattern: only the matching ones, once each.
    expect(t.events.map((e) => e.eventId)).toEqual(['evt-disable', TAMPER.deleteAlarms.eventID, 'evt-filter']);
    expect(t.events[0]).toEqual({
      time: '2026-12-07T05:01:00Z',
      who: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/eve`,
      eventSource: 'monitoring.amazonaws.com',
      eventName: 'DisableAlarmActions',
      target: `alarmNames: ${PREFIX}vpc_changes_alarm`,
      sourceIp: '203.0.113.9',
      eventId: 'evt-disable',
      errorCode: undefined,
    });
    expect(t.events[2].target).toBe(`logGroupName: ${LOG_GROUP}; filterName: root_usage_metric`);
    const ids = t.events.map((e) => e.eventId);
    for (const miss of Object.values(NOT_TAMPER)) expect(ids).not.toContain(miss.eventID);
  });

  test('without a heartbeat alarm the patterns cover every alarm name (a wider search, never a narrower one)', async () => {
    const api = new RecordedApi();
    api.alarmPages = [{ MetricAlarms: [] }];
    const input = healthy();
    const withoutTamperAlarm = { ...input, snapshot: { ...input.snapshot, alarms: input.snapshot.alarms.filter((a) => !/monitoring_tamper_alarm$/.test(String(a.name))) } };
    expect(withoutTamperAlarm.snapshot.alarms.length).toBe(input.snapshot.alarms.length - 1);
    const [t] = (await collect(api, withoutTamperAlarm)).tamper;
    expect(t.alarmNamePrefix).toBe('');
    expect(t.events.map((e) => e.eventId)).toContain('evt-other');
  });

  test('bounded: at most maxEvents listed and the rest counted; at most maxPages per call, then "may be more"', async () => {
    const api = new RecordedApi();
    const many = Array.from({ length: 7 }, (_, i) => ({ ...TAMPER.deleteAlarms, eventID: `e${i}`, eventTime: `2026-12-07T0${i}:00:00Z` }));
    api.logPages = [filterResponse(many, 'more-please')];
    const [t] = (await collect(api, healthy(), { maxEvents: 3, maxPages: 2 })).tamper;
    expect(t.events.map((e) => e.eventId)).toEqual(['e6', 'e5', 'e4']);
    expect(t.more).toBe(4);
    expect(t.truncated).toBe(true);
    const perPattern = api.filterRequests.filter((r) => r.filterPattern === api.filterRequests[0].filterPattern);
    expect(perPattern).toHaveLength(2);
    expect(perPattern[1].nextToken).toBe('more-please');

    const alarms = new RecordedApi();
    alarms.alarmPages = [{ MetricAlarms: [], NextToken: 'next' }];
    const [h] = (await collect(alarms, healthy(), { maxPages: 3 })).heartbeat;
    expect(alarms.alarmRequests).toHaveLength(3);
    expect(h.alarmError).toBe('DescribeAlarms: more than 300 alarms, not all read');
  });

  test('every failed call is a visible "could not read", never an empty list', async () => {
    const api = new RecordedApi();
    api.failMetrics = sdkError('AccessDeniedException', 'User is not authorized to perform: cloudwatch:GetMetricData');
    api.failAlarms = sdkError('AccessDeniedException', 'User is not authorized to perform: cloudwatch:DescribeAlarms');
    api.failLogs = (input) => (input.filterPattern.includes('sns.amazonaws.com') ? sdkError('ThrottlingException', 'Rate exceeded') : undefined);
    const evidence = await collect(api);
    const [h] = evidence.heartbeat;
    expect(h.lastDelivery).toBeUndefined();
    expect(h.deliveryError).toBe(`GetMetricData (AWS/Logs IncomingLogEvents, ${LOG_GROUP}): AccessDeniedException: User is not authorized to perform: cloudwatch:GetMetricData`);
    expect(h.alarmError).toBe('DescribeAlarms: AccessDeniedException: User is not authorized to perform: cloudwatch:DescribeAlarms');
    const [t] = evidence.tamper;
    expect(t.errors).toEqual([`FilterLogEvents (sns pattern, ${LOG_GROUP}): ThrottlingException: Rate exceeded`]);
    expect(t.events.length).toBeGreaterThan(0); // the other services' searches still count

    const partial = new RecordedApi();
    partial.metricPages = [{ MetricDataResults: [{ Id: 'incoming', Timestamps: [], Values: [], StatusCode: 'Forbidden' }] }];
    expect((await collect(partial)).heartbeat[0].deliveryError).toBe('GetMetricData: status Forbidden');
  });

  test('a trail delivering to another account\'s group: named, not read; no trail at all: said so', async () => {
    const input = healthy();
    const elsewhere = { ...input, snapshot: { ...input.snapshot, trails: input.snapshot.trails.map((t) => ({ ...t, logGroupAccount: '999999999999' })) } };
    const api = new RecordedApi();
    const evidence = await collect(api, elsewhere);
    expect(evidence.heartbeat).toEqual([]);
    expect(evidence.tamper).toEqual([]);
    expect(evidence.heartbeatNote).toBe(`the trail's log group '${LOG_GROUP}' is in account 999999999999: its heartbeat and tamper events are read there`);
    expect(api.metricRequests.length + api.filterRequests.length).toBe(0);

    const none = { ...input, snapshot: { ...input.snapshot, trails: [] } };
    const noTrail = await collect(new RecordedApi(), none);
    expect(noTrail.heartbeatNote).toMatch(/^no trail delivering to a log group of this account was found/);
  });
});
