/**
 * Issue 20 §3: the self-audit function's logic against moto on loopback. The demo app is deployed into moto (a
 * healthy chain: trail → log group → 15 filters → alarms → topic → confirmed subscription), the function's code runs
 * with its SDK clients pointed at moto (`SdkAuditApi`, `SdkSelfAuditSink`: the classes the bundled handler uses),
 * and what moto stored is read back with boto3 (moto's own Python SDK client, independent of the code under test):
 * the metrics (ListMetrics, GetMetricData), the Security Hub findings (GetFindings) and the evidence report the
 * function stores in S3 (GetObject).
 *
 * moto cannot answer PutEvaluations outside its TestMode, so the Config call is tested against a loopback server
 * answering AWS's recorded response shape (`{"FailedEvaluations":[]}`), checking the request as AWS receives it.
 *
 * Needs moto: `bash scripts/e2e/setup.sh`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { DisableAlarmActionsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { ListSubscriptionsCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { demoApp } from './apps';
import { MotoClients, deployToMoto } from './moto/deploy';
import { MOTO_ACCOUNT, MotoServer, REPO_ROOT } from './moto/server';
import { motoForThisFile } from './moto/suite';
import { CisControl, CisPatternSet } from '../../src';
import { configInvocationOf, handler, settingsOf } from '../../src/construct/audit/self-audit.lambda';
import { collectAccountEvidence, evidencePeriod, evidenceReport, renderEvidenceHtml } from '../../src/verdicts/evidence';
import { AuditApi, AuditApiError } from '../../src/verdicts/live/api';
import { readAccount } from '../../src/verdicts/live/live-snapshot';
import { SdkAuditApi } from '../../src/verdicts/live/sdk-api';
import { SdkEvidenceApi } from '../../src/verdicts/live/sdk-evidence-api';
import { SdkSelfAuditSink } from '../../src/verdicts/live/sdk-publisher';
import { AsffFinding, SelfAuditResult, SelfAuditSettings, runSelfAudit, storeEvidenceReport } from '../../src/verdicts/live/self-audit';
import { runRules } from '../../src/verdicts/runner';

const REGION = 'us-east-1';
const PYTHON = path.join(REPO_ROOT, '.venv-moto', 'bin', 'python');
const PREFIX = 'CisMonitoringDemo-Cis-34AF7D5D-';

let moto: MotoServer;
let clients: MotoClients;
const demo = demoApp();

motoForThisFile({
  region: REGION,
  started: async (started, startedClients) => {
    moto = started;
    clients = startedClients;
  },
});

beforeEach(async () => {
  await moto.reset();
  await deployToMoto(clients, demo.template, demo.stackName);
});

function settings(now = new Date()): SelfAuditSettings {
  return {
    account: MOTO_ACCOUNT,
    region: REGION,
    partition: 'aws',
    patternSet: CisPatternSet.RECOMMENDED,
    controls: CisPatternSet.RECOMMENDED.controls(),
    namespace: 'CISBenchmark',
    alarmNamePrefix: PREFIX,
    securityHub: true,
    now,
  };
}

async function run(api: AuditApi = new SdkAuditApi({ endpoint: moto.endpoint }), now?: Date): Promise<SelfAuditResult> {
  const sink = new SdkSelfAuditSink(REGION, moto.endpoint);
  try {
    return await runSelfAudit(api, sink, settings(now));
  } finally {
    sink.destroy();
    (api as SdkAuditApi).destroy?.();
  }
}

/** boto3 (moto's Python SDK) against moto: what the service stored, read without the code under test. */
function boto3(script: string): any {
  const out = spawnSync(PYTHON, ['-c', `import boto3, json, datetime\nc = lambda s: boto3.client(s, endpoint_url=${JSON.stringify(moto.endpoint)}, `
    + `region_name='${REGION}', aws_access_key_id='testing', aws_secret_access_key='testing')\n${script}`], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`boto3 failed: ${out.stderr}`);
  return JSON.parse(out.stdout);
}

function storedFindings(): AsffFinding[] {
  return boto3('print(json.dumps(c("securityhub").get_findings(MaxResults=100)["Findings"], default=str))');
}

/** The latest value of each self-audit metric moto stored, by name. */
function storedMetrics(): Record<string, number> {
  return boto3(`cw = c("cloudwatch")
names = [m["MetricName"] for m in cw.list_metrics(Namespace="CISBenchmark")["Metrics"] if m["MetricName"].startswith("SelfAudit")]
now = datetime.datetime.now(datetime.timezone.utc)
q = [{"Id": "m%d" % i, "MetricStat": {"Metric": {"Namespace": "CISBenchmark", "MetricName": n, "Dimensions": [{"Name": "AlarmNamePrefix", "Value": "${PREFIX}"}]},
      "Period": 60, "Stat": "Maximum"}, "Label": n} for i, n in enumerate(sorted(set(names)))]
r = cw.get_metric_data(MetricDataQueries=q, StartTime=now - datetime.timedelta(hours=1), EndTime=now + datetime.timedelta(minutes=5))
print(json.dumps({x["Label"]: x["Values"][0] for x in r["MetricDataResults"] if x["Values"]}))`);
}

const byKey = (findings: AsffFinding[]): Record<string, AsffFinding> =>
  Object.fromEntries(findings.map((f) => [f.ProductFields['cdk-cis-log-monitoring/ControlKey'], f]));

test('a healthy chain: 17 PASSED findings in Security Hub (15 CIS controls, MON.TAMPER, MON.HEARTBEAT), SelfAuditNotPassing 0 in CloudWatch', async () => {
  const result = await run();
  expect(result.errors).toEqual([]);
  expect(result.counts).toEqual({ PASS: 17, WARNING: 0, UNKNOWN: 0, FAIL: 0 });
  expect(result.controls.slice(15).map((c) => c.id)).toEqual(['MON.TAMPER', 'MON.HEARTBEAT']);
  const metrics = storedMetrics();
  expect(metrics).toEqual({ SelfAuditNotPassing: 0, SelfAuditFailed: 0, SelfAuditUnknown: 0, SelfAuditWarning: 0, SelfAuditPassed: 17 });
  const findings = storedFindings();
  expect(findings).toHaveLength(17);
  expect(findings.map((f) => f.Compliance.Status)).toEqual(Array(17).fill('PASSED'));
  const root = byKey(findings)[CisControl.ROOT_ACCOUNT_USAGE.key];
  expect(root).toMatchObject({
    SchemaVersion: '2018-10-08',
    Id: `arn:aws:cdk-cis-log-monitoring:${REGION}:${MOTO_ACCOUNT}:self-audit/${PREFIX}/ROOT_ACCOUNT_USAGE`,
    ProductArn: `arn:aws:securityhub:${REGION}:${MOTO_ACCOUNT}:product/${MOTO_ACCOUNT}/default`,
    GeneratorId: 'cdk-cis-log-monitoring/RECOMMENDED/4.3',
    AwsAccountId: MOTO_ACCOUNT,
    Types: ['Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark'],
    Severity: { Label: 'INFORMATIONAL' },
    Resources: [{ Type: 'AwsAccount', Id: `AWS::::Account:${MOTO_ACCOUNT}`, Partition: 'aws', Region: REGION }],
    Compliance: { Status: 'PASSED', RelatedRequirements: ['CIS AWS Foundations Benchmark 3.0.0/4.3'] },
  });
  expect(root.Description).toMatch(/^PASS: /);
  writeExample('passed', root);
});

test('a broken link: alarm actions disabled on the root-usage alarm → that control FAILED (in place), the metric counts it', async () => {
  await run(undefined, new Date(Date.now() - 60_000));
  expect(storedFindings().filter((f) => f.Compliance.Status === 'PASSED')).toHaveLength(17);
  await clients.cloudwatch.send(new DisableAlarmActionsCommand({ AlarmNames: [`${PREFIX}root_usage_alarm`] }));

  const result = await run();
  expect(result.counts).toEqual({ PASS: 16, WARNING: 0, UNKNOWN: 0, FAIL: 1 });
  const findings = storedFindings();
  // Updated in place: still one finding per control.
  expect(findings).toHaveLength(17);
  const root = byKey(findings)[CisControl.ROOT_ACCOUNT_USAGE.key];
  expect(root.Compliance.Status).toBe('FAILED');
  expect(root.Severity.Label).toBe('HIGH');
  expect(root.Description).toMatch(/^FAIL: .*root_usage_alarm.*\[CIS-MON-ALARM-ACTIONS-ENABLED\]/s);
  expect(root.Remediation.Recommendation.Text).toMatch(/enable-alarm-actions|EnableAlarmActions|actions/i);
  expect(root.ProductFields['cdk-cis-log-monitoring/Verdict']).toBe('FAIL');
  expect(findings.filter((f) => f.Compliance.Status === 'PASSED')).toHaveLength(16);
  expect(storedMetrics()).toMatchObject({ SelfAuditNotPassing: 1, SelfAuditFailed: 1, SelfAuditPassed: 16 });
  writeExample('failed', root);
});

test('a broken link: the only subscription deleted → every control FAILED (the integrity controls too: their alarms notify the same topic)', async () => {
  const subscriptions = await clients.sns.send(new ListSubscriptionsCommand({}));
  expect(subscriptions.Subscriptions?.length).toBeGreaterThan(0);
  for (const s of subscriptions.Subscriptions ?? []) await clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: s.SubscriptionArn }));
  const result = await run();
  expect(result.counts.FAIL).toBe(17);
  expect(storedFindings().map((f) => f.Compliance.Status)).toEqual(Array(17).fill('FAILED'));
  expect(storedMetrics()).toMatchObject({ SelfAuditNotPassing: 17 });
});

test('a call that fails (AccessDenied on DescribeMetricFilters) → every control needing filters UNKNOWN, published as WARNING naming the call, counted as not passing', async () => {
  const real = new SdkAuditApi({ endpoint: moto.endpoint });
  const denied: AuditApi = Object.assign(Object.create(real), {
    describeMetricFilters: async () => {
      throw new AuditApiError('logs:DescribeMetricFilters', 'AccessDeniedException',
        `User: arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/SelfAudit/fn is not authorized to perform: logs:DescribeMetricFilters`);
    },
  });
  const result = await run(denied);
  real.destroy();
  // The 15 CIS controls and MON.TAMPER need the filters; MON.HEARTBEAT (an alarm on a vended metric) does not.
  expect(result.counts).toEqual({ PASS: 1, WARNING: 0, UNKNOWN: 16, FAIL: 0 });
  expect(result.controls.filter((c) => c.verdict === 'PASS').map((c) => c.id)).toEqual(['MON.HEARTBEAT']);
  const findings = storedFindings();
  expect(findings.filter((f) => f.Compliance.Status === 'WARNING')).toHaveLength(16);
  const root = byKey(findings)[CisControl.ROOT_ACCOUNT_USAGE.key];
  expect(root.Severity.Label).toBe('MEDIUM');
  expect(root.ProductFields['cdk-cis-log-monitoring/Verdict']).toBe('UNKNOWN');
  expect(root.Description).toMatch(/^UNKNOWN: .*logs:DescribeMetricFilters failed: AccessDeniedException/s);
  expect(storedMetrics()).toMatchObject({ SelfAuditNotPassing: 16, SelfAuditUnknown: 16, SelfAuditPassed: 1 });
  writeExample('unknown', root);
});

test('an adapter that throws something unexpected still yields 15 UNKNOWN findings (never lost, never PASS)', async () => {
  const broken: AuditApi = Object.assign(Object.create(new SdkAuditApi({ endpoint: moto.endpoint })), {
    describeTrails: async () => { throw new TypeError('boom'); },
  });
  const result = await run(broken);
  expect(result.counts.UNKNOWN).toBe(15);
  expect(storedFindings().every((f) => f.Compliance.Status === 'WARNING' && /could not read the account: TypeError: boom/.test(f.Description))).toBe(true);
});

test('the bundled handler\'s entry: settings from its environment, every call to AWS_ENDPOINT_URL (moto), counts returned', async () => {
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: REGION,
    PATTERN_SET: 'RECOMMENDED',
    METRIC_NAMESPACE: 'CISBenchmark',
    ALARM_NAME_PREFIX: PREFIX,
    SECURITY_HUB: 'true',
    CONTROLS: CisPatternSet.RECOMMENDED.controls().map((c) => c.key).join(','),
  });
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const out = await handler({}, { invokedFunctionArn: `arn:aws:lambda:${REGION}:${MOTO_ACCOUNT}:function:self-audit` });
    expect(out.counts).toEqual({ PASS: 17, WARNING: 0, UNKNOWN: 0, FAIL: 0 });
    expect(storedFindings()).toHaveLength(17);
    expect(log.mock.calls.map((c) => JSON.parse(c[0]))).toContainEqual(expect.objectContaining({ control: '4.3', verdict: 'PASS' }));
  } finally {
    log.mockRestore();
    process.env = saved;
  }
});

test('a publication that fails fails the invocation and reaches the alarm (Security Hub refusing a finding is reported, not swallowed)', async () => {
  const sink = new SdkSelfAuditSink(REGION, moto.endpoint);
  const refusing = Object.assign(Object.create(sink), {
    batchImportFindings: async () => ({ failedCount: 1, failedFindings: [{ Id: 'x', ErrorCode: 'InvalidInput', ErrorMessage: 'Finding must contain at least one resource' }] }),
  });
  const api = new SdkAuditApi({ endpoint: moto.endpoint });
  const result = await runSelfAudit(api, refusing, settings());
  api.destroy();
  sink.destroy();
  expect(result.errors).toEqual(['securityhub:BatchImportFindings refused x: InvalidInput: Finding must contain at least one resource']);
  // Every control passes, but the refusal reaches the alarm: one more "not passing" (the metric is sent last).
  expect(storedMetrics()).toMatchObject({ SelfAuditNotPassing: 1, SelfAuditFailed: 0, SelfAuditPassed: 17 });
});

describe('AWS Config (recorded response shape: moto answers PutEvaluations only in TestMode)', () => {
  test('settingsOf and configInvocationOf read what the construct and Config pass', () => {
    const s = settingsOf({ PATTERN_SET: 'CIS_V3_0_0', CONTROLS: 'ROOT_ACCOUNT_USAGE', METRIC_NAMESPACE: 'N', ALARM_NAME_PREFIX: 'P-', SECURITY_HUB: 'false' },
      'arn:aws-us-gov:lambda:us-gov-west-1:111111111111:function:f', new Date(0));
    expect(s).toMatchObject({ account: '111111111111', partition: 'aws-us-gov', region: 'us-gov-west-1', namespace: 'N', securityHub: false });
    expect(s.controls).toEqual([CisControl.ROOT_ACCOUNT_USAGE]);
    const invoking = JSON.stringify({ messageType: 'ScheduledNotification', notificationCreationTime: '2026-12-07T05:00:00.000Z', awsAccountId: '111111111111' });
    expect(configInvocationOf({ resultToken: 'tok', invokingEvent: invoking }, new Date(0))).toEqual({ resultToken: 'tok', orderingTimestamp: new Date('2026-12-07T05:00:00Z') });
    expect(configInvocationOf({}, new Date(0))).toBeUndefined();
  });

  test('PutEvaluations: one AWS::::Account evaluation, NON_COMPLIANT unless every control PASSes, sent as AWS JSON 1.1', async () => {
    const requests: { headers: http.IncomingHttpHeaders; body: any }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        requests.push({ headers: req.headers, body: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{"FailedEvaluations":[]}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const config = `http://127.0.0.1:${(server.address() as any).port}`;
    // Reads from moto, writes to the recording server (Config) and moto (CloudWatch, Security Hub).
    const sink = new SdkSelfAuditSink(REGION, moto.endpoint);
    const configSink = new SdkSelfAuditSink(REGION, config);
    const mixed = Object.assign(Object.create(sink), { putEvaluations: configSink.putEvaluations.bind(configSink) });
    try {
      await clients.cloudwatch.send(new DisableAlarmActionsCommand({ AlarmNames: [`${PREFIX}root_usage_alarm`] }));
      const api = new SdkAuditApi({ endpoint: moto.endpoint });
      const at = new Date('2026-12-07T05:00:00Z');
      const result = await runSelfAudit(api, mixed, settings(), { resultToken: 'the-token', orderingTimestamp: at });
      api.destroy();
      expect(result.errors).toEqual([]);
      expect(requests).toHaveLength(1);
      expect(requests[0].headers).toMatchObject({
        'x-amz-target': 'StarlingDoveService.PutEvaluations',
        'content-type': 'application/x-amz-json-1.1',
        'authorization': expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/us-east-1\/config\/aws4_request, SignedHeaders=[a-z0-9;-]*\bx-amz-target\b[a-z0-9;-]*, Signature=[0-9a-f]{64}$/),
      });
      expect(requests[0].body).toEqual({
        ResultToken: 'the-token',
        Evaluations: [{
          ComplianceResourceType: 'AWS::::Account',
          ComplianceResourceId: MOTO_ACCOUNT,
          ComplianceType: 'NON_COMPLIANT',
          Annotation: '1 FAIL, 0 UNKNOWN, 0 WARNING: 4.3 FAIL. See Security Hub or the function\'s log.',
          OrderingTimestamp: at.getTime() / 1000,
        }],
      });
    } finally {
      sink.destroy();
      configSink.destroy();
      server.close();
    }
  });
});

describe('the evidence report in S3 (issue 20 §4: the page of `audit --html`)', () => {
  const BUCKET = 'cis-audit-reports';
  let logGroup: string;
  let deliveredAt: Date;

  beforeEach(async () => {
    const trail = (await clients.cloudtrail.send(new DescribeTrailsCommand({}))).trailList![0];
    logGroup = trail.CloudWatchLogsLogGroupArn!.split(':')[6];
    // A delivery the heartbeat shows (moto's CloudWatch Logs does not publish IncomingLogEvents itself).
    deliveredAt = new Date(Math.floor((Date.now() - 20 * 60_000) / 300_000) * 300_000);
    await clients.cloudwatch.send(new PutMetricDataCommand({
      Namespace: 'AWS/Logs',
      MetricData: [{ MetricName: 'IncomingLogEvents', Dimensions: [{ Name: 'LogGroupName', Value: logGroup }], Timestamp: deliveredAt, Value: 3, Unit: 'None' }],
    }));
  });

  /** The stored object's text (boto3), or null when there is none. */
  function storedObject(key: string): string | null {
    return boto3(`import botocore
try:
    print(json.dumps(c("s3").get_object(Bucket="${BUCKET}", Key=${JSON.stringify(key)})["Body"].read().decode("utf-8")))
except botocore.exceptions.ClientError as e:
    print(json.dumps(None))`);
  }

  /** The control rows of the page: `id verdict`. */
  const rows = (html: string): string[] => [...html.matchAll(/<tr class="control" data-id="([^"]+)" data-key="[^"]+" data-verdict="([A-Z]+)">/g)]
    .map(([, id, verdict]) => `${id} ${verdict}`);

  function handlerEnv(extra: Record<string, string>): () => void {
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: REGION,
      PATTERN_SET: 'RECOMMENDED',
      METRIC_NAMESPACE: 'CISBenchmark',
      ALARM_NAME_PREFIX: PREFIX,
      SECURITY_HUB: 'true',
      CONTROLS: CisPatternSet.RECOMMENDED.controls().map((c) => c.key).join(','),
      ...extra,
    });
    return () => { process.env = saved; };
  }

  test('the handler stores the page under <prefix><account>/<region>/latest.html and the dated key: the account, every verdict, the last delivery', async () => {
    await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await clients.cloudwatch.send(new DisableAlarmActionsCommand({ AlarmNames: [`${PREFIX}root_usage_alarm`] }));
    const restore = handlerEnv({ REPORT_BUCKET: BUCKET, REPORT_PREFIX: 'audits/' });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const out = await handler({}, { invokedFunctionArn: `arn:aws:lambda:${REGION}:${MOTO_ACCOUNT}:function:self-audit` });
      const day = new Date().toISOString().slice(0, 10);
      const keys = [`audits/${MOTO_ACCOUNT}/${REGION}/${day}.html`, `audits/${MOTO_ACCOUNT}/${REGION}/latest.html`];
      expect(out.report).toEqual(keys);
      const [dated, latest] = keys.map(storedObject);
      expect(latest).not.toBeNull();
      expect(dated).toBe(latest);
      const html = latest!;
      expect(html).toContain(`<h2>Account ${MOTO_ACCOUNT}: <span class="verdict v-FAIL">FAIL</span></h2>`);
      expect(rows(html)).toEqual([
        ...CisPatternSet.RECOMMENDED.controls().map((c) => `${c.idIn(CisPatternSet.RECOMMENDED)} ${c === CisControl.ROOT_ACCOUNT_USAGE ? 'FAIL' : 'PASS'}`),
        'MON.TAMPER PASS', 'MON.HEARTBEAT PASS',
      ]);
      const lastDelivery = /<tr class="heartbeat" data-log-group="([^"]+)"><td>.*?<\/td><td class="last-delivery">(\d{4}-\d\d-\d\d) (\d\d:\d\d) UTC <span class="muted">\(3 events in that 5 minutes\)<\/span><\/td>/.exec(html)!;
      expect(lastDelivery).not.toBeNull();
      expect(lastDelivery[1]).toBe(logGroup);
      const shown = Date.parse(`${lastDelivery[2]}T${lastDelivery[3]}:00Z`);
      expect(deliveredAt.getTime() - shown).toBeGreaterThanOrEqual(0);
      expect(deliveredAt.getTime() - shown).toBeLessThan(6 * 60_000);
      // The findings and the metric were published as without the report.
      expect(storedFindings()).toHaveLength(17);
      expect(storedMetrics()).toMatchObject({ SelfAuditNotPassing: 1, SelfAuditFailed: 1 });
    } finally {
      log.mockRestore();
      restore();
    }
  });

  test('the stored page is what renderEvidenceHtml gives for the same account read with the same collector (audit --html\'s)', async () => {
    await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const s: SelfAuditSettings = { ...settings(now), reportBucket: BUCKET, reportPrefix: 'cis-self-audit/' };
    const api = new SdkAuditApi({ endpoint: moto.endpoint });
    const sink = new SdkSelfAuditSink(REGION, moto.endpoint);
    const evidenceApi = new SdkEvidenceApi(REGION, { endpoint: moto.endpoint });
    try {
      const result = await runSelfAudit(api, sink, s);
      const stored = await storeEvidenceReport(evidenceApi, sink, s, result);
      expect(stored!.errors).toEqual([]);
      const html = storedObject(`cis-self-audit/${MOTO_ACCOUNT}/${REGION}/latest.html`);
      expect(html).toBe(stored!.html);
      // Independently: the account read again, judged by the runner, collected and rendered as `audit --html` does.
      const live = await readAccount(api, REGION, MOTO_ACCOUNT);
      const judged = runRules(live.snapshot, { patternSet: CisPatternSet.RECOMMENDED, controls: CisPatternSet.RECOMMENDED.controls() });
      const evidence = await collectAccountEvidence({
        account: MOTO_ACCOUNT, region: REGION, patternSet: 'RECOMMENDED', snapshot: live.snapshot, result: judged,
      }, evidenceApi, { until: now });
      const expected = renderEvidenceHtml(evidenceReport([evidence], {
        producer: `cdk-cis-log-monitoring self-audit (${PREFIX})`, generatedAt: now, ...evidencePeriod({ until: now }),
      }));
      expect(html).toBe(expected);
      expect(rows(html!)).toHaveLength(17);
    } finally {
      api.destroy();
      sink.destroy();
      evidenceApi.destroy();
    }
  });

  test('a report that cannot be stored (no such bucket) fails the invocation and reaches the alarm, after the findings were published', async () => {
    const restore = handlerEnv({ REPORT_BUCKET: 'no-such-bucket', REPORT_PREFIX: 'cis-self-audit/' });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await expect(handler({}, { invokedFunctionArn: `arn:aws:lambda:${REGION}:${MOTO_ACCOUNT}:function:self-audit` }))
        .rejects.toThrow(/self-audit publication failed:\ns3:PutObject s3:\/\/no-such-bucket\/cis-self-audit\/\d+\/us-east-1\/\d{4}-\d\d-\d\d\.html failed: NoSuchBucket/);
      expect(storedFindings()).toHaveLength(17);
      // The failed report counts as one more control not passing: the alarm tells someone, not only the log.
      expect(storedMetrics()).toMatchObject({ SelfAuditNotPassing: 1, SelfAuditPassed: 17 });
      // Logged too: the keys written (none) and the errors.
      const logged = log.mock.calls.map((c) => JSON.parse(c[0])).find((l) => l.report !== undefined);
      expect(logged).toMatchObject({ report: [], errors: [expect.stringMatching(/NoSuchBucket/), expect.stringMatching(/latest\.html failed: NoSuchBucket/)] });
    } finally {
      log.mockRestore();
      restore();
    }
  });

  test('without a report bucket nothing is stored and nothing is read for it', async () => {
    const s = settings();
    const evidenceApi = { getMetricData: jest.fn(), filterLogEvents: jest.fn(), describeAlarms: jest.fn() };
    const sink = { putReport: jest.fn() } as any;
    expect(await storeEvidenceReport(evidenceApi, sink, s, { judged: undefined } as any)).toBeUndefined();
    expect([...Object.values(evidenceApi), sink.putReport].map((f) => f.mock.calls.length)).toEqual([0, 0, 0, 0]);
  });
});

/**
 * The example findings of docs/self-audit.md are these runs' findings: the test fails when they differ (times and the
 * random suffixes of moto's physical names aside). `SELF_AUDIT_EXAMPLES=1` rewrites the docs' blocks.
 */
function writeExample(name: string, finding: AsffFinding): void {
  const docs = path.join(REPO_ROOT, 'docs', 'self-audit.md');
  const text = fs.readFileSync(docs, 'utf8');
  const block = new RegExp(`(<!-- finding:${name} -->\n\`\`\`json\n)([\\s\\S]*?)(\n\`\`\`)`);
  const json = JSON.stringify(finding, null, 2);
  if (process.env.SELF_AUDIT_EXAMPLES === '1') {
    fs.writeFileSync(docs, text.replace(block, (_m, a, _b, c) => `${a}${json}${c}`));
    return;
  }
  const found = block.exec(text);
  expect(found).not.toBeNull();
  const normal = (t: string): string => t.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>').replace(/-[A-Z0-9]{8,13}'/g, "-<suffix>'");
  expect(normal(found![2])).toBe(normal(json));
}
