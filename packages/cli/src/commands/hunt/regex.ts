// Translates a filter pattern's %regex% term, as the engine parsed it (its regex tree: src/engine/regex.ts, the one
// grammar, CloudWatch Logs' documented subset), into a regular expression that means exactly the same to RE2
// (DuckDB) and to Joni with Java syntax (Trino, so Athena and CloudTrail Lake). Only a subset translates exactly;
// everything else is refused with a reason.
//
// Why a translation and not the source as is: the engines disagree on `.` (the engine excludes \n, \r, U+2028 and
// U+2029; RE2 and Joni only \n), on `$` (Joni's also matches before a final newline), on `\s` and `\d` in Unicode
// modes, and on `{,n}` (a quantifier to the engine, literal text to RE2 and Java). The output spells every class
// out (`[0-9]`, not `\d`), anchors with `\A` / `\z`, and keeps "wide" atoms (those that can match a character
// outside ASCII: `.`, negated classes, `\D`, `\W`, `\S`) to one per regex, repeated by `*` or `+` (the rule from
// when JavaScript's RegExp, which counts UTF-16 code units, evaluated regexes; kept so hunt's answers do not change).
import type { RegexAtom, RegexClassMember, RegexItem, RegexTree } from 'cdk-cis-log-monitoring/lib/cli-support';

export type RegexTarget = 're2' | 'joni';

/** A %regex% term that cannot be translated exactly; the message says why. */
export class RegexRefusal extends Error {}

// The engine's \s (JavaScript's WhiteSpace and LineTerminator code points) and the line terminators `.` excludes.
const JS_SPACE = '\t\n\u000b\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
const JS_LINE_TERMINATORS = '\n\r\u2028\u2029';

interface ClassItem { readonly from: number; readonly to: number }

/**
 * Translates a parsed %regex% term for one engine, or throws RegexRefusal. The result is searched for
 * (unanchored), as the engine does: DuckDB's regexp_matches and Trino's regexp_like both search.
 */
export function translateRegex(tree: RegexTree, target: RegexTarget): string {
  const refuse = (reason: string): never => {
    throw new RegexRefusal(`%${tree.source}%: ${reason}`);
  };
  let wideAtoms = 0;
  const countWide = () => {
    wideAtoms++;
    if (wideAtoms > 1) refuse('more than one of ".", a negated class, \\D, \\W or \\S: JavaScript may split a character between them');
  };
  const item = (it: RegexItem): string => {
    if (it.kind === 'start') return '\\A';
    if (it.kind === 'end') return '\\z';
    const { text, wide } = atom(it.atom, countWide, refuse, target);
    if (wide) {
      if (it.quantifier === '') refuse(`"${it.text}" matches one UTF-16 code unit in JavaScript but one character in SQL; use it only as "*" or "+" repetition`);
      if (!(it.max === Infinity && it.min <= 1)) refuse(`"${it.text}" counts UTF-16 code units in JavaScript but characters in SQL; use "*" or "+"`);
    }
    // `{,n}` is a quantifier to the engine only: RE2 and Java read it literally.
    return text + (it.quantifier.startsWith('{,') ? `{0,${it.quantifier.slice(2)}` : it.quantifier);
  };
  return tree.alternatives.map(items => items.map(item).join('')).join('|');
}

/** One atom's translation, and whether it is wide (can match a character outside ASCII). */
function atom(a: RegexAtom, countWide: () => void, refuse: (reason: string) => never, t: RegexTarget): { text: string; wide: boolean } {
  switch (a.kind) {
    case 'char': return { text: char(a.code, t), wide: false };
    case 'any':
      countWide();
      return { text: negated(classItems(JS_LINE_TERMINATORS), t), wide: true };
    case 'escape': {
      const items = ESCAPE_ITEMS[a.escape.toLowerCase()];
      if (a.escape === a.escape.toLowerCase()) return { text: positiveClass(items, t), wide: false };
      countWide();
      return { text: negated(items, t), wide: true };
    }
    case 'class': {
      const items = a.members.flatMap((m: RegexClassMember): ClassItem[] => {
        if (m.kind === 'range') return [{ from: m.from, to: m.to }];
        if (m.escape !== m.escape.toLowerCase()) refuse(`\\${m.escape} inside a class`);
        return ESCAPE_ITEMS[m.escape];
      });
      if (a.negated) {
        countWide();
        return { text: negated(items, t), wide: true };
      }
      return { text: positiveClass(items, t), wide: false };
    }
  }
}

const WORD: ClassItem[] = [{ from: 0x30, to: 0x39 }, { from: 0x41, to: 0x5a }, { from: 0x5f, to: 0x5f }, { from: 0x61, to: 0x7a }];

/** The classes \d, \s and \w spelled out (their inverses are these, negated). */
const ESCAPE_ITEMS: Record<string, ClassItem[]> = { d: [{ from: 0x30, to: 0x39 }], s: classItems(JS_SPACE), w: WORD };

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

function renderItems(items: readonly ClassItem[], t: RegexTarget): string {
  return items.map(i => i.from === i.to ? char(i.from, t) : `${char(i.from, t)}-${char(i.to, t)}`).join('');
}

function positiveClass(items: readonly ClassItem[], t: RegexTarget): string {
  return `[${renderItems(items, t)}]`;
}

function negated(items: readonly ClassItem[], t: RegexTarget): string {
  return `[^${renderItems(items, t)}]`;
}
