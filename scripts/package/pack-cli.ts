// Packs the CLI package (packages/cli) into dist/js next to the library's tarball, as it is published, at the
// library's version. In the repository the CLI depends on the library as `file:../..` (the workspace's root). The
// published CLI bundles the two parts of the library it uses, lib/catalog and lib/engine (they import nothing else),
// as a bundled dependency without the library's peer dependencies: installing the CLI must not pull in aws-cdk-lib.
// Run after `npx projen compile` (it packs packages/cli/lib and the library's lib/).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'packages', 'cli');
const OUT = path.join(ROOT, 'dist', 'js');

const library = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const cli = JSON.parse(fs.readFileSync(path.join(CLI, 'package.json'), 'utf8')) as Record<string, any>;
if (!fs.existsSync(path.join(CLI, 'lib', 'main.js'))) {
  throw new Error('packages/cli/lib/main.js is missing: run `npx projen compile` first');
}

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'cis-cli-pack-'));
try {
  fs.cpSync(path.join(CLI, 'lib'), path.join(stage, 'lib'), { recursive: true });
  fs.copyFileSync(path.join(CLI, 'README.md'), path.join(stage, 'README.md'));
  fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(stage, 'LICENSE'));
  const bundled = path.join(stage, 'node_modules', library.name);
  for (const part of ['catalog', 'engine']) {
    fs.cpSync(path.join(ROOT, 'lib', part), path.join(bundled, 'lib', part), { recursive: true, filter: f => !f.endsWith('.tsbuildinfo') });
  }
  fs.writeFileSync(path.join(bundled, 'package.json'), JSON.stringify({
    name: library.name,
    version: library.version,
    license: 'Apache-2.0',
    description: `The catalog and filter-pattern engine of ${library.name}, bundled with its CLI (no constructs).`,
  }, undefined, 2) + '\n');
  delete cli['//'];
  cli.version = library.version;
  cli.dependencies = { ...cli.dependencies, [library.name]: library.version };
  cli.bundleDependencies = [library.name];
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(cli, undefined, 2) + '\n');
  fs.mkdirSync(OUT, { recursive: true });
  const tarball = execFileSync('npm', ['pack', '--pack-destination', OUT], { cwd: stage, encoding: 'utf8' }).trim().split('\n').pop();
  process.stdout.write(`packed dist/js/${tarball} (${cli.name}@${cli.version}, depends on ${library.name}@${library.version})\n`);
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
