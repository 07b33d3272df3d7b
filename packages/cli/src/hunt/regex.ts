// Translates a filter pattern's %regex% term (JavaScript RegExp syntax, no flags, as the engine evaluates it)
// into a regular expression that means exactly the same to RE2 (DuckDB) and to Joni with Java syntax (Trino,
// so Athena and CloudTrail Lake). Only a subset translates exactly; everything else is refused with a reason.
//
// Why a translation and not the source as is: the three engines disagree on `.` (JavaScript excludes \n, \r,
// U+2028 and U+2029; RE2 and Joni only \n), on `$` (Joni's also matches before a final newline), on `\s`, `\b`
// and `\d` in Unicode modes, and JavaScript without the u flag matches UTF-16 code units where the others match
// code points. The output spells every class out (`[0-9]`, not `\d`), anchors with `\A` / `\z`, and keeps
// "wide" atoms (those that can match a UTF-16 surrogate: `.`, negated classes, `\D`, `\W`, `\S`) to forms
// where counting code units or code points cannot change the answer.

export type RegexTarget = 're2' | 'joni';

/** A %regex% term that cannot be translated exactly; the message says why. */
export class RegexRefusal extends Error {}

// JavaScript's \s without the u flag: WhiteSpace and LineTerminator code points.
const JS_SPACE = '\t\n\u000b\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
const JS_LINE_TERMINATORS = '\n\r\u2028\u2029';

interface ClassItem { readonly from: number; readonly to: number }

/** One piece of the translated expression, with whether it can match a surrogate code unit. */
interface Piece { readonly text: (t: RegexTarget) => string; readonly wide: boolean }

class RegexTranslator {
  private pos = 0;
  private wideAtoms = 0;

  constructor(private readonly source: string) {}

  public translate(): (t: RegexTarget) => string {
    for (const ch of this.source) {
      const cp = ch.codePointAt(0)!;
      if (cp > 0xffff) this.refuse(`"${ch}" is outside the Basic Multilingual Plane, where JavaScript counts two code units and SQL engines one character`);
    }
    const body = this.parseAlternation(false);
    if (this.pos < this.source.length) this.refuse(`unexpected "${this.source[this.pos]}" at offset ${this.pos}`);
    return body.text;
  }

  private refuse(reason: string): never {
    throw new RegexRefusal(`%${this.source}%: ${reason}`);
  }

  private peek(): string {
    return this.source[this.pos] ?? '';
  }

  private parseAlternation(inGroup: boolean): Piece {
    const branches: Piece[] = [this.parseSequence(inGroup)];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.parseSequence(inGroup));
    }
    if (branches.length === 1) return branches[0];
    return { text: t => branches.map(b => b.text(t)).join('|'), wide: branches.some(b => b.wide) };
  }

  private parseSequence(inGroup: boolean): Piece {
    const items: Piece[] = [];
    while (this.pos < this.source.length && this.peek() !== '|' && !(inGroup && this.peek() === ')')) {
      items.push(this.parseQuantified());
    }
    return { text: t => items.map(i => i.text(t)).join(''), wide: items.some(i => i.wide) };
  }

  private parseQuantified(): Piece {
    const start = this.pos;
    const atom = this.parseAtom();
    const quantifier = this.parseQuantifier();
    if (quantifier === undefined) {
      if (atom.wide && !atom.isGroup) this.refuse(`"${this.source.slice(start, this.pos)}" matches one UTF-16 code unit in JavaScript but one character in SQL; use it only as "*" or "+" repetition`);
      return atom;
    }
    if (atom.anchor) this.refuse('a quantified anchor');
    if (atom.wide) {
      if (atom.isGroup) this.refuse('a repeated group that contains ".", a negated class, \\D, \\W or \\S');
      if (!(quantifier.max === Infinity && quantifier.min <= 1)) {
        this.refuse(`"${this.source.slice(start, this.pos)}" counts UTF-16 code units in JavaScript but characters in SQL; use "*" or "+"`);
      }
    }
    const text = quantifier.text;
    return { text: t => atom.text(t) + text, wide: atom.wide };
  }

  private parseQuantifier(): { min: number; max: number; text: string } | undefined {
    const c = this.peek();
    let q: { min: number; max: number; text: string } | undefined;
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      q = { min: c === '+' ? 1 : 0, max: c === '?' ? 1 : Infinity, text: c };
    } else if (c === '{') {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.source.slice(this.pos));
      if (!m) this.refuse(`"{" at offset ${this.pos} is not a quantifier {n}, {n,} or {n,m}; write \\{ for a literal brace`);
      this.pos += m[0].length;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) this.refuse(`${m[0]} has its numbers out of order`);
      q = { min, max, text: m[0] };
    }
    if (q && this.peek() === '?') {
      this.pos++; // lazy: same set of matching strings
    }
    if (q && (this.peek() === '*' || this.peek() === '+' || this.peek() === '?' || this.peek() === '{')) {
      this.refuse(`a quantifier after a quantifier at offset ${this.pos}`);
    }
    return q;
  }

  private parseAtom(): Piece & { isGroup?: boolean; anchor?: boolean } {
    const c = this.peek();
    switch (c) {
      case '(': {
        this.pos++;
        if (this.peek() === '?') {
          if (this.source.startsWith('?:', this.pos)) {
            this.pos += 2;
          } else {
            this.refuse('lookaround and named groups ("(?") are not translated');
          }
        }
        const inner = this.parseAlternation(true);
        if (this.peek() !== ')') this.refuse('a group is not closed');
        this.pos++;
        return { text: t => `(?:${inner.text(t)})`, wide: inner.wide, isGroup: true };
      }
      case ')': this.refuse(`unbalanced ")" at offset ${this.pos}`);
      case '^':
        this.pos++;
        return { text: () => '\\A', wide: false, anchor: true };
      case '$':
        this.pos++;
        return { text: () => '\\z', wide: false, anchor: true };
      case '.':
        this.pos++;
        this.countWide();
        return { text: t => negatedClass(JS_LINE_TERMINATORS, t), wide: true };
      case '[':
        return this.parseClass();
      case '\\':
        return this.parseEscape();
      case '*': case '+': case '?': case '{':
        this.refuse(`nothing to repeat at offset ${this.pos}`);
      case ']': case '}':
        this.refuse(`a lone "${c}" at offset ${this.pos}; escape it`);
      default: {
        this.pos++;
        return literal(c.charCodeAt(0));
      }
    }
  }

  private countWide(): void {
    this.wideAtoms++;
    if (this.wideAtoms > 1) {
      this.refuse('more than one of ".", a negated class, \\D, \\W or \\S: JavaScript may split a character between them');
    }
  }

  private parseEscape(): Piece {
    this.pos++;
    const c = this.peek();
    if (c === '') this.refuse('a trailing backslash');
    this.pos++;
    switch (c) {
      case 'd': return { text: t => positiveClass([{ from: 0x30, to: 0x39 }], t), wide: false };
      case 'w': return { text: t => positiveClass(WORD, t), wide: false };
      case 's': return { text: t => positiveClass(classItems(JS_SPACE), t), wide: false };
      case 'D': this.countWide(); return { text: t => negated([{ from: 0x30, to: 0x39 }], t), wide: true };
      case 'W': this.countWide(); return { text: t => negated(WORD, t), wide: true };
      case 'S': this.countWide(); return { text: t => negated(classItems(JS_SPACE), t), wide: true };
      default: return literal(this.escapedChar(c));
    }
  }

  /** The code point of an escape other than a class escape (the backslash and `c` are consumed). */
  private escapedChar(c: string): number {
    const simple: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };
    if (simple[c] !== undefined) return simple[c];
    if (c === 'x' || c === 'u') {
      const digits = c === 'x' ? 2 : 4;
      const hex = this.source.slice(this.pos, this.pos + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) this.refuse(`\\${c} needs ${digits} hex digits`);
      this.pos += digits;
      const cp = parseInt(hex, 16);
      if (cp >= 0xd800 && cp <= 0xdfff) this.refuse(`\\u${hex} is half of a surrogate pair`);
      return cp;
    }
    if (/[A-Za-z0-9]/.test(c)) this.refuse(`\\${c} is not translated (word boundaries, back-references and control escapes differ between engines)`);
    if (c.charCodeAt(0) > 0x7e) this.refuse(`\\${c}: escape only ASCII punctuation`);
    return c.charCodeAt(0);
  }

  private parseClass(): Piece {
    const open = this.pos;
    this.pos++;
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos++;
    }
    const items: ClassItem[] = [];
    while (this.peek() !== ']') {
      if (this.pos >= this.source.length) this.refuse(`the class at offset ${open} is not closed`);
      const from = this.classChar(items);
      if (from === undefined) continue; // a class escape such as \d, already added
      if (this.peek() === '-' && this.source[this.pos + 1] !== ']' && this.pos + 1 < this.source.length) {
        this.pos++;
        const to = this.classChar(items);
        if (to === undefined) this.refuse('a range ending in a class escape');
        if (to < from) this.refuse(`the range at offset ${open} is out of order`);
        items.push({ from, to });
      } else {
        items.push({ from, to: from });
      }
    }
    this.pos++;
    if (items.length === 0) this.refuse(`"${this.source.slice(open, this.pos)}" (an empty class) means different things in JavaScript and SQL engines`);
    if (items.some(i => i.from <= 0xdfff && i.to >= 0xd800)) this.refuse('a class that covers surrogate code units');
    if (negate) {
      this.countWide();
      return { text: t => negated(items, t), wide: true };
    }
    return { text: t => positiveClass(items, t), wide: false };
  }

  /** Reads one class member; a class escape (\d, \w, \s) adds its ranges to `items` and returns undefined. */
  private classChar(items: ClassItem[]): number | undefined {
    const c = this.peek();
    if (c === '[') this.refuse('"[" inside a class; escape it');
    if (c !== '\\') {
      this.pos++;
      return c.charCodeAt(0);
    }
    this.pos++;
    const e = this.peek();
    this.pos++;
    if (e === 'd') { items.push({ from: 0x30, to: 0x39 }); return undefined; }
    if (e === 'w') { items.push(...WORD); return undefined; }
    if (e === 's') { items.push(...classItems(JS_SPACE)); return undefined; }
    if (e === 'b') return 8; // [\b] is backspace
    if (e === 'D' || e === 'W' || e === 'S') this.refuse(`\\${e} inside a class`);
    return this.escapedChar(e);
  }
}

const WORD: ClassItem[] = [{ from: 0x30, to: 0x39 }, { from: 0x41, to: 0x5a }, { from: 0x5f, to: 0x5f }, { from: 0x61, to: 0x7a }];

function classItems(spec: string): ClassItem[] {
  const out: ClassItem[] = [];
  for (let i = 0; i < spec.length; i++) {
    const from = spec.charCodeAt(i);
    if (spec[i + 1] === '-' && i + 2 < spec.length) {
      out.push({ from, to: spec.charCodeAt(i + 2) });
      i += 2;
    } else {
      out.push({ from, to: from });
    }
  }
  return out;
}

/** A code point written so that both engines read it as itself, inside or outside a class. */
function char(cp: number, _t: RegexTarget): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return String.fromCharCode(cp);
  if (cp > 0x20 && cp < 0x7f) return '\\' + String.fromCharCode(cp); // ASCII punctuation: escaped is always literal
  // RE2 and Java/Joni both read \x{hhhh}.
  return `\\x{${cp.toString(16).padStart(4, '0')}}`;
}

function literal(cp: number): Piece {
  return { text: t => char(cp, t), wide: false };
}

function renderItems(items: readonly ClassItem[], t: RegexTarget): string {
  return items.map(i => i.from === i.to ? char(i.from, t) : `${char(i.from, t)}-${char(i.to, t)}`).join('');
}

function positiveClass(items: readonly ClassItem[], t: RegexTarget): string {
  return `[${renderItems(items, t)}]`;
}

function negated(items: readonly ClassItem[], t: RegexTarget): string {
  return `[^${renderItems(items, t)}]`;
}

function negatedClass(spec: string, t: RegexTarget): string {
  return negated(classItems(spec), t);
}

/**
 * Translates a %regex% term's source for one engine, or throws RegexRefusal. The result is searched for
 * (unanchored), as the engine does: DuckDB's regexp_matches and Trino's regexp_like both search.
 */
export function translateRegex(source: string, target: RegexTarget): string {
  return new RegexTranslator(source).translate()(target);
}
