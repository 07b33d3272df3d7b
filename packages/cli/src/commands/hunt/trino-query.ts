import { HuntControl } from './query-common';
import { compileControls, sqlString } from './sql';
import { TrinoDialect } from './trino-sql';
import { Refusal } from '../../report/report';
import { EVENT_TIME_REGEX, TimeWindow } from '../../report/window';

/** Where the Trino-dialect query reads: an Athena table (`database.table`) or a CloudTrail Lake event data store ID. */
export interface TrinoTarget {
  readonly kind: 'athena' | 'cloudtrail-lake';
  readonly table: string;
}

export interface TrinoHuntQuery {
  readonly sql: string;
  readonly controls: HuntControl[];
  readonly refused: Refusal[];
}

/** Quotes each dot-separated part of a table name unless it is a plain identifier (Lake IDs are plain). */
function tableName(name: string): string {
  return name.split('.').map(part => /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? part : `"${part.replace(/"/g, '""')}"`).join('.');
}

/** `2024-03-01T09:30:00` → the partition day `2024/03/01`, moved by `days`. */
function partitionDay(second: string, days: number): string {
  const d = new Date(`${second.slice(0, 10)}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10).replace(/-/g, '/');
}

/**
 * The query `hunt --athena` runs (and `hunt --sql --dialect athena|cloudtrail-lake` prints). Its result has the
 * same columns as the DuckDB query's: one row per (day, account, region) (g = 3), per principal (g = 29), per source IP (g = 30) and a total row (g = 31) with
 * events, out_of_range, m<i> and s<i> (samples as a JSON array: the earliest eventIDs by eventTime).
 */
export function buildTrinoHuntQuery(target: TrinoTarget, controls: readonly HuntControl[], window: TimeWindow, samples: number): TrinoHuntQuery {
  const dialect = new TrinoDialect(target.kind);
  const { kept, predicates, refused } = compileControls(controls, dialect);
  const athena = target.kind === 'athena';
  // Athena's eventtime is the record's text; Lake's is a timestamp (always a valid time when present).
  const eventTime = athena ? 'eventtime' : 'date_format(eventtime, \'%Y-%m-%dT%H:%i:%s\')';
  const timeOk = athena ? `coalesce(regexp_like(eventtime, ${sqlString(EVENT_TIME_REGEX)}), FALSE)` : '(eventtime IS NOT NULL)';
  const bounds = [
    window.since !== undefined ? `substr(event_time, 1, 19) >= ${sqlString(window.since)}` : undefined,
    window.until !== undefined ? `substr(event_time, 1, 19) < ${sqlString(window.until)}` : undefined,
  ].filter((x): x is string => x !== undefined);
  // Partition pruning on Athena: a file lands in the folder of its delivery day, which can follow the event's
  // day; a day of margin on each side keeps every event of the window, and eventTime decides exactly.
  const pruning = athena ? [
    window.since !== undefined ? `"timestamp" >= ${sqlString(partitionDay(window.since, -1))}` : undefined,
    window.until !== undefined ? `"timestamp" <= ${sqlString(partitionDay(window.until, 1))}` : undefined,
  ].filter((x): x is string => x !== undefined) : [
    window.since !== undefined ? `eventtime >= timestamp ${sqlString(window.since.replace('T', ' '))}` : undefined,
    window.until !== undefined ? `eventtime < timestamp ${sqlString(window.until.replace('T', ' '))}` : undefined,
  ].filter((x): x is string => x !== undefined);
  const n = Math.max(samples, 1);
  const sql = `WITH evaluated AS (
  SELECT ${eventTime} AS event_time,
    ${timeOk} AS time_ok,
    coalesce(eventid, '(no eventID)') AS sample_id,
    coalesce(recipientaccountid, 'unknown') AS account,
    coalesce(awsregion, 'unknown') AS region,
    coalesce(useridentity.arn, useridentity.invokedby, 'unknown') AS principal,
    coalesce(sourceipaddress, 'unknown') AS source_ip,
    ${predicates.map((p, i) => `${p} AS c${i + 1}`).join(',\n    ') || 'FALSE AS c0'}
  FROM ${tableName(target.table)}${pruning.length > 0 ? `\n  WHERE ${pruning.join(' AND ')}` : ''}
), windowed AS (
  SELECT *, CASE WHEN time_ok THEN substr(event_time, 1, 10) ELSE 'unknown' END AS day,
    ${bounds.length === 0 ? 'TRUE' : `time_ok AND ${bounds.join(' AND ')}`} AS in_range
  FROM evaluated
)
SELECT GROUPING(day, account, region, principal, source_ip) AS g, day, account, region, principal, source_ip,
  count_if(in_range) AS events,
  0 AS invalid,
  count_if(NOT in_range) AS out_of_range${kept.map((_, i) => `,
  count_if(in_range AND c${i + 1}) AS m${i + 1},
  json_format(CAST(${samples > 0 ? `min_by(sample_id, event_time, ${n}) FILTER (WHERE in_range AND c${i + 1})` : 'CAST(ARRAY[] AS ARRAY(VARCHAR))'} AS JSON)) AS s${i + 1}`).join('')}
FROM windowed
GROUP BY GROUPING SETS ((day, account, region), (principal), (source_ip), ())`;
  return { sql, controls: kept, refused };
}
