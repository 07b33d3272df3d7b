import { aws_cloudwatch as cloudwatch } from 'aws-cdk-lib';

/** What a destination is given for each alarm it receives. */
export interface CisAlarmDestinationBinding {
  /** The alarm to add actions to. */
  readonly alarm: cloudwatch.Alarm;

  /** Whether the alarm's return to OK is notified too (`okNotifications` of the construct). */
  readonly okNotifications: boolean;

  /**
   * The ARN pattern of every alarm of the construct, `arn:<partition>:cloudwatch:<region>:<account>:alarm:<alarmNamePrefix>*`:
   * the `aws:SourceArn` condition for a resource policy that lets the construct's alarms (and only them) reach the destination.
   */
  readonly alarmArnPattern: string;
}

/**
 * How alarms reach people: one class per kind of destination (an SNS topic, a Lambda function invoked by the alarm, an
 * SSM OpsItem or incident, ...). Pass instances in a severity route's `destinations`: every alarm of the route's
 * severities (the alarm people act on, and for CRITICAL the self-monitoring alarms) is handed to `addAlarmActions`
 * once. The construct's own topics (alarm topic, operational topic, route topics) are destinations of this kind too.
 * See docs/severity-routes.md for an example.
 */
export interface ICisAlarmDestination {
  /**
   * Adds this destination to the alarm's actions (the ALARM action, and the OK action when `okNotifications`), and
   * any permission the destination needs to be reached by the construct's alarms.
   */
  addAlarmActions(binding: CisAlarmDestinationBinding): void;
}
