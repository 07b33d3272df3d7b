// A generated CloudTrail corpus for the replay benchmark: S3-style files (`{"Records":[...]}`, minified, as CloudTrail
// delivers them) written twice, gzipped (.json.gz, as in S3) and plain (.json), in parts of equal size and equal
// file-size mix, so that memory can be compared between 1, 2 and 4 parts. Deterministic (seeded), and reused when
// a corpus with the same parameters already exists.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { CisPatternSet, LogFilterPattern } from '../src';
import { loadFixtureRecords } from '../test/fixtures/cloudtrail/load';

const GENERATOR_VERSION = 2;
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';

/** Uncompressed sizes of one part's files, in MB (128 MB per part). Largest first, so every part has the largest file. */
export const PART_FILE_MB = [20, 2, 12, 6, 17, 1, 9, 14, 4, 19, 8, 16];

export type CorpusForm = 'gz' | 'json';

export interface CorpusManifest {
  readonly version: number;
  readonly root: string;
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

/** Read-only and other everyday calls that match no control: most of a real trail. */
const NOISE: Array<{ source: string; names: string[]; params: (r: () => number) => object }> = [
  {
    source: 'ec2.amazonaws.com',
    names: ['DescribeInstances', 'DescribeVolumes', 'DescribeSnapshots', 'DescribeSubnets', 'DescribeRouteTables', 'DescribeInstanceStatus'],
    params: (r) => ({
      instancesSet: { items: Array.from({ length: 1 + Math.floor(r() * 6) }, (_, i) => ({ instanceId: `i-0${(r() * 1e16).toString(16).slice(0, 16)}${i}` })) },
      filterSet: { items: [{ name: 'tag:Environment', valueSet: { items: [{ value: 'production' }] } }] },
      maxResults: 1000,
    }),
  },
  {
    source: 's3.amazonaws.com',
    names: ['GetBucketLocation', 'GetBucketAcl', 'ListBuckets', 'GetBucketVersioning', 'GetBucketEncryption'],
    params: (r) => ({ bucketName: `data-lake-${Math.floor(r() * 500)}`, Host: 's3.us-east-1.amazonaws.com', encryption: '' }),
  },
  {
    source: 'sts.amazonaws.com',
    names: ['AssumeRole', 'GetCallerIdentity'],
    params: (r) => ({
      roleArn: `arn:aws:iam::${ACCOUNT}:role/ci-deploy-${Math.floor(r() * 40)}`,
      roleSessionName: `session-${Math.floor(r() * 1e9)}`,
      durationSeconds: 3600,
    }),
  },
  {
    source: 'kms.amazonaws.com',
    names: ['Decrypt', 'GenerateDataKey', 'Encrypt', 'DescribeKey'],
    params: (r) => ({
      encryptionContext: { 'aws:s3:arn': `arn:aws:s3:::data-lake-${Math.floor(r() * 500)}/raw/2024/03/object-${Math.floor(r() * 1e6)}.parquet` },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      keyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/${uuid(r)}`,
    }),
  },
  {
    source: 'logs.amazonaws.com',
    names: ['DescribeLogGroups', 'DescribeLogStreams', 'GetLogEvents', 'FilterLogEvents'],
    params: (r) => ({ logGroupName: `/aws/lambda/service-${Math.floor(r() * 300)}`, limit: 50, startFromHead: false }),
  },
  {
    source: 'iam.amazonaws.com',
    names: ['GetRole', 'ListRoles', 'GetPolicy', 'ListAttachedRolePolicies', 'GetAccountAuthorizationDetails'],
    params: (r) => ({ roleName: `service-role-${Math.floor(r() * 200)}`, maxItems: 100 }),
  },
  {
    source: 'ssm.amazonaws.com',
    names: ['GetParameter', 'GetParameters', 'DescribeInstanceInformation'],
    params: (r) => ({ name: `/app/config/service-${Math.floor(r() * 300)}/database/url`, withDecryption: true }),
  },
];

const USER_AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79-99.167.amzn2023.x86_64 exe/x86_64.amzn.2023 prompt/off command/ec2.describe-instances',
  'aws-sdk-js/3.540.0 ua/2.0 os/linux#5.10.213-201.855.amzn2.x86_64 lang/js md/nodejs#20.11.1 api/s3#3.540.0',
  'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.210-201.852.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython',
  'console.amazonaws.com',
  'cloudformation.amazonaws.com',
];

function uuid(r: () => number): string {
  const hex = () => Math.floor(r() * 0x10000).toString(16).padStart(4, '0');
  return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-a${hex().slice(1)}-${hex()}${hex()}${hex()}`;
}

function noiseRecord(r: () => number): any {
  const family = NOISE[Math.floor(r() * NOISE.length)];
  const eventName = family.names[Math.floor(r() * family.names.length)];
  const user = `user-${Math.floor(r() * 60)}`;
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROA${Math.floor(r() * 1e12)}:${user}`,
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_PowerUser_0123456789abcdef/${user}`,
      accountId: ACCOUNT,
      accessKeyId: `ASIA${Math.floor(r() * 1e12)}EXAMPLE`,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: `AROA${Math.floor(r() * 1e12)}`,
          arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PowerUser_0123456789abcdef`,
          accountId: ACCOUNT,
          userName: 'AWSReservedSSO_PowerUser_0123456789abcdef',
        },
        webIdFederationData: {},
        attributes: { creationDate: '2024-03-01T07:55:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: '',
    eventSource: family.source,
    eventName,
    awsRegion: REGION,
    sourceIPAddress: `203.0.113.${Math.floor(r() * 255)}`,
    userAgent: USER_AGENTS[Math.floor(r() * USER_AGENTS.length)],
    requestParameters: family.params(r),
    responseElements: null,
    requestID: '',
    eventID: '',
    readOnly: true,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
}

/** Mutates the fields no pattern reads (ids, time) and adds the ones real records carry, to ~1.5 KB per record. */
function finish(record: any, r: () => number, time: Date): string {
  record.eventTime = time.toISOString().replace(/\.\d{3}Z$/, 'Z');
  record.eventID = uuid(r);
  record.requestID = uuid(r);
  record.tlsDetails ??= { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${record.eventSource}` };
  record.resources ??= [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${ACCOUNT}:role/workload-${Math.floor(r() * 100)}` }];
  record.sessionCredentialFromConsole ??= r() < 0.3 ? 'true' : undefined;
  return JSON.stringify(record);
}

export interface CorpusOptions {
  readonly root: string;
  /** Uncompressed sizes of the files of one part, in MB. */
  readonly fileMb: number[];
  readonly parts: number;
  /** Share of records taken from the CIS fixtures (every control matches some); the rest is everyday noise. */
  readonly fixtureShare?: number;
}

/** Generates (or reuses) the corpus and returns its manifest. */
export function ensureCorpus(options: CorpusOptions, log: (line: string) => void): CorpusManifest {
  const parts = options.parts;
  const partBytes = options.fileMb.reduce((a, b) => a + b, 0) * 1e6;
  const fixtureShare = options.fixtureShare ?? 0.15;
  const manifestFile = path.join(options.root, 'manifest.json');
  const key = JSON.stringify({ version: GENERATOR_VERSION, parts, fileMb: options.fileMb, fixtureShare });
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
    for (const fileMb of options.fileMb) {
      const target = Math.max(4096, Math.round(fileMb * 1e6));
      const records: string[] = [];
      let size = '{"Records":[]}'.length;
      const fileTime = new Date(clock);
      while (size < target) {
        const record = r() < fixtureShare ? structuredClone(fixtures[fixtureIndex++ % fixtures.length]) : noiseRecord(r);
        clock += 1 + Math.floor(r() * 400);
        const json = finish(record, r, new Date(clock));
        for (const p of patterns) if (p.pattern.matches(record)) expected[p.key]++;
        eventNames.add(record.eventName);
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
    log(`corpus: part ${part + 1}/${parts}: ${(bytesOfPart / 1e6).toFixed(1)} MB, ${partRecords} records`);
  }

  const manifest: CorpusManifest = {
    version: GENERATOR_VERSION,
    root: options.root,
    parts,
    partBytes,
    bytesPerPart,
    gzBytesPerPart,
    recordsPerPart,
    filesPerPart: options.fileMb.length,
    expectedPerPart,
    distinctEventNames: eventNames.size,
  };
  fs.writeFileSync(manifestFile, JSON.stringify({ key, manifest }, null, 1));
  log(`corpus: generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
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
