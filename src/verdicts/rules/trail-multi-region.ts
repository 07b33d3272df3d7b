import { isUnknown } from '../model';
import { Rule } from '../rule';
import { CIS_AUDIT, finding, trailOf, undecided } from './util';

/** The trail is multi-region. */
export const TRAIL_MULTI_REGION: Rule = {
  id: 'CIS-MON-TRAIL-MULTI-REGION',
  title: 'The trail is multi-region',
  link: 'trail',
  enforces: 'Audit step 1 identifies a multi-region trail (IsMultiRegionTrail true); a single-region trail never delivers the events of the other regions.',
  citation: `${CIS_AUDIT} step 1; https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html`,
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const value = chain.trail?.isMultiRegion;
    if (!chain.trail || value === true) return [];
    if (isUnknown(value)) return [undecided(trailOf(chain), `IsMultiRegionTrail of trail ${trailOf(chain)}`, value, 'a single-region trail misses the other regions')];
    return [finding('FAIL', [trailOf(chain)], `trail ${trailOf(chain)} is not multi-region: events of the other regions never reach the metric filters`,
      'Set IsMultiRegionTrail to true.')];
  },
};
