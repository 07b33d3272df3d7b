import {
  AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, GetQueryResultsCommandOutput, StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { addRows, HuntRow } from './duckdb-run';
import { HuntControl } from './query-common';
import { buildTrinoHuntQuery } from './trino-query';
import { ReplayReport } from '../../report/report';
import { TimeWindow } from '../../report/window';

export interface AthenaTarget {
  readonly database: string;
  readonly table: string;
  readonly workgroup: string;
  readonly region?: string;
}

/** What the Athena runner needs from the SDK: one send; tests pass a client that answers recorded responses. */
export interface AthenaSender {
  send(command: StartQueryExecutionCommand | GetQueryExecutionCommand | GetQueryResultsCommand): Promise<any>;
}

export interface AthenaRunOptions {
  readonly client?: AthenaSender;
  /** Milliseconds between GetQueryExecution polls (default 1000). */
  readonly pollMs?: number;
}

/** Athena returns every value as text; the s<i> columns are JSON arrays (json_format in the query). */
function toRows(header: string[], pages: GetQueryResultsCommandOutput[]): HuntRow[] {
  const rows: HuntRow[] = [];
  for (const [p, page] of pages.entries()) {
    const data = page.ResultSet?.Rows ?? [];
    for (const [i, row] of data.entries()) {
      if (p === 0 && i === 0) continue; // the header row
      const values = (row.Data ?? []).map(d => d.VarCharValue);
      const out: HuntRow = {};
      header.forEach((name, k) => {
        const v = values[k];
        out[name] = /^s\d+$/.test(name) ? (v === undefined ? [] : JSON.parse(v)) : v ?? null;
      });
      rows.push(out);
    }
  }
  return rows;
}

/**
 * Runs the catalog as one query on Amazon Athena over the AWS-documented CloudTrail table and fills `report`
 * (matches, per day and account/region, samples, bytes scanned). Controls the dialect refuses are listed in
 * report.refused and not run. Throws when Athena reports the query FAILED or CANCELLED.
 */
export async function huntOnAthena(report: ReplayReport, target: AthenaTarget, window: TimeWindow, maxSamples: number,
  options: AthenaRunOptions = {}): Promise<void> {
  const controls: HuntControl[] = report.controls.map(c => ({ key: c.key, pattern: c.pattern }));
  const query = buildTrinoHuntQuery({ kind: 'athena', table: `${target.database}.${target.table}` }, controls, window, maxSamples);
  report.refused.push(...query.refused);
  const refusedKeys = new Set(query.refused.map(r => r.key));
  report.controls.splice(0, report.controls.length, ...report.controls.filter(c => !refusedKeys.has(c.key)));

  const client: AthenaSender = options.client ?? new AthenaClient(target.region ? { region: target.region } : {});
  const started = await client.send(new StartQueryExecutionCommand({
    QueryString: query.sql,
    QueryExecutionContext: { Database: target.database },
    WorkGroup: target.workgroup,
  }));
  const id: string = started.QueryExecutionId;
  for (;;) {
    const execution = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED') {
      report.bytesScanned = Number(execution?.Statistics?.DataScannedInBytes ?? 0);
      break;
    }
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new Error(`Athena query ${id} ${state}: ${execution?.Status?.StateChangeReason ?? 'no reason given'}`);
    }
    await new Promise(resolve => setTimeout(resolve, options.pollMs ?? 1000));
  }
  const pages: GetQueryResultsCommandOutput[] = [];
  let next: string | undefined;
  do {
    const input = { QueryExecutionId: id, ...(next ? { NextToken: next } : {}) };
    const page: GetQueryResultsCommandOutput = await client.send(new GetQueryResultsCommand(input));
    pages.push(page);
    next = page.NextToken;
  } while (next);
  const header = (pages[0]?.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map(c => c.Name ?? '');
  addRows(report, query.controls, toRows(header, pages), maxSamples);
}
