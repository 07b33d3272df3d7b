import { Rule } from '../rule';
import { finding, groupOf } from './util';

/**
 * The monitoring-integrity control is deployed. Reported on the bare chain of a control whose resources were not
 * found at all (the integrity runner judges nothing else then); a WARNING, not a FAIL: CIS does not require these
 * controls, cdk-cis-log-monitoring deploys them by default.
 */
export const INTEGRITY_DEPLOYED: Rule = {
  id: 'CIS-MON-INTEGRITY-DEPLOYED',
  title: 'The monitoring-integrity control is deployed',
  link: 'alarm',
  enforces: 'Without the delivery heartbeat, a trail that stops delivering silences every CIS alarm unnoticed; without the tamper control, deleting or disabling the monitoring outside CloudFormation pages nobody. Neither is a CIS requirement, so their absence is a WARNING.',
  citation: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html; https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html',
  severity: 'WARNING',
  check(_snapshot, control, chain) {
    if (chain.filter || chain.alarm) return [];
    return [finding('WARNING', [chain.logGroup?.origin.label ?? chain.trail?.origin.label],
      `${control.id} (${control.control.title}) is not deployed ${chain.logGroupName === undefined ? '(and no trail delivers to a log group it could watch)' : `for ${groupOf(chain)}`}`,
      'Keep the CisLogMonitoring defaults (deliveryHeartbeat, tamperAlarm), or deploy the alarm docs/self-monitoring.md describes.')];
  },
};
