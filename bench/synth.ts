// Synth overhead (library vs. hand-written, interleaved), growth with the number of stacks, and template bytes.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import { App } from 'aws-cdk-lib';
import { StackKind, synthApp } from './stacks';
import { CisMonitoringDemoStack } from '../examples/demo-stack';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function tempDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cis-bench-${name}-`));
}

/** Wall-clock and CPU milliseconds of one measured piece of work. */
export interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * Builds and synthesizes an app of n stacks of one kind (a fresh App, writing the assembly to outdir). CPU time
 * (user + system of this process) is what the ratios use: synth is single-threaded, and CPU time does not count
 * the time other processes on a shared machine take the core away, which wall-clock time does.
 */
function timeSynth(kind: StackKind, n: number, outdir: string): Timing {
  collectGarbage();
  const cpu = process.cpuUsage();
  const start = performance.now();
  synthApp(kind, n, outdir);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

function resourceTypeCounts(template: any): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of Object.values<any>(template.Resources ?? {})) counts[resource.Type] = (counts[resource.Type] ?? 0) + 1;
  return counts;
}

/** One app size of the overhead measure: rounds that each synthesize an app of `stacks` stacks of either kind. */
export interface OverheadPoint {
  readonly stacks: number;
  readonly rounds: number;
  /** Median CPU milliseconds per stack. */
  readonly libraryCpuMsPerStack: number;
  readonly handwrittenCpuMsPerStack: number;
  /** The median of the per-round CPU ratios library / hand-written, and their quartiles (the spread of this run). */
  readonly ratio: number;
  readonly ratioP25: number;
  readonly ratioP75: number;
}

export interface OverheadResult {
  readonly rounds: number;
  readonly warmupRounds: number;
  /** The 1-stack rounds. */
  readonly library: Timing[];
  readonly handwritten: Timing[];
  readonly libraryMedianCpuMs: number;
  readonly handwrittenMedianCpuMs: number;
  readonly libraryMedianWallMs: number;
  readonly handwrittenMedianWallMs: number;
  /** The median of the per-round CPU-time ratios library / hand-written of the 1-stack rounds. */
  readonly ratio: number;
  /** median(library CPU) / median(hand-written CPU), a cross-check. */
  readonly ratioOfMedians: number;
  /** The median of the per-round wall-clock ratios, a cross-check (noisy on a shared machine). */
  readonly wallRatio: number;
  /** Every app size measured (1 stack first), each with its own ratio and spread. */
  readonly sizes: OverheadPoint[];
  /**
   * The headline: the median of the per-round CPU ratios of all sizes together, and its quartiles. Each round is
   * one app synthesized by both kinds back to back, so a change of the machine's load between rounds cancels out.
   */
  readonly pooledRatio: number;
  readonly pooledP25: number;
  readonly pooledP75: number;
  readonly resourceTypeCounts: Record<string, number>;
  readonly templatesIdentical: boolean;
}

function sortedJson(record: Record<string, number>): string {
  return JSON.stringify(Object.keys(record).sort().map((key) => [key, record[key]]));
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (position - low);
}

/** Rounds for an app of n stacks: fewer for larger apps (each round costs n times more), at least 5. */
export function roundsFor(rounds: number, stacks: number): number {
  return stacks === 1 ? rounds : Math.max(5, Math.round(rounds / Math.sqrt(stacks)));
}

/**
 * Interleaves library and hand-written synths in this process: warm-up rounds of 1-stack apps first (module loading,
 * JIT), then, for each app size, rounds whose order alternates (library first in even rounds, hand-written first in
 * odd ones). An app of n > 1 stacks has one stack per account and region (`orgEnv`), as an organization deploys it.
 */
export function measureOverhead(rounds: number, warmupRounds: number, stackCounts: number[] = [1]): OverheadResult {
  const outdirs = { library: tempDir('lib'), handwritten: tempDir('hand') };
  try {
    const templates = (['library', 'handwritten'] as StackKind[]).map((kind) => synthApp(kind, 1, outdirs[kind]).synth().getStackByName('Monitoring').template);
    const [libraryCounts, handCounts] = templates.map(resourceTypeCounts);
    if (sortedJson(libraryCounts) !== sortedJson(handCounts)) {
      throw new Error(`The hand-written baseline is not the same stack: resource types ${sortedJson(libraryCounts)} vs ${sortedJson(handCounts)}`);
    }
    const templatesIdentical = JSON.stringify(templates[0]) === JSON.stringify(templates[1]);
    if (!templatesIdentical) {
      // The ratio means "what the library adds" only when both build the same thing: refuse to measure otherwise.
      const differing = Object.keys({ ...templates[0].Resources, ...templates[1].Resources })
        .filter((id) => JSON.stringify(templates[0].Resources?.[id]) !== JSON.stringify(templates[1].Resources?.[id]));
      throw new Error('The hand-written baseline (bench/stacks.ts) does not synthesize the same template as CisLogMonitoring; '
        + `resources that differ: ${differing.slice(0, 5).join(', ') || '(none: outputs, parameters or rules differ)'}`);
    }

    for (let round = 0; round < warmupRounds; round++) {
      for (const kind of ['library', 'handwritten'] as StackKind[]) timeSynth(kind, 1, outdirs[kind]);
    }
    const sizes = [1, ...stackCounts.filter((n) => n !== 1)];
    const timesBySize = new Map<number, Record<StackKind, Timing[]>>();
    for (const stacks of sizes) {
      const times: Record<StackKind, Timing[]> = { library: [], handwritten: [] };
      for (let round = 0; round < roundsFor(rounds, stacks); round++) {
        const order: StackKind[] = round % 2 === 0 ? ['library', 'handwritten'] : ['handwritten', 'library'];
        for (const kind of order) {
          if (stacks > 1) fs.rmSync(outdirs[kind], { recursive: true, force: true });
          times[kind].push(timeSynth(kind, stacks, outdirs[kind]));
        }
      }
      timesBySize.set(stacks, times);
    }
    const cpu = (times: Timing[]) => times.map((t) => t.cpuMs);
    const ratios = (times: Record<StackKind, Timing[]>) => cpu(times.library).map((ms, i) => ms / cpu(times.handwritten)[i]);
    const points = sizes.map((stacks): OverheadPoint => {
      const times = timesBySize.get(stacks)!;
      return {
        stacks,
        rounds: times.library.length,
        libraryCpuMsPerStack: median(cpu(times.library)) / stacks,
        handwrittenCpuMsPerStack: median(cpu(times.handwritten)) / stacks,
        ratio: median(ratios(times)),
        ratioP25: quantile(ratios(times), 0.25),
        ratioP75: quantile(ratios(times), 0.75),
      };
    });
    const pooled = sizes.flatMap((stacks) => ratios(timesBySize.get(stacks)!));
    const single = timesBySize.get(1)!;
    const wall = (times: Timing[]) => times.map((t) => t.wallMs);
    return {
      rounds,
      warmupRounds,
      library: single.library,
      handwritten: single.handwritten,
      libraryMedianCpuMs: median(cpu(single.library)),
      handwrittenMedianCpuMs: median(cpu(single.handwritten)),
      libraryMedianWallMs: median(wall(single.library)),
      handwrittenMedianWallMs: median(wall(single.handwritten)),
      ratio: points[0].ratio,
      ratioOfMedians: median(cpu(single.library)) / median(cpu(single.handwritten)),
      wallRatio: median(wall(single.library).map((ms, i) => ms / wall(single.handwritten)[i])),
      sizes: points,
      pooledRatio: median(pooled),
      pooledP25: quantile(pooled, 0.25),
      pooledP75: quantile(pooled, 0.75),
      resourceTypeCounts: libraryCounts,
      templatesIdentical,
    };
  } finally {
    for (const dir of Object.values(outdirs)) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface GrowthPoint {
  readonly stacks: number;
  /** Median CPU milliseconds of the whole app (library / hand-written stacks). */
  readonly libraryCpuMs: number;
  readonly handwrittenCpuMs: number;
  readonly libraryWallMs: number;
  readonly handwrittenWallMs: number;
  readonly libraryPerStackMs: number;
  readonly handwrittenPerStackMs: number;
}

export interface GrowthResult {
  readonly rounds: number;
  readonly points: GrowthPoint[];
  /** Per-stack CPU cost of the largest app / per-stack CPU cost of the 10-stack app (library); 1.0 is flat. */
  readonly libraryGrowth: number;
  /** The same for the hand-written stacks: what aws-cdk-lib itself does. */
  readonly handwrittenGrowth: number;
}

/** Apps of 1, 10, 100 stacks (one per account and region), each kind, median of `rounds` rounds per size. */
export function measureGrowth(sizes: number[], rounds: number): GrowthResult {
  const outdir = tempDir('growth');
  try {
    const points: GrowthPoint[] = [];
    for (const stacks of sizes) {
      const times: Record<StackKind, Timing[]> = { library: [], handwritten: [] };
      for (let round = 0; round < rounds; round++) {
        const order: StackKind[] = round % 2 === 0 ? ['library', 'handwritten'] : ['handwritten', 'library'];
        for (const kind of order) {
          fs.rmSync(outdir, { recursive: true, force: true });
          times[kind].push(timeSynth(kind, stacks, outdir));
        }
      }
      const libraryCpuMs = median(times.library.map((t) => t.cpuMs));
      const handwrittenCpuMs = median(times.handwritten.map((t) => t.cpuMs));
      points.push({
        stacks,
        libraryCpuMs,
        handwrittenCpuMs,
        libraryWallMs: median(times.library.map((t) => t.wallMs)),
        handwrittenWallMs: median(times.handwritten.map((t) => t.wallMs)),
        libraryPerStackMs: libraryCpuMs / stacks,
        handwrittenPerStackMs: handwrittenCpuMs / stacks,
      });
    }
    const reference = points.find((p) => p.stacks === 10) ?? points[0];
    const largest = points[points.length - 1];
    return {
      rounds,
      points,
      libraryGrowth: largest.libraryPerStackMs / reference.libraryPerStackMs,
      handwrittenGrowth: largest.handwrittenPerStackMs / reference.handwrittenPerStackMs,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

export interface TemplateSize {
  readonly stack: string;
  readonly resources: number;
  /** JSON.stringify without whitespace: the TemplateBody `cdk deploy` / `aws cloudformation deploy` send. */
  readonly minifiedBytes: number;
  /** The file `cdk synth` writes to cdk.out (one-space indentation). */
  readonly prettyBytes: number;
}

/** The CloudFormation inline TemplateBody limit (CreateStack, UpdateStack, CreateStackSet, ...). */
export const TEMPLATE_BODY_LIMIT = 51_200;

function sizeOf(app: App, stackName: string, label: string): TemplateSize {
  const artifact = app.synth().getStackByName(stackName);
  return {
    stack: label,
    resources: Object.keys(artifact.template.Resources ?? {}).length,
    minifiedBytes: Buffer.byteLength(JSON.stringify(artifact.template)),
    prettyBytes: fs.statSync(artifact.templateFullPath).size,
  };
}

/** The default stack (CisLogMonitoring with e-mails on an imported trail log group) and the demo stack (plus a trail). */
export function measureTemplateSizes(): TemplateSize[] {
  const outdir = tempDir('size');
  try {
    const sizes = [sizeOf(synthApp('library', 1, path.join(outdir, 'default')), 'Monitoring', 'default stack (CisLogMonitoring, 2 e-mails)')];
    const demo = new App({ outdir: path.join(outdir, 'demo') });
    new CisMonitoringDemoStack(demo, 'CisMonitoringDemo');
    sizes.push(sizeOf(demo, 'CisMonitoringDemo', 'examples/demo-stack.ts (+ CloudTrail trail)'));
    return sizes;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
