import { App, Duration, Stack, aws_cloudtrail as cloudtrail, aws_logs as logs, aws_s3 as s3, aws_sns as sns, aws_sns_subscriptions as subs, aws_sqs as sqs } from 'aws-cdk-lib';
import { CisControl, CisLogMonitoring, CisSeverity } from '../../src';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';

/**
 * Stacks with CisLogMonitoring as users deploy it: `default` (a trail delivering to a log group, e-mails) and
 * `everyOption` (exclusions with operational e-mails and an SQS subscription, OK notifications, severity routes
 * to a created topic with HTTPS and SQS subscribers and to an existing topic as AWS Chatbot's, subscriptions on the
 * alarm topic, the who-did-it digest, saved queries, the self-audit with Security Hub, AWS Config, an evidence
 * bucket and a member account), and `lookup` (the trail named by `trailArn`, looked up at
 * deploy time, with the real-time rules). The trail of `default` and `everyOption` is created with the stack (its CloudWatch Logs role too).
 */
export function monitoringStacks(): { default: Stack; everyOption: Stack; lookup: Stack } {
  const app = new App();
  const env = { account: ACCOUNT, region: REGION };

  const base = new Stack(app, 'Monitoring', { env });
  const baseLogs = new logs.LogGroup(base, 'TrailLogs');
  const baseTrail = new cloudtrail.Trail(base, 'Trail', { sendToCloudWatchLogs: true, cloudWatchLogGroup: baseLogs });
  new CisLogMonitoring(base, 'Cis', { trail: baseTrail, emails: ['secops@example.com'] });

  const every = new Stack(app, 'MonitoringEveryOption', { env });
  // Named as in an AWS Control Tower landing zone (the README's example policy names them).
  const trailLogs = new logs.LogGroup(every, 'TrailLogs', { logGroupName: 'aws-controltower/CloudTrailLogs' });
  const trail = new cloudtrail.Trail(every, 'Trail', { sendToCloudWatchLogs: true, cloudWatchLogGroup: trailLogs, trailName: 'aws-controltower-BaselineCloudTrail' });
  const queue = new sqs.Queue(every, 'Triage', { enforceSSL: true });
  // The topic an AWS Chatbot channel subscribes to, passed as a severity route's topic.
  const chatbotTopic = new sns.Topic(every, 'ChatbotTopic', { topicName: 'cis-chatbot-critical' });
  new CisLogMonitoring(every, 'Cis', {
    trail,
    emails: ['secops@example.com'],
    subscriptions: [new subs.SqsSubscription(queue)],
    okNotifications: true,
    additionalControls: [CisControl.custom({ id: 'ACME.1', title: 'Break-glass role used', pattern: '{ $.userIdentity.arn = "*break-glass*" }', metricName: 'break_glass_metric' })],
    exclusions: [
      { principalArns: ['arn:aws:sts::111111111111:assumed-role/terraform-apply/*'], reason: 'nightly terraform apply', owner: 'platform-team', expires: '2099-12-31' },
      { pattern: '{ $.sourceIPAddress = "config.amazonaws.com" }', controls: [CisControl.CONFIG_CHANGES], reason: 'AWS Config', owner: 'secops', expires: '2099-12-31' },
    ],
    operationalEmails: ['oncall@example.com'],
    operationalSubscriptions: [new subs.SqsSubscription(queue)],
    severityRoutes: [
      { severities: [CisSeverity.CRITICAL], topic: chatbotTopic },
      { severities: [CisSeverity.CRITICAL, CisSeverity.HIGH], subscriptions: [new subs.UrlSubscription('https://events.pagerduty.com/integration/KEY/enqueue')] },
      { severities: [CisSeverity.MEDIUM, CisSeverity.LOW], subscriptions: [new subs.SqsSubscription(queue)] },
    ],
    enrichAlarms: true,
    selfAudit: true,
    selfAuditSchedule: Duration.hours(12),
    selfAuditSecurityHub: true,
    selfAuditConfigRule: true,
    selfAuditReportBucket: new s3.Bucket(every, 'Evidence', { enforceSSL: true }),
    selfAuditReportPrefix: 'cis/',
    selfAuditAccounts: ['222222222222'],
    selfAuditRoleName: 'CisSelfAudit',
  });

  const lookup = new Stack(app, 'MonitoringLookup', { env });
  new CisLogMonitoring(lookup, 'Cis', {
    trailArn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/aws-controltower-BaselineCloudTrail`,
    emails: ['secops@example.com'],
    // Here, because the every-option stack's custom control and exclusions have no exact EventBridge form.
    realTime: true,
  });
  return { default: base, everyOption: every, lookup };
}
