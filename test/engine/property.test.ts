import { FilterPattern, JsonPattern } from 'aws-cdk-lib/aws-logs';
import * as fc from 'fast-check';
import { FilterPatternSyntaxError, LogFilterPattern } from '../../src/engine';
// The printed, reproducible seed of every property below (FC_SEED; docs/testing.md).
import '../support/seed';

const RUNS = 500;

// ---------------------------------------------------------------------------------------------------------
// Random events over a few fields, with values from small pools so that comparisons often hold.

const STRING_POOL = ['', 'x', 'Yes', 'YES', 'a b', 'say "hi"', 'back\\slash', 'a*b', '*', 'AccessDenied', 'AccessDeniedX', '€uro', 'ab'];
const NUMBER_POOL = [-5, -0.5, 0, 1, 2, 1.5, 400, 1e21, 1e-7];
const FIELDS = ['$.a', '$.b', '$.c.d', '$.e[0]', '$.e[1]'];

const scalar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...STRING_POOL) },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBER_POOL) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
);
const anyValue = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('d', 'z'), scalar, { maxKeys: 2 }) },
);
const event = fc.record({
  a: anyValue,
  b: anyValue,
  c: fc.oneof(fc.record({ d: anyValue }, { requiredKeys: [] }), scalar),
  e: fc.oneof(fc.array(anyValue, { maxLength: 3 }), scalar),
}, { requiredKeys: [] });

const MISSING = Symbol('missing');

/** Resolves `$.a`, `$.c.d`, `$.e[0]` directly (a second implementation, independent of the engine's). */
function resolve(e: any, field: string): unknown {
  const steps = field.slice(2).split(/\.|\[(\d+)\]/).filter(s => s !== undefined && s !== '');
  let node: any = e;
  for (const step of steps) {
    const isIndex = /^\d+$/.test(step) && field.includes(`[${step}]`);
    if (isIndex ? !Array.isArray(node) || Number(step) >= node.length
      : node === null || typeof node !== 'object' || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, step)) {
      return MISSING;
    }
    node = node[isIndex ? Number(step) : step];
  }
  return node;
}

/** CDK: "May use '*' as wildcard at start or end of string"; a regular expression as the reference. */
function globMatches(glob: string, s: string): boolean {
  const lead = glob.startsWith('*');
  const trail = glob.length > 1 && glob.endsWith('*');
  const core = glob.slice(lead ? 1 : 0, trail ? -1 : undefined).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${lead ? '.*' : ''}${core}${trail ? '.*' : ''}$`, 's').test(s);
}

// ---------------------------------------------------------------------------------------------------------
// Random CDK FilterPattern builder trees, each paired with what the builder says it means.

interface Built { readonly cdk: JsonPattern; readonly means: (e: any) => boolean }

const stringOp = fc.constantFrom('=', '!=', '==');
const numberOp = fc.constantFrom('=', '!=', '<', '<=', '>', '>=', '==');
const field = fc.constantFrom(...FIELDS);
// Mostly values from the events' pools, so that comparisons often hold and a wrong operator shows.
const stringValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...STRING_POOL, '**', 'a*b*', '*a*b', 'Denied*', '*Access', 'b*', '*a') },
  // Globs that match a pool string only when the wildcard is read at the right end.
  { weight: 4, arbitrary: fc.constantFrom(...STRING_POOL.filter(s => s.length > 1)).chain(s => fc.constantFrom(`*${s.slice(1)}`, `${s.slice(0, -1)}*`, `*${s.slice(1, -1)}*`)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
const number = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NUMBER_POOL) },
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
  { weight: 1, arbitrary: fc.double({ min: -1e6, max: 1e6, noNaN: true }) },
);

const leaf: fc.Arbitrary<Built> = fc.oneof(
  fc.tuple(field, stringOp, stringValue).map(([f, op, v]): Built => ({
    cdk: FilterPattern.stringValue(f, op, v),
    means: e => {
      const node = resolve(e, f);
      if (v === '*') return op !== '!=' && ['string', 'number', 'boolean'].includes(typeof node);
      return typeof node === 'string' && globMatches(v, node) === (op !== '!=');
    },
  })),
  fc.tuple(field, numberOp, number).map(([f, op, n]): Built => ({
    cdk: FilterPattern.numberValue(f, op, n),
    means: e => {
      const node = resolve(e, f);
      if (typeof node !== 'number') return false;
      switch (op) {
        case '<': return node < n;
        case '<=': return node <= n;
        case '>': return node > n;
        case '>=': return node >= n;
        case '!=': return node !== n;
        default: return node === n;
      }
    },
  })),
  fc.tuple(field, fc.constantFrom('=', '!='), fc.constantFrom('^x', 'b$', 'a.b', '[AY]', 'Denied')).map(([f, op, re]): Built => ({
    cdk: FilterPattern.regexValue(f, op, re),
    means: e => {
      const node = resolve(e, f);
      return typeof node === 'string' && new RegExp(re).test(node) === (op === '=');
    },
  })),
  field.map((f): Built => ({ cdk: FilterPattern.notExists(f), means: e => resolve(e, f) === MISSING })),
  field.map((f): Built => ({ cdk: FilterPattern.isNull(f), means: e => resolve(e, f) === null })),
  field.map((f): Built => ({ cdk: FilterPattern.exists(f), means: e => ['string', 'number', 'boolean'].includes(typeof resolve(e, f)) })),
  fc.tuple(field, fc.boolean()).map(([f, b]): Built => ({ cdk: FilterPattern.booleanValue(f, b), means: e => resolve(e, f) === b })),
);

const tree: fc.Arbitrary<Built> = fc.letrec<{ node: Built }>(tie => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((children): Built => ({
      cdk: FilterPattern.all(...children.map(c => c.cdk)),
      means: e => children.every(c => c.means(e)),
    })),
    fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((children): Built => ({
      cdk: FilterPattern.any(...children.map(c => c.cdk)),
      means: e => children.some(c => c.means(e)),
    })),
  ),
})).node;

describe('CDK FilterPattern builders', () => {
  test('the generators are not vacuous: every kind of leaf both matches and misses random events', () => {
    const outcomes = new Map<string, Set<boolean>>();
    for (const [built, e] of fc.sample(fc.tuple(leaf, event), { numRuns: 5000 })) {
      const kind = built.cdk.logPatternString.replace(/^\{ \$\.[a-e.\[\]0-9]+ /, '').split(' ')[0];
      outcomes.set(kind, (outcomes.get(kind) ?? new Set()).add(built.means(e)));
    }
    expect([...outcomes.keys()].sort()).toEqual(['!=', '<', '<=', '=', '>', '>=', 'IS', 'NOT'].sort());
    for (const [kind, seen] of outcomes) expect({ kind, seen: [...seen].sort() }).toEqual({ kind, seen: [false, true] });
  });

  test('what they render parses, and means what the builders say, on random events', () => {
    fc.assert(fc.property(tree, fc.array(event, { minLength: 1, maxLength: 30 }), (built, events) => {
      const pattern = LogFilterPattern.parse(built.cdk.logPatternString);
      for (const e of events) {
        expect(pattern.matches(e)).toBe(built.means(e));
      }
    }), { numRuns: 2 * RUNS });
  });

  test('each single builder means what it says (many runs, so that rare value pairs meet)', () => {
    fc.assert(fc.property(leaf, fc.array(event, { minLength: 1, maxLength: 30 }), (built, events) => {
      const pattern = LogFilterPattern.parse(built.cdk.logPatternString);
      for (const e of events) expect(pattern.matches(e)).toBe(built.means(e));
    }), { numRuns: 10 * RUNS });
  });

  test('FilterPattern.literal passes text through unchanged, and the engine reads it the same way', () => {
    fc.assert(fc.property(tree, event, (built, e) => {
      const literal = FilterPattern.literal(built.cdk.logPatternString);
      expect(LogFilterPattern.parse(literal.logPatternString).matches(e)).toBe(built.means(e));
    }), { numRuns: RUNS });
  });

  test('the grouped rendering of a pattern means the same as the pattern', () => {
    fc.assert(fc.property(tree, fc.array(event, { minLength: 1, maxLength: 10 }), (built, events) => {
      const pattern = LogFilterPattern.parse(built.cdk.logPatternString);
      const regrouped = LogFilterPattern.parse(pattern.groupedText);
      expect(regrouped.groupedText).toBe(pattern.groupedText);
      for (const e of events) expect(regrouped.matches(e)).toBe(pattern.matches(e));
    }), { numRuns: RUNS });
  });
});

// ---------------------------------------------------------------------------------------------------------
// No input crashes the parser: it returns a pattern or throws FilterPatternSyntaxError with a valid position.

const TOKENS = ['{', '}', '(', ')', '$', '.', '[', ']', '0', '12', '*', '=', '!=', '<', '<=', '>', '>=', '==', '&&', '||', '&', '|', ' ', '\t',
  '"', '\\', '%', '\'', 'IS', 'NULL', 'NOT', 'EXISTS', 'TRUE', 'FALSE', 'is', 'a', 'eventName', 'x-y', '-5', '1e3', '€', '😀'];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map(ts => ts.join(''));
const bracedSoup = tokenSoup.map(s => `{ ${s} }`);

function parsesOrFailsCleanly(text: string): void {
  let pattern: LogFilterPattern | undefined;
  try {
    pattern = LogFilterPattern.parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(FilterPatternSyntaxError);
    const err = e as FilterPatternSyntaxError;
    expect(err.position).toBeGreaterThanOrEqual(1);
    expect(err.position).toBeLessThanOrEqual(text.length + 1);
    expect(err.message).toContain(`at position ${err.position}`);
    expect(LogFilterPattern.validate(text)).toEqual([`Invalid filter pattern: ${err.message}`]);
    return;
  }
  // Whatever parses can be evaluated on any event and re-parsed from its grouped form.
  expect(typeof pattern.matches({ a: 1, b: 'x', eventName: ['x'] })).toBe('boolean');
  expect(typeof pattern.matchesJson(text)).toBe('boolean');
  expect(() => LogFilterPattern.parse(pattern.groupedText)).not.toThrow();
}

describe('robustness', () => {
  test('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), parsesOrFailsCleanly), { numRuns: 2000 });
  });

  test('strings made of grammar tokens', () => {
    fc.assert(fc.property(fc.oneof(tokenSoup, bracedSoup), parsesOrFailsCleanly), { numRuns: 5000 });
  });

  test('mutations of valid CDK-rendered patterns (one character deleted, inserted or replaced)', () => {
    fc.assert(fc.property(tree, fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom(...TOKENS),
      (built, at, how, token) => {
        const text = built.cdk.logPatternString;
        const i = at % (text.length + 1);
        const mutated = how === 'delete' ? text.slice(0, i) + text.slice(i + 1)
          : how === 'insert' ? text.slice(0, i) + token + text.slice(i)
            : text.slice(0, i) + token + text.slice(i + 1);
        parsesOrFailsCleanly(mutated);
      }), { numRuns: 2000 });
  });
});
