import { RecordScanner } from './record-scanner';

/** The UTF-8 byte order mark (written by some Windows tools); it is not part of the JSON text. */
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Called with each record: its JSON text (UTF-8 decoded; '' when `mayMatch` is false) and whether some pattern may match it. */
export type OnRecord = (json: string, mayMatch: boolean) => void;

/**
 * Splits a stream of JSON (UTF-8 bytes) into CloudTrail records without parsing whole files, so that memory does
 * not grow with the input: at most one record (plus one chunk) is held at a time.
 *
 * It reads bytes, not decoded text: every byte that structures JSON is ASCII, so records are framed in the bytes
 * and decoded as UTF-8 one by one when they are handed out, exactly as decoding the whole stream would decode
 * them (a byte sequence that is not UTF-8 becomes U+FFFD either way). Positions in errors count bytes.
 *
 * Accepted layouts, also mixed and concatenated in one stream:
 * - `{"Records":[{...},{...}]}` as CloudTrail delivers to S3: each element of the top-level `Records` array
 *   is a record; the wrapper object is not one.
 * - one JSON object per line (JSON lines) or objects one after another: each top-level object is a record.
 * - a top-level array `[{...},{...}]`: each element object is a record.
 */
export class RecordSplitter {
  /** Largest number of bytes carried over between chunks for one unfinished record. */
  public maxCarriedBytes = 0;
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
  private carried: Buffer[] = [];
  private carriedBytes = 0;
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

  /** The first bytes of the stream while fewer than a byte order mark's. */
  private head: Buffer | undefined = Buffer.alloc(0);
  /** A high surrogate that ended the last `push`ed text (its pair comes with the next). */
  private pendingSurrogate = '';

  /**
   * @param maxRecordBytes a record longer than this is an error (protects memory against a file that is one giant object)
   * @param scanner frames the records of a `Records` array, a top-level array or JSON lines that are plain valid JSON
   *   within one chunk, and decides whether some pattern may match each (`onRecord`'s `mayMatch`); every other
   *   record gets `mayMatch` true
   */
  constructor(private readonly maxRecordBytes = 256 * 1024 * 1024, private readonly scanner?: RecordScanner) {}

  /** Feeds text (encoded as UTF-8; see pushBytes). */
  public push(text: string, onRecord: OnRecord): void {
    let t = this.pendingSurrogate + text;
    this.pendingSurrogate = '';
    const last = t.charCodeAt(t.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.pendingSurrogate = t.slice(-1);
      t = t.slice(0, -1);
    }
    this.pushBytes(Buffer.from(t, 'utf8'), onRecord);
  }

  /**
   * Feeds the next chunk of bytes; calls `onRecord` with the JSON text of every record completed in it and whether
   * some pattern may match it (always true without a scanner; the text is '' when false). Throws on malformed structure.
   */
  public pushBytes(bytes: Buffer, onRecord: OnRecord): void {
    if (this.head !== undefined) {
      // A byte order mark at the start of the stream is skipped; it may come in pieces.
      const head = this.head.length === 0 ? bytes : Buffer.concat([this.head, bytes]);
      if (head.length < BOM.length && BOM.subarray(0, head.length).equals(head)) {
        this.head = head;
        return;
      }
      this.head = undefined;
      bytes = head.subarray(0, BOM.length).equals(BOM) ? head.subarray(BOM.length) : head;
      this.offset = head.length - bytes.length;
    }
    const n = bytes.length;
    const scanner = this.scanner;
    if (scanner !== undefined) scanner.setInput(bytes);
    let i = 0;
    if (this.inRecord) this.recordStart = 0;
    let stringStart = 0; // where the depth-1 string being read starts in this chunk (0: it began in an earlier one)

    while (i < n) {
      if (this.inString) {
        if (this.escapePending) {
          this.escapePending = false;
          i++;
          continue;
        }
        // Strings are short: a loop beats a native search per string.
        let end = i;
        while (end < n && bytes[end] !== 0x22 && bytes[end] !== 0x5c) end++;
        if (end < n && bytes[end] === 0x5c) {
          // An escape: skip the backslash and the byte after it (which may be in the next chunk).
          if (end + 1 >= n) this.escapePending = true;
          i = end + 2;
          continue;
        }
        if (end === n) {
          if (this.readingDepth1String) this.keyParts.push(bytes.toString('latin1', stringStart, n));
          i = n;
          break;
        }
        if (this.readingDepth1String) {
          this.keyParts.push(bytes.toString('latin1', stringStart, end));
          this.lastKey = this.keyParts.join('');
          this.keyParts = [];
          this.readingDepth1String = false;
        }
        this.inString = false;
        i = end + 1;
        continue;
      }

      const c = bytes[i];
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
          // The scanner frames the elements of a records array, and top-level objects (JSON lines) that are not
          // a CloudTrail file's wrapper; it stops where it cannot, and the general path goes on from there.
          if (scanner !== undefined && ((this.depth === this.recordDepth && this.depth > 0) || this.depth === 0)) {
            const top = this.depth === 0;
            const records = scanner.run(i, n, top);
            const count = records.count;
            if (count > 0) {
              for (let k = 0; k < count; k++) {
                const mayMatch = records.mayMatch(k);
                onRecord(mayMatch ? bytes.toString('utf8', records.start(k), records.end(k) + 1) : '', mayMatch);
              }
              this.expectElement = false; // as open() and close() leave it
              if (top) this.recordDepth = -1; // as close() leaves it after a top-level record
              i = records.end(count - 1) + 1;
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
          this.close(c, bytes, i, onRecord);
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
            throw new Error(`not JSON: unexpected ${describeByte(c)} at byte ${this.offset + i + 1}`);
          } else if (this.expectElement && this.depth === this.recordDepth) {
            this.nonObjectElement(); // a number, true, false or null
          }
      }
      i++;
    }

    if (this.inRecord) {
      const start = this.recordStart < 0 ? 0 : this.recordStart;
      this.carried.push(Buffer.from(bytes.subarray(start)));
      this.carriedBytes += n - start;
      this.maxCarriedBytes = Math.max(this.maxCarriedBytes, this.carriedBytes);
      if (this.carriedBytes > this.maxRecordBytes) {
        throw new Error(`a record is longer than ${this.maxRecordBytes} bytes`);
      }
    }
    this.recordStart = -1;
    this.offset += n;
  }

  /** Call at the end of the stream: throws if it ended inside a value. */
  public end(onRecord: OnRecord = () => undefined): void {
    if (this.pendingSurrogate !== '') {
      const surrogate = this.pendingSurrogate;
      this.pendingSurrogate = '';
      this.pushBytes(Buffer.from(surrogate, 'utf8'), onRecord);
    }
    if (this.head !== undefined && this.head.length > 0) {
      const head = this.head;
      this.head = undefined;
      this.pushBytes(head, onRecord);
    }
    if (this.depth !== 0 || this.inString) {
      throw new Error(`unexpected end of data at byte ${this.offset + 1} (truncated file?)`);
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
      this.carriedBytes = 0;
      this.recordDepth = 2;
      this.expectElement = true;
    } else if (this.depth === this.recordDepth && c === 0x7b) {
      this.startRecord(i);
    }
    this.depth++;
  }

  private close(c: number, bytes: Buffer, i: number, onRecord: OnRecord): void {
    if (this.depth === 0) {
      throw new Error(`not JSON: unexpected ${describeByte(c)} at byte ${this.offset + i + 1}`);
    }
    this.depth--;
    if (this.inRecord && this.depth === this.currentRecordDepth) this.finishRecord(bytes, i, onRecord);
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
    this.carriedBytes = 0;
  }

  private finishRecord(bytes: Buffer, i: number, onRecord: OnRecord): void {
    const start = this.recordStart < 0 ? 0 : this.recordStart;
    const json = this.carried.length === 0 ? bytes.toString('utf8', start, i + 1)
      : Buffer.concat([...this.carried, bytes.subarray(start, i + 1)]).toString('utf8');
    this.inRecord = false;
    this.carried = [];
    this.carriedBytes = 0;
    this.recordStart = -1;
    onRecord(json, true);
  }
}

/** A byte in an error message: the character when it is printable ASCII, else its value. */
function describeByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? JSON.stringify(String.fromCharCode(c)) : `byte 0x${c.toString(16).padStart(2, '0')}`;
}
