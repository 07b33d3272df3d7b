// The Trino dialects: Amazon Athena over the AWS-documented CloudTrail table, and CloudTrail Lake. Unlike
// DuckDB, they read typed columns, not the record's JSON, so some of the engine's distinctions are gone:
// a missing field and a JSON null are both SQL NULL (so NOT EXISTS and IS NULL are refused), Lake's maps
// keep no JSON types (so conditions inside them are refused), and a field the table has no column for
// cannot be read at all. Everything that remains is exact, given CloudTrail's documented record format
// (a field documented as a string holds a JSON string).
import type { Selector } from 'cdk-cis-log-monitoring/lib/cli-support';
import { Column, ATHENA_COLUMNS, LAKE_COLUMNS } from './cloudtrail-tables';
import { Dialect, NodeSql, SelectorSql, SqlRefusal, sqlDouble, sqlString } from './sql';

type TrinoDialectName = 'athena' | 'cloudtrail-lake';

/** A node no JSON string, number or boolean can be (an object, an array, or a column of another type). */
class NeverScalar implements NodeSql {
  constructor(private readonly refuseMissing: () => never) {}
  public isString(): string { return 'FALSE'; }
  public stringValue(): string { return 'NULL'; }
  public isNumber(): string { return 'FALSE'; }
  public numberValue(): string { return 'NULL'; }
  public isScalar(): string { return 'FALSE'; }
  public isNull(): string { return this.refuseMissing(); }
  public isTrue(): string { return 'FALSE'; }
  public isFalse(): string { return 'FALSE'; }
  public isMissing(): string { return this.refuseMissing(); }
}

/** A column CloudTrail fills with a JSON string. */
class StringColumn extends NeverScalar {
  constructor(private readonly sql: string, refuseMissing: () => never) { super(refuseMissing); }
  public isString(): string { return `(${this.sql} IS NOT NULL)`; }
  public stringValue(): string { return this.sql; }
  public isScalar(): string { return `(${this.sql} IS NOT NULL)`; }
}

/** A JSON boolean, stored as BOOLEAN or as the text true / false. */
class BooleanColumn extends NeverScalar {
  constructor(private readonly sql: string, private readonly asText: boolean, refuseMissing: () => never) { super(refuseMissing); }
  public isScalar(): string { return `(${this.sql} IS NOT NULL)`; }
  public isTrue(): string { return `coalesce(${this.sql} = ${this.asText ? '\'true\'' : 'TRUE'}, FALSE)`; }
  public isFalse(): string { return `coalesce(${this.sql} = ${this.asText ? '\'false\'' : 'FALSE'}, FALSE)`; }
}

/** A node inside a JSON-text column, read with json_extract (which keeps JSON types). */
class JsonTextNode extends NeverScalar {
  private readonly json: string;
  constructor(private readonly column: string, private readonly path: string, refuseMissing: () => never) {
    super(refuseMissing);
    this.json = `json_format(json_extract(${column}, ${sqlString(path)}))`;
  }
  public isString(): string { return `coalesce(substr(${this.json}, 1, 1) = '"', FALSE)`; }
  public stringValue(): string { return `json_extract_scalar(${this.column}, ${sqlString(this.path)})`; }
  public isNumber(): string { return `coalesce(regexp_like(${this.json}, '^-?[0-9]'), FALSE)`; }
  public numberValue(): string { return `TRY_CAST(json_extract(${this.column}, ${sqlString(this.path)}) AS DOUBLE)`; }
  public isScalar(): string { return `coalesce(regexp_like(${this.json}, '^(["tf]|-?[0-9])'), FALSE)`; }
  public isTrue(): string { return `coalesce(${this.json} = 'true', FALSE)`; }
  public isFalse(): string { return `coalesce(${this.json} = 'false', FALSE)`; }
}

export class TrinoDialect implements Dialect {
  public readonly regexTarget = 'joni' as const;
  private readonly columns: Record<string, Column>;

  constructor(public readonly name: TrinoDialectName) {
    this.columns = name === 'athena' ? ATHENA_COLUMNS : LAKE_COLUMNS;
  }

  private refuse(selector: Selector, why: string): never {
    throw new SqlRefusal(this.name, `${selector.text}: ${why}`);
  }

  public selector(selector: Selector): SelectorSql {
    const table = this.name === 'athena' ? 'the CloudTrail table' : 'the event data store';
    const refuseMissing = () => this.refuse(selector,
      `${table} reads a missing field and a JSON null alike (SQL NULL), so NOT EXISTS and IS NULL cannot be told apart`);
    if (selector.steps.some(s => s.kind === 'wildcard')) this.refuse(selector, 'selector wildcards are not translated to this dialect');
    let fields: Record<string, Column> | undefined = this.columns;
    let column: Column | undefined;
    let sql = '';
    for (const [i, step] of selector.steps.entries()) {
      if (step.kind !== 'key') this.refuse(selector, `array indexes are not translated to this dialect (${table} types arrays as ARRAY of ROW)`);
      if (column?.kind === 'json-text') {
        const rest = selector.steps.slice(i);
        if (rest.some(s => s.kind !== 'key' || s.name.includes('"') || s.name.includes('\\'))) {
          this.refuse(selector, 'keys with quotes or backslashes are not translated to JSON paths');
        }
        const path = '$' + rest.map(s => `["${(s as { name: string }).name}"]`).join('');
        return { kind: 'single', node: new JsonTextNode(column.sql, path, refuseMissing) };
      }
      if (column?.kind === 'map') this.refuse(selector, `${table} stores ${sql} as map<string,string>, which loses the JSON types of its values`);
      if (column && column.kind !== 'struct') return { kind: 'single', node: new NeverScalar(refuseMissing) }; // a key of a scalar
      const next: Column | undefined = fields && Object.prototype.hasOwnProperty.call(fields, step.name) ? fields[step.name] : undefined;
      if (!next) {
        this.refuse(selector, `${table} has no column for "${step.name}"${sql ? ` in ${sql}` : ''} (the names are CloudTrail's, case-sensitive)`);
      }
      column = next;
      fields = next.fields;
      sql = sql ? `${sql}.${next.sql}` : next.sql;
    }
    const c = column!;
    switch (c.kind) {
      case 'string': return { kind: 'single', node: new StringColumn(sql, refuseMissing) };
      case 'boolean': return { kind: 'single', node: new BooleanColumn(sql, false, refuseMissing) };
      case 'boolean-text': return { kind: 'single', node: new BooleanColumn(sql, true, refuseMissing) };
      case 'timestamp': return this.refuse(selector, `${table} stores it as a timestamp, not the record's text`);
      case 'json-text': return this.refuse(selector, `${table} stores the object ${sql} as JSON text; only fields inside it are translated`);
      default: return { kind: 'single', node: new NeverScalar(refuseMissing) }; // struct, array, map: never a scalar
    }
  }

  public stringLiteral(value: string): string { return sqlString(value); }
  public doubleLiteral(value: number): string { return sqlDouble(value); }
  public startsWith(s: string, prefix: string): string { return `starts_with(${s}, ${prefix})`; }
  public endsWith(s: string, suffix: string): string { return `(substr(${s}, greatest(length(${s}) - length(${suffix}) + 1, 1)) = ${suffix} AND length(${s}) >= length(${suffix}))`; }
  public contains(s: string, part: string): string { return `(strpos(${s}, ${part}) > 0)`; }
  public regexSearch(s: string, regex: string): string { return `regexp_like(${s}, ${regex})`; }
}
