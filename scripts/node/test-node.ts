/**
 * `npx projen test:node`: runs the construct, engine and CLI suites with each Node.js release of
 * test/node-versions.json whose major line differs from the node running this script (that one ran `npm test`),
 * installing the releases first (scripts/node/install.ts). The deploy proof on moto (test/e2e and the CLI's
 * hunt --athena suite), the template gates, the language bindings and the docs checks run once, with the default
 * node, in `npm test`.
 *
 *   npx projen test:node                  every pinned release but the default's line
 *   npx projen test:node -- 24            only Node 24 (majors select releases; other arguments go to jest)
 *   npx projen test:node -- 22 packages/cli/test/node-startup.test.ts
 *
 * Each release's jest runs without coverage on at most two workers, with the release's bin/ first on PATH (a test
 * that spawns `node` gets the same release), and reports its wall time. Exit code 1 when a release's suites fail.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { installNodeReleases } from './install';
import { NodeRelease, nodeBinary, nodeReleases } from '../../test/support/node-releases';

const ROOT = path.join(__dirname, '..', '..');

/** Suites that run once, on the default node (npm test): moto, the gates' Python tools, the bindings, the docs. */
export const DEFAULT_NODE_ONLY = [
  '/node_modules/',
  '/test/bindings/',
  '/test/docs/',
  '/test/e2e/',
  '/test/gates/',
  '/packages/cli/test/hunt-athena\\.test\\.ts$',
];

function main(args: string[]): number {
  const majors = args.filter(arg => /^\d+$/.test(arg)).map(Number);
  const jestArgs = args.filter(arg => !/^\d+$/.test(arg));
  const defaultMajor = Number(process.versions.node.split('.')[0]);
  const pinned = nodeReleases();
  for (const major of majors) {
    if (!pinned.some(release => release.major === major)) throw new Error(`Node ${major} is not pinned in test/node-versions.json`);
  }
  const releases = pinned.filter(release => majors.length > 0 ? majors.includes(release.major) : release.major !== defaultMajor);
  if (majors.length === 0) {
    for (const release of pinned.filter(r => r.major === defaultMajor)) {
      console.error(`test:node: Node ${release.major} is this machine's default (${process.version}): npm test ran its suites`);
    }
  }
  installNodeReleases(releases);

  const results: Array<{ release: NodeRelease; status: number | null; seconds: number }> = [];
  for (const release of releases) {
    console.error(`\n=== test:node: Node ${release.version} (${new Date().toISOString()})`);
    const started = process.hrtime.bigint();
    const run = spawnSync(nodeBinary(release), [
      path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      // The caller's arguments first: jest's array options take every following bare argument as a value.
      ...jestArgs,
      '--ci', '--coverage=false', '--maxWorkers=2', '--reporters=default',
      ...DEFAULT_NODE_ONLY.map(pattern => `--testPathIgnorePatterns=${pattern}`),
    ], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, PATH: `${path.dirname(nodeBinary(release))}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    results.push({ release, status: run.status, seconds });
  }

  console.error('\ntest:node:');
  for (const { release, status, seconds } of results) {
    console.error(`  Node ${release.version}: ${status === 0 ? 'passed' : `FAILED (exit ${status})`} in ${seconds.toFixed(0)} s`);
  }
  return results.every(result => result.status === 0) ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (error) {
    console.error(`test:node: ${(error as Error).message}`);
    process.exit(1);
  }
}
