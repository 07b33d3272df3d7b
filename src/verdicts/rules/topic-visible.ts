import { Rule } from '../rule';
import { finding } from './util';

/** The topic the alarm notifies is in the snapshot, so its policy, key and subscriptions can be checked. */
export const TOPIC_VISIBLE: Rule = {
  id: 'CIS-MON-TOPIC-VISIBLE',
  title: 'The alarm\'s topic can be checked',
  link: 'topic',
  enforces: 'Whether the alarm reaches a person depends on the topic\'s policy, key and subscriptions; a topic outside what was read cannot be judged, so the control is UNKNOWN, not PASS; a topic read and found deleted notifies nobody (FAIL).',
  citation: 'https://docs.aws.amazon.com/sns/latest/dg/sns-create-subscribe-endpoint-to-topic.html',
  severity: 'FAIL',
  check(snapshot, _control, chain) {
    if (chain.action === undefined || chain.topic) return [];
    const alarm = chain.alarm?.origin.label;
    if ((snapshot.snapshot.absent ?? []).includes(chain.action)) {
      return [finding('FAIL', [alarm], `alarm ${alarm} notifies topic ${chain.action}, which does not exist: nobody is notified`,
        'Point AlarmActions at an existing topic with a confirmed subscriber (or recreate the topic).')];
    }
    return [finding('UNKNOWN', [alarm], `alarm ${alarm} notifies topic ${chain.action}, which is not in ${snapshot.snapshot.source}: its policy, key and subscriptions are not checked`,
      'Check the topic where it lives (audit in its account), or include its stack.')];
  },
};
