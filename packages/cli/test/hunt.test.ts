import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough } from 'stream';
import * as zlib from 'zlib';
import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/catalog';
import { loadFixtureRecords } from '../../../test/fixtures/cloudtrail/load';
import { CliIo } from '../src/command';
import { main } from '../src/main';

interface Run { readonly code: number; readonly stdout: string; readonly stderr: string }

async function run(argv: string[]): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', d => out.push(String(d)));
  stderr.on('data', d => err.push(String(d)));
  const io: CliIo = { stdout, stderr, stderrIsTTY: false };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** The parts of a report that must be equal between replay and hunt (not timing, not who evaluated). */
function comparable(report: any): any {
  const { seconds: _s, evaluatedBy: _e, ...rest } = report;
  return rest;
}

const records = loadFixtureRecords();
let dir: string;

beforeAll(() => {
  // The fixture records as CloudTrail delivers them: gzipped {"Records": [...]} files over accounts and regions,
  // plus a plain file, with a few records moved to other accounts, regions and days.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hunt-test-'));
  const moved = records.map((r, i) => ({
    ...r,
    recipientAccountId: i % 3 === 0 ? '444455556666' : r.recipientAccountId,
    awsRegion: i % 4 === 0 ? 'eu-west-1' : r.awsRegion,
  }));
  const put = (rel: string, recs: any[], gzip: boolean) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const text = JSON.stringify({ Records: recs });
    fs.writeFileSync(file, gzip ? zlib.gzipSync(text) : text);
  };
  put('AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/01/a.json.gz', moved.slice(0, 25), true);
  put('AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/02/b.json.gz', moved.slice(25, 50), true);
  put('AWSLogs/444455556666/CloudTrail/eu-west-1/2024/03/03/c.json', moved.slice(50), false);
  put('AWSLogs/444455556666/CloudTrail-Digest/eu-west-1/d.json.gz', [], true);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hunt on DuckDB', () => {
  const cases: [string, boolean][] = [];
  for (const set of CisPatternSet.all()) {
    cases.push([set.name, false]);
    if (set !== CisPatternSet.CIS_V1_2_0) cases.push([set.name, true]);
  }

  test.each(cases)('%s (SSO-aware MFA %s): the same report as replay (matches, days, accounts/regions, samples)', async (set, sso) => {
    const args = [dir, '--json', '--pattern-set', set, '--samples', '4', ...(sso ? ['--sso-aware-mfa'] : [])];
    const replayed = await run(['replay', ...args]);
    const hunted = await run(['hunt', ...args]);
    expect(hunted.stderr).toBe('');
    expect(hunted.code).toBe(0);
    const h = JSON.parse(hunted.stdout);
    const r = JSON.parse(replayed.stdout);
    expect(h.evaluatedBy).toBe('duckdb');
    expect(h.events).toBe(records.length);
    expect(comparable(h)).toEqual(comparable(r));
    // Not vacuous: controls match, over several accounts, regions and days.
    expect(h.controls.filter((c: any) => c.matches > 0).length).toBeGreaterThan(8);
    const places = new Set(h.controls.flatMap((c: any) => Object.keys(c.byAccountRegion)));
    expect(places.size).toBeGreaterThan(2);
    // ...with principals, source IPs and the sample events themselves (compared with replay's above).
    expect(h.controls.filter((c: any) => c.topPrincipals.length > 0 && c.topSourceIps.length > 0).length).toBeGreaterThan(8);
    expect(h.controls.flatMap((c: any) => c.sampleEvents).every((e: any) => typeof e.eventID === 'string')).toBe(true);
    expect(h.controls.flatMap((c: any) => c.sampleEvents).length).toBeGreaterThan(20);
  });

  test('--since / --until count the same events as replay, and fewer than without', async () => {
    const window = ['--since', '2024-03-01T12:00:00Z', '--until', '2024-03-03'];
    const replayed = JSON.parse((await run(['replay', dir, '--json', ...window])).stdout);
    const hunted = JSON.parse((await run(['hunt', dir, '--json', ...window])).stdout);
    expect(comparable(hunted)).toEqual(comparable(replayed));
    expect(hunted.since).toBe('2024-03-01T12:00:00');
    expect(hunted.until).toBe('2024-03-03T00:00:00');
    expect(hunted.outsideWindow).toBeGreaterThan(0);
    expect(hunted.events + hunted.outsideWindow).toBe(records.length);
    for (const c of hunted.controls) {
      for (const day of Object.keys(c.byDay)) expect(day >= '2024-03-01' && day < '2024-03-03').toBe(true);
    }
  });

  test('a corrupt file is named on stderr (exit 2) and the other files are still counted', async () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'hunt-bad-'));
    try {
      fs.writeFileSync(path.join(bad, 'good.json'), JSON.stringify({ Records: records.slice(0, 10) }));
      fs.writeFileSync(path.join(bad, 'truncated.json.gz'), zlib.gzipSync(JSON.stringify({ Records: records.slice(10, 20) })).subarray(0, 100));
      const result = await run(['hunt', bad, '--json']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/truncated\.json\.gz/);
      const report = JSON.parse(result.stdout);
      expect(report.events).toBe(10);
      expect(report.filesRead).toBe(1);
      expect(report.problems.map((p: any) => path.basename(p.path))).toEqual(['truncated.json.gz']);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });

  test('text output names the engine and lists accounts/regions', async () => {
    const result = await run(['hunt', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/15 controls \(SQL on DuckDB\)/);
    expect(result.stdout).toMatch(/by account\/region: .*444455556666\/eu-west-1/);
  });
});

describe('hunt --sql', () => {
  test('prints the DuckDB query for the given files', async () => {
    const result = await run(['hunt', '--sql', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^-- RECOMMENDED, dialect duckdb: 15 of 15 controls/);
    expect(result.stdout).toMatch(/read_json\(\[.*a\.json\.gz/);
  });

  test('athena: runs 14 controls and says why ROOT_ACCOUNT_USAGE is not run', async () => {
    const result = await run(['hunt', '--sql', '--dialect', 'athena', '--table', 'logs.cloudtrail_logs_pp', '--since', '2024-03-01']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/dialect athena: 14 of 15 controls/);
    expect(result.stdout).toMatch(/-- not run: ROOT_ACCOUNT_USAGE: \$\.userIdentity\.invokedBy: .*missing field and a JSON null alike/);
    expect(result.stdout).toMatch(/FROM logs\.cloudtrail_logs_pp\n {2}WHERE "timestamp" >= '2024\/02\/29'/);
    expect(result.stdout).toMatch(/json_extract\(additionaleventdata, '\$\["MFAUsed"\]'\)/);
  });

  test('cloudtrail-lake: refuses the map-typed additionalEventData and NOT EXISTS, runs the rest', async () => {
    const result = await run(['hunt', '--sql', '--dialect', 'cloudtrail-lake', '--table', 'abcd1234-ef56-7890-abcd-ef1234567890']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/dialect cloudtrail-lake: 13 of 15 controls/);
    expect(result.stdout).toMatch(/not run: CONSOLE_SIGNIN_WITHOUT_MFA: .*map<string,string>/);
    expect(result.stdout).toMatch(/FROM "abcd1234-ef56-7890-abcd-ef1234567890"/);
  });

  test.each([
    [['hunt'], 'give at least one file or directory'],
    [['hunt', 'x', '--dialect', 'athena'], '--dialect goes with --sql'],
    [['hunt', '--athena', '--database', 'd', '--table', 't'], '--athena needs --workgroup'],
    [['hunt', 'x', '--workgroup', 'w'], '--workgroup goes with --athena'],
    [['hunt', '--sql', '--dialect', 'mysql'], 'mysql'],
    [['hunt', 'x', '--since', 'yesterday'], '--since must be a UTC date or time'],
    [['hunt', 'x', '--since', '2024-03-02', '--until', '2024-03-01'], 'is not before --until'],
  ])('usage error: %j', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });
});
