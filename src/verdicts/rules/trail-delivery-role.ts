import { isUnknown } from '../model';
import { evaluate } from '../policy';
import { Rule } from '../rule';
import { finding, trailOf, undecided } from './util';

const FIX = 'Set CloudWatchLogsRoleArn to a role cloudtrail.amazonaws.com may assume, allowed logs:CreateLogStream and logs:PutLogEvents on the group.';

/** The trail has the role CloudTrail assumes to write to the log group: set, existing, and trusting CloudTrail. */
export const TRAIL_DELIVERY_ROLE: Rule = {
  id: 'CIS-MON-TRAIL-DELIVERY-ROLE',
  title: 'The trail has a CloudWatch Logs delivery role',
  link: 'trail',
  enforces: 'CloudTrail writes to CloudWatch Logs by assuming CloudWatchLogsRoleArn; without it (not set, deleted, or not trusting cloudtrail.amazonaws.com) nothing is delivered.',
  citation: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const trail = chain.trail;
    if (!trail || trail.cloudWatchLogsLogGroupArn === undefined) return [];
    const role = trail.cloudWatchLogsRoleArn;
    if (isUnknown(role)) return [undecided(trailOf(chain), `CloudWatchLogsRoleArn of trail ${trailOf(chain)}`, role, 'without a working role nothing is delivered')];
    if (role === undefined || role === '') {
      return [finding('FAIL', [trailOf(chain)], `trail ${trailOf(chain)} has no CloudWatchLogsRoleArn: CloudTrail cannot deliver to the log group`, FIX)];
    }
    const seen = trail.cloudWatchLogsRole;
    if (seen === undefined) return [];
    if (isUnknown(seen)) return [undecided(trailOf(chain), `the delivery role ${role} of trail ${trailOf(chain)}`, seen, 'a deleted role delivers nothing')];
    if (!seen.exists) {
      return [finding('FAIL', [trailOf(chain)], `the delivery role ${role} of trail ${trailOf(chain)} does not exist: CloudTrail cannot deliver to the log group`, FIX)];
    }
    if (seen.trustPolicy === undefined) return [];
    const trust = evaluate(seen.trustPolicy, { service: 'cloudtrail.amazonaws.com', action: 'sts:AssumeRole', context: {} });
    if (trust.decision === 'allow') return [];
    const message = `the trust policy of delivery role ${role} (trail ${trailOf(chain)}) ${trust.reason}`;
    return [trust.decision === 'unknown'
      ? finding('UNKNOWN', [trailOf(chain)], `${message}: CloudTrail may not be able to deliver`, FIX)
      : finding('FAIL', [trailOf(chain)], `${message}: CloudTrail cannot assume it, so nothing is delivered`, FIX)];
  },
};
