import { HEARTBEAT_DIMENSION } from '../../catalog/tamper-control';
import { isUnknown } from '../model';
import { Rule } from '../rule';
import { sameGroup } from '../runner';
import { finding, groupOf, undecided } from './util';

/** The heartbeat watches the trail's log group: IncomingLogEvents with the dimension LogGroupName = that group. */
export const HEARTBEAT_LOG_GROUP: Rule = {
  id: 'CIS-MON-HEARTBEAT-LOG-GROUP',
  title: 'The heartbeat watches the trail\'s log group',
  link: 'alarm',
  enforces: 'AWS/Logs IncomingLogEvents is published per log group (dimension LogGroupName) and for the account without a dimension; only the trail group\'s own metric drops to nothing when the trail stops delivering.',
  citation: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CloudWatch-Logs-Monitoring-CloudWatch-Metrics.html',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const alarm = chain.alarm;
    const m = chain.alarmMetric;
    if (!alarm || !m) return [];
    const label = alarm.origin.label;
    if (isUnknown(m.dimensions)) return [undecided(label, `the dimensions of alarm ${label}`, m.dimensions, 'it may watch another log group')];
    const group = m.dimensions?.[HEARTBEAT_DIMENSION];
    const fix = `Set the alarm's dimension ${HEARTBEAT_DIMENSION} to the trail's log group ${groupOf(chain)}.`;
    if (group === undefined) {
      return [finding('FAIL', [label], `alarm ${label} watches IncomingLogEvents without the ${HEARTBEAT_DIMENSION} dimension (every group of the account): `
        + `other groups' events keep it OK when the trail stops delivering to ${groupOf(chain)}`, fix)];
    }
    if (chain.logGroupName === undefined) return [finding('UNKNOWN', [label], `the trail log group is not known, so alarm ${label}'s group cannot be compared`, fix)];
    if (sameGroup(group, chain.logGroupName) || (chain.logGroup !== undefined && sameGroup(group, chain.logGroup.name))) return [];
    if (isUnknown(group) || isUnknown(chain.logGroupName)) {
      return [undecided(label, `the log group alarm ${label} watches`, isUnknown(group) ? group : chain.logGroupName, `it may not be the trail's ${groupOf(chain)}`)];
    }
    return [finding('FAIL', [label], `alarm ${label} watches IncomingLogEvents of log group '${group}', not of the trail's ${groupOf(chain)}: `
      + 'a trail that stops delivering does not fire it', fix)];
  },
};
