import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { CisPatternSet, LogFilterPattern, TextScreen } from 'cdk-cis-log-monitoring/lib/cli-support';
// The CLI's tests may use the repository's devDependencies.
// eslint-disable-next-line import/no-extraneous-dependencies
import * as fc from 'fast-check';
import { syntheticRecord } from './generate-cloudtrail';
import { loadFixtureRecords } from '../../../test/fixtures/cloudtrail/load';
import { event, pattern, screenWitness, writeJson, writing } from '../../../test/support/screen-arbitraries';
import { streamRecords } from '../src/input/files';
import { RecordScanner } from '../src/input/record-scanner';
import { RecordSplitter } from '../src/input/record-splitter';
import { reportToJson, ReplayTally } from '../src/report/report';
// The printed, reproducible seed of every property below (FC_SEED; docs/testing.md).
import '../../../test/support/seed';

/** Splits `text` in chunks of the given sizes (cycled) and returns every record with the splitter's decision. */
function split(text: string, sizes: number[], screen?: TextScreen): Array<{ json: string; mayMatch: boolean }> {
  const tables = screen?.tables();
  const scanner = tables !== undefined ? RecordScanner.create(tables) : undefined;
  if (tables !== undefined && scanner === undefined) throw new Error('the record scanner is not built: npx projen compile:scanner');
  const splitter = new RecordSplitter(undefined, scanner);
  const out: Array<{ json: string; mayMatch: boolean }> = [];
  for (let at = 0, k = 0; at < text.length; k++) {
    const size = sizes[k % sizes.length];
    splitter.push(text.slice(at, at + size), (json, mayMatch) => out.push({ json, mayMatch }));
    at += size;
  }
  splitter.end();
  return out;
}

/** Ways a record's text can be invalid JSON while its braces still balance (the splitter frames it all the same). */
const CORRUPTIONS: Array<(text: string) => string> = [
  t => t.replace(/:(\s*)"/, ':$1tru, "x":"'), // a bad literal
  t => t.replace(/"(\s*)(,|\})/, '"\u0001$1$2').replace(/\u0001/, '\u0001"').replace(/"\u0001"/, '"\u0001'), // raw control character in a string
  t => t.replace(/\}$/, ',}'), // trailing comma
  t => t.replace(/"/, '"\\x'), // an escape JSON does not have
  t => t.replace(/:/, '::'),
  t => t.replace(/\{/, '{1:'), // a number as a member name
];

describe('the splitter\'s screening fast path', () => {
  test('property: same records as without a screen; a record some pattern matches, or invalid JSON, is always passed', () => {
    fc.assert(fc.property(
      fc.array(pattern, { minLength: 1, maxLength: 4 }),
      fc.array(fc.tuple(event, writing, fc.integer({ min: -3, max: CORRUPTIONS.length - 1 })), { minLength: 1, maxLength: 8 }),
      fc.array(fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constant(65536)), { minLength: 1, maxLength: 4 }),
      fc.constantFrom('records', 'array', 'lines'),
      screenWitness,
      (patterns, events, sizes, layout, witness) => {
        const texts = events.map(([e, w, corrupt]) => (corrupt >= 0 ? CORRUPTIONS[corrupt](writeJson(e, w)) : writeJson(e, w)));
        const text = layout === 'records' ? `{"Records":[${texts.join(',')}]}`
          : layout === 'array' ? `[${texts.join(' ,\n')}]` : texts.join('\n');
        const screen = TextScreen.forPatterns(patterns);
        const plain = split(text, [1048576]);
        const screened = split(text, sizes, screen);
        // The same records; those screened out are handed over without their text.
        expect(screened.length).toBe(plain.length);
        screened.forEach((r, k) => expect(r.json).toBe(r.mayMatch ? plain[k].json : ''));
        const compiled = patterns.map(p => LogFilterPattern.parse(p));
        for (const [k, { mayMatch }] of screened.entries()) {
          const json = plain[k].json;
          let parsed: unknown;
          try {
            parsed = JSON.parse(json);
          } catch {
            expect(mayMatch).toBe(true); // parsed, so that replay reports it as invalid
            continue;
          }
          if (compiled.some(p => p.matches(parsed))) expect(mayMatch).toBe(true);
        }
        // Not vacuous, by construction: of a record the pattern matches and one it cannot, in the same layout, read
        // in one chunk (a record across chunks is parsed, not screened), exactly the second is screened out.
        const [, w] = events[0];
        const pair = [writeJson(witness.hit, w), writeJson(witness.miss, { ...w, escapes: 0 })];
        const pairText = layout === 'records' ? `{"Records":[${pair.join(',')}]}`
          : layout === 'array' ? `[${pair.join(' ,\n')}]` : pair.join('\n');
        expect(split(pairText, [1048576], TextScreen.forPatterns([witness.pattern])).map(r => [r.mayMatch, r.json === ''])).toEqual([[true, false], [false, true]]);
      }), { numRuns: 1500 });
  });

  test('records across chunks are parsed (mayMatch true); JSON lines are screened; a top-level wrapper is not a record', () => {
    const screen = TextScreen.forPatterns(['{ $.eventName = "ConsoleLogin" }']);
    const record = '{"eventName":"GetObject"}';
    expect(split(`{"Records":[${record},${record}]}`, [1000], screen).map(r => r.mayMatch)).toEqual([false, false]);
    expect(split(`{"Records":[${record},${record}]}`, [20], screen).map(r => r.mayMatch)).toEqual([true, true]);
    expect(split(`${record}\n${record}\n${record}${record}`, [1000], screen).map(r => r.mayMatch)).toEqual([false, false, false, false]);
    // Top-level objects holding a Records array are files, not records; a Records member that is not an array is a record.
    const login = '{"eventName":"ConsoleLogin"}';
    const lines = `${record}\n{"Records":[${record},${login}]}\n{"Records":"x","eventName":"ConsoleLogin"}\n{"a":{"Records":[1]}}\n`;
    expect(split(lines, [1000], screen)).toEqual([
      { json: '', mayMatch: false },
      { json: '', mayMatch: false },
      { json: login, mayMatch: true },
      { json: '{"Records":"x","eventName":"ConsoleLogin"}', mayMatch: true },
      { json: '', mayMatch: false },
    ]);
  });
});

describe('replay counts with screening equal counts without', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-screen-'));
    const fixtures = loadFixtureRecords();
    fs.writeFileSync(path.join(dir, 'fixtures.json.gz'), zlib.gzipSync(JSON.stringify({ Records: fixtures })));
    fs.writeFileSync(path.join(dir, 'fixtures-array.json'), JSON.stringify(fixtures, null, 1));
    // A generated corpus: synthetic management events with the fixtures mixed in, some written with \u escapes,
    // escaped slashes and whitespace, plus a record that is invalid JSON and one whose value holds a raw control character.
    const records: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const r = JSON.parse(JSON.stringify(i % 10 === 0 ? fixtures[(i / 10) % fixtures.length] : syntheticRecord(i)));
      const w = { space: i % 7 === 0 ? ' ' : '', shuffleSeed: i, escapes: (i % 13 === 0 ? 2 : i % 5 === 0 ? 1 : 0) as 0 | 1 | 2 };
      records.push(writeJson(r, w));
    }
    records.push('{"eventName":"GetObject","x": tru}', '{"eventName":"GetObject","x":"a\u0001b"}');
    fs.writeFileSync(path.join(dir, 'generated.json.gz'), zlib.gzipSync(`{"Records":[${records.join(',')}]}`));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function replayDir(screen: boolean, set: CisPatternSet): Promise<{ report: object; screenedOut: number }> {
    const tally = new ReplayTally(set, false, 5, {}, screen);
    for (const name of fs.readdirSync(dir).sort()) {
      const file = { path: path.join(dir, name), size: fs.statSync(path.join(dir, name)).size };
      await streamRecords(file, (json, mayMatch) => tally.add(json, mayMatch), () => undefined, { screen: tally.screen });
    }
    return { report: { ...reportToJson(tally.report), seconds: 0 }, screenedOut: tally.screenedOut };
  }

  test.each([CisPatternSet.RECOMMENDED, CisPatternSet.CIS_V1_2_0, CisPatternSet.SECURITY_HUB])('%s', async set => {
    const without = await replayDir(false, set);
    const withScreen = await replayDir(true, set);
    expect(withScreen.report).toEqual(without.report);
    expect(without.screenedOut).toBe(0);
    // Not vacuous: most of the generated records were counted without parsing.
    expect(withScreen.screenedOut).toBeGreaterThan(1500);
    // The two invalid records are still reported as invalid.
    expect((withScreen.report as { invalidRecords: number }).invalidRecords).toBe(2);
    expect((withScreen.report as { events: number }).events).toBe(loadFixtureRecords().length * 2 + 3000);
  });
});
