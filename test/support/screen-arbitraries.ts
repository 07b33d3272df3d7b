// Random patterns, events and ways of writing an event as JSON text, for the screening property tests
// (test/engine/literals.test.ts, packages/cli/test/replay-screen.test.ts).
import * as fc from 'fast-check';

const KEYS = ['a', 'b', 'type', 'eventName', 'x.y'];
const STRINGS = ['', 'Root', 'root', 'Ro', 'ot', 'AccessDenied', 'AccessDeniedX', 'xAccessDenied', 'a/b', 'say "hi"', 'back\\slash',
  'tab\there', 'new\nline', '€uro', '😀', 'a*b', '*', 'Create', 'CreateVpc', 'Vpc'];
const scalar = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 400, -2.5, 1e21) },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
);
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>(tie => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 5, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(tie('v'), { maxLength: 3 }) },
    { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 4 }) },
  ),
})).v;
export const event = fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 5 });

const selector = fc.constantFrom('$.a', '$.b', '$.type', '$.eventName', '$.a.type', '$.b.eventName', '$.a[0]', '$.a.*', '$.b[*].type', "$['x.y']");
const globValue = fc.oneof(
  fc.constantFrom(...STRINGS.filter(s => !s.includes('\n') && !s.includes('\t'))),
  fc.constantFrom('Acc*', '*Denied', '*cess*', '*oo*', 'R*', '*t', '**'),
).map(s => JSON.stringify(s));
const condition = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(selector, fc.constantFrom('=', '=', '=', '!='), globValue).map(([s, o, v]) => `${s} ${o} ${v}`) },
  { weight: 1, arbitrary: fc.tuple(selector, fc.constantFrom('=', '!=', '<', '>='), fc.constantFrom('0', '1', '400', '-2.5')).map(([s, o, v]) => `${s} ${o} ${v}`) },
  { weight: 1, arbitrary: fc.tuple(selector, fc.constantFrom('IS NULL', 'IS TRUE', 'IS FALSE', 'NOT EXISTS')).map(([s, t]) => `${s} ${t}`) },
  { weight: 1, arbitrary: selector.map(s => `${s} = %^R.*t$%`) },
  { weight: 1, arbitrary: selector.map(s => `${s} = *`) },
);
const expression: fc.Arbitrary<string> = fc.letrec<{ e: string }>(tie => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: condition },
    { weight: 2, arbitrary: fc.tuple(tie('e'), fc.constantFrom('&&', '||'), tie('e')).map(([a, op, b]) => `(${a}) ${op} (${b})`) },
  ),
})).e;
export const pattern = expression.map(e => `{ ${e} }`);

/** How an event is written: JSON.stringify's choices are only one of many valid texts. */
export interface Writing {
  readonly space: string;
  readonly shuffleSeed: number;
  /** 0: minimal escapes; 1: also `\/`; 2: also some characters as \uXXXX; 3: every character as \uXXXX. */
  readonly escapes: 0 | 1 | 2 | 3;
}
export const writing: fc.Arbitrary<Writing> = fc.record({
  space: fc.constantFrom('', ' ', '\n  ', '\t', ' \r\n'),
  shuffleSeed: fc.integer({ min: 0, max: 1000 }),
  escapes: fc.constantFrom(0, 0, 1, 2, 3) as fc.Arbitrary<0 | 1 | 2 | 3>,
});

/** Writes a value as valid JSON text in the given style (an independent writer, not JSON.stringify's layout). */
export function writeJson(v: unknown, w: Writing): string {
  let seed = w.shuffleSeed;
  const next = () => (seed = (seed * 48271 + 11) % 2147483647);
  const str = (s: string): string => {
    let out = '"';
    for (const ch of s) {
      const code = ch.codePointAt(0) as number;
      if (w.escapes === 3 || (w.escapes === 2 && next() % 3 === 0)) {
        out += ch.split('').map(u => '\\u' + u.charCodeAt(0).toString(16).padStart(4, '0')).join('');
      } else if (ch === '"' || ch === '\\') {out += '\\' + ch;} else if (ch === '/' && w.escapes >= 1) {out += '\\/';} else if (code < 0x20) {out += JSON.stringify(ch).slice(1, -1);} else {out += ch;}
    }
    return out + '"';
  };
  const write = (x: unknown): string => {
    if (typeof x === 'string') return str(x);
    if (x === null || typeof x !== 'object') return JSON.stringify(x);
    if (Array.isArray(x)) return `[${w.space}${x.map(write).join(`${w.space},${w.space}`)}${w.space}]`;
    const entries = Object.entries(x);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [entries[i], entries[j]] = [entries[j], entries[i]];
    }
    return `{${w.space}${entries.map(([k, e]) => `${str(k)}${w.space}:${w.space}${write(e)}`).join(`${w.space},${w.space}`)}${w.space}}`;
  };
  return write(v);
}

/**
 * A pattern with an event it matches and one it cannot match, made so on purpose (non-vacuity by construction): the
 * pattern compares one key with a literal; `hit` is a random event with that key set to the literal; `miss` holds a
 * near miss (the literal without its first letter) and no other text, so a screen that lets it through screens
 * nothing. The suites assert the engine's verdicts and the screen's in every run.
 */
export interface ScreenWitness {
  readonly pattern: string;
  readonly hit: Record<string, unknown>;
  readonly miss: Record<string, unknown>;
}
// Letters only: a literal with characters JSON may escape is screened by its escape-free fragments, which a near
// miss can contain.
const WITNESS_LITERALS = ['Root', 'AccessDenied', 'CreateVpc', 'ConsoleLogin', 'DeleteTrail'];
export const screenWitness: fc.Arbitrary<ScreenWitness> = fc.tuple(
  fc.constantFrom('a', 'b', 'type', 'eventName'), fc.constantFrom(...WITNESS_LITERALS), event,
).map(([key, literal, other]) => ({
  pattern: `{ $.${key} = ${JSON.stringify(literal)} }`,
  hit: { ...other, [key]: literal },
  miss: { [key]: literal.slice(1) },
}));
