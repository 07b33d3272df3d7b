import { App, Stack, aws_logs as logs } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CisLogMonitoring, CisLogMonitoringProps } from '../../src';

/** A fresh stack with a trail log group, as users have it. */
export function newStack(): { app: App; stack: Stack; logGroup: logs.LogGroup } {
  const app = new App();
  const stack = new Stack(app, 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const logGroup = new logs.LogGroup(stack, 'TrailLogGroup');
  return { app, stack, logGroup };
}

/** Synthesizes one CisLogMonitoring with these props (logGroup filled in). */
export function synth(props: Partial<CisLogMonitoringProps> = {}): { stack: Stack; template: Template; monitoring: CisLogMonitoring } {
  const { stack, logGroup } = newStack();
  const monitoring = new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['secops@example.com'], ...props });
  return { stack, template: Template.fromStack(stack), monitoring };
}

/** The controls' metric filter patterns (compliance and operational) by metric name; the tamper control's filters are left out. */
export function patternsByMetric(template: Template): Record<string, string> {
  const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).filter((f: any) => !isTamperFilter(f));
  return Object.fromEntries(filters.map((f: any) => [f.Properties.MetricTransformations[0].MetricName, f.Properties.FilterPattern]));
}

/** Whether a template resource is one of the tamper control's metric filters (issue 20 §2) or its alarm. */
export function isTamperFilter(resource: any): boolean {
  return resource.Properties?.MetricTransformations?.[0]?.MetricName === 'monitoring_tamper_metric';
}

/** Whether a template resource is one of the self-monitoring resources of issue 20 (heartbeat alarm, tamper filters and alarm). */
export function isSelfMonitoring(resource: any): boolean {
  return isTamperFilter(resource) || ['monitoring_tamper_metric', 'IncomingLogEvents'].includes(resource.Properties?.MetricName);
}

export function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('.*')).map((w) => String(w.entry.data));
}

/** Renders a CloudFormation value as text, with `{ Ref: X }` as `${X}`, so that ARNs built with Fn::Join can be compared. */
export function cfnText(value: any): string {
  if (typeof value === 'string') return value;
  if (value?.Ref) return `\${${value.Ref}}`;
  if (value?.['Fn::Join']) return value['Fn::Join'][1].map(cfnText).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}
