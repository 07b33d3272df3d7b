import * as fs from 'fs';
import * as path from 'path';
import { pipeline } from 'stream';
import * as zlib from 'zlib';
import { RecordSplitter } from './record-splitter';

/** A file to read, or a path that could not be listed (reported, not fatal). */
export interface InputFile {
  readonly path: string;
  readonly size: number;
  readonly error?: string;
}

/** In directories, only files with these endings are read (files named on the command line always are). */
const LOG_FILE_ENDINGS = ['.json', '.json.gz', '.gz', '.jsonl', '.jsonl.gz', '.ndjson', '.ndjson.gz'];

/**
 * Expands files and directories (recursively, in name order) into the files to read. In directories only
 * log files (LOG_FILE_ENDINGS) are read, and CloudTrail digest files (`CloudTrail-Digest`) are skipped:
 * they hold hashes, not events.
 */
export async function listInputFiles(paths: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const p of paths) await collect(p, out, true);
  return out;
}

async function collect(p: string, out: InputFile[], named: boolean): Promise<void> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(p);
  } catch (e) {
    out.push({ path: p, size: 0, error: describeError(e) });
    return;
  }
  if (stat.isDirectory()) {
    let names: string[];
    try {
      names = (await fs.promises.readdir(p)).sort();
    } catch (e) {
      out.push({ path: p, size: 0, error: describeError(e) });
      return;
    }
    for (const name of names) {
      if (name.startsWith('.') || name === 'CloudTrail-Digest') continue;
      await collect(path.join(p, name), out, false);
    }
  } else if (named || (!p.includes('CloudTrail-Digest') && LOG_FILE_ENDINGS.some(ending => p.endsWith(ending)))) {
    out.push({ path: p, size: stat.size });
  }
}

/**
 * Streams the records of one file (gzip detected by its magic bytes, not its name) to `onRecord`.
 * `onBytes` reports the file bytes read (compressed size for gzip). Rejects on read, gunzip or structure errors;
 * records before the error have been delivered.
 */
export async function streamRecords(file: string, onRecord: (json: string) => void, onBytes: (n: number) => void): Promise<void> {
  const gzipped = await startsWithGzipMagic(file);
  const raw = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  raw.on('data', (chunk: Buffer | string) => onBytes(chunk.length));
  let text: NodeJS.ReadableStream;
  if (gzipped) {
    const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
    pipeline(raw, gunzip, () => { /* errors surface through the iteration below */ });
    text = gunzip;
  } else {
    text = raw;
  }
  text.setEncoding('utf8');
  const splitter = new RecordSplitter();
  for await (const chunk of text as AsyncIterable<string>) {
    splitter.push(chunk, onRecord);
  }
  splitter.end();
}

async function startsWithGzipMagic(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(2);
    const { bytesRead } = await handle.read(buffer, 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

export function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err && typeof err === 'object' && err.code && err.code.startsWith('E') && err.code !== 'ERR_INVALID_ARG_TYPE') {
    return `${err.code}: ${err.message.replace(/^E[A-Z]+: /, '')}`;
  }
  return err instanceof Error ? err.message : String(e);
}
