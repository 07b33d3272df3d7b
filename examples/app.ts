#!/usr/bin/env node
// The demo app behind the README's quick start: `npm ci && npx cdk synth` prints its template.
// No AWS account is needed to synthesize: the stack is environment-agnostic.
import { App } from 'aws-cdk-lib';
import { CisMonitoringDemoStack } from './demo-stack';

const app = new App();
new CisMonitoringDemoStack(app, 'CisMonitoringDemo');
app.synth();
