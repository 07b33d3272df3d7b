import { CfnParameter, aws_kms as kms, aws_logs as logs, aws_sns as sns } from 'aws-cdk-lib';
import { newStack, synth } from './helpers';
import { CisControl, CisLogMonitoring, CisLogMonitoringProps, CisPatternSet } from '../../src';

// Every bad input fails at synth with an error that names the value and the fix.
const custom = (pattern: string, metricName = 'custom_metric') => CisControl.custom({ id: 'ACME.1', title: 'Custom', pattern, metricName });

describe('bad input is a clear synth-time error', () => {
  test.each<[string, Partial<CisLogMonitoringProps>, RegExp | string]>([
    ['malformed e-mail', { emails: ['secops.example.com'] },
      'CisLogMonitoring TestStack/Cis: "secops.example.com" is not an e-mail address SNS accepts: it needs one "@" between a local part '
      + 'and a domain. Pass plain addresses like "secops@example.com" in `emails`.'],
    ['e-mail with a space', { emails: ['sec ops@example.com'] }, /"sec ops@example.com" is not an e-mail address/],
    ['duplicate e-mail (case-insensitive)', { emails: ['a@example.com', 'A@example.com'] }, /"A@example.com" is listed twice in `emails`/],
    ['empty controls', { controls: [] }, /`controls` is empty. Leave it out to deploy every control/],
    ['duplicate controls', { controls: [CisControl.VPC_CHANGES, CisControl.VPC_CHANGES] },
      'CisLogMonitoring TestStack/Cis: control 4.14 (VPC_CHANGES) is listed twice in `controls`. List each control once.'],
    ['two controls publishing the same metric', { controls: [CisControl.ROOT_ACCOUNT_USAGE, custom('{ $.a = 1 }', 'root_usage_metric')] },
      /controls 4.3 and ACME.1 both publish metric "root_usage_metric"/],
    ['custom ids that collide as construct ids',
      {
        controls: [CisControl.custom({ id: 'A-1', title: 't', pattern: '{ $.a = 1 }', metricName: 'm1' }),
          CisControl.custom({ id: 'A.1', title: 't', pattern: '{ $.a = 1 }', metricName: 'm2' })],
      },
      /custom controls "A-1" and "A.1" map to the same construct id "CustomA1"/],
    ['pattern over 1024 characters', { controls: [custom(`{ ${Array.from({ length: 60 }, (_, i) => `($.eventName = Event${i})`).join(' || ')} }`)] },
      /control ACME.1 \(Custom\) would be rejected by CloudWatch Logs: .*1024/],
    ['pattern with a syntax error names the position', { controls: [custom('{ ($.eventName = "ConsoleLogin" }')] },
      /control ACME.1 \(Custom\) would be rejected by CloudWatch Logs: Invalid filter pattern: .*position \d+/],
    ['more than 2 regex terms', { controls: [custom('{ $.a = %x% || $.b = %y% || $.c = %z% }')] }, /regex/i],
    ['regex CloudWatch Logs refuses (parentheses): synth fails, not the deploy', { controls: [custom('{ $.a = %^(a+)+$% }')] },
      /control ACME.1 \(Custom\) would be rejected by CloudWatch Logs: Invalid filter pattern: .*position 11 .*does not support parentheses/],
    ['regex with a multi-byte character', { controls: [custom('{ $.a = %café% }')] }, /multi-byte/],
    ['bare value that needs quotes', { controls: [custom('{ $.a = user@example.com }')] }, /a value with "@" must be in double quotes/],
    ['namespace with a character AWS rejects', { metricNamespace: 'CIS Benchmark' }, /metricNamespace "CIS Benchmark" is not valid/],
    ['empty namespace', { metricNamespace: '' }, /metricNamespace "" is not valid/],
    ['reserved AWS/ namespace', { metricNamespace: 'AWS/Logs' }, /starts with "AWS\/", which is reserved/],
    ['metric name with a colon', { controls: [custom('{ $.a = 1 }', 'bad:name')] }, /metric name "bad:name" of control ACME.1 is not valid/],
    ['metric name with a dollar', { controls: [custom('{ $.a = 1 }', 'cost$')] }, /metric name "cost\$" of control ACME.1 is not valid/],
    ['alarm name over 255 characters', { alarmNamePrefix: 'x'.repeat(250) }, /alarm name of control 4.1 has 278 characters; CloudWatch allows 255/],
    ['threshold of zero', { alarmThreshold: 0 }, /alarmThreshold 0 would never or always alarm/],
    ['threshold below one event', { alarmThreshold: 0.5 }, /alarmThreshold 0.5 would never or always alarm. Use a count of events of at least 1/],
    ['SSO variant with v1.2.0', { patternSet: CisPatternSet.CIS_V1_2_0, ssoAwareMfaFilter: true }, /CIS_V1_2_0 has no SSO-aware variant/],
    ['Organizations control with v1.2.0', { patternSet: CisPatternSet.CIS_V1_2_0, controls: [CisControl.ORGANIZATIONS_CHANGES] },
      /CIS_V1_2_0 has no pattern for .*no AWS Organizations control/],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  test('a bad pattern fails every time, not only the first (validation results are cached per pattern text)', () => {
    const bad = { controls: [custom('{ ($.eventName = "ConsoleLogin" }')] };
    expect(() => synth(bad)).toThrow(/would be rejected by CloudWatch Logs/);
    expect(() => synth(bad)).toThrow(/would be rejected by CloudWatch Logs/);
  });

  test('missing log group', () => {
    const { stack } = newStack();
    expect(() => new CisLogMonitoring(stack, 'Cis', {} as CisLogMonitoringProps)).toThrow(/`logGroup` is required/);
  });

  test('the AWS managed key alias/aws/sns is refused, with the reason', () => {
    const { stack, logGroup } = newStack();
    const awsManaged = kms.Alias.fromAliasName(stack, 'SnsManaged', 'alias/aws/sns');
    expect(() => new CisLogMonitoring(stack, 'Cis', { logGroup, topicEncryptionKey: awsManaged, emails: ['a@example.com'] }))
      .toThrow(/topicEncryptionKey is the AWS managed key alias\/aws\/sns. CloudWatch alarms cannot publish to a topic encrypted with it/);
  });

  test('a topic of yours encrypted with alias/aws/sns is refused too', () => {
    const { stack, logGroup } = newStack();
    const topic = new sns.Topic(stack, 'Ops', { masterKey: kms.Alias.fromAliasName(stack, 'SnsManaged', 'alias/aws/sns') });
    expect(() => new CisLogMonitoring(stack, 'Cis', { logGroup, topic, emails: ['a@example.com'] }))
      .toThrow(/the topic you passed is encrypted with the AWS managed key alias\/aws\/sns/);
  });

  test('topic and topicEncryptionKey together are contradictory', () => {
    const { stack, logGroup } = newStack();
    expect(() => new CisLogMonitoring(stack, 'Cis', { logGroup, topic: new sns.Topic(stack, 'Ops'), topicEncryptionKey: new kms.Key(stack, 'K') }))
      .toThrow(/pass either `topic` or `topicEncryptionKey`, not both/);
  });

  test('more than 100 metric filters on one log group fails synth, counting the filters already there', () => {
    const { app, stack, logGroup } = newStack();
    for (let i = 0; i < 85; i++) { // + 15 compliance + 5 tamper filters
      new logs.MetricFilter(stack, `Other${i}`, { logGroup, filterPattern: logs.FilterPattern.allEvents(), metricNamespace: 'X', metricName: `m${i}` });
    }
    new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['a@example.com'] });
    expect(() => app.synth()).toThrow(/log group TestStack\/TrailLogGroup would have 105 metric filters in stack TestStack; CloudWatch Logs allows 100/);
  });

  test('exactly 100 metric filters is fine, and filters on other log groups do not count', () => {
    const { app, stack, logGroup } = newStack();
    const other = new logs.LogGroup(stack, 'Other');
    for (let i = 0; i < 80; i++) { // + 15 compliance + 5 tamper filters
      new logs.MetricFilter(stack, `Same${i}`, { logGroup, filterPattern: logs.FilterPattern.allEvents(), metricNamespace: 'X', metricName: `m${i}` });
      new logs.MetricFilter(stack, `Other${i}`, { logGroup: other, filterPattern: logs.FilterPattern.allEvents(), metricNamespace: 'X', metricName: `m${i}` });
    }
    new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['a@example.com'] });
    expect(() => app.synth()).not.toThrow();
  });

  test('unresolved tokens pass (namespace, prefix)', () => {
    const { app, stack, logGroup } = newStack();
    const ns = new CfnParameter(stack, 'Ns').valueAsString;
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    new CisLogMonitoring(stack, 'Cis', { logGroup, metricNamespace: ns, alarmNamePrefix: prefix, emails: ['a@example.com'] });
    const alarm = app.synth().getStackByName('TestStack').template.Resources.CisRootAccountUsageAlarm5F6E3356;
    expect(alarm?.Properties.Namespace).toEqual({ Ref: 'Ns' });
  });
});

describe('at most 5 filter patterns containing a regex per log group (metric and subscription filters)', () => {
  // "Supported regular expressions (regex) syntax", Quotas: "There is a maximum of 5 filter patterns containing regex for
  // each log group when creating metric filters or subscription filters."
  const regexControl = (i: number) => CisControl.custom({ id: `RX.${i}`, title: `Regex ${i}`, pattern: `{ $.eventName = %^Put${i}% }`, metricName: `rx_${i}` });
  const regexControls = (n: number) => Array.from({ length: n }, (_, i) => regexControl(i));

  test('six regex controls on one log group fail synth, naming the filters', () => {
    const { app, stack, logGroup } = newStack();
    new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['a@example.com'], controls: regexControls(6) });
    expect(() => app.synth()).toThrow(
      /log group TestStack\/TrailLogGroup would have 6 filter patterns containing a regex .*TestStack\/Cis\/CustomRX0\/MetricFilter\/Resource.*CloudWatch Logs allows 5 per log group/);
  });

  test('five are fine, and so are any number of patterns without a regex (the catalog has none)', () => {
    const { app, stack, logGroup } = newStack();
    new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['a@example.com'], additionalControls: regexControls(5) });
    expect(() => app.synth()).not.toThrow();
  });

  test('regex filters already on the group count: metric filters and subscription filters of any pattern kind', () => {
    const { app, stack, logGroup } = newStack();
    new logs.MetricFilter(stack, 'TextRegex', { logGroup, filterPattern: logs.FilterPattern.literal('%ERROR [0-9]+%'), metricNamespace: 'X', metricName: 'm1' });
    new logs.CfnSubscriptionFilter(stack, 'SubRegex', {
      logGroupName: logGroup.logGroupName, filterPattern: '[ip=%10\\.0\\.%, user]', destinationArn: 'arn:aws:lambda:us-east-1:111111111111:function:f',
    });
    new logs.MetricFilter(stack, 'NoRegex', { logGroup, filterPattern: logs.FilterPattern.literal('"100% CPU"'), metricNamespace: 'X', metricName: 'm2' });
    new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['a@example.com'], controls: regexControls(4) });
    expect(() => app.synth()).toThrow(/would have 6 filter patterns containing a regex .*TestStack\/TextRegex\/Resource.*TestStack\/SubRegex/);
  });

  test('regex filters on another log group do not count, and an instance without regex terms reports nothing', () => {
    const { app, stack, logGroup } = newStack();
    const other = new logs.LogGroup(stack, 'Other');
    for (let i = 0; i < 6; i++) {
      new logs.MetricFilter(stack, `OtherRegex${i}`, { logGroup: other, filterPattern: logs.FilterPattern.literal(`%x${i}%`), metricNamespace: 'X', metricName: `o${i}` });
      if (i < 5) new logs.MetricFilter(stack, `SameRegex${i}`, { logGroup, filterPattern: logs.FilterPattern.literal(`%y${i}%`), metricNamespace: 'X', metricName: `s${i}` });
    }
    new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['a@example.com'] });
    expect(() => app.synth()).not.toThrow();
  });
});
