import { isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, undecided } from './util';

/** The alarm's actions are enabled. */
export const ALARM_ACTIONS_ENABLED: Rule = {
  id: 'CIS-MON-ALARM-ACTIONS-ENABLED',
  title: 'The alarm\'s actions are enabled',
  link: 'alarm',
  enforces: 'An alarm with ActionsEnabled false changes state but runs none of its AlarmActions: nobody is notified.',
  citation: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const alarm = chain.alarm;
    if (!alarm || alarm.actionsEnabled === undefined || alarm.actionsEnabled === true) return [];
    const label = alarm.origin.label;
    if (isUnknown(alarm.actionsEnabled)) return [undecided(label, `ActionsEnabled of alarm ${label}`, alarm.actionsEnabled, 'its actions may be disabled')];
    return [finding('FAIL', [label], `alarm ${label} has its actions disabled (ActionsEnabled false): nobody is notified`, 'Set ActionsEnabled to true.')];
  },
};
