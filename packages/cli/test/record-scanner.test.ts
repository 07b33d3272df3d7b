import { LogFilterPattern, TextScreen } from 'cdk-cis-log-monitoring/lib/cli-support';
// The CLI's tests may use the repository's devDependencies.
// eslint-disable-next-line import/no-extraneous-dependencies
import * as fc from 'fast-check';
import { event, pattern, screenWitness, writeJson, writing } from '../../../test/support/screen-arbitraries';
import { RecordScanner } from '../src/input/record-scanner';
import { RecordSplitter } from '../src/input/record-splitter';
// The printed, reproducible seed of every property below (FC_SEED; docs/testing.md).
import '../../../test/support/seed';

const ROOT = '{ $.userIdentity.type = "Root" }';
const MB = 1024 * 1024;
/** Bytes that structure JSON, and bytes that are not UTF-8 on their own. */
const SPECIAL_BYTES = [0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x80, 0xc3, 0xff];

interface Split {
  readonly records: Array<{ json: string; mayMatch: boolean }>;
  readonly nonObjects: number;
  readonly error?: string;
}

/** Splits bytes fed in chunks of the given sizes (cycled), with the scanner of `patterns` or without one. */
function splitBytes(bytes: Buffer, sizes: number[], patterns?: string[]): Split {
  let scanner: RecordScanner | undefined;
  if (patterns !== undefined) {
    const tables = TextScreen.forPatterns(patterns).tables();
    scanner = tables && RecordScanner.create(tables);
  }
  const splitter = new RecordSplitter(undefined, scanner);
  const records: Array<{ json: string; mayMatch: boolean }> = [];
  const onRecord = (json: string, mayMatch: boolean) => records.push({ json, mayMatch });
  try {
    for (let at = 0, k = 0; at < bytes.length; k++) {
      const size = sizes[k % sizes.length];
      splitter.pushBytes(bytes.subarray(at, at + size), onRecord);
      at += size;
    }
    splitter.end(onRecord);
  } catch (e) {
    return { records, nonObjects: splitter.nonObjectValues, error: (e as Error).message };
  }
  return { records, nonObjects: splitter.nonObjectValues };
}

/**
 * The screening contract on bytes: the same records, non-objects and errors as without the scanner; a record handed
 * over without its text (mayMatch false) is a JSON object that no pattern matches, once decoded as UTF-8.
 */
function expectSound(bytes: Buffer, sizes: number[], patterns: string[]): number {
  const plain = splitBytes(bytes, [MB]);
  const screened = splitBytes(bytes, sizes, patterns);
  expect(screened.error).toEqual(plain.error);
  expect(screened.nonObjects).toBe(plain.nonObjects);
  expect(screened.records.length).toBe(plain.records.length);
  const compiled = patterns.map(p => LogFilterPattern.parse(p));
  let screenedOut = 0;
  screened.records.forEach(({ json, mayMatch }, k) => {
    if (mayMatch) {
      expect(json).toBe(plain.records[k].json);
      return;
    }
    screenedOut++;
    expect(json).toBe('');
    const parsed = JSON.parse(plain.records[k].json); // throws (fails the test) when a record left unparsed is not JSON
    expect(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)).toBe(true);
    for (const p of compiled) expect(p.matches(parsed)).toBe(false);
  });
  return screenedOut;
}

describe('the record scanner (WebAssembly) on raw bytes', () => {
  test('is built (npm test compiles it first): without it nothing below would screen', () => {
    expect(RecordScanner.create(TextScreen.forPatterns([ROOT]).tables()!)).toBeDefined();
  });

  test('frames and screens a Records array; records it cannot frame are parsed, never dropped', () => {
    const records = [
      '{"userIdentity":{"type":"IAMUser"},"eventName":"GetObject"}',
      '{"userIdentity":{"type":"Root"},"eventName":"GetObject"}',
      '{"userIdentity":{"type":"Ro\\u006ft"}}', // \u may spell anything: parsed
      '{"userIdentity":{"type":"Ro\\/ot"}}', // an escaped value: may match, parsed
      `{"deep":${'['.repeat(600)}${']'.repeat(600)}}`, // deeper than the scanner follows: parsed
      '{"userIdentity":{"type":"Root"},"x":tru}', // invalid JSON: parsed (and reported invalid by the replay)
      '{"a":1e5,"b":-0.5E-3,"c":[true,false,null,{}],"d":"\\"\\\\\\b\\f\\n\\r\\t"}',
    ];
    const text = Buffer.from(`{"Records":[${records.join(',')}]}`);
    const out = splitBytes(text, [MB], [ROOT]).records;
    expect(out.map(r => r.mayMatch)).toEqual([false, true, true, true, true, true, false]);
    expect(out[1].json).toBe(records[1]);
    expect(expectSound(text, [MB], [ROOT])).toBe(2);
  });

  test('multi-byte terms and values compare as UTF-8; invalid UTF-8 in a record decodes as it would without the scanner', () => {
    const patterns = ['{ $.userName = "José" }', '{ $.note = "*😀" }'];
    const record = (userName: Buffer | string, note = 'x') => Buffer.concat([
      Buffer.from('{"userName":"'), Buffer.from(userName), Buffer.from(`","note":${JSON.stringify(note)}}`),
    ]);
    const bytes = Buffer.concat([
      Buffer.from('{"Records":['),
      record('José'), Buffer.from(','),
      record('Jose'), Buffer.from(','),
      record(Buffer.from([0x4a, 0x6f, 0x73, 0xc3])), Buffer.from(','), // a truncated é: "Jos\ufffd"
      record(Buffer.from([0x4a, 0x6f, 0x73, 0xff, 0xc3, 0xa9])), Buffer.from(','), // "Jos\ufffdé"
      record('x', 'a 😀'), Buffer.from(','),
      Buffer.from('{"userName":"\xe9"}', 'latin1'), // a lone byte 0xe9 before the quote: "\ufffd"
      Buffer.from(']}'),
    ]);
    const out = splitBytes(bytes, [MB], patterns).records;
    expect(out.map(r => r.mayMatch)).toEqual([true, false, false, false, true, false]);
    expect(JSON.parse(out[0].json).userName).toBe('José');
    expect(expectSound(bytes, [MB], patterns)).toBe(4);
    // In small chunks the records cross chunks and take the general path (parsed), with the same texts.
    for (const sizes of [[1], [3, 7], [16, 5]]) expectSound(bytes, sizes, patterns);
  });

  test('a term the scanner cannot compare as bytes (U+FFFD, which invalid bytes also decode to) turns screening off', () => {
    const tables = TextScreen.forPatterns(['{ $.userName = "Jos\ufffd" }']).tables()!;
    expect(tables).toBeDefined();
    expect(RecordScanner.create(tables)).toBeUndefined();
  });

  test('a byte order mark is skipped, also when it arrives in pieces', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"Records":[{"userIdentity":{"type":"Root"}}]}')]);
    for (const sizes of [[1], [2, 5], [MB]]) {
      expect(splitBytes(bytes, sizes, [ROOT]).records.map(r => r.mayMatch)).toEqual([true]);
    }
  });

  describe('the screening rules on the text of one record', () => {
    const ROOT_MEMBER = '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';
    const mayMatch = (json: string, p = ROOT_MEMBER) => splitBytes(Buffer.from(json), [MB], [p]).records.map(r => r.mayMatch)[0];

    test('screens out a record no pattern can match (the point of it)', () => {
      expect(mayMatch('{"userIdentity":{"type":"IAMUser"},"eventType":"AwsApiCall"}')).toBe(false);
      expect(mayMatch('{"eventName":"Root","userIdentity":{"type":"IAMUser"}}')).toBe(false); // Root, but not the member
    });

    test('keeps a record that may match: key order, whitespace, nesting', () => {
      expect(mayMatch('{"eventType":"AwsApiCall","userIdentity":{"type":"Root"}}')).toBe(true);
      expect(mayMatch('{ "userIdentity" : { "arn" : "x" ,\n\t"type"\r\n :\t "Root" } }')).toBe(true);
      expect(mayMatch('{"resources":[{"type":"Root"}],"userIdentity":{"type":"IAMUser"}}')).toBe(true); // any member named type
    });

    test('JSON escapes: \\u anywhere, or any escape in the value, means parse', () => {
      expect(mayMatch('{"userIdentity":{"type":"\\u0052oot"}}')).toBe(true);
      expect(mayMatch('{"userIdentity":{"typ\\u0065":"Root"}}')).toBe(true);
      expect(mayMatch('{"userIdentity":{"type":"Ro\\/ot"}}')).toBe(true);
      // ...because the engine reads \u0052oot as Root:
      expect(LogFilterPattern.parse('{ $.userIdentity.type = "Root" }').matchesJson('{"userIdentity":{"type":"\\u0052oot"}}')).toBe(true);
    });

    test('case-sensitive, as the engine is', () => {
      expect(mayMatch('{"userIdentity":{"type":"root"}}')).toBe(false);
      expect(LogFilterPattern.parse('{ $.userIdentity.type = "Root" }').matchesJson('{"userIdentity":{"type":"root"}}')).toBe(false);
    });

    test('a non-string value is not a hit for a string comparison', () => {
      expect(mayMatch('{"code":400}', '{ $.code = "400" }')).toBe(false);
      expect(mayMatch('{"code":"400"}', '{ $.code = "400" }')).toBe(true);
    });
  });

  test('property: random bytes corrupted anywhere (invalid UTF-8, control bytes, structure), random chunks, Records or JSON lines: sound', () => {
    fc.assert(fc.property(
      fc.array(pattern, { minLength: 1, maxLength: 3 }),
      fc.array(fc.tuple(event, writing), { minLength: 1, maxLength: 6 }),
      fc.array(fc.tuple(fc.nat(), fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...SPECIAL_BYTES))), { maxLength: 3 }),
      fc.array(fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(MB)), { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      screenWitness,
      (patterns, events, mutations, sizes, lines, witness) => {
        const texts = events.map(([e, w]) => writeJson(e, w));
        const bytes = Buffer.from(lines ? texts.join('\n') : `{"Records":[${texts.join(',')}]}`);
        const from = lines ? 0 : 12; // the wrapper's bytes stay intact (corrupting them is the general path's business)
        for (const [at, byte] of mutations) bytes[from + (at % Math.max(1, bytes.length - from - 2))] = byte;
        expectSound(bytes, sizes, patterns);
        // Not vacuous, by construction: of a record the pattern matches and one it cannot, read in one chunk (a
        // record across chunks is parsed, not screened), exactly the second is screened out.
        const [, w] = events[0];
        const pair = [writeJson(witness.hit, w), writeJson(witness.miss, { ...w, escapes: 0 })];
        const witnessBytes = Buffer.from(lines ? pair.join('\n') : `{"Records":[${pair.join(',')}]}`);
        expect(splitBytes(witnessBytes, [MB], [witness.pattern]).records.map(r => r.mayMatch)).toEqual([true, false]);
        expect(expectSound(witnessBytes, [MB], [witness.pattern])).toBe(1);
      }), { numRuns: 1500 });
  });
});
