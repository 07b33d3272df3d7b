import { CisControl, CisPatternSet } from '../../src/catalog';
import { CLOUDTRAIL_ENVELOPE, eventBridgePattern, EventBridgeRefusal, FieldType } from '../../src/engine/eventbridge';
import { parseFilterPattern } from '../../src/engine/parser';

// The compiler's output and refusals; test/eventbridge/equivalence.test.ts proves the output with event-ruler.

const TYPES = new Map<string, FieldType>([['a', 'string'], ['b', 'string'], ['c.d', 'string'], ['c', 'string'], ['n', 'number'], ['t', 'boolean']]);

function detail(text: string, fieldTypes: ReadonlyMap<string, FieldType> = TYPES): unknown {
  return eventBridgePattern(parseFilterPattern(text).expression, { fieldTypes }).pattern.detail;
}

function refusal(text: string, options: { fieldTypes?: ReadonlyMap<string, FieldType>; maxLength?: number } = {}): EventBridgeRefusal {
  try {
    eventBridgePattern(parseFilterPattern(text).expression, { fieldTypes: TYPES, ...options });
  } catch (e) {
    if (e instanceof EventBridgeRefusal) return e;
    throw e;
  }
  throw new Error(`${text} compiled`);
}

describe('EventBridge compiler: values', () => {
  test.each([
    ['{ $.a = "x" }', { a: ['x'] }],
    ['{ $.a = "x*" }', { a: [{ prefix: 'x' }] }],
    ['{ $.a = "*x" }', { a: [{ suffix: 'x' }] }],
    ['{ $.a = "*x*" }', { a: [{ wildcard: '*x*' }] }],
    ['{ $.a = "*x\\\\*y*" }', { a: [{ wildcard: '*x\\\\\\*y*' }] }],
    ['{ $.a = "x*y" }', { a: ['x*y'] }],
    ['{ $.a = "*" }', { a: [{ exists: true }] }],
    ['{ $.a = "**" }', { a: [{ prefix: '' }] }],
    ['{ $.a != "x" }', { a: [{ 'anything-but': 'x' }] }],
    ['{ $.a != "x*" }', { a: [{ 'anything-but': { prefix: 'x' } }] }],
    ['{ $.a != "*x" }', { a: [{ 'anything-but': { suffix: 'x' } }] }],
    ['{ $.a != "*x*" }', { a: [{ 'anything-but': { wildcard: '*x*' } }] }],
    ['{ $.a NOT EXISTS }', { a: [{ exists: false }] }],
    ['{ $.a IS NULL }', { a: [null] }],
    ['{ $.t IS TRUE }', { t: [true] }],
    ['{ $.t IS FALSE }', { t: [false] }],
    ['{ $.n = 5 }', { n: [{ numeric: ['=', 5] }] }],
    ['{ $.n != 5 }', { n: [{ numeric: ['<', 5] }, { numeric: ['>', 5] }] }],
    ['{ $.n >= -1.5 }', { n: [{ numeric: ['>=', -1.5] }] }],
    ['{ $.c.d = "x" }', { c: { d: ['x'] } }],
    ['{ $.a = %^Put% }', { a: [{ prefix: 'Put' }] }],
    ['{ $.a = %Denied$% }', { a: [{ suffix: 'Denied' }] }],
    ['{ $.a = %^a\\.b\\*$% }', { a: ['a.b*'] }],
    ['{ $.a = %x% }', { a: [{ wildcard: '*x*' }] }],
    ['{ $.a = %^% }', { a: [{ prefix: '' }] }],
    ['{ $.a != %^x% }', { a: [{ 'anything-but': { prefix: 'x' } }] }],
  ])('%s', (text, expected) => {
    expect(detail(text)).toEqual(expected);
  });

  test('|| on one field is a list, || across fields $or, && across fields one object', () => {
    expect(detail('{ $.a = "x" || $.a = "y*" }')).toEqual({ a: ['x', { prefix: 'y' }] });
    expect(detail('{ $.a = "x" || $.b = "y" }')).toEqual({ $or: [{ a: ['x'] }, { b: ['y'] }] });
    expect(detail('{ $.a = "x" && ($.b = "y" || $.b = "z") }')).toEqual({ a: ['x'], b: ['y', 'z'] });
    expect(detail('{ $.a = "x" || $.b = "y" && $.c.d != "z" }')).toEqual({ $or: [{ a: ['x'] }, { b: ['y'], c: { d: [{ 'anything-but': 'z' }] } }] });
  });

  test('!= and != of one kind on one field are one anything-but list (an exclusion\'s negation)', () => {
    expect(detail('{ $.a != "x" && $.a != "y" && $.a != "x" }')).toEqual({ a: [{ 'anything-but': ['x', 'y'] }] });
    expect(detail('{ $.a != "x*" && $.a != "y*" }')).toEqual({ a: [{ 'anything-but': { prefix: ['x', 'y'] } }] });
    expect(detail('{ $.a != "*x" && $.a != "*y" }')).toEqual({ a: [{ 'anything-but': { suffix: ['x', 'y'] } }] });
    expect(detail('{ ($.a != "x" && $.a != "y") || $.a NOT EXISTS || $.a IS NULL }')).toEqual({ a: [{ 'anything-but': ['x', 'y'] }, { exists: false }, null] });
    expect(detail('{ $.a != "x*y" && $.a != "y*" && $.a != "*z" }')).toEqual({ a: [{ 'anything-but': { wildcard: ['x\\*y', 'y*', '*z'] } }] });
    expect(refusal('{ $.a != "x" && $.a = "y*" }').reason).toContain('two different conditions on one field');
  });

  test('a clause that can never hold on a record of the declared types drops its alternative', () => {
    expect(detail('{ ($.a != "x" && $.a NOT EXISTS) || ($.a = "y" && $.a IS NULL) || $.b = "y" }')).toEqual({ b: ['y'] });
    expect(detail('{ $.a = "x" || $.n != "y" }')).toEqual({ a: ['x'] });
    expect(detail('{ $.a = "x" || $.b != "*" }')).toEqual({ a: ['x'] });
  });

  test('the envelope admits every CloudTrail delivery type from AWS sources', () => {
    const { pattern, json, usesWildcard } = eventBridgePattern(parseFilterPattern('{ $.eventName = "ConsoleLogin" }').expression);
    expect(pattern).toEqual({ ...CLOUDTRAIL_ENVELOPE, detail: { eventName: ['ConsoleLogin'] } });
    expect(json).toBe('{"source":[{"prefix":"aws."}],"detail-type":[{"suffix":" via CloudTrail"}],"detail":{"eventName":["ConsoleLogin"]}}');
    expect(usesWildcard).toBe(false);
  });
});

describe('EventBridge compiler: refusals name the clause and the reason', () => {
  test.each([
    ['{ $.a = %x+% }', '$.a = %x+%', 'no regular expressions'],
    ['{ $.a = %^a|b$% }', '$.a = %^a|b$%', 'no regular expressions'],
    ['{ $.a = %\\d% }', '$.a = %\\d%', 'no regular expressions'],
    ['{ $.e[0] = "x" }', '$.e[0] = "x"', 'array index'],
    ['{ $.e[*] = "x" }', '$.e[*] = "x"', 'array wildcard'],
    ['{ $.[\'a.b\'] = "x" }', '$.[\'a.b\'] = "x"', 'contains a period'],
    ['{ $.[\'$or\'] = "x" }', '$.[\'$or\'] = "x"', 'starts with "$"'],
    ['{ $.other = "x" }', '$.other = "x"', 'no documented scalar type'],
    ['{ $.a = "x*" && $.a != "xy" }', '$.a = "x*" && $.a != "xy"', 'two different conditions on one field'],
    ['{ $.c = "x" && $.c.d = "y" }', '$.c = "x" && $.c.d = "y"', 'a field inside it'],
    ['{ $.a != "*" }', '{ $.a != "*" }', 'can never match'],
    ['{ $.a = "\ud800" }', '$.a = "\ud800"', 'lone surrogate'],
    ['{ $.a = "x\\"*" }', '$.a = "x\\"*"', 'prefix matching reads a double quote'],
    ['{ $.a = "*\\"x" }', '$.a = "*\\"x"', 'suffix matching reads a double quote'],
    ['{ $.n = 1e400 }', '$.n = 1e400', 'not a finite double'],
  ])('%s', (text, clause, reason) => {
    const e = refusal(text);
    expect(e.clause).toBe(clause);
    expect(e.reason).toContain(reason);
    expect(e.message).toBe(`${clause}: ${e.reason}`);
  });

  test('a pattern larger than EventBridge\'s limit is refused with its size', () => {
    const text = CisControl.ORGANIZATIONS_CHANGES.patternFor(CisPatternSet.RECOMMENDED);
    const { json } = eventBridgePattern(parseFilterPattern(text).expression);
    const e = refusal(text, { fieldTypes: undefined, maxLength: json.length - 1 });
    expect(e.reason).toBe(`the EventBridge pattern would be ${json.length} characters; EventBridge allows ${json.length - 1} by default`);
    expect(eventBridgePattern(parseFilterPattern(text).expression, { maxLength: json.length }).json).toBe(json);
  });

  test('|| and && that multiply out to more than 256 alternatives are refused', () => {
    const types = new Map<string, FieldType>(['f1', 'f2', 'f3', 'f4', 'f5', 'f6'].map(f => [f, 'string']));
    const or = (x: string, y: string) => `(${Array.from({ length: 7 }, (_, i) => `$.${x} = "v${i}" || $.${y} = "w${i}"`).join(' || ')})`;
    const e = refusal(`{ ${or('f1', 'f2')} && ${or('f3', 'f4')} && ${or('f5', 'f6')} }`, { fieldTypes: types });
    expect(e.reason).toContain('more than 256 alternatives');
  });
});

describe('EventBridge compiler: the catalog', () => {
  test('RECOMMENDED 4.1 is one object; CIS v3.0.0 4.1 (A || B && C && D) is $or of two', () => {
    const recommended = CisControl.UNAUTHORIZED_API_CALLS.patternFor(CisPatternSet.RECOMMENDED);
    expect(eventBridgePattern(parseFilterPattern(recommended).expression).pattern.detail).toEqual({
      errorCode: [{ suffix: 'UnauthorizedOperation' }, { prefix: 'AccessDenied' }],
      eventName: [{ 'anything-but': 'HeadBucket' }],
      sourceIPAddress: [{ 'anything-but': 'delivery.logs.amazonaws.com' }],
    });
    const v3 = CisControl.UNAUTHORIZED_API_CALLS.patternFor(CisPatternSet.CIS_V3_0_0);
    expect(eventBridgePattern(parseFilterPattern(v3).expression).pattern.detail).toEqual({
      $or: [
        { errorCode: [{ suffix: 'UnauthorizedOperation' }] },
        { errorCode: [{ prefix: 'AccessDenied' }], eventName: [{ 'anything-but': 'HeadBucket' }], sourceIPAddress: [{ 'anything-but': 'delivery.logs.amazonaws.com' }] },
      ],
    });
  });

  test('root account usage: NOT EXISTS and != on documented string fields', () => {
    const text = CisControl.ROOT_ACCOUNT_USAGE.patternFor(CisPatternSet.RECOMMENDED);
    expect(eventBridgePattern(parseFilterPattern(text).expression).pattern.detail).toEqual({
      eventType: [{ 'anything-but': 'AwsServiceEvent' }],
      userIdentity: { invokedBy: [{ exists: false }], type: ['Root'] },
    });
  });
});
