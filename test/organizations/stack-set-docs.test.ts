import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CisMonitoringStackSet } from '../../src';

// The docs state the size of the StackSet's per-account template; it is measured here, so the number cannot drift.

const ROOT = join(__dirname, '..', '..');

test('the size the docs state for the per-account template (15 controls, a topic per account) is the size measured', () => {
  const stack = new Stack(new App(), 'Management', { env: { account: '999999999999', region: 'us-east-1' } });
  const stackSet = new CisMonitoringStackSet(stack, 'CisEverywhere', {
    organizationalUnitIds: ['ou-ab12-3cd4ef56'],
    regions: ['eu-west-1'],
    trailLogGroupName: 'aws-controltower/CloudTrailLogs',
    emails: ['secops@example.com'],
  });
  const bytes = Buffer.byteLength(stackSet.templateBody, 'utf8');
  const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter(f => f.endsWith('.md')).map(f => join('docs', f))];
  const stated = pages.flatMap(page => [...readFileSync(join(ROOT, page), 'utf8').matchAll(/([\d,]+) bytes of compact JSON/g)]
    .map(m => [page, Number(m[1].replace(/,/g, ''))]));
  expect(stated.length).toBeGreaterThan(0);
  for (const [page, n] of stated) expect([page, n]).toEqual([page, bytes]);
});
