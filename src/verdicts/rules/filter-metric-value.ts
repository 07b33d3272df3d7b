import { isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, undecided } from './util';

/** The value the filter publishes per matching event: a positive number (CIS: 1). */
export const FILTER_METRIC_VALUE: Rule = {
  id: 'CIS-MON-FILTER-METRIC-VALUE',
  title: 'The metric filter publishes a positive value per event',
  link: 'metric filter',
  enforces: 'The filter publishes MetricValue for each matching event (the CIS remediation uses 1); a value of 0 or below never crosses a threshold of 1, and a value taken from the event ($.field) depends on the event.',
  citation: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_MetricTransformation.html',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const t = chain.transformation;
    const label = chain.filter?.origin.label;
    if (!t) return [];
    if (isUnknown(t.value)) return [undecided(label, `MetricValue of filter ${label}`, t.value, 'the alarm may never cross its threshold')];
    const value = Number(t.value);
    if (t.value.trim().startsWith('$.')) {
      return [finding('WARNING', [label], `metric filter ${label} publishes ${t.value} (a value from the event), not 1 per event: whether the alarm fires depends on each event`,
        'Publish MetricValue 1.')];
    }
    if (!Number.isFinite(value) || t.value.trim() === '') {
      return [finding('FAIL', [label], `metric filter ${label} publishes MetricValue ${JSON.stringify(t.value)}, which is not a number`, 'Publish MetricValue 1.')];
    }
    if (value <= 0) {
      return [finding('FAIL', [label], `metric filter ${label} publishes ${value} per matching event: the metric never rises and the alarm never fires`,
        'Publish MetricValue 1.')];
    }
    return [];
  },
};
