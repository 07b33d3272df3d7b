// `npm run bench` (full) and `npm run bench:quick` (CI): what users pay for the library.
//
//   ts-node --transpile-only --project bench/tsconfig.json bench/run.ts [--quick] [--keep-corpus] [--synth-only]
//
// Prints a table, writes bench/out/results.json, and exits 1 only on a gross regression (a measure 1.5x past its
// goal; synth overhead: above 1.25, twice), never because a goal is missed: this is a benchmark, not a timed test.
// See BENCHMARKS.md.
import { execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureCorpus, PART_FILE_MB, Variant } from './corpus';
import { measureReplay, ReplayResult } from './replay';
import { measureGrowth, measureOverhead, measureTemplateSizes, TEMPLATE_BODY_LIMIT } from './synth';

interface Mode {
  readonly name: 'quick' | 'full';
  readonly overheadRounds: number;
  readonly warmupRounds: number;
  /** The app sizes (stacks per app) of the synth overhead measure; rounds per size: `roundsFor` in synth.ts. */
  readonly overheadStacks: number[];
  readonly growthRounds: number;
  /** Parts of the corpus and the sizes of each part's files (MB). */
  readonly corpusParts: number;
  readonly fileMb: number[];
  readonly replayRounds: number;
  readonly jqParts: number;
  readonly memoryRepeats: number[];
  /**
   * The corpus variants measured (everyday events with flat or nested requestParameters), each on its own corpus of
   * the same size, replay against the floors with the counts checked. In quick mode only the first is also measured
   * against jq, for peak memory and with the reference rows (the second then adds about 25-30 s); in full mode, all are.
   */
  readonly variants: Variant[];
}

const MODES: Record<Mode['name'], Mode> = {
  // Full: 4 parts of 12 files of 1-20 MB (512 MB). Quick: 2 parts of 4 files of 2-20 MB (80 MB), the same largest
  // file: the floor parses whole files, and its cost per MB depends on file size (on small files of 0.1-1.6 MB it
  // was relatively so much faster that the replay measured 0.45-0.50 of it, against 0.75 on the full corpus).
  // jq (native code, no warm-up) reads one part in quick mode.
  quick: {
    name: 'quick',
    overheadRounds: 41,
    warmupRounds: 5,
    overheadStacks: [1, 10],
    growthRounds: 1,
    corpusParts: 2,
    fileMb: PART_FILE_MB.slice(0, 4),
    replayRounds: 2,
    jqParts: 1,
    memoryRepeats: [2],
    variants: ['flat', 'nested'],
  },
  full: {
    name: 'full',
    overheadRounds: 61,
    warmupRounds: 10,
    overheadStacks: [1, 10, 40],
    growthRounds: 3,
    corpusParts: 4,
    fileMb: PART_FILE_MB,
    replayRounds: 3,
    jqParts: 4,
    memoryRepeats: [2, 4],
    variants: ['flat', 'nested'],
  },
};

/**
 * Synth overhead (issue 22 §5): the goal, and the limit above which the run fails. The limit is not 1.5x the goal
 * as for the other measures (1.65 would let the library cost two thirds more than aws-cdk-lib and pass): it is 1.25,
 * what the noise of a shared 2-core machine allows (per-size medians of one run spread by about ±0.1 under load).
 */
const SYNTH_GOAL = 1.1;
const SYNTH_GROSS_LIMIT = 1.25;

/** A goal, and the gross-regression limit 1.5x past it that makes the run fail. */
interface Check {
  readonly measure: string;
  readonly value: number | undefined;
  readonly goal: string;
  readonly met: boolean | undefined;
  readonly grossLimit: string;
  readonly gross: boolean;
  readonly note?: string;
}

function atMost(measure: string, value: number | undefined, goal: number, digits: number, note?: string): Check {
  const limit = goal * 1.5;
  return {
    measure,
    value,
    note,
    goal: `≤ ${goal.toFixed(digits)}`,
    met: value === undefined ? undefined : value <= goal,
    grossLimit: `> ${limit.toFixed(digits)}`,
    gross: value !== undefined && value > limit,
  };
}

function atLeast(measure: string, value: number | undefined, goal: number, digits: number, note?: string): Check {
  const limit = goal / 1.5;
  return {
    measure,
    value,
    note,
    goal: `≥ ${goal.toFixed(digits)}`,
    met: value === undefined ? undefined : value >= goal,
    grossLimit: `< ${limit.toFixed(digits)}`,
    gross: value !== undefined && value < limit,
  };
}

function machine(): Record<string, string> {
  const cpuModel = os.cpus()[0]?.model ?? 'unknown';
  let memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
  try {
    memory = execSync('free -h', { encoding: 'utf8' }).split('\n')[1].trim().replace(/\s+/g, ' ');
  } catch { /* free is optional */ }
  return {
    date: new Date().toISOString(),
    cpus: String(os.cpus().length),
    cpuModel,
    memory,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = rows.map((row) => row.map(String));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? 'n/a' : value.toFixed(digits);
}

function main(): void {
  const args = process.argv.slice(2);
  const base = MODES[args.includes('--quick') ? 'quick' : 'full'];
  const mode: Mode = base;
  const keepCorpus = args.includes('--keep-corpus') || mode.name === 'quick';
  // --synth-only: the synth measures alone (overhead, growth, template bytes), e.g. to measure a change to the construct.
  const synthOnly = args.includes('--synth-only');
  const variants = synthOnly ? [] : mode.variants;
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);
  const out = path.join(__dirname, 'out');
  fs.mkdirSync(out, { recursive: true });
  const host = machine();
  log(`${mode.name} mode on ${host.cpus} x ${host.cpuModel}, Node ${host.node}, load ${host.loadAverageAtStart}`);

  log(`synth overhead: ${mode.warmupRounds} warm-up + interleaved rounds of apps of ${mode.overheadStacks.join(', ')} stacks`);
  const overheads = [measureOverhead(mode.overheadRounds, mode.warmupRounds, mode.overheadStacks)];
  if (overheads[0].pooledRatio > SYNTH_GROSS_LIMIT) {
    // One noisy minute on a shared machine must not fail CI: a gross regression is one that a second measurement confirms.
    log(`synth overhead ${overheads[0].pooledRatio.toFixed(3)} is above ${SYNTH_GROSS_LIMIT}: measuring again to confirm`);
    overheads.push(measureOverhead(mode.overheadRounds, mode.warmupRounds, mode.overheadStacks));
  }
  // The lower of the two: the run fails only when both measurements are above the limit.
  const overhead = overheads.reduce((a, b) => (b.pooledRatio < a.pooledRatio ? b : a));
  log(`synth growth: apps of 1, 10, 100 stacks, ${mode.growthRounds} round(s)`);
  const growth = measureGrowth([1, 10, 100], mode.growthRounds);
  const sizes = measureTemplateSizes();

  const corpusMb = mode.corpusParts * mode.fileMb.reduce((a, b) => a + b, 0);
  const replays: Partial<Record<Variant, ReplayResult>> = {};
  for (const [index, variant] of variants.entries()) {
    const corpusRoot = path.join(out, `corpus-${corpusMb}mb-${variant}`);
    log(`replay: ${variant} corpus of ${corpusMb} MB in ${corpusRoot}`);
    const manifest = ensureCorpus({ root: corpusRoot, parts: mode.corpusParts, fileMb: mode.fileMb, variant }, log);
    try {
      replays[variant] = measureReplay(manifest, {
        rounds: mode.replayRounds,
        jqParts: mode.jqParts,
        memoryRepeats: mode.memoryRepeats,
        extras: mode.name === 'full' || index === 0,
      }, log);
    } finally {
      if (!keepCorpus) fs.rmSync(corpusRoot, { recursive: true, force: true });
    }
  }
  const measured = variants.map((variant) => replays[variant] as ReplayResult);
  const withJq = measured.filter((r) => r.vsJq);
  const minVsJq = withJq.length > 0 ? Math.min(...withJq.map((r) => Math.min(r.vsJq!.gz.cpu, r.vsJq!.json.cpu))) : undefined;
  const growths = measured.map((r) => r.memoryGrowth).filter((g): g is number => g !== undefined);
  const memoryGrowth = Math.max(...growths);
  const defaultSize = sizes[0];
  const synthChecks: Check[] = [
    {
      ...atMost(`synth time, library / hand-written (CPU, median of per-round ratios, apps of ${mode.overheadStacks.join(', ')} stacks)`,
        overhead.pooledRatio, SYNTH_GOAL, 3, `quartiles ${overhead.pooledP25.toFixed(3)}-${overhead.pooledP75.toFixed(3)}; `
        + `the gross limit is ${SYNTH_GROSS_LIMIT}, confirmed by a second measurement`),
      grossLimit: `> ${SYNTH_GROSS_LIMIT.toFixed(3)}`,
      gross: overhead.pooledRatio > SYNTH_GROSS_LIMIT,
    },
    atMost('per-stack synth cost, 100-stack app / 10-stack app', growth.libraryGrowth, 1.1, 2,
      `hand-written: ${growth.handwrittenGrowth.toFixed(2)}; the gross limit is 1.5 (flat x 1.5)`),
    {
      ...atMost('default stack template, minified bytes', defaultSize.minifiedBytes, TEMPLATE_BODY_LIMIT, 0),
      goal: `< ${TEMPLATE_BODY_LIMIT}`,
      met: defaultSize.minifiedBytes < TEMPLATE_BODY_LIMIT,
    },
  ];
  // Same for the per-stack growth.
  synthChecks[1] = { ...synthChecks[1], grossLimit: '> 1.50', gross: synthChecks[1].value !== undefined && (synthChecks[1].value as number) > 1.5 };
  const replayChecks: Check[] = [
    // The floor is the whole-file gunzip + one JSON.parse (issue 12), one check per corpus variant. Goal 1.5, gross
    // regression below 1.0 (goal / 1.5, as every other measure): the replay measured 1.56-2.05 with its scanner;
    // parsing every record (scanner missing, screening lost) measured 0.50-0.56, and framing + JSON.parse alone,
    // without evaluating a pattern, 0.65-0.86: losing the screening fails CI.
    ...measured.map((replay): Check => atLeast(
      `replay / floor: whole-file gunzip + JSON.parse, ${replay.variant} corpus (CPU, worse of gz and json)`,
      Math.min(replay.vsFloor.gz.cpu, replay.vsFloor.json.cpu), 1.5, 2)),
    atLeast(`replay / jq (CPU, worse of gz and json; ${withJq.map((r) => r.variant).join(' and ') || 'no'} corpus)`, minVsJq, 5, 2,
      withJq.length > 0 ? withJq[0].jqVersion : 'skipped: jq is not installed'),
    {
      // The issue sets the gross limit of this "flat" goal at 1.5x flat (1.0), not 1.5x the noise allowance.
      ...atMost(`replay peak RSS, ${Math.max(...mode.memoryRepeats)}x the corpus / the corpus (${measured.filter((r) => r.memoryGrowth !== undefined).map((r) => r.variant).join(' and ')} corpus)`,
        memoryGrowth, 1.1, 2, 'the gross limit is 1.5 (flat x 1.5)'),
      grossLimit: '> 1.50',
      gross: memoryGrowth > 1.5,
    },
  ];
  const checks = synthOnly ? synthChecks : [...synthChecks, ...replayChecks];

  const seconds = (Date.now() - started) / 1000;
  // `replay` holds one result per corpus variant, each naming its variant.
  const overheadMeasurements = overheads.map((o) => o.pooledRatio);
  const templateSizes = sizes;
  const results = {
    mode: mode.name, synthOnly, machine: host, seconds, overhead, overheadMeasurements, growth, templateSizes, replay: replays, checks,
  };
  fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2) + '\n');

  const print = (text: string) => process.stdout.write(text + '\n');
  print(`\ncdk-cis-log-monitoring benchmarks (${mode.name}), ${host.date}`);
  print(`${host.cpus} x ${host.cpuModel}; ${host.memory}; Node ${host.node}; load at start ${host.loadAverageAtStart}\n`);
  print(table(['synth (1 stack)', 'library ms', 'hand-written ms', 'ratio'], [
    ['CPU time, median', overhead.libraryMedianCpuMs.toFixed(1), overhead.handwrittenMedianCpuMs.toFixed(1), overhead.ratioOfMedians.toFixed(3)],
    ['wall-clock, median', overhead.libraryMedianWallMs.toFixed(1), overhead.handwrittenMedianWallMs.toFixed(1), overhead.wallRatio.toFixed(3)],
    [`per-round CPU ratio, median of ${overhead.rounds}`, '', '', overhead.ratio.toFixed(3)],
  ]));
  print(`resources: ${JSON.stringify(overhead.resourceTypeCounts)}; templates identical: ${overhead.templatesIdentical}\n`);
  print(table(['synth overhead by app size', 'rounds', 'library ms/stack', 'hand-written ms/stack', 'ratio (median)', 'quartiles'], [
    ...overhead.sizes.map((p) => [`${p.stacks} stack${p.stacks === 1 ? '' : 's'}`, p.rounds, p.libraryCpuMsPerStack.toFixed(1),
      p.handwrittenCpuMsPerStack.toFixed(1), p.ratio.toFixed(3), `${p.ratioP25.toFixed(3)}-${p.ratioP75.toFixed(3)}`]),
    ['all rounds (headline)', overhead.sizes.reduce((n, p) => n + p.rounds, 0), '', '', overhead.pooledRatio.toFixed(3),
      `${overhead.pooledP25.toFixed(3)}-${overhead.pooledP75.toFixed(3)}`],
  ]));
  if (overheads.length > 1) print(`(measured twice: ${overheads.map((o) => o.pooledRatio.toFixed(3)).join(' and ')}; the table shows the lower)`);
  print('');
  print(table(['stacks per app', 'library CPU ms', 'per stack', 'hand-written CPU ms', 'per stack'], growth.points.map((p) => [
    p.stacks, p.libraryCpuMs.toFixed(0), p.libraryPerStackMs.toFixed(1), p.handwrittenCpuMs.toFixed(0), p.handwrittenPerStackMs.toFixed(1),
  ])));
  print('');
  print(table(['template', 'resources', 'minified bytes', 'pretty bytes', `% of ${TEMPLATE_BODY_LIMIT}`], sizes.map((s) => [
    s.stack, s.resources, s.minifiedBytes, s.prettyBytes, ((100 * s.minifiedBytes) / TEMPLATE_BODY_LIMIT).toFixed(1),
  ])));
  print('');
  for (const replay of measured) {
    const c = replay.corpus;
    const v = replay.variant;
    print(`replay corpus (${v}): ${(c.bytes / 1e6).toFixed(1)} MB JSON (${(c.gzBytes / 1e6).toFixed(1)} MB gzipped), ${c.files} files per form, `
      + `${c.records} records (${c.bytesPerRecord.toFixed(0)} B each), ${c.distinctEventNames} event names from ${c.distinctEventSources} sources, `
      + `${(100 * c.fixtureShare).toFixed(1)} % CIS fixture copies, ${(100 * c.matchingShare).toFixed(1)} % matching a control, `
      + `requestParameters depth mean ${c.requestParametersDepth.mean.toFixed(1)} max ${c.requestParametersDepth.max}; CLI: ${replay.cli}`);
    print(table(['corpus', 'form', 'tool', 'wall s', 'MB/s wall', 'events/s wall', 'CPU s', 'start-up CPU s', 'MB/s CPU', 'peak RSS MB'], replay.rows.map((r) => [
      v, r.form, r.tool, r.wallSeconds.toFixed(2), r.mbPerSecondWall.toFixed(1), r.eventsPerSecondWall.toFixed(0), r.cpuSeconds.toFixed(2),
      r.startupCpuSeconds.toFixed(2), r.mbPerSecondCpu.toFixed(1), fixed(r.maxRssMb, 0),
    ])));
    print(`replay / floor (whole file), ${v} corpus: gz ${replay.vsFloor.gz.cpu.toFixed(2)} (wall ${replay.vsFloor.gz.wall.toFixed(2)}), `
      + `json ${replay.vsFloor.json.cpu.toFixed(2)} (wall ${replay.vsFloor.json.wall.toFixed(2)}); `
      + `/ old streamed floor: gz ${replay.vsStreamedFloor.gz.cpu.toFixed(2)}, json ${replay.vsStreamedFloor.json.cpu.toFixed(2)}`);
    for (const form of ['gz', 'json'] as const) {
      const counted = replay.counts[form];
      print(`replay counts (${v} corpus, ${form}, equal to the generator's, else the run fails): ${counted.events} events; `
        + Object.entries(counted.matches).map(([key, n]) => `${key} ${n}`).join(', '));
    }
    if (replay.vsJq) {
      print(`replay / jq, ${v} corpus: gz ${replay.vsJq.gz.cpu.toFixed(2)} (wall ${replay.vsJq.gz.wall.toFixed(2)}), json ${replay.vsJq.json.cpu.toFixed(2)} `
        + `(wall ${replay.vsJq.json.wall.toFixed(2)}); ${replay.jqVersion}: ${replay.jqCommand?.gz}; ${replay.jqCommand?.json}`);
    } else {
      print(`replay / jq, ${v} corpus: ${replay.memoryGrowth === undefined ? `not measured on this variant in ${mode.name} mode (nor peak memory)`
        : 'SKIPPED (jq is not installed; apt-get install -y jq to include it)'}`);
    }
    if (replay.memory.length > 0) {
      print(table(['corpus', 'form', 'MB streamed', 'files', 'replay peak RSS MB'], replay.memory.map((m) => [
        v, m.form, (m.bytes / 1e6).toFixed(0), `${m.parts} of ${mode.corpusParts} parts${m.repeat > 1 ? ` x ${m.repeat}` : ''}`, m.maxRssMb.toFixed(0),
      ])));
    }
    print('');
  }
  print(table(['measure', 'value', 'goal', 'met', 'gross regression if', 'regressed'], checks.map((check) => [
    check.measure + (check.note ? ` (${check.note})` : ''), fixed(check.value, check.value !== undefined && check.value > 100 ? 0 : 3), check.goal,
    check.met === undefined ? 'skipped' : check.met ? 'yes' : 'NO', check.grossLimit, check.gross ? 'YES' : 'no',
  ])));
  print(`\n${mode.name} benchmark finished in ${seconds.toFixed(0)} s; results in bench/out/results.json`);
  const regressed = checks.filter((check) => check.gross);
  if (regressed.length > 0) {
    print(`GROSS REGRESSION: ${regressed.map((check) => check.measure).join('; ')}`);
    process.exitCode = 1;
  }
}

main();
