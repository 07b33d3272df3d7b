// The replay's record scanner, compiled to WebAssembly by AssemblyScript (`npx projen compile:scanner`, into
// packages/cli/lib/scanner.wasm). It frames the records of a CloudTrail `Records` array in raw (undecoded) bytes,
// checks that each is plain valid JSON, and decides from a screen's tables whether some pattern may match it, so
// that the replay parses only those records. The tables come from the engine's screen (src/engine/literals.ts
// TextScreen.tables), written into this module's memory by packages/cli/src/input/record-scanner.ts, which documents the
// layout. This file decides nothing the screen does not: it compares bytes and follows the clauses it is given.
//
// A record is framed only when it is complete in the bytes given and is valid JSON with no `\u` escape (which may
// spell anything) and at most MAX_DEPTH levels deep; anything else stops the run, and the caller's general path
// frames it (and the record is parsed). The grammar is RFC 8259's: strings without raw control characters and with
// the escapes `\" \\ \/ \b \f \n \r \t`, numbers, `true`, `false`, `null`, objects, arrays, whitespace.

/** Memory map (byte offsets), exported so that the loader writes where this module reads. */
export const STACK: usize = 0; // container kinds, one byte per level
export const MAX_DEPTH: i32 = 512;
export const KEY_LENGTHS: usize = 512; // 256 flags: a tracked member name has this byte length
export const TABLES: usize = 1024; // i32 tables, then the texts they point into (offsets are absolute)
export const TABLES_SIZE: usize = 192 * 1024;
export const HITS: usize = TABLES + TABLES_SIZE; // one byte per screen term
export const MAX_TERMS: i32 = 8192;
export const OUT: usize = HITS + <usize>MAX_TERMS; // per framed record: start, end (its closing brace), mayMatch
export const OUT_RECORDS: i32 = 4096;
export const INPUT: usize = OUT + <usize>OUT_RECORDS * 12; // the bytes being scanned, followed by 16 bytes of padding

// Table header (i32 at TABLES): keyCount, keysAt, termsAt, anywhereCount, anywhereAt, planAt, termCount.
// key: nameAt, nameLength, firstTerm, termCount. term: kind (0 exact, 1 prefix, 2 suffix, 3 contains), textAt,
// textLength, hit. anywhere: textAt, textLength, hit. plan: patternCount (-1: some pattern cannot be screened, every
// record may match), then per pattern clauseCount, then per clause hitCount and the hits.

const OBJECT: u8 = 1;
const ARRAY: u8 = 2;
const KEY_OR_END: i32 = 0;
const KEY: i32 = 1;
const COLON: i32 = 2;
const VALUE: i32 = 3;
const VALUE_OR_END: i32 = 4;
const AFTER_VALUE: i32 = 5;

// @ts-ignore: decorator
@inline function at(i: i32): u32 {
  return <u32>load<u8>(INPUT + <usize>i);
}

// @ts-ignore: decorator
@inline function header(field: i32): i32 {
  return load<i32>(TABLES + (<usize>field << 2));
}

// @ts-ignore: decorator
@inline function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

let dirty = false;

/** Whether input[start, start + length) equals text[textAt, textAt + length). */
function same(start: i32, textAt: i32, length: i32): bool {
  return memory.compare(INPUT + <usize>start, <usize>textAt, <usize>length) == 0;
}

/** The index of the tracked member name input[start, start + length), or -1. */
function keyIndex(start: i32, length: i32): i32 {
  if (length > 255 || load<u8>(KEY_LENGTHS + <usize>length) == 0) return -1;
  const count = header(0);
  const keys = header(1);
  for (let k = 0; k < count; k++) {
    const entry = <usize>(keys + (k << 4));
    if (load<i32>(entry, 4) == length && same(start, load<i32>(entry), length)) return k;
  }
  return -1;
}

/** Marks the terms of key `k` that the string value input[start, end) satisfies (every term when it is escaped). */
function member(k: i32, start: i32, end: i32, escaped: bool): void {
  const entry = <usize>(header(1) + (k << 4));
  const first = load<i32>(entry, 8);
  const count = load<i32>(entry, 12);
  const terms = header(2);
  const length = end - start;
  for (let t = first; t < first + count; t++) {
    const term = <usize>(terms + (t << 4));
    const textLength = load<i32>(term, 8);
    let hit = escaped;
    if (!hit && textLength <= length) {
      const kind = load<i32>(term);
      const textAt = load<i32>(term, 4);
      if (kind == 0) hit = textLength == length && same(start, textAt, length);
      else if (kind == 1) hit = same(start, textAt, textLength);
      else if (kind == 2) hit = same(end - textLength, textAt, textLength);
      else hit = contains(start, end, textAt, textLength);
    }
    if (hit) {
      store<u8>(HITS + <usize>load<i32>(term, 12), 1);
      dirty = true;
    }
  }
}

/** Whether input[start, end) contains text[textAt, textAt + length) (length > 0). */
function contains(start: i32, end: i32, textAt: i32, length: i32): bool {
  const first = <u32>load<u8>(<usize>textAt);
  for (let i = start; i + length <= end; i++) {
    if (at(i) == first && same(i, textAt, length)) return true;
  }
  return false;
}

/** After a record's members were marked: whether some pattern may match it (its text is input[start, end]). */
function decide(start: i32, end: i32): bool {
  let p = header(5);
  const patterns = load<i32>(<usize>p);
  if (patterns < 0) return true;
  const anywhere = header(3);
  if (anywhere == 0 && !dirty) return false;
  const anywhereAt = header(4);
  for (let a = 0; a < anywhere; a++) {
    const entry = <usize>(anywhereAt + a * 12);
    if (contains(start, end + 1, load<i32>(entry), load<i32>(entry, 4))) {
      store<u8>(HITS + <usize>load<i32>(entry, 8), 1);
      dirty = true;
    }
  }
  p += 4;
  for (let pattern = 0; pattern < patterns; pattern++) {
    const clauses = load<i32>(<usize>p);
    p += 4;
    let all = true;
    for (let c = 0; c < clauses; c++) {
      const hits = load<i32>(<usize>p);
      p += 4;
      if (all) {
        let any = false;
        for (let h = 0; h < hits; h++) {
          if (load<u8>(HITS + <usize>load<i32>(<usize>(p + (h << 2)))) != 0) {
            any = true;
            break;
          }
        }
        if (!any) all = false;
      }
      p += hits << 2;
    }
    if (all) return true;
  }
  return false;
}

// Bytes that end the plain run of a string: `"`, `\` and raw control characters.
const QUOTE = i8x16.splat(0x22);
const BACKSLASH = i8x16.splat(0x5c);
const CONTROL = i8x16.splat(0x20);

/** Whether input[start, start + length) is the member name `Records`. */
function isRecordsName(start: i32, length: i32): bool {
  return length == 7 && at(start) == 0x52 && at(start + 1) == 0x65 && at(start + 2) == 0x63 && at(start + 3) == 0x6f
    && at(start + 4) == 0x72 && at(start + 5) == 0x64 && at(start + 6) == 0x73;
}

/**
 * Frames the record whose `{` is at `start`: returns the index of its closing brace, or -1 when it is not complete
 * in input[0, n), not plain valid JSON, holds a `\u` escape or is nested deeper than MAX_DEPTH. Marks screen hits.
 * `top`: the object is a top-level value (JSON lines), which is a record unless it holds a `Records` array: then -1
 * (the caller's general path reads the array's elements instead).
 */
function frame(start: i32, n: i32, top: bool): i32 {
  store<u8>(STACK, OBJECT);
  let depth = 1;
  let state = KEY_OR_END;
  let key = -1;
  let recordsKey = false; // the member being read at depth 1 is named Records
  let i = start + 1;
  while (i < n) {
    const c = at(i);
    if (c == 0x22) {
      const from = i + 1;
      i = from;
      let escaped = false;
      while (true) {
        // 16 bytes at a time (the input is followed by padding): find the first quote, backslash or control byte.
        const v = v128.load(INPUT + <usize>i);
        const mask = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, QUOTE), i8x16.eq(v, BACKSLASH)), i8x16.lt_u(v, CONTROL)));
        if (mask == 0) {
          i += 16;
          if (i >= n) return -1;
          continue;
        }
        i += ctz(mask);
        if (i >= n) return -1;
        const d = at(i);
        if (d == 0x22) break;
        if (d != 0x5c) return -1; // a raw control character
        if (i + 1 >= n) return -1;
        const e = at(i + 1);
        if (e != 0x22 && e != 0x5c && e != 0x2f && e != 0x62 && e != 0x66 && e != 0x6e && e != 0x72 && e != 0x74) return -1;
        escaped = true;
        i += 2;
      }
      if (state == VALUE || state == VALUE_OR_END) {
        if (key >= 0) member(key, from, i, escaped);
        key = -1;
        state = AFTER_VALUE;
      } else if (state == KEY_OR_END || state == KEY) {
        key = escaped ? -1 : keyIndex(from, i - from);
        if (depth == 1) recordsKey = !escaped && isRecordsName(from, i - from);
        state = COLON;
      } else {
        return -1;
      }
      i++;
      continue;
    }
    switch (c) {
      case 0x20: case 0x09: case 0x0a: case 0x0d:
        break;
      case 0x3a: // :
        if (state != COLON) return -1;
        state = VALUE;
        break;
      case 0x2c: // ,
        if (state != AFTER_VALUE) return -1;
        state = load<u8>(STACK + <usize>(depth - 1)) == OBJECT ? KEY : VALUE;
        break;
      case 0x7b: // {
      case 0x5b: // [
        if ((state != VALUE && state != VALUE_OR_END) || depth >= MAX_DEPTH) return -1;
        if (top && depth == 1 && c == 0x5b && recordsKey) return -1; // a CloudTrail file's wrapper, not a record
        store<u8>(STACK + <usize>depth, c == 0x7b ? OBJECT : ARRAY);
        depth++;
        state = c == 0x7b ? KEY_OR_END : VALUE_OR_END;
        key = -1;
        break;
      case 0x7d: // }
        if ((state != KEY_OR_END && state != AFTER_VALUE) || load<u8>(STACK + <usize>(depth - 1)) != OBJECT) return -1;
        depth--;
        if (depth == 0) return i;
        state = AFTER_VALUE;
        break;
      case 0x5d: // ]
        if ((state != VALUE_OR_END && state != AFTER_VALUE) || load<u8>(STACK + <usize>(depth - 1)) != ARRAY) return -1;
        depth--;
        state = AFTER_VALUE;
        break;
      default: {
        if (state != VALUE && state != VALUE_OR_END) return -1;
        const end = literalOrNumber(c, i, n);
        if (end < 0) return -1;
        i = end;
        key = -1;
        state = AFTER_VALUE;
        continue;
      }
    }
    i++;
  }
  return -1;
}

/** The end of the `true`, `false`, `null` or number at i (followed by a byte within n), or -1. */
function literalOrNumber(c: u32, i: i32, n: i32): i32 {
  if (c == 0x74) return i + 4 < n && at(i + 1) == 0x72 && at(i + 2) == 0x75 && at(i + 3) == 0x65 ? i + 4 : -1;
  if (c == 0x66) return i + 5 < n && at(i + 1) == 0x61 && at(i + 2) == 0x6c && at(i + 3) == 0x73 && at(i + 4) == 0x65 ? i + 5 : -1;
  if (c == 0x6e) return i + 4 < n && at(i + 1) == 0x75 && at(i + 2) == 0x6c && at(i + 3) == 0x6c ? i + 4 : -1;
  if (c == 0x2d) {
    i++;
    if (i >= n) return -1;
    c = at(i);
  }
  if (c == 0x30) {
    i++;
  } else if (c >= 0x31 && c <= 0x39) {
    i++;
    while (i < n && isDigit(at(i))) i++;
  } else {
    return -1;
  }
  if (i >= n) return -1;
  if (at(i) == 0x2e) {
    i++;
    if (i >= n || !isDigit(at(i))) return -1;
    while (i < n && isDigit(at(i))) i++;
    if (i >= n) return -1;
  }
  c = at(i);
  if (c == 0x65 || c == 0x45) {
    i++;
    if (i >= n) return -1;
    c = at(i);
    if (c == 0x2b || c == 0x2d) {
      i++;
      if (i >= n) return -1;
    }
    if (!isDigit(at(i))) return -1;
    while (i < n && isDigit(at(i))) i++;
    if (i >= n) return -1;
  }
  return i;
}

// @ts-ignore: decorator
@inline function isSpace(c: u32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d;
}

/**
 * Frames consecutive records starting with the `{` at `start`, in input[0, n): for each writes (start, end,
 * mayMatch) to OUT. Elements of a records array (`top` false) go on past `,` to the next `{`; top-level objects
 * (`top` true: JSON lines, concatenated objects) go on past whitespace to the next `{`. Stops at the first record it
 * cannot frame, at anything else, or after OUT_RECORDS records. Returns the number of records framed; the caller
 * resumes right after the last one's closing brace.
 */
export function run(start: i32, n: i32, top: bool): i32 {
  const terms = header(6);
  let count = 0;
  let at0 = start;
  while (count < OUT_RECORDS) {
    if (dirty) {
      memory.fill(HITS, 0, <usize>terms);
      dirty = false;
    }
    const end = frame(at0, n, top);
    if (end < 0) break;
    const out = OUT + <usize>count * 12;
    store<i32>(out, at0);
    store<i32>(out, end, 4);
    store<i32>(out, decide(at0, end) ? 1 : 0, 8);
    count++;
    let next = end + 1;
    while (next < n && isSpace(at(next))) next++;
    if (!top) {
      if (next >= n || at(next) != 0x2c) break;
      next++;
      while (next < n && isSpace(at(next))) next++;
    }
    if (next >= n || at(next) != 0x7b) break;
    at0 = next;
  }
  return count;
}
