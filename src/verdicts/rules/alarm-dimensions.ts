import { Known, isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, undecided } from './util';

function show(dimensions: Record<string, Known<string>> | undefined): string {
  const entries = Object.entries(dimensions ?? {});
  return entries.length === 0 ? 'no dimensions' : entries.map(([k, v]) => `${k}=${isUnknown(v) ? '?' : v}`).join(', ');
}

/** The alarm's dimensions are exactly those the filter publishes. */
export const ALARM_DIMENSIONS: Rule = {
  id: 'CIS-MON-ALARM-DIMENSIONS',
  title: 'The alarm\'s dimensions are the filter\'s',
  link: 'alarm',
  enforces: 'CloudWatch treats each combination of dimensions as a separate metric: an alarm with dimensions the filter does not publish (or without the ones it does) watches a metric that never gets a datapoint.',
  citation: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Dimension',
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const t = chain.transformation;
    const m = chain.alarmMetric;
    const alarm = chain.alarm?.origin.label;
    if (!t || !m || !chain.alarm) return [];
    if (isUnknown(t.dimensions)) return [undecided(chain.filter?.origin.label, `the dimensions of filter ${chain.filter?.origin.label}`, t.dimensions, 'the alarm may watch another metric')];
    if (isUnknown(m.dimensions)) return [undecided(alarm, `the dimensions of alarm ${alarm}`, m.dimensions, 'it may watch another metric')];
    const published = t.dimensions ?? {};
    const watched = m.dimensions ?? {};
    const names = (d: object) => Object.keys(d).sort().join('\u0000');
    const fix = 'Give the alarm exactly the dimensions of the filter\'s MetricTransformations (none, as in the CIS remediation).';
    if (names(published) !== names(watched)) {
      return [finding('FAIL', [alarm, chain.filter?.origin.label], `alarm ${alarm} watches ${show(watched)} while metric filter ${chain.filter?.origin.label} `
        + `publishes ${show(published)}: the alarm's metric never gets a datapoint`, fix)];
    }
    const findings = [];
    for (const [name, value] of Object.entries(published)) {
      const want = watched[name];
      if (isUnknown(value) || isUnknown(want)) return [undecided(alarm, `dimension ${name} of alarm ${alarm} or its filter`, isUnknown(value) ? value : want, 'it may watch another metric')];
      if (value.trim().startsWith('$.')) {
        findings.push(finding('WARNING', [alarm], `alarm ${alarm} watches dimension ${name}=${want} of a metric the filter publishes per ${value}: `
          + 'events with any other value do not reach this alarm', fix));
      } else if (value !== want) {
        return [finding('FAIL', [alarm], `alarm ${alarm} watches dimension ${name}=${want}, the filter publishes ${name}=${value}: the alarm's metric never gets a datapoint`, fix)];
      }
    }
    return findings;
  },
};
