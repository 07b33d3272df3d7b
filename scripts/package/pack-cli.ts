// Packs the CLI package (packages/cli) into dist/js next to the library's tarball, as it is published, at the
// library's version. In the repository the CLI depends on the library as `file:../..` (the workspace's root). The
// CLI imports the library through one module only, its CLI entry (lib/cli-support, from src/cli-support.ts); the
// published CLI bundles exactly the compiled files that entry requires, transitively (and their .d.ts), as a bundled
// dependency without the library's peer dependencies: installing the CLI must not pull in aws-cdk-lib. The pack
// fails when a file of that closure requires aws-cdk-lib, constructs or any package the CLI does not depend on.
// Run after `npx projen compile` (it packs packages/cli/lib and the library's lib/).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selfContainedClosure } from './bundle-closure';
import { CLI_LIBRARY_ENTRY } from './cli-entry';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'packages', 'cli');
const OUT = path.join(ROOT, 'dist', 'js');

const library = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const cli = JSON.parse(fs.readFileSync(path.join(CLI, 'package.json'), 'utf8')) as Record<string, any>;
if (!fs.existsSync(path.join(CLI, 'lib', 'main.js'))) {
  throw new Error('packages/cli/lib/main.js is missing: run `npx projen compile` first');
}
const entry = path.join(ROOT, `${CLI_LIBRARY_ENTRY}.js`);
if (!fs.existsSync(entry)) throw new Error(`${path.relative(ROOT, entry)} is missing: run \`npx projen compile\` first`);
// What the CLI needs at run time (.js, .json), and the declarations of its .d.ts files. They may use the CLI's own
// dependencies (the live adapter's AWS SDK clients), which npm installs beside the bundled copy.
const cliDependencies = Object.keys(cli.dependencies ?? {}).filter((name) => name !== library.name);
const libraryFiles = [
  ...selfContainedClosure(entry, ['.js', '.json'], cliDependencies).files,
  ...selfContainedClosure(path.join(ROOT, `${CLI_LIBRARY_ENTRY}.d.ts`), ['.d.ts'], cliDependencies).files,
];

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'cis-cli-pack-'));
try {
  fs.cpSync(path.join(CLI, 'lib'), path.join(stage, 'lib'), { recursive: true });
  fs.copyFileSync(path.join(CLI, 'README.md'), path.join(stage, 'README.md'));
  fs.copyFileSync(path.join(ROOT, 'LICENSE'), path.join(stage, 'LICENSE'));
  const bundled = path.join(stage, 'node_modules', library.name);
  for (const file of new Set(libraryFiles)) {
    const target = path.join(bundled, path.relative(ROOT, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  fs.writeFileSync(path.join(bundled, 'package.json'), JSON.stringify({
    name: library.name,
    version: library.version,
    license: 'Apache-2.0',
    description: `The part of ${library.name} its CLI uses (${CLI_LIBRARY_ENTRY} and what it requires), bundled with the CLI (no constructs).`,
  }, undefined, 2) + '\n');
  delete cli['//'];
  cli.version = library.version;
  cli.dependencies = { ...cli.dependencies, [library.name]: library.version };
  cli.bundleDependencies = [library.name];
  fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(cli, undefined, 2) + '\n');
  fs.mkdirSync(OUT, { recursive: true });
  const tarball = execFileSync('npm', ['pack', '--pack-destination', OUT], { cwd: stage, encoding: 'utf8' }).trim().split('\n').pop();
  process.stdout.write(`packed dist/js/${tarball} (${cli.name}@${cli.version}, bundling ${new Set(libraryFiles).size} files of ${library.name}@${library.version}: `
    + `the closure of ${CLI_LIBRARY_ENTRY})\n`);
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
