/**
 * What the splitter tells a screen (src/engine/literals.ts TextScreen) while it frames a record, so that a
 * record no pattern can match is known without parsing it.
 */
export interface RecordScreen {
  /** Flags (1) the lengths of the member names the screen reads; longer names than the table are not read. */
  readonly keyLengths: Uint8Array;
  beginRecord(): void;
  /** The member name `text[start, start + length)` as a handle for `member`, or undefined if the screen does not read it. */
  keyAt(text: string, start: number, length: number): object | undefined;
  /** That member has the string value written as `text[start, end)`; `escaped`: it holds a backslash escape. */
  member(key: object, text: string, start: number, end: number, escaped: boolean): void;
  /** Whether some pattern may match the record whose members were told since beginRecord. */
  decide(json: string): boolean;
}

/** Grammar states of the screening fast path (what may come next inside a record). */
const KEY_OR_END = 0; // after `{`
const KEY = 1; // after `,` in an object
const COLON = 2; // after a member name
const VALUE = 3; // after `:` or `,` in an array
const VALUE_OR_END = 4; // after `[`
const AFTER_VALUE = 5; // after a value: `,` or the container's end
const IN_OBJECT = 1;
const IN_ARRAY = 2;
/** Deepest nesting the fast path follows; deeper records take the general path (and are parsed). */
const MAX_FAST_DEPTH = 512;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const CONTROL = /[\u0000-\u001f]/g;

/**
 * Splits a stream of JSON text into CloudTrail records without parsing whole files, so that memory does
 * not grow with the input: at most one record (plus one chunk) is held at a time.
 *
 * Accepted layouts, also mixed and concatenated in one stream:
 * - `{"Records":[{...},{...}]}` as CloudTrail delivers to S3: each element of the top-level `Records` array
 *   is a record; the wrapper object is not one.
 * - one JSON object per line (JSON lines) or objects one after another: each top-level object is a record.
 * - a top-level array `[{...},{...}]`: each element object is a record.
 */
export class RecordSplitter {
  /** Largest number of characters carried over between chunks for one unfinished record. */
  public maxCarriedChars = 0;
  /**
   * Elements of a `Records` array (or of a top-level array) that are not objects: numbers, strings, `null`,
   * booleans, arrays. They are not records, and are counted here so that the caller can report them as invalid.
   */
  public nonObjectValues = 0;

  private depth = 0;
  private inString = false;
  private escapePending = false;
  /** Depth at which record objects start (1 in a top-level array, 2 in a Records array), or -1 when not in one. */
  private recordDepth = -1;
  /** Whether the top-level value is an object (a record unless it holds a Records array). */
  private topIsObject = false;
  private topHasRecords = false;
  /** Parts of the record being read, from earlier chunks. */
  private carried: string[] = [];
  private carriedChars = 0;
  /** Start of the record being read in the current chunk (-1: not in a record, or started in an earlier chunk). */
  private recordStart = -1;
  private inRecord = false;
  /** The depth at which the record being read opened (its closing brace returns to it). */
  private currentRecordDepth = -1;
  /** The last string at depth 1 of a top-level object and whether it was followed by `:` (a key). */
  private keyParts: string[] = [];
  private lastKey: string | undefined;
  private readingDepth1String = false;
  /** At recordDepth, the next value is an element of the records array (after its `[` or a `,`). */
  private expectElement = false;
  private offset = 0;

  /** Records the screen decided on (the others were parsed: JSON lines, records across chunks, anything unusual). */
  public screenedRecords = 0;
  private readonly containers = new Uint8Array(MAX_FAST_DEPTH);
  /** Position of the next control character (U+0000 to U+001F) in the current chunk: -2 unknown, -1 none. */
  private nextControl = -2;
  /** Position of the next backslash in the current chunk (the fast path's; -2 unknown, -1 none). */
  private nextBackslash = -2;

  /**
   * @param maxRecordChars a record longer than this is an error (protects memory against a file that is one giant object)
   * @param screen decides, for records of a `Records` array or a top-level array that are plain valid JSON within one
   *   chunk, whether some pattern may match (`onRecord`'s `mayMatch`); every other record gets `mayMatch` true
   */
  constructor(private readonly maxRecordChars = 256 * 1024 * 1024, private readonly screen?: RecordScreen) {}

  /**
   * Feeds the next chunk; calls `onRecord` with the JSON text of every record completed in it and whether some
   * pattern may match it (always true without a screen). Throws on malformed structure.
   */
  public push(chunk: string, onRecord: (json: string, mayMatch: boolean) => void): void {
    const n = chunk.length;
    const screen = this.screen;
    this.nextControl = -2;
    this.nextBackslash = -2;
    // A UTF-8 byte order mark (written by some Windows tools) is not part of the JSON text.
    let i = this.offset === 0 && chunk.charCodeAt(0) === 0xfeff ? 1 : 0;
    let nextBackslash = -2; // lazily computed position of the next backslash in the chunk
    if (this.inRecord) this.recordStart = 0;
    let stringStart = 0; // where the depth-1 string being read starts in this chunk (0: it began in an earlier one)

    while (i < n) {
      if (this.inString) {
        if (this.escapePending) {
          this.escapePending = false;
          i++;
          continue;
        }
        const quote = chunk.indexOf('"', i);
        if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = chunk.indexOf('\\', i);
        if (nextBackslash !== -1 && (quote === -1 || nextBackslash < quote)) {
          // An escape: skip the backslash and the character after it (which may be in the next chunk).
          if (nextBackslash + 1 >= n) this.escapePending = true;
          i = nextBackslash + 2;
          continue;
        }
        if (quote === -1) {
          if (this.readingDepth1String) this.keyParts.push(chunk.slice(stringStart, n));
          i = n;
          break;
        }
        if (this.readingDepth1String) {
          this.keyParts.push(chunk.slice(stringStart, quote));
          this.lastKey = this.keyParts.join('');
          this.keyParts = [];
          this.readingDepth1String = false;
        }
        this.inString = false;
        i = quote + 1;
        continue;
      }

      const c = chunk.charCodeAt(i);
      switch (c) {
        case 0x22: // "
          this.inString = true;
          if (this.expectElement && this.depth === this.recordDepth) this.nonObjectElement();
          if (this.depth === 1 && this.topIsObject) {
            this.readingDepth1String = true;
            this.keyParts = [];
            stringStart = i + 1;
          }
          break;
        case 0x7b: // {
          if (screen !== undefined && this.depth === this.recordDepth && this.depth > 0) {
            const end = this.frameRecord(screen, chunk, i);
            if (end !== -1) {
              const json = chunk.slice(i, end + 1);
              this.expectElement = false; // as open() and finishRecord() leave it
              onRecord(json, screen.decide(json));
              this.screenedRecords++;
              i = end + 1;
              continue;
            }
          }
          this.open(c, i);
          break;
        case 0x5b: // [
          this.open(c, i);
          break;
        case 0x7d: // }
        case 0x5d: // ]
          this.close(c, chunk, i, onRecord);
          break;
        case 0x3a: // :
          break;
        case 0x2c: // ,
          if (this.depth === 1 && this.topIsObject) this.lastKey = undefined;
          if (this.depth === this.recordDepth) this.expectElement = true;
          break;
        case 0x20: case 0x09: case 0x0a: case 0x0d:
          break;
        default:
          if (this.depth === 0) {
            throw new Error(`not JSON: unexpected ${JSON.stringify(chunk[i])} at character ${this.offset + i + 1}`);
          } else if (this.expectElement && this.depth === this.recordDepth) {
            this.nonObjectElement(); // a number, true, false or null
          }
      }
      i++;
    }

    if (this.inRecord) {
      const start = this.recordStart < 0 ? 0 : this.recordStart;
      this.carried.push(chunk.slice(start));
      this.carriedChars += n - start;
      this.maxCarriedChars = Math.max(this.maxCarriedChars, this.carriedChars);
      if (this.carriedChars > this.maxRecordChars) {
        throw new Error(`a record is longer than ${this.maxRecordChars} characters`);
      }
    }
    this.recordStart = -1;
    this.offset += n;
  }

  /** Call at the end of the stream: throws if it ended inside a value. */
  public end(): void {
    if (this.depth !== 0 || this.inString) {
      throw new Error(`unexpected end of data at character ${this.offset + 1} (truncated file?)`);
    }
  }

  /**
   * The screening fast path: frames the record whose `{` is at `start` if it ends in this chunk and is plain valid
   * JSON, telling the screen its members on the way. Returns the index of its closing brace, or -1 (record across
   * chunks, a `\\u` escape, invalid JSON, too deep): then the general path frames it and it is parsed.
   * It frames exactly as the general path does (strings with escapes, then brackets counted).
   */
  private frameRecord(screen: RecordScreen, chunk: string, start: number): number {
    const n = chunk.length;
    const containers = this.containers;
    const keyLengths = screen.keyLengths;
    screen.beginRecord();
    containers[0] = IN_OBJECT;
    let depth = 1;
    let state = KEY_OR_END;
    let key: object | undefined;
    let backslash = this.nextBackslash;
    let i = start + 1;
    while (i < n) {
      const c = chunk.charCodeAt(i);
      if (c === 0x22) { // a string
        const from = i + 1;
        let quote = chunk.indexOf('"', from);
        if (quote === -1) return -1;
        if (backslash !== -1 && backslash < from) backslash = chunk.indexOf('\\', from);
        let escaped = false;
        while (backslash !== -1 && backslash < quote) {
          escaped = true;
          const e = chunk.charCodeAt(backslash + 1);
          // \u may spell anything (also a member name): parse. Anything but the JSON escapes is invalid: parse.
          if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return -1;
          const after = backslash + 2;
          if (after > quote) {
            quote = chunk.indexOf('"', after);
            if (quote === -1) return -1;
          }
          backslash = chunk.indexOf('\\', after);
        }
        this.nextBackslash = backslash;
        let control = this.nextControl;
        if (control !== -1 && control < from) {
          CONTROL.lastIndex = from;
          control = CONTROL.exec(chunk)?.index ?? -1;
          this.nextControl = control;
        }
        if (control !== -1 && control < quote) return -1; // a raw control character in a string: invalid JSON
        if (state === KEY_OR_END || state === KEY) {
          const length = quote - from;
          key = !escaped && length < keyLengths.length && keyLengths[length] === 1 ? screen.keyAt(chunk, from, length) : undefined;
          state = COLON;
        } else if (state === VALUE || state === VALUE_OR_END) {
          if (key !== undefined) screen.member(key, chunk, from, quote, escaped);
          key = undefined;
          state = AFTER_VALUE;
        } else {
          return -1;
        }
        i = quote + 1;
        continue;
      }
      switch (c) {
        case 0x20: case 0x09: case 0x0a: case 0x0d:
          break;
        case 0x3a: // :
          if (state !== COLON) return -1;
          state = VALUE;
          break;
        case 0x2c: // ,
          if (state !== AFTER_VALUE) return -1;
          state = containers[depth - 1] === IN_OBJECT ? KEY : VALUE;
          break;
        case 0x7b: // {
        case 0x5b: // [
          if ((state !== VALUE && state !== VALUE_OR_END) || depth >= MAX_FAST_DEPTH) return -1;
          containers[depth++] = c === 0x7b ? IN_OBJECT : IN_ARRAY;
          state = c === 0x7b ? KEY_OR_END : VALUE_OR_END;
          key = undefined;
          break;
        case 0x7d: // }
          if ((state !== KEY_OR_END && state !== AFTER_VALUE) || containers[depth - 1] !== IN_OBJECT) return -1;
          if (--depth === 0) return i;
          state = AFTER_VALUE;
          break;
        case 0x5d: // ]
          if ((state !== VALUE_OR_END && state !== AFTER_VALUE) || containers[depth - 1] !== IN_ARRAY) return -1;
          depth--;
          state = AFTER_VALUE;
          break;
        default: { // a number, true, false or null
          if (state !== VALUE && state !== VALUE_OR_END) return -1;
          let end = i + 1;
          for (; end < n; end++) {
            const d = chunk.charCodeAt(end);
            if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x20 || d === 0x09 || d === 0x0a || d === 0x0d) break;
          }
          if (end >= n) return -1;
          const token = chunk.slice(i, end);
          if (token !== 'true' && token !== 'false' && token !== 'null' && !NUMBER.test(token)) return -1;
          key = undefined;
          state = AFTER_VALUE;
          i = end;
          continue;
        }
      }
      i++;
    }
    return -1;
  }

  private open(c: number, i: number): void {
    if (this.expectElement && this.depth === this.recordDepth) {
      this.expectElement = false;
      if (c === 0x5b) this.nonObjectValues++; // an array where a record should be
    }
    if (this.depth === 0) {
      this.topIsObject = c === 0x7b;
      this.topHasRecords = false;
      this.lastKey = undefined;
      if (this.topIsObject) {
        this.startRecord(i); // a top-level object is a record unless it turns out to hold Records
      } else {
        this.recordDepth = 1;
        this.expectElement = true;
      }
    } else if (this.depth === 1 && this.topIsObject && c === 0x5b && this.lastKey === 'Records' && !this.topHasRecords) {
      // The wrapper is not a record: drop what was kept of it and read the array's elements instead.
      this.topHasRecords = true;
      this.inRecord = false;
      this.carried = [];
      this.carriedChars = 0;
      this.recordDepth = 2;
      this.expectElement = true;
    } else if (this.depth === this.recordDepth && c === 0x7b) {
      this.startRecord(i);
    }
    this.depth++;
  }

  private close(c: number, chunk: string, i: number, onRecord: (json: string, mayMatch: boolean) => void): void {
    if (this.depth === 0) {
      throw new Error(`not JSON: unexpected ${JSON.stringify(String.fromCharCode(c))} at character ${this.offset + i + 1}`);
    }
    this.depth--;
    if (this.inRecord && this.depth === this.currentRecordDepth) this.finishRecord(chunk, i, onRecord);
    if (this.depth === 1 && this.recordDepth === 2) this.recordDepth = -1; // the Records array closed
    if (this.depth === 0) this.recordDepth = -1;
    this.expectElement = false;
  }

  private nonObjectElement(): void {
    this.nonObjectValues++;
    this.expectElement = false;
  }

  private startRecord(i: number): void {
    this.inRecord = true;
    this.currentRecordDepth = this.depth;
    this.recordStart = i;
    this.carried = [];
    this.carriedChars = 0;
  }

  private finishRecord(chunk: string, i: number, onRecord: (json: string, mayMatch: boolean) => void): void {
    const start = this.recordStart < 0 ? 0 : this.recordStart;
    const tail = chunk.slice(start, i + 1);
    const json = this.carried.length === 0 ? tail : this.carried.join('') + tail;
    this.inRecord = false;
    this.carried = [];
    this.carriedChars = 0;
    this.recordStart = -1;
    onRecord(json, true);
  }
}
