// A user's CDK app in plain JavaScript (no build step), run by test/artifacts/user-steps.ts in a fresh folder where
// the library's tarball, aws-cdk-lib and constructs are installed: the README's demo stack (a multi-region trail
// delivering to a log group, CisLogMonitoring on it). Arguments: the output folder, and "true" for enrichAlarms.
const { App, Duration, RemovalPolicy, Stack, aws_cloudtrail: cloudtrail, aws_logs: logs } = require('aws-cdk-lib');
const { CisLogMonitoring } = require('cdk-cis-log-monitoring');

const [outdir, enrich] = process.argv.slice(2);
const app = new App({ outdir });
const stack = new Stack(app, 'CisArtifactApp');
const logGroup = new logs.LogGroup(stack, 'TrailLogGroup', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
new cloudtrail.Trail(stack, 'Trail', {
  isMultiRegionTrail: true,
  includeGlobalServiceEvents: true,
  managementEvents: cloudtrail.ReadWriteType.ALL,
  enableFileValidation: true,
  sendToCloudWatchLogs: true,
  cloudWatchLogGroup: logGroup,
});
new CisLogMonitoring(stack, 'Cis', {
  logGroup,
  emails: ['secops@example.com'],
  alarmPeriod: Duration.minutes(5),
  enrichAlarms: enrich === 'true',
});
app.synth();
