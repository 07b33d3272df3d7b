import { isUnknown } from '../model';
import { Rule } from '../rule';
import { watchedMetrics } from '../runner';
import { CIS_AUDIT, metricText, missing, undecided } from './util';

/** An alarm watches the metric the filter publishes (same namespace and name). */
export const ALARM_PRESENT: Rule = {
  id: 'CIS-MON-ALARM-PRESENT',
  title: 'An alarm watches the filter\'s metric',
  link: 'alarm',
  enforces: 'Audit step 4: an alarm whose MetricName and Namespace are those of the filter\'s metricTransformations; an alarm on any other name watches a metric nobody publishes.',
  citation: `${CIS_AUDIT} step 4; https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/ConsoleAlarms.html`,
  severity: 'FAIL',
  check(snapshot, _control, chain) {
    const t = chain.transformation;
    if (!t || isUnknown(t.metricName) || isUnknown(t.namespace)) return [];
    const filter = chain.filter?.origin.label;
    if (chain.alarm && chain.alarmMetric) {
      const m = chain.alarmMetric;
      if (isUnknown(m.metricName) || isUnknown(m.namespace)) {
        return [undecided(chain.alarm.origin.label, `the metric alarm ${chain.alarm.origin.label} watches`, isUnknown(m.metricName) ? m.metricName : m.namespace,
          `it may not be ${metricText(t.namespace, t.metricName)}`)];
      }
      return [];
    }
    const published = new Set(snapshot.snapshot.metricFilters.flatMap((f) => (isUnknown(f.transformations) ? [] : f.transformations))
      .map((x) => `${String(x.namespace)}\u0000${String(x.metricName)}`));
    const orphan = (m: { namespace: unknown; metricName: unknown }) => !published.has(`${String(m.namespace)}\u0000${String(m.metricName)}`);
    const near = snapshot.snapshot.alarms.find((a) => watchedMetrics(a).some((m) => !isUnknown(m.metricName)
      && m.metricName.toLowerCase() === (t.metricName as string).toLowerCase()))
      ?? snapshot.snapshot.alarms.find((a) => watchedMetrics(a).some((m) => m.namespace === t.namespace && orphan(m)));
    const nearText = near ? ` (alarm ${near.origin.label} watches ${watchedMetrics(near).map((m) => metricText(m.namespace, m.metricName)).join(', ')})` : '';
    return [missing(snapshot, [near?.origin.label ?? filter], `no alarm watches metric ${metricText(t.namespace, t.metricName)} of metric filter ${filter}${nearText}`
      + (near ? ': that alarm watches a metric no filter publishes, so it can never fire' : ''),
    near ? 'Use the metric name and namespace of the metric filter\'s MetricTransformations in the alarm.' : 'Add an alarm on that metric (Sum over 300 s, threshold 1).')];
  },
};
