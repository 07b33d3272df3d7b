import { isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, undecided } from './util';

/** An alarm's Unit, when set, is the unit the filter publishes. */
export const ALARM_UNIT: Rule = {
  id: 'CIS-MON-ALARM-UNIT',
  title: 'The alarm\'s unit is the filter\'s',
  link: 'alarm',
  enforces: 'An alarm with a Unit evaluates only datapoints published with that unit; a metric filter without Unit publishes unit None, so any other unit leaves the alarm without data.',
  citation: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const t = chain.transformation;
    const m = chain.alarmMetric;
    const alarm = chain.alarm?.origin.label;
    if (!t || !m || m.unit === undefined) return [];
    if (isUnknown(m.unit)) return [undecided(alarm, `the unit of alarm ${alarm}`, m.unit, 'it may never see a datapoint')];
    if (isUnknown(t.unit)) return [undecided(chain.filter?.origin.label, `the unit of filter ${chain.filter?.origin.label}`, t.unit, 'the alarm may never see a datapoint')];
    const published = t.unit ?? 'None';
    if (m.unit === published) return [];
    return [finding('FAIL', [alarm], `alarm ${alarm} has Unit ${m.unit}, the filter ${chain.filter?.origin.label} publishes unit ${published}: the alarm never sees a datapoint`,
      'Remove Unit from the alarm (or set the filter\'s unit to the same).')];
  },
};
