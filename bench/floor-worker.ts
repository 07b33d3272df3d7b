// The floor the replay is compared with: read the same files the same way the replay streams them (1 MB reads,
// gunzip with 256 KB chunks, UTF-8 decoding) and JSON.parse them, nothing else. Run as its own process
// (transpiled to bench/out/floor-worker.js), like the CLI, so that both pay process start-up.
//
//   node bench/out/floor-worker.js <parse|split|read> <files or directories...>
//
// `parse`: JSON.parse of each whole file (V8's parser on one string: the cheapest way to get the records). The floor.
// `split`: the replay's own framing (its RecordSplitter, from the module named by BENCH_SPLITTER) and JSON.parse of
// each record, without evaluating patterns: shows what the pattern evaluation costs on top.
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

type Splitter = { push(chunk: string, onRecord: (json: string) => void): void; end(): void };

async function readFile(file: string, keep: boolean, splitter?: Splitter, onRecord?: (json: string) => void): Promise<FileText> {
  const raw = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  let stream: NodeJS.ReadableStream = raw;
  if (isGzipped(file)) {
    const gunzip = zlib.createGunzip({ chunkSize: 256 * 1024 });
    pipeline(raw, gunzip, () => { /* errors surface through the iteration */ });
    stream = gunzip;
  }
  stream.setEncoding('utf8');
  const chunks: string[] = [];
  let chars = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    chars += chunk.length;
    if (keep) chunks.push(chunk);
    if (splitter && onRecord) splitter.push(chunk, onRecord);
  }
  splitter?.end();
  return { text: keep ? chunks.join('') : '', chars };
}

async function main(): Promise<void> {
  const [mode, ...paths] = process.argv.slice(2);
  if (mode !== 'parse' && mode !== 'split' && mode !== 'read') throw new Error('usage: floor-worker <parse|split|read> <paths...>');
  // The replay's module, found at run time (packages/cli/lib or the transpiled CLI): a dynamic import keeps this script standalone.
  const Splitter = mode === 'split' ? (await import(process.env.BENCH_SPLITTER as string)).RecordSplitter as new () => Splitter : undefined;
  const started = process.hrtime.bigint();
  const files: string[] = [];
  for (const p of paths) listFiles(p, files);
  let chars = 0;
  let records = 0;
  for (const file of files) {
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
