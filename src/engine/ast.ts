// The syntax tree of a JSON filter pattern. Internal: it is not exported from src/index.ts, so jsii
// never sees these unions; callers outside the engine use LogFilterPattern.
import type { RegexMatcher, RegexTree } from './regex';

/** One step of a selector: an object key, an array index, or a wildcard (`.*` / `[*]`) over all children. */
export type SelectorStep = { readonly kind: 'key'; readonly name: string }
| { readonly kind: 'index'; readonly index: number }
| { readonly kind: 'wildcard' };

/** `$.a.b[0]` as written (`text`) and as steps. */
export interface Selector {
  readonly text: string;
  readonly steps: readonly SelectorStep[];
  /** 1-based position of the `$`. */
  readonly position: number;
}

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * What a string value tests, decided once when it is read (stringValue below), so that no back-end works out the
 * `*` rule again: `*` is a wildcard only as the first and/or last character, elsewhere literal. `any`: the value is
 * `*` alone (any string, number or boolean); otherwise the string equals (`exact`), starts with (`prefix`), ends with
 * (`suffix`) or contains (`contains`; `**` contains '': any string) `core`.
 */
export type StringMatch = 'any' | 'exact' | 'prefix' | 'suffix' | 'contains';

/** A string value (quoted or bare) after unquoting; `*` at its start or end is a wildcard (`match`, `core`). */
export interface StringValue {
  readonly kind: 'string';
  readonly value: string;
  readonly quoted: boolean;
  readonly match: StringMatch;
  /** The value without its wildcard `*`s ('' when `match` is `any`). */
  readonly core: string;
}

/** A string value node: the one place the `*` rule is decided. */
export function stringValue(value: string, quoted: boolean): StringValue {
  const leading = value.startsWith('*');
  const trailing = value.length > 1 && value.endsWith('*');
  const match: StringMatch = value === '*' ? 'any' : leading && trailing ? 'contains' : leading ? 'suffix' : trailing ? 'prefix' : 'exact';
  return { kind: 'string', value, quoted, match, core: value.slice(leading ? 1 : 0, trailing ? -1 : undefined) };
}
/** A bare value that reads as a number: compared numerically. */
export interface NumberValue { readonly kind: 'number'; readonly value: number; readonly text: string }
/** A `%regex%` term: the text between the percent signs, its parsed tree (what back-ends read), and its linear-time matcher. */
export interface RegexValue { readonly kind: 'regex'; readonly source: string; readonly tree: RegexTree; readonly matcher: RegexMatcher }

export type Value = StringValue | NumberValue | RegexValue;

export interface Comparison {
  readonly kind: 'comparison';
  readonly selector: Selector;
  readonly operator: ComparisonOperator;
  readonly value: Value;
}

/** `IS NULL`, `IS TRUE`, `IS FALSE`, `NOT EXISTS`. */
export interface Test {
  readonly kind: 'test';
  readonly selector: Selector;
  readonly test: 'null' | 'true' | 'false' | 'notExists';
}

export interface Junction {
  readonly kind: 'and' | 'or';
  readonly operands: readonly Expression[];
}

export type Expression = Comparison | Test | Junction;

/**
 * A back-end of the syntax tree (evaluator, printers, Logs Insights, SQL, screening): what it makes of each kind of
 * node. `visit` walks the tree bottom-up and hands a junction its operands' results, so a back-end is one object with
 * one method per kind of node, and a new kind of node is one new method that the compiler asks of every back-end.
 */
export interface ExpressionVisitor<T> {
  /** `a && b && ...`: the operands' results (in order) and the node (whose operands say which were junctions). */
  and(operands: T[], node: Junction): T;
  or(operands: T[], node: Junction): T;
  comparison(node: Comparison): T;
  test(node: Test): T;
}

/** Applies a back-end to a syntax tree. */
export function visit<T>(expression: Expression, visitor: ExpressionVisitor<T>): T {
  switch (expression.kind) {
    case 'and': return visitor.and(expression.operands.map(o => visit(o, visitor)), expression);
    case 'or': return visitor.or(expression.operands.map(o => visit(o, visitor)), expression);
    case 'comparison': return visitor.comparison(expression);
    case 'test': return visitor.test(expression);
  }
}
