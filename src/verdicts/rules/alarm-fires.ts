import { isUnknown } from '../model';
import { Rule } from '../rule';
import { CIS_AUDIT, finding, undecided } from './util';

/**
 * The most matching events of one control in one alarm period this rule treats as a realistic first signal: an
 * alarm that needs more never fires in practice (a threshold of 1e12, SampleCount >= 100000).
 */
export const MAX_EVENTS_PER_PERIOD = 1000;

const COMPARE: Record<string, (value: number, threshold: number) => boolean> = {
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  GreaterThanThreshold: (v, t) => v > t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/** The statistic's value for n matching events in a period, each publishing `value`; undefined when not evaluated. */
function aggregate(statistic: string, n: number, value: number): number | undefined {
  if (statistic === 'Sum') return n * value;
  if (statistic === 'SampleCount') return n;
  if (['Average', 'Minimum', 'Maximum'].includes(statistic)) return value;
  // Percentiles and trimmed/winsorized means of equal values are that value.
  if (/^(p|tm|wm|tc|pr)\d/i.test(statistic) || /^(IQM)$/i.test(statistic)) return value;
  return undefined;
}

/** The fewest events in one period that put the alarm's statistic across its threshold (Infinity: never, up to the limit). */
export function eventsToFire(statistic: string, comparison: string, threshold: number, value: number): number | undefined {
  const compare = COMPARE[comparison];
  if (!compare || aggregate(statistic, 1, value) === undefined) return undefined;
  if (statistic !== 'Sum' && statistic !== 'SampleCount') return compare(aggregate(statistic, 1, value) as number, threshold) ? 1 : Infinity;
  const per = statistic === 'Sum' ? value : 1;
  if (compare(per, threshold)) return 1;
  if (comparison.startsWith('Less')) return Infinity; // the aggregate only grows with more events
  const n = Math.max(1, Math.ceil(threshold / per));
  for (const candidate of [n, n + 1]) if (candidate <= MAX_EVENTS_PER_PERIOD && compare(candidate * per, threshold)) return candidate;
  return Infinity;
}

/** One matching event puts the alarm's statistic across its threshold. */
export const ALARM_FIRES: Rule = {
  id: 'CIS-MON-ALARM-FIRES',
  title: 'One matching event crosses the alarm\'s threshold',
  link: 'alarm',
  enforces: `The CIS remediation alarms on Sum >= 1 over the filter's metric, so one event fires; another statistic, comparison or a threshold above one event is a WARNING naming it, and one that needs more than ${MAX_EVENTS_PER_PERIOD} events in a period (or can never be crossed) is a FAIL.`,
  citation: `${CIS_AUDIT} remediation (put-metric-alarm --statistic Sum --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold); https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Statistic`,
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const alarm = chain.alarm;
    const m = chain.alarmMetric;
    const t = chain.transformation;
    if (!alarm || !m || !t) return [];
    const label = alarm.origin.label;
    const statistic = m.statistic ?? m.extendedStatistic;
    if (statistic === undefined) return [finding('UNKNOWN', [label], `alarm ${label} has no Statistic or ExtendedStatistic: its firing cannot be decided`, 'Set Statistic Sum.')];
    if (isUnknown(statistic)) return [undecided(label, `the statistic of alarm ${label}`, statistic, 'it may never fire')];
    if (alarm.threshold === undefined) return [finding('UNKNOWN', [label], `alarm ${label} has no static Threshold (anomaly detection?): its firing cannot be decided`, 'Set Threshold 1.')];
    if (isUnknown(alarm.threshold)) return [undecided(label, `the threshold of alarm ${label}`, alarm.threshold, 'it may never fire')];
    if (isUnknown(alarm.comparisonOperator)) return [undecided(label, `the comparison of alarm ${label}`, alarm.comparisonOperator, 'it may never fire')];
    if (isUnknown(t.value) || !Number.isFinite(Number(t.value)) || Number(t.value) <= 0) return []; // CIS-MON-FILTER-METRIC-VALUE reports it
    const value = Number(t.value);
    const events = eventsToFire(statistic, alarm.comparisonOperator, alarm.threshold, value);
    const setting = `${statistic} ${alarm.comparisonOperator} ${alarm.threshold} (the filter publishes ${value} per event)`;
    const fix = 'Alarm on Statistic Sum, ComparisonOperator GreaterThanOrEqualToThreshold, Threshold 1.';
    if (events === undefined) return [finding('UNKNOWN', [label], `alarm ${label}: ${setting} is not evaluated by this check`, fix)];
    if (events === Infinity) {
      return [finding('FAIL', [label], `alarm ${label} can never fire in practice: ${setting} is not crossed by up to ${MAX_EVENTS_PER_PERIOD} matching events in one period`, fix)];
    }
    const deviations: string[] = [];
    if (statistic !== 'Sum') deviations.push(`statistic ${statistic} instead of Sum`);
    if (alarm.comparisonOperator.startsWith('Less')) deviations.push(`${alarm.comparisonOperator}: more events in one period stop the alarm`);
    if (events > 1) deviations.push(`it fires only after ${events} matching events in one period, not on the first`);
    return deviations.length === 0 ? [] : [finding('WARNING', [label], `alarm ${label} deviates from the CIS alarm: ${deviations.join('; ')}`, fix)];
  },
};
