import { isUnknown } from '../model';
import { Rule } from '../rule';
import { CIS_AUDIT, finding, trailOf, undecided } from './util';

/** The trail delivers to a CloudWatch Logs log group, and that group can be told. */
export const TRAIL_CLOUDWATCH_LOGS: Rule = {
  id: 'CIS-MON-TRAIL-CLOUDWATCH-LOGS',
  title: 'The trail delivers to CloudWatch Logs',
  link: 'trail',
  enforces: 'Audit step 1: the multi-region trail must have a CloudWatch Logs log group (CloudWatchLogsLogGroupArn); metric filters only see events delivered there.',
  citation: `${CIS_AUDIT} step 1; https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html`,
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const trail = chain.trail;
    if (!trail) return [];
    if (trail.cloudWatchLogsLogGroupArn === undefined) {
      return [finding('FAIL', [trailOf(chain)], `trail ${trailOf(chain)} does not deliver to CloudWatch Logs (no CloudWatchLogsLogGroupArn): `
        + 'no metric filter sees its events', 'Set CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn on the multi-region trail.')];
    }
    if (isUnknown(trail.cloudWatchLogsLogGroupArn) || chain.logGroupName === undefined || isUnknown(chain.logGroupName)) {
      const value = isUnknown(trail.cloudWatchLogsLogGroupArn) ? trail.cloudWatchLogsLogGroupArn : chain.logGroupName;
      return [undecided(trailOf(chain), `the log group trail ${trailOf(chain)} delivers to`, value, 'its metric filters cannot be found')];
    }
    return [];
  },
};
