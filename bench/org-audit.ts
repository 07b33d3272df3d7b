// `audit --organization` at scale (issue 11 part 4): wall time and peak memory of the CLI auditing 50 and 200 accounts
// of an organization emulated by moto (multi-account mode: STS AssumeRole credentials act in the role's account).
//
//   npx ts-node --transpile-only --project bench/tsconfig.json bench/org-audit.ts [--accounts 200] [--rounds 3] [--concurrency 8]
//
// Sets up the organization once (the demo app deployed into every account, every defect of the e2e test in some of
// them), then runs the CLI as users run it (its own process, AWS_ENDPOINT_URL) under /usr/bin/time, with
// `--accounts FILE` listing the first 50, then all of them. Prints a table and writes bench/out/org-audit.json.
// Needs moto (bash scripts/e2e/setup.sh) and /usr/bin/time (Debian package `time`).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { demoApp } from '../test/e2e/apps';
import { AccountSetup, DEFECTS, clientsIn, createOrganization, setUpAccount } from '../test/e2e/moto/organization';
import { MotoServer, REPO_ROOT } from '../test/e2e/moto/server';
import { transpileForChildProcess } from '../test/support/transpile';

const REGION = 'us-east-1';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  }));
}

async function main(): Promise<void> {
  const total = arg('accounts', 200);
  const rounds = arg('rounds', 3);
  const concurrency = arg('concurrency', 8);
  const sizes = [50, total].filter((n, i, all) => n <= total && all.indexOf(n) === i);
  const moto = await MotoServer.start({ multiAccount: true });
  try {
    const setupStart = Date.now();
    const { management, members } = await createOrganization(moto.endpoint, REGION, total - 1);
    const accounts = [management, ...members];
    const demo = demoApp();
    const plan = accounts.map((id, i): [string, AccountSetup] => [id, i > 0 && i <= DEFECTS.length ? DEFECTS[i - 1] : 'correct']);
    await pool(plan, 4, async ([id, setup]) => {
      const clients = await clientsIn(moto.endpoint, REGION, id);
      try {
        await setUpAccount(clients, demo.template, demo.stackName, setup);
      } finally {
        clients.destroy();
      }
    });
    const setupSeconds = (Date.now() - setupStart) / 1000;
    process.stderr.write(`set up ${accounts.length} accounts in ${setupSeconds.toFixed(0)} s\n`);

    const dir = transpileForChildProcess();
    const cli = path.join(dir, 'cli', 'lib', 'main.js');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'org-bench-'));
    const results: Array<{ accounts: number; round: number; wallSeconds: number; peakRssMb: number; status: string }> = [];
    for (let round = 1; round <= rounds; round++) {
      for (const n of sizes) {
        const file = path.join(out, `accounts-${n}.txt`);
        fs.writeFileSync(file, accounts.slice(0, n).join('\n') + '\n');
        const timing = path.join(out, 'time.txt');
        let stdout = '';
        try {
          stdout = execFileSync('/usr/bin/time', ['-f', '%e %M', '-o', timing, process.execPath, cli, 'audit', '--accounts', file,
            '--role-name', 'CisAuditRole', '--region', REGION, '--concurrency', String(concurrency), '--json'], {
            cwd: REPO_ROOT,
            encoding: 'utf8',
            maxBuffer: 1024 * 1024 * 1024,
            env: moto.childEnv({ AWS_SDK_JS_SUPPRESS_NODE_DEPRECATION_WARNING: '1' }),
          });
        } catch (e) {
          stdout = (e as { stdout?: string }).stdout ?? ''; // exit 2: some accounts fail, as set up
        }
        const report = JSON.parse(stdout) as { accounts: unknown[]; status: string; passed: number; failed: number; unknown: number };
        if (report.accounts.length !== n || report.unknown !== 0) throw new Error(`audit of ${n} accounts: ${report.accounts.length} results, ${report.unknown} unknown`);
        // /usr/bin/time writes "Command exited with non-zero status 2" first when the audit exits 2 (failing accounts).
        const [wall, rssKb] = fs.readFileSync(timing, 'utf8').trim().split('\n').pop()!.split(/\s+/).map(Number);
        results.push({ accounts: n, round, wallSeconds: wall, peakRssMb: rssKb / 1024, status: `${report.passed} PASS, ${report.failed} FAIL` });
        process.stderr.write(`round ${round}: ${n} accounts: ${wall.toFixed(2)} s, ${(rssKb / 1024).toFixed(0)} MB peak RSS\n`);
      }
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const rows = sizes.map((n) => {
      const mine = results.filter((r) => r.accounts === n);
      const wall = median(mine.map((r) => r.wallSeconds));
      const peakRssMb = median(mine.map((r) => r.peakRssMb));
      return { accounts: n, wallSeconds: wall, perAccountMs: (wall * 1000) / n, peakRssMb, status: mine[0].status };
    });
    console.log('| accounts | wall time (median) | per account | peak RSS (median) | result |');
    console.log('|---|---|---|---|---|');
    for (const r of rows) {
      console.log(`| ${r.accounts} | ${r.wallSeconds.toFixed(2)} s | ${r.perAccountMs.toFixed(0)} ms | ${r.peakRssMb.toFixed(0)} MB | ${r.status} |`);
    }
    fs.mkdirSync(path.join(REPO_ROOT, 'bench', 'out'), { recursive: true });
    fs.writeFileSync(path.join(REPO_ROOT, 'bench', 'out', 'org-audit.json'),
      JSON.stringify({ concurrency, rounds, setupSeconds, cpus: os.cpus().length, loadavg: os.loadavg(), rows, results }, undefined, 2));
  } finally {
    await moto.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
