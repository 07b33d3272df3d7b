import { isUnknown } from '../model';
import { Rule } from '../rule';
import { CIS_AUDIT, finding, undecided } from './util';

/** The alarm notifies an SNS topic. */
export const ALARM_NOTIFIES: Rule = {
  id: 'CIS-MON-ALARM-NOTIFIES',
  title: 'The alarm notifies an SNS topic',
  link: 'alarm',
  enforces: 'Audit step 5: the alarm\'s AlarmActions include an SNS topic, whose subscribers are notified.',
  citation: `${CIS_AUDIT} step 5; https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html`,
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const alarm = chain.alarm;
    if (!alarm || !chain.alarmMetric || chain.action !== undefined) return [];
    const label = alarm.origin.label;
    const actions = alarm.alarmActions;
    if (isUnknown(actions)) return [undecided(label, `the AlarmActions of alarm ${label}`, actions, 'it may notify nobody')];
    const unresolved = actions.find(isUnknown);
    if (unresolved) return [undecided(label, `an AlarmAction of alarm ${label}`, unresolved, 'it may not be an SNS topic')];
    return [finding('FAIL', [label], `alarm ${label} has no SNS topic among its AlarmActions: nobody is notified`, 'Add the topic to AlarmActions.')];
  },
};
