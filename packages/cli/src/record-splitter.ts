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

  /** @param maxRecordChars a record longer than this is an error (protects memory against a file that is one giant object) */
  constructor(private readonly maxRecordChars = 256 * 1024 * 1024) {}

  /** Feeds the next chunk; calls `onRecord` with the JSON text of every record completed in it. Throws on malformed structure. */
  public push(chunk: string, onRecord: (json: string) => void): void {
    const n = chunk.length;
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

  private close(c: number, chunk: string, i: number, onRecord: (json: string) => void): void {
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

  private finishRecord(chunk: string, i: number, onRecord: (json: string) => void): void {
    const start = this.recordStart < 0 ? 0 : this.recordStart;
    const tail = chunk.slice(start, i + 1);
    const json = this.carried.length === 0 ? tail : this.carried.join('') + tail;
    this.inRecord = false;
    this.carried = [];
    this.carriedChars = 0;
    this.recordStart = -1;
    onRecord(json);
  }
}
