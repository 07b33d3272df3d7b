import { isUnknown } from '../model';
import { Rule } from '../rule';
import { CIS_AUDIT, finding, undecided } from './util';

/** The subscription is confirmed (live adapters; a template cannot see this). */
export const SUBSCRIPTION_CONFIRMED: Rule = {
  id: 'CIS-MON-SUBSCRIPTION-CONFIRMED',
  title: 'The subscription is confirmed',
  link: 'subscription',
  enforces: 'Audit step 6 looks for an active subscriber; a subscription pending confirmation receives nothing.',
  citation: `${CIS_AUDIT} step 6; https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html`,
  severity: 'FAIL',
  check(_snapshot, _control, chain) {
    const s = chain.subscription;
    if (!s || s.confirmed === undefined || s.confirmed === true) return [];
    const label = s.origin.label;
    if (isUnknown(s.confirmed)) return [undecided(label, `whether subscription ${label} is confirmed`, s.confirmed, 'a pending subscription receives nothing')];
    return [finding('FAIL', [label], `subscription ${label} of topic ${chain.topic?.origin.label} is pending confirmation: it receives nothing`,
      'Confirm the subscription (the link in the e-mail), or subscribe an endpoint that confirms.')];
  },
};
