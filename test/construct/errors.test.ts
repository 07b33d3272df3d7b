import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { synth } from './helpers';
import { CisMonitoringStackSet, CisSeverity, CisTamperProtectionPolicy } from '../../src';

// Issue 22 §2: every construct error starts with `<construct> <path>: `, built by one function (errorPrefix / fail in
// src/construct/validation.ts), so that two instances give distinguishable errors and the form cannot drift.

const SRC = join(__dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(join(SRC, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.lambda.ts') ? [path] : [];
  });
}

test('no source builds a construct error prefix by hand: the prefix is written once, in validation.ts', () => {
  const handBuilt = /(CisLogMonitoring|CisMonitoringStackSet|CisTamperProtectionPolicy) \$\{/;
  const offenders = [...sources('construct'), ...sources('organizations')]
    .filter((file) => file !== join('construct', 'validation.ts'))
    .flatMap((file) => readFileSync(join(SRC, file), 'utf8').split('\n')
      .map((line, index) => [`${file}:${index + 1}`, line] as const)
      .filter(([, line]) => handBuilt.test(line))
      .map(([where]) => where));
  expect(offenders).toEqual([]);
  expect(readFileSync(join(SRC, 'construct', 'validation.ts'), 'utf8')).toMatch(/return `\$\{kind\} \$\{scope\.node\.path\}`;/);
});

test('each construct\'s errors carry its name and path, from the one prefix', () => {
  expect(() => synth({ severityRoutes: [{ severities: [] as CisSeverity[] }] }))
    .toThrow(/^CisLogMonitoring TestStack\/Cis: severityRoutes\[0\] has no severities/);
  const stack = new Stack(new App(), 'Management');
  expect(() => new CisMonitoringStackSet(stack, 'Everywhere', { organizationalUnitIds: [], regions: ['eu-west-1'], trailLogGroupName: 'x' }))
    .toThrow(/^CisMonitoringStackSet Management\/Everywhere: `organizationalUnitIds` is empty/);
  expect(() => new CisTamperProtectionPolicy(stack, 'Scp', { breakGlassPrincipalArns: [], trailLogGroupNames: ['x'], topicNames: ['x'] }))
    .toThrow(/^CisTamperProtectionPolicy Management\/Scp: `breakGlassPrincipalArns` is empty/);
});
