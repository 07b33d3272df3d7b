import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { CisPatternSet, LogFilterPattern, parseRegex } from 'cdk-cis-log-monitoring/lib/cli-support';
// fast-check is a development dependency of the workspace root, where the tests run.
// eslint-disable-next-line import/no-extraneous-dependencies
import * as fc from 'fast-check';
import { huntInDuckDb } from '../src/commands/hunt/duckdb-run';
import { translateRegex } from '../src/commands/hunt/regex';
import { emptyReport } from '../src/report/report';
// The printed, reproducible seed of every property below (FC_SEED; docs/testing.md).
import '../../../test/support/seed';

// DuckDB's answer equals the engine's on random patterns over random events: every field shape (strings,
// numbers, booleans, null, arrays, objects, missing), every operator, globs, regexes, selector wildcards,
// NOT EXISTS and IS NULL.

const STRINGS = ['', 'x', 'Yes', 'YES', 'a b', 'say "hi"', 'back\\slash', 'a*b', '*', 'AccessDenied', 'AccessDeniedX', '€uro', 'ab', 'line\nbreak', 'it\'s', '😀x', '400'];
const NUMBERS = [-5, -0.5, 0, 1, 2, 1.5, 400, 1e21, 1e-7, 9007199254740993];
const scalar = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.string({ maxLength: 5, unit: 'grapheme' }) },
);
const value = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('d', 'z'), scalar, { maxKeys: 2 }) },
);
const event = fc.record({
  'a': value,
  'b': value,
  'c': fc.oneof(fc.record({ d: value, z: value }, { requiredKeys: [] }), scalar, fc.array(value, { maxLength: 2 })),
  'e': fc.oneof(fc.array(value, { maxLength: 3 }), scalar, fc.dictionary(fc.constantFrom('d', '0'), value, { maxKeys: 2 })),
  'k.y': value,
}, { requiredKeys: [] });

const SELECTORS = ['$.a', '$.b', '$.c.d', '$.c.z', '$.e[0]', '$.e[1]', '$.e[*]', '$.c.*', '$.e.*', '$.c[*].d', '$[\'k.y\']', '$.e.d', '$.e[0].d'];
const GLOBS = [...STRINGS.filter(s => !s.includes('\n')), '**', 'a*b*', '*a*b', 'Denied*', '*Access', 'b*', '*a', 'Yes*', '*Yes', '*x', 'x*'];
// Regexes inside the subset that translates exactly (others are refused, tested in hunt-sql.test.ts).
const REGEXES = ['^x', 'b$', 'a.*b', '[AY]', 'Denied', '^$', '^[0-9]+$', 'e\\s', '\\d', '^.+$', 'Yes|YES', 'a\\*b', '\\w{3}', '^[^a]*$'];
const NUMBER_TEXT = ['0', '1', '-5', '1.5', '400', '4e2', '1e21', '-0.5', '1e-7', '9007199254740993', '+2'];

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const condition = fc.oneof(
  fc.tuple(fc.constantFrom(...SELECTORS), fc.constantFrom('=', '!='), fc.constantFrom(...GLOBS)).map(([s, op, v]) => `${s} ${op} ${quote(v)}`),
  fc.tuple(fc.constantFrom(...SELECTORS), fc.constantFrom('=', '!=', '<', '<=', '>', '>='), fc.constantFrom(...NUMBER_TEXT)).map(([s, op, n]) => `${s} ${op} ${n}`),
  fc.tuple(fc.constantFrom(...SELECTORS), fc.constantFrom('=', '!='), fc.constantFrom(...REGEXES)).map(([s, op, r]) => `${s} ${op} %${r}%`),
  fc.tuple(fc.constantFrom(...SELECTORS), fc.constantFrom('IS NULL', 'IS TRUE', 'IS FALSE', 'NOT EXISTS')).map(([s, t]) => `${s} ${t}`),
  fc.constantFrom('$.a = Yes', '$.b != x', '$.a = *', '$.b != *'),
);
const expression: fc.Arbitrary<string> = fc.letrec<{ node: string }>(tie => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    fc.tuple(fc.array(tie('node'), { minLength: 2, maxLength: 3 }), fc.constantFrom(' && ', ' || ')).map(([parts, op]) => `(${parts.join(op)})`),
  ),
})).node;
const pattern = expression.map(e => `{ ${e} }`);

/**
 * A pattern with an event it matches and one it does not, made so on purpose (non-vacuity by construction): one
 * comparison on one path; `hit` holds the compared value there, `miss` a different value of the same type.
 */
const WITNESS_PATHS: Array<[string, (v: unknown) => object]> = [
  ['$.a', v => ({ a: v })], ['$.c.d', v => ({ c: { d: v } })], ['$.e[0]', v => ({ e: [v] })], ['$[\'k.y\']', v => ({ 'k.y': v })],
];
const witness = fc.tuple(fc.constantFrom(...WITNESS_PATHS), fc.oneof(
  fc.constantFrom('Yes', 'AccessDenied', 'x', 'a b', '€uro').map(v => ({ text: quote(v), hit: v as unknown, miss: `${v}Z` as unknown })),
  fc.constantFrom(400, 1.5, -5, 0).map(v => ({ text: String(v), hit: v as unknown, miss: (v + 1) as unknown })),
)).map(([[selector, at], v]) => ({ pattern: `{ ${selector} = ${v.text} }`, hit: at(v.hit), miss: at(v.miss) }));

let dir: string;
let files = 0;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hunt-prop-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The file layouts replay reads (RecordSplitter), each plain or gzipped: hunt must read them all alike. */
const LAYOUTS = ['records', 'lines', 'array', 'objects'] as const;
type Layout = typeof LAYOUTS[number];
const layout = fc.tuple(fc.constantFrom(...LAYOUTS), fc.boolean());

function layoutText(records: object[], kind: Layout): string {
  switch (kind) {
    case 'records': return JSON.stringify({ Records: records });
    case 'lines': return records.map(r => JSON.stringify(r)).join('\n');
    case 'array': return JSON.stringify(records, null, 1);
    case 'objects': return records.map(r => JSON.stringify(r, null, 2)).join('');
  }
}

/** The eventIDs each pattern matches, evaluated by DuckDB through hunt's query over a file in the given layout. */
async function duckMatches(patterns: string[], events: object[], [kind, gzip]: [Layout, boolean] = ['records', false]): Promise<string[][]> {
  const file = path.join(dir, `records-${++files}.json`); // its own file: a timed-out run cannot overwrite the next one's
  const records = events.map((e, i) => ({ ...e, eventID: `e${i}`, eventTime: '2024-03-01T00:00:00Z' }));
  const text = layoutText(records, kind);
  fs.writeFileSync(file, gzip ? zlib.gzipSync(text) : text);
  const report = emptyReport('duckdb', CisPatternSet.RECOMMENDED, false, {});
  report.controls.splice(0, report.controls.length, ...patterns.map((p, i) => ({
    ...report.controls[0], key: `P${i}`, pattern: p, byDay: new Map(), byAccountRegion: new Map(), samples: [],
  })));
  const problems: string[] = [];
  await huntInDuckDb(report, [{ path: file, size: 1 }], {}, 1000, (_p, error) => problems.push(error));
  expect(problems).toEqual([]);
  expect(report.refused).toEqual([]);
  expect(report.events).toBe(events.length);
  return patterns.map((_, i) => [...report.controls[i].samples].sort());
}

function engineMatches(patterns: string[], events: object[]): string[][] {
  return patterns.map(p => {
    const parsed = LogFilterPattern.parse(p);
    return events.map((e, i) => parsed.matches({ ...e, eventID: `e${i}`, eventTime: '2024-03-01T00:00:00Z' }) ? `e${i}` : undefined)
      .filter((x): x is string => x !== undefined).sort();
  });
}

describe('hunt on DuckDB means what the engine means', () => {
  test('the regexes used below all translate (so the property exercises regex terms)', () => {
    for (const r of REGEXES) expect(() => translateRegex(parseRegex(r), 're2')).not.toThrow();
  });

  test('random patterns over random events: the same events match', async () => {
    const inputs = [fc.array(pattern, { minLength: 4, maxLength: 4 }), fc.array(event, { minLength: 1, maxLength: 25 }), layout, witness] as const;
    await fc.assert(fc.asyncProperty(...inputs, async (random, randomEvents, how, w) => {
      // The random patterns and events, plus a pattern with an event it matches and one it does not.
      const patterns = [...random, w.pattern];
      const events = [...randomEvents, w.hit, w.miss];
      const expected = engineMatches(patterns, events);
      const [hit, miss] = [`e${events.length - 2}`, `e${events.length - 1}`];
      expect([expected[4].includes(hit), expected[4].includes(miss)]).toEqual([true, false]);
      expect(await duckMatches(patterns, events, how)).toEqual(expected);
    }), { numRuns: 100 });
  }, 300_000); // 100 DuckDB queries: about 20 s alone, over a minute on a loaded machine

  test('every layout, plain and gzipped: a matching and a non-matching event of each witness pattern', async () => {
    const witnesses = fc.sample(witness, 12);
    const patterns = witnesses.map(w => w.pattern);
    const events = witnesses.flatMap(w => [w.hit, w.miss]);
    const expected = engineMatches(patterns, events);
    expect(witnesses.map((_, i) => [expected[i].includes(`e${2 * i}`), expected[i].includes(`e${2 * i + 1}`)]))
      .toEqual(witnesses.map(() => [true, false]));
    for (const kind of LAYOUTS) {
      for (const gzip of [false, true]) expect(await duckMatches(patterns, events, [kind, gzip])).toEqual(expected);
    }
  });
});
