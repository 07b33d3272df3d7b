import { isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, trailOf, undecided } from './util';

/** The trail has the role CloudTrail assumes to write to the log group. */
export const TRAIL_DELIVERY_ROLE: Rule = {
  id: 'CIS-MON-TRAIL-DELIVERY-ROLE',
  title: 'The trail has a CloudWatch Logs delivery role',
  link: 'trail',
  enforces: 'CloudTrail writes to CloudWatch Logs by assuming CloudWatchLogsRoleArn; without it nothing is delivered.',
  citation: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const trail = chain.trail;
    if (!trail || trail.cloudWatchLogsLogGroupArn === undefined) return [];
    const role = trail.cloudWatchLogsRoleArn;
    if (isUnknown(role)) return [undecided(trailOf(chain), `CloudWatchLogsRoleArn of trail ${trailOf(chain)}`, role, 'without a working role nothing is delivered')];
    if (role === undefined || role === '') {
      return [finding('FAIL', [trailOf(chain)], `trail ${trailOf(chain)} has no CloudWatchLogsRoleArn: CloudTrail cannot deliver to the log group`,
        'Set CloudWatchLogsRoleArn to a role cloudtrail.amazonaws.com may assume, allowed logs:CreateLogStream and logs:PutLogEvents on the group.')];
    }
    return [];
  },
};
