import { PutEventSelectorsCommand, StopLoggingCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { DeleteLogGroupCommand, DeleteMetricFilterCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloseAccountCommand, CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { DeleteTopicCommand, ListSubscriptionsByTopicCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { MotoClients, deployToMoto } from './deploy';
import { MOTO_ACCOUNT, MOTO_CREDENTIALS } from './server';
import { CisControl, CisPatternSet } from '../../../src';

/** What an account of the test organization has: the demo app deployed as is, or with one defect, or nothing. */
export type AccountSetup =
  | 'correct' | 'no-deployment' | 'stopped-trail' | 'single-region-trail' | 'read-only-trail' | 'wrong-pattern' | 'alarm-without-action'
  | 'alarm-actions-disabled' | 'no-subscriber' | 'topic-deleted' | 'log-group-deleted' | 'log-group-in-other-account';

/** Every defect, each making some controls (or all) FAIL. */
export const DEFECTS: AccountSetup[] = [
  'no-deployment', 'stopped-trail', 'single-region-trail', 'read-only-trail', 'wrong-pattern', 'alarm-without-action', 'alarm-actions-disabled',
  'no-subscriber', 'topic-deleted', 'log-group-deleted', 'log-group-in-other-account',
];

/** The control a per-control defect breaks. */
export const DEFECT_CONTROL: Partial<Record<AccountSetup, CisControl>> = {
  'wrong-pattern': CisControl.UNAUTHORIZED_API_CALLS,
  'alarm-without-action': CisControl.ROOT_ACCOUNT_USAGE,
  'alarm-actions-disabled': CisControl.CONSOLE_AUTH_FAILURES,
};

/** The role the organization audit assumes (moto does not require it to exist). */
export const AUDIT_ROLE = 'CisAuditRole';

/** Creates an organization with `members` new accounts (plus the management account, moto's default); returns their IDs. */
export async function createOrganization(endpoint: string, region: string, members: number): Promise<{ management: string; members: string[] }> {
  const org = new OrganizationsClient({ endpoint, region, credentials: MOTO_CREDENTIALS });
  try {
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const ids: string[] = [];
    for (let i = 0; i < members; i++) {
      const out = await org.send(new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com` }));
      ids.push(out.CreateAccountStatus!.AccountId!);
    }
    return { management: MOTO_ACCOUNT, members: ids };
  } finally {
    org.destroy();
  }
}

/** Closes a member account (Organizations then lists it as not ACTIVE). */
export async function closeAccount(endpoint: string, region: string, accountId: string): Promise<void> {
  const org = new OrganizationsClient({ endpoint, region, credentials: MOTO_CREDENTIALS });
  try {
    await org.send(new CloseAccountCommand({ AccountId: accountId }));
  } finally {
    org.destroy();
  }
}

/** SDK clients acting in `accountId`, through STS AssumeRole (moto maps the credentials to the role's account). */
export async function clientsIn(endpoint: string, region: string, accountId: string): Promise<MotoClients> {
  const sts = new STSClient({ endpoint, region, credentials: MOTO_CREDENTIALS });
  try {
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/deployer`, RoleSessionName: 'deploy' }));
    const c = out.Credentials!;
    const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    return new MotoClients(endpoint, region, credentials, accountId);
  } finally {
    sts.destroy();
  }
}

/** Deploys the demo app into the account of `clients` and applies `setup`'s defect. */
export async function setUpAccount(clients: MotoClients, template: any, stackName: string, setup: AccountSetup): Promise<void> {
  if (setup === 'no-deployment') return;
  const deployment = await deployToMoto(clients, template, stackName);
  const physical = (type: string): string => {
    const id = Object.keys(template.Resources).find((logicalId) => template.Resources[logicalId].Type === type)!;
    return deployment.physicalIds.get(id)!;
  };
  const putAlarm = async (control: CisControl, change: { AlarmActions?: string[]; ActionsEnabled?: boolean }) =>
    clients.changeAlarm(await clients.alarmFor(control.metricName), change);
  switch (setup) {
    case 'correct': return;
    case 'stopped-trail':
      await clients.cloudtrail.send(new StopLoggingCommand({ Name: physical('AWS::CloudTrail::Trail') }));
      return;
    case 'single-region-trail':
      await clients.cloudtrail.send(new UpdateTrailCommand({ Name: physical('AWS::CloudTrail::Trail'), IsMultiRegionTrail: false }));
      return;
    case 'read-only-trail':
      await clients.cloudtrail.send(new PutEventSelectorsCommand({
        TrailName: physical('AWS::CloudTrail::Trail'), EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }],
      }));
      return;
    case 'wrong-pattern': {
      const control = DEFECT_CONTROL[setup]!;
      const logGroupName = physical('AWS::Logs::LogGroup');
      await clients.logs.send(new DeleteMetricFilterCommand({ logGroupName, filterName: control.metricName }));
      await clients.logs.send(new PutMetricFilterCommand({
        logGroupName,
        filterName: control.metricName,
        filterPattern: control.patternFor(CisPatternSet.CIS_V3_0_0),
        metricTransformations: [{ metricName: control.metricName, metricNamespace: 'CISBenchmark', metricValue: '1' }],
      }));
      return;
    }
    case 'alarm-without-action':
      await putAlarm(DEFECT_CONTROL[setup]!, { AlarmActions: [] });
      return;
    case 'alarm-actions-disabled':
      await putAlarm(DEFECT_CONTROL[setup]!, { ActionsEnabled: false });
      return;
    case 'no-subscriber': {
      const subs = await clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: physical('AWS::SNS::Topic') }));
      for (const s of subs.Subscriptions ?? []) await clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: s.SubscriptionArn }));
      return;
    }
    case 'topic-deleted':
      await clients.sns.send(new DeleteTopicCommand({ TopicArn: physical('AWS::SNS::Topic') }));
      return;
    case 'log-group-deleted':
      await clients.logs.send(new DeleteLogGroupCommand({ logGroupName: physical('AWS::Logs::LogGroup') }));
      return;
    case 'log-group-in-other-account':
      // As a member sees an organization trail: the log group ARN names the management account.
      await clients.cloudtrail.send(new UpdateTrailCommand({
        Name: physical('AWS::CloudTrail::Trail'),
        CloudWatchLogsLogGroupArn: `arn:aws:logs:${clients.region}:${MOTO_ACCOUNT}:log-group:${physical('AWS::Logs::LogGroup')}:*`,
      }));
      return;
  }
}
