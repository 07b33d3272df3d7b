import { Annotations, Stack, Token, aws_iam as iam, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { fail, isAwsManagedSnsKey } from './validation';

/** Construct IDs of the topic resources inside `CisLogMonitoring`. Part of the API: never change. */
export const TOPIC_ID = 'Topic';
export const TOPIC_KEY_ID = 'TopicKey';

/** What the alarms publish to, and the key that encrypts it when the construct owns the key. */
export interface NotificationTopic {
  readonly topic: sns.ITopic;
  readonly key?: kms.IKey;
}

/**
 * The topic the alarms notify, encrypted so that CloudWatch can still publish to it.
 *
 * The failure this prevents is silent: an alarm whose topic is encrypted with a key CloudWatch
 * may not use (or with the AWS managed `alias/aws/sns`, whose policy nobody can change) changes
 * state, tries to publish, and nothing arrives.
 */
export function createNotificationTopic(scope: Construct, alarmArnPattern: string, topicEncryptionKey?: kms.IKey): NotificationTopic {
  const stack = Stack.of(scope);
  if (topicEncryptionKey && isAwsManagedSnsKey(stack.resolve(topicEncryptionKey.keyArn))) {
    fail(scope, 'topicEncryptionKey is the AWS managed key alias/aws/sns. CloudWatch alarms cannot publish to a topic '
      + 'encrypted with it (its key policy cannot be changed to allow cloudwatch.amazonaws.com), so every notification would be dropped. '
      + 'Pass a customer managed key, or leave topicEncryptionKey out to get one.');
  }
  const key = topicEncryptionKey ?? new kms.Key(scope, TOPIC_KEY_ID, {
    description: `Encrypts the CIS monitoring alarm topic of ${scope.node.path}`,
    enableKeyRotation: true,
  });
  allowCloudWatchToUseKey(scope, key, alarmArnPattern);

  const topic = new sns.Topic(scope, TOPIC_ID, {
    displayName: 'CIS AWS Foundations Benchmark monitoring alarms',
    masterKey: key,
    enforceSSL: true,
  });
  allowCloudWatchToPublish(topic, alarmArnPattern);
  return { topic, key };
}

/** The conditions that keep CloudWatch (a service principal shared by every account) acting only for our alarms. */
export function alarmSourceConditions(scope: Construct, alarmArnPattern: string): Record<string, unknown> {
  return {
    StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
    ArnLike: { 'aws:SourceArn': alarmArnPattern },
  };
}

/** Lets the alarms publish to a topic. A no-op for imported topics, whose policy this app does not own. */
export function allowCloudWatchToPublish(topic: sns.ITopic, alarmArnPattern: string): boolean {
  return topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: alarmSourceConditions(topic, alarmArnPattern),
  })).statementAdded;
}

/**
 * Lets CloudWatch alarms publish to a topic (the main `topic` or a severity route's). A topic imported from outside
 * the app (by ARN) keeps its policy and key where this app cannot see or change them: then a warning on `scope`
 * says what they must allow, or every alarm notification is dropped.
 *
 * @param where how the warning names the topic's prop, e.g. `severityRoutes[0]: ` (empty for `topic`)
 */
export function allowCloudWatchToPublishOrWarn(scope: Construct, topic: sns.ITopic, alarmArnPattern: string, alarmNamePrefix: string,
  where: string): void {
  if (allowCloudWatchToPublish(topic, alarmArnPattern)) return;
  const stack = Stack.of(scope);
  const known = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
  const sourceArn = `arn:${known(stack.partition, '<partition>')}:cloudwatch:${known(stack.region, '<region>')}:`
    + `${known(stack.account, '<account>')}:alarm:${known(alarmNamePrefix, '<alarm name prefix>')}*`;
  Annotations.of(scope).addWarningV2('cdk-cis-log-monitoring:importedTopic',
    `${where}topic ${topic.node.path} is imported, so its access policy and its encryption key cannot be checked or changed here. `
    + 'Make sure (1) its policy allows the service principal cloudwatch.amazonaws.com sns:Publish, with conditions '
    + `aws:SourceAccount ${known(stack.account, '<account>')} and aws:SourceArn ${sourceArn}, and (2) if it is `
    + 'encrypted, the key is customer managed (not alias/aws/sns) and its policy allows cloudwatch.amazonaws.com kms:Decrypt and '
    + 'kms:GenerateDataKey*. Otherwise every alarm notification is dropped.');
}

/** Lets CloudWatch encrypt messages for an encrypted topic; warns when the key's policy is not ours to change. */
export function allowCloudWatchToUseKey(scope: Construct, key: kms.IKey, alarmArnPattern: string): void {
  const added = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToUseTheKey',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: alarmSourceConditions(scope, alarmArnPattern),
  }), true).statementAdded;
  if (!added) {
    Annotations.of(scope).addWarningV2('cdk-cis-log-monitoring:importedKey',
      'The topic\'s KMS key is imported, so its key policy cannot be changed here. Add a statement that allows the service principal '
      + 'cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*, or alarm notifications will be dropped.');
  }
}
