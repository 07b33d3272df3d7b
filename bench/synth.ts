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

export interface OverheadResult {
  readonly rounds: number;
  readonly warmupRounds: number;
  readonly library: Timing[];
  readonly handwritten: Timing[];
  readonly libraryMedianCpuMs: number;
  readonly handwrittenMedianCpuMs: number;
  readonly libraryMedianWallMs: number;
  readonly handwrittenMedianWallMs: number;
  /** The median of the per-round CPU-time ratios library / hand-written: the headline number. */
  readonly ratio: number;
  /** median(library CPU) / median(hand-written CPU), a cross-check. */
  readonly ratioOfMedians: number;
  /** The median of the per-round wall-clock ratios, a cross-check (noisy on a shared machine). */
  readonly wallRatio: number;
  readonly resourceTypeCounts: Record<string, number>;
  readonly templatesIdentical: boolean;
}

function sortedJson(record: Record<string, number>): string {
  return JSON.stringify(Object.keys(record).sort().map((key) => [key, record[key]]));
}

/**
 * Interleaves library and hand-written synths in this process: warm-up rounds first (module loading, JIT), then
 * `rounds` rounds whose order alternates (library first in even rounds, hand-written first in odd ones).
 */
export function measureOverhead(rounds: number, warmupRounds: number): OverheadResult {
  const outdirs = { library: tempDir('lib'), handwritten: tempDir('hand') };
  try {
    const templates = (['library', 'handwritten'] as StackKind[]).map((kind) => synthApp(kind, 1, outdirs[kind]).synth().getStackByName('Monitoring').template);
    const [libraryCounts, handCounts] = templates.map(resourceTypeCounts);
    if (sortedJson(libraryCounts) !== sortedJson(handCounts)) {
      throw new Error(`The hand-written baseline is not the same stack: resource types ${sortedJson(libraryCounts)} vs ${sortedJson(handCounts)}`);
    }
    const templatesIdentical = JSON.stringify(templates[0]) === JSON.stringify(templates[1]);

    const times: Record<StackKind, Timing[]> = { library: [], handwritten: [] };
    for (let round = 0; round < warmupRounds + rounds; round++) {
      const order: StackKind[] = round % 2 === 0 ? ['library', 'handwritten'] : ['handwritten', 'library'];
      for (const kind of order) {
        const timing = timeSynth(kind, 1, outdirs[kind]);
        if (round >= warmupRounds) times[kind].push(timing);
      }
    }
    const cpu = (kind: StackKind) => times[kind].map((t) => t.cpuMs);
    const wall = (kind: StackKind) => times[kind].map((t) => t.wallMs);
    return {
      rounds,
      warmupRounds,
      library: times.library,
      handwritten: times.handwritten,
      libraryMedianCpuMs: median(cpu('library')),
      handwrittenMedianCpuMs: median(cpu('handwritten')),
      libraryMedianWallMs: median(wall('library')),
      handwrittenMedianWallMs: median(wall('handwritten')),
      ratio: median(cpu('library').map((ms, i) => ms / cpu('handwritten')[i])),
      ratioOfMedians: median(cpu('library')) / median(cpu('handwritten')),
      wallRatio: median(wall('library').map((ms, i) => ms / wall('handwritten')[i])),
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
