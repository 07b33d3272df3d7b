import { App, DefaultStackSynthesizer, Stack, aws_logs as logs } from 'aws-cdk-lib';
import { CisMonitoringDemoStack } from '../../examples/demo-stack';
import { CisLogMonitoring, CisPatternSet } from '../../src';

/** The log group of every test app (a fixed name, so that the test can create the trail that delivers to it). */
export const TEST_LOG_GROUP = 'cis-e2e-trail-logs';

/** The subscriber every app subscribes. */
export const TEST_EMAIL = 'secops@example.com';

/** A synthesized stack: its name and template. */
export interface SynthesizedApp {
  readonly stackName: string;
  readonly template: any;
  /** The app, for gates that need the construct tree (cdk-nag). */
  readonly app: App;
}

/** The demo app of the README (examples/demo-stack.ts): a multi-region trail, its log group, CisLogMonitoring. */
export function demoApp(app = new App()): SynthesizedApp {
  const stack = new CisMonitoringDemoStack(app, 'CisMonitoringDemo');
  return { stackName: stack.stackName, template: app.synth().getStackByName(stack.stackName).template, app };
}

/** Options of a test app. */
export interface TestAppOptions {
  readonly patternSet?: CisPatternSet;
  readonly ssoAwareMfaFilter?: boolean;
  /** Default: the CDK bootstrap version rule and parameter are left out (the demo app keeps them). */
  readonly bootstrapRule?: boolean;
}

/**
 * A test app: only the construct on a log group (`TEST_LOG_GROUP`); the trail is created by the
 * test through the CloudTrail API, like an account whose trail is managed elsewhere.
 */
export function testApp(id: string, options: TestAppOptions = {}, app = new App()): SynthesizedApp {
  const stack = buildTestStack(app, id, options);
  return { stackName: stack.stackName, template: app.synth().getStackByName(stack.stackName).template, app };
}

/** The stack of `testApp`, not synthesized (so that gates can still add metadata). */
export function buildTestStack(app: App, id: string, options: TestAppOptions = {}): Stack {
  const stack = new Stack(app, id, {
    synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: options.bootstrapRule ?? false }),
  });
  const logGroup = new logs.LogGroup(stack, 'TrailLogs', { logGroupName: TEST_LOG_GROUP, retention: logs.RetentionDays.ONE_YEAR });
  new CisLogMonitoring(stack, 'Cis', {
    logGroup,
    emails: [TEST_EMAIL],
    patternSet: options.patternSet,
    ssoAwareMfaFilter: options.ssoAwareMfaFilter,
  });
  return stack;
}

/** A stack name from a pattern set name (`CIS_V1_2_0` → `CisE2E-CIS-V1-2-0`). */
export function stackNameFor(prefix: string, patternSet: CisPatternSet, sso = false): string {
  return `${prefix}-${patternSet.name.replace(/_/g, '-')}${sso ? '-SSO' : ''}`;
}
