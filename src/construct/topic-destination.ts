import { Annotations, Stack, aws_cloudwatch_actions as actions, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisAlarmDestinationBinding, ICisAlarmDestination } from './cis-alarm-destination';
import { TOPIC_ID, allowCloudWatchToPublish, allowCloudWatchToPublishOrWarn, allowCloudWatchToUseKey, createNotificationTopic } from './notification-topic';
import { fail, isAwsManagedSnsKey } from './validation';

// The construct's SNS topics as destinations (the alarm topic, the operational topic, the severity route topics):
// how one is created or checked, subscribed and notified is written here once.

/** A topic the alarms notify: created (encrypted so that CloudWatch can publish) or given (its policy and key checked). */
export class TopicDestination implements ICisAlarmDestination {
  /** The destination of a topic (one per topic, so that a topic listed twice is notified once). */
  public static of(topic: sns.ITopic): TopicDestination {
    let destination = TopicDestination.byTopic.get(topic);
    if (!destination) {
      destination = new TopicDestination(topic);
      TopicDestination.byTopic.set(topic, destination);
    }
    return destination;
  }

  /**
   * A new topic in `scope` (construct ID `Topic`). With `sharedKey` (the construct's key, whose policy already lets
   * CloudWatch use it for every alarm of the prefix) it is encrypted with that key; otherwise it is the alarm topic's
   * recipe (`createNotificationTopic`): `topicEncryptionKey` or a new key (`TopicKey`), checked and granted.
   */
  public static create(scope: Construct, alarmArnPattern: string, options: {
    readonly sharedKey?: { readonly key: kms.IKey; readonly displayName: string }; readonly topicEncryptionKey?: kms.IKey;
  }): { readonly destination: TopicDestination; readonly key?: kms.IKey } {
    const shared = options.sharedKey;
    if (shared) {
      const topic = new sns.Topic(scope, TOPIC_ID, { displayName: shared.displayName, masterKey: shared.key, enforceSSL: true });
      allowCloudWatchToPublish(topic, alarmArnPattern);
      return { destination: TopicDestination.of(topic), key: shared.key };
    }
    const created = createNotificationTopic(scope, alarmArnPattern, options.topicEncryptionKey);
    return { destination: TopicDestination.of(created.topic), key: created.key };
  }

  /**
   * A topic passed in (`topic`, a route's `topic`): CloudWatch is let publish to it and use its key, or a warning on
   * `owner` says what to allow when it is imported; a topic encrypted with the AWS managed key is refused.
   *
   * @param where how the messages name the topic's prop, e.g. `severityRoutes[0]: ` (empty for `topic`)
   * @param awsManagedKeyMessage the error when the topic's key is `alias/aws/sns`
   */
  public static existing(owner: Construct, topic: sns.ITopic, alarmArnPattern: string, alarmNamePrefix: string, where: string,
    awsManagedKeyMessage: string): TopicDestination {
    const key = (topic as { masterKey?: kms.IKey }).masterKey;
    if (key) {
      if (isAwsManagedSnsKey(Stack.of(owner).resolve(key.keyArn))) fail(owner, awsManagedKeyMessage);
      allowCloudWatchToUseKey(owner, key, alarmArnPattern);
    }
    allowCloudWatchToPublishOrWarn(owner, topic, alarmArnPattern, alarmNamePrefix, where);
    return TopicDestination.of(topic);
  }

  /** One destination per topic. */
  private static readonly byTopic = new WeakMap<sns.ITopic, TopicDestination>();

  private constructor(public readonly topic: sns.ITopic) {}

  /**
   * Subscribes e-mail addresses (one construct per address in `scope`, IDs from `validateEmails`) and further
   * subscriptions; warns on `warnOn` when the topic is left without any subscriber.
   */
  public subscribe(scope: Construct, emails: readonly string[], emailIds: readonly string[], subscriptions: readonly sns.ITopicSubscription[],
    noSubscriber?: { readonly warnOn: Construct; readonly id: string; readonly message: string }): void {
    emails.forEach((email, index) => {
      // One construct per address, named after the address or its expression (never the position), so that adding
      // or removing an address leaves the others alone.
      new sns.Subscription(scope, emailIds[index], { topic: this.topic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: email });
    });
    for (const subscription of subscriptions) this.topic.addSubscription(subscription);
    if (noSubscriber && emails.length === 0 && subscriptions.length === 0) {
      Annotations.of(noSubscriber.warnOn).addWarningV2(noSubscriber.id, noSubscriber.message);
    }
  }

  public addAlarmActions(binding: CisAlarmDestinationBinding): void {
    binding.alarm.addAlarmAction(new actions.SnsAction(this.topic));
    if (binding.okNotifications) binding.alarm.addOkAction(new actions.SnsAction(this.topic));
  }
}
