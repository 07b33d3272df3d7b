/**
 * The live adapter (the library's src/verdicts/live/live-snapshot.ts) and the shared rules on account states moto cannot produce (issue 18):
 * every call the audit makes, when it fails, makes the controls that need its values UNKNOWN and never PASS; the
 * CloudTrail delivery error, pending subscriptions, filter policies, key states and key policies decide the verdict
 * as they decide `check`'s. The AWS response shapes of these calls through the SDK are in sdk-api.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { RULES, AuditApi, AuditApiError } from 'cdk-cis-log-monitoring/lib/cli-support';
import { CLOUDTRAIL_TRUST, FakeAccount, REGION, ACCOUNT, TOPIC } from './fake-account';
import { runCisAudit } from '../../src/account/audit';
import { AuditReport } from '../../src/account/report';

const audit = (account: AuditApi): Promise<AuditReport> => runCisAudit(account, { region: REGION });
const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const KEY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
    { Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' },
  ],
};

/** The fake account with its topic encrypted by a customer managed key that CloudWatch may use (as CisLogMonitoring deploys it). */
function encrypted(): FakeAccount {
  const account = new FakeAccount();
  account.topicAttributes = { kmsMasterKeyId: KEY_ARN };
  account.keys.set(KEY_ARN, {
    arn: KEY_ARN,
    keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
    enabled: true,
    keyState: 'Enabled',
    keyManager: 'CUSTOMER',
    policy: JSON.stringify(KEY_POLICY),
  });
  return account;
}

test('the encrypted baseline passes, and reads the key and its policy once', async () => {
  const account = encrypted();
  const report = await audit(account);
  expect(report.controls.filter((c) => c.status !== 'PASS').map((c) => c.reason)).toEqual([]);
  expect(account.calls.filter((c) => c.startsWith('describeKey'))).toEqual([`describeKey ${REGION} ${KEY_ARN}`]);
  expect(account.calls.filter((c) => c.startsWith('getKeyPolicy'))).toHaveLength(1);
});

describe('every call, when it fails, makes what needs it UNKNOWN, never PASS', () => {
  const denied = (operation: string) => async (): Promise<never> => {
    throw new AuditApiError(operation, 'AccessDeniedException', 'not authorized');
  };
  const cases: Array<[keyof AuditApi, string]> = [
    ['describeTrails', 'cloudtrail:DescribeTrails'],
    ['getTrailStatus', 'cloudtrail:GetTrailStatus'],
    ['getEventSelectors', 'cloudtrail:GetEventSelectors'],
    ['getRole', 'iam:GetRole'],
    ['describeMetricFilters', 'logs:DescribeMetricFilters'],
    ['describeAlarms', 'cloudwatch:DescribeAlarms'],
    ['getTopicAttributes', 'sns:GetTopicAttributes'],
    ['listSubscriptionsByTopic', 'sns:ListSubscriptionsByTopic'],
    ['getSubscriptionAttributes', 'sns:GetSubscriptionAttributes'],
    ['describeKey', 'kms:DescribeKey'],
    ['getKeyPolicy', 'kms:GetKeyPolicy'],
  ];
  test.each(cases)('%s denied: every control UNKNOWN naming %s', async (method, operation) => {
    const account = encrypted();
    (account as any)[method] = denied(operation);
    const report = await audit(account);
    expect(report.controls.map((c) => c.status)).toEqual(report.controls.map(() => 'UNKNOWN'));
    for (const c of report.controls) {
      expect(c.findings.some((f) => f.verdict === 'UNKNOWN' && f.message.includes(`${operation} failed: AccessDeniedException`))).toBe(true);
    }
    expect(report.status).toBe('UNKNOWN');
  });

  test('logs:DescribeLogGroups denied is the one exception: the filters listed on the group show it exists (AWS deletes them with it)', async () => {
    const account = encrypted();
    account.logGroupExists = denied('logs:DescribeLogGroups');
    expect((await audit(account)).status).toBe('PASS');
  });
});

describe('live-only facts decide as the rules say', () => {
  test('GetTrailStatus reports a CloudWatch Logs delivery error (the role was deleted or lost its policy): every control FAILs', async () => {
    const account = new FakeAccount();
    account.getTrailStatus = async () => ({ isLogging: true, latestCloudWatchLogsDeliveryError: 'AccessDeniedException' });
    const report = await audit(account);
    expect(report.controls.map((c) => c.status)).toEqual(report.controls.map(() => 'FAIL'));
    expect(report.controls[0].reason).toBe('trail \'main\' fails to deliver to CloudWatch Logs: AccessDeniedException [CIS-MON-TRAIL-DELIVERY-STATUS]');
    expect(report.trails[0]).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/\[CIS-MON-TRAIL-DELIVERY-STATUS\]$/) });
  });

  test('the delivery role does not exist, or does not trust CloudTrail: FAIL', async () => {
    const gone = new FakeAccount();
    gone.roles.clear();
    expect((await audit(gone)).controls[0]).toMatchObject({
      status: 'FAIL',
      reason: `the delivery role arn:aws:iam::${ACCOUNT}:role/trail-to-logs of trail 'main' does not exist: CloudTrail cannot deliver to the log group `
        + '[CIS-MON-TRAIL-DELIVERY-ROLE]',
    });
    const untrusted = new FakeAccount();
    untrusted.getRole = async (arn: string) => ({
      arn, assumeRolePolicyDocument: JSON.stringify({ ...CLOUDTRAIL_TRUST, Statement: [{ ...CLOUDTRAIL_TRUST.Statement[0], Principal: { Service: 'lambda.amazonaws.com' } }] }),
    });
    expect((await audit(untrusted)).controls[0]).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/trust policy .* \[CIS-MON-TRAIL-DELIVERY-ROLE\]$/) });
  });

  test('a subscription filter policy that drops every alarm notification: FAIL', async () => {
    const account = new FakeAccount();
    account.subscriptionAttributes = { pendingConfirmation: false, filterPolicy: JSON.stringify({ severity: ['never-sent'] }) };
    const report = await audit(account);
    expect(report.controls[0]).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/\[CIS-MON-SUBSCRIPTION-FILTER-POLICY\]$/) });
  });

  test('GetSubscriptionAttributes says PendingConfirmation true (an ARN already, not yet confirmed): FAIL', async () => {
    const account = new FakeAccount();
    account.subscriptionAttributes = { pendingConfirmation: true };
    expect((await audit(account)).controls[0]).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/\[CIS-MON-SUBSCRIPTION-CONFIRMED\]$/) });
  });

  test.each([
    ['disabled', { enabled: false, keyState: 'Disabled' }, /is disabled/],
    ['pending deletion', { enabled: false, keyState: 'PendingDeletion' }, /is disabled|PendingDeletion/],
    ['AWS managed (alias/aws/sns)', { keyManager: 'AWS' }, /AWS managed key/],
  ])('the topic key %s: FAIL', async (_name, change, reason) => {
    const account = encrypted();
    account.keys.set(KEY_ARN, { ...account.keys.get(KEY_ARN)!, ...change });
    expect((await audit(account)).controls[0]).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(reason) });
  });

  test('a key policy that does not allow CloudWatch, or denies it: FAIL', async () => {
    const account = encrypted();
    const key = account.keys.get(KEY_ARN)!;
    account.keys.set(KEY_ARN, { ...key, policy: JSON.stringify({ ...KEY_POLICY, Statement: [KEY_POLICY.Statement[0]] }) });
    expect((await audit(account)).controls[0]).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/\[CIS-MON-KEY-USABLE\]$/) });
    account.keys.set(KEY_ARN, {
      ...key,
      policy: JSON.stringify({ ...KEY_POLICY, Statement: [...KEY_POLICY.Statement, { Effect: 'Deny', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'kms:*', Resource: '*' }] }),
    });
    expect((await audit(account)).controls[0]).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/denies .*\[CIS-MON-KEY-USABLE\]$/) });
  });

  test('a key that was deleted (DescribeKey NotFound) and a topic that was deleted: FAIL "does not exist", not UNKNOWN', async () => {
    const account = encrypted();
    account.keys.clear();
    expect((await audit(account)).controls[0]).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/which does not exist.*\[CIS-MON-KEY-USABLE\]$/) });
    const noTopic = new FakeAccount();
    noTopic.subscriptions = undefined;
    expect((await audit(noTopic)).controls[0]).toMatchObject({
      status: 'FAIL', reason: `alarm 'unauthorized_api_calls_alarm' notifies topic ${TOPIC}, which does not exist: nobody is notified [CIS-MON-TOPIC-VISIBLE]`,
    });
  });

  test('a topic policy that denies CloudWatch: FAIL', async () => {
    const account = new FakeAccount();
    account.topicAttributes = {
      policy: JSON.stringify({ Statement: [{ Effect: 'Deny', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: TOPIC }] }),
    };
    expect((await audit(account)).controls[0]).toMatchObject({ status: 'FAIL', reason: expect.stringMatching(/\[CIS-MON-TOPIC-POLICY\]$/) });
  });
});

test('docs/audit.md lists every rule the audit runs', () => {
  const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'docs', 'audit.md'), 'utf8');
  expect(RULES.map((r) => r.id).filter((id) => !doc.includes(`| \`${id}\` |`))).toEqual([]);
});
