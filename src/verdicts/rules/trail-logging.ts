import { isUnknown } from '../model';
import { Rule } from '../rule';
import { CIS_AUDIT, finding, trailOf, undecided } from './util';

/** The trail is logging. */
export const TRAIL_LOGGING: Rule = {
  id: 'CIS-MON-TRAIL-LOGGING',
  title: 'The trail is logging',
  link: 'trail',
  enforces: 'Audit step 1: the multi-region trail must be active (IsLogging true); a stopped trail records no event.',
  citation: `${CIS_AUDIT} step 1; https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html`,
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const value = chain.trail?.isLogging;
    if (!chain.trail || value === true) return [];
    if (isUnknown(value)) return [undecided(trailOf(chain), `IsLogging of trail ${trailOf(chain)}`, value, 'a stopped trail records nothing')];
    return [finding('FAIL', [trailOf(chain)], `trail ${trailOf(chain)} is not logging (IsLogging false): no event reaches the metric filters`,
      'Set IsLogging to true (start-logging).')];
  },
};
