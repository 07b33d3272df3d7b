/**
 * Issue 9 part 2: the audit never passes an account that is not monitored. A trail delivering to a
 * log group of another account, a log group that does not exist, and one unreadable link (with the
 * error names and messages AWS returns) each give FAIL or UNKNOWN with the reason, never PASS and
 * never an audit that stops without a report.
 */
import { AuditApi, AuditApiError } from 'cdk-cis-log-monitoring/lib/cli-support';
import { ACCOUNT, FakeAccount, LOG_GROUP, REGION, TOPIC } from './fake-account';
import { runCisAudit } from '../../src/account/audit';
import { AuditReport } from '../../src/account/report';
import { runAudit } from '../../src/commands/audit/command';

const OTHER_ACCOUNT = '999988887777';
const audit = (account: AuditApi): Promise<AuditReport> => runCisAudit(account, { region: REGION });

async function run(account: AuditApi): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAudit(['--region', REGION, '--json'], { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, env: {}, api: () => account });
  return { code, stdout, stderr };
}

describe('a trail whose log group lives in another account', () => {
  test('an organization trail delivering to the management account\'s log group: FAIL, even with a same-named group here', async () => {
    // The member account lists the organization trail (its ARN names the management account); a group
    // with the same name, fully wired, exists in the member account too.
    const account = new FakeAccount();
    account.trails = [{
      name: 'org-trail',
      arn: `arn:aws:cloudtrail:${REGION}:${OTHER_ACCOUNT}:trail/org-trail`,
      homeRegion: REGION,
      isMultiRegionTrail: true,
      cloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${OTHER_ACCOUNT}:log-group:${LOG_GROUP}:*`,
      cloudWatchLogsRoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/org-trail-to-logs`,
    }];
    const report = await audit(account);
    expect(report.trails[0]).toMatchObject({
      status: 'FAIL',
      logGroupAccount: OTHER_ACCOUNT,
      reason: `trail 'org-trail' delivers to a log group of account ${OTHER_ACCOUNT}, not of ${ACCOUNT}: the metric filters of this account's `
        + 'group of that name never see its events [CIS-MON-TRAIL-LOG-GROUP-ACCOUNT]',
    });
    expect(report).toMatchObject({ status: 'FAIL', passed: 0, failed: 15 });
    for (const c of report.controls) {
      expect(c.status).toBe('FAIL');
      expect(c.reason).toBe(report.trails[0].reason);
    }
    // The same-named group of the audited account is never read for that trail.
    expect(account.calls.filter((c) => c.startsWith('describeMetricFilters'))).toEqual([]);
  });

  test('a trail of this account pointing at another account\'s group: FAIL; another trail of this account still passes', async () => {
    const account = new FakeAccount();
    const foreign = {
      ...account.trails[0],
      name: 'foreign',
      arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/foreign`,
      cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-2:${OTHER_ACCOUNT}:log-group:${LOG_GROUP}`,
    };
    account.trails = [foreign];
    const alone = await audit(account);
    expect(alone.trails[0].reason).toMatch(new RegExp(`^trail 'foreign' delivers to a log group of account ${OTHER_ACCOUNT}, not of ${ACCOUNT}`));
    expect(alone.status).toBe('FAIL');

    const both = new FakeAccount();
    both.trails = [foreign, ...both.trails];
    const report = await audit(both);
    expect(report.trails.map((t) => t.status)).toEqual(['FAIL', 'PASS']);
    expect(report.status).toBe('PASS');
  });
});

describe('a trail whose log group does not exist', () => {
  test('FAIL "log group does not exist" for the trail and every control, not PASS and not an abort', async () => {
    const account = new FakeAccount();
    account.logGroups.clear();
    const report = await audit(account);
    const reason = `log group '${LOG_GROUP}' of trail 'main' does not exist (region ${REGION}): no event reaches a metric filter [CIS-MON-TRAIL-LOG-GROUP-EXISTS]`;
    expect(report.trails[0]).toMatchObject({ status: 'FAIL', logGroupExists: false, reason });
    expect(report).toMatchObject({ status: 'FAIL', passed: 0, failed: 15 });
    for (const c of report.controls) expect(c.reason).toBe(reason);
    const { code, stdout } = await run(account);
    expect(code).toBe(2);
    expect(JSON.parse(stdout).status).toBe('FAIL');
  });

  test('deleted between the calls (listed, but its filters are gone with it, as AWS deletes them): FAIL, no metric filter', async () => {
    const account = new FakeAccount();
    account.logGroupExists = async () => true;
    account.filters = [];
    const report = await audit(account);
    expect(report.status).toBe('FAIL');
    for (const c of report.controls) expect(c.reason).toMatch(/no metric filter with RECOMMENDED's pattern on the trail log group 'trail-logs' \[CIS-MON-FILTER-PRESENT\]$/);
  });

  test('DescribeLogGroups denied: the filters listed on the group decide (AWS deletes a group\'s filters with it); none there is FAIL', async () => {
    const account = new FakeAccount();
    account.logGroupExists = async () => { throw new AuditApiError('logs:DescribeLogGroups', 'AccessDeniedException', 'not authorized'); };
    expect((await audit(account)).status).toBe('PASS');
    account.filters = [];
    expect((await audit(account)).status).toBe('FAIL');
  });
});

describe('one unreadable link: that trail or control is UNKNOWN with the reason, the rest goes on', () => {
  const CENTRAL_TOPIC = `arn:aws:sns:${REGION}:${OTHER_ACCOUNT}:central-alarms`;
  const denied = (topic: string): AuditApiError => new AuditApiError('sns:ListSubscriptionsByTopic', 'AuthorizationErrorException',
    `User: arn:aws:sts::${ACCOUNT}:assumed-role/auditor/session is not authorized to perform: SNS:ListSubscriptionsByTopic on resource: ${topic} `
    + 'because no resource-based policy allows the SNS:ListSubscriptionsByTopic action');

  test('AuthorizationError on a cross-account topic: that control UNKNOWN, the others PASS, exit 3 with the report', async () => {
    const account = new FakeAccount();
    account.alarms[3] = { ...account.alarms[3], alarmActions: [CENTRAL_TOPIC] };
    const local = account.listSubscriptionsByTopic.bind(account);
    account.listSubscriptionsByTopic = async (region: string, arn: string) => {
      if (arn === CENTRAL_TOPIC) throw denied(arn);
      return local(region, arn);
    };
    const report = await audit(account);
    expect(report.controls[3]).toMatchObject({
      status: 'UNKNOWN',
      topicArn: CENTRAL_TOPIC,
      reason: 'whether subscription (unreadable: the subscriptions of topic \'central-alarms\') is confirmed cannot be determined (cannot read: '
        + `${denied(CENTRAL_TOPIC).message}): a pending subscription receives nothing [CIS-MON-SUBSCRIPTION-CONFIRMED]`,
    });
    expect(report.controls.filter((c) => c.status !== 'PASS').map((c) => c.id)).toEqual([report.controls[3].id]);
    expect(report).toMatchObject({ status: 'UNKNOWN', passed: 14, failed: 0, unknown: 1 });

    const { code, stdout, stderr } = await run(account);
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'UNKNOWN', unknown: 1 });
    expect(stderr).toMatch(/^audit: 1 control could not be read/);
  });

  test('a readable topic with a confirmed subscriber beside the unreadable one: PASS', async () => {
    const account = new FakeAccount();
    account.alarms[3] = { ...account.alarms[3], alarmActions: [CENTRAL_TOPIC, TOPIC] };
    const local = account.listSubscriptionsByTopic.bind(account);
    account.listSubscriptionsByTopic = async (region: string, arn: string) => {
      if (arn === CENTRAL_TOPIC) throw denied(arn);
      return local(region, arn);
    };
    expect((await audit(account)).status).toBe('PASS');
  });

  test('an unreadable topic does not hide a definite failure: the trail is stopped, so FAIL', async () => {
    const account = new FakeAccount();
    account.logging = false;
    account.listSubscriptionsByTopic = async (_region: string, arn: string) => { throw denied(arn); };
    const report = await audit(account);
    expect(report.status).toBe('FAIL');
    expect(report.controls[0].reason).toBe('trail \'main\' is not logging (IsLogging false): no event reaches the metric filters [CIS-MON-TRAIL-LOGGING]');
    expect(report.controls[0].findings.map((f) => `${f.verdict} ${f.rule}`)).toEqual([
      'FAIL CIS-MON-TRAIL-LOGGING', 'UNKNOWN CIS-MON-SUBSCRIPTION-CONFIRMED', 'UNKNOWN CIS-MON-SUBSCRIPTION-FILTER-POLICY',
    ]);
  });

  test('a trail whose status cannot be read: the trail and the controls it carries are UNKNOWN; a readable passing trail still passes', async () => {
    const account = new FakeAccount();
    account.getTrailStatus = async (_region: string, arn: string) => {
      throw new AuditApiError('cloudtrail:GetTrailStatus', 'TrailNotFoundException', `Unknown trail: ${arn} for the user: ${ACCOUNT}`);
    };
    const report = await audit(account);
    const cause = `cannot read: cloudtrail:GetTrailStatus failed: TrailNotFoundException: Unknown trail: ${account.trails[0].arn} for the user: ${ACCOUNT}`;
    expect(report.trails[0]).toMatchObject({
      status: 'UNKNOWN',
      reason: `IsLogging of trail 'main' cannot be determined (${cause}): a stopped trail records nothing [CIS-MON-TRAIL-LOGGING]; `
        + `the delivery status of trail 'main' cannot be determined (${cause}): delivery may be failing [CIS-MON-TRAIL-DELIVERY-STATUS]`,
    });
    expect(report).toMatchObject({ status: 'UNKNOWN', passed: 0, unknown: 15 });
    // The rest of the chain is in place: only the trail's status is undecided.
    expect(report.controls[0].findings.map((f) => f.rule)).toEqual(['CIS-MON-TRAIL-LOGGING', 'CIS-MON-TRAIL-DELIVERY-STATUS']);
    expect(report.controls[0].alarmName).toBe(account.alarms[0].alarmName);
    expect((await run(account)).code).toBe(3);

    const two = new FakeAccount();
    const unreadable = { ...two.trails[0], name: 'unreadable', arn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/unreadable` };
    two.trails = [unreadable, ...two.trails];
    const status = two.getTrailStatus.bind(two);
    two.getTrailStatus = async (region: string, arn: string) => {
      if (arn === unreadable.arn) throw new AuditApiError('cloudtrail:GetTrailStatus', 'AccessDeniedException', 'not authorized');
      return status(region, arn);
    };
    const both = await audit(two);
    expect(both.trails.map((t) => t.status)).toEqual(['UNKNOWN', 'PASS']);
    expect(both.status).toBe('PASS');
  });

  test('event selectors that cannot be read: the trail is UNKNOWN', async () => {
    const account = new FakeAccount();
    account.getEventSelectors = async () => { throw new AuditApiError('cloudtrail:GetEventSelectors', 'AccessDeniedException', 'not authorized'); };
    const report = await audit(account);
    expect(report.trails[0]).toMatchObject({
      status: 'UNKNOWN',
      reason: expect.stringMatching(/^the event selectors of trail 'main' cannot be determined \(cannot read: cloudtrail:GetEventSelectors failed: AccessDeniedException: not authorized\)/),
    });
    expect(report.status).toBe('UNKNOWN');
  });

  test('metric filters or alarms that cannot be read: the controls are UNKNOWN with the failing call', async () => {
    const filters = new FakeAccount();
    filters.describeMetricFilters = async () => { throw new AuditApiError('logs:DescribeMetricFilters', 'AccessDeniedException', 'not authorized'); };
    const a = await audit(filters);
    expect(a).toMatchObject({ status: 'UNKNOWN', unknown: 15 });
    expect(a.controls[0].reason).toBe(`the pattern of metric filter (unreadable: the filters of log group '${LOG_GROUP}') cannot be determined (cannot read: `
      + 'logs:DescribeMetricFilters failed: AccessDeniedException: not authorized): it may not be control 4.1\'s [CIS-MON-FILTER-PRESENT]');

    const alarms = new FakeAccount();
    alarms.describeAlarms = async () => { throw new AuditApiError('cloudwatch:DescribeAlarms', 'AccessDenied', 'not authorized'); };
    const b = await audit(alarms);
    expect(b).toMatchObject({ status: 'UNKNOWN', unknown: 15 });
    expect(b.controls[0].reason).toMatch(new RegExp(`^.*alarm \\(unreadable: the alarms of region ${REGION}\\).* \\(cannot read: cloudwatch:DescribeAlarms failed: AccessDenied: not authorized\\)`));
  });

  test('the trails cannot be listed: a report with every control UNKNOWN, exit 3', async () => {
    const account = new FakeAccount();
    account.describeTrails = async () => { throw new AuditApiError('cloudtrail:DescribeTrails', 'AccessDeniedException', 'not authorized'); };
    const report = await audit(account);
    expect(report).toMatchObject({ status: 'UNKNOWN', trails: [], unknown: 15 });
    for (const c of report.controls) expect(c.reason).toMatch(/\(cannot list the trails: cloudtrail:DescribeTrails failed: AccessDeniedException: not authorized\)/);
    const { code, stdout, stderr } = await run(account);
    expect(code).toBe(3);
    expect(JSON.parse(stdout).unknown).toBe(15);
    expect(stderr).toMatch(/cloudtrail:DescribeTrails failed: AccessDeniedException: not authorized/);
  });

  test('the exit code is the worst result: a FAIL and an UNKNOWN give 3; a FAIL alone 2', async () => {
    const account = new FakeAccount();
    account.alarms[0] = { ...account.alarms[0], alarmActions: [] };
    expect((await run(account)).code).toBe(2);
    account.alarms[3] = { ...account.alarms[3], alarmActions: [CENTRAL_TOPIC] };
    const local = account.listSubscriptionsByTopic.bind(account);
    account.listSubscriptionsByTopic = async (region: string, arn: string) => {
      if (arn === CENTRAL_TOPIC) throw denied(arn);
      return local(region, arn);
    };
    const both = await run(account);
    expect(JSON.parse(both.stdout)).toMatchObject({ status: 'UNKNOWN', passed: 13, failed: 1, unknown: 1 });
    expect(both.code).toBe(3);
  });
});
