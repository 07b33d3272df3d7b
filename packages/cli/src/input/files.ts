import * as fs from 'fs';
import * as path from 'path';
import { pipeline, Readable } from 'stream';
import * as zlib from 'zlib';
import { TextScreen } from 'cdk-cis-log-monitoring/lib/cli-support';
import { RecordScanner } from './record-scanner';
import { OnRecord, RecordSplitter } from './record-splitter';

/** A file to read (or stdin), or a path that could not be listed (reported, not fatal). */
export interface InputFile {
  /** The path as found (named on the command line, or joined under a named directory); `-` for stdin. */
  readonly path: string;
  readonly size: number;
  readonly error?: string;
  /** Read from stdin (`-` on the command line). */
  readonly stdin?: boolean;
  /** A regular file (not a FIFO named on the command line): it may be read whole. */
  readonly regular?: boolean;
}

/** A path that was not read, and why: a file already read under another name, a symlink loop, a FIFO. */
export interface SkippedPath {
  readonly path: string;
  readonly reason: string;
}

export interface InputListing {
  readonly files: InputFile[];
  readonly skipped: SkippedPath[];
}

/** In directories, only files with these endings are read (files named on the command line always are). */
const LOG_FILE_ENDINGS = ['.json', '.json.gz', '.gz', '.jsonl', '.jsonl.gz', '.ndjson', '.ndjson.gz'];

/**
 * Expands files and directories (recursively, in name order) into the files to read, each file once:
 *
 * - A file is identified by its device and inode, so the same file named twice, named and found in a named
 *   directory, or reached through a symbolic or hard link, is read once (the later names are `skipped`).
 * - A directory is walked once; a symbolic link back to a directory being walked (a loop) is not followed.
 * - In directories only log files (LOG_FILE_ENDINGS) are read, and CloudTrail digest files (`CloudTrail-Digest`)
 *   are skipped: they hold hashes, not events. Only regular files are read there: a FIFO, socket or device that
 *   looks like a log file is skipped with a reason, never waited on.
 * - Named on the command line, any regular file is read, and so is a FIFO (a pipe, as `<(zcat x.gz)` gives);
 *   other special files (devices, sockets) are errors. `-` is stdin.
 */
export async function listInputFiles(paths: readonly string[]): Promise<InputListing> {
  const walk = new Walk();
  for (const p of paths) await walk.collect(p, true, new Map());
  return { files: walk.files, skipped: walk.skipped };
}

/** No CloudTrail file was found under the paths given: replay and hunt print this instead of a report of zeros. */
export class NoInputError extends Error {
  constructor(paths: readonly string[]) {
    super(`no CloudTrail file found under ${paths.join(', ')}`);
  }
}

/**
 * The inputs of a command that reads CloudTrail files (replay, hunt), under one contract: lists `paths`
 * (listInputFiles), writes each skipped path to `stderr` (`<command>: <path>: skipped, <reason>`), marks as errors
 * the files `refuse` names a reason for (what the command cannot read, e.g. stdin for hunt), and when no file is
 * left to read, writes each file's error and throws NoInputError. The other errors are left to the command, which
 * reports them in file order.
 */
export async function listCommandInputs(command: string, paths: readonly string[], stderr: NodeJS.WritableStream,
  refuse: (file: InputFile) => string | undefined = () => undefined): Promise<InputListing> {
  const listing = await listInputFiles(paths);
  for (const s of listing.skipped) stderr.write(`${command}: ${s.path}: skipped, ${s.reason}\n`);
  const files = listing.files.map(f => {
    const reason = f.error === undefined ? refuse(f) : undefined;
    return reason === undefined ? f : { ...f, error: reason };
  });
  if (files.every(f => f.error)) {
    for (const f of files) stderr.write(`${command}: ${f.path}: ${f.error}\n`);
    throw new NoInputError(paths);
  }
  return { files, skipped: listing.skipped };
}

class Walk {
  public readonly files: InputFile[] = [];
  public readonly skipped: SkippedPath[] = [];
  /** `dev:ino` of every file and directory taken, with the path it was first taken under. */
  private readonly seen = new Map<string, string>();
  private stdinTaken: string | undefined;

  /** `ancestors`: the directories being walked above `p`, by `dev:ino`. */
  public async collect(p: string, named: boolean, ancestors: ReadonlyMap<string, string>): Promise<void> {
    if (named && p === '-') {
      if (this.stdinTaken) this.skipped.push({ path: p, reason: 'stdin is already read' });
      else this.files.push({ path: p, size: 0, stdin: true });
      this.stdinTaken = p;
      return;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p); // synchronous: per file, a thread-pool round trip costs more than the call
    } catch (e) {
      this.files.push({ path: p, size: 0, error: describeError(e) });
      return;
    }
    const id = `${stat.dev}:${stat.ino}`;
    if (stat.isDirectory()) {
      const loop = ancestors.get(id);
      if (loop !== undefined) {
        this.skipped.push({ path: p, reason: `symlink loop: the same directory as ${loop}` });
        return;
      }
      if (this.taken(p, id)) return;
      let names: string[];
      try {
        names = fs.readdirSync(p).sort();
      } catch (e) {
        this.files.push({ path: p, size: 0, error: describeError(e) });
        return;
      }
      const inside = new Map(ancestors).set(id, p);
      for (const name of names) {
        if (name.startsWith('.') || name === 'CloudTrail-Digest') continue;
        await this.collect(path.join(p, name), false, inside);
      }
      return;
    }
    if (!named && (p.includes('CloudTrail-Digest') || !LOG_FILE_ENDINGS.some(ending => p.endsWith(ending)))) return;
    if (!stat.isFile() && !(named && stat.isFIFO())) {
      const reason = `not a regular file (${kindOf(stat)})`;
      if (named) this.files.push({ path: p, size: 0, error: `skipped, ${reason}` });
      else this.skipped.push({ path: p, reason });
      return;
    }
    if (this.taken(p, id)) return;
    this.files.push({ path: p, size: stat.size, regular: stat.isFile() });
  }

  /** Whether the file or directory `id` was taken before (then `p` is skipped); takes it otherwise. */
  private taken(p: string, id: string): boolean {
    const first = this.seen.get(id);
    if (first !== undefined) {
      this.skipped.push({ path: p, reason: `already read as ${first}` });
      return true;
    }
    this.seen.set(id, p);
    return false;
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a file';
}

export interface StreamOptions {
  /** What a `stdin` input reads; process.stdin when absent. */
  readonly stdin?: NodeJS.ReadableStream;
  /** Called once, at the end or on an error, with the number of array elements that were not objects (if any). */
  readonly onNonObjects?: (count: number) => void;
  /**
   * Decides, while records are framed, whether some pattern may match each (`onRecord`'s `mayMatch`; true without
   * it, and when the record scanner is not built). Files streamed with one screen share its scanner: stream them
   * one at a time.
   */
  readonly screen?: TextScreen;
}

/**
 * Streams the records of one file or stdin (gzip detected by its magic bytes, not its name) to `onRecord`.
 * `onBytes` reports the bytes read (compressed size for gzip). The input is opened once and read front to back,
 * so pipes and FIFOs work. Rejects on read, gunzip or structure errors; records before the error have been delivered.
 */
export async function streamRecords(
  file: InputFile,
  onRecord: OnRecord,
  onBytes: (n: number) => void,
  options: StreamOptions = {},
): Promise<void> {
  const splitter = new RecordSplitter(undefined, options.screen !== undefined ? scannerFor(options.screen) : undefined);
  try {
    if (file.regular && file.size <= WHOLE_FILE_BYTES && readWhole(file.path, splitter, onRecord, onBytes)) return;
    await stream(file, splitter, onRecord, onBytes, options);
  } finally {
    if (splitter.nonObjectValues > 0) options.onNonObjects?.(splitter.nonObjectValues);
  }
}

/**
 * Files up to this size on disk are read whole and gunzipped in one call: CloudTrail writes many small files (one
 * per account, region and few minutes), and per file, streams cost more than the records. Larger files are streamed.
 */
const WHOLE_FILE_BYTES = 1024 * 1024;
/** A whole-read file that inflates beyond this is streamed instead (memory stays bounded, also for a gzip bomb). */
const MAX_INFLATED_BYTES = 32 * 1024 * 1024;
/** Whole-read bytes go to the splitter in slices of this size, as streamed ones do (its scanner holds one at a time). */
const SLICE_BYTES = 1024 * 1024;

/**
 * Reads a small regular file whole; false (nothing delivered) when it inflates beyond MAX_INFLATED_BYTES or is not
 * valid gzip: then it is streamed, which delivers the records before a corrupt or truncated part and reports the error.
 */
function readWhole(file: string, splitter: RecordSplitter, onRecord: OnRecord, onBytes: (n: number) => void): boolean {
  // Synchronous: for small files the thread-pool round trips of fs.promises cost more than the read.
  const raw = fs.readFileSync(file);
  let data = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      data = zlib.gunzipSync(raw, { maxOutputLength: MAX_INFLATED_BYTES });
    } catch {
      return false;
    }
  }
  onBytes(raw.length);
  for (let at = 0; at < data.length; at += SLICE_BYTES) splitter.pushBytes(data.subarray(at, at + SLICE_BYTES), onRecord);
  splitter.end(onRecord);
  return true;
}

/** Streams a file or stdin through the splitter (gzip detected by its magic bytes), front to back, once. */
async function stream(file: InputFile, splitter: RecordSplitter, onRecord: OnRecord, onBytes: (n: number) => void,
  options: StreamOptions): Promise<void> {
  const source = file.stdin ? options.stdin ?? process.stdin : fs.createReadStream(file.path, { highWaterMark: 1024 * 1024 });
  const raw = source as AsyncIterable<Buffer | string>;
  const chunks = raw[Symbol.asyncIterator]();
  // The first two bytes decide gzip; they may come in separate chunks from a pipe.
  const head: Buffer[] = [];
  let headBytes = 0;
  while (headBytes < 2) {
    const next = await chunks.next();
    if (next.done) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    onBytes(chunk.length);
    head.push(chunk);
    headBytes += chunk.length;
  }
  const first = Buffer.concat(head);
  const gzipped = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
  async function* bytes(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      onBytes(chunk.length);
      yield chunk;
    }
  }

  try {
    if (gzipped) {
      const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
      pipeline(Readable.from(bytes(), { objectMode: false }), gunzip, () => { /* errors surface through the iteration below */ });
      for await (const chunk of gunzip as AsyncIterable<Buffer>) splitter.pushBytes(chunk, onRecord);
    } else {
      for await (const chunk of bytes()) splitter.pushBytes(chunk, onRecord);
    }
    splitter.end(onRecord);
  } finally {
    if (!file.stdin) (source as fs.ReadStream).destroy();
  }
}

/** One record scanner per screen, shared by the files of a replay (they are read one after another). */
const scanners = new WeakMap<TextScreen, RecordScanner | null>();

function scannerFor(screen: TextScreen): RecordScanner | undefined {
  let scanner = scanners.get(screen);
  if (scanner === undefined) {
    const tables = screen.tables();
    scanner = (tables !== undefined ? RecordScanner.create(tables) : undefined) ?? null;
    scanners.set(screen, scanner);
  }
  return scanner ?? undefined;
}

export function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && err.code && err.code.startsWith('E') && err.code !== 'ERR_INVALID_ARG_TYPE') {
    return `${err.code}: ${err.message.replace(/^E[A-Z]+: /, '')}`;
  }
  return err instanceof Error ? err.message : String(e);
}
