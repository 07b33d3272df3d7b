import { readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..');

describe('quick start on a fresh clone', () => {
  test('cdk.json carries every feature flag a new CDK app of the pinned aws-cdk-lib gets (no notice at synth)', () => {
    const recommended = JSON.parse(readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8'));
    const context = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context;
    expect(Object.keys(recommended).length).toBeGreaterThan(50);
    expect(context).toEqual(recommended);
  });

  test('npm test builds the replay\'s record scanner, bundles the Lambda handlers and provisions the Python tools of the deploy proof and the gates before jest runs', () => {
    const steps = JSON.parse(readFileSync(join(ROOT, '.projen', 'tasks.json'), 'utf8')).tasks.test.steps;
    expect(steps.slice(0, 3)).toEqual([{ spawn: 'compile:scanner' }, { spawn: 'bundle' }, { exec: 'bash scripts/e2e/setup.sh' }]);
    expect(steps[3].execArgs?.[0]).toBe('jest');
  });

  test('CI runs the README\'s two commands first, exactly as written, before anything is provisioned', () => {
    const commands = readFileSync(join(ROOT, '.ci', 'run'), 'utf8').split('\n').filter(line => /^(npm|npx|bash|python3?|pip) /.test(line));
    expect(commands[0]).toMatch(/^npm ci && npx cdk synth /);
    expect(commands[1]).toBe('npm test');
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toMatch(/^npm ci && npx cdk synth +#/m);
    expect(readme).toMatch(/^npm test +#/m);
  });
});
