import { isUnknown } from '../model';
import { evaluate } from '../policy';
import { Rule } from '../rule';
import { alarmContext, finding } from './util';

/** The topic policy lets CloudWatch publish this alarm's notifications. */
export const TOPIC_POLICY: Rule = {
  id: 'CIS-MON-TOPIC-POLICY',
  title: 'The topic policy lets CloudWatch publish',
  link: 'topic',
  enforces: 'A topic policy replaces the default one: cloudwatch.amazonaws.com needs an Allow of sns:Publish whose conditions (aws:SourceArn = the alarm\'s ARN, aws:SourceAccount) the alarm meets, and no Deny that applies.',
  citation: 'https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html',
  severity: 'FAIL',
  check(snapshot, _control, chain) {
    const topic = chain.topic;
    const alarm = chain.alarm;
    if (!topic || !alarm || topic.policy === undefined) return [];
    const result = evaluate(topic.policy, {
      service: 'cloudwatch.amazonaws.com',
      action: 'sns:Publish',
      resource: topic.arn,
      context: alarmContext(snapshot, chain),
    });
    const label = topic.origin.label;
    const fix = `Allow the service principal cloudwatch.amazonaws.com sns:Publish on the topic, conditioned (if at all) on aws:SourceArn matching alarm ${alarm.origin.label}'s ARN, and remove Denies that apply to it.`;
    if (result.decision === 'allow') return [];
    if (result.decision === 'unknown') {
      return [finding('UNKNOWN', [label, alarm.origin.label], `the policy of topic ${label}: ${result.reason}; alarm ${alarm.origin.label}${isUnknown(alarm.name) ? '' : ` (${alarm.name})`} may not be able to publish`, fix)];
    }
    return [finding('FAIL', [label, alarm.origin.label], `the policy of topic ${label} ${result.reason} for alarm ${alarm.origin.label}: its notifications are dropped`, fix)];
  },
};
