import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
import { runCli } from './support/run-cli';
import { loadFixtureRecords } from '../../../test/fixtures/cloudtrail/load';

const run = (argv: string[]) => runCli(argv);

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

describe('hunt reads every layout replay reads (JSON lines, arrays, objects one after another, gzip by content)', () => {
  let layouts: string;
  /** Each layout file and the number of events in it. */
  const files: [string, number][] = [];
  const moved = records.map((r, i) => ({
    ...r,
    recipientAccountId: i % 3 === 0 ? '444455556666' : r.recipientAccountId,
    awsRegion: i % 4 === 0 ? 'eu-west-1' : r.awsRegion,
  }));

  beforeAll(() => {
    layouts = fs.mkdtempSync(path.join(os.tmpdir(), 'hunt-layouts-'));
    const put = (rel: string, text: string, gzip: boolean, events: number) => {
      fs.mkdirSync(path.dirname(path.join(layouts, rel)), { recursive: true });
      fs.writeFileSync(path.join(layouts, rel), gzip ? zlib.gzipSync(text) : text);
      files.push([rel, events]);
    };
    const lines = (recs: object[]) => recs.map(r => JSON.stringify(r)).join('\n') + '\n';
    put('a-lines.jsonl', lines(moved.slice(0, 15)), false, 15);
    put('b-array.json', JSON.stringify(moved.slice(15, 30), null, 2), false, 15);
    put('c-lines.jsonl.gz', lines(moved.slice(30, 42)), true, 12);
    // gzipped, but not named so: the content decides, as in replay
    put('d-array-gzipped.json', JSON.stringify(moved.slice(42, 50)), true, 8);
    // pretty-printed objects one after another, a {"Records": [...]} wrapper among them (its elements are the records)
    put('e-objects.json', [
      ...moved.slice(50, 55).map(r => JSON.stringify(r, null, 2)),
      JSON.stringify({ Records: moved.slice(55, 62) }),
      ...moved.slice(62).map(r => JSON.stringify(r)),
    ].join('\n'), false, moved.length - 50);
    put('f-records.json.gz', JSON.stringify({ Records: moved.slice(0, 5) }), true, 5);
    // start as CloudTrail files do (the faster reader), but hold more: read again as any other file
    put('g-two-wrappers.json', `${JSON.stringify({ Records: moved.slice(5, 12) })}\n${JSON.stringify({ Records: moved.slice(12, 20) })}`, false, 15);
    put('h-wrapper-then-objects.json.gz', `{ "Records" : ${JSON.stringify(moved.slice(20, 25))} }\n${lines(moved.slice(25, 31))}`, true, 11);
  });

  afterAll(() => fs.rmSync(layouts, { recursive: true, force: true }));

  test.each([0, 1, 2, 3, 4, 5, 6, 7])('layout %i alone: hunt counts its events (never 0) and prints replay\'s report', async k => {
    const [rel, events] = files[k];
    const args = [path.join(layouts, rel), '--json', '--samples', '3'];
    const replayed = await run(['replay', ...args]);
    const hunted = await run(['hunt', ...args]);
    expect(hunted.stderr).toBe('');
    expect(hunted.code).toBe(0);
    const h = JSON.parse(hunted.stdout);
    expect(h.events).toBe(events);
    expect(h.controls.reduce((n: number, c: any) => n + c.matches, 0)).toBeGreaterThan(0);
    expect(comparable(h)).toEqual(comparable(JSON.parse(replayed.stdout)));
  });

  test.each(CisPatternSet.all().map(s => s.name))('%s: all layouts together, the same report as replay (samples in file order)', async set => {
    const args = [layouts, '--json', '--pattern-set', set, '--samples', '5'];
    const replayed = await run(['replay', ...args]);
    const hunted = await run(['hunt', ...args]);
    expect(hunted.stderr).toBe('');
    expect(hunted.code).toBe(0);
    const h = JSON.parse(hunted.stdout);
    expect(h.events).toBe(files.reduce((n, [, events]) => n + events, 0));
    expect(h.filesRead).toBe(files.length);
    expect(comparable(h)).toEqual(comparable(JSON.parse(replayed.stdout)));
    expect(h.controls.filter((c: any) => c.matches > 0).length).toBeGreaterThan(8);
  });

  test('with --since / --until, the same report as replay', async () => {
    const args = [layouts, '--json', '--since', '2024-03-01T12:00:00Z', '--until', '2024-03-03'];
    const hunted = JSON.parse((await run(['hunt', ...args])).stdout);
    expect(hunted.outsideWindow).toBeGreaterThan(0);
    expect(comparable(hunted)).toEqual(comparable(JSON.parse((await run(['replay', ...args])).stdout)));
  });

  test('elements that are not objects are invalid records, named per file as replay names them (exit 2)', async () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'hunt-invalid-'));
    try {
      fs.writeFileSync(path.join(bad, 'array.json'), JSON.stringify([1, 'x', moved[0], [moved[1]], null, moved[2]]));
      fs.writeFileSync(path.join(bad, 'records.json'), JSON.stringify({ Records: [moved[3], 7] }));
      fs.writeFileSync(path.join(bad, 'wrapper.json'), JSON.stringify({ Records: 'not an array', ...moved[4] }));
      fs.writeFileSync(path.join(bad, 'empty.json'), ' \n');
      const replayed = await run(['replay', bad, '--json']);
      const hunted = await run(['hunt', bad, '--json']);
      expect(hunted.code).toBe(2);
      expect(replayed.code).toBe(2);
      const h = JSON.parse(hunted.stdout);
      expect(h.events).toBe(4);
      expect(h.invalidRecords).toBe(5);
      expect(h.problems).toEqual([
        { path: path.join(bad, 'array.json'), error: '4 record(s) are not valid JSON objects' },
        { path: path.join(bad, 'records.json'), error: '1 record(s) are not valid JSON objects' },
      ]);
      expect(comparable(h)).toEqual(comparable(JSON.parse(replayed.stdout)));
      // (replay may also say that its record scanner is not built: only the lines about files are compared)
      const fileLines = (stderr: string, command: string) => stderr.split('\n').filter(l => l.startsWith(`${command}: ${bad}`))
        .map(l => l.slice(command.length));
      expect(fileLines(hunted.stderr, 'hunt')).toEqual(fileLines(replayed.stderr, 'replay'));
      expect(fileLines(hunted.stderr, 'hunt')).toHaveLength(2);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });

  test('files hunt cannot read faithfully are refused and named (exit 2), never counted as 0 events', async () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'hunt-refused-'));
    try {
      fs.writeFileSync(path.join(bad, 'a-good.jsonl'), moved.slice(0, 10).map(r => JSON.stringify(r)).join('\n'));
      // a line that is not JSON: replay counts it as an invalid record, DuckDB cannot read the file
      fs.writeFileSync(path.join(bad, 'b-broken-line.jsonl'), `${JSON.stringify(moved[10])}\n{"eventName": \n${JSON.stringify(moved[11])}\n`);
      fs.writeFileSync(path.join(bad, 'c-number.json'), '42\n');
      fs.writeFileSync(path.join(bad, 'd-truncated.jsonl.gz'), zlib.gzipSync(moved.map(r => JSON.stringify(r)).join('\n')).subarray(0, 200));
      const result = await run(['hunt', bad, '--json']);
      expect(result.code).toBe(2);
      const report = JSON.parse(result.stdout);
      expect(report.events).toBe(10);
      expect(report.filesRead).toBe(1);
      expect(report.problems.map((p: any) => path.basename(p.path))).toEqual(['b-broken-line.jsonl', 'c-number.json', 'd-truncated.jsonl.gz']);
      for (const p of report.problems) {
        expect(p.error).not.toBe('');
        expect(result.stderr).toContain(`hunt: ${p.path}: ${p.error}\n`);
      }
      expect(report.problems[1].error).toMatch(/not JSON: a top-level U?BIGINT value is neither an object nor an array/);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });

  test('a FIFO named on the command line is refused (DuckDB opens files by name), not read as empty', async () => {
    const fifoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hunt-fifo-'));
    try {
      const fifo = path.join(fifoDir, 'pipe.jsonl');
      execFileSync('mkfifo', [fifo]);
      const result = await run(['hunt', fifo, '--json']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`hunt: ${fifo}: hunt reads regular files, not pipes or devices (use replay)\n`
        + `hunt: no CloudTrail file found under ${fifo}\n`);
      expect(result.stdout).toBe('');
    } finally {
      fs.rmSync(fifoDir, { recursive: true, force: true });
    }
  });
});

describe('hunt and replay: the same contract when no CloudTrail file is found (exit 2, no report of zeros)', () => {
  let base: string;
  beforeAll(() => { base = fs.mkdtempSync(path.join(os.tmpdir(), 'hunt-no-input-')); });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  /** The lines of stderr, without replay's note that its record scanner is not built. */
  const lines = (stderr: string) => stderr.split('\n').filter(l => l !== '' && !l.includes('record scanner'));

  test.each([
    ['an empty folder', (d: string) => { fs.mkdirSync(d); }, []],
    ['a folder holding only a FIFO (never opened: it would block)', (d: string) => {
      fs.mkdirSync(d);
      execFileSync('mkfifo', [path.join(d, 'pipe.json')]);
    }, ['pipe.json: skipped, not a regular file (a FIFO)']],
    ['a folder holding only a digest and a file that is not a log', (d: string) => {
      fs.mkdirSync(path.join(d, 'CloudTrail-Digest'), { recursive: true });
      fs.writeFileSync(path.join(d, 'CloudTrail-Digest', 'd.json.gz'), zlib.gzipSync('{}'));
      fs.writeFileSync(path.join(d, 'notes.txt'), 'not a log');
    }, []],
  ] as [string, (d: string) => void, string[]][])('%s: "no CloudTrail file found", exit 2, as replay', async (name, make, skipped) => {
    const folder = path.join(base, name.replace(/[^a-z]+/g, '-'));
    make(folder);
    const hunted = await run(['hunt', folder, '--json']);
    const replayed = await run(['replay', folder, '--json']);
    const expected = [...skipped.map(s => path.join(folder, s)), `no CloudTrail file found under ${folder}`];
    expect([hunted.code, hunted.stdout]).toEqual([2, '']);
    expect(lines(hunted.stderr)).toEqual(expected.map(l => `hunt: ${l}`));
    expect([replayed.code, replayed.stdout]).toEqual([2, '']);
    expect(lines(replayed.stderr).map(l => l.replace(/^replay: /, 'hunt: '))).toEqual(lines(hunted.stderr));
  });
});

describe('hunt: paths are data, never patterns (DuckDB expands * ? [ in the paths it is given)', () => {
  let globby: string;
  const moved = records.slice(0, 40);
  /** Each file (relative) and its events; names DuckDB would read as glob patterns, beside the names they match. */
  const layout: [string, number][] = [
    ['[x].json', 1], ['ab.json', 2], ['x.json', 3], ['a?.json', 4], ['*.json', 5], ['a[b].json', 6],
    ['logs[1]/a.json', 7], ['logs1/a.json', 8], ['back\\slash[1].json', 2],
  ];

  beforeAll(() => {
    globby = fs.mkdtempSync(path.join(os.tmpdir(), 'hunt-globs-'));
    let at = 0;
    for (const [rel, events] of layout) {
      fs.mkdirSync(path.dirname(path.join(globby, rel)), { recursive: true });
      fs.writeFileSync(path.join(globby, rel), JSON.stringify({ Records: moved.slice(at, at + events) }));
      at += events;
    }
  });

  afterAll(() => {
    fs.rmSync(globby, { recursive: true, force: true });
    fs.rmSync(`${globby}-extra`, { recursive: true, force: true });
  });

  test('a folder of such names: every file once, the same report as replay', async () => {
    const args = [globby, '--json', '--samples', '40'];
    const hunted = await run(['hunt', ...args]);
    const replayed = await run(['replay', ...args]);
    expect(hunted.stderr).toBe('');
    expect(hunted.code).toBe(0);
    const h = JSON.parse(hunted.stdout);
    expect(h.events).toBe(layout.reduce((n, [, events]) => n + events, 0));
    expect(h.filesRead).toBe(layout.length);
    expect(comparable(h)).toEqual(comparable(JSON.parse(replayed.stdout)));
  });

  test.each(layout.map(([rel, events]) => [rel, events] as [string, number]))('%s named alone: its %i events, as replay', async (rel, events) => {
    const args = [path.join(globby, rel), '--json', '--samples', '10'];
    const hunted = await run(['hunt', ...args]);
    expect(hunted.stderr).toBe('');
    const h = JSON.parse(hunted.stdout);
    expect([h.events, h.filesRead]).toEqual([events, 1]);
    expect(comparable(h)).toEqual(comparable(JSON.parse((await run(['replay', ...args])).stdout)));
  });

  test('.. after a symbolic link is taken as the kernel takes it (physically), as replay reads it', async () => {
    const base = path.join(`${globby}-extra`, 'dotdot'); // not under the folder the first test reads
    fs.mkdirSync(path.join(base, 'deep', 'inner'), { recursive: true });
    fs.symlinkSync(path.join(base, 'deep', 'inner'), path.join(base, 'lnk'));
    fs.writeFileSync(path.join(base, 'deep', 'y.json'), JSON.stringify({ Records: moved.slice(0, 3) }));
    fs.writeFileSync(path.join(base, 'y.json'), JSON.stringify({ Records: moved.slice(0, 5) })); // what a lexical `..` reads
    const args = [`${base}/lnk/../y.json`, '--json'];
    const hunted = JSON.parse((await run(['hunt', ...args])).stdout);
    expect(hunted.events).toBe(3);
    expect(comparable(hunted)).toEqual(comparable(JSON.parse((await run(['replay', ...args])).stdout)));
  });

  test('a relative path starting with ~ is a folder named ~, not the home directory', async () => {
    const tilde = path.join(`${globby}-extra`, 'cwd');
    fs.mkdirSync(path.join(tilde, '~'), { recursive: true });
    fs.writeFileSync(path.join(tilde, '~', 'a.json'), JSON.stringify({ Records: moved.slice(0, 3) }));
    const cwd = process.cwd();
    process.chdir(tilde);
    try {
      const hunted = await run(['hunt', '~/a.json', '--json']);
      expect(hunted.stderr).toBe('');
      expect(JSON.parse(hunted.stdout).events).toBe(3);
    } finally {
      process.chdir(cwd);
    }
  });

  test('--sql reads files by absolute paths without * ? [ and names the files it leaves out', async () => {
    const result = await run(['hunt', '--sql', globby]);
    expect(result.code).toBe(0);
    const read = [...result.stdout.matchAll(/read_json(?:_objects)?\(\[([^\]]*(?:\][^,)\]]*)*)\]/g)].map(m => m[1]).join(', ');
    expect(read).not.toBe('');
    expect(read).not.toMatch(/[*?[]/);
    // they are named instead, as not read by the printed SQL
    expect(result.stdout.match(/^-- not read: .* has \* \? or \[, which DuckDB reads as a pattern/mg)).toHaveLength(6);
    expect(result.stdout).toContain(`-- not read: ${JSON.stringify(path.join(globby, '[x].json'))}: `);
  });
});

describe('hunt --sql', () => {
  test('prints the DuckDB query for the given files', async () => {
    const result = await run(['hunt', '--sql', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^-- RECOMMENDED, dialect duckdb: 15 of 15 controls/);
    // CloudTrail files ({"Records": [...]}) go to the faster reader; the compression is given, decided by content
    expect(result.stdout).toMatch(/read_json\(\[.*a\.json\.gz.*\], columns = \{'Records': 'JSON\[\]'\}, format = 'unstructured', compression = 'gzip'/);
    expect(result.stdout).toMatch(/read_json\(\['[^']*c\.json'\], columns = \{'Records': 'JSON\[\]'\}, format = 'unstructured', compression = 'uncompressed'/);
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
