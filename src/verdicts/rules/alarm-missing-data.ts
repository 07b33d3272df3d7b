import { isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, undecided } from './util';

/** Periods without events do not hold the alarm in ALARM. */
export const ALARM_MISSING_DATA: Rule = {
  id: 'CIS-MON-ALARM-MISSING-DATA',
  title: 'Missing data is not treated as breaching',
  link: 'alarm',
  enforces: 'A filter publishes nothing in periods without events; with TreatMissingData breaching the alarm sits in ALARM, so an event changes no state and sends no notification (actions run on state changes).',
  citation: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const alarm = chain.alarm;
    if (!alarm || !chain.alarmMetric || alarm.treatMissingData === undefined) return [];
    const label = alarm.origin.label;
    if (isUnknown(alarm.treatMissingData)) return [undecided(label, `TreatMissingData of alarm ${label}`, alarm.treatMissingData, 'it may sit in ALARM')];
    if (alarm.treatMissingData !== 'breaching') return [];
    return [finding('FAIL', [label], `alarm ${label} treats missing data as breaching: it stays in ALARM between events, so an event sends no notification`,
      'Set TreatMissingData notBreaching (or missing).')];
  },
};
