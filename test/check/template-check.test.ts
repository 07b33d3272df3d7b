import { App, Stack, aws_cloudtrail as cloudtrail, aws_logs as logs } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CisControl, CisLogMonitoring, CisPatternSet } from '../../src';
import { CHECK_RULES, checkTemplate } from '../../src/check/template-check';

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
        CloudWatchLogsRoleArn: 'arn:aws:iam::111111111111:role/trail-to-logs',
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

const errors = (result: ReturnType<typeof checkTemplate>) => result.findings.filter((f) => f.severity === 'ERROR');

describe('check: hand-written templates', () => {
  test('complete chain for every control passes', () => {
    const result = checkTemplate(handWritten());
    expect(errors(result)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.logGroups).toEqual(['TrailLogs (org-trail-logs)']);
    expect(result.controls).toHaveLength(15);
    expect(result.controls.every((c) => c.status === 'PASS')).toBe(true);
  });

  test('NEGATIVE: a control without a filter on the trail log group fails, naming it', () => {
    const result = checkTemplate(handWritten(CisControl.all().filter((c) => c !== CisControl.ROOT_ACCOUNT_USAGE)));
    expect(result.passed).toBe(false);
    expect(errors(result)).toEqual([expect.objectContaining({
      rule: CHECK_RULES.MISSING_CONTROL,
      logicalIds: ['TrailLogs'],
      message: expect.stringMatching(/^control 4\.3 \(.*root.*\): no metric filter with a pattern of any CIS pattern set on the trail log group TrailLogs/i),
    })]);
  });

  test('NEGATIVE: the right filter on the wrong log group does not count', () => {
    const template = handWritten();
    template.Resources.RootAccountUsageFilter.Properties.LogGroupName = '/aws/lambda/something-else';
    const result = checkTemplate(template);
    expect(errors(result).map((f) => f.message)).toEqual([
      expect.stringMatching(/control 4\.3 .*has the pattern but is on another log group, not on the trail's TrailLogs/),
    ]);
  });

  test('NEGATIVE: alarm on a metric name no filter publishes (terraform-aws-cloudwatch #14/#31)', () => {
    const template = handWritten();
    template.Resources.RootAccountUsageAlarm.Properties.MetricName = 'RootAccountUsage';
    const result = checkTemplate(template);
    const rules = errors(result).map((f) => [f.rule, f.logicalIds[0]]);
    expect(rules).toEqual(expect.arrayContaining([
      [CHECK_RULES.ORPHAN_ALARM, 'RootAccountUsageAlarm'],
      [CHECK_RULES.CHAIN_BROKEN, 'RootAccountUsageFilter'],
    ]));
    expect(result.controls.find((c) => c.key === 'ROOT_ACCOUNT_USAGE')).toMatchObject({ status: 'FAIL', reason: 'no alarm on metric CISBenchmark/root_usage_metric' });
  });

  test('NEGATIVE: alarm in another namespace than the filter publishes to', () => {
    const template = handWritten();
    template.Resources.VpcChangesAlarm.Properties.Namespace = 'CIS';
    const result = checkTemplate(template);
    expect(result.controls.find((c) => c.key === 'VPC_CHANGES')?.status).toBe('FAIL');
    expect(result.passed).toBe(false);
  });

  test('NEGATIVE: alarm with actions disabled, without an SNS action, topic without subscription', () => {
    const template = handWritten();
    template.Resources.VpcChangesAlarm.Properties.ActionsEnabled = false;
    template.Resources.NaclChangesAlarm.Properties.AlarmActions = ['arn:aws:automate:us-east-1:ec2:stop'];
    delete template.Resources.AlertsMail;
    const result = checkTemplate(template);
    const messages = errors(result).map((f) => f.message);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/alarm VpcChangesAlarm has its actions disabled/),
      expect.stringMatching(/alarm NaclChangesAlarm has no SNS topic among its AlarmActions/),
      expect.stringMatching(/topic Alerts .*has no subscription/),
    ]));
    expect(result.controls.filter((c) => c.status === 'PASS')).toEqual([]);
  });

  test('NEGATIVE: topic encrypted with alias/aws/sns, or with a key that does not grant CloudWatch', () => {
    const managed = handWritten();
    managed.Resources.Alerts.Properties.KmsMasterKeyId = 'alias/aws/sns';
    expect(errors(checkTemplate(managed))[0]).toMatchObject({ rule: CHECK_RULES.KEY_GRANT, message: expect.stringMatching(/alias\/aws\/sns/) });

    const ungranted = handWritten();
    ungranted.Resources.Key = {
      Type: 'AWS::KMS::Key',
      Properties: {
        KeyPolicy: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'kms:*', Resource: '*' },
          ],
        },
      },
    };
    ungranted.Resources.Alerts.Properties.KmsMasterKeyId = { 'Fn::GetAtt': ['Key', 'Arn'] };
    expect(errors(checkTemplate(ungranted))[0]).toMatchObject({
      rule: CHECK_RULES.KEY_GRANT, logicalIds: ['Key', 'Alerts'], message: expect.stringMatching(/does not allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey/),
    });

    // POSITIVE: the same key with the grant.
    ungranted.Resources.Key.Properties.KeyPolicy.Statement.push({
      Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*',
    });
    expect(checkTemplate(ungranted).passed).toBe(true);
  });

  test('NEGATIVE: trail not multi-region, trail stopped, trail without CloudWatch Logs', () => {
    const single = handWritten();
    single.Resources.Trail.Properties.IsMultiRegionTrail = false;
    single.Resources.Trail.Properties.IsLogging = false;
    expect(errors(checkTemplate(single)).map((f) => f.rule)).toEqual([CHECK_RULES.SINGLE_REGION_TRAIL, CHECK_RULES.TRAIL_NOT_LOGGING]);

    const noLogs = handWritten();
    delete noLogs.Resources.Trail.Properties.CloudWatchLogsLogGroupArn;
    expect(errors(checkTemplate(noLogs))[0]).toMatchObject({ rule: CHECK_RULES.NO_CLOUDWATCH_TRAIL, logicalIds: ['Trail'] });
  });

  test('NEGATIVE: a pattern that differs only in whitespace fails and says why', () => {
    const template = handWritten();
    template.Resources.RootAccountUsageFilter.Properties.FilterPattern = template.Resources.RootAccountUsageFilter.Properties.FilterPattern.replace(/ /g, '  ');
    expect(errors(checkTemplate(template))[0].message).toMatch(/differs from a pattern of any CIS pattern set only in whitespace/);
  });

  test('with a pattern set, another set\'s text fails and names the set', () => {
    const template = handWritten();
    const result = checkTemplate(template, { patternSet: CisPatternSet.CIS_V1_2_0 });
    const first = errors(result)[0];
    expect(first.message).toMatch(/has the text of .*; expected CIS_V1_2_0's pattern/);
  });

  test('no trail in the template: the log group of the CIS filters is the trail\'s, or the one named', () => {
    const template = handWritten();
    delete template.Resources.Trail;
    delete template.Resources.TrailLogs;
    expect(checkTemplate(template)).toMatchObject({ passed: true, logGroups: ["'org-trail-logs'"] });
    const named = checkTemplate(template, { logGroupNames: ['aws-controltower/CloudTrailLogs'] });
    expect(named.passed).toBe(false);
    expect(errors(named)).toHaveLength(15);
  });

  test('an unrelated template is not applicable and passes', () => {
    const result = checkTemplate({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } } });
    expect(result).toMatchObject({ applicable: false, passed: true, findings: [] });
  });

  test('an app alarm in another namespace is not an orphan', () => {
    const template = handWritten();
    template.Resources.Latency = { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Latency', Namespace: 'MyApp', AlarmActions: [] } };
    expect(checkTemplate(template).passed).toBe(true);
  });

  test('metric math alarms (Metrics with MetricStat) are followed', () => {
    const template = handWritten();
    const alarm = template.Resources.RootAccountUsageAlarm.Properties;
    delete alarm.MetricName;
    delete alarm.Namespace;
    alarm.Metrics = [{ Id: 'm1', MetricStat: { Metric: { MetricName: 'root_usage_metric', Namespace: 'CISBenchmark' }, Period: 300, Stat: 'Sum' } }];
    expect(checkTemplate(template).passed).toBe(true);
    alarm.Metrics[0].MetricStat.Metric.MetricName = 'root_usage';
    expect(checkTemplate(template).passed).toBe(false);
  });

  test('a topic outside the template is a warning, not a pass claim about its subscribers', () => {
    const template = handWritten();
    for (const r of Object.values<any>(template.Resources)) {
      if (r.Type === 'AWS::CloudWatch::Alarm') r.Properties.AlarmActions = ['arn:aws:sns:eu-west-1:999999999999:central-alerts'];
    }
    const result = checkTemplate(template);
    expect(result.passed).toBe(true);
    expect(result.findings.filter((f) => f.rule === CHECK_RULES.UNVERIFIABLE).length).toBeGreaterThan(0);
  });

  test('not a template is an error; an empty CDK stack is not applicable', () => {
    expect(() => checkTemplate({ Resources: [] })).toThrow(/not a CloudFormation template/);
    expect(() => checkTemplate('text')).toThrow(/not a CloudFormation template/);
    expect(checkTemplate({ Parameters: { BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>' } } })).toMatchObject({ applicable: false, passed: true });
  });
});

describe('check: the library\'s own synth output', () => {
  function synthesized(configure: (stack: Stack, logGroup: logs.ILogGroup) => void): any {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    const logGroup = new logs.LogGroup(stack, 'TrailLogs');
    new cloudtrail.Trail(stack, 'Trail', { sendToCloudWatchLogs: true, cloudWatchLogGroup: logGroup, isMultiRegionTrail: true });
    configure(stack, logGroup);
    return Template.fromStack(stack).toJSON();
  }

  test('CisLogMonitoring on the trail\'s log group passes', () => {
    const result = checkTemplate(synthesized((stack, logGroup) => new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['sec@example.com'] })));
    expect(errors(result)).toEqual([]);
    expect(result.controls).toHaveLength(15);
    expect(result.controls.every((c) => c.status === 'PASS')).toBe(true);
    expect(result.controls[0].reason).toMatch(/^filter Cis.*MetricFilter.* → alarm Cis.*Alarm.* → topic CisTopic.* → subscription$/);
  });

  test('NEGATIVE: without a subscriber the chain is broken', () => {
    const result = checkTemplate(synthesized((stack, logGroup) => new CisLogMonitoring(stack, 'Cis', { logGroup })));
    expect(result.passed).toBe(false);
    expect(errors(result)[0].message).toMatch(/topic CisTopic\w+ .*has no subscription/);
  });

  test('NEGATIVE: monitoring on another log group than the trail\'s fails every control', () => {
    const result = checkTemplate(synthesized((stack) => new CisLogMonitoring(stack, 'Cis', {
      logGroup: new logs.LogGroup(stack, 'OtherLogs'), emails: ['sec@example.com'],
    })));
    expect(errors(result)).toHaveLength(15);
    expect(errors(result).every((f) => f.rule === CHECK_RULES.MISSING_CONTROL)).toBe(true);
  });

  test('NEGATIVE: a subset of controls fails the missing ones', () => {
    const result = checkTemplate(synthesized((stack, logGroup) => new CisLogMonitoring(stack, 'Cis', {
      logGroup, emails: ['sec@example.com'], controls: [CisControl.ROOT_ACCOUNT_USAGE],
    })));
    expect(errors(result)).toHaveLength(14);
    expect(result.controls.filter((c) => c.status === 'PASS').map((c) => c.key)).toEqual(['ROOT_ACCOUNT_USAGE']);
  });
});
