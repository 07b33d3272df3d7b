import { RecordSplitter } from '../src/input/record-splitter';

function split(chunks: string[], splitter = new RecordSplitter()): string[] {
  const records: string[] = [];
  for (const chunk of chunks) splitter.push(chunk, r => records.push(r));
  splitter.end();
  return records;
}

const RECORDS = [
  { eventID: 'a', eventName: 'ConsoleLogin', nested: { Records: [1, 2], s: 'brace } and [ in a string' } },
  { eventID: 'b', msg: 'quote \" backslash \\ and unicode € 😀', arr: [{ x: 1 }, [], {}] },
  { eventID: 'c', Records: 'a string named Records' },
];
const CLOUDTRAIL = JSON.stringify({ Records: RECORDS });

describe('RecordSplitter', () => {
  test('splits a CloudTrail file into its Records, leaving out the wrapper', () => {
    expect(split([CLOUDTRAIL]).map(r => JSON.parse(r))).toEqual(RECORDS);
  });

  test('pretty-printed files and keys before and after Records', () => {
    const text = JSON.stringify({ before: { Records: [{ no: 1 }] }, Records: RECORDS, after: [{ no: 2 }] }, null, 2);
    expect(split([text]).map(r => JSON.parse(r))).toEqual(RECORDS);
  });

  test('JSON lines and concatenated objects: each top-level object is a record', () => {
    const lines = RECORDS.map(r => JSON.stringify(r)).join('\n') + '\n';
    expect(split([lines]).map(r => JSON.parse(r))).toEqual(RECORDS);
    expect(split([RECORDS.map(r => JSON.stringify(r)).join('')]).map(r => JSON.parse(r))).toEqual(RECORDS);
  });

  test('a top-level array: each element object is a record', () => {
    expect(split([JSON.stringify(RECORDS)]).map(r => JSON.parse(r))).toEqual(RECORDS);
  });

  test('a byte order mark at the start is skipped', () => {
    expect(split([`\ufeff${CLOUDTRAIL}`]).map(r => JSON.parse(r))).toEqual(RECORDS);
  });

  test('an empty Records array, empty input and whitespace give no records', () => {
    expect(split(['{"Records":[]}'])).toEqual([]);
    expect(split([''])).toEqual([]);
    expect(split([' \n\t'])).toEqual([]);
  });

  test('every split point of the input gives the same records (strings, escapes and keys across chunks)', () => {
    const text = `${CLOUDTRAIL}\n${JSON.stringify(RECORDS[1])}\n`;
    const expected = split([text]);
    for (let i = 0; i <= text.length; i++) {
      expect(split([text.slice(0, i), text.slice(i)])).toEqual(expected);
    }
    expect(split([...text])).toEqual(expected); // one character per chunk
  });

  test('elements of Records or of a top-level array that are not objects are counted, at every split point', () => {
    const text = `{"Records":[1, "x,]\\"", null,[{"eventID":"in-array"}], true, -2.5e3,${JSON.stringify(RECORDS[0])} , false]}\n`
      + '[ "s" ,{"eventID":"z","n":[1,"2",null]},[] ]\n{"Records":[]}\n{"notRecords":[1,2],"Records":[3]}';
    const count = (chunks: string[]) => {
      const splitter = new RecordSplitter();
      const records = split(chunks, splitter).map(r => JSON.parse(r).eventID);
      return { records, nonObjects: splitter.nonObjectValues };
    };
    const expected = { records: [RECORDS[0].eventID, 'z'], nonObjects: 10 };
    expect(count([text])).toEqual(expected);
    for (let i = 0; i <= text.length; i++) expect(count([text.slice(0, i), text.slice(i)])).toEqual(expected);
    expect(count([...text])).toEqual(expected);
    // Values inside records and around the Records array are not elements.
    expect(count([CLOUDTRAIL, JSON.stringify(RECORDS)])).toEqual({ records: ['a', 'b', 'c', 'a', 'b', 'c'], nonObjects: 0 });
  });

  test('holds at most one record between chunks', () => {
    const record = JSON.stringify(RECORDS[1]);
    const text = `{"Records":[${Array(1000).fill(record).join(',')}]}`;
    const splitter = new RecordSplitter();
    const chunks = text.match(/[^]{1,100}/g) ?? [];
    expect(split(chunks, splitter)).toHaveLength(1000);
    expect(splitter.maxCarriedBytes).toBeLessThanOrEqual(Buffer.byteLength(record));
  });

  test.each([
    ['text that is not JSON', 'hello', /not JSON: unexpected "h" at byte 1/],
    ['a closing bracket first', ']', /not JSON: unexpected "]" at byte 1/],
    ['a truncated file', CLOUDTRAIL.slice(0, 50), /unexpected end of data at byte 51 \(truncated file\?\)/],
    ['an unterminated string', '{"a":"b', /unexpected end of data/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => split([text])).toThrow(message);
  });

  test('delivers the records before a structural error', () => {
    const records: string[] = [];
    const splitter = new RecordSplitter();
    expect(() => splitter.push(`${JSON.stringify(RECORDS[0])}\nnot json`, r => records.push(r))).toThrow(/not JSON/);
    expect(records).toHaveLength(1);
  });

  test('refuses a record longer than the limit', () => {
    const splitter = new RecordSplitter(100);
    expect(() => split(['{"a":"', 'x'.repeat(200), '"}'], splitter)).toThrow('a record is longer than 100 bytes');
  });
});
