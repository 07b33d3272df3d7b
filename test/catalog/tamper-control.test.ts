import * as fs from 'fs';
import * as path from 'path';
import {
  CLOUDFORMATION_INVOKED_BY, TAMPER_CONTROL_ID, tamperEventNames, tamperPattern, tamperPatterns,
} from '../../src/catalog/tamper-control';
import { LogFilterPattern } from '../../src/engine';
import { loadFixtureRecords } from '../fixtures/cloudtrail/load';

const STRATUS = path.join(__dirname, '..', 'fixtures', 'stratus-red-team');
const stratus = (): Array<{ file: string; record: any }> => fs.readdirSync(STRATUS).filter((f) => f.endsWith('.json')).sort()
  .flatMap((file) => (JSON.parse(fs.readFileSync(path.join(STRATUS, file), 'utf8')) as any[]).map((record) => ({ file, record })));

const record = (eventSource: string, eventName: string, requestParameters: unknown, userIdentity: any = { type: 'IAMUser', userName: 'mallory' }) => ({
  eventVersion: '1.08', eventSource, eventName, requestParameters, userIdentity, awsRegion: 'us-east-1', eventTime: '2026-12-07T00:00:00Z',
});

const SCOPE = { alarmNamePrefix: 'Prod-Cis-', logGroupName: 'org-trail-logs' };
const matches = (pattern: string, event: unknown) => LogFilterPattern.parse(pattern).matches(event);
const anyServicePattern = (scope: object, event: unknown) => [...tamperPatterns(scope).values()].some((p) => matches(p, event));

describe(`the tamper control (${TAMPER_CONTROL_ID}) outside the construct`, () => {
  const cases: Array<[string, any, boolean, boolean]> = [
    // [name, record, matches scoped, matches unscoped]
    ['DeleteAlarms of the construct\'s alarm', record('monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['Prod-Cis-root_account_usage_alarm'] }), true, true],
    ['DisableAlarmActions, the construct\'s alarm second in the list', record('monitoring.amazonaws.com', 'DisableAlarmActions', { alarmNames: ['other', 'Prod-Cis-tamper'] }), true, true],
    ['DeleteAlarms of another alarm', record('monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['billing_alarm'] }), false, true],
    ['DescribeAlarms (reads)', record('monitoring.amazonaws.com', 'DescribeAlarms', { alarmNamePrefix: 'Prod-Cis-' }), false, false],
    ['DeleteMetricFilter on the trail group', record('logs.amazonaws.com', 'DeleteMetricFilter', { logGroupName: 'org-trail-logs', filterName: 'x' }), true, true],
    ['DeleteMetricFilter on another group', record('logs.amazonaws.com', 'DeleteMetricFilter', { logGroupName: 'app-logs', filterName: 'x' }), false, true],
    ['Unsubscribe (any subscription)', record('sns.amazonaws.com', 'Unsubscribe', { subscriptionArn: 'arn:aws:sns:us-east-1:111111111111:t:1' }), true, true],
    ['DeleteAlarms by CloudFormation', record('monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: ['Prod-Cis-root_account_usage_alarm'] },
      { type: 'AssumedRole', invokedBy: CLOUDFORMATION_INVOKED_BY }), false, false],
    ['DeleteRole without a delivery role in the scope', record('iam.amazonaws.com', 'DeleteRole', { roleName: 'trail-to-logs' }), false, false],
  ];

  test.each(cases)('%s', (_name, event, scoped, unscoped) => {
    expect(matches(tamperPattern(SCOPE), event)).toBe(scoped);
    expect(matches(tamperPattern({}), event)).toBe(unscoped);
    // The one pattern is exactly "one of the construct's filters matches".
    expect(anyServicePattern(SCOPE, event)).toBe(scoped);
  });

  test('with a delivery role, IAM events on that role match and on another role do not', () => {
    const scope = { ...SCOPE, deliveryRoleName: 'trail-to-logs' };
    expect(matches(tamperPattern(scope), record('iam.amazonaws.com', 'DeleteRole', { roleName: 'trail-to-logs' }))).toBe(true);
    expect(matches(tamperPattern(scope), record('iam.amazonaws.com', 'DeleteRole', { roleName: 'app-role' }))).toBe(false);
    expect([...tamperPatterns(scope).keys()]).toEqual([...tamperEventNames(true).keys()]);
  });

  test('Stratus Red Team detonations: the three that stop, delete or narrow a trail match, no other record does', () => {
    const hits = stratus().filter(({ record: r }) => matches(tamperPattern({}), r)).map(({ file, record: r }) => `${file}:${r.eventName}`);
    expect(hits).toEqual([
      'aws.defense-evasion.cloudtrail-delete.json:DeleteTrail',
      'aws.defense-evasion.cloudtrail-event-selectors.json:PutEventSelectors',
      'aws.defense-evasion.cloudtrail-stop.json:StopLogging',
    ]);
  });

  test('the one pattern agrees with the per-service patterns on every fixture record', () => {
    const records = [...loadFixtureRecords(), ...stratus().map((s) => s.record), ...cases.map((c) => c[1])];
    for (const scope of [SCOPE, {}, { ...SCOPE, deliveryRoleName: 'trail-to-logs' }]) {
      const one = LogFilterPattern.parse(tamperPattern(scope));
      for (const r of records) expect(one.matches(r)).toBe(anyServicePattern(scope, r));
    }
  });
});
