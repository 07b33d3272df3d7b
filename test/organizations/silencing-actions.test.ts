// Issue 18 §2: CisTamperProtectionPolicy is derived from one table of what silences a page or blinds a control
// (src/organizations/silencing-actions.ts). (1) Every CloudFormation resource type CisLogMonitoring creates with
// any option (and the trail, log group and delivery role it reads) has an entry: a new resource kind without a
// decision fails here. (2) The test IAM evaluator checks every denied action of the table on the ARN of every
// protected resource of the every-option stack: denied to an ordinary role, allowed to the deployment role.
// (3) The example policy of docs/organizations.md is the one evaluated, so the example cannot drift from what it protects.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CisControl, CisTamperProtectionPolicy, CisTamperProtectionPolicyProps } from '../../src';
import { SELF_AUDIT_ALARM_NAME } from '../../src/catalog/tamper-control';
import { SILENCING_ACTIONS } from '../../src/organizations/silencing-actions';
import { ACCOUNT, REGION, monitoringStacks } from '../support/every-option-monitoring';
import { FULL_AWS_ACCESS, PolicyDocument, evaluate } from '../support/iam-policy-evaluator';

const PAGE = readFileSync(join(__dirname, '..', '..', 'docs', 'organizations.md'), 'utf8');
const ORDINARY = `arn:aws:iam::${ACCOUNT}:role/Developer`;
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/stacksets-exec-0123456789abcdef`;
/** The ID the test gives the construct's KMS key (KMS generates it at deploy time); docs/organizations.md's example names it. */
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

const stacks = monitoringStacks();

interface Created { readonly type: string; readonly path: string; readonly logicalId: string; readonly resource: CfnResource; readonly stack: Stack }

/**
 * The resources of a stack the policy is about: everything under the CisLogMonitoring construct `Cis` (the trail
 * lookup's singleton function included), the trail, its log group and its CloudWatch Logs role and policy, and a
 * severity route's own topic (`ChatbotTopic`, with the policy the construct adds to it).
 */
function monitoringResources(stack: Stack): Created[] {
  const every = stack.node.findAll().filter((c): c is CfnResource => CfnResource.isCfnResource(c))
    .map((resource) => ({ type: resource.cfnResourceType, path: resource.node.path, logicalId: stack.getLogicalId(resource), resource, stack }));
  const chosen = every.filter(({ path }) => {
    const rel = path.slice(stack.node.path.length + 1);
    return /^Cis\//.test(rel) || /^SingletonLambda/.test(rel) || /^TrailLogs\//.test(rel) || /^ChatbotTopic\//.test(rel)
      || ['Trail/Resource', 'Trail/LogsRole/Resource', 'Trail/LogsRole/DefaultPolicy/Resource'].includes(rel);
  });
  // Subscriptions live in their endpoint's scope (an SQS queue's): every subscription to a chosen topic counts.
  const topics = new Set(chosen.filter((r) => r.type === 'AWS::SNS::Topic').map((r) => r.logicalId));
  const subscriptions = every.filter((r) => r.type === 'AWS::SNS::Subscription' && !chosen.includes(r)
    && topics.has(stack.resolve((r.resource as any)._toCloudFormation()).Resources[r.logicalId].Properties.TopicArn?.Ref));
  return [...chosen, ...subscriptions];
}

/** Whether the table leaves this resource out (it sits under a construct an `unprotected` entry names). */
function leftOut(r: Created): boolean {
  return (SILENCING_ACTIONS[r.type]?.unprotected ?? []).some((u) => u.under === '*' || r.path.split('/').some((segment) => segment.startsWith(u.under)));
}

const all = Object.values(stacks).flatMap(monitoringResources);

describe('(1) every resource type of the monitoring has a decision in the table', () => {
  test('the default, every-option and trail-lookup stacks create these types, each in the table', () => {
    const types = [...new Set(all.map((r) => r.type))].sort();
    // The types seen (so that a new kind shows up in the diff of this test's output when it fails).
    expect(types.length).toBeGreaterThanOrEqual(15);
    const missing = types.filter((t) => SILENCING_ACTIONS[t] === undefined);
    expect({ missing }).toEqual({ missing: [] });
  });

  test('every resource is protected, or left out by an entry that names the construct it sits under and why', () => {
    for (const r of all) {
      const entry = SILENCING_ACTIONS[r.type];
      expect({ path: r.path, decided: entry?.protects !== undefined || leftOut(r) }).toEqual({ path: r.path, decided: true });
    }
  });

  test('the self-audit\'s entries name its alarm as the construct names it', () => {
    const selfAudit = Object.values(SILENCING_ACTIONS).flatMap((e) => e.unprotected ?? []).filter((u) => u.under === 'SelfAudit');
    expect(selfAudit.length).toBeGreaterThanOrEqual(6);
    for (const u of selfAudit.filter((e) => e.why.includes('<prefix>'))) expect(u.why).toContain(`<prefix>${SELF_AUDIT_ALARM_NAME} `);
  });

  test('every decision has a reason and an AWS page', () => {
    for (const [type, entry] of Object.entries(SILENCING_ACTIONS)) {
      for (const d of entry.protects?.deny ?? []) expect([type, d.action, d.why.length > 10, d.doc]).toEqual([type, d.action, true, expect.stringMatching(/^https:\/\/docs\.aws\.amazon\.com\//)]);
      for (const d of entry.protects?.notDenied ?? []) expect([type, d.action, d.whyNot.length > 10, d.doc]).toEqual([type, d.action, true, expect.stringMatching(/^https:\/\/docs\.aws\.amazon\.com\//)]);
      for (const u of entry.unprotected ?? []) expect([type, u.under, u.why.length > 10, u.doc]).toEqual([type, u.under, true, expect.stringMatching(/^https:\/\/docs\.aws\.amazon\.com\//)]);
    }
  });
});

/** The example props of docs/organizations.md (the object literal passed to `new CisTamperProtectionPolicy(stack, 'CisTamperProtection', ...)`). */
function readmeExample(): CisTamperProtectionPolicyProps {
  const section = PAGE.slice(PAGE.indexOf('## Tamper protection'));
  const match = /new CisTamperProtectionPolicy\(stack, 'CisTamperProtection', (\{[\s\S]*?\n\})\);/.exec(section);
  if (!match) throw new Error('docs/organizations.md has no CisTamperProtectionPolicy example');
  const literal = match[1].split('\n').map((line) => line.replace(/\s+\/\/ .*$/, '').replace(/^\s*\/\/.*$/, '')).join('\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(`return (${literal});`)() as CisTamperProtectionPolicyProps;
}

function policyFor(props: CisTamperProtectionPolicyProps): { policy: CisTamperProtectionPolicy; documents: PolicyDocument[]; stack: Stack } {
  const stack = new Stack(new App(), 'Organization', { env: { account: '999999999999', region: 'us-east-1' } });
  const policy = new CisTamperProtectionPolicy(stack, 'CisTamperProtection', props);
  const documents = Object.values(Template.fromStack(stack).findResources('AWS::Organizations::Policy')).map((p: any) => p.Properties.Content as PolicyDocument);
  return { policy, documents, stack };
}

/** The name CloudFormation generates for a resource without one: `<stack>-<logical id>-<suffix>`. */
const generatedName = (r: { stack: Stack; logicalId: string }) => `${r.stack.stackName}-${r.logicalId}-A1B2C3D4E5F6`;

/** The ARN a request to change this resource names (as deployed; generated names and key IDs filled in). */
/** A resource's properties as synthesized. */
const propertiesOf = (r: Created): Record<string, any> =>
  r.stack.resolve((r.resource as any)._toCloudFormation()).Resources[r.logicalId].Properties ?? {};

function arnsOf(r: Created, byLogicalId: Map<string, Created>): string[] {
  const props = propertiesOf(r);
  const ref = (value: any): Created => {
    const target = byLogicalId.get(value?.Ref ?? value?.['Fn::GetAtt']?.[0]);
    if (!target) throw new Error(`${r.path}: cannot follow ${JSON.stringify(value)}`);
    return target;
  };
  const logGroupName = (g: Created) => (propertiesOf(g).LogGroupName as string | undefined) ?? generatedName(g);
  const logGroupArns = (name: string) => [`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`, `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`];
  const topicArn = (t: Created) => {
    const name = (propertiesOf(t).TopicName as string | undefined) ?? generatedName(t);
    return `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
  };
  const roleArn = (role: Created) => `arn:aws:iam::${ACCOUNT}:role/${generatedName(role)}`;
  switch (r.type) {
    case 'AWS::Logs::MetricFilter': return logGroupArns(typeof props.LogGroupName === 'string' ? props.LogGroupName : logGroupName(ref(props.LogGroupName)));
    case 'AWS::Logs::LogGroup': return logGroupArns(logGroupName(r));
    case 'AWS::CloudWatch::Alarm': return [`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${props.AlarmName}`];
    case 'AWS::SNS::Topic': return [topicArn(r)];
    case 'AWS::SNS::TopicPolicy': return props.Topics.map((t: any) => topicArn(ref(t)));
    case 'AWS::SNS::Subscription': return [`${topicArn(ref(props.TopicArn))}:0b0c7f7e-1111-2222-3333-444455556666`];
    case 'AWS::KMS::Key': return [`arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`];
    case 'AWS::CloudTrail::Trail': return [`arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${props.TrailName ?? generatedName(r)}`];
    case 'AWS::IAM::Role': return [roleArn(r)];
    case 'AWS::IAM::Policy': return props.Roles.map((role: any) => roleArn(ref(role)));
    default: throw new Error(`${r.path}: the test does not know the ARN of a ${r.type}`);
  }
}

/** Every (resource, ARN, action) the table says must be denied, for the every-option stack. */
function protectedRequests(): Array<{ path: string; arn: string; action: string }> {
  const resources = monitoringResources(stacks.everyOption);
  const byLogicalId = new Map(resources.map((r) => [r.logicalId, r]));
  return resources.flatMap((r) => {
    const entry = SILENCING_ACTIONS[r.type];
    if (!entry?.protects || leftOut(r)) return [];
    return arnsOf(r, byLogicalId).flatMap((arn) => entry.protects!.deny.map(({ action }) => ({ path: r.path, arn, action })));
  });
}

describe('(2) + (3) the example policy of docs/organizations.md, evaluated on every protected resource of the every-option stack', () => {
  const props = readmeExample();
  const { policy, documents, stack } = policyFor(props);
  const requests = protectedRequests();
  const decide = (principal: string, action: string, resource: string) =>
    evaluate([FULL_AWS_ACCESS, ...documents], { action, resource, context: { 'aws:PrincipalArn': principal } }).decision;

  test('the example names the deployment role among the exempt principals', () => {
    expect(props.breakGlassPrincipalArns).toContain('arn:aws:iam::*:role/stacksets-exec-*');
  });

  test('covers the operational alarms, operational and route topics, subscriptions and the delivery role (the defects of issue 18)', () => {
    const paths = new Set(requests.map((r) => r.path));
    const has = (re: RegExp) => [...paths].some((p) => re.test(p));
    expect(has(/OperationalAlarm|_operational|\/Operational/)).toBe(true);
    expect(has(/Cis\/Operational\/Topic\/Resource$/)).toBe(true);
    expect(has(/Cis\/Routes\/RouteCriticalHigh\/Topic\/Resource$/)).toBe(true);
    expect(has(/ChatbotTopic\/Resource$/)).toBe(true);
    expect(has(/Trail\/LogsRole\/Resource$/)).toBe(true);
    expect(has(/Trail\/LogsRole\/DefaultPolicy\/Resource$/)).toBe(true);
    const actions = new Set(requests.map((r) => r.action));
    for (const a of ['cloudwatch:DeleteAlarms', 'cloudwatch:DisableAlarmActions', 'sns:DeleteTopic', 'sns:SetSubscriptionAttributes', 'iam:DetachRolePolicy']) expect(actions).toContain(a);
    expect(requests.length).toBeGreaterThan(300);
  });

  const custom = (r: { path: string; arn: string }) => r.path.includes('/CustomACME1/') && r.arn.includes(':alarm:');

  test('every table action on every protected resource is denied to an ordinary role and allowed to the deployment role', () => {
    const wrong = requests.filter((r) => !custom(r))
      .filter(({ arn, action }) => decide(ORDINARY, action, arn) !== 'EXPLICIT_DENY' || decide(DEPLOYER, action, arn) !== 'ALLOW');
    expect(wrong).toEqual([]);
  });

  test('a custom control\'s alarms are protected when alarmNames names them (the default names the built-in controls only)', () => {
    const customRequests = requests.filter(custom);
    expect(customRequests.length).toBe(8); // 4 actions x (alarm, _operational alarm)
    for (const { arn, action } of customRequests) expect(decide(ORDINARY, action, arn)).toBe('ALLOW');
    const withCustom = policyFor({ ...props, alarmNames: [...CisControl.all().map((c) => `*${c.alarmName}*`), '*delivery_heartbeat_alarm*', '*monitoring_tamper_alarm*', '*cis_self_audit_alarm*', '*break_glass_alarm*'] }).documents;
    for (const { arn, action } of requests) {
      expect([arn, action, evaluate([FULL_AWS_ACCESS, ...withCustom], { action, resource: arn, context: { 'aws:PrincipalArn': ORDINARY } }).decision])
        .toEqual([arn, action, 'EXPLICIT_DENY']);
    }
  });

  test('the same actions on an application\'s resources, and reads, stay allowed', () => {
    expect(decide(ORDINARY, 'sns:DeleteTopic', `arn:aws:sns:${REGION}:${ACCOUNT}:orders`)).toBe('ALLOW');
    expect(decide(ORDINARY, 'cloudwatch:DeleteAlarms', `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:orders-latency`)).toBe('ALLOW');
    expect(decide(ORDINARY, 'iam:PutRolePolicy', `arn:aws:iam::${ACCOUNT}:role/orders-service`)).toBe('ALLOW');
    expect(decide(ORDINARY, 'kms:DisableKey', `arn:aws:kms:${REGION}:${ACCOUNT}:key/ffff0000-1111-2222-3333-444455556666`)).toBe('ALLOW');
    expect(decide(ORDINARY, 'sns:Subscribe', `arn:aws:sns:${REGION}:${ACCOUNT}:${stacks.everyOption.stackName}-CisTopicBFD955AA-A1B2C3D4E5F6`)).toBe('ALLOW');
  });

  test('fits one service control policy; the size is the one docs/organizations.md states', () => {
    expect(policy.policies).toHaveLength(1);
    const size = policy.policyDocument.length;
    expect(size).toBeLessThanOrEqual(5120);
    expect(PAGE).toContain(`The example above: ${size.toLocaleString('en-US')} characters`);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('topicKeyArns'))).toHaveLength(0);
    expect(PAGE).toContain(`the example uses ${size.toLocaleString('en-US')} of the 5,120 characters`);
  });
});

describe('sizes', () => {
  test('without topicKeyArns the keys are unprotected and synth says so', () => {
    const { topicKeyArns: _, ...withoutKeys } = readmeExample();
    const { stack } = policyFor(withoutKeys);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('keys that encrypt the topics are not protected'))).toHaveLength(1);
  });

  test('the smallest configuration docs/organizations.md describes has the size it states', () => {
    const { policy } = policyFor({
      breakGlassPrincipalArns: ['arn:aws:iam::*:role/BreakGlass'],
      trailLogGroupNames: ['aws-controltower/CloudTrailLogs'],
      topicNames: ['*-Cis*Topic*'],
    });
    expect(policy.policies).toHaveLength(1);
    expect(readFileSync(join(__dirname, '..', '..', 'docs', 'organizations.md'), 'utf8')).toContain(`one topic pattern ${policy.policyDocument.length.toLocaleString('en-US')};`);
  });

  test('the largest configuration docs/organizations.md describes fits in one policy, with the size it states', () => {
    const { policy } = policyFor({
      breakGlassPrincipalArns: ['arn:aws:iam::*:role/BreakGlass', 'arn:aws:iam::*:role/stacksets-exec-*', 'arn:aws:iam::*:role/cdk-*-cfn-exec-role-*', 'arn:aws:iam::*:role/AWSControlTowerExecution'],
      trailLogGroupNames: ['aws-controltower/CloudTrailLogs', 'aws-accelerator-cloudtrail-logs*', 'org-trail-logs'],
      topicNames: ['*-Cis*Topic*', 'cis-chatbot-*', 'security-alarms'],
      trailNames: ['aws-controltower-BaselineCloudTrail', 'AWSAccelerator-Organizations-CloudTrail'],
      topicKeyArns: ['arn:aws:kms:*:*:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:aws:kms:*:*:key/5678efgh-12ab-34cd-56ef-1234567890ab'],
      trailDeliveryRoleNames: ['aws-controltower-CloudWatchLogsRole', '*TrailLogsRole*', 'AWSAccelerator-CloudTrailLogsRole*'],
    });
    expect(policy.policies).toHaveLength(1);
    expect(readFileSync(join(__dirname, '..', '..', 'docs', 'organizations.md'), 'utf8')).toContain(`the larger one: ${policy.policyDocument.length.toLocaleString('en-US')} characters`);
  });
});

/** The table as docs/organizations.md shows it (generated from SILENCING_ACTIONS; the test keeps them equal). */
function markdownTable(): string {
  const rows = Object.entries(SILENCING_ACTIONS).map(([type, entry]) => {
    const denied = entry.protects ? `${entry.protects.what}: ${entry.protects.deny.map((d) => `\`${d.action}\` (${d.why})`).join('; ')}` : '—';
    const notDenied = (entry.protects?.notDenied ?? []).map((d) => `\`${d.action}\` (${d.whyNot})`).join('; ') || '—';
    const leftOutText = (entry.unprotected ?? []).map((u) => `${u.under === '*' ? 'all' : `under \`${u.under}\``}: ${u.why}`).join('; ') || '—';
    return `| \`${type}\` | ${denied} | ${notDenied} | ${leftOutText} |`;
  });
  return ['| CloudFormation type | Denied (what, action, why) | Considered, not denied | Left out |', '|---|---|---|---|', ...rows].join('\n');
}

describe('docs/organizations.md', () => {
  test('shows the table the policy is generated from', () => {
    if (process.env.PRINT_SILENCING_TABLE) writeFileSync(process.env.PRINT_SILENCING_TABLE, markdownTable());
    expect(readFileSync(join(__dirname, '..', '..', 'docs', 'organizations.md'), 'utf8')).toContain(markdownTable());
  });
});
