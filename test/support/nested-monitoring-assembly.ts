import * as fs from 'fs';
import * as path from 'path';
import { App, NestedStack, Stack, aws_cloudtrail as cloudtrail, aws_logs as logs } from 'aws-cdk-lib';
import { CisLogMonitoring } from '../../src';

/**
 * Synthesizes a cloud assembly into a new directory under `parent`: a stack `Trail` (a multi-region trail
 * delivering to log group `trail-logs`) and a stack `Alarms` whose NestedStack `Monitoring` holds CisLogMonitoring
 * on that group by name (an app split across stacks, the monitoring nested). Returns the directory.
 */
export function synthNestedMonitoringAssembly(parent: string): string {
  const outdir = fs.mkdtempSync(path.join(parent, 'nested-'));
  const app = new App({ outdir });
  const env = { account: '111111111111', region: 'eu-west-1' };
  const trailStack = new Stack(app, 'Trail', { env });
  const group = new logs.LogGroup(trailStack, 'Logs', { logGroupName: 'trail-logs' });
  new cloudtrail.Trail(trailStack, 'Trail', { sendToCloudWatchLogs: true, cloudWatchLogGroup: group });
  const nested = new NestedStack(new Stack(app, 'Alarms', { env }), 'Monitoring');
  new CisLogMonitoring(nested, 'Cis', { logGroup: logs.LogGroup.fromLogGroupName(nested, 'TrailLogs', 'trail-logs'), emails: ['sec@example.com'] });
  app.synth();
  return outdir;
}
