import { CisControl, CisPatternSet } from '../../src';
import { checkTemplates } from '../../src/verdicts/check';
import { evaluate, glob } from '../../src/verdicts/policy';

/**
 * A hand-written template in the style of the AWS CLI remediation steps (not made with this library): one trail
 * delivering to a log group, and for each control a filter, an alarm, a topic with a subscription.
 */
function handWritten(controls: CisControl[] = CisControl.all()): any {
  const resources: Record<string, any> = {
    TrailLogs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: 'org-trail-logs' } },
    Trail: {
      Type: 'AWS::CloudTrail::Trail',
      Properties: {
        IsLogging: true,
        IsMultiRegionTrail: true,
        S3BucketName: 'trail-bucket',
        CloudWatchLogsLogGroupArn: { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:org-trail-logs:*' },
        CloudWatchLogsRoleArn: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/trail-to-logs' },
      },
    },
    Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'cis-alerts' } },
    AlertsMail: { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: { Ref: 'Alerts' }, Protocol: 'email', Endpoint: 'sec@example.com' } },
  };
  for (const control of controls) {
    const id = control.constructId;
    resources[`${id}Filter`] = {
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: 'org-trail-logs',
        FilterPattern: control.patternFor(CisPatternSet.CIS_V3_0_0),
        MetricTransformations: [{ MetricName: control.metricName, MetricNamespace: 'CISBenchmark', MetricValue: '1' }],
      },
    };
    resources[`${id}Alarm`] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        MetricName: control.metricName,
        Namespace: 'CISBenchmark',
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: [{ Ref: 'Alerts' }],
      },
    };
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Resources: resources };
}

const check = (template: unknown, options = {}) => checkTemplates([{ name: 'T', template }], options);
const verdictOf = (template: unknown, key = 'ROOT_ACCOUNT_USAGE') => check(template).controls.find((c) => c.key === key);
const all = (template: unknown) => [...new Set(check(template).controls.map((c) => c.verdict))];

describe('check on hand-written templates (the issue 18 cases outside the mutation suite)', () => {
  test('a complete chain for every control passes, and says what a template cannot see', () => {
    const result = check(handWritten());
    expect(result.verdict).toBe('PASS');
    expect(result.findings).toEqual([]);
    expect(result.unseen[0]).toMatch(/whether subscriptions were confirmed/);
  });

  test('NEGATIVE: no trail and every pattern off by a trailing space is FAIL, not "nothing to check"', () => {
    const t = handWritten();
    delete t.Resources.Trail;
    for (const r of Object.values<any>(t.Resources)) if (r.Type === 'AWS::Logs::MetricFilter') r.Properties.FilterPattern += ' ';
    const result = check(t);
    expect(result.nothingToCheck).toBeUndefined();
    expect(result.verdict).toBe('FAIL');
    expect(result.findings[0].message).toMatch(/differs from a pattern of any CIS pattern set only in whitespace/);
  });

  test('NEGATIVE: every alarm with ActionsEnabled false and the trail\'s group an Fn::ImportValue is never PASS', () => {
    const t = handWritten();
    t.Resources.Trail.Properties.CloudWatchLogsLogGroupArn = { 'Fn::ImportValue': 'org-trail-group-arn' };
    for (const r of Object.values<any>(t.Resources)) if (r.Type === 'AWS::CloudWatch::Alarm') r.Properties.ActionsEnabled = false;
    expect(all(t)).toEqual(['FAIL']);
    expect(check(t).findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['CIS-MON-TRAIL-CLOUDWATCH-LOGS', 'CIS-MON-ALARM-ACTIONS-ENABLED']));
  });

  test('the trail\'s group imported, the rest complete: UNKNOWN, not PASS', () => {
    const t = handWritten();
    t.Resources.Trail.Properties.CloudWatchLogsLogGroupArn = { 'Fn::ImportValue': 'org-trail-group-arn' };
    expect(all(t)).toEqual(['UNKNOWN']);
  });

  test('nothing to check (an unrelated template, an empty CDK stack) is UNKNOWN', () => {
    expect(check({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } })).toMatchObject({ verdict: 'UNKNOWN', nothingToCheck: expect.stringMatching(/nothing to check/) });
    expect(check({ Parameters: { BootstrapVersion: { Type: 'String' } } }).verdict).toBe('UNKNOWN');
    expect(() => check({ Resources: [] })).toThrow(/not a CloudFormation template/);
  });

  test('with a pattern set, another set\'s text fails and names the set', () => {
    const result = check(handWritten(), { patternSet: CisPatternSet.CIS_V1_2_0 });
    expect(result.verdict).toBe('FAIL');
    expect(result.findings.find((f) => f.rule === 'CIS-MON-FILTER-PRESENT')?.message).toMatch(/has the text of .*; expected CIS_V1_2_0's pattern/);
  });

  test('the right filter on another log group is named as such', () => {
    const t = handWritten();
    t.Resources.RootAccountUsageFilter.Properties.LogGroupName = '/aws/lambda/something-else';
    expect(verdictOf(t)).toMatchObject({ verdict: 'FAIL', reason: expect.stringMatching(/has the pattern but is on another log group, not on the trail's TrailLogs/) });
  });

  test('a topic outside the template is UNKNOWN (its subscribers are not seen), not PASS', () => {
    const t = handWritten();
    for (const r of Object.values<any>(t.Resources)) if (r.Type === 'AWS::CloudWatch::Alarm') r.Properties.AlarmActions = ['arn:aws:sns:eu-west-1:999999999999:central-alerts'];
    expect(all(t)).toEqual(['UNKNOWN']);
    expect(check(t).findings[0]).toMatchObject({ rule: 'CIS-MON-TOPIC-VISIBLE', message: expect.stringMatching(/not in template T: its policy, key and subscriptions are not checked/) });
  });

  test('metric-math alarms: one MetricStat is followed; an expression is UNKNOWN', () => {
    const t = handWritten();
    const alarm = t.Resources.RootAccountUsageAlarm.Properties;
    delete alarm.MetricName;
    delete alarm.Namespace;
    delete alarm.Statistic;
    alarm.Metrics = [{ Id: 'm1', MetricStat: { Metric: { MetricName: 'root_usage_metric', Namespace: 'CISBenchmark' }, Period: 300, Stat: 'Sum' } }];
    expect(verdictOf(t)?.verdict).toBe('PASS');
    alarm.Metrics[0].ReturnData = false;
    alarm.Metrics.push({ Id: 'e1', Expression: 'm1 * 0' });
    expect(verdictOf(t)).toMatchObject({ verdict: 'UNKNOWN', reason: expect.stringMatching(/metric-math expression/) });
  });

  test('a key that does not grant CloudWatch fails; with the grant it passes', () => {
    const t = handWritten();
    t.Resources.Key = {
      Type: 'AWS::KMS::Key',
      Properties: { KeyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' }] } },
    };
    t.Resources.Alerts.Properties.KmsMasterKeyId = { 'Fn::GetAtt': ['Key', 'Arn'] };
    expect(all(t)).toEqual(['FAIL']);
    t.Resources.Key.Properties.KeyPolicy.Statement.push({
      Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*',
    });
    expect(all(t)).toEqual(['PASS']);
    t.Resources.KeyAlias = { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/cis', TargetKeyId: { Ref: 'Key' } } };
    t.Resources.Alerts.Properties.KmsMasterKeyId = 'alias/cis';
    expect(all(t)).toEqual(['PASS']);
  });

  test('filter policies: {"exists": false} on attributes lets the alarm through; a body policy on the alarm name is evaluated', () => {
    const t = handWritten();
    t.Resources.AlertsMail.Properties.FilterPolicy = { severity: [{ exists: false }] };
    expect(all(t)).toEqual(['PASS']);
    t.Resources.AlertsMail.Properties.FilterPolicyScope = 'MessageBody';
    t.Resources.AlertsMail.Properties.FilterPolicy = { NewStateValue: ['ALARM'], AlarmName: [{ prefix: 'cis-' }] };
    for (const r of Object.values<any>(t.Resources)) if (r.Type === 'AWS::CloudWatch::Alarm') r.Properties.AlarmName = `cis-${r.Properties.MetricName}`;
    expect(all(t)).toEqual(['PASS']);
    t.Resources.AlertsMail.Properties.FilterPolicy = { AlarmName: [{ prefix: 'ops-' }] };
    expect(all(t)).toEqual(['FAIL']);
  });

  test('a trail excluding rdsdata.amazonaws.com warns only the controls that match any source', () => {
    const t = handWritten();
    t.Resources.Trail.Properties.EventSelectors = [{ ExcludeManagementEventSources: ['rdsdata.amazonaws.com'] }];
    const result = check(t);
    expect(result.controls.find((c) => c.key === 'UNAUTHORIZED_API_CALLS')?.verdict).toBe('WARNING');
    expect(result.controls.find((c) => c.key === 'CMK_DISABLE_OR_DELETION')?.verdict).toBe('PASS');
  });
});

describe('the policy evaluator', () => {
  test('symbolic parts are undecidable against literals, equal to themselves', () => {
    expect(glob('arn:aws:cloudwatch:*:*:alarm:cis-*', 'arn:{{Partition}}:cloudwatch:{{Region}}:{{AccountId}}:alarm:cis-root')).toBe('maybe');
    expect(glob('arn:*:cloudwatch:*:*:alarm:cis-*', 'arn:{{Partition}}:cloudwatch:{{Region}}:{{AccountId}}:alarm:cis-root')).toBe(true);
    expect(glob('arn:*:cloudwatch:*:*:alarm:ops-*', 'arn:{{Partition}}:cloudwatch:{{Region}}:{{AccountId}}:alarm:cis-root')).toBe(false);
    expect(glob('arn:*:cloudwatch:*:*:alarm:cis-*', 'arn:aws:cloudwatch:eu-west-1:1:alarm:{{generated/S/A}}')).toBe('maybe');
  });

  test('Deny beats Allow; an undecidable Deny makes it unknown; an Allow whose condition fails is an implicit deny', () => {
    const allow = { Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: '*' };
    const request = { service: 'cloudwatch.amazonaws.com', action: 'sns:Publish', resource: 'arn:aws:sns:eu-west-1:1:t', context: { 'aws:sourceaccount': '1' } };
    expect(evaluate({ Statement: [allow] }, request).decision).toBe('allow');
    expect(evaluate({ Statement: [allow, { ...allow, Effect: 'Deny' }] }, request).decision).toBe('deny');
    expect(evaluate({ Statement: [allow, { ...allow, Effect: 'Deny', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }] }, request).decision).toBe('unknown');
    expect(evaluate({ Statement: [{ ...allow, Condition: { StringEquals: { 'aws:SourceAccount': '2' } } }] }, request).decision).toBe('implicit-deny');
    expect(evaluate({ Statement: [{ ...allow, Condition: { StringEqualsIfExists: { 'aws:SourceArn': 'x' } } }] }, { ...request, context: { ...request.context, 'aws:sourcearn': undefined } }).decision).toBe('allow');
  });
});

describe('topic policies', () => {
  test('two topic policies on one topic (each replaces the other): UNKNOWN, even when one of them allows CloudWatch', () => {
    const t = handWritten();
    const statement = (effect: string) => ({ Effect: effect, Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: { Ref: 'Alerts' } });
    t.Resources.AllowPolicy = { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ Ref: 'Alerts' }], PolicyDocument: { Statement: [statement('Allow')] } } };
    expect(all(t)).toEqual(['PASS']);
    t.Resources.OtherPolicy = { Type: 'AWS::SNS::TopicPolicy', Properties: { Topics: [{ Ref: 'Alerts' }], PolicyDocument: { Statement: [] } } };
    expect(all(t)).toEqual(['UNKNOWN']);
    expect(check(t).findings[0].message).toMatch(/topic policies AllowPolicy, OtherPolicy each replace the policy of one topic/);
  });
});
