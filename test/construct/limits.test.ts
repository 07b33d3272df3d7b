import { readFileSync } from 'fs';
import { join } from 'path';
import { aws_sns_subscriptions as subs, aws_sqs as sqs } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { newStack, synth } from './helpers';
import { CisControl, CisLogMonitoring, CisSeverity } from '../../src';

/** CloudFormation's limit for a template passed inline (TemplateBody) rather than from S3 (TemplateURL). */
const INLINE_TEMPLATE_LIMIT = 51_200;

/** The default stack with every option of issue 10 on: exclusions on every control, routes for every severity, the digest function. */
function everythingOn(): Template {
  const { stack, logGroup } = newStack();
  const queue = new sqs.Queue(stack, 'Triage', { enforceSSL: true });
  new CisLogMonitoring(stack, 'Cis', {
    logGroup,
    emails: ['secops@example.com'],
    okNotifications: true,
    exclusions: [
      { principalArns: ['arn:aws:sts::111111111111:assumed-role/terraform-apply/*'], reason: 'nightly terraform apply', owner: 'platform-team', expires: '2099-12-31' },
      { pattern: '{ $.sourceIPAddress = "config.amazonaws.com" }', controls: [CisControl.CONFIG_CHANGES], reason: 'AWS Config', owner: 'secops', expires: '2099-12-31' },
    ],
    operationalEmails: ['oncall@example.com'],
    severityRoutes: [
      { severities: [CisSeverity.CRITICAL, CisSeverity.HIGH], subscriptions: [new subs.UrlSubscription('https://events.pagerduty.com/integration/KEY/enqueue')] },
      { severities: [CisSeverity.MEDIUM, CisSeverity.LOW], subscriptions: [new subs.SqsSubscription(queue)] },
    ],
    enrichAlarms: true,
  });
  return Template.fromStack(stack);
}

const COST_PAGE = readFileSync(join(__dirname, '..', '..', 'docs', 'cost.md'), 'utf8');
const bytes = (template: Template) => Buffer.byteLength(JSON.stringify(template.toJSON()));

describe('template size (docs/cost.md: "Template size and CloudWatch cost of the options")', () => {
  test('the default stack stays under CloudFormation\'s 51,200-byte inline limit (minified), as docs/cost.md says', () => {
    const size = bytes(synth().template);
    expect(size).toBeLessThan(INLINE_TEMPLATE_LIMIT);
    expect(COST_PAGE).toContain(`${(size / 1000).toFixed(1)} KB: inline deploy works`);
  });

  test('every option on: docs/cost.md states the measured size and, when over the inline limit, the S3 route', () => {
    const template = everythingOn();
    const size = bytes(template);
    const resources = Object.keys(template.toJSON().Resources).length;
    expect(COST_PAGE).toMatch(new RegExp(`\\| ${resources} \\| ${(size / 1000).toFixed(1).replace('.', '\\.')} KB`));
    if (size >= INLINE_TEMPLATE_LIMIT) {
      expect(COST_PAGE).toMatch(/\*\*The S3 route\*\*/);
      expect(COST_PAGE).toMatch(/--s3-bucket/);
      expect(COST_PAGE).toMatch(/--template-url/);
    }
    template.resourceCountIs('AWS::Logs::MetricFilter', 30 + 5); // + the tamper filters (docs/self-monitoring.md)
    template.resourceCountIs('AWS::CloudWatch::Alarm', 30 + 2); // + the heartbeat and tamper alarms
    template.resourceCountIs('AWS::Logs::QueryDefinition', 15);
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });

  test('docs/cost.md\'s cost table adds up: $0.30 per metric and $0.10 per alarm, per month', () => {
    const metric = 0.30;
    const alarm = 0.10;
    expect(COST_PAGE).toContain(`| the 15 controls (15 metrics, 15 alarms) | $${(15 * (metric + alarm)).toFixed(2)} |`);
    expect(COST_PAGE).toContain(`| $${(metric + alarm).toFixed(2)} (all 15: $${(15 * (metric + alarm)).toFixed(2)}) |`);
  });
});
