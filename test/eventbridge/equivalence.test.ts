import * as fc from 'fast-check';
import { buildHarness, EVENT_RULER_VERSION, EventRuler } from './event-ruler';
import { allRecords, onEventBridge } from './records';
import { CisPatternSet } from '../../src/catalog';
import { operationalPattern, parseExclusions } from '../../src/catalog/exclusion-rules';
import { catalogVariants } from '../../src/catalog/variants';
import { Expression } from '../../src/engine/ast';
import { compileExpression } from '../../src/engine/compile';
import { eventBridgePattern, EventBridgeRefusal, FieldType } from '../../src/engine/eventbridge';
import { parseFilterPattern } from '../../src/engine/parser';
import { FC_SEED } from '../support/seed';

// The compiled EventBridge patterns are run by aws/event-ruler, the matching library behind EventBridge, side by
// side with the engine's evaluator: on the catalog's CloudTrail vectors, on real public CloudTrail (Stratus Red Team
// detonation logs) and on random patterns and events. The same events match, or the compiler refused.
// Both of event-ruler's entry points are checked: rulesForJSONEvent (array-consistent) and rulesForEvent.

let ruler: EventRuler;
let buildSeconds = 0;

beforeAll(() => {
  buildSeconds = buildHarness();
  ruler = EventRuler.start();
}, 600_000);

afterAll(async () => {
  await ruler?.close();
});

type Answer = { json: boolean[]; event: boolean[]; comparable: boolean[] };
async function rulerMatches(pattern: unknown, events: ReadonlyArray<unknown>): Promise<Answer> {
  const answer = await ruler.match(pattern, events);
  if ('error' in answer) throw new Error(`event-ruler ${EVENT_RULER_VERSION} refused ${JSON.stringify(pattern)}: ${answer.error}`);
  return answer;
}

describe(`event-ruler ${EVENT_RULER_VERSION}: the semantics the compiler relies on`, () => {
  test('the harness is built (or cached) and answers', async () => {
    // Measured build time, printed for the record (0 when target/ was up to date).
    console.info(`event-ruler harness build: ${buildSeconds.toFixed(1)} s`);
    expect(await rulerMatches({ a: ['x'] }, [{ a: 'x' }, { a: 'y' }])).toEqual({ json: [true, false], event: [true, false], comparable: [true, true] });
  });

  test('anything-but requires the field, as != does, but also matches numbers, booleans and null (so != compiles only on string fields)', async () => {
    const events = [{}, { a: 'x' }, { a: 'y' }, { a: 5 }, { a: true }, { a: null }, { a: { b: 'y' } }];
    expect((await rulerMatches({ a: [{ 'anything-but': 'x' }] }, events)).json).toEqual([false, false, true, true, true, true, false]);
    const engine = compileExpression(parseFilterPattern('{ $.a != "x" }').expression);
    expect(events.map(engine)).toEqual([false, false, true, false, false, false, false]);
  });

  test('a list element matches any element of an array, where = does not (so every compiled field has a scalar type)', async () => {
    const events = [{ a: 'x' }, { a: ['x'] }, { a: ['y', 'x'] }, { a: [{ b: 'x' }] }];
    expect((await rulerMatches({ a: ['x'] }, events)).json).toEqual([true, true, true, false]);
    expect((await rulerMatches({ a: { b: ['x'] } }, events)).json).toEqual([false, false, false, true]);
    const engine = compileExpression(parseFilterPattern('{ $.a = "x" }').expression);
    expect(events.map(engine)).toEqual([true, false, false, false]);
  });

  test('exists:false also holds on an object or an empty array, where NOT EXISTS does not', async () => {
    const events = [{}, { a: null }, { a: 'x' }, { a: {} }, { a: [] }, { a: { b: 1 } }];
    expect((await rulerMatches({ a: [{ exists: false }] }, events)).json).toEqual([true, false, false, true, true, true]);
    const engine = compileExpression(parseFilterPattern('{ $.a NOT EXISTS }').expression);
    expect(events.map(engine)).toEqual([true, false, false, false, false, false]);
  });

  test('across elements of an array of objects rulesForJSONEvent refuses a match that rulesForEvent allows (compiled patterns never read arrays)', async () => {
    const event = { a: [{ b: 'x', c: 'z' }, { b: 'w', c: 'y' }] };
    expect(await rulerMatches({ a: { b: ['x'], c: ['y'] } }, [event, { a: [{ b: 'x', c: 'y' }] }])).toEqual({ json: [false, true], event: [true, true], comparable: [true, true] });
  });

  test('a key with a period also matches the nested path (so such keys are refused)', async () => {
    expect((await rulerMatches({ 'a.b': ['x'] }, [{ 'a.b': 'x' }, { a: { b: 'x' } }])).json).toEqual([true, true]);
  });

  test('the CloudTrail envelope admits both sign-in spellings and every CloudTrail type, and nothing else', async () => {
    const { pattern } = eventBridgePattern(parseFilterPattern('{ $.eventName = "ConsoleLogin" }').expression);
    const record = { eventName: 'ConsoleLogin' };
    const types = ['AWS Console Sign In via CloudTrail', 'AWS Console Signin via CloudTrail', 'AWS API Call via CloudTrail',
      'AWS Service Event via CloudTrail', 'AWS Console Action via CloudTrail', 'Object Created', 'AWS API Call'];
    const events = [...types.map(t => onEventBridge(record, t)), { ...(onEventBridge(record) as object), source: 'custom.app' }];
    expect((await rulerMatches(pattern, events)).json).toEqual([true, true, true, true, true, false, false, false]);
  });
});

describe('a lone `*`: `= "*"` matches what the engine matches on every JSON type (a deterministic case, not only the random seeds)', () => {
  // The engine's `$.f = "*"` holds on a present string, number or boolean, never on null, an object, an array or a
  // missing field (src/engine/compile.ts). The compiler writes exists:true; a prefix "" (what FC_SEED=2 and 3 found
  // when the compiler lost the `*` rule) matches strings only. Every JSON type, under each declared field type.
  const values: ReadonlyArray<readonly [string, unknown]> = [
    ['missing', undefined], ['""', ''], ['"x"', 'x'], ['"*"', '*'], ['0', 0], ['-1.5', -1.5], ['1e300', 1e300], ['true', true],
    ['false', false], ['null', null], ['{}', {}], ['{"b":1}', { b: 1 }], ['[]', []], ['["x"]', ['x']], ['[1]', [1]], ['[null]', [null]],
  ];
  const records = values.map(([, v]) => (v === undefined ? { other: 'x' } : { a: v }));
  const engine = compileExpression(parseFilterPattern('{ $.a = "*" }').expression);
  const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

  test('the engine: string, number and boolean only', () => {
    expect(values.filter((_v, i) => engine(records[i])).map(([name]) => name)).toEqual(['""', '"x"', '"*"', '0', '-1.5', '1e300', 'true', 'false']);
  });

  test.each(['string', 'number', 'boolean'] as const)('declared %s: compiled to exists:true; event-ruler agrees on every value the exactness condition admits', async type => {
    const { pattern } = eventBridgePattern(parseFilterPattern('{ $.a = "*" }').expression, { fieldTypes: new Map<string, FieldType>([['a', type]]) });
    const answer = await rulerMatches(pattern, records.map(r => onEventBridge(r)));
    // Exactness condition (docs/realtime.md): the field is absent or of its declared type, and not null.
    const admitted = values.map(([, v]) => v === undefined || jsonType(v) === type);
    const differing = values.filter((_v, i) => admitted[i] && (answer.json[i] !== engine(records[i]) || answer.event[i] !== engine(records[i])));
    expect(differing.map(([name]) => name)).toEqual([]);
    expect(admitted.filter(Boolean).length).toBeGreaterThanOrEqual(3);
    expect((pattern as any).detail).toEqual({ a: [{ exists: true }] });
  });

  test('outside the condition event-ruler differs only on null and arrays with an element (why every compiled field must be a declared scalar)', async () => {
    const { pattern } = eventBridgePattern(parseFilterPattern('{ $.a = "*" }').expression, { fieldTypes: new Map<string, FieldType>([['a', 'string']]) });
    const answer = await rulerMatches(pattern, records.map(r => onEventBridge(r)));
    expect(values.filter((_v, i) => answer.json[i] !== engine(records[i])).map(([name]) => name)).toEqual(['null', '["x"]', '[1]', '[null]']);
  });

  test('`!= "*"` never holds in the engine, on any JSON type, and is refused as a rule that can never match', () => {
    const never = compileExpression(parseFilterPattern('{ $.a != "*" }').expression);
    expect(records.filter(r => never(r))).toEqual([]);
    for (const type of ['string', 'number', 'boolean'] as const) {
      expect(() => eventBridgePattern(parseFilterPattern('{ $.a != "*" }').expression, { fieldTypes: new Map<string, FieldType>([['a', type]]) }))
        .toThrow(/can never match/);
    }
  });
});

describe('every control of every pattern set: compiled and matched by event-ruler like the filter pattern', () => {
  const records = allRecords();
  const variants = [...catalogVariants()];

  test('the records include real public CloudTrail and positives', () => {
    expect(records.filter(r => r.origin === 'fixtures/stratus-red-team').length).toBeGreaterThanOrEqual(99);
  });

  test.each(variants.map(v => [`${v.label} ${v.control.key}`, v] as const))('%s', async (_name, variant) => {
    const expression = parseFilterPattern(variant.text).expression;
    const { pattern } = eventBridgePattern(expression);
    const engine = compileExpression(expression);
    const expected = records.map(r => engine(r.record));
    const answer = await rulerMatches(pattern, records.map(r => onEventBridge(r.record)));
    const differing = records.filter((_r, i) => answer.json[i] !== expected[i] || answer.event[i] !== expected[i]).map(r => r.record.eventID);
    expect(differing).toEqual([]);
  });

  test('the vectors exercise the patterns: every control matches some record', () => {
    for (const variant of variants) {
      const engine = compileExpression(parseFilterPattern(variant.text).expression);
      expect([variant.label, variant.control.key, records.some(r => engine(r.record))]).toEqual([variant.label, variant.control.key, true]);
    }
  });
});

describe('operational patterns (a control AND NOT its exclusions) compile and match like the filter pattern', () => {
  const TODAY = new Date('2026-12-07T00:00:00Z');
  const EXCLUDED = ['arn:aws:iam::111122223333:role/deployer', 'arn:aws:sts::111122223333:assumed-role/deployer/*'];
  const exclusions = [
    { principalArns: EXCLUDED },
    { pattern: '{ $.sourceIPAddress = "10.*" || $.userAgent = "*terraform*" }' },
  ].map(e => ({ ...e, reason: 'pipeline', owner: 'platform', expires: '2027-01-01' }));
  // Every record, and each record the control matches with the fields the exclusions read set to excluded and other values.
  const records = allRecords().map(r => r.record);
  const variantsOf = (record: any): any[] => [
    ...['arn:aws:iam::111122223333:role/deployer', 'arn:aws:sts::111122223333:assumed-role/deployer/run-1', 'arn:aws:iam::111122223333:role/deployer2']
      .map(arn => ({ ...record, userIdentity: { ...record.userIdentity, arn } })),
    { ...record, sourceIPAddress: '10.1.2.3', userAgent: 'aws-cli' }, { ...record, userAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.9.0 (+https://www.terraform.io)' },
    { ...record, userAgent: 'x terraform y' },
  ];

  test.each(CisPatternSet.RECOMMENDED.controls().map(c => [c.key, c] as const))('%s', async (_key, control) => {
    const compliance = control.patternFor(CisPatternSet.RECOMMENDED);
    const matching = records.filter(compileExpression(parseFilterPattern(compliance).expression));
    const events = [...records, ...matching.flatMap(variantsOf)];
    for (const exclusion of exclusions) {
      const text = operationalPattern('test', control, compliance, parseExclusions('test', [exclusion], [control], TODAY));
      const expression = parseFilterPattern(text).expression;
      const engine = compileExpression(expression);
      const answer = await rulerMatches(eventBridgePattern(expression).pattern, events.map(e => onEventBridge(e)));
      const expected = events.map(engine);
      expect(events.filter((_e, i) => answer.json[i] !== expected[i] || answer.event[i] !== expected[i])).toEqual([]);
      // The exclusion removes some of the control's events, and keeps others.
      expect(expected.slice(records.length).some(m => !m)).toBe(true);
      expect(expected.some(m => m)).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Random patterns of the compilable subset (and some that are refused) and random events.

/** The record schema of the random tests: declared scalar fields, as CLOUDTRAIL_FIELD_TYPES declares CloudTrail's. */
const TYPES = new Map<string, FieldType>([
  ['s1', 'string'], ['s2', 'string'], ['o.s3', 'string'], ['o.p.s4', 'string'], ['n1', 'number'], ['b1', 'boolean'],
]);
const SELECTORS: Record<FieldType, string[]> = { string: ['$.s1', '$.s2', '$.o.s3', '$.o.p.s4'], number: ['$.n1'], boolean: ['$.b1'] };
const REFUSED_SELECTORS = ['$.u', '$.arr[0]', '$.arr[*]', '$.[\'o.s3\']', '$.o'];
const ALPHABET = ['a', 'b', 'A', '*', '\\', '"', 'é', '.', ' ', '😀'];
const NUMBERS = ['0', '-0', '1', '-1', '2.5', '1e3', '1e21', '0.1', '-7.25', '400', '1e-7', '9007199254740993'];

interface Built { readonly text: string; readonly strings: readonly string[]; readonly numbers: readonly number[] }

const quote = (s: string) => `"${s.replace(/[\\"]/g, '\\$&')}"`;
const chars = (max: number) => fc.array(fc.constantFrom(...ALPHABET), { maxLength: max }).map(a => a.join(''));
const anySelector = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...SELECTORS.string, ...SELECTORS.string, ...SELECTORS.number, ...SELECTORS.boolean) },
  { weight: 1, arbitrary: fc.constantFrom(...REFUSED_SELECTORS) },
);

const stringLeaf = fc.tuple(fc.constantFrom(...SELECTORS.string, ...SELECTORS.string, ...SELECTORS.number), fc.constantFrom('=', '!='),
  fc.constantFrom('', '*'), chars(3), fc.constantFrom('', '*'), anySelector, fc.nat(12))
  .map(([sel, op, lead, core, trail, other, pick]): Built => {
    const selector = pick === 0 ? other : sel;
    const value = `${lead}${core}${trail}`;
    return { text: `${selector} ${op} ${quote(value)}`, strings: [value, core], numbers: [] };
  });
const numberLeaf = fc.tuple(fc.constantFrom(...SELECTORS.number, ...SELECTORS.number, SELECTORS.string[0]), fc.constantFrom('=', '!=', '<', '<=', '>', '>='),
  fc.constantFrom(...NUMBERS)).map(([sel, op, n]): Built => ({ text: `${sel} ${op} ${n}`, strings: [], numbers: [Number(n)] }));
const testLeaf = fc.tuple(anySelector, fc.constantFrom('IS NULL', 'IS TRUE', 'IS FALSE', 'NOT EXISTS', 'NOT EXISTS'))
  .map(([sel, t]): Built => ({ text: `${sel} ${t}`, strings: [], numbers: [] }));
/** A literal regex with optional anchors (compiled) or one with an operator (refused). */
const regexLeaf = fc.tuple(fc.constantFrom(...SELECTORS.string), fc.constantFrom('=', '!='), fc.constantFrom('', '^'),
  fc.array(fc.constantFrom('a', 'b', 'A', '.', '*', ' ', '-', ':'), { minLength: 1, maxLength: 3 }), fc.constantFrom('', '$'), fc.nat(5))
  .map(([sel, op, start, literal, end, pick]): Built => {
    const body = literal.map(ch => (ch === '.' || ch === '*' ? `\\${ch}` : ch)).join('');
    const regex = pick === 0 ? `${body}+` : `${start}${body}${end}`;
    return { text: `${sel} ${op} %${regex}%`, strings: [literal.join('')], numbers: [] };
  });
/** An exclusion's negation: `(f != a && f != b ...)` with one kind of glob, sometimes with the absent-field guard. */
const GLOBS = [['', ''], ['', '*'], ['*', ''], ['*', '*']];
const exclusionLeaf = fc.tuple(fc.constantFrom(...SELECTORS.string), fc.constantFrom(...GLOBS),
  fc.array(fc.tuple(chars(3), fc.constantFrom(...GLOBS)), { minLength: 2, maxLength: 3 }), fc.boolean(), fc.boolean())
  .map(([sel, [lead, trail], cores, mixed, guard]): Built => {
    const values = cores.map(([c, own]) => (mixed ? `${own[0]}${c}${own[1]}` : `${lead}${c}${trail}`));
    const all = values.map(v => `${sel} != ${quote(v)}`).join(' && ');
    return { text: guard ? `(${all}) || ${sel} NOT EXISTS || ${sel} IS NULL` : all, strings: [...values, ...cores.map(c => c[0])], numbers: [] };
  });
const leaf = fc.oneof({ weight: 2, arbitrary: exclusionLeaf },
  { weight: 8, arbitrary: stringLeaf }, { weight: 3, arbitrary: numberLeaf },
  { weight: 3, arbitrary: testLeaf }, { weight: 2, arbitrary: regexLeaf });

const { node: patternArb } = fc.letrec<{ node: Built }>(tie => ({
  node: fc.oneof({ depthSize: 'small', maxDepth: 3 },
    leaf,
    fc.tuple(fc.constantFrom(' && ', ' || '), fc.array(tie('node'), { minLength: 2, maxLength: 3 })).map(([op, parts]): Built => ({
      text: parts.map(p => `(${p.text})`).join(op),
      strings: parts.flatMap(p => p.strings),
      numbers: parts.flatMap(p => p.numbers),
    }))),
}));

/** Events over the schema's fields (and undeclared ones), with values built from the pattern's constants. */
function eventsFor(built: Built): fc.Arbitrary<Record<string, unknown>[]> {
  const cores = built.strings.map(s => s.replace(/^\*|\*$/g, ''));
  const derived = [...new Set(cores.flatMap(c => [c, `${c}a`, `a${c}`, `b${c}a`, c.slice(1), c.slice(0, -1), `${c}${c}`]).concat(built.strings, ['', '*']))];
  const nums = [...new Set(built.numbers.flatMap(n => [n, n + 1, n - 1, n + 0.5, -n, n * 10]).concat([0]))];
  const str = fc.oneof(fc.constantFrom(...derived), chars(4));
  const num = fc.oneof(fc.constantFrom(...nums), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
  const scalar = fc.oneof(str, num, fc.boolean(), fc.constant(null));
  const anyJson = fc.oneof(
    { weight: 4, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom({}, [], { s3: 'a' }, [{ s3: 'a' }], [{ p: { s4: 'a' } }]) },
  );
  // Mostly values of the declared type, so that most events are records the compiler is exact on; every JSON type too.
  const field = (typed: fc.Arbitrary<unknown>) => fc.oneof({ weight: 5, arbitrary: typed }, { weight: 2, arbitrary: anyJson });
  const p = fc.oneof({ weight: 4, arbitrary: fc.record({ s4: field(str) }, { requiredKeys: [] }) }, { weight: 1, arbitrary: anyJson });
  const o = fc.oneof(
    { weight: 5, arbitrary: fc.record({ s3: field(str), p }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: anyJson },
    { weight: 1, arbitrary: fc.array(fc.record({ s3: field(str), p }, { requiredKeys: [] }), { minLength: 1, maxLength: 2 }) },
  );
  const event = fc.record({
    's1': field(str), 's2': field(str), 'n1': field(num), 'b1': field(fc.boolean()), o, 'u': anyJson, 'arr': anyJson, 'o.s3': field(str),
  }, { requiredKeys: [] });
  return fc.array(event, { minLength: 24, maxLength: 24 });
}

/** The declared paths a parsed pattern reads (all of its selectors, as the compiler accepted them). */
function readPaths(e: Expression): string[][] {
  if (e.kind === 'comparison' || e.kind === 'test') return [e.selector.steps.map(s => (s.kind === 'key' ? s.name : '?'))];
  return e.operands.flatMap(readPaths);
}

/**
 * Whether the event is a record the compiler promises exactness on: no array on the way, no key with a period on the
 * way that spells the rest of the path (event-ruler reads {"o.s3": x} as {"o": {"s3": x}}), the leaf absent or of its type,
 * and a number leaf one that event-ruler compares (`numbersComparable`, from the harness: every number of the event).
 */
function conforms(event: unknown, paths: string[][], numbersComparable: boolean): boolean {
  return paths.every(path => {
    let node: any = event;
    for (const [i, step] of path.entries()) {
      if (Array.isArray(node)) return false;
      if (node === null || typeof node !== 'object') return true;
      const rest = path.slice(i);
      if (Object.keys(node).some(k => k.includes('.') && rest.some((_s, j) => j > 0 && rest.slice(0, j + 1).join('.') === k))) return false;
      if (!Object.prototype.hasOwnProperty.call(node, step)) return true;
      node = node[step];
    }
    return !Array.isArray(node) && typeof node === TYPES.get(path.join('.')) && (typeof node !== 'number' || numbersComparable);
  });
}

describe('random patterns and events: event-ruler and the engine agree wherever the compiler compiles', () => {
  const seed = FC_SEED; // printed by test/support/seed.ts; FC_SEED=<seed> reproduces (docs/testing.md)
  const runs = Number(process.env.FC_RUNS ?? 400);

  test(`property (seed ${seed}, ${runs} patterns x 24 events; FC_SEED=${seed} reproduces)`, async () => {
    console.info(`EventBridge equivalence property: seed ${seed} (set FC_SEED=${seed} to reproduce), ${runs} runs`);
    const stats = {
      compiled: 0, literalRegexes: 0, refused: 0, comparisons: 0, positives: 0, nonConforming: 0, divergent: 0, operators: new Set<string>(),
    };
    await fc.assert(fc.asyncProperty(patternArb.chain(b => fc.tuple(fc.constant(b), eventsFor(b))), async ([built, events]) => {
      const expression = parseFilterPattern(`{ ${built.text} }`).expression;
      let json: string;
      try {
        json = eventBridgePattern(expression, { fieldTypes: TYPES }).json;
      } catch (e) {
        if (!(e instanceof EventBridgeRefusal)) throw e;
        stats.refused++;
        return;
      }
      stats.compiled++;
      if (built.text.includes('%')) stats.literalRegexes++;
      for (const op of ['prefix', 'suffix', 'wildcard', 'anything-but', 'exists', 'numeric', 'null', '$or', 'true', 'false']) {
        if (json.includes(`"${op}"`) || json.includes(`[${op}]`) || json.includes(`,${op}]`)) stats.operators.add(op);
      }
      if (/"anything-but":(\[|\{"\w+":\[)/.test(json)) stats.operators.add('anything-but list');
      const engine = compileExpression(expression);
      const answer = await rulerMatches(json, events.map(e => onEventBridge(e)));
      const paths = readPaths(expression);
      events.forEach((event, i) => {
        const expected = engine(event);
        if (conforms(event, paths, answer.comparable[i])) {
          stats.comparisons++;
          if (expected) stats.positives++;
          if (answer.json[i] !== expected || answer.event[i] !== expected) {
            throw new Error(`pattern { ${built.text} } compiled to ${json}; event ${JSON.stringify(event)}: engine ${expected}, `
              + `event-ruler rulesForJSONEvent ${answer.json[i]}, rulesForEvent ${answer.event[i]}`);
          }
        } else {
          stats.nonConforming++;
          if (answer.json[i] !== expected) stats.divergent++;
        }
      });
    }), { seed, numRuns: runs, interruptAfterTimeLimit: 240_000 });
    console.info(`EventBridge equivalence property: ${JSON.stringify({ ...stats, operators: [...stats.operators].sort() })}`);
    // The random patterns must exercise the compiler, not only its refusals, and match on purpose.
    expect(stats.compiled).toBeGreaterThan(runs / 4);
    expect(stats.literalRegexes).toBeGreaterThan(runs / 100);
    expect(stats.positives).toBeGreaterThan(stats.comparisons / 20);
    expect([...stats.operators].sort()).toEqual(
      ['$or', 'anything-but', 'anything-but list', 'exists', 'false', 'null', 'numeric', 'prefix', 'suffix', 'true', 'wildcard']);
  }, 600_000);
});
