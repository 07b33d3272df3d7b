// Replay throughput: the real CLI (`node packages/cli/lib/main.js replay <dirs> --json`) against the read + JSON.parse floor
// and against jq running the same selections, on both forms of the generated corpus; and the CLI's peak memory
// as the corpus grows from 1 to 2 to 4 parts.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
// The benchmark is a development tool: it may use devDependencies.
// eslint-disable-next-line import/no-extraneous-dependencies
import * as ts from 'typescript';
import { CisPatternSet } from '../src';
import { CorpusForm, CorpusManifest, expectedMatches, firstParts, partDir, Variant } from './corpus';
import { jqProgram } from './jq';
import { median } from './synth';
import { transpileForChildProcess } from '../test/support/transpile';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out');

/** One run of a child process: wall-clock and CPU (user + system of it and its children) seconds, peak RSS of node children. */
export interface Run {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  /** Peak resident set size in MB (node children only: reported by the process itself at exit). */
  readonly maxRssMb?: number;
  /** The processing time the process measured itself (after start-up), when it reports one. */
  readonly innerSeconds?: number;
  readonly stdout: string;
}

function transpile(source: string, target: string): void {
  const output = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: source,
  });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, output.outputText);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The CLI to run: packages/cli/lib/main.js (what users run) when it and the library's lib/ are newer than every source
 * file; otherwise the sources are transpiled as is (TypeScript's transpileModule, the same emit as tsc's, without type
 * checking) into a temporary directory laid out as an installed CLI (test/support/transpile.ts).
 */
export function resolveCli(log: (line: string) => void): { script: string; source: string } {
  const built = path.join(ROOT, 'packages', 'cli', 'lib', 'main.js');
  const library = path.join(ROOT, 'lib', 'index.js');
  const scanner = path.join(ROOT, 'packages', 'cli', 'lib', 'scanner.wasm');
  const sources = Math.max(newestMtime(path.join(ROOT, 'src')), newestMtime(path.join(ROOT, 'packages', 'cli', 'src')),
    newestMtime(path.join(ROOT, 'packages', 'cli', 'assembly')));
  if ([built, library, scanner].every(f => fs.existsSync(f) && fs.statSync(f).mtimeMs >= sources)) {
    return { script: built, source: 'packages/cli/lib/main.js (compiled)' };
  }
  if (!fs.existsSync(scanner) || fs.statSync(scanner).mtimeMs < newestMtime(path.join(ROOT, 'packages', 'cli', 'assembly'))) {
    throw new Error('packages/cli/lib/scanner.wasm is missing or stale (the replay would not use it): run `npx projen compile`');
  }
  const dir = transpileForChildProcess();
  log('replay: packages/cli/lib or lib/ is missing or older than the sources, so they were transpiled (run `npx projen compile` to bench the build)');
  return { script: path.join(dir, 'cli', 'lib', 'main.js'), source: 'sources transpiled (the build was stale)' };
}

/** Writes the floor worker and the peak-memory hook as JavaScript to bench/out. */
function prepareHelpers(): { floor: string; hook: string } {
  const floor = path.join(OUT, 'floor-worker.js');
  transpile(path.join(__dirname, 'floor-worker.ts'), floor);
  const hook = path.join(OUT, 'usage-hook.js');
  fs.writeFileSync(hook, [
    '// Loaded with --require: writes the process\'s own resource usage (maxRSS in KB) where the benchmark reads it.',
    'process.on(\'exit\', () => require(\'fs\').writeFileSync(process.env.BENCH_USAGE_FILE, JSON.stringify(process.resourceUsage())));',
    '',
  ].join('\n'));
  return { floor, hook };
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, '\'\\\'\'')}'`;
}

/**
 * Runs a shell command line under bash, whose `times` builtin reports the CPU time of the children (so a
 * `gzip -dc | jq` pipeline counts both processes, and nothing extra needs installing).
 */
function runShell(command: string, env: NodeJS.ProcessEnv = {}): Run {
  const stdoutFile = path.join(OUT, 'child.stdout');
  const timesFile = path.join(OUT, 'child.times');
  const usageFile = path.join(OUT, 'child.usage');
  fs.rmSync(usageFile, { force: true });
  const script = `${command} >${shellQuote(stdoutFile)}; rc=$?; times >${shellQuote(timesFile)}; exit $rc`;
  const started = process.hrtime.bigint();
  const result = spawnSync('bash', ['-c', script], { env: { ...process.env, ...env, BENCH_USAGE_FILE: usageFile }, stdio: ['ignore', 'ignore', 'pipe'] });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stdout = fs.readFileSync(stdoutFile, 'utf8');
  if (result.status !== 0) throw new Error(`${command} exited with ${result.status}: ${result.stderr?.toString().slice(0, 2000)}`);
  const childTimes = fs.readFileSync(timesFile, 'utf8').trim().split('\n')[1] ?? '';
  const cpuSeconds = [...childTimes.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
  const usage = fs.existsSync(usageFile) ? JSON.parse(fs.readFileSync(usageFile, 'utf8')) : undefined;
  return { wallSeconds, cpuSeconds, maxRssMb: usage ? usage.maxRSS / 1024 : undefined, stdout };
}

function filesUnder(dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    if (fs.statSync(p).isDirectory()) for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    else out.push(p);
  };
  dirs.forEach(walk);
  return out;
}

type Tool = 'replay' | 'floor (whole file: read + gunzip + JSON.parse)' | 'streamed read + JSON.parse (old floor)' | 'split + JSON.parse' | 'read only' | 'jq';

export interface ThroughputRow {
  readonly form: CorpusForm;
  readonly tool: Tool;
  readonly runs: number;
  readonly bytes: number;
  readonly compressedBytes: number;
  readonly events: number;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly innerSeconds?: number;
  /** CPU seconds the tool spends on an empty corpus (process start-up, module loading), median of 3. */
  readonly startupCpuSeconds: number;
  readonly mbPerSecondWall: number;
  /** Throughput by CPU time without start-up: (cpuSeconds - startupCpuSeconds). What the ratios compare. */
  readonly mbPerSecondCpu: number;
  readonly eventsPerSecondWall: number;
  readonly maxRssMb?: number;
}

export interface ReplayResult {
  /** The corpus variant measured: everyday events with 'flat' or 'nested' (deep, as real ones) requestParameters. */
  readonly variant: Variant;
  readonly cli: string;
  readonly corpus: {
    variant: Variant;
    bytes: number;
    gzBytes: number;
    records: number;
    files: number;
    bytesPerRecord: number;
    distinctEventNames: number;
    distinctEventSources: number;
    /** Share of records copied from the CIS fixtures. */
    fixtureShare: number;
    /** Share of records that match at least one control. */
    matchingShare: number;
    requestParametersDepth: { mean: number; max: number };
  };
  readonly rows: ThroughputRow[];
  /**
   * Per form: replay throughput / floor throughput (CPU time without start-up; wall-clock with it in `wall`). The floor
   * is the fastest way to get the records: each file read whole, gunzipped whole and given to one JSON.parse. Goal ≥ 1.5.
   */
  readonly vsFloor: Record<CorpusForm, { cpu: number; wall: number; inner?: number }>;
  /** Per form: replay / the old, streamed floor (1 MB reads, 256 KB gunzip chunks, one JSON.parse per file). */
  readonly vsStreamedFloor: Record<CorpusForm, { cpu: number; wall: number }>;
  /** Per form: the replay's counts (events, matches per control), checked equal to the generator's on every run. */
  readonly counts: Record<CorpusForm, { events: number; matches: Record<string, number> }>;
  /** Per form: replay throughput / jq throughput (as vsFloor). Goal ≥ 5. Absent when jq is not installed. */
  readonly vsJq?: Record<CorpusForm, { cpu: number; wall: number }>;
  readonly jqVersion?: string;
  readonly jqCommand?: Record<CorpusForm, string>;
  readonly jqProgramFile?: string;
  /**
   * Peak RSS of the replay per form over 1, 2 and 4 parts of the corpus (distinct files), then over the whole
   * corpus twice and four times over, through stdin (2x and 4x the events streamed through one process).
   */
  readonly memory: Array<{ form: CorpusForm; parts: number; repeat: number; bytes: number; maxRssMb: number }>;
  /** Peak RSS over 4x the corpus / peak RSS over the corpus, worse form. Goal: flat (≤ 1.10). Absent when memory was not measured. */
  readonly memoryGrowth?: number;
}

function jqAvailable(): string | undefined {
  const result = spawnSync('jq', ['--version']);
  return result.status === 0 ? result.stdout.toString().trim() : undefined;
}

function checkCounts(what: string, got: Record<string, number>, expected: Record<string, number>, events: number, expectedEvents: number): void {
  const wrong = Object.keys(expected).filter((key) => got[key] !== expected[key]);
  if (wrong.length > 0 || events !== expectedEvents) {
    throw new Error(`${what} counted differently from the generator: events ${events} vs ${expectedEvents}; `
      + wrong.map((key) => `${key} ${got[key]} vs ${expected[key]}`).join(', '));
  }
}

/** How much of the corpus each measure reads. */
export interface ReplayPlan {
  /** Rounds of replay / floor / split / read-only, interleaved; medians are reported. */
  readonly rounds: number;
  /**
   * Parts jq reads (jq is native code without warm-up, so its throughput on fewer parts is its throughput;
   * the quick mode saves jq's time this way and gives the JIT-compiled replay the whole corpus to warm up on).
   */
  readonly jqParts: number;
  /** Peak memory is also measured with the whole corpus this many times over (through stdin). */
  readonly memoryRepeats: number[];
  /**
   * Whether jq runs (when installed), peak memory is measured and the reference rows (split + JSON.parse, read only)
   * are run; otherwise only the replay and the two floors, with the counts checked as always.
   */
  readonly extras: boolean;
}

export function measureReplay(manifest: CorpusManifest, plan: ReplayPlan, log: (line: string) => void): ReplayResult {
  const rounds = plan.rounds;
  const { floor, hook } = prepareHelpers();
  const cli = resolveCli(log);
  const splitterEnv = { BENCH_SPLITTER: path.join(path.dirname(cli.script), 'input', 'record-splitter.js') };
  const set = CisPatternSet.RECOMMENDED;
  const controls = set.controls();
  const variant = manifest.variant;
  const jqVersion = plan.extras ? jqAvailable() : undefined;
  const programFile = path.join(OUT, 'cis-controls.jq');
  fs.writeFileSync(programFile, jqProgram(controls.map((c) => c.patternFor(set))));

  const parts = manifest.parts;
  const bytes = firstParts(manifest.bytesPerPart, parts);
  const records = firstParts(manifest.recordsPerPart, parts);
  const rows: ThroughputRow[] = [];
  const memory: ReplayResult['memory'] = [];
  const jqCommand: Partial<Record<CorpusForm, string>> = {};

  /**
   * The replay over the first n parts; with `repeat` > 1, their files `repeat` times over, through stdin (the CLI
   * reads each file once however often it is named, so a larger input is one stream: concatenated gzip members or
   * concatenated CloudTrail documents).
   */
  const replayRun = (form: CorpusForm, n: number, repeat = 1): Run => {
    const dirs = Array.from({ length: n }, (_, i) => partDir(manifest, form, i));
    const feed = repeat === 1 ? '' : `for i in $(seq ${repeat}); do cat ${filesUnder(dirs).map(shellQuote).join(' ')}; done | `;
    const input = repeat === 1 ? dirs.map(shellQuote).join(' ') : '-';
    const run = runShell(`${feed}node --require ${shellQuote(hook)} ${shellQuote(cli.script)} replay ${input} --json --samples 0`);
    const report = JSON.parse(run.stdout);
    const got = Object.fromEntries((report.controls as Array<{ key: string; matches: number }>).map((c) => [c.key, c.matches / repeat]));
    checkCounts(`replay (${variant} corpus, ${form}, ${n} parts x ${repeat})`, got, expectedMatches(manifest, n), report.events / repeat, firstParts(manifest.recordsPerPart, n));
    if (report.problems.length > 0) throw new Error(`replay reported problems: ${JSON.stringify(report.problems).slice(0, 500)}`);
    return { ...run, innerSeconds: report.seconds };
  };
  const floorRun = (form: CorpusForm, mode: 'whole' | 'parse' | 'split' | 'read'): Run => {
    const dirs = Array.from({ length: parts }, (_, i) => partDir(manifest, form, i));
    const run = runShell(`node --require ${shellQuote(hook)} ${shellQuote(floor)} ${mode} ${dirs.map(shellQuote).join(' ')}`, splitterEnv);
    const report = JSON.parse(run.stdout);
    if (mode !== 'read' && report.records !== records) throw new Error(`floor (${variant} corpus, ${form}) read ${report.records} records, expected ${records}`);
    return { ...run, innerSeconds: report.seconds };
  };
  const jqParts = Math.min(plan.jqParts, parts);
  const jqRun = (form: CorpusForm): Run => {
    const files = filesUnder(Array.from({ length: jqParts }, (_, i) => partDir(manifest, form, i)));
    const list = files.map(shellQuote).join(' ');
    const command = form === 'gz' ? `gzip -dc ${list} | jq -n -c -f ${shellQuote(programFile)}` : `jq -n -c -f ${shellQuote(programFile)} ${list}`;
    jqCommand[form] = form === 'gz'
      ? `gzip -dc <the ${files.length} .json.gz files> | jq -n -c -f bench/out/cis-controls.jq`
      : `jq -n -c -f bench/out/cis-controls.jq <the ${files.length} .json files>`;
    const run = runShell(command);
    const out = JSON.parse(run.stdout);
    const expectedJq = expectedMatches(manifest, jqParts);
    checkCounts(`jq (${variant} corpus, ${form})`, Object.fromEntries(controls.map((c, i) => [c.key, out.matches[i]])), expectedJq, out.events, firstParts(manifest.recordsPerPart, jqParts));
    return run;
  };

  // Start-up cost of each tool, on a corpus of one file with no records (both forms).
  const emptyRoot = path.join(OUT, 'corpus-empty');
  fs.mkdirSync(emptyRoot, { recursive: true });
  fs.writeFileSync(path.join(emptyRoot, 'empty.json'), '{"Records":[]}');
  fs.writeFileSync(path.join(emptyRoot, 'empty.json.gz'), zlib.gzipSync('{"Records":[]}'));
  const emptyJson = shellQuote(path.join(emptyRoot, 'empty.json'));
  const emptyGz = shellQuote(path.join(emptyRoot, 'empty.json.gz'));
  const startupCommands: Record<string, string> = {
    'replay': `node ${shellQuote(cli.script)} replay ${emptyGz} ${emptyJson} --json --samples 0`,
    'floor (whole file: read + gunzip + JSON.parse)': `node ${shellQuote(floor)} whole ${emptyGz} ${emptyJson}`,
    'streamed read + JSON.parse (old floor)': `node ${shellQuote(floor)} parse ${emptyGz} ${emptyJson}`,
    'split + JSON.parse': `node ${shellQuote(floor)} split ${emptyGz} ${emptyJson}`,
    'read only': `node ${shellQuote(floor)} read ${emptyGz} ${emptyJson}`,
    ...(jqVersion ? { jq: `gzip -dc ${emptyGz} | jq -n -c -f ${shellQuote(programFile)}` } : {}),
  };
  const startup: Record<string, number> = {};
  for (const [tool, command] of Object.entries(startupCommands)) {
    startup[tool] = median([0, 1, 2].map(() => runShell(command, splitterEnv).cpuSeconds));
  }

  const summarize = (form: CorpusForm, tool: ThroughputRow['tool'], runs: Run[], readParts = parts): ThroughputRow => {
    const readBytes = firstParts(manifest.bytesPerPart, readParts);
    const readRecords = firstParts(manifest.recordsPerPart, readParts);
    const wallSeconds = median(runs.map((r) => r.wallSeconds));
    const cpuSeconds = median(runs.map((r) => r.cpuSeconds));
    const inner = runs.every((r) => r.innerSeconds !== undefined) ? median(runs.map((r) => r.innerSeconds as number)) : undefined;
    const rss = runs.every((r) => r.maxRssMb !== undefined) ? median(runs.map((r) => r.maxRssMb as number)) : undefined;
    return {
      form,
      tool,
      runs: runs.length,
      bytes: readBytes,
      compressedBytes: form === 'gz' ? firstParts(manifest.gzBytesPerPart, readParts) : readBytes,
      events: readRecords,
      wallSeconds,
      cpuSeconds,
      innerSeconds: inner,
      startupCpuSeconds: startup[tool],
      mbPerSecondWall: readBytes / 1e6 / wallSeconds,
      mbPerSecondCpu: readBytes / 1e6 / Math.max(0.001, cpuSeconds - startup[tool]),
      eventsPerSecondWall: readRecords / wallSeconds,
      maxRssMb: rss,
    };
  };

  const vsFloor: Partial<ReplayResult['vsFloor']> = {};
  const vsStreamedFloor: Partial<ReplayResult['vsStreamedFloor']> = {};
  const counts: Partial<ReplayResult['counts']> = {};
  const vsJq: Partial<NonNullable<ReplayResult['vsJq']>> = {};
  for (const form of ['gz', 'json'] as CorpusForm[]) {
    log(`replay (${variant} corpus): ${form}: ${rounds} rounds of replay / floor / read-only, interleaved`);
    const runs: Record<'replay' | 'floor' | 'streamed' | 'split' | 'read', Run[]> = {
      replay: [], floor: [], streamed: [], split: [], read: [],
    };
    for (let round = 0; round < rounds; round++) {
      runs.replay.push(replayRun(form, parts));
      runs.floor.push(floorRun(form, 'whole'));
      runs.streamed.push(floorRun(form, 'parse'));
      if (plan.extras) {
        runs.split.push(floorRun(form, 'split'));
        runs.read.push(floorRun(form, 'read'));
      }
    }
    const replayRow = summarize(form, 'replay', runs.replay);
    const floorRow = summarize(form, 'floor (whole file: read + gunzip + JSON.parse)', runs.floor);
    const streamedRow = summarize(form, 'streamed read + JSON.parse (old floor)', runs.streamed);
    rows.push(replayRow, floorRow, streamedRow);
    if (plan.extras) rows.push(summarize(form, 'split + JSON.parse', runs.split), summarize(form, 'read only', runs.read));
    vsStreamedFloor[form] = { cpu: replayRow.mbPerSecondCpu / streamedRow.mbPerSecondCpu, wall: streamedRow.wallSeconds / replayRow.wallSeconds };
    const last = JSON.parse(runs.replay[runs.replay.length - 1].stdout);
    const matches = Object.fromEntries((last.controls as Array<{ key: string; matches: number }>).map((c) => [c.key, c.matches]));
    counts[form] = { events: last.events, matches };
    vsFloor[form] = {
      cpu: replayRow.mbPerSecondCpu / floorRow.mbPerSecondCpu,
      wall: floorRow.wallSeconds / replayRow.wallSeconds,
      inner: replayRow.innerSeconds && floorRow.innerSeconds ? floorRow.innerSeconds / replayRow.innerSeconds : undefined,
    };
    if (jqVersion) {
      log(`replay (${variant} corpus): ${form}: jq`);
      const jqRow = summarize(form, 'jq', [jqRun(form)], jqParts);
      rows.push(jqRow);
      vsJq[form] = { cpu: replayRow.mbPerSecondCpu / jqRow.mbPerSecondCpu, wall: jqRow.wallSeconds / replayRow.wallSeconds };
    }
    if (!plan.extras) continue;
    log(`replay (${variant} corpus): ${form}: peak memory over 1, 2, 4 parts, then the whole corpus ${plan.memoryRepeats.join(', ')} times over (through stdin)`);
    for (const n of [1, 2]) {
      if (n >= parts) continue;
      memory.push({ form, parts: n, repeat: 1, bytes: firstParts(manifest.bytesPerPart, n), maxRssMb: replayRun(form, n).maxRssMb as number });
    }
    memory.push({ form, parts, repeat: 1, bytes, maxRssMb: replayRow.maxRssMb as number });
    for (const repeat of plan.memoryRepeats) {
      memory.push({ form, parts, repeat, bytes: bytes * repeat, maxRssMb: replayRun(form, parts, repeat).maxRssMb as number });
    }
  }
  const memoryGrowth = !plan.extras ? undefined : Math.max(...(['gz', 'json'] as CorpusForm[]).map((form) => {
    const points = memory.filter((m) => m.form === form);
    const whole = points.find((m) => m.parts === parts && m.repeat === 1) as ReplayResult['memory'][number];
    return points[points.length - 1].maxRssMb / whole.maxRssMb;
  }));

  const files = manifest.filesPerPart * parts;
  return {
    variant,
    cli: cli.source,
    corpus: {
      variant,
      bytes,
      gzBytes: firstParts(manifest.gzBytesPerPart, parts),
      records,
      files,
      bytesPerRecord: bytes / records,
      distinctEventNames: manifest.distinctEventNames,
      distinctEventSources: manifest.distinctEventSources,
      fixtureShare: firstParts(manifest.fixtureRecordsPerPart, parts) / records,
      matchingShare: firstParts(manifest.matchingRecordsPerPart, parts) / records,
      requestParametersDepth: manifest.requestParametersDepth,
    },
    rows,
    vsFloor: vsFloor as ReplayResult['vsFloor'],
    vsStreamedFloor: vsStreamedFloor as ReplayResult['vsStreamedFloor'],
    counts: counts as ReplayResult['counts'],
    vsJq: jqVersion ? vsJq as NonNullable<ReplayResult['vsJq']> : undefined,
    jqVersion,
    jqCommand: jqVersion ? jqCommand as Record<CorpusForm, string> : undefined,
    jqProgramFile: jqVersion ? 'bench/out/cis-controls.jq' : undefined,
    memory,
    memoryGrowth,
  };
}
