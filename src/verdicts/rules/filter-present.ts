import { KnownPatterns } from '../../catalog/variants';
import { MetricFilter, isUnknown } from '../model';
import { Chain, ControlContext, Rule } from '../rule';
import { acceptedPatterns, sameGroup, squash } from '../runner';
import { CIS_AUDIT, groupOf, missing, undecided } from './util';

/** The trail's log group has a metric filter with the control's exact pattern text. */
export const FILTER_PRESENT: Rule = {
  id: 'CIS-MON-FILTER-PRESENT',
  title: 'The trail log group has the control\'s metric filter',
  link: 'metric filter',
  enforces: 'Audit step 2: a metric filter on the trail\'s log group whose filterPattern is the control\'s text (checkers such as Security Hub and prowler compare the exact text).',
  citation: `${CIS_AUDIT} step 2; https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringPolicyExamples.html`,
  severity: 'FAIL',
  check(snapshot, control, chain) {
    if (chain.filter) {
      const f = chain.filter;
      if (isUnknown(f.pattern)) return [undecided(f.origin.label, `the pattern of metric filter ${f.origin.label}`, f.pattern, `it may not be control ${control.id}'s`)];
      if (isUnknown(f.logGroupName) && !f.logGroupKey && !sameGroup(f.logGroupName, chain.logGroupName)) {
        return [undecided(f.origin.label, `the log group of metric filter ${f.origin.label}`, f.logGroupName, `it may not be the trail's ${groupOf(chain)}`)];
      }
      return [];
    }
    if (chain.logGroupName === undefined || (isUnknown(chain.logGroupName) && chain.trail)) return [];
    const reason = diagnose(snapshot.snapshot.metricFilters, control, chain);
    return [missing(snapshot, [chain.logGroup?.origin.label ?? chain.trail?.origin.label ?? groupOf(chain)],
      `control ${control.id} (${control.control.title}): ${reason}`,
      `Add a metric filter with the exact pattern of ${control.id} to ${groupOf(chain)} (cdk-cis-log-monitoring catalog prints it).`)];
  },
};

function diagnose(filters: MetricFilter[], context: ControlContext, chain: Chain): string {
  const expected = context.control.isCustom ? 'the control\'s pattern' : context.patternSet ? `${context.patternSet.name}'s pattern` : 'a pattern of any CIS pattern set';
  const accepted = acceptedPatterns(context);
  const group = groupOf(chain);
  const on = filters.filter((f) => (chain.logGroup !== undefined && f.logGroupKey === chain.logGroup.key)
    || sameGroup(f.logGroupName, chain.logGroupName));
  const known = KnownPatterns.of(context.control);
  const texts = (f: MetricFilter) => (isUnknown(f.pattern) ? undefined : f.pattern);
  const otherSet = on.find((f) => texts(f) !== undefined && known.has(texts(f) as string));
  if (otherSet) {
    return `metric filter ${otherSet.origin.label} on ${group} has the text of ${known.labelsOf(texts(otherSet) as string).join(', ')}; expected ${expected}`;
  }
  const spacing = on.find((f) => texts(f) !== undefined && [...accepted].some((a) => squash(a) === squash(texts(f) as string)));
  if (spacing) {
    return `metric filter ${spacing.origin.label} on ${group} differs from ${expected} only in whitespace; checkers (Security Hub, prowler) `
      + 'compare the exact text, so it fails there';
  }
  const elsewhere = filters.find((f) => texts(f) !== undefined && accepted.has(texts(f) as string));
  if (elsewhere) return `metric filter ${elsewhere.origin.label} has the pattern but is on another log group, not on the trail's ${group}`;
  return `no metric filter with ${expected} on the trail log group ${group}`;
}
