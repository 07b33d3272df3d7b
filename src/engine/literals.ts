// Screening JSON text before parsing it: from a pattern's syntax tree, what must occur in the raw JSON text of
// any event the pattern matches. A record whose text has none of it cannot match, so a caller that only counts
// matches (the CLI's replay) may skip JSON.parse for it. Internal: not exported from src/index.ts.
//
// Soundness (screening may say "may match" too often, never "cannot match" for an event that matches):
// - Only `=` against a string value with a non-empty core (the value without its leading/trailing `*`) yields a
//   requirement: a matching event holds a JSON string equal to / starting with / ending with / containing that
//   core. Every other condition (`!=`, numbers, regexes, a lone `*`, IS NULL / TRUE / FALSE, NOT EXISTS) cannot be
//   screened; a pattern that needs one of them to match is 'cannot screen' and every record is parsed.
// - `&&`: every screenable operand's requirements hold (a conjunction of clauses); `||`: one clause made of one
//   clause of every operand (all operands must be screenable).
// - When the selector ends in a key (`$.userIdentity.type`), the requirement is anchored to that member: the text
//   holds `"type"`, JSON whitespace, `:`, whitespace and a string. Key order and nesting do not matter: every
//   member of that name is tried. A value holding a backslash (any escape) counts as a hit without comparing.
// - A JSON text can spell any character as `\uXXXX` (`\u0052oot` is `Root`), also in keys: a text holding `\u`
//   is always parsed.
// - Keys and values are compared case-sensitively, as the engine does.
import { Expression, ExpressionVisitor, SelectorStep, StringValue, visit } from './ast';
import { parseFilterPattern } from './parser';

/** One thing that may occur in a matching event's text. */
export interface ScreenTerm {
  /**
   * The member name the string is the value of; undefined when the selector ends in an index or wildcard
   * (then `text` is searched anywhere in the record, with `match` 'contains').
   */
  readonly key?: string;
  readonly match: 'exact' | 'prefix' | 'suffix' | 'contains';
  readonly text: string;
}

/** At least one term of a clause occurs in the text of every matching event. */
export type ScreenClause = readonly ScreenTerm[];

/** Characters JSON may write as an escape other than `\u` (`\"`, `\\`, `\/`, control characters). */
const ESCAPABLE = /["\\/\u0000-\u001f]/;

/**
 * The clauses every event the pattern matches satisfies (all of them), or undefined when the pattern can match
 * an event whose text is not constrained this way ('cannot screen').
 */
export function screenClauses(expression: Expression): ScreenClause[] | undefined {
  return visit(expression, SCREEN);
}

/** The screening back-end: the clauses of each node (undefined: cannot screen). */
const SCREEN: ExpressionVisitor<ScreenClause[] | undefined> = {
  comparison: ({ operator, value, selector }) => {
    if (operator !== '=' || value.kind !== 'string') return undefined;
    const term = termFor(value, selector.steps[selector.steps.length - 1]);
    return term ? [[term]] : undefined;
  },
  test: () => undefined,
  and: operands => {
    const clauses: ScreenClause[] = [];
    for (const operand of operands) clauses.push(...operand ?? []);
    return clauses.length > 0 ? clauses : undefined;
  },
  or: operands => {
    const union: ScreenTerm[] = [];
    for (const clauses of operands) {
      if (!clauses) return undefined;
      // Any one clause of the operand holds when the operand does: take the narrowest.
      union.push(...clauses.reduce((best, c) => (c.length < best.length ? c : best)));
    }
    return [union];
  },
};

function termFor(value: StringValue, last: SelectorStep | undefined): ScreenTerm | undefined {
  // The value's match (ast.ts stringValue, the engine's one `*` rule): `*` alone can be screened by no text.
  const { match, core } = value;
  if (match === 'any' || core === '') return undefined;
  if (last && last.kind === 'key' && !ESCAPABLE.test(last.name)) return { key: last.name, match, text: core };
  // Anywhere in the text: the longest run of characters JSON writes as themselves (without `\u`).
  const longest = core.split(/["\\/\u0000-\u001f]+/).reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest === '' ? undefined : { match: 'contains', text: longest };
}

interface KeyTerms {
  readonly name: string;
  /** Every term of this key with its index. */
  readonly terms: Array<{ readonly term: ScreenTerm; readonly index: number }>;
}

/**
 * The screen as plain data, for a scanner that decides on raw bytes (packages/cli/src/input/record-scanner.ts): a record
 * may match when, for some pattern of `plan`, every clause has a hit term. Term indexes are dense, 0 to termCount - 1.
 */
export interface ScreenTables {
  /** Member names and the terms their string values are compared with. */
  readonly keys: ReadonlyArray<{ readonly name: string; readonly terms: ReadonlyArray<{ readonly term: ScreenTerm; readonly index: number }> }>;
  /** Terms searched anywhere in the record's text (`contains`). */
  readonly anywhere: ReadonlyArray<{ readonly text: string; readonly index: number }>;
  /** Per pattern, per clause, the term indexes (one hit per clause is needed). */
  readonly plan: ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>;
  readonly termCount: number;
}
/**
 * The screen of a set of patterns, as tables for the record scanner (packages/cli/src/input/record-scanner.ts, which
 * decides on raw bytes whether any pattern may match a record; its tests hold the soundness properties).
 */
export class TextScreen {
  /** A screen over pattern texts (throws FilterPatternSyntaxError like LogFilterPattern.parse). */
  public static forPatterns(patterns: readonly string[]): TextScreen {
    return new TextScreen(patterns.map(p => screenClauses(parseFilterPattern(p).expression)));
  }

  /** False when some pattern cannot be screened: then every record is parsed. */
  public readonly active: boolean;
  /** The clauses per pattern (undefined: cannot screen). */
  public readonly clauses: ReadonlyArray<ScreenClause[] | undefined>;
  private readonly keys: KeyTerms[] = [];
  private readonly anywhere: Array<{ readonly text: string; readonly index: number }> = [];
  /** Per pattern, per clause, the term indexes. */
  private readonly plan: number[][][];
  private readonly termCount: number;

  constructor(clauses: ReadonlyArray<ScreenClause[] | undefined>) {
    this.clauses = clauses;
    this.active = clauses.length > 0 && clauses.every(c => c !== undefined);
    const termIndex = new Map<string, number>();
    const byKey = new Map<string, KeyTerms>();
    const indexOf = (term: ScreenTerm): number => {
      const id = `${term.key === undefined ? '' : JSON.stringify(term.key)}|${term.match}|${term.text}`;
      let index = termIndex.get(id);
      if (index !== undefined) return index;
      index = termIndex.size;
      termIndex.set(id, index);
      if (term.key === undefined) {
        this.anywhere.push({ text: term.text, index });
      } else {
        let key = byKey.get(term.key);
        if (!key) {
          key = { name: term.key, terms: [] };
          byKey.set(term.key, key);
          this.keys.push(key);
        }
        key.terms.push({ term, index });
      }
      return index;
    };
    this.plan = this.active ? clauses.map(cs => (cs as ScreenClause[]).map(c => c.map(indexOf))) : [];
    this.termCount = termIndex.size;
  }

  /** The screen as data (for a byte scanner); undefined when it is not active (some pattern cannot be screened). */
  public tables(): ScreenTables | undefined {
    if (!this.active) return undefined;
    return {
      keys: this.keys.map(k => ({ name: k.name, terms: k.terms })),
      anywhere: this.anywhere,
      plan: this.plan,
      termCount: this.termCount,
    };
  }
}
