import { AdvancedEventSelector, EventSelector, Known, isUnknown } from '../model';
import { Rule } from '../rule';
import { CIS_AUDIT, finding, trailOf, undecided } from './util';

/** What a trail's selectors log of management events: read and write, one kind, none, or undecidable. */
export type ManagementLogging = 'All' | 'ReadOnly' | 'WriteOnly' | 'None' | { unknown: string };

/** Reads basic or advanced event selectors for management events. */
export function managementLogging(
  basic: Known<EventSelector[]> | undefined, advanced: Known<AdvancedEventSelector[]> | undefined,
): ManagementLogging {
  if (isUnknown(advanced)) return { unknown: advanced.$unknown };
  if (advanced !== undefined && advanced.length > 0) return advancedLogging(advanced);
  if (isUnknown(basic)) return { unknown: basic.$unknown };
  if (basic === undefined || basic.length === 0) return 'All';
  const kinds = new Set<string>();
  for (const s of basic) {
    if (isUnknown(s.includeManagementEvents)) return { unknown: s.includeManagementEvents.$unknown };
    if (s.includeManagementEvents === false) continue;
    if (isUnknown(s.readWriteType)) return { unknown: s.readWriteType.$unknown };
    kinds.add(s.readWriteType ?? 'All');
  }
  return combine(kinds);
}

function combine(kinds: Set<string>): ManagementLogging {
  if (kinds.has('All') || (kinds.has('ReadOnly') && kinds.has('WriteOnly'))) return 'All';
  if (kinds.has('ReadOnly')) return 'ReadOnly';
  if (kinds.has('WriteOnly')) return 'WriteOnly';
  return 'None';
}

function advancedLogging(selectors: AdvancedEventSelector[]): ManagementLogging {
  const kinds = new Set<string>();
  for (const selector of selectors) {
    if (isUnknown(selector.fieldSelectors)) return { unknown: selector.fieldSelectors.$unknown };
    const category = selector.fieldSelectors.find((f) => f.field === 'eventCategory');
    if (!category) continue;
    if (isUnknown(category.equals)) return { unknown: category.equals.$unknown };
    if (!(category.equals ?? []).includes('Management')) continue;
    const readOnly = selector.fieldSelectors.find((f) => f.field === 'readOnly');
    if (!readOnly) {
      kinds.add('All');
      continue;
    }
    if (isUnknown(readOnly.equals)) return { unknown: readOnly.equals.$unknown };
    const values = readOnly.equals ?? [];
    if (values.includes('true')) kinds.add('ReadOnly');
    if (values.includes('false')) kinds.add('WriteOnly');
  }
  return combine(kinds);
}

/** The trail logs every management event, read and write. */
export const TRAIL_MANAGEMENT_EVENTS: Rule = {
  id: 'CIS-MON-TRAIL-MANAGEMENT-EVENTS',
  title: 'The trail logs all management events, read and write',
  link: 'trail',
  enforces: 'Audit step 1: the trail needs an event selector with IncludeManagementEvents true and ReadWriteType All (or an advanced selector for eventCategory Management without a readOnly field); the controls watch write calls, and 4.1 read calls too.',
  citation: `${CIS_AUDIT} step 1; https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html`,
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const trail = chain.trail;
    if (!trail) return [];
    const logging = managementLogging(trail.eventSelectors, trail.advancedEventSelectors);
    if (logging === 'All') return [];
    if (typeof logging === 'object') {
      return [undecided(trailOf(chain), `the event selectors of trail ${trailOf(chain)}`, { $unknown: logging.unknown }, 'it may not log management events')];
    }
    const what = logging === 'None' ? 'logs no management events' : `logs only ${logging === 'ReadOnly' ? 'read' : 'write'} management events`;
    return [finding('FAIL', [trailOf(chain)], `trail ${trailOf(chain)} ${what}: the controls miss the calls it drops`,
      'Log all management events: an event selector with IncludeManagementEvents true and ReadWriteType All.')];
  },
};
