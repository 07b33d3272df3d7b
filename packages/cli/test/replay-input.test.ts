import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PassThrough, Readable } from 'stream';
import * as zlib from 'zlib';
import { runCli } from './support/run-cli';
import { transpileForChildProcess } from '../../../test/support/transpile';
import { listInputFiles, streamRecords } from '../src/input/files';
import { exitQuietlyOnBrokenPipe } from '../src/main';

const run = (argv: string[], stdin?: NodeJS.ReadableStream) => runCli(argv, { stdin });

const event = (id: string) => ({ eventID: id, eventTime: '2024-03-01T10:00:00Z', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging' });
const CLOUDTRAIL_CONFIG = 'CLOUDTRAIL_CONFIG_CHANGES';
const matchesOf = (report: any, key = CLOUDTRAIL_CONFIG) => report.controls.find((c: any) => c.key === key).matches;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-input-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(rel: string, content: string | Buffer): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

describe('each file is read once', () => {
  test('a symlink loop is not followed: one record counts once (not 41 times)', async () => {
    write('trail/a.json', JSON.stringify({ Records: [event('a')] }));
    fs.symlinkSync('.', path.join(dir, 'trail', 'loop'));
    fs.symlinkSync('..', path.join(dir, 'trail', 'up'));
    const result = await run(['replay', path.join(dir, 'trail'), '--json']);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ files: 1, filesRead: 1, events: 1, problems: [] });
    expect(matchesOf(report)).toBe(1);
    expect(result.code).toBe(0);
    expect(report.skipped).toEqual(expect.arrayContaining([
      { path: path.join(dir, 'trail', 'loop'), reason: `symlink loop: the same directory as ${path.join(dir, 'trail')}` },
    ]));
    expect(result.stderr).toContain(`replay: ${path.join(dir, 'trail', 'loop')}: skipped, symlink loop`);
  });

  test('a file given twice counts once', async () => {
    const file = write('a.json', JSON.stringify({ Records: [event('a'), event('b')] }));
    const report = JSON.parse((await run(['replay', file, file, '--json'])).stdout);
    expect(report).toMatchObject({ files: 1, filesRead: 1, events: 2 });
    expect(report.skipped).toEqual([{ path: file, reason: `already read as ${file}` }]);
  });

  test('a directory and a file inside it, or the same file by two names, count once', async () => {
    const inner = write('trail/x/a.json', JSON.stringify({ Records: [event('a')] }));
    write('trail/b.json.gz', zlib.gzipSync(JSON.stringify({ Records: [event('b')] })));
    fs.symlinkSync('x/a.json', path.join(dir, 'trail', 'link-to-a.json'));
    fs.linkSync(inner, path.join(dir, 'trail', 'hard-link-to-a.json'));
    fs.symlinkSync(path.join(dir, 'trail', 'x'), path.join(dir, 'x-again'));
    const result = await run(['replay', inner, path.join(dir, 'trail'), path.join(dir, 'x-again'), `${path.join(dir, 'trail')}/./x/../x/a.json`, '--json']);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ files: 2, filesRead: 2, events: 2, problems: [] });
    expect(matchesOf(report)).toBe(2);
    expect(result.code).toBe(0);
  });

  test('a symlink to a file outside the walked directory is read (once)', async () => {
    const outside = write('elsewhere/e.json', JSON.stringify({ Records: [event('e')] }));
    write('trail/a.json', JSON.stringify({ Records: [event('a')] }));
    fs.symlinkSync(outside, path.join(dir, 'trail', 'e.json'));
    const report = JSON.parse((await run(['replay', path.join(dir, 'trail'), '--json'])).stdout);
    expect(report).toMatchObject({ files: 2, events: 2 });
  });
});

describe('every entry of Records is counted', () => {
  test('non-object entries in Records are invalid records: counted, reported, exit 2', async () => {
    const file = write('mixed.json', `{"Records":[${JSON.stringify(event('a'))}, 1, "x", null, [], true, -2.5e3, [${JSON.stringify(event('nested'))}], ${JSON.stringify(event('b'))}]}`);
    const result = await run(['replay', file, '--json']);
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ events: 2, invalidRecords: 7 });
    expect(matchesOf(report)).toBe(2);
    expect(report.problems).toEqual([{ path: file, error: '7 record(s) are not valid JSON objects' }]);
    expect(result.stderr).toContain(`${file}: 7 record(s) are not valid JSON objects`);
  });

  test('non-object elements of a top-level array are invalid records too', async () => {
    const file = write('array.json', `[${JSON.stringify(event('a'))},"s",3]`);
    const result = await run(['replay', file, '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ events: 1, invalidRecords: 2 });
  });

  test('an empty Records array is a file read completely, with no events', async () => {
    const file = write('empty.json', '{"Records":[]}');
    const result = await run(['replay', file, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ files: 1, filesRead: 1, events: 0, invalidRecords: 0 });
  });
});

describe('no input is an error, not fifteen "0 matches"', () => {
  test('a directory without CloudTrail files: exit 2 with a message and no report', async () => {
    write('trail/notes.txt', 'not a log file');
    write('trail/CloudTrail-Digest/d.json.gz', zlib.gzipSync('{}'));
    const result = await run(['replay', path.join(dir, 'trail')]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`replay: no CloudTrail file found under ${path.join(dir, 'trail')}\n`);
    const json = await run(['replay', path.join(dir, 'trail'), path.join(dir, 'nothing-here'), '--json']);
    expect(json.code).toBe(2);
    expect(json.stdout).toBe('');
    expect(json.stderr).toContain(`replay: ${path.join(dir, 'nothing-here')}: ENOENT`);
    expect(json.stderr).toContain(`replay: no CloudTrail file found under ${path.join(dir, 'trail')}, ${path.join(dir, 'nothing-here')}\n`);
  });
});

describe('stdin, pipes and special files', () => {
  test('- reads stdin (plain or gzipped), once however often it is given', async () => {
    const text = JSON.stringify({ Records: [event('a'), event('b')] });
    const plain = await run(['replay', '-', '--json'], Readable.from([Buffer.from(text.slice(0, 7)), Buffer.from(text.slice(7))]));
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ files: 1, filesRead: 1, events: 2, bytes: text.length });
    const gz = zlib.gzipSync(text);
    const gzipped = await run(['replay', '-', '-', '--json'], Readable.from([gz.subarray(0, 1), gz.subarray(1)]));
    expect(JSON.parse(gzipped.stdout)).toMatchObject({ files: 1, filesRead: 1, events: 2, bytes: gz.length });
    expect(JSON.parse(gzipped.stdout).problems).toEqual([]);
  });

  test('empty stdin is a source with no events', async () => {
    const result = await run(['replay', '-', '--json'], Readable.from([]));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ files: 1, filesRead: 1, events: 0 });
  });

  test('a FIFO inside a directory is skipped with a message, never waited on', async () => {
    write('trail/a.json', JSON.stringify({ Records: [event('a')] }));
    execFileSync('mkfifo', [path.join(dir, 'trail', 'pipe.json')]);
    const result = await run(['replay', path.join(dir, 'trail'), '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ files: 1, events: 1 });
    expect(report.skipped).toEqual([{ path: path.join(dir, 'trail', 'pipe.json'), reason: 'not a regular file (a FIFO)' }]);
    expect(result.stderr).toBe(`replay: ${path.join(dir, 'trail', 'pipe.json')}: skipped, not a regular file (a FIFO)\n`);
  }, 10_000);

  test('a FIFO named on the command line is read like a pipe (process substitution)', async () => {
    const fifo = path.join(dir, 'named.json');
    execFileSync('mkfifo', [fifo]);
    const writer = fs.promises.writeFile(fifo, JSON.stringify({ Records: [event('a')] }));
    const result = await run(['replay', fifo, '--json']);
    await writer;
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ files: 1, filesRead: 1, events: 1 });
  }, 10_000);

  test('a character device or socket named on the command line is refused with a message, never read forever', async () => {
    const result = await run(['replay', '/dev/zero', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('replay: /dev/zero: skipped, not a regular file (a character device)');
    expect(result.stdout).toBe('');
  }, 10_000);
});

describe('the installed program', () => {
  let out: string;
  beforeAll(() => { out = transpileForChildProcess(); });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  const cli = (args: string[]): ChildProcess => spawn(process.execPath, [path.join(out, 'cli', 'lib', 'main.js'), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const finished = (child: ChildProcess) => new Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }>(resolve => {
    let stderr = '';
    let stdout = '';
    child.stderr!.on('data', d => { stderr += d; });
    child.stdout!.on('data', d => { stdout += d; });
    child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });

  test('`replay -` reads a pipe', async () => {
    const child = cli(['replay', '-', '--json']);
    const done = finished(child);
    const text = JSON.stringify({ Records: [event('a'), event('b'), event('c')] });
    child.stdin!.write(text.slice(0, 10));
    setTimeout(() => child.stdin!.end(text.slice(10)), 200);
    const result = await done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ events: 3 });
  });

  test.each([
    [['catalog']],
    [['catalog', '--json']],
    [['replay', path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'cloudtrail'), '--json']],
    [['--help']],
  ])('%j | (a reader that has gone) exits quietly', async (args) => {
    const child = cli(args);
    const done = finished(child);
    // The reader goes away before the program writes, as `head -1` does after its first line.
    child.stdout!.destroy();
    const result = await done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  test('catalog | head -1 in a shell prints one line, nothing on stderr', () => {
    const output = execFileSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${path.join(out, 'cli', 'lib', 'main.js')}" catalog --json | head -1; echo "exit $?"`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(output).toBe('{\nexit 0\n');
  });
});

describe('write errors on the output', () => {
  const exits = (code: string) => {
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let exit: number | undefined;
    exitQuietlyOnBrokenPipe(stream, ((c: number) => { exit = c; }) as (c: number) => never);
    const written: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((text) => { written.push(String(text)); return true; });
    try {
      stream.emit('error', Object.assign(new Error(`write ${code}`), { code }));
    } finally {
      stderr.mockRestore();
    }
    return { exit, stderr: written.join('') };
  };

  test('EPIPE ends the program quietly with 0; another error with 74 and one line', () => {
    expect(exits('EPIPE')).toEqual({ exit: 0, stderr: '' });
    expect(exits('EIO')).toEqual({ exit: 74, stderr: 'cdk-cis-log-monitoring: cannot write the output: write EIO\n' });
  });
});

describe('small files are read whole, large ones streamed: the same records and errors either way', () => {
  /** Every record and the error of one file, read as listed (small regular files whole) and forced through the stream. */
  async function bothWays(file: string): Promise<Array<{ records: string[]; error?: string }>> {
    const [listed] = (await listInputFiles([file])).files;
    const results: Array<{ records: string[]; error?: string }> = [];
    for (const input of [listed, { ...listed, regular: false }]) {
      const records: string[] = [];
      let error: string | undefined;
      await streamRecords(input, json => records.push(json), () => undefined).catch((e: Error) => { error = e.message; });
      results.push({ records, ...(error !== undefined ? { error } : {}) });
    }
    return results;
  }

  const records = Array.from({ length: 50 }, (_, i) => JSON.stringify(event(`e${i}`)));
  const text = `{"Records":[${records.join(',')}]}`;

  test.each([
    ['small plain JSON', () => Buffer.from(text)],
    ['small gzip', () => zlib.gzipSync(text)],
    ['truncated gzip: the records before the cut, then the error', () => zlib.gzipSync(text).subarray(0, 600)],
    ['not gzip after the magic bytes', () => Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from(text)])],
    ['two gzip members', () => Buffer.concat([zlib.gzipSync(text.slice(0, 500)), zlib.gzipSync(text.slice(500))])],
    ['a byte order mark', () => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
  ])('%s', async (_, bytes) => {
    const file = path.join(dir, 'f.json.gz');
    fs.writeFileSync(file, bytes());
    const [whole, streamed] = await bothWays(file);
    expect(whole).toEqual(streamed);
    expect(whole.records.length > 0 || whole.error !== undefined).toBe(true); // not vacuous: records or an error
  });

  test('a small gzip that inflates past 32 MB is streamed (memory stays bounded): its records still count', async () => {
    const file = path.join(dir, 'bomb.json.gz');
    fs.writeFileSync(file, zlib.gzipSync(`{"Records":[${' '.repeat(40 * 1024 * 1024)}${records[0]}]}`));
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
    const [whole, streamed] = await bothWays(file);
    expect(whole).toEqual(streamed);
    expect(whole.records).toEqual([records[0]]);
  });
});
