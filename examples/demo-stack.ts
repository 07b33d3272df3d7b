import { Duration, RemovalPolicy, Stack, StackProps, aws_cloudtrail as cloudtrail, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CisLogMonitoring } from '../src';

/** Options of the demo stack. */
export interface CisMonitoringDemoStackProps extends StackProps {
  /** Who gets the alarms. */
  readonly emails?: string[];
}

/**
 * What a platform team deploys once per account: a multi-region CloudTrail trail that delivers
 * to a CloudWatch Logs log group (CIS audit step 1), and the CIS monitoring controls on that group.
 */
export class CisMonitoringDemoStack extends Stack {
  public readonly trailLogGroup: logs.LogGroup;
  public readonly monitoring: CisLogMonitoring;

  constructor(scope: Construct, id: string, props: CisMonitoringDemoStackProps = {}) {
    super(scope, id, props);

    this.trailLogGroup = new logs.LogGroup(this, 'TrailLogGroup', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    new cloudtrail.Trail(this, 'Trail', {
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      managementEvents: cloudtrail.ReadWriteType.ALL,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.trailLogGroup,
    });

    this.monitoring = new CisLogMonitoring(this, 'Cis', {
      logGroup: this.trailLogGroup,
      emails: props.emails ?? ['secops@example.com'],
      alarmPeriod: Duration.minutes(5),
    });
  }
}
