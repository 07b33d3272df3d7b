import { isUnknown } from '../model';
import { CIS_AUDIT, finding, missing } from './util';
import { Rule } from '../rule';

/** The topic has a subscription. */
export const SUBSCRIPTION_PRESENT: Rule = {
  id: 'CIS-MON-SUBSCRIPTION-PRESENT',
  title: 'The topic has a subscriber',
  link: 'subscription',
  enforces: 'Audit step 6: the alarm\'s topic has at least one subscriber (list-subscriptions-by-topic); a topic without one tells nobody.',
  citation: `${CIS_AUDIT} step 6; https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html`,
  severity: 'FAIL',
  check(snapshot, _control, chain) {
    const topic = chain.topic;
    if (!topic || chain.subscription) return [];
    const label = topic.origin.label;
    const unresolved = snapshot.snapshot.subscriptions.find((s) => isUnknown(s.topic));
    if (unresolved) {
      return [finding('UNKNOWN', [unresolved.origin.label, label], `subscription ${unresolved.origin.label}'s topic cannot be determined (${(unresolved.topic as { $unknown: string }).$unknown}); `
        + `it may be topic ${label}'s only subscriber`, 'Refer to the topic with Ref or Fn::GetAtt in this template.')];
    }
    return [missing(snapshot, [label], `topic ${label} (notified by alarm ${chain.alarm?.origin.label}) has no subscription: nobody is notified`, 'Add an AWS::SNS::Subscription for the topic.')];
  },
};
