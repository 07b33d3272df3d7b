import { isUnknown } from '../model';
import { Chain, Rule, RuleFinding } from '../rule';
import { eventsToFire } from './alarm-fires';
import { finding, undecided } from './util';

/** A filter DefaultValue (published in periods without a match) that already crosses the alarm's threshold. */
function defaultValueBreaches(chain: Chain): RuleFinding | undefined {
  const t = chain.transformation;
  const alarm = chain.alarm;
  const m = chain.alarmMetric;
  if (!t || !alarm || !m || t.defaultValue === undefined) return undefined;
  const filter = chain.filter?.origin.label;
  if (isUnknown(t.defaultValue)) return undecided(filter, `DefaultValue of filter ${filter}`, t.defaultValue, 'the alarm may sit in ALARM between events');
  const statistic = m.statistic ?? m.extendedStatistic;
  if (statistic === undefined || isUnknown(statistic) || alarm.threshold === undefined || isUnknown(alarm.threshold)
    || isUnknown(alarm.comparisonOperator) || t.defaultValue <= 0) return undefined;
  // One default datapoint per period: does it alone cross the threshold?
  if (eventsToFire(statistic === 'SampleCount' ? 'Maximum' : statistic, alarm.comparisonOperator, alarm.threshold, t.defaultValue) !== 1) return undefined;
  return finding('FAIL', [filter, alarm.origin.label], `metric filter ${filter} publishes DefaultValue ${t.defaultValue} when nothing matches, which crosses `
    + `alarm ${alarm.origin.label}'s threshold: the alarm sits in ALARM, so an event sends no notification`, 'Remove DefaultValue from the filter (or set it to 0).');
}

/** Periods without events do not hold the alarm in ALARM. */
export const ALARM_MISSING_DATA: Rule = {
  id: 'CIS-MON-ALARM-MISSING-DATA',
  title: 'Periods without events do not breach',
  link: 'alarm',
  enforces: 'A filter publishes nothing in periods without events (unless its DefaultValue is set); with TreatMissingData breaching, or a DefaultValue that crosses the threshold, the alarm sits in ALARM, so an event changes no state and sends no notification (actions run on state changes).',
  citation: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const alarm = chain.alarm;
    if (!alarm || !chain.alarmMetric) return [];
    const label = alarm.origin.label;
    const quiet = defaultValueBreaches(chain);
    if (quiet) return [quiet];
    if (alarm.treatMissingData === undefined) return [];
    if (isUnknown(alarm.treatMissingData)) return [undecided(label, `TreatMissingData of alarm ${label}`, alarm.treatMissingData, 'it may sit in ALARM')];
    if (alarm.treatMissingData !== 'breaching') return [];
    return [finding('FAIL', [label], `alarm ${label} treats missing data as breaching: it stays in ALARM between events, so an event sends no notification`,
      'Set TreatMissingData notBreaching (or missing).')];
  },
};
