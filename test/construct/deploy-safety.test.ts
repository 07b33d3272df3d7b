import { App, CfnParameter, Duration, Fn, Stack, aws_logs as logs, aws_sns as sns } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { newStack, synth, warnings } from './helpers';
import { CisControl, CisLogMonitoring, CisLogMonitoringProps, CisPatternSet, CisSeverity } from '../../src';

// Issue 9 part 3: the construct never watches the wrong place and never collides at deploy.
// Negative cases first: each would deploy something that watches nothing, or fail only at deploy.

const ENV = { account: '111111111111', region: 'eu-west-1' };
// One control and no self-monitoring (issue 20), so that each clash below is exactly one filter and one alarm name.
const ONE = { controls: [CisControl.ROOT_ACCOUNT_USAGE], emails: ['a@example.com'], deliveryHeartbeat: false, tamperAlarm: false };

function errorsOf(app: App): string {
  try {
    app.synth();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('synth succeeded');
}

describe('the log group must live in the stack\'s account and region', () => {
  test.each([
    ['another account', 'arn:aws:logs:eu-west-1:222222222222:log-group:org-trail', 'account 222222222222, region eu-west-1'],
    ['another region', 'arn:aws:logs:us-east-1:111111111111:log-group:org-trail', 'account 111111111111, region us-east-1'],
    ['another account, ARN with :*', 'arn:aws:logs:eu-west-1:222222222222:log-group:org-trail:*', 'account 222222222222, region eu-west-1'],
  ])('fromLogGroupArn of %s is refused, naming both environments', (_name, arn, groupEnv) => {
    const { stack } = newStack();
    const logGroup = logs.LogGroup.fromLogGroupArn(stack, 'Imported', arn);
    expect(() => new CisLogMonitoring(stack, 'Cis', { logGroup, ...ONE })).toThrow(
      `CisLogMonitoring TestStack/Cis: log group TestStack/Imported lives in ${groupEnv}; stack TestStack deploys to account 111111111111, `
      + 'region eu-west-1. Metric filters are created in the stack\'s account and region');
  });

  test('a log group of a stack in another environment is refused', () => {
    const app = new App();
    const logStack = new Stack(app, 'LogArchive', { env: { account: '222222222222', region: 'eu-west-1' } });
    const logGroup = new logs.LogGroup(logStack, 'Trail', { logGroupName: 'org-trail' });
    const stack = new Stack(app, 'Monitoring', { env: ENV });
    expect(() => new CisLogMonitoring(stack, 'Cis', { logGroup, ...ONE }))
      .toThrow(/Monitoring\/Cis: log group LogArchive\/Trail lives in account 222222222222, region eu-west-1; stack Monitoring deploys to account 111111111111/);
  });

  test('same account and region, imported by ARN or from another stack: accepted, without a warning', () => {
    const app = new App();
    const logStack = new Stack(app, 'Logs', { env: ENV });
    const owned = new logs.LogGroup(logStack, 'Trail');
    const stack = new Stack(app, 'Monitoring', { env: ENV });
    const imported = logs.LogGroup.fromLogGroupArn(stack, 'Imported', 'arn:aws:logs:eu-west-1:111111111111:log-group:org-trail');
    new CisLogMonitoring(stack, 'ByArn', { logGroup: imported, ...ONE });
    new CisLogMonitoring(stack, 'CrossStack', { logGroup: owned, emails: ['a@example.com'], controls: [CisControl.VPC_CHANGES] });
    Template.fromStack(stack).hasResourceProperties('AWS::Logs::MetricFilter', { LogGroupName: 'org-trail' });
    expect(warnings(stack)).toEqual([]);
  });

  test('env-agnostic stack with a group of a known account: a warning that it cannot be checked (not an error)', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    const logGroup = logs.LogGroup.fromLogGroupArn(stack, 'Imported', 'arn:aws:logs:eu-west-1:222222222222:log-group:org-trail');
    new CisLogMonitoring(stack, 'Cis', { logGroup, ...ONE });
    expect(warnings(stack).join('\n')).toMatch(
      /log group Agnostic\/Imported lives in account 222222222222, region eu-west-1; stack Agnostic deploys to account \(known only at deploy time\).*cannot check/);
  });

  test('env-agnostic stack with its own log group: nothing to warn about', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    new CisLogMonitoring(stack, 'Cis', { logGroup: new logs.LogGroup(stack, 'Trail'), ...ONE });
    expect(warnings(stack)).toEqual([]);
  });

  test('a log group ARN from a parameter: a warning', () => {
    const { stack } = newStack();
    const arn = new CfnParameter(stack, 'TrailLogGroupArn').valueAsString;
    new CisLogMonitoring(stack, 'Cis', { logGroup: logs.LogGroup.fromLogGroupArn(stack, 'Imported', arn), ...ONE });
    expect(warnings(stack).join('\n')).toMatch(/lives in account \(known only at deploy time\).*cannot check/);
  });
});

describe('two instances on one log group', () => {
  test('the same controls twice are refused at synth; each instance names the other', () => {
    const { app, stack, logGroup } = newStack();
    new CisLogMonitoring(stack, 'A', { logGroup, emails: ['a@example.com'] });
    new CisLogMonitoring(stack, 'B', { logGroup, emails: ['b@example.com'] });
    const message = errorsOf(app);
    expect(message).toMatch(/\[TestStack\/A\] 15 metric filter name\(s\) on log group TestStack\/TrailLogGroup are also used by TestStack\/B .*root_usage_metric/);
    expect(message).toMatch(/\[TestStack\/B\] 15 metric filter name\(s\) on log group TestStack\/TrailLogGroup are also used by TestStack\/A /);
    expect(message).toMatch(/Filter names are unique per log group, so the deploy would fail/);
  });

  test('one shared control is enough to refuse', () => {
    const { app, stack, logGroup } = newStack();
    new CisLogMonitoring(stack, 'A', { logGroup, emails: ['a@example.com'], controls: [CisControl.ROOT_ACCOUNT_USAGE, CisControl.VPC_CHANGES] });
    new CisLogMonitoring(stack, 'B', { logGroup, emails: ['b@example.com'], controls: [CisControl.NACL_CHANGES, CisControl.VPC_CHANGES] });
    expect(errorsOf(app)).toMatch(/\[TestStack\/B\] 1 metric filter name\(s\) .* used by TestStack\/A .*\(vpc_changes_metric\)/);
  });

  test('the same group by name from two stacks of one environment is refused; in another environment it is another group', () => {
    const app = new App();
    const a = new Stack(app, 'TeamA', { env: ENV });
    const b = new Stack(app, 'TeamB', { env: ENV });
    const c = new Stack(app, 'OtherRegion', { env: { ...ENV, region: 'us-east-1' } });
    for (const stack of [a, b, c]) {
      new CisLogMonitoring(stack, 'Cis', { logGroup: logs.LogGroup.fromLogGroupName(stack, 'Trail', 'org-trail'), ...ONE, alarmNamePrefix: `${stack.stackName}-` });
    }
    const message = errorsOf(app);
    expect(message).toMatch(/\[TeamA\/Cis\] 1 metric filter name\(s\) .* used by TeamB\/Cis/);
    expect(message).not.toMatch(/OtherRegion/);
  });

  test('a filter of the same name made outside the construct is a clash too', () => {
    const { app, stack, logGroup } = newStack();
    new logs.MetricFilter(stack, 'Hand', { logGroup, filterName: 'root_usage_metric', filterPattern: logs.FilterPattern.allEvents(), metricNamespace: 'X', metricName: 'x' });
    new CisLogMonitoring(stack, 'Cis', { logGroup, ...ONE });
    expect(errorsOf(app)).toMatch(/also used by TestStack\/Hand\/Resource on the same log group \(root_usage_metric\)/);
  });

  test('two instances on two log groups keep the benchmark filter names', () => {
    const { app, stack, logGroup } = newStack();
    new CisLogMonitoring(stack, 'A', { logGroup, emails: ['a@example.com'] });
    new CisLogMonitoring(stack, 'B', { logGroup: new logs.LogGroup(stack, 'Second'), emails: ['b@example.com'] });
    expect(() => app.synth()).not.toThrow();
    const names = Object.values(Template.fromStack(stack).findResources('AWS::Logs::MetricFilter')).map((f: any) => f.Properties.FilterName);
    expect(names.filter((n) => n === 'root_usage_metric')).toHaveLength(2);
  });
});

describe('alarm names', () => {
  test('a shared alarmNamePrefix in one account and region is refused, naming both instances', () => {
    const app = new App();
    const groupA = new logs.LogGroup(new Stack(app, 'A', { env: ENV }), 'Trail');
    const groupB = new logs.LogGroup(new Stack(app, 'B', { env: ENV }), 'Trail');
    new CisLogMonitoring(Stack.of(groupA), 'Cis', { logGroup: groupA, ...ONE, alarmNamePrefix: 'cis-' });
    new CisLogMonitoring(Stack.of(groupB), 'Cis', { logGroup: groupB, ...ONE, alarmNamePrefix: 'cis-' });
    const message = errorsOf(app);
    expect(message).toMatch(/\[A\/Cis\] 1 alarm name\(s\) are also used by B\/Cis in the same account and region \(cis-root_usage_alarm\)/);
    expect(message).toMatch(/\[B\/Cis\] 1 alarm name\(s\) are also used by A\/Cis/);
  });

  test('the same prefix in another region is fine', () => {
    const app = new App();
    for (const region of ['eu-west-1', 'us-east-1']) {
      const stack = new Stack(app, region, { env: { ...ENV, region } });
      new CisLogMonitoring(stack, 'Cis', { logGroup: new logs.LogGroup(stack, 'Trail'), ...ONE, alarmNamePrefix: 'cis-' });
    }
    expect(() => app.synth()).not.toThrow();
  });

  test.each<[string, Partial<CisLogMonitoringProps>, RegExp]>([
    ['two custom controls with one alarm name',
      {
        controls: [CisControl.custom({ id: 'A.1', title: 't', pattern: '{ $.a = 1 }', metricName: 'm1', alarmName: 'same' }),
          CisControl.custom({ id: 'A.2', title: 't', pattern: '{ $.a = 2 }', metricName: 'm2', alarmName: 'same' })],
      },
      /TestStack\/Cis: controls A.1 and A.2 both name their alarm "same"/],
    ['a custom alarm name equal to a built-in one',
      { additionalControls: [CisControl.custom({ id: 'A.1', title: 't', pattern: '{ $.a = 1 }', metricName: 'm1', alarmName: 'root_usage_alarm' })] },
      /controls 4.3 and A.1 both name their alarm "root_usage_alarm"/],
    ['"*" in the prefix', { alarmNamePrefix: 'prod-*' }, /alarmNamePrefix "prod-\*" contains "\*", a wildcard in the topic policy's aws:SourceArn/],
    ['"?" in the prefix', { alarmNamePrefix: 'prod?' }, /alarmNamePrefix "prod\?" contains "\?"/],
    ['a control character in the prefix', { alarmNamePrefix: 'prod\n' }, /alarmNamePrefix "prod\\n" contains a control character/],
    ['an empty custom alarm name', { controls: [CisControl.custom({ id: 'A.1', title: 't', pattern: '{ $.a = 1 }', metricName: 'm1', alarmName: '' })] },
      /control A.1 has an empty alarm name/],
    ['a blank custom alarm name', { controls: [CisControl.custom({ id: 'A.1', title: 't', pattern: '{ $.a = 1 }', metricName: 'm1', alarmName: '  ' })] },
      /control A.1 has an empty alarm name/],
    ['a control character in a custom alarm name',
      { controls: [CisControl.custom({ id: 'A.1', title: 't', pattern: '{ $.a = 1 }', metricName: 'm1', alarmName: 'a\u0007b' })] },
      /the alarm name "a\\u0007b" of control A.1 contains a control character/],
  ])('%s is refused', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('a wildcard in the literal part of a prefix with a token is refused too', () => {
    const { stack, logGroup } = newStack();
    const env = new CfnParameter(stack, 'Env').valueAsString;
    expect(() => new CisLogMonitoring(stack, 'Cis', { logGroup, ...ONE, alarmNamePrefix: `${env}-*` })).toThrow(/contains "\*"/);
  });

  test('an empty prefix is allowed, with a warning that any alarm of the account may publish', () => {
    const { stack } = synth({ alarmNamePrefix: '' });
    expect(warnings(stack).join('\n')).toMatch(/alarmNamePrefix is empty, so the topic policy lets every CloudWatch alarm/);
  });
});

describe('e-mail addresses SNS rejects are refused', () => {
  test.each([
    ['a control character', 'sec\u0001ops@example.com', /"sec\\u0001ops@example.com" is not an e-mail address SNS accepts: it contains a control character/],
    ['a tab', 'secops@example.com\t', /contains a control character/],
    ['a display name', 'SecOps <secops@example.com>', /white space/],
    ['angle brackets', '<secops@example.com>', /without a display name or angle brackets/],
    ['mailto:', 'mailto:secops@example.com', /drop the "mailto:"/],
    ['an empty string', '', /"" is not an e-mail address SNS accepts: it is empty/],
    ['two dots in a row', 'sec..ops@example.com', /its local part/],
    ['a leading dot', '.secops@example.com', /its local part/],
    ['a quoted local part', '"sec ops"@example.com', /white space/],
    ['a quoted local part without space', '"secops"@example.com', /its local part/],
    ['an IP-literal domain', 'secops@[192.0.2.1]', /its domain/],
    ['an empty domain label', 'secops@example..com', /its domain/],
    ['a domain label with a leading hyphen', 'secops@-example.com', /its domain/],
    ['a domain without a dot', 'secops@localhost', /its domain/],
    ['a numeric top-level domain', 'secops@192.0.2.1', /its domain/],
    ['two @', 'sec@ops@example.com', /its local part/],
    ['non-ASCII', 'sécops@example.com', /non-ASCII/],
    ['a local part over 64 characters', `${'a'.repeat(65)}@example.com`, /local part has 65 characters/],
  ])('%s', (_name, email, message) => {
    expect(() => synth({ emails: [email] })).toThrow(message);
  });

  test('ordinary addresses pass', () => {
    const emails = ['first.last+cis@sub.example.co.uk', "o'brien@example.com", 'SecOps_Team-1@example-corp.io', 'x@xn--bcher-kva.example'];
    synth({ emails }).template.resourceCountIs('AWS::SNS::Subscription', emails.length);
  });
});

describe('the 100-filter limit counts a group however it is referenced', () => {
  test.each([
    ['the construct on the LogGroup, other filters by name', true],
    ['the construct by name, other filters on the LogGroup', false],
  ])('%s', (_name, constructOnOwned) => {
    const { app, stack } = newStack();
    const owned = new logs.LogGroup(stack, 'Named', { logGroupName: 'x' });
    const byName = logs.LogGroup.fromLogGroupName(stack, 'ByName', 'x');
    for (let i = 0; i < 85; i++) { // + 15 compliance + 5 tamper filters
      new logs.MetricFilter(stack, `Other${i}`, { logGroup: constructOnOwned ? byName : owned, filterPattern: logs.FilterPattern.allEvents(), metricNamespace: 'X', metricName: `m${i}` });
    }
    new CisLogMonitoring(stack, 'Cis', { logGroup: constructOnOwned ? owned : byName, emails: ['a@example.com'] });
    expect(errorsOf(app)).toMatch(/would have 105 metric filters in stack TestStack; CloudWatch Logs allows 100/);
  });

  test('a group of the same name in another region does not count', () => {
    const app = new App();
    const stack = new Stack(app, 'Here', { env: ENV });
    const there = new Stack(app, 'There', { env: { ...ENV, region: 'us-east-1' } });
    for (let i = 0; i < 90; i++) {
      new logs.MetricFilter(there, `Other${i}`, { logGroup: logs.LogGroup.fromLogGroupName(there, `G${i}`, 'x'), filterPattern: logs.FilterPattern.allEvents(), metricNamespace: 'X', metricName: `m${i}` });
    }
    new CisLogMonitoring(stack, 'Cis', { logGroup: new logs.LogGroup(stack, 'Named', { logGroupName: 'x' }), emails: ['a@example.com'] });
    expect(() => app.synth()).not.toThrow();
  });
});

describe('tokens', () => {
  test('alarmThreshold as a token passes to the alarms', () => {
    const { stack, logGroup } = newStack();
    const threshold = new CfnParameter(stack, 'Threshold', { type: 'Number' }).valueAsNumber;
    new CisLogMonitoring(stack, 'Cis', { logGroup, ...ONE, alarmThreshold: threshold });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: { Ref: 'Threshold' } });
  });

  test('a list token as emails is refused with the way out: one Fn.select per address', () => {
    const { stack, logGroup } = newStack();
    const list = new CfnParameter(stack, 'Emails', { type: 'CommaDelimitedList' }).valueAsList;
    expect(() => new CisLogMonitoring(stack, 'Cis', { logGroup, emails: list }))
      .toThrow(/TestStack\/Cis: `emails` contains a list token .*Pass one element per address instead: `Fn.select\(0, list\)`, `Fn.select\(1, list\)`/);
  });

  test('one Fn.select per address works', () => {
    const { stack, logGroup } = newStack();
    const list = new CfnParameter(stack, 'Emails', { type: 'CommaDelimitedList' }).valueAsList;
    new CisLogMonitoring(stack, 'Cis', { logGroup, emails: [Fn.select(0, list), Fn.select(1, list)] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: { 'Fn::Select': [1, { Ref: 'Emails' }] } });
  });

  test('the same token twice is refused', () => {
    const { stack, logGroup } = newStack();
    const email = new CfnParameter(stack, 'Email').valueAsString;
    expect(() => new CisLogMonitoring(stack, 'Cis', { logGroup, emails: [email, email] })).toThrow(/\{"Ref":"Email"\} is listed twice in `emails`/);
  });

  /** Logical IDs of the subscriptions, by endpoint. */
  function subscriptions(emails: (stack: Stack) => string[]): Record<string, string> {
    const { stack, logGroup } = newStack();
    new CfnParameter(stack, 'First');
    new CfnParameter(stack, 'Second');
    new CisLogMonitoring(stack, 'Cis', { logGroup, emails: emails(stack) });
    const found = Template.fromStack(stack).findResources('AWS::SNS::Subscription');
    return Object.fromEntries(Object.entries(found).map(([id, r]: [string, any]) => [JSON.stringify(r.Properties.Endpoint), id]));
  }
  const ref = (stack: Stack, name: string) => (stack.node.findChild(name) as CfnParameter).valueAsString;

  test('adding or removing a token address, or a literal one before it, keeps the other subscriptions', () => {
    const both = subscriptions((s) => [ref(s, 'First'), ref(s, 'Second')]);
    const secondOnly = subscriptions((s) => [ref(s, 'Second')]);
    const withLiteralFirst = subscriptions((s) => ['new@example.com', ref(s, 'First'), ref(s, 'Second')]);
    expect(secondOnly['{"Ref":"Second"}']).toBe(both['{"Ref":"Second"}']);
    expect(withLiteralFirst['{"Ref":"First"}']).toBe(both['{"Ref":"First"}']);
    expect(withLiteralFirst['{"Ref":"Second"}']).toBe(both['{"Ref":"Second"}']);
  });
});

describe('alarm period', () => {
  test.each([
    ['0 seconds', Duration.seconds(0)],
    ['10 seconds', Duration.seconds(10)],
    ['30 seconds', Duration.seconds(30)],
    ['59 seconds', Duration.seconds(59)],
    ['90 seconds', Duration.seconds(90)],
  ])('%s is refused: metric filter metrics have 1-minute resolution', (_name, alarmPeriod) => {
    expect(() => synth({ alarmPeriod })).toThrow(/TestStack\/Cis: alarmPeriod .* is not a whole number of minutes. Metric filter metrics have 1-minute resolution/);
  });

  test('1 minute and 1 hour pass', () => {
    synth({ alarmPeriod: Duration.minutes(1) }).template.hasResourceProperties('AWS::CloudWatch::Alarm', { Period: 60 });
    synth({ alarmPeriod: Duration.hours(1) }).template.hasResourceProperties('AWS::CloudWatch::Alarm', { Period: 3600 });
  });
});

describe('the topic', () => {
  test('a FIFO topic is refused: e-mail cannot subscribe to it', () => {
    const { stack, logGroup } = newStack();
    const topic = new sns.Topic(stack, 'Ops', { fifo: true, topicName: 'ops' });
    expect(() => new CisLogMonitoring(stack, 'Cis', { logGroup, topic, ...ONE }))
      .toThrow(/TestStack\/Cis: topic TestStack\/Ops is a FIFO topic. E-mail endpoints can only subscribe to standard topics/);
  });

  test('a FIFO topic imported by ARN is refused', () => {
    const { stack, logGroup } = newStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:eu-west-1:111111111111:ops.fifo');
    expect(() => new CisLogMonitoring(stack, 'Cis', { logGroup, topic, ...ONE })).toThrow(/is a FIFO topic/);
  });

  test('a topic imported by ARN gets a warning naming what cannot be checked: its policy and its key', () => {
    const { stack, logGroup } = newStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:eu-west-1:111111111111:ops');
    new CisLogMonitoring(stack, 'Cis', { logGroup, topic, ...ONE, alarmNamePrefix: 'prod-' });
    const text = warnings(stack).join('\n');
    expect(text).toMatch(/topic TestStack\/Ops is imported, so its access policy and its encryption key cannot be checked or changed here/);
    expect(text).toMatch(/aws:SourceAccount 111111111111 and aws:SourceArn arn:<partition>:cloudwatch:eu-west-1:111111111111:alarm:prod-\*/);
    expect(text).toMatch(/customer managed \(not alias\/aws\/sns\)/);
  });

  test('a severity route to an imported topic gets the same warning as an imported `topic`, naming the route', () => {
    const { stack, logGroup } = newStack();
    const pager = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:eu-west-1:111111111111:pager');
    new CisLogMonitoring(stack, 'Cis', { logGroup, ...ONE, alarmNamePrefix: 'prod-', severityRoutes: [{ severities: [CisSeverity.CRITICAL], topic: pager }] });
    const text = warnings(stack).join('\n');
    expect(text).toMatch(/severityRoutes\[0\]: topic TestStack\/Pager is imported, so its access policy and its encryption key cannot be checked or changed here/);
    expect(text).toMatch(/aws:SourceAccount 111111111111 and aws:SourceArn arn:<partition>:cloudwatch:eu-west-1:111111111111:alarm:prod-\*/);
    expect(text).toMatch(/customer managed \(not alias\/aws\/sns\)/);
    // a route topic of this app: no warning
    const other = newStack();
    new CisLogMonitoring(other.stack, 'Cis', { logGroup: other.logGroup, ...ONE, severityRoutes: [{ severities: [CisSeverity.CRITICAL], topic: new sns.Topic(other.stack, 'Pager') }] });
    expect(warnings(other.stack).join('\n')).not.toMatch(/is imported/);
  });

  test('a topic of this app gets no such warning', () => {
    const { stack, logGroup } = newStack();
    new CisLogMonitoring(stack, 'Cis', { logGroup, topic: new sns.Topic(stack, 'Ops'), ...ONE });
    expect(warnings(stack)).toEqual([]);
  });
});

describe('errors name the construct path', () => {
  test('two instances with bad input give distinguishable errors', () => {
    const { stack, logGroup } = newStack();
    expect(() => new CisLogMonitoring(stack, 'Prod', { logGroup, emails: ['bad'] })).toThrow(/^CisLogMonitoring TestStack\/Prod: "bad"/);
    expect(() => new CisLogMonitoring(stack, 'Dev', { logGroup, emails: ['bad'] })).toThrow(/^CisLogMonitoring TestStack\/Dev: "bad"/);
  });

  test('a pattern-set refusal from the catalog names the construct', () => {
    expect(() => synth({ patternSet: CisPatternSet.CIS_V1_2_0, controls: [CisControl.ORGANIZATIONS_CHANGES] }))
      .toThrow(/^CisLogMonitoring TestStack\/Cis: .*CIS_V1_2_0 has no pattern/);
  });

  test('the metric filters keep the benchmark names and the single-instance template is unchanged', () => {
    synth().template.hasResourceProperties('AWS::Logs::MetricFilter', { FilterName: 'root_usage_metric', LogGroupName: { Ref: Match.anyValue() } });
  });
});

describe('env-agnostic stacks may deploy anywhere, so they are compared only with themselves', () => {
  test('two env-agnostic stacks with the same log group name and alarm prefix synthesize', () => {
    const app = new App();
    for (const id of ['Dev', 'Prod']) {
      const stack = new Stack(app, id);
      new CisLogMonitoring(stack, 'Cis', { logGroup: new logs.LogGroup(stack, 'Trail', { logGroupName: 'trail' }), ...ONE, alarmNamePrefix: 'cis-' });
    }
    expect(() => app.synth()).not.toThrow();
  });

  test('within one env-agnostic stack, clashes are still refused', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    const logGroup = new logs.LogGroup(stack, 'Trail');
    new CisLogMonitoring(stack, 'A', { logGroup, ...ONE, alarmNamePrefix: 'cis-' });
    new CisLogMonitoring(stack, 'B', { logGroup, ...ONE, alarmNamePrefix: 'cis-' });
    const message = errorsOf(app);
    expect(message).toMatch(/\[Agnostic\/B\] 1 metric filter name\(s\)/);
    expect(message).toMatch(/\[Agnostic\/B\] 1 alarm name\(s\) are also used by Agnostic\/A/);
  });
});

describe('a named log group of another stack (same environment) is the same group as its name', () => {
  test('the 100-filter count adds filters made by name in one stack to the construct on the group object in another', () => {
    const app = new App();
    const logs1 = new Stack(app, 'Logs', { env: ENV });
    const group = new logs.LogGroup(logs1, 'Trail', { logGroupName: 'org-trail' });
    for (let i = 0; i < 85; i++) { // + 15 compliance + 5 tamper filters
      new logs.MetricFilter(logs1, `Other${i}`, { logGroup: logs.LogGroup.fromLogGroupName(logs1, `ByName${i}`, 'org-trail'), filterPattern: logs.FilterPattern.allEvents(), metricNamespace: 'X', metricName: `m${i}` });
    }
    new CisLogMonitoring(new Stack(app, 'Monitoring', { env: ENV }), 'Cis', { logGroup: group, emails: ['a@example.com'] });
    expect(errorsOf(app)).toMatch(/log group Logs\/Trail would have 105 metric filters in stacks (Logs, Monitoring|Monitoring, Logs); CloudWatch Logs allows 100/);
  });
});
