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
import { Expression, SelectorStep } from './ast';
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
  switch (expression.kind) {
    case 'comparison': {
      const { operator, value, selector } = expression;
      if (operator !== '=' || value.kind !== 'string') return undefined;
      const term = termFor(value.value, selector.steps[selector.steps.length - 1]);
      return term ? [[term]] : undefined;
    }
    case 'test':
      return undefined;
    case 'and': {
      const clauses: ScreenClause[] = [];
      for (const operand of expression.operands) clauses.push(...screenClauses(operand) ?? []);
      return clauses.length > 0 ? clauses : undefined;
    }
    case 'or': {
      const union: ScreenTerm[] = [];
      for (const operand of expression.operands) {
        const clauses = screenClauses(operand);
        if (!clauses) return undefined;
        // Any one clause of the operand holds when the operand does: take the narrowest.
        union.push(...clauses.reduce((best, c) => (c.length < best.length ? c : best)));
      }
      return [union];
    }
  }
}

function termFor(glob: string, last: SelectorStep | undefined): ScreenTerm | undefined {
  // The engine's glob rule (compile.ts compileGlob): `*` is a wildcard only as the first and/or last character.
  if (glob === '*') return undefined;
  const leading = glob.startsWith('*');
  const trailing = glob.length > 1 && glob.endsWith('*');
  const core = glob.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (core === '') return undefined;
  if (last && last.kind === 'key' && !ESCAPABLE.test(last.name)) {
    const match = leading && trailing ? 'contains' : leading ? 'suffix' : trailing ? 'prefix' : 'exact';
    return { key: last.name, match, text: core };
  }
  // Anywhere in the text: the longest run of characters JSON writes as themselves (without `\u`).
  const longest = core.split(/["\\/\u0000-\u001f]+/).reduce((a, b) => (b.length > a.length ? b : a), '');
  return longest === '' ? undefined : { match: 'contains', text: longest };
}

const WS_SPACE = 0x20;
const WS_TAB = 0x09;
const WS_LF = 0x0a;
const WS_CR = 0x0d;

function skipWhitespace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== WS_SPACE && c !== WS_TAB && c !== WS_LF && c !== WS_CR) return i;
    i++;
  }
}

interface KeyTerms {
  readonly name: string;
  readonly needle: string;
  /** Exact values by length (compared in place: slicing and hashing every value costs more than the screen saves). */
  readonly exactByLength: Array<Array<{ readonly value: string; readonly last: number; readonly indexes: number[] }>>;
  readonly other: Array<{ readonly term: ScreenTerm; readonly index: number }>;
  /** Every term of this key with its index (all hit at once when a value holds an escape). */
  readonly terms: Array<{ readonly term: ScreenTerm; readonly index: number }>;
}

/**
 * The screen as plain data, for a scanner that decides on raw bytes (packages/cli/src/record-scanner.ts): a record
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
 * Decides from an event's raw JSON text whether any of a set of patterns may match it. `mayMatch(json)` false
 * means no pattern of the set matches the event that text parses to (whatever the text is, also invalid JSON).
 */
export class TextScreen {
  /** A screen over pattern texts (throws FilterPatternSyntaxError like LogFilterPattern.parse). */
  public static forPatterns(patterns: readonly string[]): TextScreen {
    return new TextScreen(patterns.map(p => screenClauses(parseFilterPattern(p).expression)));
  }

  /** False when some pattern cannot be screened: then mayMatch is always true. */
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
          key = { name: term.key, needle: `"${term.key}"`, exactByLength: [], other: [], terms: [] };
          byKey.set(term.key, key);
          this.keys.push(key);
        }
        key.terms.push({ term, index });
        if (term.match === 'exact') {
          const sameLength = key.exactByLength[term.text.length] ??= [];
          const existing = sameLength.find(e => e.value === term.text);
          if (existing) existing.indexes.push(index);
          else sameLength.push({ value: term.text, last: term.text.charCodeAt(term.text.length - 1), indexes: [index] });
        } else {
          key.other.push({ term, index });
        }
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

  /** Whether some pattern may match the event this JSON text is; false only when none can. */
  public mayMatch(json: string): boolean {
    if (!this.active) return true;
    // Any `\u` escape (in a key or a value) could spell what the screen looks for: parse.
    if (json.indexOf('\\u') !== -1) return true;
    const hits = new Uint8Array(this.termCount);
    for (const key of this.keys) this.scanKey(json, key, hits);
    return this.decideFrom(json, hits);
  }

  private decideFrom(json: string, hits: Uint8Array): boolean {
    for (const { text, index } of this.anywhere) if (json.includes(text)) hits[index] = 1;
    for (const pattern of this.plan) {
      let all = true;
      for (const clause of pattern) {
        let any = false;
        for (const index of clause) {
          if (hits[index] === 1) {
            any = true;
            break;
          }
        }
        if (!any) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }

  /** Marks the terms of one key hit by the string values of its members anywhere in the text. */
  private scanKey(json: string, key: KeyTerms, hits: Uint8Array): void {
    const needle = key.needle;
    let at = json.indexOf(needle);
    let backslash = -2; // next backslash at or after the value being read (-1: none), found lazily
    while (at !== -1) {
      let i = skipWhitespace(json, at + needle.length);
      if (json.charCodeAt(i) !== 0x3a /* : */) {
        at = json.indexOf(needle, at + 1);
        continue;
      }
      i = skipWhitespace(json, i + 1);
      if (json.charCodeAt(i) !== 0x22 /* " */) {
        at = json.indexOf(needle, i);
        continue;
      }
      const start = i + 1;
      const end = json.indexOf('"', start);
      if (end === -1) {
        // Not valid JSON; mark everything so that the caller parses it and reports it.
        for (const { index } of key.terms) hits[index] = 1;
        return;
      }
      if (backslash !== -1 && backslash < start) backslash = json.indexOf('\\', start);
      if (backslash !== -1 && backslash < end) {
        // An escaped value: it may be anything; hit every term of this key.
        for (const { index } of key.terms) hits[index] = 1;
        return;
      }
      this.markValue(key, json, start, end, hits);
      at = json.indexOf(needle, end + 1);
    }
  }

  /** Marks the terms of the key the value hits; returns whether it hit any. */
  private markValue(key: KeyTerms, text: string, start: number, end: number, hits: Uint8Array): boolean {
    let any = false;
    const length = end - start;
    const exact = key.exactByLength[length];
    if (exact !== undefined) {
      const lastChar = text.charCodeAt(end - 1);
      for (const { value, last, indexes } of exact) {
        if (last === lastChar && text.startsWith(value, start)) {
          for (const index of indexes) hits[index] = 1;
          any = true;
        }
      }
    }
    for (const { term, index } of key.other) {
      const t = term.text;
      if (t.length > length) continue;
      const hit = term.match === 'prefix' ? text.startsWith(t, start)
        : term.match === 'suffix' ? text.startsWith(t, end - t.length) : text.slice(start, end).includes(t);
      if (hit) {
        hits[index] = 1;
        any = true;
      }
    }
    return any;
  }
}
