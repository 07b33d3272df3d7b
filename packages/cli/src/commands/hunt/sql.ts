// Compiles the engine's syntax tree of a JSON filter pattern (never its text) into a SQL boolean expression.
// The rules mirror src/engine/compile.ts case by case; a dialect says how to read one node of a record and may
// refuse a selector or a construct it cannot express exactly (SqlRefusal). Every predicate a dialect returns is
// TRUE or FALSE, never NULL, so that NOT, AND and OR keep two-valued logic.
import type { Comparison, Expression, Selector, Test } from 'cdk-cis-log-monitoring/lib/cli-support';
import { parseFilterPattern, visit } from 'cdk-cis-log-monitoring/lib/cli-support';
import { RegexRefusal, RegexTarget, translateRegex } from './regex';

export type DialectName = 'duckdb' | 'athena' | 'cloudtrail-lake';

/** A pattern (or one construct of it) that a dialect cannot express with the engine's exact meaning. */
export class SqlRefusal extends Error {
  constructor(public readonly dialect: DialectName, message: string) {
    super(message);
  }
}

/** SQL predicates about the single node a selector reaches in a record (MISSING when it reaches none). */
export interface NodeSql {
  /** The node is a JSON string. */
  isString(): string;
  /** The node's string value (read only where isString holds). */
  stringValue(): string;
  /** The node is a JSON number. */
  isNumber(): string;
  /** The node's value as a double (read only where isNumber holds). */
  numberValue(): string;
  /** The node is a JSON string, number or boolean. */
  isScalar(): string;
  isNull(): string;
  isTrue(): string;
  isFalse(): string;
  /** The selector reaches no node. */
  isMissing(): string;
}

/** How a dialect reads a selector: one node, or (with a `.*` / `[*]` step) every node it reaches. */
export type SelectorSql = { readonly kind: 'single'; readonly node: NodeSql }
| {
  readonly kind: 'wildcard';
  /** Some reached node satisfies `test`. */
  some(test: (node: NodeSql) => string): string;
  /** No node is reached. */
  none(): string;
};

export interface Dialect {
  readonly name: DialectName;
  readonly regexTarget: RegexTarget;
  selector(selector: Selector): SelectorSql;
  stringLiteral(value: string): string;
  doubleLiteral(value: number): string;
  startsWith(s: string, prefix: string): string;
  endsWith(s: string, suffix: string): string;
  contains(s: string, part: string): string;
  /** An unanchored search of `s` for the (already translated) regular expression. */
  regexSearch(s: string, regex: string): string;
}

/** Compiles a parsed pattern to a SQL predicate; throws SqlRefusal. */
export function compileExpression(expression: Expression, dialect: Dialect): string {
  return visit(expression, {
    and: operands => `(${operands.join(' AND ')})`,
    or: operands => `(${operands.join(' OR ')})`,
    comparison: c => applyToSelector(dialect.selector(c.selector), node => compileComparison(c, node, dialect), false),
    test: t => applyToSelector(dialect.selector(t.selector), node => compileTest(t, node), t.test === 'notExists'),
  });
}

/** Compiles a pattern text: parsed by the engine's parser, then compiled from the tree. */
export function compilePattern(text: string, dialect: Dialect): string {
  return compileExpression(parseFilterPattern(text).expression, dialect);
}

/**
 * Compiles every control's pattern in one dialect: the controls it can express with their predicates (in order), and
 * the others refused with the reason. Shared by the DuckDB and the Trino (Athena, CloudTrail Lake) queries.
 */
export function compileControls<C extends { readonly key: string; readonly pattern: string }>(controls: readonly C[], dialect: Dialect):
{ kept: C[]; predicates: string[]; refused: { key: string; reason: string }[] } {
  const kept: C[] = [];
  const predicates: string[] = [];
  const refused: { key: string; reason: string }[] = [];
  for (const control of controls) {
    try {
      predicates.push(compilePattern(control.pattern, dialect));
      kept.push(control);
    } catch (e) {
      if (!(e instanceof SqlRefusal)) throw e;
      refused.push({ key: control.key, reason: e.message });
    }
  }
  return { kept, predicates, refused };
}

function applyToSelector(selector: SelectorSql, test: (node: NodeSql) => string, isNotExists: boolean): string {
  if (selector.kind === 'single') return test(selector.node);
  return isNotExists ? selector.none() : selector.some(test);
}

function compileTest(test: Test, node: NodeSql): string {
  switch (test.test) {
    case 'null': return node.isNull();
    case 'true': return node.isTrue();
    case 'false': return node.isFalse();
    case 'notExists': return node.isMissing();
  }
}

const SQL_OPERATOR: Record<string, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

function compileComparison(comparison: Comparison, node: NodeSql, dialect: Dialect): string {
  const { operator, value } = comparison;
  if (value.kind === 'number') {
    return `(${node.isNumber()} AND ${node.numberValue()} ${SQL_OPERATOR[operator]} ${dialect.doubleLiteral(value.value)})`;
  }
  if (value.kind === 'regex') {
    let regex: string;
    try {
      regex = translateRegex(value.tree, dialect.regexTarget);
    } catch (e) {
      if (e instanceof RegexRefusal) throw new SqlRefusal(dialect.name, `${comparison.selector.text} ${operator} ${e.message}`);
      throw e;
    }
    const search = dialect.regexSearch(node.stringValue(), dialect.stringLiteral(regex));
    return `(${node.isString()} AND ${operator === '=' ? search : `NOT ${search}`})`;
  }
  // The value's match was decided by the engine's parser (one `*` rule).
  if (value.match === 'any') return operator === '=' ? node.isScalar() : 'FALSE';
  const core = dialect.stringLiteral(value.core);
  const s = node.stringValue();
  const glob = value.match === 'contains' ? dialect.contains(s, core)
    : value.match === 'suffix' ? dialect.endsWith(s, core)
      : value.match === 'prefix' ? dialect.startsWith(s, core) : `${s} = ${core}`;
  return `(${node.isString()} AND ${operator === '=' ? `(${glob})` : `NOT (${glob})`})`;
}

/** A SQL string literal: single quotes doubled. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, '\'\'')}'`;
}

/** A double literal both dialects read exactly: the shortest decimal that round-trips, cast from text. */
export function sqlDouble(value: number): string {
  return `CAST('${String(value)}' AS DOUBLE)`;
}
