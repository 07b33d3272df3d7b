// CloudWatch Logs' regex subset (user guide, "Supported regular expressions (regex) syntax"), parsed strictly and
// matched in linear time.
//
// Why not JavaScript's RegExp: it backtracks, so `%^a*a*a*a*a*a*a*a*c$%` on 31 "a"s takes seconds and a longer
// value takes years; and its syntax is wider than AWS's (groups, lookarounds, `{,n}` read literally), so a pattern
// it accepts may be refused by CloudWatch Logs at deploy time. Here the regex is parsed against the documented
// syntax only, and compiled to a Thompson NFA that is simulated state-set by state-set: every character of the
// value is read once and each NFA state is visited at most once per character, so the cost is
// O(value length x NFA size) for every pattern and every value.
//
// The documented syntax has no groups, so every quantifier applies to one character or character class. That
// keeps the NFA small: `x{m,n}` costs n states, `x*` two.
//
// The parser yields a tree (RegexTree: alternatives of items) that every back-end reads: the NFA below, and the
// CLI's SQL translation (packages/cli/src/commands/hunt/regex.ts), so there is one regex grammar.
import { FilterPatternSyntaxError } from './errors';

/** The largest count allowed in `{m,n}`: the NFA holds one state per counted repetition. */
export const MAX_REPEAT = 1000;

const NONE = (_cp: number) => false;

/** A set of characters (code points) that one regex step accepts. */
class CharSet {
  /** Members among ASCII (0-127). */
  public readonly ascii = new Uint8Array(128);

  /** Which code points from 128 up are members. */
  public nonAscii: (cp: number) => boolean = NONE;

  public has(cp: number): boolean {
    return cp < 128 ? this.ascii[cp] === 1 : this.nonAscii(cp);
  }

  public addRange(from: number, to: number): void {
    for (let c = from; c <= to; c++) this.ascii[c] = 1;
  }

  public addSet(other: CharSet): void {
    for (let c = 0; c < 128; c++) if (other.ascii[c]) this.ascii[c] = 1;
    if (other.nonAscii !== NONE) {
      const mine = this.nonAscii;
      this.nonAscii = mine === NONE ? other.nonAscii : cp => mine(cp) || other.nonAscii(cp);
    }
  }

  public negate(): CharSet {
    const out = new CharSet();
    for (let c = 0; c < 128; c++) out.ascii[c] = this.ascii[c] ? 0 : 1;
    const mine = this.nonAscii;
    out.nonAscii = cp => !mine(cp);
    return out;
  }
}

const code = (c: string) => c.charCodeAt(0);

function setOf(ranges: ReadonlyArray<readonly [string, string]>): CharSet {
  const set = new CharSet();
  for (const [from, to] of ranges) set.addRange(code(from), code(to));
  return set;
}

// The documented class escapes. \s is documented as including "tab, space and newline"; as before (when
// JavaScript's RegExp ran it) it is JavaScript's white space and line terminators: \t \n \v \f \r, space, and
// U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
const DIGIT = setOf([['0', '9']]);
const WORD = setOf([['a', 'z'], ['A', 'Z'], ['0', '9'], ['_', '_']]);
const SPACE = setOf([['\t', '\r'], [' ', ' ']]);
SPACE.nonAscii = cp => cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029
  || cp === 0x202f || cp === 0x205f || cp === 0x3000 || cp === 0xfeff;
const CLASS_ESCAPES: Record<string, CharSet> = {
  d: DIGIT, D: DIGIT.negate(), w: WORD, W: WORD.negate(), s: SPACE, S: SPACE.negate(),
};

/** `.`: any character except the line terminators \n, \r, U+2028 and U+2029 (as before, when JavaScript's RegExp ran it). */
const ANY = (() => {
  const set = new CharSet().negate();
  set.ascii[10] = 0;
  set.ascii[13] = 0;
  set.nonAscii = cp => cp !== 0x2028 && cp !== 0x2029;
  return set;
})();

// "Filter patterns with regex can only include": letters, digits, the symbols : _ # = @ / ; , - and the operators
// ^ $ ? [ ] { } | \ * + . -- and a space, which the page's own example %^starting|^initializing|^shutting down% uses.
const LITERAL_SYMBOLS = new Set([':', '_', '#', '=', '@', '/', ';', ',', '-', ' ']);
const OPERATORS = new Set(['^', '$', '?', '[', ']', '{', '}', '|', '\\', '*', '+', '.']);
const ALLOWED_DESCRIPTION = 'letters, digits, space, : _ # = @ / ; , - or an operator ^ $ ? [ ] { } | \\ * + .';

function isAlphanumeric(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

function isHex(c: string): boolean {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/** A class escape: \d \D \s \S \w \W. */
export type RegexClassEscape = 'd' | 'D' | 's' | 'S' | 'w' | 'W';

/** A member of a `[...]` class: an ASCII range (one character when `from` is `to`) or a class escape. */
export type RegexClassMember = { readonly kind: 'range'; readonly from: number; readonly to: number }
| { readonly kind: 'escape'; readonly escape: RegexClassEscape };

/** What one step of a regex reads: one ASCII character (a literal, an escaped symbol or \xhh), `.`, a class escape, a class. */
export type RegexAtom = { readonly kind: 'char'; readonly code: number } | { readonly kind: 'any' }
| { readonly kind: 'escape'; readonly escape: RegexClassEscape }
| { readonly kind: 'class'; readonly negated: boolean; readonly members: readonly RegexClassMember[] };

/**
 * One item of a sequence: an atom read `min` to `max` times (max Infinity when unbounded; `quantifier` is its source
 * text, '' when none; `text` the item's whole source text), or an anchor.
 */
export type RegexItem = {
  readonly kind: 'chars'; readonly atom: RegexAtom; readonly min: number; readonly max: number; readonly quantifier: string; readonly text: string;
} | { readonly kind: 'start' } | { readonly kind: 'end' };

/** A parsed regex term: `source` is the text between the `%` signs; it matches when one alternative does. */
export interface RegexTree {
  readonly source: string;
  readonly alternatives: ReadonlyArray<readonly RegexItem[]>;
}

/**
 * Parses the text between the `%` signs of a regex term. Throws FilterPatternSyntaxError with positions counted
 * in the whole filter pattern: `firstPosition` is the 1-based position of the regex's first character.
 */
export function parseRegex(source: string, firstPosition = 1): RegexTree {
  return { source, alternatives: new RegexParser(source, firstPosition).parse() };
}

/** Parses a regex term (as parseRegex) and compiles it to its linear-time matcher. */
export function compileRegex(source: string, firstPosition: number): RegexMatcher {
  return new RegexMatcher(parseRegex(source, firstPosition));
}

class RegexParser {
  private pos = 0;

  constructor(private readonly source: string, private readonly firstPosition: number) {}

  public parse(): RegexItem[][] {
    const alternatives: RegexItem[][] = [];
    for (;;) {
      const items = this.parseSequence();
      if (items.length === 0) {
        throw this.error('a regex term', this.source.includes('|') ? 'an empty alternative of "|" would match every value' : undefined);
      }
      alternatives.push(items);
      if (this.pos >= this.source.length) return alternatives;
      this.pos++; // '|'
    }
  }

  private parseSequence(): RegexItem[] {
    const items: RegexItem[] = [];
    while (this.pos < this.source.length && this.source[this.pos] !== '|') {
      const c = this.source[this.pos];
      if (c === '*' || c === '+' || c === '?' || c === '{') {
        const last = items[items.length - 1];
        if (!last || last.kind !== 'chars') {
          throw this.error('a character, "." or "[...]" before the quantifier', last ? 'an anchor cannot be repeated' : 'there is nothing to repeat');
        }
        if (last.quantifier !== '') {
          throw this.error('a character, "." or "[...]" before the quantifier',
            'a quantifier cannot follow another quantifier; lazy (*?) and possessive (*+) forms are not supported');
        }
        const from = this.pos;
        const [min, max] = this.parseQuantifier();
        const quantifier = this.source.slice(from, this.pos);
        items[items.length - 1] = { kind: 'chars', atom: last.atom, min, max, quantifier, text: last.text + quantifier };
        continue;
      }
      if (c === '^') {
        this.pos++;
        items.push({ kind: 'start' });
      } else if (c === '$') {
        this.pos++;
        items.push({ kind: 'end' });
      } else {
        const from = this.pos;
        const atom = this.parseAtom();
        items.push({ kind: 'chars', atom, min: 1, max: 1, quantifier: '', text: this.source.slice(from, this.pos) });
      }
    }
    return items;
  }

  /** At `*`, `+`, `?` or `{`: returns [min, max] (max Infinity when unbounded). */
  private parseQuantifier(): [number, number] {
    const c = this.source[this.pos];
    if (c !== '{') {
      this.pos++;
      return c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    }
    const open = this.pos;
    const close = this.source.indexOf('}', open);
    const body = close < 0 ? '' : this.source.slice(open + 1, close);
    const m = /^(\d*)(,?)(\d*)$/.exec(body);
    if (close < 0 || !m || (m[1] === '' && m[3] === '')) {
      const detail = close >= 0 && /\s/.test(body) ? 'write {m,n} without spaces' : 'write {m}, {m,n}, {m,} or {,n}; escape a literal brace as \\{';
      throw this.error('a repetition {m}, {m,n}, {m,} or {,n}', detail);
    }
    const min = m[1] === '' ? 0 : Number(m[1]);
    const max = m[2] === '' ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
      throw this.error(`counts of at most ${MAX_REPEAT} in {m,n}`, 'this engine holds one state per counted repetition');
    }
    if (min > max) {
      throw this.error('a repetition {m,n} with m <= n', `{${body}} can never match`);
    }
    this.pos = close + 1;
    return [min, max];
  }

  private parseAtom(): RegexAtom {
    const c = this.source[this.pos];
    if (c === '.') {
      this.pos++;
      return { kind: 'any' };
    }
    if (c === '[') return this.parseClass();
    if (c === '\\') return this.parseEscape();
    if (c === ']' || c === '}') {
      throw this.error('a regex character', `escape a literal "${c}" as \\${c}`);
    }
    return this.literal();
  }

  /** One allowed literal character (letter, digit, documented symbol or space). */
  private literal(): RegexAtom {
    const c = this.source[this.pos];
    this.check(c);
    this.pos++;
    return { kind: 'char', code: code(c) };
  }

  /** Throws unless `c` is a character CloudWatch Logs allows in a regex. */
  private check(c: string): void {
    if (isAlphanumeric(c) || LITERAL_SYMBOLS.has(c) || OPERATORS.has(c)) return;
    let detail = `CloudWatch Logs regex allows only ${ALLOWED_DESCRIPTION}`;
    if (c === '(' || c === ')') detail = 'CloudWatch Logs regex does not support parentheses: there are no groups; use "|" at the top level and \\x28 or \\x29 to match a parenthesis';
    else if (c.charCodeAt(0) > 127) detail = 'CloudWatch Logs regex does not support multi-byte (non-ASCII) characters';
    else if (c === '%') detail = 'a regex ends at the next "%"; match a percent sign with \\x25';
    else if (c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127) detail = 'control characters are not allowed; use \\s or \\xhh';
    else detail += `; match "${c}" with \\x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    throw this.error(ALLOWED_DESCRIPTION, detail);
  }

  /** At `\`: a class escape (\d \D \s \S \w \W), \xhh, or an escaped operator or symbol. */
  private parseEscape(): RegexAtom {
    this.pos++;
    if (this.pos >= this.source.length) {
      throw this.error('a character after "\\"');
    }
    const c = this.source[this.pos];
    if (CLASS_ESCAPES[c]) {
      this.pos++;
      return { kind: 'escape', escape: c as RegexClassEscape };
    }
    if (c === 'x') {
      const hex = this.source.slice(this.pos + 1, this.pos + 3);
      if (hex.length !== 2 || !isHex(hex[0]) || !isHex(hex[1])) {
        this.pos++;
        throw this.error('two hexadecimal digits after "\\x"');
      }
      const value = parseInt(hex, 16);
      if (value > 127) {
        throw this.error('an ASCII code \\x00 to \\x7F', 'CloudWatch Logs regex does not support multi-byte characters');
      }
      this.pos += 3;
      return { kind: 'char', code: value };
    }
    if (isAlphanumeric(c)) {
      throw this.error('\\d, \\D, \\s, \\S, \\w, \\W, \\xhh or an escaped operator',
        `"\\${c}" is not in CloudWatch Logs' regex syntax`);
    }
    // An escaped operator or symbol stands for itself.
    this.check(c);
    this.pos++;
    return { kind: 'char', code: code(c) };
  }

  /** At `[`: a character class `[abc]`, `[a-z]`, `[^c]`. */
  private parseClass(): RegexAtom {
    const open = this.pos;
    this.pos++;
    const negated = this.source[this.pos] === '^';
    if (negated) this.pos++;
    const members: RegexClassMember[] = [];
    for (;;) {
      if (this.pos >= this.source.length) {
        this.pos = open;
        throw this.error('a character class closed by "]"', 'the "[" is not closed');
      }
      const c = this.source[this.pos];
      if (c === ']') {
        if (members.length === 0) throw this.error('a character in the class', 'an empty class [] or [^] is not supported');
        this.pos++;
        break;
      }
      if (c === '[') throw this.error('a class member', 'escape a literal "[" inside a class as \\[');
      const startPos = this.pos;
      const from = this.classMember();
      // A range a-z: "-" between two single characters; "-" first or last in the class is literal.
      if (this.source[this.pos] === '-' && this.pos + 1 < this.source.length && this.source[this.pos + 1] !== ']') {
        const low = from.kind === 'char' ? from.code : undefined;
        this.pos++;
        const rangeEndPos = this.pos;
        const to = this.classMember();
        const high = to.kind === 'char' ? to.code : undefined;
        if (low === undefined || high === undefined) {
          this.pos = low === undefined ? startPos : rangeEndPos;
          throw this.error('a single character at each end of a range', 'a range cannot start or end at \\d, \\s, \\w or their inverses');
        }
        if (low > high) {
          this.pos = startPos;
          throw this.error('a range whose start is not after its end', `${String.fromCharCode(low)}-${String.fromCharCode(high)} is empty`);
        }
        members.push({ kind: 'range', from: low, to: high });
      } else if (from.kind === 'char') {
        members.push({ kind: 'range', from: from.code, to: from.code });
      } else if (from.kind === 'escape') {
        members.push(from);
      }
    }
    return { kind: 'class', negated, members };
  }

  private classMember(): RegexAtom {
    const c = this.source[this.pos];
    if (c === '\\') return this.parseEscape();
    return this.literal();
  }

  private error(expected: string, detail?: string): FilterPatternSyntaxError {
    const found = this.pos < this.source.length ? JSON.stringify(this.source[this.pos]) : 'the end of the regular expression';
    return new FilterPatternSyntaxError(expected, this.firstPosition + this.pos, found, detail);
  }
}

/** The characters an atom reads, for the NFA. */
function charSetOf(atom: RegexAtom): CharSet {
  switch (atom.kind) {
    case 'any': return ANY;
    case 'escape': return CLASS_ESCAPES[atom.escape];
    case 'char': {
      const set = new CharSet();
      set.ascii[atom.code] = 1;
      return set;
    }
    case 'class': {
      const set = new CharSet();
      for (const m of atom.members) {
        if (m.kind === 'range') set.addRange(m.from, m.to);
        else set.addSet(CLASS_ESCAPES[m.escape]);
      }
      return atom.negated ? set.negate() : set;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Thompson NFA and its simulation.

const CONSUME = 0;
const SPLIT = 1;
const ASSERT_START = 2;
const ASSERT_END = 3;
const MATCH = 4;

/** A compiled regex term: `test` searches a string (unanchored, like RegExp.test) in linear time. */
export class RegexMatcher {
  /** Number of NFA states (for tests and limits). */
  public readonly stateCount: number;
  /**
   * The work of the last `test` call: the states it stepped, summed over the positions of the value. At most
   * (value length + 1) x `stateCount`, which is what makes matching linear; tests read it instead of a clock.
   */
  public lastSteps = 0;

  private readonly kind: number[] = [];
  private readonly out1: number[] = [];
  private readonly out2: number[] = [];
  private readonly sets: (CharSet | undefined)[] = [];
  private readonly starts: number[];
  // Scratch space reused across calls: the state lists and a per-state "already in this list" mark.
  private readonly mark: Uint32Array;
  private generation = 0;
  private current: Int32Array;
  private next: Int32Array;
  private readonly stack: Int32Array;

  constructor(tree: RegexTree) {
    const match = this.state(MATCH, -1, -1);
    this.starts = tree.alternatives.map(items => {
      let next = match;
      for (let i = items.length - 1; i >= 0; i--) next = this.build(items[i], next);
      return next;
    });
    this.stateCount = this.kind.length;
    this.mark = new Uint32Array(this.stateCount);
    this.current = new Int32Array(this.stateCount);
    this.next = new Int32Array(this.stateCount);
    // Each state is expanded once per closure and pushes at most two others.
    this.stack = new Int32Array(2 * this.stateCount + 1);
  }

  /** Whether the regex matches somewhere in `value`. */
  public test(value: string): boolean {
    const length = value.length;
    let currentCount = this.addStarts(this.current, 0, 0, length);
    this.lastSteps = currentCount;
    if (currentCount < 0) return true;
    let i = 0;
    while (i < length) {
      this.lastSteps += currentCount;
      const cp = value.codePointAt(i)!;
      const after = i + (cp > 0xffff ? 2 : 1);
      this.generation++;
      let nextCount = 0;
      for (let k = 0; k < currentCount; k++) {
        const s = this.current[k];
        if (this.sets[s]!.has(cp)) {
          nextCount = this.add(this.next, nextCount, this.out1[s], after, length);
          if (nextCount < 0) return true;
        }
      }
      // Unanchored search: a match may also start at the next position.
      nextCount = this.addStartsInto(this.next, nextCount, after, length);
      if (nextCount < 0) return true;
      const swap = this.current;
      this.current = this.next;
      this.next = swap;
      currentCount = nextCount;
      i = after;
    }
    return false;
  }

  private addStarts(list: Int32Array, count: number, pos: number, length: number): number {
    if (this.generation > 0xfffffff0) {
      this.mark.fill(0);
      this.generation = 0;
    }
    this.generation++;
    return this.addStartsInto(list, count, pos, length);
  }

  private addStartsInto(list: Int32Array, count: number, pos: number, length: number): number {
    for (const s of this.starts) {
      count = this.add(list, count, s, pos, length);
      if (count < 0) return count;
    }
    return count;
  }

  /**
   * Adds state `s` and what it reaches without reading a character (its epsilon closure) to `list`, keeping only
   * the states that read a character. Returns the new count, or -1 when the closure reaches MATCH.
   */
  private add(list: Int32Array, count: number, s: number, pos: number, length: number): number {
    const stack = this.stack;
    let top = 0;
    stack[top++] = s;
    while (top > 0) {
      const t = stack[--top];
      if (this.mark[t] === this.generation) continue;
      this.mark[t] = this.generation;
      switch (this.kind[t]) {
        case MATCH: return -1;
        case CONSUME: list[count++] = t; break;
        case SPLIT: stack[top++] = this.out2[t]; stack[top++] = this.out1[t]; break;
        case ASSERT_START: if (pos === 0) stack[top++] = this.out1[t]; break;
        case ASSERT_END: if (pos === length) stack[top++] = this.out1[t]; break;
      }
    }
    return count;
  }

  private state(kind: number, out1: number, out2: number, set?: CharSet): number {
    this.kind.push(kind);
    this.out1.push(out1);
    this.out2.push(out2);
    this.sets.push(set);
    return this.kind.length - 1;
  }

  /** Builds the states of one item in front of `next`; returns the item's entry state. */
  private build(item: RegexItem, next: number): number {
    if (item.kind === 'start') return this.state(ASSERT_START, next, -1);
    if (item.kind === 'end') return this.state(ASSERT_END, next, -1);
    const set = charSetOf(item.atom);
    let entry: number;
    if (item.max === Infinity) {
      // loop: split(read -> loop, next)
      const loop = this.state(SPLIT, -1, next);
      this.out1[loop] = this.state(CONSUME, loop, -1, set);
      entry = loop;
    } else {
      // (max - min) optional reads, each either reading and going on, or leaving.
      entry = next;
      for (let k = item.min; k < item.max; k++) entry = this.state(SPLIT, this.state(CONSUME, entry, -1, set), next);
    }
    for (let k = 0; k < item.min; k++) entry = this.state(CONSUME, entry, -1, set);
    return entry;
  }
}
