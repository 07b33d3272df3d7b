import * as fs from 'fs';
import * as zlib from 'zlib';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadDuckDb } from './duckdb-load';
import { LiteralPaths } from './duckdb-paths';
import { buildDuckDbHuntQuery, DuckDbHuntQuery, DuckDbInput } from './duckdb-query';
import { HuntControl } from './query-common';
import { describeError, InputFile } from '../../input/files';
import { ReplayReport } from '../../report/report';
import { TimeWindow } from '../../report/window';

/** One row of the hunt query's result (see buildDuckDbHuntQuery). */
export type HuntRow = Record<string, unknown>;

/**
 * Adds the rows of one hunt query to a report: the grand-total row (g = 31) gives events and samples, the others
 * matches per day and account/region (g = 3), per principal (g = 29) and per source IP (g = 30). `controls` are the
 * query's controls, in column order. The invalid records per file (DuckDB only) go to `onFile` (the file's index in
 * the query, from 1, and its invalid records).
 */
export function addRows(report: ReplayReport, controls: readonly HuntControl[], rows: readonly HuntRow[], maxSamples: number,
  onFile?: (fi: number, invalid: number) => void): void {
  const tallies = controls.map(c => report.controls.find(t => t.key === c.key)!);
  for (const row of rows) {
    const g = Number(row.g);
    if (g === 31) for (const [fi, invalid] of perFile(row.invalid_by_file)) onFile?.(fi, invalid);
    const total = g === 31;
    if (total) {
      report.events += Number(row.events);
      report.invalidRecords += Number(row.invalid);
      report.outsideWindow += Number(row.out_of_range);
    }
    tallies.forEach((tally, i) => {
      const matches = Number(row[`m${i + 1}`]);
      if (total) {
        tally.matches += matches;
        const samples = (row[`s${i + 1}`] as unknown[] | null) ?? [];
        const events = (row[`e${i + 1}`] as unknown[] | null | undefined) ?? [];
        samples.forEach((s, k) => {
          if (tally.samples.length >= maxSamples) return;
          tally.samples.push(String(s));
          if (events[k] !== undefined) tally.sampleEvents.push(typeof events[k] === 'string' ? JSON.parse(events[k] as string) : events[k]);
        });
      } else if (matches > 0 && g === 29) {
        const principal = String(row.principal);
        tally.byPrincipal.set(principal, (tally.byPrincipal.get(principal) ?? 0) + matches);
      } else if (matches > 0 && g === 30) {
        const ip = String(row.source_ip);
        tally.bySourceIp.set(ip, (tally.bySourceIp.get(ip) ?? 0) + matches);
      } else if (matches > 0 && g === 3) {
        const day = String(row.day);
        const where = `${String(row.account)}/${String(row.region)}`;
        tally.byDay.set(day, (tally.byDay.get(day) ?? 0) + matches);
        tally.byAccountRegion.set(where, (tally.byAccountRegion.get(where) ?? 0) + matches);
      }
    });
  }
}

/** A histogram(fi) of the total row: file index → count. */
function perFile(value: unknown): [number, number][] {
  return ((value as { key: unknown; value: unknown }[] | null | undefined) ?? []).map(e => [Number(e.key), Number(e.value)]);
}

/** The indexes (from 0) of the files with more than one non-empty top-level value. */
function withSeveralTops(rows: readonly HuntRow[]): Set<number> {
  const total = rows.find(r => Number(r.g) === 31);
  return new Set(perFile(total?.firsts_by_file).filter(([, n]) => n > 1).map(([fi]) => fi - 1));
}

async function runQuery(connection: DuckDBConnection, query: DuckDbHuntQuery): Promise<HuntRow[]> {
  const reader = await connection.runAndReadAll(query.sql);
  return reader.getRowObjectsJS() as HuntRow[];
}

/** CloudTrail's layout, at the start of a file (after a byte order mark and whitespace). */
const RECORDS_START = /^\uFEFF?[ \t\r\n]*\{[ \t\r\n]*"Records"[ \t\r\n]*:[ \t\r\n]*\[/;
const HEAD_BYTES = 4096;

/**
 * Whether a file is gzipped, from its first two bytes (as replay decides), and whether it starts with
 * `{"Records": [` (see DuckDbInput.records); only regular files are read. `pathFor` gives the path DuckDB reads the
 * file by (LiteralPaths.forDuckDb: never a pattern); it throws for a file DuckDB cannot be given.
 */
export function duckDbInput(file: InputFile, pathFor: (given: string) => string): DuckDbInput | { readonly error: string } {
  let fd: number | undefined;
  try {
    // DuckDB opens files by name and may read them more than once: a pipe would be consumed by the first look.
    if (!fs.statSync(file.path).isFile()) return { error: 'hunt reads regular files, not pipes or devices (use replay)' };
    fd = fs.openSync(file.path, 'r');
    const head = Buffer.alloc(HEAD_BYTES);
    const n = fs.readSync(fd, head, 0, HEAD_BYTES, 0);
    const gzip = n >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    let text = head.subarray(0, n);
    if (gzip) {
      try {
        text = zlib.gunzipSync(text, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      } catch {
        text = Buffer.alloc(0); // corrupt: the general reader names the error
      }
    }
    return { path: pathFor(file.path), gzip, records: RECORDS_START.test(text.toString('utf8')) };
  } catch (e) {
    return { error: describeError(e) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Runs the catalog as SQL in an embedded DuckDB over CloudTrail files and fills `report` (as replay would).
 * One query reads every file; if it fails, each file is queried alone so that the unreadable ones are named
 * and the others still counted. Problems are reported in file order, as replay reports them: a file that could
 * not be listed or read, and a file with records that are not JSON objects.
 */
export async function huntInDuckDb(report: ReplayReport, files: readonly InputFile[], window: TimeWindow, maxSamples: number,
  onProblem: (path: string, error: string) => void): Promise<void> {
  report.files = files.length;
  const controls: HuntControl[] = report.controls.map(c => ({ key: c.key, pattern: c.pattern }));
  const probe = buildDuckDbHuntQuery([], controls, window, maxSamples);
  report.refused.push(...probe.refused);
  const refusedKeys = new Set(probe.refused.map(r => r.key));
  report.controls.splice(0, report.controls.length, ...report.controls.filter(c => !refusedKeys.has(c.key)));

  const problems = new Map<number, string>();
  const inputs: HuntInput[] = [];
  const paths = new LiteralPaths();
  try {
    files.forEach((file, index) => {
      const input = file.error ? { error: file.error } : duckDbInput(file, given => paths.forDuckDb(given));
      if ('error' in input) problems.set(index, input.error);
      else inputs.push({ index, input, size: file.size, given: file.path });
    });
    if (inputs.length > 0) await runAll(report, inputs, controls, window, maxSamples, problems);
  } finally {
    paths.dispose();
    for (const [index, file] of files.entries()) {
      const problem = problems.get(index);
      if (problem !== undefined) onProblem(file.path, problem);
    }
  }
}

/** A file of the hunt: its index in the listing, how DuckDB reads it, its size, and its path as given (for messages). */
interface HuntInput {
  readonly index: number;
  readonly input: DuckDbInput;
  readonly size: number;
  readonly given: string;
}

async function runAll(report: ReplayReport, given: readonly HuntInput[],
  controls: readonly HuntControl[], window: TimeWindow, maxSamples: number, problems: Map<number, string>): Promise<void> {
  let inputs = given;
  const { DuckDBInstance } = loadDuckDb();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const invalidIn = (group: readonly { index: number }[]) => (fi: number, invalid: number) => {
    const file = group[fi - 1];
    if (file !== undefined && invalid > 0) problems.set(file.index, `${invalid} record(s) are not valid JSON objects`);
  };
  try {
    let all = buildDuckDbHuntQuery(inputs.map(f => f.input), controls, window, maxSamples);
    let rows: HuntRow[] | undefined;
    try {
      rows = await runQuery(connection, all);
      // A file read as {"Records": [...]} with several such objects: read it as any other (samples in record order).
      const several = withSeveralTops(rows);
      if (inputs.some((f, i) => several.has(i) && f.input.records)) {
        inputs = inputs.map((f, i) => (several.has(i) ? { ...f, input: { ...f.input, records: false } } : f));
        all = buildDuckDbHuntQuery(inputs.map(f => f.input), controls, window, maxSamples);
        rows = await runQuery(connection, all);
      }
    } catch {
      rows = undefined;
    }
    if (rows) {
      addRows(report, all.controls, rows, maxSamples, invalidIn(inputs));
      report.filesRead += inputs.length;
      report.bytes += inputs.reduce((n, f) => n + f.size, 0);
      return;
    }
    for (const file of inputs) {
      // Alone; a file read as {"Records": [...]} that fails is read again as any other, which names its error.
      for (const input of file.input.records ? [file.input, { ...file.input, records: false }] : [file.input]) {
        const one = buildDuckDbHuntQuery([input], controls, window, maxSamples);
        try {
          const fileRows = await runQuery(connection, one);
          if (input.records && withSeveralTops(fileRows).size > 0) continue;
          problems.delete(file.index);
          addRows(report, one.controls, fileRows, maxSamples, invalidIn([file]));
          report.filesRead++;
          report.bytes += file.size;
          break;
        } catch (e) {
          // DuckDB names the path it read (a real path, or a link): name the file as given.
          problems.set(file.index, describeDuckDbError(e).split(file.input.path).join(file.given));
        }
      }
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** DuckDB's messages start with the error class and can span lines; keep the first line. */
function describeDuckDbError(e: unknown): string {
  return describeError(e).split('\n')[0];
}
