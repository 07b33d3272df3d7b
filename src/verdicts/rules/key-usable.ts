import { isUnknown } from '../model';
import { evaluate } from '../policy';
import { Rule } from '../rule';
import { alarmContext, finding, undecided } from './util';

const FIX = 'Encrypt the topic with a customer managed key whose policy allows cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*.';

/** A topic's key is a customer managed key, enabled, whose policy lets CloudWatch use it. */
export const KEY_USABLE: Rule = {
  id: 'CIS-MON-KEY-USABLE',
  title: 'CloudWatch can use the topic\'s KMS key',
  link: 'key',
  enforces: 'CloudWatch publishes to an encrypted topic only with a customer managed key whose policy allows cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*; the AWS managed alias/aws/sns key and a key that is disabled or pending deletion drop every notification.',
  citation: 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services; https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html',
  severity: 'FAIL',
  check(snapshot, _control, chain) {
    const topic = chain.topic;
    if (!topic || topic.kmsMasterKeyId === undefined) return [];
    const label = topic.origin.label;
    const ref = topic.kmsMasterKeyId;
    if (isUnknown(ref)) return [undecided(label, `the KMS key of topic ${label}`, ref, 'CloudWatch may not be able to use it')];
    const key = chain.key;
    if (/(^|:)alias\/aws\/sns$/.test(ref) || (key && key.keyManager === 'AWS')) {
      return [finding('FAIL', [label], `topic ${label} is encrypted with the AWS managed key alias/aws/sns, which CloudWatch may not use: every notification is dropped`, FIX)];
    }
    if (!key && (snapshot.snapshot.absent ?? []).includes(ref)) {
      return [finding('FAIL', [label], `topic ${label} is encrypted with key ${ref}, which does not exist: every notification is dropped`, FIX)];
    }
    if (!key) {
      return [finding('UNKNOWN', [label], `topic ${label} is encrypted with key ${ref}, which is not in ${snapshot.snapshot.source}: its state and grant to CloudWatch are not checked`, FIX)];
    }
    const keyLabel = key.origin.label;
    if (isUnknown(key.enabled)) return [undecided(keyLabel, `whether key ${keyLabel} is enabled`, key.enabled, 'a disabled key drops every notification')];
    if (key.enabled === false) {
      return [finding('FAIL', [keyLabel, label], `key ${keyLabel} of topic ${label} is disabled: every notification is dropped`, 'Enable the key.')];
    }
    if (isUnknown(key.keyState)) return [undecided(keyLabel, `the state of key ${keyLabel}`, key.keyState, 'a key pending deletion drops every notification')];
    if (key.keyState !== undefined && key.keyState !== 'Enabled') {
      return [finding('FAIL', [keyLabel, label], `key ${keyLabel} of topic ${label} is ${key.keyState}: every notification is dropped`, 'Enable the key (cancel its deletion).')];
    }
    const findings = [];
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
      const result = evaluate(key.policy, { service: 'cloudwatch.amazonaws.com', action, resource: undefined, context: alarmContext(snapshot, chain) });
      if (result.decision === 'allow') continue;
      const message = `the policy of key ${keyLabel} (of topic ${label}) ${result.reason}`;
      findings.push(result.decision === 'unknown'
        ? finding('UNKNOWN', [keyLabel, label], `${message}: the alarms may not be able to publish`, FIX)
        : finding('FAIL', [keyLabel, label], `${message}: the alarms cannot publish`, FIX));
    }
    return findings;
  },
};
