import { aws_sns as sns } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { newStack, synth } from './helpers';
import { CisControl, CisLogMonitoring, CisPatternSet } from '../../src';

// One snapshot per meaningful configuration. Snapshots never update on their own (projen: updateSnapshot NEVER);
// accept a reviewed change with `npx projen test:update`.
describe('template snapshots', () => {
  test('default', () => {
    expect(synth().template.toJSON()).toMatchSnapshot();
  });

  test('SSO-aware MFA filter', () => {
    expect(synth({ ssoAwareMfaFilter: true }).template.toJSON()).toMatchSnapshot();
  });

  test.each(CisPatternSet.all().filter((s) => s !== CisPatternSet.RECOMMENDED).map((s) => [s.name, s]))('pattern set %s', (_name, patternSet) => {
    expect(synth({ patternSet }).template.toJSON()).toMatchSnapshot();
  });

  test('own topic', () => {
    const { stack, logGroup } = newStack();
    new CisLogMonitoring(stack, 'Cis', { logGroup, topic: new sns.Topic(stack, 'OpsTopic'), emails: ['secops@example.com'] });
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  test('custom control', () => {
    const custom = CisControl.custom({ id: 'ACME.1', title: 'Break-glass role used', pattern: '{ $.userIdentity.arn = "*break-glass*" }', metricName: 'break_glass_metric' });
    expect(synth({ controls: [CisControl.ROOT_ACCOUNT_USAGE, custom] }).template.toJSON()).toMatchSnapshot();
  });
});
