// A generated CloudTrail corpus for the replay benchmark: S3-style files (`{"Records":[...]}`, minified, as CloudTrail
// delivers them) written twice, gzipped (.json.gz, as in S3) and plain (.json), in parts of equal size and equal
// file-size mix, so that memory can be compared between 1, 2 and 4 parts. Deterministic (seeded), and reused when
// a corpus with the same parameters (variant included) already exists.
//
// Content: a share of copies of the CIS fixture records (every control matches some), the rest everyday management
// events of many kinds (bench/events.ts: 36 service families, several identity types, errors, writes with responses),
// with 'flat' or 'nested' (deep, as real ones are) requestParameters and responseElements.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { CisPatternSet, LogFilterPattern } from '../src';
import { ACCOUNT, everydayRecord, REGION, uuid, Variant } from './events';
import { loadFixtureRecords } from '../test/fixtures/cloudtrail/load';

export { Variant } from './events';

const GENERATOR_VERSION = 3;

/** Uncompressed sizes of one part's files, in MB (128 MB per part). Largest first, so every part has the largest file. */
export const PART_FILE_MB = [20, 2, 12, 6, 17, 1, 9, 14, 4, 19, 8, 16];

export type CorpusForm = 'gz' | 'json';

export interface CorpusManifest {
  readonly version: number;
  readonly root: string;
  /** 'flat' or 'nested' requestParameters/responseElements in the everyday events. */
  readonly variant: Variant;
  readonly parts: number;
  readonly partBytes: number;
  /** Uncompressed JSON bytes of every part (identical in both forms). */
  readonly bytesPerPart: number[];
  readonly gzBytesPerPart: number[];
  readonly recordsPerPart: number[];
  readonly filesPerPart: number;
  /** Expected matches per control key (RECOMMENDED set) per part, from LogFilterPattern at generation time. */
  readonly expectedPerPart: Record<string, number>[];
  readonly distinctEventNames: number;
  readonly distinctEventSources: number;
  /** Records that match at least one control, per part (fixture copies and everyday events such as AccessDenied errors). */
  readonly matchingRecordsPerPart: number[];
  /** Records copied from the CIS fixtures, per part. */
  readonly fixtureRecordsPerPart: number[];
  /** Mean and largest nesting depth of requestParameters (an object or array in it is one level more; a scalar member is depth 1). */
  readonly requestParametersDepth: { mean: number; max: number };
}

/** Directory of one part of one form. */
export function partDir(manifest: CorpusManifest, form: CorpusForm, part: number): string {
  return path.join(manifest.root, form, `part-${part + 1}`);
}

/** Park-Miller minimal standard PRNG (exact in doubles), so that every run generates the same corpus. */
function prng(seed: number): () => number {
  let state = seed % 2147483647;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/**
 * Sets the fields no pattern reads (ids, time). Fixture copies also get the fields real records carry and the fixtures
 * leave out (tlsDetails, resources), as everyday events have them.
 */
function finish(record: any, r: () => number, time: Date, fixture: boolean): string {
  record.eventTime = time.toISOString().replace(/\.\d{3}Z$/, 'Z');
  record.eventID = uuid(r);
  record.requestID = uuid(r);
  if (fixture) {
    record.tlsDetails ??= { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${record.eventSource}` };
    record.resources ??= [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${ACCOUNT}:role/workload-${Math.floor(r() * 100)}` }];
  }
  return JSON.stringify(record);
}

/** Nesting depth of a JSON value: 0 for a scalar, 1 + the deepest member for an object or array. */
function depth(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const member of Object.values(value as object)) deepest = Math.max(deepest, depth(member));
  return 1 + deepest;
}

export interface CorpusOptions {
  readonly root: string;
  /** Uncompressed sizes of the files of one part, in MB. */
  readonly fileMb: number[];
  readonly parts: number;
  /** Share of records taken from the CIS fixtures (every control matches some); the rest is everyday noise. */
  readonly fixtureShare?: number;
  /** 'flat' (default) or 'nested' requestParameters/responseElements in the everyday events. */
  readonly variant?: Variant;
}

/** Generates (or reuses) the corpus and returns its manifest. */
export function ensureCorpus(options: CorpusOptions, log: (line: string) => void): CorpusManifest {
  const parts = options.parts;
  const partBytes = options.fileMb.reduce((a, b) => a + b, 0) * 1e6;
  const fixtureShare = options.fixtureShare ?? 0.15;
  const variant = options.variant ?? 'flat';
  const manifestFile = path.join(options.root, 'manifest.json');
  const key = JSON.stringify({ version: GENERATOR_VERSION, variant, parts, fileMb: options.fileMb, fixtureShare });
  if (fs.existsSync(manifestFile)) {
    const existing = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    if (existing.key === key) {
      log(`corpus: reusing ${options.root}`);
      return existing.manifest as CorpusManifest;
    }
  }
  fs.rmSync(options.root, { recursive: true, force: true });
  const started = Date.now();

  const fixtures = loadFixtureRecords();
  const set = CisPatternSet.RECOMMENDED;
  const patterns = set.controls().map((c) => ({ key: c.key, pattern: LogFilterPattern.parse(c.patternFor(set)) }));
  const r = prng(20240301);
  const eventNames = new Set<string>();
  const eventSources = new Set<string>();
  const matchingRecordsPerPart: number[] = [];
  const fixtureRecordsPerPart: number[] = [];
  let depthSum = 0;
  let depthMax = 0;
  let depthCount = 0;
  const bytesPerPart: number[] = [];
  const gzBytesPerPart: number[] = [];
  const recordsPerPart: number[] = [];
  const expectedPerPart: Record<string, number>[] = [];
  let clock = Date.parse('2024-03-01T00:00:00Z');
  let fixtureIndex = 0;

  for (let part = 0; part < parts; part++) {
    const expected: Record<string, number> = Object.fromEntries(patterns.map((p) => [p.key, 0]));
    let bytesOfPart = 0;
    let partGzBytes = 0;
    let partRecords = 0;
    let partMatching = 0;
    let partFixtures = 0;
    for (const fileMb of options.fileMb) {
      const target = Math.max(4096, Math.round(fileMb * 1e6));
      const records: string[] = [];
      let size = '{"Records":[]}'.length;
      const fileTime = new Date(clock);
      while (size < target) {
        const fixture = r() < fixtureShare;
        const record = fixture ? structuredClone(fixtures[fixtureIndex++ % fixtures.length]) : everydayRecord(r, variant);
        clock += 1 + Math.floor(r() * 400);
        const json = finish(record, r, new Date(clock), fixture);
        // Expected counts from the record as the replay reads it: its JSON text, parsed.
        const parsed = JSON.parse(json);
        let matching = false;
        for (const p of patterns) {
          if (p.pattern.matches(parsed)) {
            expected[p.key]++;
            matching = true;
          }
        }
        if (matching) partMatching++;
        if (fixture) partFixtures++;
        eventNames.add(parsed.eventName);
        eventSources.add(parsed.eventSource);
        if (!fixture) {
          const d = depth(parsed.requestParameters);
          depthSum += d;
          depthMax = Math.max(depthMax, d);
          depthCount++;
        }
        records.push(json);
        size += json.length + 1;
      }
      const text = `{"Records":[${records.join(',')}]}`;
      const stamp = fileTime.toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
      const day = fileTime.toISOString().slice(0, 10).replace(/-/g, '/');
      const name = `${ACCOUNT}_CloudTrail_${REGION}_${stamp}_${uuid(r).slice(0, 16).replace(/-/g, '')}.json`;
      const gz = zlib.gzipSync(text);
      for (const [form, body, suffix] of [['json', text, ''], ['gz', gz, '.gz']] as const) {
        const dir = path.join(options.root, form, `part-${part + 1}`, 'AWSLogs', ACCOUNT, 'CloudTrail', REGION, day);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, name + suffix), body);
      }
      bytesOfPart += Buffer.byteLength(text);
      partGzBytes += gz.length;
      partRecords += records.length;
    }
    bytesPerPart.push(bytesOfPart);
    gzBytesPerPart.push(partGzBytes);
    recordsPerPart.push(partRecords);
    expectedPerPart.push(expected);
    matchingRecordsPerPart.push(partMatching);
    fixtureRecordsPerPart.push(partFixtures);
    log(`corpus (${variant}): part ${part + 1}/${parts}: ${(bytesOfPart / 1e6).toFixed(1)} MB, ${partRecords} records`);
  }

  const manifest: CorpusManifest = {
    version: GENERATOR_VERSION,
    root: options.root,
    variant,
    parts,
    partBytes,
    bytesPerPart,
    gzBytesPerPart,
    recordsPerPart,
    filesPerPart: options.fileMb.length,
    expectedPerPart,
    distinctEventNames: eventNames.size,
    distinctEventSources: eventSources.size,
    matchingRecordsPerPart,
    fixtureRecordsPerPart,
    requestParametersDepth: { mean: depthCount ? depthSum / depthCount : 0, max: depthMax },
  };
  fs.writeFileSync(manifestFile, JSON.stringify({ key, manifest }, null, 1));
  log(`corpus (${variant}): generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return manifest;
}

/** Sums per-part values over the first n parts. */
export function firstParts(values: number[], n: number): number {
  return values.slice(0, n).reduce((a, b) => a + b, 0);
}

/** Expected matches per control over the first n parts. */
export function expectedMatches(manifest: CorpusManifest, n: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const expected of manifest.expectedPerPart.slice(0, n)) {
    for (const [key, count] of Object.entries(expected)) out[key] = (out[key] ?? 0) + count;
  }
  return out;
}
