import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TAMPER_CONTROL_ID, tamperPattern } from 'cdk-cis-log-monitoring/lib/cli-support';
import { runCli } from './support/run-cli';
import { loadFixtureRecords } from '../../../test/fixtures/cloudtrail/load';

/**
 * Issue 20 §2: the tamper control MON.TAMPER in replay (the engine) and hunt (DuckDB SQL compiled from the same
 * syntax tree, and the Athena dialect), one row beside the CIS controls with `--tamper-control` or a scope option.
 */

const run = (argv: string[]) => runCli(argv);
const STRATUS = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'stratus-red-team');

const MALLORY = { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/mallory' };
const record = (id: string, eventSource: string, eventName: string, requestParameters: unknown, userIdentity: any = MALLORY) => ({
  eventVersion: '1.08',
  eventID: id,
  eventTime: '2026-12-07T01:00:00Z',
  eventSource,
  eventName,
  requestParameters,
  userIdentity,
  awsRegion: 'us-east-1',
  recipientAccountId: '111122223333',
  sourceIPAddress: '198.51.100.7',
});

/** Records that should and should not match, for the construct scope `Prod-Cis-` / `org-trail-logs` / role `trail-to-logs`. */
const RECORDS = [
  record('hit-delete-alarms', 'monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['Prod-Cis-root_usage_alarm'] }),
  record('hit-disable-actions', 'monitoring.amazonaws.com', 'DisableAlarmActions', { alarmNames: ['billing', 'Prod-Cis-monitoring_tamper_alarm'] }),
  record('hit-delete-filter', 'logs.amazonaws.com', 'DeleteMetricFilter', { logGroupName: 'org-trail-logs', filterName: 'root' }),
  record('hit-unsubscribe', 'sns.amazonaws.com', 'Unsubscribe', { subscriptionArn: 'arn:aws:sns:us-east-1:111122223333:alerts:1' }),
  record('hit-detach-role-policy', 'iam.amazonaws.com', 'DetachRolePolicy', { roleName: 'trail-to-logs', policyArn: 'arn:aws:iam::aws:policy/x' }),
  record('scoped-out-other-alarm', 'monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['billing_alarm'] }),
  record('scoped-out-other-group', 'logs.amazonaws.com', 'DeleteMetricFilter', { logGroupName: 'app-logs', filterName: 'x' }),
  record('scoped-out-other-role', 'iam.amazonaws.com', 'DetachRolePolicy', { roleName: 'app-role', policyArn: 'arn:aws:iam::aws:policy/x' }),
  record('miss-describe-alarms', 'monitoring.amazonaws.com', 'DescribeAlarms', { alarmNamePrefix: 'Prod-Cis-' }),
  record('miss-cloudformation', 'monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['Prod-Cis-root_usage_alarm'] },
    { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/cdk-deploy/x', invokedBy: 'cloudformation.amazonaws.com' }),
];
const SCOPE = ['--alarm-prefix', 'Prod-Cis-', '--trail-log-group', 'org-trail-logs', '--delivery-role', 'trail-to-logs'];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tamper-cli-'));
  fs.writeFileSync(path.join(dir, 'tamper.json'), JSON.stringify({ Records: RECORDS }));
  fs.writeFileSync(path.join(dir, 'fixtures.json'), JSON.stringify({ Records: loadFixtureRecords() }));
  for (const f of fs.readdirSync(STRATUS).filter((n) => n.endsWith('.json'))) {
    fs.writeFileSync(path.join(dir, `stratus-${f}`), JSON.stringify({ Records: JSON.parse(fs.readFileSync(path.join(STRATUS, f), 'utf8')) }));
  }
});

const tamperRow = (report: any) => report.controls.find((c: any) => c.id === TAMPER_CONTROL_ID);
const comparable = ({ seconds: _s, evaluatedBy: _e, ...rest }: any) => rest;

describe('replay', () => {
  test('without --tamper-control there is no MON.TAMPER row (the CIS rows as before)', async () => {
    const result = await run(['replay', '--json', dir]);
    expect(result.code).toBe(0);
    expect(tamperRow(JSON.parse(result.stdout))).toBeUndefined();
  });

  test('scoped as the construct: exactly the five silencing records on its alarms, group, role (and any subscription) count', async () => {
    const result = await run(['replay', '--json', '--samples', '20', ...SCOPE, path.join(dir, 'tamper.json')]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const row = tamperRow(report);
    expect(row.pattern).toBe(tamperPattern({ alarmNamePrefix: 'Prod-Cis-', logGroupName: 'org-trail-logs', deliveryRoleName: 'trail-to-logs' }));
    expect(row.matches).toBe(5);
    expect([...row.samples].sort()).toEqual(['hit-delete-alarms', 'hit-delete-filter', 'hit-detach-role-policy', 'hit-disable-actions', 'hit-unsubscribe']);
    expect(report.controls[report.controls.length - 1].id).toBe(TAMPER_CONTROL_ID);
  });

  test('unscoped (--tamper-control): every alarm and log group counts, IAM and CloudFormation\'s own calls do not', async () => {
    const report = JSON.parse((await run(['replay', '--json', '--samples', '20', '--tamper-control', path.join(dir, 'tamper.json')])).stdout);
    expect([...tamperRow(report).samples].sort()).toEqual(['hit-delete-alarms', 'hit-delete-filter', 'hit-disable-actions', 'hit-unsubscribe',
      'scoped-out-other-alarm', 'scoped-out-other-group']);
  });

  test('Stratus Red Team: the trail detonations (StopLogging, DeleteTrail, PutEventSelectors) count, and the text report shows the row', async () => {
    const result = await run(['replay', '--tamper-control', ...fs.readdirSync(dir).filter((f) => f.startsWith('stratus-')).map((f) => path.join(dir, f))]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/MON\.TAMPER/);
    const report = JSON.parse((await run(['replay', '--json', '--tamper-control', '--samples', '10',
      ...fs.readdirSync(dir).filter((f) => f.startsWith('stratus-')).map((f) => path.join(dir, f))])).stdout);
    expect(tamperRow(report).matches).toBe(3);
  });

  test('an empty scope value is a usage error', async () => {
    const result = await run(['replay', '--alarm-prefix', ' ', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--alarm-prefix needs a non-empty value/);
  });
});

describe('hunt', () => {
  test.each([
    ['scoped', SCOPE],
    ['unscoped', ['--tamper-control']],
  ])('DuckDB (%s) runs MON.TAMPER and agrees with replay on every record', async (_name, scope) => {
    const replayed = await run(['replay', '--json', '--samples', '50', ...scope, dir]);
    const hunted = await run(['hunt', '--json', '--samples', '50', ...scope, dir]);
    expect(hunted.code).toBe(0);
    const r = JSON.parse(replayed.stdout);
    const h = JSON.parse(hunted.stdout);
    expect(h.refused).toEqual([]);
    expect(tamperRow(h).matches).toBeGreaterThan(0);
    const sorted = (report: any) => ({
      ...comparable(report),
      controls: report.controls.map((c: any) => ({ ...c, samples: [...c.samples].sort(), sampleEvents: undefined })),
    });
    expect(sorted(h)).toEqual(sorted(r));
  }, 120_000);

  test.each([
    // Athena types a missing field and JSON null alike (the pattern's "invokedBy NOT EXISTS || IS NULL", as 4.3's);
    // CloudTrail Lake also keeps requestParameters as map<string,string> (no JSON types).
    ['athena', ['--table', 'logs.cloudtrail_logs_pp'], '$.userIdentity.invokedBy: the CloudTrail table reads a missing field and a JSON null alike'],
    ['cloudtrail-lake', ['--table', 'abcd1234-ef56-7890-abcd-ef1234567890'], '$.requestParameters.logGroupName: the event data store stores requestparameters as map<string,string>'],
  ])('the %s dialect: MON.TAMPER is compiled from the same tree and refused exactly, with the reason', async (dialect, table, reason) => {
    const result = await run(['hunt', '--sql', '--dialect', dialect, ...table, ...SCOPE]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`-- not run: MON.TAMPER: ${reason}`);
  });
});
