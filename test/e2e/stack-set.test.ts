/**
 * CisMonitoringStackSet against moto (issue 11 part 3), as far as moto models StackSets (moto 5.2):
 * an organization with OUs and member accounts; the StackSet created with the construct's own properties
 * (service-managed, the inline per-account template, the TrailLogGroupName parameter) and its instances for
 * the OUs; then, in each member account, the alarm topic moto's CloudFormation created
 * from the instance's template.
 *
 * Not modelled by moto, so not tested here: automatic deployment to accounts that join later (moto ignores
 * AutoDeployment), and the metric filters, alarms and subscriptions inside the instances (moto's CloudFormation
 * skips those types; test/e2e/deploy-audit.test.ts deploys the same construct's template by replaying them).
 */
import {
  CloudFormationClient, CreateStackInstancesCommand, CreateStackSetCommand, DescribeStackSetCommand, ListStackInstancesCommand,
} from '@aws-sdk/client-cloudformation';
import {
  CreateAccountCommand, CreateOrganizationCommand, CreateOrganizationalUnitCommand, DescribeCreateAccountStatusCommand, ListRootsCommand,
  MoveAccountCommand, OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CisMonitoringStackSet } from '../../src';
import { MOTO_CREDENTIALS, MotoServer } from './moto/server';

const REGION = 'eu-west-1';
let moto: MotoServer;

function config() {
  return { region: REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS };
}

/**
 * The SNS topics of every account, from moto's state dump (`/moto-api/data.json`): moto's server answers SNS in its
 * default account whatever the credentials, so the member accounts' topics are read from its state.
 */
async function topicsByAccount(): Promise<Map<string, string[]>> {
  const dump = await (await fetch(`${moto.endpoint}/moto-api/data.json`)).text();
  const found = new Map<string, string[]>();
  for (const arn of new Set(dump.match(/arn:aws:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+/g) ?? [])) {
    const account = arn.split(':')[4];
    found.set(account, [...(found.get(account) ?? []), arn]);
  }
  return found;
}

async function newAccount(org: OrganizationsClient, name: string, parentId: string, rootId: string): Promise<string> {
  const created = await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
  const status = await org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: created.CreateAccountStatus!.Id! }));
  const id = status.CreateAccountStatus!.AccountId!;
  await org.send(new MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: parentId }));
  return id;
}

beforeAll(async () => {
  moto = await MotoServer.start();
}, 120_000);

afterAll(async () => {
  await moto?.stop();
});

test('the StackSet deploys the per-account monitoring to every account of the OU (and its child OUs), not to others', async () => {
  // GIVEN an organization: OU Workloads (2 accounts, a child OU with 1 more) and OU Sandbox (1 account)
  const org = new OrganizationsClient({ ...config(), region: 'us-east-1' });
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const rootId = (await org.send(new ListRootsCommand({}))).Roots![0].Id!;
  const workloads = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Workloads' }))).OrganizationalUnit!.Id!;
  const prod = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: workloads, Name: 'Prod' }))).OrganizationalUnit!.Id!;
  const sandbox = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'Sandbox' }))).OrganizationalUnit!.Id!;
  const members = [
    await newAccount(org, 'app-a', workloads, rootId),
    await newAccount(org, 'app-b', workloads, rootId),
    await newAccount(org, 'app-prod', prod, rootId),
  ];
  const outsider = await newAccount(org, 'sandbox', sandbox, rootId);

  // AND the construct, synthesized
  const stack = new Stack(new App(), 'Management', { env: { region: REGION } });
  const construct = new CisMonitoringStackSet(stack, 'CisEverywhere', {
    organizationalUnitIds: [workloads], regions: [REGION], trailLogGroupName: 'aws-controltower/CloudTrailLogs', emails: ['secops@example.com'],
  });
  const resource = Object.values(Template.fromStack(stack).findResources('AWS::CloudFormation::StackSet'))[0] as any;
  const p = resource.Properties;

  // WHEN the StackSet and its instances are created with the construct's properties
  const cfn = new CloudFormationClient(config());
  await cfn.send(new CreateStackSetCommand({
    StackSetName: p.StackSetName,
    TemplateBody: p.TemplateBody,
    PermissionModel: p.PermissionModel,
    AutoDeployment: p.AutoDeployment,
    Capabilities: p.Capabilities,
    Parameters: p.Parameters,
    CallAs: p.CallAs,
  }));
  const group = p.StackInstancesGroup[0];
  await cfn.send(new CreateStackInstancesCommand({
    StackSetName: p.StackSetName, DeploymentTargets: group.DeploymentTargets, Regions: group.Regions,
  }));

  // THEN
  const described = (await cfn.send(new DescribeStackSetCommand({ StackSetName: 'cis-log-monitoring' }))).StackSet!;
  expect(described.PermissionModel).toBe('SERVICE_MANAGED');
  expect(described.TemplateBody).toBe(construct.templateBody);
  const instances = (await cfn.send(new ListStackInstancesCommand({ StackSetName: 'cis-log-monitoring' }))).Summaries ?? [];
  expect(instances.map((i) => i.Account).sort()).toEqual([...members].sort());
  expect(instances.every((i) => i.Region === REGION)).toBe(true);

  const topics = await topicsByAccount();
  for (const account of members) {
    expect(topics.get(account)).toEqual([expect.stringMatching(new RegExp(`^arn:aws:sns:${REGION}:${account}:cis-log-monitoring-CisTopic`))]);
  }
  // NEGATIVE: an account outside the OUs gets nothing.
  expect(topics.get(outsider)).toBeUndefined();
}, 180_000);
