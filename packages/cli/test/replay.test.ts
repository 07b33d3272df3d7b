import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { syntheticRecord, writeCloudTrailGz } from './generate-cloudtrail';
import { CliRun, runCli } from './support/run-cli';
import { loadFixtureRecords } from '../../../test/fixtures/cloudtrail/load';
import { transpileForChildProcess } from '../../../test/support/transpile';

const run = (argv: string[], stderrIsTTY = false) => runCli(argv, { stderrIsTTY });

const records = loadFixtureRecords();
let dir: string;

beforeAll(() => {
  // The fixture records spread over the formats replay reads, plus files it must report.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-test-'));
  const part = (from: number, to: number) => records.slice(from, to);
  fs.writeFileSync(path.join(dir, 'plain.json'), JSON.stringify({ Records: part(0, 20) }));
  fs.writeFileSync(path.join(dir, 'delivered.json.gz'), zlib.gzipSync(JSON.stringify({ Records: part(20, 40) })));
  fs.writeFileSync(path.join(dir, 'events.jsonl'), part(40, 55).map(r => JSON.stringify(r)).join('\n') + '\n');
  fs.mkdirSync(path.join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', 'array.json'), JSON.stringify(part(55, 70)));
  fs.mkdirSync(path.join(dir, 'AWSLogs', '111122223333', 'CloudTrail-Digest'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'AWSLogs', '111122223333', 'CloudTrail-Digest', 'digest.json.gz'), zlib.gzipSync('{"digestStartTime":"x"}'));
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a log file; skipped inside directories');
  fs.mkdirSync(path.join(dir, 'bad'));
  fs.writeFileSync(path.join(dir, 'bad', 'truncated.json.gz'), zlib.gzipSync(JSON.stringify({ Records: part(0, 5) })).subarray(0, 200));
  fs.writeFileSync(path.join(dir, 'bad', 'garbage.json'), 'this is not JSON');
  fs.writeFileSync(path.join(dir, 'bad', 'bad-record.jsonl'), `${JSON.stringify(records[0])}\n{"eventID": tru}\n`);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const GOOD = () => ['plain.json', 'delivered.json.gz', 'events.jsonl', 'AWSLogs'].map(f => path.join(dir, f));

describe('replay', () => {
  test('reads gz, plain, JSON lines and arrays in directories; counts match the engine per control and day', async () => {
    const result = await run(['replay', ...GOOD(), '--json', '--samples', '2']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ patternSet: 'RECOMMENDED', ssoAwareMfaFilter: false, files: 4, filesRead: 4, events: 70, invalidRecords: 0, problems: [] });
    const byKey = Object.fromEntries(report.controls.map((c: any) => [c.key, c]));
    expect(report.controls).toHaveLength(15);
    expect(byKey.CONSOLE_SIGNIN_WITHOUT_MFA.matches).toBe(6);
    expect(byKey.UNAUTHORIZED_API_CALLS).toMatchObject({
      id: '4.1',
      metricName: 'unauthorized_api_calls_metric',
      matches: 4,
      byDay: { '2024-03-01': 2, '2024-03-02': 1, '2024-03-03': 1 },
    });
    expect(byKey.UNAUTHORIZED_API_CALLS.samples).toHaveLength(2);
    expect(byKey.ORGANIZATIONS_CHANGES.matches).toBe(7);
    for (const c of report.controls) {
      const days = Object.values(c.byDay) as number[];
      expect(days.reduce((a, b) => a + b, 0)).toBe(c.matches);
    }
  });

  test('pattern set and SSO option change the counts as the catalog says', async () => {
    const v12 = JSON.parse((await run(['replay', ...GOOD(), '--json', '--pattern-set', 'cis_v1_2_0'])).stdout);
    expect(v12.controls).toHaveLength(14);
    expect(v12.controls.find((c: any) => c.key === 'UNAUTHORIZED_API_CALLS')).toMatchObject({ id: '3.1', matches: 8 });
    const sso = JSON.parse((await run(['replay', ...GOOD(), '--json', '--sso-aware-mfa', '--pattern-set=CIS_V3_0_0'])).stdout);
    expect(sso).toMatchObject({ patternSet: 'CIS_V3_0_0', ssoAwareMfaFilter: true });
    expect(sso.controls.find((c: any) => c.key === 'CONSOLE_SIGNIN_WITHOUT_MFA').matches).toBe(1);
    expect(sso.controls.find((c: any) => c.key === 'UNAUTHORIZED_API_CALLS').matches).toBe(5);
  });

  test('text output lists every control with its days and samples', async () => {
    const result = await run(['replay', ...GOOD()]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Pattern set RECOMMENDED: 15 controls\nRead 4 of 4 files \(0\.\d MB\), 70 events in \d+\.\d s\n/);
    expect(result.stdout).toContain('4.2   CONSOLE_SIGNIN_WITHOUT_MFA        6 matches\n      2024-03-01        3\n');
    expect(result.stdout).toMatch(/samples: signin-iam-no-mfa, signin-iam-failed-no-mfa, signin-root-no-mfa/);
    expect(result.stdout).toContain('4.7   CMK_DISABLE_OR_DELETION           2 matches');
  });

  test('unreadable, truncated and corrupt files are reported on stderr, the rest is replayed, exit code 2', async () => {
    const missing = path.join(dir, 'does-not-exist.json');
    const result = await run(['replay', path.join(dir, 'plain.json'), path.join(dir, 'bad'), missing, '--json']);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report.files).toBe(5);
    expect(report.filesRead).toBe(2); // plain.json and bad-record.jsonl (whose bad record is counted)
    expect(report.events).toBe(21); // plain.json's 20 and bad-record.jsonl's good one; the truncated file breaks off in its first record
    expect(report.invalidRecords).toBe(1);
    const problems = Object.fromEntries(report.problems.map((p: any) => [path.basename(p.path), p.error]));
    expect(problems).toEqual({
      'bad-record.jsonl': '1 record(s) are not valid JSON objects',
      'garbage.json': 'not JSON: unexpected "t" at byte 1',
      'truncated.json.gz': expect.stringMatching(/unexpected end of file|unexpected end of data/),
      'does-not-exist.json': expect.stringMatching(/^ENOENT: /),
    });
    for (const name of Object.keys(problems)) expect(result.stderr).toContain(`${name}: `);
  });

  test('progress goes to stderr only when it is a terminal', async () => {
    const tty = await run(['replay', ...GOOD()], true);
    expect(tty.stderr).toContain('replay: 4/4 files, 0.0 MB, 70 events');
    expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true); // the progress line is cleared before the report
    const notTty = await run(['replay', ...GOOD()], false);
    expect(notTty.stderr).toBe('');
  });

  test.each([
    [['replay'], 'give at least one file or directory'],
    [['replay', 'x', '--pattern-set', 'CIS_V9'], 'Unknown CIS pattern set "CIS_V9". Use one of: RECOMMENDED, CIS_V1_2_0'],
    [['replay', 'x', '--pattern-set'], '--pattern-set needs a value'],
    [['replay', 'x', '--samples', 'many'], '--samples must be a whole number from 0 to 1000, not "many"'],
    [['replay', 'x', '--frobnicate'], 'unknown option "--frobnicate"'],
    [['replay', 'x', '--sso-aware-mfa', '--pattern-set', 'CIS_V1_2_0'], 'CIS_V1_2_0 has no SSO-aware MFA pattern'],
  ])('usage error %j', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`replay: ${message}`);
    expect(result.stderr).toContain('Usage: cdk-cis-log-monitoring replay');
  });

  test('--help prints the usage with the exit codes', async () => {
    const result = await run(['replay', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Exit codes: 0 every file was read; 2 some files were unreadable or corrupt');
  });
});

describe('dispatcher', () => {
  test('--version prints the package version', async () => {
    const result = await run(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version}\n`, stderr: '' });
  });

  test('help lists the commands; help <command> shows its usage', async () => {
    const help = await run(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:\n(.*\n)* {2}replay +Replay CloudTrail log files/);
    expect((await run(['help', 'replay'])).stdout).toContain('Usage: cdk-cis-log-monitoring replay');
    expect((await run(['help', 'nope'])).code).toBe(1);
  });

  test('no command prints the help with exit code 1; an unknown command is a usage error', async () => {
    expect((await run([])).code).toBe(1);
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate". Commands: .*replay/);
  });
});

describe('streaming', () => {
  const execNode = (args: string[]) => new Promise<CliRun>(resolve => {
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });

  test('a 200k-record gzipped file is replayed with bounded memory', async () => {
    const big = path.join(dir, 'big.json.gz');
    const count = 200_000;
    await writeCloudTrailGz(big, count);
    const uncompressed = JSON.stringify(syntheticRecord(1)).length * count;
    expect(uncompressed).toBeGreaterThan(200 * 1024 * 1024);

    // The child runs the CLI's source (transpiled) with a heap far smaller than the file, and reports its peak heap.
    const out = transpileForChildProcess();
    const driver = path.join(out, 'driver.js');
    fs.writeFileSync(driver, `
      const { main } = require('./cli/lib/main');
      let peak = 0;
      const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 20);
      const sink = { write: () => true };
      main(['replay', ${JSON.stringify(big)}, '--json'], { stdout: { write: t => { process.stdout.write(t); return true; } }, stderr: sink, stderrIsTTY: false })
        .then(code => { clearInterval(timer); peak = Math.max(peak, process.memoryUsage().heapUsed); console.error('PEAK ' + peak); process.exitCode = code; });
    `);
    const result = await execNode(['--max-old-space-size=64', driver]);
    fs.rmSync(out, { recursive: true, force: true });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.events).toBe(count);
    expect(report.controls.find((c: any) => c.key === 'VPC_CHANGES')).toMatchObject({
      matches: count / 8,
      byDay: { '2024-01-01': expect.any(Number), '2024-01-02': expect.any(Number), '2024-01-03': expect.any(Number) },
    });
    const peak = Number(/PEAK (\d+)/.exec(result.stderr)?.[1]);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(48 * 1024 * 1024);
  }, 120_000);
});
