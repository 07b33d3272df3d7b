import { Stack, aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as actions, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisControl, CisSeverity } from '../catalog';
import { CisSeverityRoute } from './cis-severity-route';
import { allowCloudWatchToPublish, allowCloudWatchToPublishOrWarn, allowCloudWatchToUseKey, createNotificationTopic } from './notification-topic';
import { fail, isAwsManagedSnsKey } from './validation';

/** Construct ID of the scope holding the created route topics. Part of the API: never change. */
export const ROUTES_ID = 'Routes';

/** Sends each people-facing alarm to the routes of its control's severity. */
export class SeverityRouting {
  private readonly topics: { readonly severities: Set<string>; readonly topic: sns.ITopic }[] = [];

  constructor(owner: Construct, routes: readonly CisSeverityRoute[], alarmArnPattern: string, alarmNamePrefix: string, key?: kms.IKey) {
    const ids = new Set<string>();
    routes.forEach((route, index) => {
      const where = `severityRoutes[${index}]`;
      if (!route.severities || route.severities.length === 0) fail(owner, `${where} has no severities; list the severities it receives.`);
      if (!route.topic && (route.subscriptions ?? []).length === 0) {
        fail(owner, `${where} has neither a topic nor subscriptions, so its alarms would reach nobody. Pass \`topic\` or \`subscriptions\`.`);
      }
      let topic = route.topic;
      if (topic) {
        allowCloudWatchToPublishOrWarn(owner, topic, alarmArnPattern, alarmNamePrefix, `severityRoutes[${index}]: `);
        const topicKey = (topic as { masterKey?: kms.IKey }).masterKey;
        if (topicKey) {
          if (isAwsManagedSnsKey(Stack.of(owner).resolve(topicKey.keyArn))) {
            fail(owner, `${where}: the topic is encrypted with the AWS managed key alias/aws/sns, to which CloudWatch alarms cannot publish. `
              + 'Encrypt it with a customer managed key.');
          }
          allowCloudWatchToUseKey(owner, topicKey, alarmArnPattern);
        }
      } else {
        // Named after the severities, not the position, so that adding a route leaves the others in place.
        const id = `Route${route.severities.map((s) => s.name.charAt(0) + s.name.slice(1).toLowerCase()).join('')}`;
        if (ids.has(id)) fail(owner, `${where} creates a second topic for the same severities (${id}); merge the two routes.`);
        ids.add(id);
        const routesScope = (owner.node.tryFindChild(ROUTES_ID) as Construct | undefined) ?? new Construct(owner, ROUTES_ID);
        const scope = new Construct(routesScope, id);
        if (key) {
          const created = new sns.Topic(scope, 'Topic', {
            displayName: `CIS monitoring alarms: ${route.severities.map((s) => s.name).join(', ')}`,
            masterKey: key,
            enforceSSL: true,
          });
          allowCloudWatchToPublish(created, alarmArnPattern);
          topic = created;
        } else {
          topic = createNotificationTopic(scope, alarmArnPattern).topic;
        }
      }
      for (const subscription of route.subscriptions ?? []) topic.addSubscription(subscription);
      this.topics.push({ severities: new Set(route.severities.map((s) => s.name)), topic });
    });
  }

  /** The topics that receive alarms of this severity (may be several, or none). */
  public topicsFor(severity: CisSeverity): sns.ITopic[] {
    return this.topics.filter((t) => t.severities.has(severity.name)).map((t) => t.topic);
  }

  /** Adds the routes of the control's severity to the alarm's actions. */
  public route(control: CisControl, alarm: cloudwatch.Alarm, okNotifications: boolean): void {
    for (const topic of this.topicsFor(control.severity)) {
      alarm.addAlarmAction(new actions.SnsAction(topic));
      if (okNotifications) alarm.addOkAction(new actions.SnsAction(topic));
    }
  }
}
