import * as fs from 'fs';
import * as path from 'path';
import { ScreenTables } from 'cdk-cis-log-monitoring/lib/cli-support';

/** What a scanner's run framed: per record its start, the index of its closing brace, and whether some pattern may match it. */
export interface ScannedRecords {
  readonly count: number;
  start(k: number): number;
  end(k: number): number;
  mayMatch(k: number): boolean;
}

// Node's WebAssembly global, as far as it is used here (the CLI compiles without the DOM library that declares it).
interface WasmModule { readonly kind?: 'module' }
interface WasmGlobal { readonly value: number }
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
};

interface ScannerExports {
  readonly memory: WasmMemory;
  readonly run: (start: number, n: number, top: number) => number;
  readonly TABLES: WasmGlobal;
  readonly TABLES_SIZE: WasmGlobal;
  readonly KEY_LENGTHS: WasmGlobal;
  readonly MAX_TERMS: WasmGlobal;
  readonly OUT: WasmGlobal;
  readonly INPUT: WasmGlobal;
}

/** Where the build puts the module (`npx projen compile:scanner`): lib/scanner.wasm, the parent of this file's lib/input/, or of src/input/ for the sources. */
const CANDIDATES = [path.join(__dirname, '..', 'scanner.wasm'), path.join(__dirname, '..', '..', 'lib', 'scanner.wasm')];
let compiled: WasmModule | undefined | null;

/** The compiled scanner module, or undefined when it was not built (then the replay parses every record). */
function scannerModule(): WasmModule | undefined {
  if (compiled === undefined) {
    const file = CANDIDATES.find(f => fs.existsSync(f));
    compiled = file === undefined ? null : new WebAssembly.Module(fs.readFileSync(file));
  }
  return compiled ?? undefined;
}

/** Whether the scanner module is built and loads (the replay screens records only then). */
export function scannerAvailable(): boolean {
  return scannerModule() !== undefined;
}

/** The bytes of a text as UTF-8, or undefined when the text cannot be compared as bytes (see RecordScanner.create). */
function utf8(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'utf8');
  // A lone surrogate is written as U+FFFD, and U+FFFD is also what decoding makes of invalid bytes: a text holding
  // it would be compared with bytes that decode to something else. Such a screen is not used (every record is parsed).
  if (text.includes('\ufffd') || bytes.toString('utf8') !== text) return undefined;
  return bytes;
}

/**
 * The WebAssembly record scanner (packages/cli/assembly/scanner.ts) with a screen's tables loaded: frames the
 * records of a `Records` array in undecoded bytes, checks that each is plain valid JSON, and decides whether some
 * pattern may match it. One instance per splitter (its memory holds one chunk at a time).
 *
 * Bytes, not decoded text, are compared: a screen term (UTF-8) occurs in a record's bytes wherever it occurs in the
 * record's decoded text, because UTF-8 decoding maps every byte sequence that is not valid UTF-8 to U+FFFD and
 * nothing else, and terms holding U+FFFD are refused.
 */
export class RecordScanner {
  /**
   * A scanner for the screen's tables, or undefined when the module is not built or the screen cannot be written
   * as bytes (a term holding U+FFFD or a lone surrogate, a member name longer than 255 bytes, too many terms).
   */
  public static create(tables: ScreenTables): RecordScanner | undefined {
    const module = scannerModule();
    if (module === undefined) return undefined;
    const instance = new WebAssembly.Instance(module, { env: { abort: () => { throw new Error('record scanner: abort'); } } });
    const scanner = new RecordScanner(instance.exports as unknown as ScannerExports);
    return scanner.load(tables) ? scanner : undefined;
  }

  private readonly input: number;
  private readonly out: number;
  private view: Uint8Array;
  private words: Int32Array;
  private readonly result: ScannedRecords;

  private constructor(private readonly exports: ScannerExports) {
    this.input = exports.INPUT.value;
    this.out = exports.OUT.value;
    this.view = new Uint8Array(exports.memory.buffer);
    this.words = new Int32Array(exports.memory.buffer);
    const out = this.out / 4; // OUT is 4-byte aligned
    this.result = {
      count: 0,
      start: (k: number) => this.words[out + k * 3],
      end: (k: number) => this.words[out + k * 3 + 1],
      mayMatch: (k: number) => this.words[out + k * 3 + 2] === 1,
    };
  }

  /** Copies a chunk into the scanner's memory (positions in `run` are indexes into it). */
  public setInput(chunk: Uint8Array): void {
    const needed = this.input + chunk.length + 16;
    const memory = this.exports.memory;
    if (needed > memory.buffer.byteLength) {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));
      this.view = new Uint8Array(memory.buffer);
      this.words = new Int32Array(memory.buffer);
    }
    this.view.set(chunk, this.input);
    this.view.fill(0, this.input + chunk.length, this.input + chunk.length + 16);
  }

  /**
   * Frames records from the `{` at `start` in the current chunk's first `n` bytes: elements of a records array, or
   * top-level objects (`top`); see assembly/scanner.ts `run`. The result is valid until the next call.
   */
  public run(start: number, n: number, top: boolean): ScannedRecords {
    const count = this.exports.run(start, n, top ? 1 : 0);
    (this.result as { count: number }).count = count;
    return this.result;
  }

  /** Writes the screen's tables into the module's memory; false when they cannot be compared as bytes. */
  private load(tables: ScreenTables): boolean {
    const { TABLES, TABLES_SIZE, KEY_LENGTHS, MAX_TERMS } = this.exports;
    if (tables.termCount > MAX_TERMS.value) return false;
    const base = TABLES.value;
    const limit = base + TABLES_SIZE.value;
    const words: number[] = [];
    const texts: Buffer[] = [];
    // Layout: header (7 words), keys (4 words each), terms (4 words), anywhere terms (3 words), plan, then texts.
    const termCount = tables.keys.reduce((n, k) => n + k.terms.length, 0);
    const headerWords = 7;
    const keysAt = base + headerWords * 4;
    const termsAt = keysAt + tables.keys.length * 16;
    const anywhereAt = termsAt + termCount * 16;
    const planAt = anywhereAt + tables.anywhere.length * 12;
    const planWords = 1 + tables.plan.reduce((n, p) => n + 1 + p.reduce((m, c) => m + 1 + c.length, 0), 0);
    let textAt = planAt + planWords * 4;
    const text = (t: string): [number, number] | undefined => {
      const bytes = utf8(t);
      if (bytes === undefined) return undefined;
      const at = textAt;
      texts.push(bytes);
      textAt += bytes.length;
      return [at, bytes.length];
    };
    const keyLengths = new Uint8Array(256);
    words.push(tables.keys.length, keysAt, termsAt, tables.anywhere.length, anywhereAt, planAt, tables.termCount);
    const termWords: number[] = [];
    let firstTerm = 0;
    for (const key of tables.keys) {
      const name = text(key.name);
      if (name === undefined || name[1] > 255) return false;
      keyLengths[name[1]] = 1;
      words.push(name[0], name[1], firstTerm, key.terms.length);
      for (const { term, index } of key.terms) {
        const value = text(term.text);
        if (value === undefined) return false;
        termWords.push({ exact: 0, prefix: 1, suffix: 2, contains: 3 }[term.match], value[0], value[1], index);
      }
      firstTerm += key.terms.length;
    }
    words.push(...termWords);
    for (const { text: t, index } of tables.anywhere) {
      const value = text(t);
      if (value === undefined || value[1] === 0) return false;
      words.push(value[0], value[1], index);
    }
    words.push(tables.plan.length);
    for (const pattern of tables.plan) {
      words.push(pattern.length);
      for (const clause of pattern) words.push(clause.length, ...clause);
    }
    if (textAt > limit) return false;
    const view = new DataView(this.exports.memory.buffer);
    words.forEach((w, k) => view.setInt32(base + k * 4, w, true));
    let at = planAt + planWords * 4;
    for (const bytes of texts) {
      this.view.set(bytes, at);
      at += bytes.length;
    }
    this.view.set(keyLengths, KEY_LENGTHS.value);
    return true;
  }
}
