import { aws_cloudwatch as cloudwatch, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisControl, CisSeverity } from '../catalog';
import { ICisAlarmDestination } from './cis-alarm-destination';
import { CisSeverityRoute } from './cis-severity-route';
import { TopicDestination } from './topic-destination';
import { fail } from './validation';

/** Construct ID of the scope holding the created route topics. Part of the API: never change. */
export const ROUTES_ID = 'Routes';

/** Sends each people-facing alarm to the routes of its control's severity. */
export class SeverityRouting {
  private readonly routes: {
    readonly severities: Set<string>;
    readonly topic?: TopicDestination;
    /** The route's topic (if any) first, then its `destinations`, in order. */
    readonly destinations: readonly ICisAlarmDestination[];
  }[] = [];

  constructor(owner: Construct, routes: readonly CisSeverityRoute[], private readonly alarmArnPattern: string, alarmNamePrefix: string,
    key?: kms.IKey) {
    const ids = new Set<string>();
    routes.forEach((route, index) => {
      const where = `severityRoutes[${index}]`;
      if (!route.severities || route.severities.length === 0) fail(owner, `${where} has no severities; list the severities it receives.`);
      const subscriptions = route.subscriptions ?? [];
      const destinations = route.destinations ?? [];
      if (!route.topic && subscriptions.length === 0 && destinations.length === 0) {
        fail(owner, `${where} has neither a topic nor subscriptions nor destinations, so its alarms would reach nobody. `
          + 'Pass `topic`, `subscriptions` or `destinations`.');
      }
      let topic: TopicDestination | undefined;
      if (route.topic) {
        topic = TopicDestination.existing(owner, route.topic, alarmArnPattern, alarmNamePrefix, `${where}: `,
          `${where}: the topic is encrypted with the AWS managed key alias/aws/sns, to which CloudWatch alarms cannot publish. `
          + 'Encrypt it with a customer managed key.');
      } else if (subscriptions.length > 0) {
        // Named after the severities, not the position, so that adding a route leaves the others in place.
        const id = `Route${route.severities.map((s) => s.name.charAt(0) + s.name.slice(1).toLowerCase()).join('')}`;
        if (ids.has(id)) fail(owner, `${where} creates a second topic for the same severities (${id}); merge the two routes.`);
        ids.add(id);
        const routesScope = (owner.node.tryFindChild(ROUTES_ID) as Construct | undefined) ?? new Construct(owner, ROUTES_ID);
        topic = TopicDestination.create(new Construct(routesScope, id), alarmArnPattern, {
          sharedKey: key ? { key, displayName: `CIS monitoring alarms: ${route.severities.map((s) => s.name).join(', ')}` } : undefined,
        }).destination;
      }
      topic?.subscribe(owner, [], [], subscriptions);
      this.routes.push({
        severities: new Set(route.severities.map((s) => s.name)),
        topic,
        destinations: [...(topic ? [topic] : []), ...destinations],
      });
    });
  }

  /** The topics that receive alarms of this severity (may be several, or none). */
  public topicsFor(severity: CisSeverity): sns.ITopic[] {
    return this.routes.filter((r) => r.severities.has(severity.name) && r.topic).map((r) => r.topic!.topic);
  }

  /** The destinations that receive alarms of this severity: each route's topic and `destinations`, in route order. */
  public destinationsFor(severity: CisSeverity): ICisAlarmDestination[] {
    return this.routes.filter((r) => r.severities.has(severity.name)).flatMap((r) => r.destinations);
  }

  /** Adds the routes of the control's severity to the alarm's actions. */
  public route(control: CisControl, alarm: cloudwatch.Alarm, okNotifications: boolean): void {
    for (const destination of this.destinationsFor(control.severity)) {
      destination.addAlarmActions({ alarm, okNotifications, alarmArnPattern: this.alarmArnPattern });
    }
  }
}
