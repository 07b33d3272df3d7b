import { isUnknown } from '../model';
import { Rule } from '../rule';
import { CIS_AUDIT, finding, trailOf } from './util';

/** The log group the trail delivers to exists (live adapters look it up; a template cannot tell when the group is elsewhere). */
export const TRAIL_LOG_GROUP_EXISTS: Rule = {
  id: 'CIS-MON-TRAIL-LOG-GROUP-EXISTS',
  title: 'The trail\'s log group exists',
  link: 'trail',
  enforces: 'Audit step 1: the trail delivers to a CloudWatch Logs log group; when that group was deleted, CloudTrail delivers nothing and metric filters left behind (they may outlive their group) never see an event.',
  citation: `${CIS_AUDIT} step 1; https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html`,
  severity: 'FAIL',
  check(snapshot, _control, chain) {
    const trail = chain.trail;
    const arn = trail?.cloudWatchLogsLogGroupArn;
    if (!trail || arn === undefined || isUnknown(arn) || chain.logGroup) return [];
    const absent = snapshot.snapshot.absent ?? [];
    const bare = arn.replace(/:\*$/, '');
    if (!absent.includes(arn) && !absent.includes(bare)) return [];
    const name = isUnknown(trail.logGroupName) || trail.logGroupName === undefined ? bare : `'${trail.logGroupName}'`;
    return [finding('FAIL', [trailOf(chain)], `log group ${name} of trail ${trailOf(chain)} does not exist (region ${bare.split(':')[3]}): no event reaches a metric filter`,
      'Create the log group (or point CloudWatchLogsLogGroupArn at the group that carries the metric filters).')];
  },
};
