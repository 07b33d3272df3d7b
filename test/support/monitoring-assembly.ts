import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage, aws_cloudtrail as cloudtrail, aws_logs as logs } from 'aws-cdk-lib';
import { CisControl, CisLogMonitoring } from '../../src';

/**
 * Synthesizes a cloud assembly (a cdk.out) into a new directory under `parent`: a stage `Prod` with a stack
 * `Monitoring` (a multi-region trail delivering to a log group, and CisLogMonitoring on that log group with one
 * e-mail subscriber and the given controls), and an unrelated empty stack `Unrelated`. Returns the directory.
 */
export function synthMonitoringAssembly(parent: string, controls?: CisControl[]): string {
  const outdir = fs.mkdtempSync(path.join(parent, 'cdk.out-'));
  const app = new App({ outdir });
  const stage = new Stage(app, 'Prod');
  const stack = new Stack(stage, 'Monitoring', { env: { account: '111111111111', region: 'eu-west-1' } });
  const logGroup = new logs.LogGroup(stack, 'TrailLogs');
  new cloudtrail.Trail(stack, 'Trail', { sendToCloudWatchLogs: true, cloudWatchLogGroup: logGroup });
  new CisLogMonitoring(stack, 'Cis', { logGroup, emails: ['sec@example.com'], controls });
  new Stack(app, 'Unrelated');
  app.synth();
  return outdir;
}
