import { CisPatternSet } from '../../catalog/cis-pattern-set';
import { Known, Trail, isUnknown } from '../model';
import { Rule } from '../rule';
import { finding, trailOf, undecided } from './util';

/** The management event sources a trail does not log (basic ExcludeManagementEventSources or advanced eventSource NotEquals). */
export function excludedSources(chain: { trail?: Trail }): Known<string[]> {
  const trail = chain.trail;
  if (!trail) return [];
  const excluded = new Set<string>();
  const advanced = trail.advancedEventSelectors;
  if (isUnknown(advanced)) return advanced;
  if (advanced !== undefined && advanced.length > 0) {
    for (const selector of advanced) {
      if (isUnknown(selector.fieldSelectors)) return selector.fieldSelectors;
      const management = selector.fieldSelectors.some((f) => f.field === 'eventCategory' && !isUnknown(f.equals) && (f.equals ?? []).includes('Management'));
      if (!management) continue;
      for (const f of selector.fieldSelectors) {
        if (f.field !== 'eventSource') continue;
        if (isUnknown(f.notEquals)) return f.notEquals;
        for (const s of f.notEquals ?? []) if (!isUnknown(s)) excluded.add(s);
      }
    }
    return [...excluded];
  }
  const basic = trail.eventSelectors;
  if (isUnknown(basic)) return basic;
  for (const s of basic ?? []) {
    if (s.includeManagementEvents === false) continue;
    if (isUnknown(s.excludeManagementEventSources)) return s.excludeManagementEventSources;
    for (const source of s.excludeManagementEventSources ?? []) {
      if (isUnknown(source)) return source;
      excluded.add(source);
    }
  }
  return [...excluded];
}

/** The event sources a pattern requires (`$.eventSource = x`); empty when it matches events of any source. */
export function sourcesOf(pattern: string): string[] {
  return [...pattern.matchAll(/\$\.eventSource\s*=\s*"?([A-Za-z0-9.*-]+)"?/g)].map((m) => m[1]);
}

/** The trail logs the event sources the control watches. */
export const TRAIL_EXCLUDED_SOURCES: Rule = {
  id: 'CIS-MON-TRAIL-EXCLUDED-SOURCES',
  title: 'The trail logs the event sources the control watches',
  link: 'trail',
  enforces: 'A trail may exclude kms.amazonaws.com or rdsdata.amazonaws.com management events; the KMS control (4.7 / 5.7) then sees no DisableKey or ScheduleKeyDeletion, and the controls matching any source miss those calls.',
  citation: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html#logging-management-events-exclude',
  severity: 'FAIL',
  check(_snapshot, control, chain) {
    if (!chain.trail) return [];
    const excluded = excludedSources(chain);
    if (isUnknown(excluded)) return [undecided(trailOf(chain), `the excluded event sources of trail ${trailOf(chain)}`, excluded, `control ${control.id} may see no events`)];
    if (excluded.length === 0) return [];
    const pattern = chain.filter && !isUnknown(chain.filter.pattern)
      ? chain.filter.pattern
      : control.control.patternFor(control.patternSet ?? CisPatternSet.RECOMMENDED);
    const sources = sourcesOf(pattern);
    const fix = 'Remove the exclusion (ExcludeManagementEventSources / the eventSource NotEquals field selector).';
    if (sources.length > 0) {
      if (sources.every((s) => excluded.includes(s))) {
        return [finding('FAIL', [trailOf(chain)],
          `trail ${trailOf(chain)} excludes ${sources.join(', ')} events, the only ones control ${control.id} watches: it can never fire`, fix)];
      }
      return [];
    }
    return [finding('WARNING', [trailOf(chain)], `trail ${trailOf(chain)} excludes ${excluded.join(', ')} events: control ${control.id} does not see those calls`, fix)];
  },
};
