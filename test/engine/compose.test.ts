import * as fc from 'fast-check';
import { CisControl, CisPatternSet } from '../../src';
import { LogFilterPattern } from '../../src/engine';
import { FieldTypes, NegationError, UntypedFieldError, conjunction, equalsAny, negate, parseExpression, renderCompact, selector } from '../../src/engine/compose';
// The printed, reproducible seed of every property below (FC_SEED; docs/testing.md).
import '../support/seed';

/** The fields of these tests and their types; `$.o` (an object) is untyped. */
const TYPES: FieldTypes = (s) => ({ '$.userIdentity.arn': 'string', '$.s': 'string', '$.t': 'string', '$.o.s': 'string', '$.n': 'number', '$.f': 'boolean' } as const)[s.text];

const matches = (text: string, event: unknown) => LogFilterPattern.parse(text).matches(event);
/** "control AND NOT exclusion", composed on the tree and printed, as the construct builds operational patterns. */
const operational = (control: string, exclusion: string) =>
  renderCompact(conjunction([parseExpression(control), negate(parseExpression(exclusion), TYPES)]));

const UNAUTHORIZED = CisControl.UNAUTHORIZED_API_CALLS.patternFor(CisPatternSet.RECOMMENDED);
const ROBOT = 'arn:aws:sts::111111111111:assumed-role/robot/*';

describe('negation keeps events that lack the excluded field (the != trap, azul#5884)', () => {
  const excludeRobot = renderCompact(equalsAny(selector('$.userIdentity.arn'), [ROBOT]));
  const pattern = operational(UNAUTHORIZED, excludeRobot);

  test.each([
    ['no userIdentity at all', { errorCode: 'AccessDenied' }],
    ['userIdentity without arn (anonymous caller)', { errorCode: 'AccessDenied', userIdentity: { accountId: 'anonymous' } }],
    ['userIdentity.arn null', { errorCode: 'AccessDenied', userIdentity: { arn: null } }],
    ['another principal', { errorCode: 'AccessDenied', userIdentity: { arn: 'arn:aws:iam::111111111111:user/alice' } }],
  ])('%s still counts', (_name, fields) => {
    const event = { eventName: 'GetObject', sourceIPAddress: '198.51.100.7', ...fields };
    expect(matches(UNAUTHORIZED, event)).toBe(true);
    expect(matches(pattern, event)).toBe(true);
  });

  test('the excluded principal does not count; events outside the control never count', () => {
    const base = { eventName: 'GetObject', sourceIPAddress: '198.51.100.7' };
    expect(matches(pattern, { ...base, errorCode: 'AccessDenied', userIdentity: { arn: 'arn:aws:sts::111111111111:assumed-role/robot/run-42' } })).toBe(false);
    expect(matches(pattern, { ...base, errorCode: 'ThrottlingException', userIdentity: { accountId: 'anonymous' } })).toBe(false);
  });

  test('the naive negation (!= alone) would drop the anonymous caller: the guard is what keeps it', () => {
    const naive = `{(${UNAUTHORIZED.slice(1, -1).trim()})&&($.userIdentity.arn!="${ROBOT}")}`;
    const anonymous = { eventName: 'GetObject', sourceIPAddress: '198.51.100.7', errorCode: 'AccessDenied', userIdentity: { accountId: 'anonymous' } };
    expect(matches(UNAUTHORIZED, anonymous)).toBe(true);
    expect(matches(naive, anonymous)).toBe(false);
    expect(matches(pattern, anonymous)).toBe(true);
    expect(pattern).toContain('$.userIdentity.arn NOT EXISTS');
  });
});

describe('negate is the exact complement for missing, null and same-typed fields', () => {
  const STRINGS = ['a', 'b', 'ab', 'robot-1', 'robot', 'Yes', ''];
  const NUMBERS = [0, 1, 5, 400];
  const field = (pool: fc.Arbitrary<unknown>) =>
    fc.option(fc.oneof({ weight: 4, arbitrary: pool }, { weight: 1, arbitrary: fc.constant(null) }), { nil: undefined });
  const event = fc.record({
    s: field(fc.constantFrom(...STRINGS)),
    t: field(fc.constantFrom(...STRINGS)),
    n: field(fc.constantFrom(...NUMBERS)),
    f: field(fc.boolean()),
    o: fc.option(fc.record({ s: field(fc.constantFrom(...STRINGS)) }), { nil: undefined }),
  }).map(e => JSON.parse(JSON.stringify(e))); // undefined fields become missing, as in a parsed log event

  test.each([
    '{ $.s = "a" }',
    '{ $.s = "robot*" }',
    '{ $.s = "*b" }',
    '{ $.s = "a" || $.s = "b" || $.s = "robot*" }',
    '{ $.s != "a" }',
    '{ $.s = %^rob% }',
    '{ $.s = * }',
    '{ $.n > 1 }',
    '{ $.n <= 5 && $.s = "a" }',
    '{ $.n = 400 || $.t = "Yes" }',
    '{ ($.s = "a" && $.t = "b") || $.o.s = "robot-1" }',
    '{ $.f IS TRUE }',
    '{ $.f IS FALSE || $.s NOT EXISTS }',
    '{ $.s IS NULL }',
    '{ $.o.s NOT EXISTS }',
  ])('NOT %s', (exclusion) => {
    const original = LogFilterPattern.parse(exclusion);
    const complement = LogFilterPattern.parse(renderCompact(negate(parseExpression(exclusion), TYPES)));
    fc.assert(fc.property(event, (e) => complement.matches(e) === !original.matches(e)), { numRuns: 400 });
  });

  test('selector wildcards and "!= *" are refused, not approximated', () => {
    expect(() => negate(parseExpression('{ $.resources[*].ARN = "x" }'), TYPES)).toThrow(NegationError);
    expect(() => negate(parseExpression('{ $.s != * }'), TYPES)).toThrow(/excludes nothing/);
    expect(() => negate(parseExpression('{ $.o NOT EXISTS }'), TYPES)).toThrow(UntypedFieldError);
  });
});

describe('renderCompact', () => {
  const controls = CisControl.all();
  test.each(CisPatternSet.all().flatMap((set) => controls.filter((c) => c.isDefinedIn(set)).map((c) => [set.name, c.key, c.patternFor(set)])))(
    '%s %s: printing the parsed pattern keeps its meaning and stays valid',
    (_set, _key, pattern) => {
      const printed = renderCompact(parseExpression(pattern));
      expect(LogFilterPattern.validate(printed)).toEqual([]);
      expect(LogFilterPattern.parse(printed).groupedText).toBe(LogFilterPattern.parse(pattern).groupedText);
    });

  test('quoting, escapes and keywords survive a round trip', () => {
    const text = '{ ($.a = "say \\"hi\\"" || $.b = bare) && $.c NOT EXISTS && $.d IS NULL && $.e = %^x\\x25y% && $.n >= -1.5 }';
    const printed = renderCompact(parseExpression(text));
    expect(printed).toBe('{(($.a="say \\"hi\\"")||($.b=bare))&&($.c NOT EXISTS)&&($.d IS NULL)&&($.e=%^x\\x25y%)&&($.n>=-1.5)}');
    expect(LogFilterPattern.parse(printed).groupedText).toBe(LogFilterPattern.parse(text).groupedText);
  });
});
