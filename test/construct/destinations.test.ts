import { Stack, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_iam as iam, aws_lambda as lambda } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { newStack, synth } from './helpers';
import { CisAlarmDestinationBinding, CisExclusion, CisLogMonitoring, CisSeverity, ICisAlarmDestination } from '../../src';

// Issue 22 §2: a new destination is one class implementing ICisAlarmDestination, passed in a severity route's
// `destinations`. These two are written here, outside the library, as a user would: a Lambda function invoked by the
// alarm (with its own permission, scoped by the binding's alarm ARN pattern) and an SSM OpsItem action.

class InvokeFunction implements ICisAlarmDestination {
  private permitted = false;

  constructor(private readonly fn: lambda.IFunction) {}

  public addAlarmActions(binding: CisAlarmDestinationBinding): void {
    if (!this.permitted) {
      // One permission for every alarm of the construct (aws:SourceArn is the binding's pattern), not one per alarm.
      this.fn.addPermission('InvokedByCisAlarms', {
        principal: new iam.ServicePrincipal('lambda.alarms.cloudwatch.amazonaws.com'),
        sourceAccount: Stack.of(binding.alarm).account,
        sourceArn: binding.alarmArnPattern,
      });
      this.permitted = true;
    }
    const action: cloudwatch.IAlarmAction = { bind: () => ({ alarmActionArn: this.fn.functionArn }) };
    binding.alarm.addAlarmAction(action);
    if (binding.okNotifications) binding.alarm.addOkAction(action);
  }
}

/** Counts the alarms it received; adds the OpsItem action for ALARM only. */
class OpenOpsItem implements ICisAlarmDestination {
  public readonly received: string[] = [];

  public addAlarmActions(binding: CisAlarmDestinationBinding): void {
    this.received.push(binding.alarm.node.path);
    binding.alarm.addAlarmAction(new actions.SsmAction(actions.OpsItemSeverity.HIGH, actions.OpsItemCategory.SECURITY));
  }
}

const OPS_ITEM_ARN = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:eu-west-1:111111111111:opsitem:2#CATEGORY=Security']] };

function alarms(template: Template): Record<string, any> {
  return template.findResources('AWS::CloudWatch::Alarm');
}

function alarmNamed(template: Template, suffix: string): any {
  return Object.values(alarms(template)).find((a: any) => a.Properties.AlarmName.endsWith(suffix));
}

describe('ICisAlarmDestination: a destination is one class (issue 22 §2)', () => {
  test('a route\'s destination receives every alarm of its severities (and for CRITICAL the self-monitoring alarms), nothing else', () => {
    const opsItem = new OpenOpsItem();
    const { template, monitoring } = synth({ severityRoutes: [{ severities: [CisSeverity.CRITICAL], destinations: [opsItem] }] });
    const critical = monitoring.controls.filter((c) => c.severity === CisSeverity.CRITICAL);
    expect(critical.length).toBeGreaterThan(0);
    expect(critical.length).toBeLessThan(monitoring.controls.length);
    for (const control of monitoring.controls) {
      const actionsOf = alarmNamed(template, control.alarmName).Properties.AlarmActions;
      // The alarm topic first, as without routes; the destination after it.
      expect(actionsOf[0]).toEqual({ Ref: expect.stringMatching(/^CisTopic/) });
      expect(actionsOf.slice(1)).toEqual(control.severity === CisSeverity.CRITICAL ? [OPS_ITEM_ARN] : []);
    }
    for (const selfAlarm of ['delivery_heartbeat_alarm', 'monitoring_tamper_alarm']) {
      expect(alarmNamed(template, selfAlarm).Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^CisTopic/) }, OPS_ITEM_ARN]);
    }
    expect(opsItem.received).toHaveLength(critical.length + 2);
    // Destinations alone make no route topic.
    template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(monitoring.routeTopicsFor(CisSeverity.CRITICAL)).toEqual([]);
  });

  test('a Lambda function as a destination: its action, OK action with okNotifications, and the invoke permission', () => {
    const { stack, logGroup } = newStack();
    const fn = new lambda.Function(stack, 'Pager', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    const monitoring = new CisLogMonitoring(stack, 'Cis', {
      logGroup,
      emails: ['secops@example.com'],
      okNotifications: true,
      severityRoutes: [{ severities: [CisSeverity.CRITICAL, CisSeverity.HIGH], destinations: [new InvokeFunction(fn)] }],
    });
    const template = Template.fromStack(stack);
    const fnArn = { 'Fn::GetAtt': [stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction), 'Arn'] };
    const routed = monitoring.controls.filter((c) => [CisSeverity.CRITICAL, CisSeverity.HIGH].includes(c.severity));
    for (const control of routed) {
      const alarm = alarmNamed(template, control.alarmName).Properties;
      expect(alarm.AlarmActions).toContainEqual(fnArn);
      expect(alarm.OKActions).toContainEqual(fnArn);
    }
    const notRouted = monitoring.controls.find((c) => ![CisSeverity.CRITICAL, CisSeverity.HIGH].includes(c.severity))!;
    expect(alarmNamed(template, notRouted.alarmName).Properties.AlarmActions).not.toContainEqual(fnArn);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: fnArn,
      Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
      SourceAccount: '111111111111',
      SourceArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudwatch:eu-west-1:111111111111:alarm:${monitoring.alarmNamePrefix}*`]] },
    });
  });

  test('the operational alarm is what a route\'s destination receives when exclusions apply (as for route topics)', () => {
    const opsItem = new OpenOpsItem();
    const exclusion: CisExclusion = {
      principalArns: ['arn:aws:sts::111111111111:assumed-role/terraform-apply/*'],
      reason: 'Terraform',
      owner: 'platform',
      expires: '2099-12-31',
    };
    const { template, monitoring } = synth({
      exclusions: [exclusion],
      operationalEmails: ['oncall@example.com'],
      severityRoutes: [{ severities: [CisSeverity.CRITICAL], destinations: [opsItem] }],
    });
    const critical = monitoring.controls.find((c) => c.severity === CisSeverity.CRITICAL)!;
    expect(alarmNamed(template, `${critical.alarmName}_operational`).Properties.AlarmActions).toContainEqual(OPS_ITEM_ARN);
    expect(alarmNamed(template, critical.alarmName).Properties.AlarmActions).not.toContainEqual(OPS_ITEM_ARN);
  });

  test('a route needs a topic, subscriptions or destinations', () => {
    expect(() => synth({ severityRoutes: [{ severities: [CisSeverity.LOW] }] }))
      .toThrow('CisLogMonitoring TestStack/Cis: severityRoutes[0] has neither a topic nor subscriptions nor destinations, so its alarms would '
        + 'reach nobody. Pass `topic`, `subscriptions` or `destinations`.');
  });

  test('the built-in destinations are the same kind: the who-did-it function is added through the interface', () => {
    const { stack, template } = synth({ enrichAlarms: true });
    const whoDidIt = stack.node.findChild('Cis').node.findChild('WhoDidIt') as unknown as ICisAlarmDestination;
    expect(typeof whoDidIt.addAlarmActions).toBe('function');
    const fn = Object.keys(template.findResources('AWS::Lambda::Function')).find((id) => id.startsWith('CisWhoDidItFunction'))!;
    expect(alarmNamed(template, 'root_usage_alarm').Properties.AlarmActions).toContainEqual({ 'Fn::GetAtt': [fn, 'Arn'] });
  });
});
