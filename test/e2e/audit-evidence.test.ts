/**
 * `audit --html FILE` against moto on loopback (issue 20 §4): the evidence report of a single account and of an
 * organization (`--organization`, STS AssumeRole into each account), written beside the unchanged text/JSON output.
 * The demo app is deployed into the management account as is and into a member account with the 4.1 filter's
 * pattern wrong; the management account's trail log group holds a tamper event (DeleteAlarms on the construct's
 * alarm), a near miss and ordinary events, and an `AWS/Logs IncomingLogEvents` datapoint (moto's CloudWatch Logs does
 * not publish it, so the test puts it, as CloudWatch Logs does).
 *
 * Needs moto: `bash scripts/e2e/setup.sh`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeAlarmsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { demoApp } from './apps';
import { AUDIT_ROLE, clientsIn, createOrganization, setUpAccount } from './moto/organization';
import { MOTO_ACCOUNT, MotoServer, useMotoCredentials } from './moto/server';
import { runAudit } from '../../packages/cli/src/commands/audit/command';
import { CisPatternSet } from '../../src';

const REGION = 'us-east-1';
const CONTROLS = CisPatternSet.RECOMMENDED.controls().map((c) => c.id);
const MALLORY = `arn:aws:iam::${MOTO_ACCOUNT}:user/Mallory`;
const DELIVERED_AT = new Date(Math.floor((Date.now() - 20 * 60_000) / 300_000) * 300_000); // a 5-minute boundary, 20 minutes ago

let moto: MotoServer;
let restoreEnv: (() => void) | undefined;
let member: string;
let logGroup: string;
let prefix: string;
let dir: string;

beforeAll(async () => {
  moto = await MotoServer.start({ multiAccount: true });
  restoreEnv = useMotoCredentials();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-evidence-'));
  const { management, members } = await createOrganization(moto.endpoint, REGION, 1);
  member = members[0];
  const demo = demoApp();
  for (const [id, setup] of [[management, 'correct'], [member, 'wrong-pattern']] as const) {
    const clients = await clientsIn(moto.endpoint, REGION, id);
    try {
      await setUpAccount(clients, demo.template, demo.stackName, setup);
      if (id !== MOTO_ACCOUNT) continue;
      const trail = (await clients.cloudtrail.send(new DescribeTrailsCommand({}))).trailList![0];
      logGroup = trail.CloudWatchLogsLogGroupArn!.split(':')[6];
      const alarms = (await clients.cloudwatch.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
      prefix = alarms.map((a) => a.AlarmName!).find((n) => n.endsWith('delivery_heartbeat_alarm'))!.slice(0, -'delivery_heartbeat_alarm'.length);
      const record = (fields: Record<string, unknown>) => JSON.stringify({
        eventVersion: '1.09',
        userIdentity: { type: 'IAMUser', arn: MALLORY, accountId: MOTO_ACCOUNT },
        eventTime: new Date(Date.now() - 10 * 60_000).toISOString(),
        eventSource: 'monitoring.amazonaws.com',
        eventName: 'DeleteAlarms',
        awsRegion: REGION,
        sourceIPAddress: '203.0.113.9',
        requestParameters: { alarmNames: [`${prefix}root_usage_alarm`] },
        eventID: 'evt-tamper',
        recipientAccountId: MOTO_ACCOUNT,
        ...fields,
      });
      const stream = `${MOTO_ACCOUNT}_CloudTrail_${REGION}`;
      await clients.logs.send(new CreateLogStreamCommand({ logGroupName: logGroup, logStreamName: stream }));
      const t = Date.now() - 10 * 60_000;
      await clients.logs.send(new PutLogEventsCommand({
        logGroupName: logGroup,
        logStreamName: stream,
        logEvents: [
          { timestamp: t, message: record({}) },
          { timestamp: t + 1, message: record({ eventID: 'evt-other-alarm', requestParameters: { alarmNames: ['someone_elses_alarm'] } }) },
          { timestamp: t + 2, message: record({ eventID: 'evt-describe', eventName: 'DescribeAlarms', requestParameters: {} }) },
        ],
      }));
      await clients.cloudwatch.send(new PutMetricDataCommand({
        Namespace: 'AWS/Logs',
        MetricData: [{ MetricName: 'IncomingLogEvents', Dimensions: [{ Name: 'LogGroupName', Value: logGroup }], Timestamp: DELIVERED_AT, Value: 3, Unit: 'None' }],
      }));
    } finally {
      clients.destroy();
    }
  }
}, 300_000);

afterAll(async () => {
  await moto?.stop();
  restoreEnv?.();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function audit(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAudit(['--region', REGION, '--endpoint-url', moto.endpoint, ...args], {
    stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: {},
  });
  return { code, stdout, stderr };
}

/** The controls of one account's section, as `id verdict [rule]`, from the written page. */
function controlsOf(html: string, account: string, table = 'controls'): string[] {
  const section = html.split('<section class="account"').slice(1).find((s) => s.includes(`data-account="${account}"`));
  if (!section) throw new Error(`no section for ${account}`);
  const body = section.split(`<table class="controls ${table}"><colgroup>`)[1].split('</table>')[0];
  return [...body.matchAll(/<tr class="control" data-id="([^"]+)" data-key="[^"]+" data-verdict="([A-Z]+)">(.*?)<\/tr>/g)]
    .map(([, id, verdict, row]) => `${id} ${verdict}${/<code class="rule">([^<]+)<\/code>/.exec(row)?.[1] ? ` ${/<code class="rule">([^<]+)<\/code>/.exec(row)![1]}` : ''}`);
}

test('audit --html: the page names every control and its verdict, the last delivery and the tamper event; the JSON output is unchanged', async () => {
  const file = path.join(dir, 'single.html');
  const plain = await audit(['--json']);
  const withHtml = await audit(['--json', '--html', file]);
  expect(withHtml.code).toBe(plain.code);
  expect(JSON.parse(withHtml.stdout)).toEqual(JSON.parse(plain.stdout));
  const report = JSON.parse(plain.stdout);
  expect(report.status).toBe('PASS');

  const html = fs.readFileSync(file, 'utf8');
  expect(controlsOf(html, MOTO_ACCOUNT)).toEqual(CONTROLS.map((id) => `${id} PASS`));
  expect(html).toContain(`<h2>Account ${MOTO_ACCOUNT}: <span class="verdict v-PASS">PASS</span></h2>`);
  expect(controlsOf(html, MOTO_ACCOUNT, 'integrity')).toEqual(['MON.TAMPER PASS', 'MON.HEARTBEAT PASS']);
  // The last delivery: the datapoint's period, as CloudWatch returns it.
  const lastDelivery = /<tr class="heartbeat" data-log-group="([^"]+)"><td>.*?<\/td><td class="last-delivery">(.*?)<\/td><td class="heartbeat-alarm">(.*?)<\/td>/.exec(html)!;
  expect(lastDelivery[1]).toBe(logGroup);
  // The period holding the datapoint (moto aligns periods to the request's StartTime): at most 5 minutes before it.
  const shown = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d) UTC <span class="muted">\(3 events in that 5 minutes\)<\/span>$/.exec(lastDelivery[2])!;
  expect(shown).not.toBeNull();
  const periodStart = Date.parse(`${shown[1]}T${shown[2]}:00Z`);
  expect(DELIVERED_AT.getTime() - periodStart).toBeGreaterThanOrEqual(0);
  expect(DELIVERED_AT.getTime() - periodStart).toBeLessThan(6 * 60_000); // 5 minutes, plus the seconds the page does not show
  expect(lastDelivery[3]).toContain(`<code>${prefix}delivery_heartbeat_alarm</code>`);
  // The tamper event, and not the near misses (moto's FilterLogEvents does not evaluate JSON patterns; the engine does).
  const rows = [...html.matchAll(/<tr class="tamper-event">(.*?)<\/tr>/g)].map((m) => m[1]);
  expect(rows).toHaveLength(1);
  expect(rows[0]).toContain(MALLORY);
  expect(rows[0]).toContain('<code>DeleteAlarms</code>');
  expect(rows[0]).toContain(`alarmNames: ${prefix}root_usage_alarm`);
  expect(rows[0]).toContain('evt-tamper');
});

test('audit --organization --html: one section per account, the broken one with its rule; the table output is unchanged', async () => {
  const file = path.join(dir, 'org.html');
  const args = ['--organization', '--role-name', AUDIT_ROLE];
  const plain = await audit(args);
  const withHtml = await audit([...args, '--html', file]);
  expect(withHtml.code).toBe(plain.code);
  expect(withHtml.code).toBe(2);
  expect(withHtml.stdout).toBe(plain.stdout);
  const html = fs.readFileSync(file, 'utf8');
  expect([...html.matchAll(/<section class="account" id="[^"]+" data-account="(\d+)" data-verdict="([A-Z]+)">/g)].map((m) => `${m[1]} ${m[2]}`).sort())
    .toEqual([`${MOTO_ACCOUNT} PASS`, `${member} FAIL`].sort());
  expect(controlsOf(html, MOTO_ACCOUNT)).toEqual(CONTROLS.map((id) => `${id} PASS`));
  const memberRows = controlsOf(html, member);
  expect(memberRows.filter((r) => !r.endsWith('PASS'))).toEqual(['4.1 FAIL CIS-MON-FILTER-PRESENT']);
  expect(memberRows).toHaveLength(CONTROLS.length);
  // The member's heartbeat was read through the assumed role: no datapoint there.
  const memberSection = html.split('<section class="account"').slice(1).find((s) => s.includes(`data-account="${member}"`))!;
  expect(memberSection).toMatch(/<td class="last-delivery"><span class="alert">no event delivered since /);
  expect(memberSection).toContain('<p class="tamper-none">No tamper event in the period.</p>');
});
