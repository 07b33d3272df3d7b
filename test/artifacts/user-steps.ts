/**
 * The artifact test (test/artifacts/run.sh, `npx projen test:artifacts`): installs the npm tarballs as published
 * (dist/js: the library's jsii tarball and the CLI's tarball, packed by `npx projen package:js` and `package:cli`)
 * into fresh folders under the system's temporary directory, nothing linked from the workspace, and runs what a
 * user runs:
 *
 * - the CLI: `--help`, `--version` and every command's `--help`; `catalog`; `replay` and `hunt` on the CloudTrail
 *   fixtures (the counts of test/fixtures/cloudtrail/expectations.ts); `check` on a cdk.out synthesized by a CDK app
 *   that installed the library's tarball (PASS; FAIL once a metric filter is removed); `audit` against moto on
 *   loopback with that app deployed (PASS; FAIL once a metric filter is deleted); the CLI installed with
 *   `--omit=optional` (no DuckDB): hunt exits 1 naming `npm install -g @duckdb/node-api@<version>`, replay, catalog
 *   and `hunt --sql` run, and hunt runs once that install is done;
 * - the library: a CDK app in plain JavaScript, with aws-cdk-lib and constructs at exactly the versions the library
 *   is built and tested with, synthesizes the construct (and its alarm enrichment, whose Lambda code is an asset of
 *   the tarball).
 *
 * The workspace supplies only the oracles (the fixture expectations, the catalog, the command list) and moto.
 * The wheel, the jar and the Go module are installed from their packed artifacts by test/bindings/run.sh.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DeleteMetricFilterCommand, DescribeLogGroupsCommand, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { COMMANDS } from '../../packages/cli/src/commands';
import { EXIT } from '../../packages/cli/src/exit-codes';
import { CisPatternSet } from '../../src/catalog';
import { MotoClients, deployToMoto } from '../e2e/moto/deploy';
import { MotoServer } from '../e2e/moto/server';
import { expectedMatches } from '../fixtures/cloudtrail/expectations';
import { FIXTURE_DIR, loadFixtureRecords } from '../fixtures/cloudtrail/load';

const ROOT = path.resolve(__dirname, '..', '..');
const REGION = 'us-east-1';
const STACK = 'CisArtifactApp';
/** Per child process: npm installs included. */
const TIMEOUT_MS = 180_000;

const library = readJson(path.join(ROOT, 'package.json'));
const cliManifest = readJson(path.join(ROOT, 'packages', 'cli', 'package.json'));
/** hunt's DuckDB, an optional dependency of the CLI. */
const DUCKDB = '@duckdb/node-api';
const CDK_VERSION: string = library.devDependencies['aws-cdk-lib'];
const CONSTRUCTS_VERSION: string = library.devDependencies.constructs;
const LIBRARY_TARBALL = path.join(ROOT, 'dist', 'js', `${library.name}@${library.version}.jsii.tgz`);
const CLI_TARBALL = path.join(ROOT, 'dist', 'js', `${cliManifest.name}-${library.version}.tgz`);

let failures = 0;
const timings: string[] = [];

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function check(ok: boolean, what: string, detail = ''): void {
  if (ok) {
    process.stdout.write(`  ok   ${what}\n`);
  } else {
    failures++;
    process.stdout.write(`  FAIL ${what}${detail ? `\n${detail.replace(/^/gm, '       ')}` : ''}\n`);
  }
}

interface Run { readonly code: number | null; readonly stdout: string; readonly stderr: string }

/** Runs a program in `cwd` with a user's environment: no NODE_PATH, no npm_* variables of the workspace's npm run. */
function run(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|NODE_PATH$|NODE_OPTIONS$|INIT_CWD$)/.test(name)));
  const result = spawnSync(command, args, { cwd, env: { ...clean, ...env }, encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function show(result: Run): string {
  return `exit ${result.code}\nstdout: ${result.stdout.slice(0, 1500)}\nstderr: ${result.stderr.slice(0, 3000)}`;
}

/** A fresh folder with its own package.json, the tarballs installed by npm as a user installs them. */
function install(dir: string, packages: string[], flags: string[] = []): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), version: '1.0.0', private: true }, undefined, 2));
  addPackages(dir, packages, flags);
}

/** `npm install` of more packages into a folder `install` made (its package.json keeps what it has). */
function addPackages(dir: string, packages: string[], flags: string[] = []): void {
  const started = Date.now();
  const result = run(dir, 'npm', ['install', '--no-audit', '--no-fund', '--loglevel', 'error', ...flags, ...packages]);
  timings.push(`npm install in ${path.basename(dir)} ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (result.code !== 0) throw new Error(`npm install ${packages.join(' ')} failed in ${dir}:\n${show(result)}`);
}

/** No node_modules folder above `dir`: Node's resolution from `dir` cannot reach the workspace's packages. */
function assertIsolated(dir: string): void {
  for (let at = path.dirname(dir); ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, 'node_modules'))) throw new Error(`${at}/node_modules exists: Node would resolve packages from it`);
    if (path.dirname(at) === at) break;
  }
  if (dir.startsWith(ROOT + path.sep)) throw new Error(`${dir} is inside the workspace`);
}

/** The library's own file as installed (not a link into the workspace). */
function installedPackageDir(dir: string, name: string): string {
  const found = path.join(dir, 'node_modules', name);
  return fs.realpathSync(found);
}

function countsOf(report: any): Record<string, number> {
  return Object.fromEntries((report.controls as any[]).map((c) => [c.key, c.matches]));
}

function synthApp(appDir: string, outdir: string, enrich: boolean): Run {
  return run(appDir, process.execPath, ['app.js', outdir, String(enrich)]);
}

async function main(): Promise<void> {
  for (const tarball of [LIBRARY_TARBALL, CLI_TARBALL]) {
    if (!fs.existsSync(tarball)) throw new Error(`${path.relative(ROOT, tarball)} is missing: run \`npx projen package:js\` and \`npx projen package:cli\``);
  }
  const work = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'cis-artifacts-'));
  assertIsolated(work);
  process.stdout.write(`artifacts: ${path.relative(ROOT, LIBRARY_TARBALL)} (${fs.statSync(LIBRARY_TARBALL).size} bytes), `
    + `${path.relative(ROOT, CLI_TARBALL)} (${fs.statSync(CLI_TARBALL).size} bytes); installed under ${work}\n`);
  const cliDir = path.join(work, 'cli-user');
  const appDir = path.join(work, 'cdk-app');
  const liteDir = path.join(work, 'cli-without-optional');
  let moto: MotoServer | undefined;
  let clients: MotoClients | undefined;
  try {
    // --- the CLI, installed from its tarball alone ---
    process.stdout.write('\nthe CLI package, installed from its tarball\n');
    install(cliDir, [CLI_TARBALL]);
    const installedCli = installedPackageDir(cliDir, cliManifest.name);
    check(installedCli.startsWith(cliDir + path.sep), `${cliManifest.name} is installed in the fresh folder (${installedCli})`);
    for (const peer of ['aws-cdk-lib', 'constructs']) {
      check(!fs.existsSync(path.join(cliDir, 'node_modules', peer)), `installing the CLI does not install ${peer}`);
    }
    const bin = path.join(cliDir, 'node_modules', '.bin', 'cdk-cis-log-monitoring');
    const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Run => run(cliDir, bin, args, env);

    const help = cli(['--help']);
    check(help.code === 0 && /^Usage: cdk-cis-log-monitoring <command>/m.test(help.stdout), 'cdk-cis-log-monitoring --help', show(help));
    for (const name of Object.keys(COMMANDS)) {
      check(new RegExp(`^  ${name} `, 'm').test(help.stdout), `--help lists ${name}`);
      const commandHelp = cli([name, '--help']);
      check(commandHelp.code === 0 && new RegExp(`^Usage: cdk-cis-log-monitoring ${name} `, 'm').test(commandHelp.stdout)
        && !/Error|Cannot find module/.test(commandHelp.stderr), `cdk-cis-log-monitoring ${name} --help`, show(commandHelp));
    }
    const version = cli(['--version']);
    check(version.code === 0 && version.stdout.trim().endsWith(library.version), `--version prints ${library.version}`, show(version));

    const catalog = cli(['catalog']);
    const keys = CisPatternSet.RECOMMENDED.controls().map((c) => c.key);
    check(catalog.code === 0 && keys.every((key) => catalog.stdout.includes(key)), `catalog prints the ${keys.length} controls of RECOMMENDED`, show(catalog));

    // replay and hunt on a copy of the fixtures: the counts the fixture expectations give.
    const fixtures = path.join(work, 'cloudtrail');
    fs.mkdirSync(fixtures);
    for (const name of fs.readdirSync(FIXTURE_DIR).filter((n) => n.endsWith('.json'))) fs.copyFileSync(path.join(FIXTURE_DIR, name), path.join(fixtures, name));
    const records = loadFixtureRecords();
    const expected: Record<string, number> = Object.fromEntries(keys.map((key) => [key, 0]));
    for (const record of records) for (const key of expectedMatches(record.eventID, 'RECOMMENDED', false)) expected[key]++;
    check(Object.values(expected).every((n) => n > 0), 'every control matches some fixture record (the comparison below is not vacuous)');
    for (const command of ['replay', 'hunt']) {
      const result = cli([command, fixtures, '--json']);
      let report: any;
      try {
        report = JSON.parse(result.stdout);
      } catch {
        report = undefined;
      }
      check(result.code === 0 && report !== undefined, `${command} on the fixtures exits 0 with a JSON report`, show(result));
      if (report === undefined) continue;
      check(report.events === records.length, `${command}: ${records.length} events read`, `read ${report.events}`);
      const counts = countsOf(report);
      check(JSON.stringify(counts) === JSON.stringify(expected), `${command}: the fixture expectations' count per control (${Object.values(expected).reduce((a, b) => a + b, 0)} matches)`,
        `expected ${JSON.stringify(expected)}\nprinted  ${JSON.stringify(counts)}`);
    }

    // --- the CLI without its optional DuckDB (npm install --omit=optional): hunt says how to install it, the rest runs ---
    process.stdout.write('\nthe CLI package, installed from its tarball with --omit=optional (no DuckDB)\n');
    const duckDbSpec = `${DUCKDB}@${cliManifest.optionalDependencies[DUCKDB]}`;
    install(liteDir, [CLI_TARBALL], ['--omit=optional']);
    const liteCli = (args: string[]): Run => run(liteDir, path.join(liteDir, 'node_modules', '.bin', 'cdk-cis-log-monitoring'), args);
    check(!fs.existsSync(path.join(liteDir, 'node_modules', DUCKDB)), `npm left out ${DUCKDB}`);
    const noDuckDb = liteCli(['hunt', fixtures, '--json']);
    check(noDuckDb.code === EXIT.USAGE && noDuckDb.stdout === '' && noDuckDb.stderr.includes(`hunt: DuckDB (${DUCKDB}) is not installed`)
      && noDuckDb.stderr.includes(`npm install -g ${duckDbSpec}`), `hunt exits ${EXIT.USAGE} and names how to install ${duckDbSpec}`, show(noDuckDb));
    const liteReplay = liteCli(['replay', fixtures, '--json']);
    check(liteReplay.code === 0 && liteReplay.stderr === '' && JSON.stringify(countsOf(JSON.parse(liteReplay.stdout || '{"controls":[]}'))) === JSON.stringify(expected),
      'replay runs without DuckDB (the fixture expectations\' counts)', show(liteReplay));
    for (const args of [['hunt', '--sql', fixtures], ['hunt', '--help'], ['catalog']]) {
      const result = liteCli(args);
      check(result.code === 0 && result.stderr === '', `${args.join(' ')} runs without DuckDB`, show(result));
    }
    // The message's advice, followed (the project form): hunt then runs.
    addPackages(liteDir, [duckDbSpec]);
    const withDuckDb = liteCli(['hunt', fixtures, '--json']);
    check(withDuckDb.code === 0 && JSON.stringify(countsOf(JSON.parse(withDuckDb.stdout || '{"controls":[]}'))) === JSON.stringify(expected),
      `after npm install ${duckDbSpec}, hunt runs (the fixture expectations' counts)`, show(withDuckDb));

    // --- the library, installed from its tarball into a CDK app ---
    process.stdout.write(`\nthe library, installed from its tarball into a CDK app with aws-cdk-lib ${CDK_VERSION} and constructs ${CONSTRUCTS_VERSION}\n`);
    install(appDir, [LIBRARY_TARBALL, `aws-cdk-lib@${CDK_VERSION}`, `constructs@${CONSTRUCTS_VERSION}`]);
    const installedLibrary = installedPackageDir(appDir, library.name);
    check(installedLibrary.startsWith(appDir + path.sep), `${library.name} is installed in the fresh folder (${installedLibrary})`);
    fs.copyFileSync(path.join(__dirname, 'app.js'), path.join(appDir, 'app.js'));
    const cdkOut = path.join(appDir, 'cdk.out');
    const synth = synthApp(appDir, cdkOut, false);
    const templateFile = path.join(cdkOut, `${STACK}.template.json`);
    check(synth.code === 0 && fs.existsSync(templateFile), 'the app synthesizes (cdk.out)', show(synth));
    const enriched = synthApp(appDir, path.join(appDir, 'cdk.out.enriched'), true);
    const enrichedTemplate = path.join(appDir, 'cdk.out.enriched', `${STACK}.template.json`);
    const lambdas = fs.existsSync(enrichedTemplate)
      ? Object.values<any>(readJson(enrichedTemplate).Resources).filter((r) => r.Type === 'AWS::Lambda::Function').length : 0;
    check(enriched.code === 0 && lambdas > 0, 'with enrichAlarms, the app synthesizes the digest function from the tarball\'s asset', show(enriched));
    if (!fs.existsSync(templateFile)) throw new Error('no template to check or deploy');
    const template = readJson(templateFile);

    // check: PASS on the construct's template; FAIL without one of its metric filters.
    process.stdout.write('\ncheck (the installed CLI) on the cdk.out the installed library synthesized\n');
    const pass = cli(['check', cdkOut]);
    check(pass.code === 0, 'check cdk.out passes (exit 0)', show(pass));
    const mutated = path.join(appDir, 'cdk.out.mutated');
    fs.cpSync(cdkOut, mutated, { recursive: true });
    // The CIS controls' filters: one per control, publishing the control's metric (the construct adds others, e.g.
    // the tamper control's, which publish their own metric).
    const metricNames = new Set(CisPatternSet.RECOMMENDED.controls().map((c) => c.metricName));
    const filters = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === 'AWS::Logs::MetricFilter'
      && metricNames.has(template.Resources[id].Properties?.MetricTransformations?.[0]?.MetricName));
    const removed = filters[0];
    const without = JSON.parse(JSON.stringify(template));
    delete without.Resources[removed];
    fs.writeFileSync(path.join(mutated, `${STACK}.template.json`), JSON.stringify(without, undefined, 1));
    const fail = cli(['check', mutated]);
    check(filters.length === keys.length && fail.code === 2 && /FAIL/.test(fail.stdout), `check fails (exit 2) once metric filter ${removed} is removed`, show(fail));

    // audit: the app deployed into moto on loopback.
    process.stdout.write('\naudit (the installed CLI) against moto on loopback, the app deployed\n');
    moto = await MotoServer.start();
    clients = new MotoClients(moto.endpoint, REGION);
    await deployToMoto(clients, template, STACK);
    const audit = (): Run => cli(['audit', '--region', REGION, '--json'], moto!.childEnv());
    const passed = audit();
    let passReport: any;
    try {
      passReport = JSON.parse(passed.stdout);
    } catch {
      passReport = undefined;
    }
    const statuses = (report: any): string[] => (report?.controls ?? []).map((c: any) => c.status);
    check(passed.code === 0 && statuses(passReport).length === keys.length && statuses(passReport).every((s) => s === 'PASS'),
      `audit: every control PASS, exit 0 (${statuses(passReport).length} controls)`, show(passed));
    const metricName: string = template.Resources[removed].Properties.MetricTransformations[0].MetricName;
    const logGroupName = await deployedLogGroup(clients);
    await clients.logs.send(new DeleteMetricFilterCommand({ logGroupName, filterName: await filterNameOf(clients, logGroupName, metricName) }));
    const failed = audit();
    let failReport: any;
    try {
      failReport = JSON.parse(failed.stdout);
    } catch {
      failReport = undefined;
    }
    check(failed.code === 2 && statuses(failReport).filter((s) => s === 'FAIL').length === 1,
      `audit: exit 2 and one control FAIL once the metric filter of ${metricName} is deleted`, show(failed));
  } finally {
    clients?.destroy();
    await moto?.stop();
    if (process.env.ARTIFACTS_KEEP !== '1') fs.rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(`\n${timings.join(', ')}\n`);
  if (failures > 0) {
    process.stdout.write(`artifacts: ${failures} check(s) FAILED\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write('artifacts: every check passed\n');
  }
}

/** The log group moto holds for the template's trail log group (its physical name). */
async function deployedLogGroup(clients: MotoClients): Promise<string> {
  const groups = (await clients.logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? [];
  if (groups.length !== 1) throw new Error(`expected the app's one log group in moto, found ${groups.map((g) => g.logGroupName).join(', ')}`);
  return groups[0].logGroupName!;
}

/** The name moto gave the metric filter that publishes `metricName`. */
async function filterNameOf(clients: MotoClients, logGroupName: string, metricName: string): Promise<string> {
  const filters = (await clients.logs.send(new DescribeMetricFiltersCommand({ logGroupName }))).metricFilters ?? [];
  const found = filters.find((f) => f.metricTransformations?.some((t) => t.metricName === metricName));
  if (!found) throw new Error(`no metric filter publishes ${metricName} in ${logGroupName}`);
  return found.filterName!;
}

main().catch((error: unknown) => {
  process.stderr.write(`artifacts: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
