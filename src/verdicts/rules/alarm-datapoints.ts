import { isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, undecided } from './util';

/** One period with an event is enough: DatapointsToAlarm (or EvaluationPeriods) is 1. */
export const ALARM_DATAPOINTS: Rule = {
  id: 'CIS-MON-ALARM-DATAPOINTS',
  title: 'One breaching period fires the alarm',
  link: 'alarm',
  enforces: 'An alarm goes to ALARM when DatapointsToAlarm of the last EvaluationPeriods datapoints breach; with more than one, a single event (one datapoint) never fires it.',
  citation: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const alarm = chain.alarm;
    if (!alarm || !chain.alarmMetric) return [];
    const label = alarm.origin.label;
    if (isUnknown(alarm.evaluationPeriods)) return [undecided(label, `EvaluationPeriods of alarm ${label}`, alarm.evaluationPeriods, 'a single event may not fire it')];
    if (isUnknown(alarm.datapointsToAlarm)) return [undecided(label, `DatapointsToAlarm of alarm ${label}`, alarm.datapointsToAlarm, 'a single event may not fire it')];
    const periods = alarm.evaluationPeriods;
    const datapoints = alarm.datapointsToAlarm ?? periods;
    const fix = 'Set EvaluationPeriods 1 (and DatapointsToAlarm 1 or unset).';
    if (datapoints > periods || datapoints < 1) {
      return [finding('FAIL', [label], `alarm ${label} needs ${datapoints} of ${periods} datapoints: it can never fire`, fix)];
    }
    if (datapoints > 1) {
      return [finding('WARNING', [label], `alarm ${label} needs ${datapoints} breaching periods of ${periods}: a single event never fires it`, fix)];
    }
    return [];
  },
};
