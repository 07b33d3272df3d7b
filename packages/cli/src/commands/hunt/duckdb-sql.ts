// The DuckDB dialect: records are JSON values (one element of a CloudTrail file's Records array each), read
// with read_json and unnest. Every selector a query needs is extracted in one json_extract call per record
// (a list of paths), and json_type tells JSON strings, numbers, booleans, null, objects, arrays and MISSING
// (SQL NULL) apart, so the engine's typed semantics carry over exactly.
import type { Selector, SelectorStep } from 'cdk-cis-log-monitoring/lib/cli-support';
import { Dialect, NodeSql, SelectorSql, SqlRefusal, sqlDouble, sqlString } from './sql';

const NUMBER_TYPES = '(\'BIGINT\', \'UBIGINT\', \'DOUBLE\', \'HUGEINT\')';
const SCALAR_TYPES = '(\'VARCHAR\', \'BIGINT\', \'UBIGINT\', \'DOUBLE\', \'HUGEINT\', \'BOOLEAN\')';

/** A node given as a JSON-typed SQL expression (SQL NULL when missing) and its json_type. */
class DuckNode implements NodeSql {
  constructor(private readonly json: string, private readonly type: string) {}
  public isString(): string { return `coalesce(${this.type} = 'VARCHAR', FALSE)`; }
  public stringValue(): string { return `json_extract_string(${this.json}, '$')`; }
  public isNumber(): string { return `coalesce(${this.type} IN ${NUMBER_TYPES}, FALSE)`; }
  public numberValue(): string { return `TRY_CAST(${this.json} AS DOUBLE)`; }
  public isScalar(): string { return `coalesce(${this.type} IN ${SCALAR_TYPES}, FALSE)`; }
  public isNull(): string { return `coalesce(${this.type} = 'NULL', FALSE)`; }
  public isTrue(): string { return `coalesce(CAST(${this.json} AS VARCHAR) = 'true', FALSE)`; }
  public isFalse(): string { return `coalesce(CAST(${this.json} AS VARCHAR) = 'false', FALSE)`; }
  public isMissing(): string { return `(${this.json} IS NULL)`; }
}

/** A DuckDB JSON path for selector steps without wildcards; keys are always quoted. */
export function duckPath(steps: readonly SelectorStep[], selectorText: string): string {
  let path = '$';
  for (const step of steps) {
    if (step.kind === 'key') {
      if (step.name === '' || step.name.includes('"') || step.name.includes('*')) {
        throw new SqlRefusal('duckdb', `${selectorText}: DuckDB's JSON paths cannot name the key ${JSON.stringify(step.name)} (empty, or with " or *)`);
      }
      path += `."${step.name}"`;
    } else if (step.kind === 'index') {
      if (step.index > 0x7fffffff) throw new SqlRefusal('duckdb', `${selectorText}: array index ${step.index} is too large`);
      path += `[${step.index}]`;
    } else {
      throw new Error('wildcard steps are split off before duckPath');
    }
  }
  return path;
}

/**
 * Reads selectors from the columns of the query's `nodes` step: `j<k>` (the JSON node of the k-th distinct path)
 * and `t<k>` (its json_type). `paths` collects the paths in order; the query extracts them all at once.
 */
export class DuckDbDialect implements Dialect {
  public readonly name = 'duckdb' as const;
  public readonly regexTarget = 're2' as const;
  public readonly paths: string[] = [];

  /** The column index (1-based) of a path, added if new. */
  public column(path: string): number {
    let i = this.paths.indexOf(path);
    if (i < 0) {
      this.paths.push(path);
      i = this.paths.length - 1;
    }
    return i + 1;
  }

  public selector(selector: Selector): SelectorSql {
    const wildcards = selector.steps.filter(s => s.kind === 'wildcard').length;
    if (wildcards === 0) {
      const k = this.column(duckPath(selector.steps, selector.text));
      return { kind: 'single', node: new DuckNode(`j${k}`, `t${k}`) };
    }
    if (wildcards > 1) {
      throw new SqlRefusal('duckdb', `${selector.text}: more than one wildcard in a selector (CloudWatch Logs allows one)`);
    }
    const at = selector.steps.findIndex(s => s.kind === 'wildcard');
    const k = this.column(duckPath(selector.steps.slice(0, at), selector.text));
    const rest = selector.steps.slice(at + 1);
    const restPath = rest.length > 0 ? duckPath(rest, selector.text) : undefined;
    // The children of the node before the wildcard: array elements or object values; none for scalars.
    const children = `(CASE t${k} WHEN 'ARRAY' THEN json_extract(j${k}, '$[*]') WHEN 'OBJECT' THEN json_extract(j${k}, '$.*') ELSE []::JSON[] END)`;
    const reached = (e: string) => restPath === undefined ? e : `json_extract(${e}, ${sqlString(restPath)})`;
    return {
      kind: 'wildcard',
      some: test => {
        const json = reached('e');
        return `coalesce(list_bool_or(list_transform(${children}, lambda e: ${test(new DuckNode(json, `json_type(${json})`))})), FALSE)`;
      },
      none: () => `(len(list_filter(${children}, lambda e: ${reached('e')} IS NOT NULL)) = 0)`,
    };
  }

  public stringLiteral(value: string): string { return sqlString(value); }
  public doubleLiteral(value: number): string { return sqlDouble(value); }
  public startsWith(s: string, prefix: string): string { return `starts_with(${s}, ${prefix})`; }
  public endsWith(s: string, suffix: string): string { return `ends_with(${s}, ${suffix})`; }
  public contains(s: string, part: string): string { return `contains(${s}, ${part})`; }
  public regexSearch(s: string, regex: string): string { return `regexp_matches(${s}, ${regex})`; }
}
