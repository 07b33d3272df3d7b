import { isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, undecided } from './util';

/** A metric-math alarm's expression is not evaluated: its firing cannot be decided here. */
export const ALARM_METRIC_MATH: Rule = {
  id: 'CIS-MON-ALARM-METRIC-MATH',
  title: 'The alarm\'s value is the filter\'s metric itself',
  link: 'alarm',
  enforces: 'An alarm on a metric-math expression fires on the expression\'s value, which this check does not evaluate; CIS audit step 4 expects an alarm on the filter\'s metric.',
  citation: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html',
  severity: 'UNKNOWN',
  check(_snapshot, _control, chain) {
    const alarm = chain.alarm;
    if (!alarm || alarm.queries === undefined) return [];
    const label = alarm.origin.label;
    if (isUnknown(alarm.queries)) return [undecided(label, `the metric queries of alarm ${label}`, alarm.queries, 'its firing cannot be decided')];
    const returned = alarm.queries.filter((q) => q.returnData === undefined || q.returnData === true || isUnknown(q.returnData));
    const single = returned.length === 1 ? returned[0] : undefined;
    if (single?.metric !== undefined && single.metric === chain.alarmMetric && single.expression === undefined) return [];
    return [finding('UNKNOWN', [label], `alarm ${label} fires on a metric-math expression over the filter's metric, which is not evaluated here`,
      'Alarm on the filter\'s metric directly (MetricName, Namespace, Statistic Sum), or verify the expression yourself.')];
  },
};
