// The README's "Tested with" line states the versions the README's two commands were last proven with
// (docs/testing.md). One source of truth: the tools' versions come from the hash-locked files the tests install,
// aws-cdk-lib's from package.json; in CI's `npm test` the line must also name the Node.js, npm and Python that ran.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The version a lock pins for a package (one version for every Python the lock covers). */
function lockedVersion(lock: string, name: string): string {
  const text = fs.readFileSync(path.join(ROOT, 'test', 'requirements', lock), 'utf8');
  const versions = new Set([...text.matchAll(new RegExp(`^${name}(?:\\[[^\\]]*\\])?==(\\S+)`, 'gm'))].map(m => m[1]));
  if (versions.size !== 1) throw new Error(`${lock} pins ${name} at ${versions.size === 0 ? 'no version' : [...versions].join(', ')}`);
  return [...versions][0];
}

function testedWith(): Map<string, string> {
  const line = README.replace(/\n(?!\n)/g, ' ').match(/Tested with: ([^(]+)\(/);
  if (line === null) throw new Error('README.md has no "Tested with: ..." line');
  return new Map(line[1].split(',').map(part => {
    const m = part.trim().match(/^(.+) (\d[^\s]*)$/);
    if (m === null) throw new Error(`"Tested with": cannot read "${part.trim()}"`);
    return [m[1], m[2]] as [string, string];
  }));
}

describe('the README states the versions its two commands were last proven with', () => {
  test('moto, cfn-lint and checkov as locked, aws-cdk-lib as package.json pins it', () => {
    const stated = testedWith();
    expect({
      moto: stated.get('moto'), cfnLint: stated.get('cfn-lint'), checkov: stated.get('checkov'), cdk: stated.get('aws-cdk-lib'),
    }).toEqual({
      moto: lockedVersion('moto.txt', 'moto'),
      cfnLint: lockedVersion('moto.txt', 'cfn-lint'),
      checkov: lockedVersion('checkov.txt', 'checkov'),
      cdk: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).devDependencies['aws-cdk-lib'],
    });
    expect([...stated.keys()]).toEqual(['Node.js', 'npm', 'Python', 'moto', 'cfn-lint', 'checkov', 'aws-cdk-lib']);
  });

  // Only in CI's `npm test` (one of the README's two commands): `npx projen test:node` runs these suites on other
  // Node.js releases, which the line does not name.
  const readmeRun = process.env.CI === 'true' && process.env.npm_lifecycle_event === 'test';
  (readmeRun ? test : test.skip)('on CI\'s npm test: the Node.js, npm and Python of this run', () => {
    const stated = testedWith();
    const python = execFileSync(process.env.PYTHON ?? 'python3', ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' }).trim();
    const npm = execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim();
    expect({ node: stated.get('Node.js'), npm: stated.get('npm'), python: stated.get('Python') })
      .toEqual({ node: process.version.slice(1), npm, python });
  });

  test('a lock that pins a package at two versions, or none, is refused (so the line cannot pick one)', () => {
    expect(() => lockedVersion('moto.txt', 'no-such-package')).toThrow(/pins no-such-package at no version/);
  });
});
