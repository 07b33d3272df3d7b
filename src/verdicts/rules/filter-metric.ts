import { isUnknown } from '../model';
import { Rule } from '../rule';
import { CIS_AUDIT, finding, undecided } from './util';

/** The filter publishes a metric. */
export const FILTER_METRIC: Rule = {
  id: 'CIS-MON-FILTER-METRIC',
  title: 'The metric filter publishes a metric',
  link: 'metric filter',
  enforces: 'Audit step 3 reads the filter\'s metricTransformations (metricName, metricNamespace); an alarm can only watch a metric the filter publishes.',
  citation: `${CIS_AUDIT} step 3; https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html`,
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const f = chain.filter;
    if (!f || isUnknown(f.pattern)) return [];
    if (isUnknown(f.transformations)) return [undecided(f.origin.label, `the metric of filter ${f.origin.label}`, f.transformations, 'no alarm can be matched to it')];
    if (f.transformations.length === 0) {
      return [finding('FAIL', [f.origin.label], `metric filter ${f.origin.label} has no MetricTransformations: it publishes no metric`,
        'Add a MetricTransformation (MetricValue 1) to the filter.')];
    }
    const t = chain.transformation;
    if (t && (isUnknown(t.metricName) || isUnknown(t.namespace))) {
      return [undecided(f.origin.label, `the metric name or namespace of filter ${f.origin.label}`, isUnknown(t.metricName) ? t.metricName : t.namespace,
        'the alarm watching it cannot be told')];
    }
    return [];
  },
};
