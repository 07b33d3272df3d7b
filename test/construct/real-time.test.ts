import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack, aws_logs as logs, aws_sns as sns } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { newStack, synth, warnings } from './helpers';
import { CisControl, CisExclusion, CisLogMonitoring, CisLogMonitoringProps, CisPatternSet, CisSeverity } from '../../src';
import { deliveryFacts } from '../../src/construct/real-time';
import { eventBridgePattern } from '../../src/engine/eventbridge';
import { parseFilterPattern } from '../../src/engine/parser';

const compiled = (pattern: string) => eventBridgePattern(parseFilterPattern(pattern).expression).pattern;
const TERRAFORM = 'arn:aws:sts::111111111111:assumed-role/terraform-apply/*';
const terraform: CisExclusion = {
  principalArns: [TERRAFORM],
  reason: 'nightly terraform apply',
  owner: 'platform-team',
  expires: '2099-12-31',
  controls: [CisControl.UNAUTHORIZED_API_CALLS],
};

function rules(template: Template): Record<string, any> {
  return template.findResources('AWS::Events::Rule');
}

/** The rule of a control, by its logical ID prefix (the control's construct ID then RealTimeRule). */
function ruleOf(template: Template, control: CisControl): any {
  const found = Object.entries(rules(template)).filter(([id]) => id.startsWith(`Cis${control.constructId}RealTimeRule`));
  expect(found).toHaveLength(1);
  return found[0][1].Properties;
}

function statementsOf(template: Template, type: string, principal: string): any[] {
  const docs = Object.values(template.findResources(type)).map((r: any) => r.Properties.PolicyDocument ?? r.Properties.KeyPolicy);
  return docs.flatMap((d: any) => d.Statement).filter((s: any) => s.Principal?.Service === principal);
}

describe('realTime', () => {
  test('off by default: no rule, and the template is the one without the option', () => {
    const { template, monitoring } = synth();
    expect(rules(template)).toEqual({});
    expect(monitoring.realTimeRules).toEqual([]);
    expect(synth({ realTime: false }).template.toJSON()).toEqual(template.toJSON());
  });

  test('one rule per control; its pattern is the compiler\'s output for the control\'s pattern; it targets the alarm topic', () => {
    const { template, monitoring } = synth({ realTime: true });
    expect(Object.keys(rules(template))).toHaveLength(CisPatternSet.RECOMMENDED.controls().length);
    expect(monitoring.realTimeRules).toHaveLength(monitoring.controls.length);
    for (const control of monitoring.controls) {
      const rule = ruleOf(template, control);
      expect(rule.EventPattern).toEqual(compiled(control.patternFor(CisPatternSet.RECOMMENDED, false)));
      expect(rule.Targets).toHaveLength(1);
      expect(rule.Targets[0].Arn).toEqual({ Ref: 'CisTopicBFD955AA' });
    }
  });

  test('the SSO-aware variant and other pattern sets compile their own pattern', () => {
    const { template } = synth({ realTime: true, ssoAwareMfaFilter: true, patternSet: CisPatternSet.CIS_V1_4_0 });
    const control = CisControl.CONSOLE_SIGNIN_WITHOUT_MFA;
    expect(ruleOf(template, control).EventPattern).toEqual(compiled(control.patternFor(CisPatternSet.CIS_V1_4_0, true)));
    expect(ruleOf(template, CisControl.UNAUTHORIZED_API_CALLS).EventPattern)
      .toEqual(compiled(CisControl.UNAUTHORIZED_API_CALLS.patternFor(CisPatternSet.CIS_V1_4_0, false)));
    expect(ruleOf(template, control).EventPattern).not.toEqual(compiled(control.patternFor(CisPatternSet.CIS_V1_4_0, false)));
  });

  test('the input transformer names the control and reads the event\'s name, principal, IP, account, region, time and ID', () => {
    const { template } = synth({ realTime: true });
    const { InputTransformer: t } = ruleOf(template, CisControl.ROOT_ACCOUNT_USAGE).Targets[0];
    expect(t.InputPathsMap).toEqual({
      eventName: '$.detail.eventName',
      principal: '$.detail.userIdentity.arn',
      sourceIp: '$.detail.sourceIPAddress',
      account: '$.account',
      region: '$.region',
      time: '$.time',
      eventId: '$.detail.eventID',
    });
    const text = JSON.parse(t.InputTemplate);
    expect(text).toMatch(/^CIS 4\.3 ROOT_ACCOUNT_USAGE \(/);
    for (const name of Object.keys(t.InputPathsMap)) expect(text).toContain(`<${name}>`);
    expect(text).toContain('https://<region>.console.aws.amazon.com/cloudtrailv2/home?region=<region>#/events/<eventId>');
  });

  test('rule state: all management events where the pattern can match a read-only call (4.1, 4.3), ENABLED elsewhere', () => {
    const custom = CisControl.custom({ id: 'ACME.1', title: 'Reads a secret', pattern: '{ $.eventName = "GetSecretValue" }', metricName: 'acme_metric' });
    const { template, monitoring } = synth({ realTime: true, additionalControls: [custom] });
    const state = (c: CisControl) => ruleOf(template, c).State;
    const all = monitoring.controls.filter(c => state(c) === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS').map(c => c.key);
    expect(all).toEqual(['UNAUTHORIZED_API_CALLS', 'ROOT_ACCOUNT_USAGE', custom.key]);
    for (const c of monitoring.controls) expect(['ENABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS']).toContain(state(c));
  });

  test('delivery facts of compiled patterns', () => {
    expect(deliveryFacts({ eventName: ['PutRolePolicy'] })).toEqual({ readOnly: false, usEast1Only: true });
    expect(deliveryFacts({ eventName: ['ListUsers'], eventSource: ['iam.amazonaws.com'] })).toEqual({ readOnly: true, usEast1Only: true });
    expect(deliveryFacts({ eventName: ['DisableKey'], eventSource: ['kms.amazonaws.com'] })).toEqual({ readOnly: false, usEast1Only: false });
    expect(deliveryFacts({ eventName: [{ prefix: 'Put' }], eventSource: ['s3.amazonaws.com'] })).toEqual({ readOnly: true, usEast1Only: false });
    expect(deliveryFacts({ $or: [{ eventName: ['A'], eventSource: ['ec2.amazonaws.com'] }, { eventName: ['DescribeX'], eventSource: ['signin.amazonaws.com'] }] }))
      .toEqual({ readOnly: true, usEast1Only: true });
  });

  test('the topic policy lets EventBridge publish (this account only) and the topic key lets EventBridge use it', () => {
    const { template } = synth({ realTime: true });
    expect(statementsOf(template, 'AWS::SNS::TopicPolicy', 'events.amazonaws.com')).toEqual([{
      Sid: 'AllowEventBridgeRulesToPublish',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: 'CisTopicBFD955AA' },
      Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
    }]);
    expect(statementsOf(template, 'AWS::KMS::Key', 'events.amazonaws.com')).toEqual([{
      Sid: 'AllowEventBridgeRulesToUseTheKey',
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    }]);
    expect(statementsOf(synth().template, 'AWS::SNS::TopicPolicy', 'events.amazonaws.com')).toEqual([]);
    expect(statementsOf(synth().template, 'AWS::KMS::Key', 'events.amazonaws.com')).toEqual([]);
  });

  test('every other resource keeps its logical ID and properties (new resources only)', () => {
    const without = synth().template.toJSON().Resources as Record<string, any>;
    const withRules = synth({ realTime: true }).template.toJSON().Resources as Record<string, any>;
    const changed: string[] = [];
    for (const [id, resource] of Object.entries(without)) {
      expect(withRules[id]).toBeDefined();
      if (JSON.stringify(withRules[id]) !== JSON.stringify(resource)) changed.push(resource.Type);
    }
    expect(changed.sort()).toEqual(['AWS::KMS::Key', 'AWS::SNS::TopicPolicy']);
    const added = Object.keys(withRules).filter(id => !(id in without)).map(id => withRules[id].Type);
    expect(added).toEqual(Array(15).fill('AWS::Events::Rule'));
  });

  test('exclusions: the rule of a control they apply to has the operational pattern compiled and targets the operational topic', () => {
    const { template, monitoring } = synth({ realTime: true, exclusions: [terraform], operationalEmails: ['oncall@example.com'] });
    const control = CisControl.UNAUTHORIZED_API_CALLS;
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')) as any[];
    const operational = filters.find(f => f.Properties.MetricTransformations[0].MetricName === `${control.metricName}_operational`);
    const rule = ruleOf(template, control);
    expect(rule.EventPattern).toEqual(compiled(operational.Properties.FilterPattern));
    expect(rule.EventPattern).not.toEqual(compiled(control.patternFor(CisPatternSet.RECOMMENDED, false)));
    expect(JSON.stringify(rule.EventPattern)).toContain('terraform-apply');
    const opTopic = Stack.of(monitoring).resolve(monitoring.operationalTopic!.topicArn);
    expect(rule.Targets.map((t: any) => t.Arn)).toEqual([opTopic]);
    expect(ruleOf(template, CisControl.ROOT_ACCOUNT_USAGE).Targets.map((t: any) => t.Arn)).toEqual([{ Ref: 'CisTopicBFD955AA' }]);
    const published = statementsOf(template, 'AWS::SNS::TopicPolicy', 'events.amazonaws.com').map(s => s.Resource);
    expect(published).toEqual(expect.arrayContaining([opTopic, { Ref: 'CisTopicBFD955AA' }]));
  });

  test('severity routes: a control\'s rule also targets its severity\'s route topics, which let EventBridge publish', () => {
    const { stack, logGroup } = newStack();
    const pager = new sns.Topic(stack, 'Pager');
    const monitoring = new CisLogMonitoring(stack, 'Cis', {
      logGroup,
      emails: ['secops@example.com'],
      realTime: true,
      severityRoutes: [{ severities: [CisSeverity.CRITICAL], topic: pager }],
    });
    const template = Template.fromStack(stack);
    const pagerArn = stack.resolve(pager.topicArn);
    for (const control of monitoring.controls) {
      const arns = ruleOf(template, control).Targets.map((t: any) => t.Arn);
      expect(arns).toEqual(control.severity === CisSeverity.CRITICAL ? [{ Ref: 'CisTopicBFD955AA' }, pagerArn] : [{ Ref: 'CisTopicBFD955AA' }]);
      expect(new Set(ruleOf(template, control).Targets.map((t: any) => t.Id)).size).toBe(arns.length);
    }
    expect(statementsOf(template, 'AWS::SNS::TopicPolicy', 'events.amazonaws.com').map(s => s.Resource)).toContainEqual(pagerArn);
  });

  test('more than 5 topics for one control is refused (EventBridge\'s target limit)', () => {
    const { stack, logGroup } = newStack();
    const routes = [1, 2, 3, 4, 5].map(i => ({ severities: [CisSeverity.CRITICAL], topic: new sns.Topic(stack, `T${i}`) }));
    expect(() => new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['a@example.com'], realTime: true, severityRoutes: routes }))
      .toThrow(/realTime: control 4\.3 \(ROOT_ACCOUNT_USAGE\) notifies 6 topics; an EventBridge rule has at most 5 targets/);
  });

  describe('the us-east-1 warning', () => {
    const realTimeWarnings = (stack: Stack) => warnings(stack).filter(w => w.includes('us-east-1'));

    test('outside us-east-1 it names the controls whose events can arrive only there', () => {
      const { stack } = synth({ realTime: true });
      const [warning, ...rest] = realTimeWarnings(stack);
      expect(rest).toEqual([]);
      expect(warning).toContain('controls 4.1, 4.2, 4.3, 4.4, 4.5, 4.6, 4.10, 4.11, 4.12, 4.14, 4.15 can match events of IAM');
      expect(warning).toContain('region is eu-west-1');
      expect(warning).toContain('deploy the same construct with realTime in a us-east-1 stack');
    });

    test('none in us-east-1, none without realTime', () => {
      const app = new App();
      const stack = new Stack(app, 'East', { env: { account: '111111111111', region: 'us-east-1' } });
      new CisLogMonitoring(stack, 'Cis', { logGroup: new logs.LogGroup(stack, 'G'), emails: ['a@example.com'], realTime: true });
      expect(realTimeWarnings(stack)).toEqual([]);
      expect(realTimeWarnings(synth().stack)).toEqual([]);
    });

    test('a region unknown at synth gets it', () => {
      const stack = new Stack(new App(), 'Agnostic');
      new CisLogMonitoring(stack, 'Cis', { logGroup: new logs.LogGroup(stack, 'G'), emails: ['a@example.com'], realTime: true });
      expect(realTimeWarnings(stack).join()).toContain('region is not known at synth');
    });
  });

  test('a control whose pattern has no exact EventBridge form is refused at synth, naming the control', () => {
    const custom = CisControl.custom({ id: 'ACME.2', title: 'Tagged', pattern: '{ $.requestParameters.tag = "x" }', metricName: 'acme2_metric' });
    const props: Partial<CisLogMonitoringProps> = { additionalControls: [custom] };
    expect(() => synth(props)).not.toThrow();
    expect(() => synth({ ...props, realTime: true }))
      .toThrow(/CisLogMonitoring TestStack\/Cis: realTime: control ACME\.2 \(.*\) has no exact EventBridge pattern: .*requestParameters\.tag.*no documented scalar type/);
  });

  test('an imported topic gets a warning that says what its policy and key must allow', () => {
    const { stack, logGroup } = newStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Imported', 'arn:aws:sns:eu-west-1:111111111111:alarms');
    new CisLogMonitoring(stack, 'Cis', { logGroup, topic, realTime: true });
    expect(warnings(stack).join('\n')).toMatch(/realTime: topic TestStack\/Imported is imported.*events\.amazonaws\.com sns:Publish.*kms:GenerateDataKey\*/);
  });

  describe('the docs state what the option does', () => {
    const doc = (name: string) => readFileSync(join(__dirname, '..', '..', 'docs', name), 'utf8');

    test('docs/cost.md and docs/realtime.md state the measured template size with realTime', () => {
      const template = synth({ realTime: true }).template;
      const size = Buffer.byteLength(JSON.stringify(template.toJSON()));
      const resources = Object.keys(template.toJSON().Resources).length;
      const kb = `${(size / 1000).toFixed(1)} KB`;
      expect(doc('cost.md')).toContain(`| default with \`realTime\` (15 EventBridge rules) | ${resources} | ${kb}: ${size < 51_200 ? 'inline deploy works' : 'over 51,200 bytes'} |`);
      expect(doc('realtime.md')).toContain(`the default stack with \`realTime\` is ${kb} minified`);
    });

    test('docs/realtime.md\'s per-control table states each rule\'s state and whether the warning lists the control', () => {
      const { template, stack, monitoring } = synth({ realTime: true });
      const warning = warnings(stack).find(w => w.includes('realTime: the patterns of controls'))!;
      const listed = new Set(/controls ([\d., ]+) can match/.exec(warning)![1].split(', '));
      const rows = doc('realtime.md').split('\n').filter(line => /^\| 4\.\d+ `/.test(line));
      for (const control of monitoring.controls) {
        const row = rows.find(r => r.includes(`\`${control.key}\``));
        expect(row).toBeDefined();
        const cells = row!.split('|').map(c => c.trim());
        const all = ruleOf(template, control).State === 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
        expect({ key: control.key, state: cells[4] }).toEqual({ key: control.key, state: all ? 'all management events' : '`ENABLED`' });
        const id = control.idIn(CisPatternSet.RECOMMENDED)!;
        expect({ key: control.key, listed: listed.has(id) })
          .toEqual({ key: control.key, listed: /us-east-1|listed in the warning/.test(cells[3]) });
      }
    });
  });
});
