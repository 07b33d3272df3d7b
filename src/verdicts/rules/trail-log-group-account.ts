import { isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, trailOf } from './util';

/** The log group the trail delivers to is the one whose filters are judged: same account. */
export const TRAIL_LOG_GROUP_ACCOUNT: Rule = {
  id: 'CIS-MON-TRAIL-LOG-GROUP-ACCOUNT',
  title: 'The trail\'s log group is in the account judged',
  link: 'trail',
  enforces: 'A log group is identified by account, region and name; a group of the same name in another account carries other metric filters, so filters are matched to the trail only in the account its CloudWatchLogsLogGroupArn names.',
  citation: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html',
  severity: 'FAIL',
  check(snapshot, _control, chain) {
    const trail = chain.trail;
    const account = trail?.logGroupAccount;
    if (!trail || account === undefined || isUnknown(account) || chain.logGroup) return [];
    const here = snapshot.snapshot.account;
    if (here === account) return [];
    if (here === undefined || isUnknown(here) || here.startsWith('{{')) {
      return [finding('UNKNOWN', [trailOf(chain)], `trail ${trailOf(chain)} delivers to a log group of account ${account}, and the account of `
        + `${snapshot.snapshot.source} is not known: its filters may be another group's`,
      'Write the ARN with ${AWS::AccountId} (Fn::Sub), or give the stack an explicit account (env), so the group can be told.')];
    }
    return [finding('FAIL', [trailOf(chain)], `trail ${trailOf(chain)} delivers to a log group of account ${account}, not of ${here}: `
      + 'the metric filters of this account\'s group of that name never see its events',
    'Point CloudWatchLogsLogGroupArn at the log group that carries the metric filters (same account), or put the filters and alarms in that account.')];
  },
};
