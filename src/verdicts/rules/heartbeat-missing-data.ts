import { isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, undecided } from './util';

/** The heartbeat treats missing data as breaching. */
export const HEARTBEAT_MISSING_DATA: Rule = {
  id: 'CIS-MON-HEARTBEAT-MISSING-DATA',
  title: 'The heartbeat treats missing data as breaching',
  link: 'alarm',
  enforces: 'CloudWatch Logs publishes IncomingLogEvents only for periods in which events arrived, so "nothing arrived" is missing data: with TreatMissingData missing (the default), notBreaching or ignore the alarm never goes to ALARM when delivery stops.',
  citation: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const alarm = chain.alarm;
    if (!alarm || !chain.alarmMetric) return [];
    const label = alarm.origin.label;
    if (isUnknown(alarm.treatMissingData)) return [undecided(label, `TreatMissingData of alarm ${label}`, alarm.treatMissingData, 'it may never fire when delivery stops')];
    if (alarm.treatMissingData === 'breaching') return [];
    return [finding('FAIL', [label], `alarm ${label} treats missing data as ${alarm.treatMissingData ?? 'missing (the default)'}: a log group that receives nothing publishes `
      + 'no IncomingLogEvents datapoint, so the alarm never fires when delivery stops', 'Set TreatMissingData breaching.')];
  },
};
