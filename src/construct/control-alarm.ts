import { Duration, aws_cloudwatch as cloudwatch, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';

// The recipe every control of the construct follows (compliance, operational and tamper): metric filters that count
// each matching CloudTrail event (value 1) into one metric, and an alarm when the sum over a period reaches the
// threshold. Written once here; the callers choose the construct IDs, names and descriptions (part of the API).

/** The metric a control counts into, on the trail's log group. */
export interface ControlMetric {
  readonly logGroup: logs.ILogGroup;
  readonly namespace: string;
  readonly metricName: string;
}

/** A control's alarm: its name, what it says, and when it fires. */
export interface ControlAlarmOptions {
  readonly alarmName: string;
  readonly alarmDescription: string;
  /** The period the alarm sums the metric over. */
  readonly period: Duration;
  /** The alarm fires when the sum in one period is at least this. */
  readonly threshold: number;
}

/** One control's metric filters and alarm, built in `scope`. */
export class ControlAlarm {
  /** The metric filters, in the order added. */
  public readonly filters: logs.MetricFilter[] = [];

  constructor(private readonly scope: Construct, private readonly metric: ControlMetric) {}

  /** Adds a metric filter counting the events `pattern` matches into the control's metric. */
  public addFilter(id: string, pattern: string, filterName: string = this.metric.metricName): logs.MetricFilter {
    const filter = new logs.MetricFilter(this.scope, id, {
      logGroup: this.metric.logGroup,
      filterName,
      filterPattern: logs.FilterPattern.literal(pattern),
      metricNamespace: this.metric.namespace,
      metricName: this.metric.metricName,
      metricValue: '1',
    });
    this.filters.push(filter);
    return filter;
  }

  /** Adds the alarm on the sum of the control's metric; periods without events are not breaching. */
  public addAlarm(id: string, options: ControlAlarmOptions): cloudwatch.Alarm {
    return new cloudwatch.Alarm(this.scope, id, {
      alarmName: options.alarmName,
      alarmDescription: options.alarmDescription,
      metric: new cloudwatch.Metric({
        namespace: this.metric.namespace,
        metricName: this.metric.metricName,
        statistic: cloudwatch.Stats.SUM,
        period: options.period,
      }),
      threshold: options.threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
