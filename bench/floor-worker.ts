// The floor the replay is compared with: the fastest way to get the records of the same files, nothing else. Run as
// its own process (transpiled to bench/out/floor-worker.js), like the CLI, so that both pay process start-up.
//
//   node bench/out/floor-worker.js <whole|parse|split|read> <files or directories...>
//
// `whole`: the floor. Each file read whole (fs.readFileSync), gunzipped whole (zlib.gunzipSync), decoded as UTF-8
// and given to one JSON.parse: V8's parser on one string, no streams. Holds a whole file (and its records) in memory.
// `parse`: the earlier floor, kept as a reference: read the files the way the replay streams them (1 MB reads,
// gunzip with 256 KB chunks, UTF-8 decoding), join the text and run one JSON.parse per file.
// `split`: the replay's general framing (its RecordSplitter without the record scanner, from the module named by
// BENCH_SPLITTER, fed the undecoded bytes as the replay is) and JSON.parse of each record, without evaluating patterns.
// `read`: read, gunzip and decode only (the I/O floor, for reference). Prints one JSON line with counts and timings.
import * as fs from 'fs';
import * as path from 'path';
import { pipeline } from 'stream';
import * as zlib from 'zlib';

function listFiles(p: string, out: string[]): void {
  if (fs.statSync(p).isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) listFiles(path.join(p, name), out);
  } else if (p.endsWith('.json') || p.endsWith('.gz')) {
    out.push(p);
  }
}

function isGzipped(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    return fs.readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

interface FileText {
  readonly text: string;
  readonly chars: number;
}

type Splitter = { pushBytes(chunk: Buffer, onRecord: (json: string) => void): void; end(): void };

async function readFile(file: string, keep: boolean, splitter?: Splitter, onRecord?: (json: string) => void): Promise<FileText> {
  const raw = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  let stream: NodeJS.ReadableStream = raw;
  if (isGzipped(file)) {
    const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
    pipeline(raw, gunzip, () => { /* errors surface through the iteration */ });
    stream = gunzip;
  }
  if (splitter === undefined) stream.setEncoding('utf8');
  const chunks: string[] = [];
  let chars = 0;
  for await (const chunk of stream as AsyncIterable<string | Buffer>) {
    chars += chunk.length;
    if (keep) chunks.push(chunk as string);
    if (splitter && onRecord) splitter.pushBytes(chunk as Buffer, onRecord);
  }
  splitter?.end();
  return { text: keep ? chunks.join('') : '', chars };
}

async function main(): Promise<void> {
  const [mode, ...paths] = process.argv.slice(2);
  if (mode !== 'whole' && mode !== 'parse' && mode !== 'split' && mode !== 'read') {
    throw new Error('usage: floor-worker <whole|parse|split|read> <paths...>');
  }
  // The replay's module, found at run time (packages/cli/lib or the transpiled CLI): a dynamic import keeps this script standalone.
  const Splitter = mode === 'split' ? (await import(process.env.BENCH_SPLITTER as string)).RecordSplitter as new () => Splitter : undefined;
  const started = process.hrtime.bigint();
  const files: string[] = [];
  for (const p of paths) listFiles(p, files);
  let chars = 0;
  let records = 0;
  for (const file of files) {
    if (mode === 'whole') {
      const raw = fs.readFileSync(file);
      const text = (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw).toString('utf8');
      chars += text.length;
      records += (JSON.parse(text).Records as unknown[]).length;
      continue;
    }
    const onRecord = (json: string) => {
      JSON.parse(json);
      records++;
    };
    const { text, chars: n } = await readFile(file, mode === 'parse', Splitter ? new Splitter() : undefined, onRecord);
    chars += n;
    if (mode === 'parse') records += (JSON.parse(text).Records as unknown[]).length;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(JSON.stringify({ mode, files: files.length, chars, records, seconds }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`floor-worker: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = 1;
});
