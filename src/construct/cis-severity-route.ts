import { aws_sns as sns } from 'aws-cdk-lib';
import { CisSeverity } from '../catalog';
import { ICisAlarmDestination } from './cis-alarm-destination';

/**
 * Where the alarms of some severities go, in addition to the alarm topic: an existing topic (for example
 * the one an AWS Chatbot channel subscribes to) and/or subscriptions of any protocol (HTTPS for
 * PagerDuty or Opsgenie, SQS, Lambda, SMS).
 *
 * The route receives the alarm people act on: a control's operational alarm when exclusions apply to it,
 * otherwise its alarm.
 */
export interface CisSeverityRoute {
  /** The severities whose alarms this route receives, e.g. `[CisSeverity.CRITICAL]`. */
  readonly severities: CisSeverity[];

  /**
   * The topic to notify. CloudWatch is allowed to publish to it (and to use its KMS key) when the topic and
   * key are defined in this app; for imported ones, grant that yourself.
   *
   * @default - a new topic, encrypted with the construct's key, receiving `subscriptions`
   */
  readonly topic?: sns.ITopic;

  /**
   * Subscriptions added to the route's topic (the created one, or `topic`).
   *
   * @default - none
   */
  readonly subscriptions?: sns.ITopicSubscription[];

  /**
   * Further destinations of the route's alarms that are not SNS subscriptions, each one class implementing
   * `ICisAlarmDestination` (for example an alarm action that opens an SSM OpsItem). Each receives every alarm of the
   * route (the alarm people act on; for CRITICAL also the self-monitoring alarms) once; real-time notices and
   * who-did-it digests go to topics only. A route with `destinations` alone creates no topic.
   *
   * @default - none
   */
  readonly destinations?: ICisAlarmDestination[];
}
