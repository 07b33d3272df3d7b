import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { describeError, InputFile } from '../replay-input';
import { ReplayReport } from '../replay-report';
import { buildDuckDbHuntQuery, DuckDbHuntQuery } from './duckdb-query';
import { HuntControl, HuntWindow } from './query-common';

/** One row of the hunt query's result (see buildDuckDbHuntQuery). */
export type HuntRow = Record<string, unknown>;

/**
 * Adds the rows of one hunt query to a report: the grand-total row (g = 31) gives events and samples, the others
 * matches per day and account/region (g = 3), per principal (g = 29) and per source IP (g = 30). `controls` are the
 * query's controls, in column order.
 */
export function addRows(report: ReplayReport, controls: readonly HuntControl[], rows: readonly HuntRow[], maxSamples: number): void {
  const tallies = controls.map(c => report.controls.find(t => t.key === c.key)!);
  for (const row of rows) {
    const g = Number(row.g);
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

async function runQuery(connection: DuckDBConnection, query: DuckDbHuntQuery): Promise<HuntRow[]> {
  const reader = await connection.runAndReadAll(query.sql);
  return reader.getRowObjectsJS() as HuntRow[];
}

/**
 * Runs the catalog as SQL in an embedded DuckDB over CloudTrail files and fills `report` (as replay would).
 * One query reads every file; if it fails, each file is queried alone so that the unreadable ones are named
 * and the others still counted.
 */
export async function huntInDuckDb(report: ReplayReport, files: readonly InputFile[], window: HuntWindow, maxSamples: number,
  onProblem: (path: string, error: string) => void): Promise<void> {
  const readable = files.filter(f => !f.error);
  for (const f of files) if (f.error) onProblem(f.path, f.error);
  report.files = files.length;
  const controls: HuntControl[] = report.controls.map(c => ({ key: c.key, pattern: c.pattern }));
  const probe = buildDuckDbHuntQuery([], controls, window, maxSamples);
  report.refused.push(...probe.refused);
  const refusedKeys = new Set(probe.refused.map(r => r.key));
  report.controls.splice(0, report.controls.length, ...report.controls.filter(c => !refusedKeys.has(c.key)));
  if (readable.length === 0) return;

  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const all = buildDuckDbHuntQuery(readable.map(f => f.path), controls, window, maxSamples);
    let rows: HuntRow[] | undefined;
    try {
      rows = await runQuery(connection, all);
    } catch {
      rows = undefined;
    }
    if (rows) {
      addRows(report, all.controls, rows, maxSamples);
      report.filesRead += readable.length;
      report.bytes += readable.reduce((n, f) => n + f.size, 0);
      return;
    }
    for (const file of readable) {
      const one = buildDuckDbHuntQuery([file.path], controls, window, maxSamples);
      try {
        addRows(report, one.controls, await runQuery(connection, one), maxSamples);
        report.filesRead++;
        report.bytes += file.size;
      } catch (e) {
        onProblem(file.path, describeDuckDbError(e));
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
