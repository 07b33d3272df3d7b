import { DuckDbDialect } from './duckdb-sql';
import { HuntControl } from './query-common';
import { compileControls, sqlString } from './sql';
import { Refusal } from '../../report/report';
import { EVENT_TIME_REGEX, TimeWindow } from '../../report/window';

export interface DuckDbHuntQuery {
  readonly sql: string;
  /** The controls the query evaluates, in the order of its m<i> / s<i> columns. */
  readonly controls: HuntControl[];
  readonly refused: Refusal[];
}

/** A file the hunt query reads, and whether it is gzipped (decided by its first bytes, as replay does, not by its name). */
export interface DuckDbInput {
  readonly path: string;
  readonly gzip: boolean;
  /**
   * The file starts with `{"Records": [` (CloudTrail's layout): it is read by the faster reader, which reads only
   * `Records` arrays. A top-level value without one fails the query (then the file is read as any other); a file
   * with several (`firsts_by_file` > 1) must be read as any other for its samples to be in record order.
   */
  readonly records?: boolean;
}

/**
 * Builds the one query `hunt` runs in DuckDB over CloudTrail files, plain or gzipped, in every layout replay reads
 * (see RecordSplitter): each top-level JSON value of a file is read whole (`read_json_objects`, unstructured), then
 * - an object holding a `Records` array (CloudTrail's `{"Records": [...]}`) gives the elements of that array;
 * - any other object is one record (JSON lines, objects one after another);
 * - an array (`[{...}, {...}]`) gives its elements;
 * - a string gives nothing (replay skips it); a number, boolean or null fails the query (replay: "not JSON").
 * Elements that are not objects are invalid records, as in replay (a JSON null element is a SQL NULL in a JSON[]).
 * Files that start with `{"Records": [` are read by `read_json` into a `Records` column instead (`records`): one
 * parse, and in parallel (the row_number() that keeps the order of the top-level values reads on one thread).
 *
 * Its result has one row per (UTC day, account, region) (g = 3), per principal (g = 29), per source IP (g = 30) and a
 * grand-total row (g = 31): event counts, matches per control (m<i>), invalid records and non-empty top-level values
 * per file index fi (`invalid_by_file`, `firsts_by_file`: maps), and the first `samples` eventIDs and events per
 * control in file and record order (s<i>, e<i>; read from the total row).
 */
export function buildDuckDbHuntQuery(files: readonly DuckDbInput[], controls: readonly HuntControl[], window: TimeWindow,
  samples: number): DuckDbHuntQuery {
  const dialect = new DuckDbDialect();
  const { kept, predicates, refused } = compileControls(controls, dialect);
  const meta = {
    time: dialect.column('$."eventTime"'),
    id: dialect.column('$."eventID"'),
    account: dialect.column('$."recipientAccountId"'),
    region: dialect.column('$."awsRegion"'),
    arn: dialect.column('$."userIdentity"."arn"'),
    invokedBy: dialect.column('$."userIdentity"."invokedBy"'),
    ip: dialect.column('$."sourceIPAddress"'),
  };
  const fileList = `[${files.map(f => sqlString(f.path)).join(', ')}]`;
  // One reader per compression (given, not guessed from the name), unioned: UNION ALL and row_number() OVER ()
  // keep the order in which the rows are read, so (fi, ti, ri) is file and record order.
  const reader = (group: readonly DuckDbInput[], compression: 'gzip' | 'uncompressed') => group.length === 0 ? [] : [
    `SELECT filename, json FROM read_json_objects([${group.map(f => sqlString(f.path)).join(', ')}], format = 'unstructured', `
    + `compression = '${compression}', filename = true, maximum_object_size = 1073741824)`,
  ];
  const general = files.filter(f => !f.records);
  const readers = [...reader(general.filter(f => f.gzip), 'gzip'), ...reader(general.filter(f => !f.gzip), 'uncompressed')];
  const source = readers.length > 0 ? readers.join('\n    UNION ALL\n    ')
    : 'SELECT NULL::VARCHAR AS filename, NULL::JSON AS json WHERE FALSE';
  const recordsReader = (group: readonly DuckDbInput[], compression: 'gzip' | 'uncompressed') => group.length === 0 ? [] : [
    `SELECT coalesce(list_position(${fileList}, filename), 0) AS fi, 0::BIGINT AS ti,
    CASE WHEN Records IS NULL THEN error('not only {"Records": [...]} objects') ELSE Records END AS records
  FROM read_json([${group.map(f => sqlString(f.path)).join(', ')}], columns = {'Records': 'JSON[]'}, format = 'unstructured', `
    + `compression = '${compression}', filename = true, maximum_object_size = 1073741824)`,
  ];
  const wrapped = files.filter(f => f.records);
  const recordsBranches = [...recordsReader(wrapped.filter(f => f.gzip), 'gzip'), ...recordsReader(wrapped.filter(f => !f.gzip), 'uncompressed')]
    .map(r => `\n  UNION ALL\n  ${r}`).join('');
  const nodeColumns = dialect.paths.map((_, i) => `v[${i + 1}] AS j${i + 1}, json_type(v[${i + 1}]) AS t${i + 1}`).join(',\n    ');
  const str = (k: number) => `CASE WHEN t${k} = 'VARCHAR' THEN json_extract_string(j${k}, '$') END`;
  const inRange = [
    window.since !== undefined ? `substr(event_time, 1, 19) >= ${sqlString(window.since)}` : undefined,
    window.until !== undefined ? `substr(event_time, 1, 19) < ${sqlString(window.until)}` : undefined,
  ].filter(x => x !== undefined);
  const n = Math.max(samples, 1);
  const sql = `WITH tops AS (
  SELECT coalesce(list_position(${fileList}, filename), 0) AS fi, row_number() OVER () AS ti, json AS top
  FROM (
    ${source}
  )
), lists AS (
  SELECT fi, ti, CASE json_type(top)
      WHEN 'OBJECT' THEN CASE WHEN json_type(top, '$."Records"') = 'ARRAY' THEN CAST(json_extract(top, '$."Records"') AS JSON[]) ELSE [top] END
      WHEN 'ARRAY' THEN CAST(top AS JSON[])
      WHEN 'VARCHAR' THEN []::JSON[]
      ELSE error('not JSON: a top-level ' || json_type(top) || ' value is neither an object nor an array')
    END AS records
  FROM tops${recordsBranches}
), records AS (
  SELECT fi, ti, unnest(records) AS rec, generate_subscripts(records, 1) AS ri FROM lists
), extracted AS (
  SELECT fi, ti, ri, rec, coalesce(json_type(rec) = 'OBJECT', FALSE) AS is_object, json_extract(rec, [${dialect.paths.map(sqlString).join(', ')}]) AS v FROM records
), nodes AS (
  SELECT fi, ti, ri, is_object, rec,
    ${nodeColumns}
  FROM extracted
), evaluated AS (
  SELECT fi, (fi::HUGEINT << 80) + (ti::HUGEINT << 40) + ri AS ord, ri = 1 AS first_in_top, is_object, event_time, rec,
    coalesce(regexp_full_match(event_time, ${sqlString(EVENT_TIME_REGEX)}), FALSE) AS time_ok,
    CASE WHEN j${meta.id} IS NULL OR t${meta.id} = 'NULL' THEN '(no eventID)' WHEN t${meta.id} = 'VARCHAR' THEN json_extract_string(j${meta.id}, '$') ELSE CAST(j${meta.id} AS VARCHAR) END AS sample_id,
    coalesce(${str(meta.account)}, 'unknown') AS account,
    coalesce(${str(meta.region)}, 'unknown') AS region,
    coalesce(${str(meta.arn)}, ${str(meta.invokedBy)}, 'unknown') AS principal,
    coalesce(${str(meta.ip)}, 'unknown') AS source_ip,
    ${predicates.map((p, i) => `${p} AS c${i + 1}`).join(',\n    ') || 'FALSE AS c0'}
  FROM (SELECT *, ${str(meta.time)} AS event_time FROM nodes)
), windowed AS (
  SELECT *, CASE WHEN time_ok THEN substr(event_time, 1, 10) ELSE 'unknown' END AS day,
    ${inRange.length === 0 ? 'TRUE' : `time_ok AND ${inRange.join(' AND ')}`} AS in_range
  FROM evaluated
)
SELECT GROUPING(day, account, region, principal, source_ip) AS g, day, account, region, principal, source_ip,
  count(*) FILTER (WHERE is_object AND in_range) AS events,
  count(*) FILTER (WHERE NOT is_object) AS invalid,
  count(*) FILTER (WHERE is_object AND NOT in_range) AS out_of_range,
  histogram(fi) FILTER (WHERE NOT is_object) AS invalid_by_file,
  histogram(fi) FILTER (WHERE first_in_top) AS firsts_by_file${kept.map((_, i) => `,
  count(*) FILTER (WHERE is_object AND in_range AND c${i + 1}) AS m${i + 1},
  ${samples > 0 ? `min_by(sample_id, ord, ${n}) FILTER (WHERE is_object AND in_range AND c${i + 1})` : '[]::VARCHAR[]'} AS s${i + 1},
  ${samples > 0 ? `min_by(rec, ord, ${n}) FILTER (WHERE is_object AND in_range AND c${i + 1})` : '[]::JSON[]'} AS e${i + 1}`).join('')}
FROM windowed
GROUP BY GROUPING SETS ((day, account, region), (principal), (source_ip), ())`;
  return { sql, controls: kept, refused };
}
