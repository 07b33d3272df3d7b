import { isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, trailOf, undecided } from './util';

/** CloudTrail reports no CloudWatch Logs delivery error (live adapters; templates cannot see this). */
export const TRAIL_DELIVERY_STATUS: Rule = {
  id: 'CIS-MON-TRAIL-DELIVERY-STATUS',
  title: 'CloudTrail delivers to the log group without error',
  link: 'trail',
  enforces: 'GetTrailStatus reports LatestCloudWatchLogsDeliveryError when delivery fails (a deleted role, a policy that no longer allows it); events then never reach the filters.',
  citation: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const trail = chain.trail;
    if (!trail || trail.cloudWatchLogsLogGroupArn === undefined || trail.delivery === undefined) return [];
    if (isUnknown(trail.delivery)) return [undecided(trailOf(chain), `the delivery status of trail ${trailOf(chain)}`, trail.delivery, 'delivery may be failing')];
    const error = trail.delivery.latestDeliveryError;
    if (error) {
      return [finding('FAIL', [trailOf(chain)], `trail ${trailOf(chain)} fails to deliver to CloudWatch Logs: ${error}`,
        'Fix the delivery role (trust cloudtrail.amazonaws.com; allow logs:CreateLogStream and logs:PutLogEvents on the log group).')];
    }
    return [];
  },
};
