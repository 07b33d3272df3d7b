// DuckDB is an optional dependency of the CLI package, loaded by hunt's DuckDB path alone (issue 22 §3). The CLI runs
// as its own process from a transpiled copy laid out as installed (test/support/transpile.ts), once with DuckDB and
// once with the @duckdb scope taken out of its node_modules, as `npm install --omit=optional` leaves it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FIXTURE_DIR } from '../../../test/fixtures/cloudtrail/load';
import { ChildRun, runTranspiledCli, transpileForChildProcess } from '../../../test/support/transpile';
import { EXIT } from '../src/exit-codes';

const CLI_PACKAGE = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
const DUCKDB = '@duckdb/node-api';

let dir: string;
let home: string;

beforeAll(() => {
  dir = transpileForChildProcess();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'cis-home-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

const cli = (args: string[]): Promise<ChildRun> => runTranspiledCli(dir, args, { PATH: process.env.PATH, HOME: home });

test('the CLI package lists DuckDB as an optional dependency at an exact version, not as a dependency', () => {
  expect(CLI_PACKAGE.dependencies[DUCKDB]).toBeUndefined();
  expect(CLI_PACKAGE.optionalDependencies[DUCKDB]).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
});

describe('hunt with and without DuckDB installed', () => {
  const version = CLI_PACKAGE.optionalDependencies[DUCKDB];

  test('installed: hunt runs on DuckDB (the message below is about its absence, not another failure)', async () => {
    const run = await cli(['hunt', FIXTURE_DIR, '--json', '--samples', '0']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(EXIT.OK);
    expect(JSON.parse(run.stdout).events).toBeGreaterThan(0);
  });

  describe('absent (the @duckdb scope removed from node_modules)', () => {
    beforeAll(() => {
      const scope = path.join(dir, 'node_modules', '@duckdb');
      // a link into the repository's node_modules (transpileForChildProcess): unlinked, never deleted through
      expect(fs.lstatSync(scope).isSymbolicLink()).toBe(true);
      expect(fs.existsSync(path.join(scope, 'node-api'))).toBe(true);
      fs.unlinkSync(scope);
    });

    test('hunt on files exits with the usage code, naming the package, its exact version and how to install it', async () => {
      const run = await cli(['hunt', FIXTURE_DIR]);
      expect(run.code).toBe(EXIT.USAGE);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`hunt: DuckDB (${DUCKDB}) is not installed`);
      expect(run.stderr).toContain(`npm install -g ${DUCKDB}@${version}`);
      expect(run.stderr).toContain(`npm install ${DUCKDB}@${version}`);
      expect(run.stderr).toMatch(/Cannot find (module|package) '@duckdb\/node-api'/);
    });

    test('replay, catalog, hunt --sql and hunt --help still run', async () => {
      const replay = await cli(['replay', FIXTURE_DIR, '--json', '--samples', '0']);
      expect(replay.code).toBe(EXIT.OK);
      expect(JSON.parse(replay.stdout).events).toBeGreaterThan(0);
      for (const args of [['catalog'], ['hunt', '--sql', FIXTURE_DIR], ['hunt', '--sql', '--dialect', 'athena'], ['hunt', '--help']]) {
        const run = await cli(args);
        expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: EXIT.OK, stderr: '' });
        expect(run.stdout.length).toBeGreaterThan(100);
      }
    });
  });
});
