import { isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, undecided } from './util';

/** The heartbeat fires when events stop: a "less than" comparison that an empty period crosses. */
export const HEARTBEAT_FIRES: Rule = {
  id: 'CIS-MON-HEARTBEAT-FIRES',
  title: 'Periods without events cross the heartbeat\'s threshold',
  link: 'alarm',
  enforces: 'The heartbeat must breach when the group receives nothing: Sum (or SampleCount) of IncomingLogEvents LessThanThreshold a positive threshold (or LessThanOrEqualToThreshold at least 0), with DatapointsToAlarm no more than EvaluationPeriods; a "greater than" alarm fires on events, not on their absence.',
  citation: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const alarm = chain.alarm;
    const m = chain.alarmMetric;
    if (!alarm || !m) return [];
    const label = alarm.origin.label;
    const fix = 'Alarm on Statistic Sum, ComparisonOperator LessThanThreshold, Threshold 1, TreatMissingData breaching.';
    const statistic = m.statistic ?? m.extendedStatistic;
    if (statistic === undefined) return [finding('UNKNOWN', [label], `alarm ${label} has no Statistic: its firing cannot be decided`, fix)];
    if (isUnknown(statistic)) return [undecided(label, `the statistic of alarm ${label}`, statistic, 'it may never fire')];
    if (alarm.threshold === undefined) return [finding('UNKNOWN', [label], `alarm ${label} has no static Threshold: its firing cannot be decided`, fix)];
    if (isUnknown(alarm.threshold)) return [undecided(label, `the threshold of alarm ${label}`, alarm.threshold, 'it may never fire')];
    if (isUnknown(alarm.comparisonOperator)) return [undecided(label, `the comparison of alarm ${label}`, alarm.comparisonOperator, 'it may never fire')];
    if (isUnknown(alarm.evaluationPeriods) || isUnknown(alarm.datapointsToAlarm)) {
      return [undecided(label, `the evaluation periods of alarm ${label}`, isUnknown(alarm.evaluationPeriods) ? alarm.evaluationPeriods : alarm.datapointsToAlarm, 'it may never fire')];
    }
    const op = alarm.comparisonOperator;
    const breachesOnNothing = (op === 'LessThanThreshold' && alarm.threshold > 0) || (op === 'LessThanOrEqualToThreshold' && alarm.threshold >= 0);
    if (!breachesOnNothing) {
      return [finding('FAIL', [label], `alarm ${label} (${op} ${alarm.threshold}) does not breach when the log group receives no event: it cannot report a stopped delivery`, fix)];
    }
    const datapoints = alarm.datapointsToAlarm ?? alarm.evaluationPeriods;
    if (datapoints > alarm.evaluationPeriods || datapoints < 1) {
      return [finding('FAIL', [label], `alarm ${label} needs ${datapoints} of ${alarm.evaluationPeriods} datapoints: it can never fire`, fix)];
    }
    if (statistic !== 'Sum' && statistic !== 'SampleCount') {
      return [finding('WARNING', [label], `alarm ${label} uses statistic ${statistic} of IncomingLogEvents instead of Sum`, fix)];
    }
    return [];
  },
};
