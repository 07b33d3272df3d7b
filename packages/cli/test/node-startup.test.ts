/**
 * The CLI starts without a runtime warning (ExperimentalWarning, DeprecationWarning, the AWS SDK's
 * NodeVersionSupportWarning...) on the Node.js release running this test: `npm test` runs it on the machine's
 * default node, `npx projen test:node` on every other release of test/node-versions.json (docs/node.md).
 * The CLI runs as its own process with this process's node (process.execPath), as users run it, with no
 * NODE_OPTIONS or NODE_NO_WARNINGS that could hide a warning.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { nodeReleases } from '../../../test/support/node-releases';
import { runTranspiledCli, transpileForChildProcess } from '../../../test/support/transpile';
import { COMMANDS } from '../src/commands';

const ROOT = path.join(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cloudtrail');
const MAJOR = Number(process.versions.node.split('.')[0]);
/** Whether the CLI supports this release (test/node-versions.json; an unpinned release is held to the same rule). */
const CLI_SUPPORTS_THIS_NODE = nodeReleases().find(release => release.major === MAJOR)?.cli !== false;

let dir: string;
let home: string;

/** A user's environment: PATH and an empty home, no AWS profile, nothing that silences or adds node options. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', ...extra };
}

/** A loopback port nothing listens on: the AWS SDK's requests are refused at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise(resolve => server.close(resolve));
  return port;
}

beforeAll(() => {
  dir = transpileForChildProcess();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'cis-home-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

describe(`the CLI's start-up on Node ${process.version}`, () => {
  const helps = [['--help'], ['--version'], ['help', 'replay'], ...Object.keys(COMMANDS).map(name => [name, '--help'])];

  test.each(helps.map(args => [args.join(' '), args]))('%s: exit 0, output on stdout, nothing on stderr', async (_, args) => {
    const run = await runTranspiledCli(dir, args as string[], userEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.length).toBeGreaterThan(0);
  });

  // replay instantiates the WebAssembly record scanner (SIMD), hunt loads DuckDB's native binding (Node-API).
  test.each([['replay'], ['hunt']])('%s of the CloudTrail fixtures: a report, nothing on stderr', async (command) => {
    const run = await runTranspiledCli(dir, [command, FIXTURES], userEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/4\.1\b/);
  });

  // audit and verify create AWS SDK clients, which warn on a Node line the SDK is about to drop.
  const sdkStart = CLI_SUPPORTS_THIS_NODE
    ? 'no warning from the AWS SDK (the CLI supports this line)'
    : 'the AWS SDK\'s NodeVersionSupportWarning, the reason the CLI\'s engines leave this line out';
  test.each([['audit'], ['verify']])(`%s: ${sdkStart}`, async (command) => {
    const run = await runTranspiledCli(dir, [command, '--region', 'us-east-1'], userEnv({
      AWS_ENDPOINT_URL: `http://127.0.0.1:${await closedPort()}`, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example', AWS_MAX_ATTEMPTS: '1',
    }));
    // Nothing answers: the command reports that it cannot read the account (exit 3, its one line on stderr).
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`^${command}: cannot read the account: .*ECONNREFUSED`, 'm'));
    if (CLI_SUPPORTS_THIS_NODE) {
      expect(run.stderr).not.toMatch(/Warning/);
    } else {
      // The reason test/node-versions.json leaves this line out of the CLI's engines (`cli: false`).
      expect(run.stderr).toMatch(/NodeVersionSupportWarning: The AWS SDK for JavaScript/);
    }
  });
});

describe('engines: the packages name exactly the Node.js lines that are tested', () => {
  /** The major lines a `^a.b.c || ^d.e.f` range admits (each part must be a caret range). */
  function majorsOf(range: string): number[] {
    return range.split('||').map(part => {
      const match = /^\^(\d+)\.\d+\.\d+$/.exec(part.trim());
      if (!match) throw new Error(`engines.node "${range}": "${part.trim()}" is not a caret range`);
      return Number(match[1]);
    });
  }
  const engines = (file: string): string => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')).engines.node;

  test('the library: every pinned release', () => {
    expect(majorsOf(engines('package.json'))).toEqual(nodeReleases().map(release => release.major));
  });

  test('the CLI: every pinned release but those marked cli: false', () => {
    expect(majorsOf(engines('packages/cli/package.json'))).toEqual(nodeReleases().filter(release => release.cli !== false).map(release => release.major));
  });
});
