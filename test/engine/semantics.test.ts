import { LogFilterPattern } from '../../src/engine';

const matches = (pattern: string, event: unknown) => LogFilterPattern.parse(pattern).matches(event);

describe('AWS documentation vectors', () => {
  // CloudWatch Logs user guide, FilterAndPatternSyntax (2020 version), event A.
  const eventA = {
    eventType: 'UpdateTrail',
    sourceIPAddress: '111.111.111.111',
    arrayKey: ['value', 'another value'],
    objectList: [{ name: 'a', id: 1 }, { name: 'b', id: 2 }],
    SomeObject: null,
    ThisFlag: true,
  };
  test.each([
    '{ $.eventType = "UpdateTrail" }',
    '{ $.sourceIPAddress != 123.123.* }',
    '{ $.arrayKey[0] = "value" }',
    '{ $.objectList[1].id = 2 }',
    '{ $.SomeObject IS NULL }',
    '{ $.SomeOtherObject NOT EXISTS }',
    '{ $.ThisFlag IS TRUE }',
  ])('event A matches %s', pattern => {
    expect(matches(pattern, eventA)).toBe(true);
  });

  // Event B and its precedence examples.
  const eventB = {
    user: { id: 1, email: 'John.Stiles@example.com' },
    users: [{ id: 2, email: 'John.Doe@example.com' }, { id: 3, email: 'Jane.Doe@example.com' }],
    actions: ['GET', 'PUT', 'DELETE'],
    coordinates: [[0, 1, 2], [4, 5, 6], [7, 8, 9]],
  };
  test.each([
    ['{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
    ['{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
    ['{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }', true],
    ['{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }', false],
  ])('event B: %s -> %s', (pattern, expected) => {
    expect(matches(pattern, eventB)).toBe(expected);
  });

  test('event C: a selector naming an array satisfies neither = nor !=', () => {
    expect(matches('{$.users = 1}', { users: [1, 2, 3] })).toBe(false);
    expect(matches('{$.users != 1}', { users: [1, 2, 3] })).toBe(false);
  });

  test('event D (real AWS, DataBiosphere/azul#5884): != on a missing field is false', () => {
    const eventD = { errorCode: 'AccessDenied', userIdentity: { accountId: 'anonymous' } };
    expect(matches('{($.errorCode = "AccessDenied") && ($.userIdentity.invokedBy != "cloudfront.amazonaws.com")}', eventD)).toBe(false);
    // The fix validated with `aws logs test-metric-filter` in azul#8228:
    expect(matches('{($.errorCode = "AccessDenied") && (($.userIdentity.invokedBy NOT EXISTS) || '
      + '($.userIdentity.invokedBy != "cloudfront.amazonaws.com"))}', eventD)).toBe(true);
  });
});

describe('selectors', () => {
  const nested = { 'a': { b: [{ c: 'x' }, { c: 'y' }] }, 'dotted.name': 'd', 'x-amz_id': 'h' };
  test.each([
    ['{ $.a.b[1].c = "y" }', true],
    ['{ $.a.b[2].c NOT EXISTS }', true],
    ['{ $.a.b.c NOT EXISTS }', true], // a key step on an array finds nothing
    ['{ $.a[0] NOT EXISTS }', true], // an index step on an object finds nothing
    ['{ $[\'dotted.name\'] = d }', true],
    ['{ $.x-amz_id = h }', true],
    ['{ $.A NOT EXISTS }', true], // keys are case-sensitive
    ['{ $.constructor NOT EXISTS }', true], // own JSON members only, not JavaScript's prototype
    ['{ $.toString = "*" }', false],
  ])('%s -> %s', (pattern, expected) => {
    expect(matches(pattern, nested)).toBe(expected);
  });

  test('a member named __proto__ in the JSON is found like any other', () => {
    const event = JSON.parse('{"__proto__": {"x": "y"}}');
    expect(matches('{ $.__proto__.x = y }', event)).toBe(true);
    expect(matches('{ $.__proto__.z NOT EXISTS }', event)).toBe(true);
  });

  test('a wildcard step holds when any reached node satisfies the condition', () => {
    const event = { users: [{ id: 2 }, { id: 3 }], tags: { env: 'prod', team: 'x' } };
    expect(matches('{ $.users[*].id = 3 }', event)).toBe(true);
    expect(matches('{ $.users[*].id = 4 }', event)).toBe(false);
    expect(matches('{ $.users[*].id != 2 }', event)).toBe(true); // id 3 is != 2
    expect(matches('{ $.tags.* = prod }', event)).toBe(true);
    expect(matches('{ $.users[*].name NOT EXISTS }', event)).toBe(true);
    expect(matches('{ $.users[*].id NOT EXISTS }', event)).toBe(false);
    expect(matches('{ $.tags.*.deeper = 1 }', event)).toBe(false);
    expect(matches('{ $.nothing[*] = 1 }', event)).toBe(false);
    expect(matches('{ $.tags.env.* NOT EXISTS }', event)).toBe(true); // a string has no children
  });
});

describe('string comparisons', () => {
  test.each([
    // [pattern, value, expected]
    ['{ $.v = "ConsoleLogin" }', 'ConsoleLogin', true],
    ['{ $.v = ConsoleLogin }', 'ConsoleLogin', true], // bare and quoted mean the same
    ['{ $.v = "consolelogin" }', 'ConsoleLogin', false], // case-sensitive
    ['{ $.v = Console }', 'ConsoleLogin', false], // full value, not substring
    ['{ $.v = "*UnauthorizedOperation" }', 'Client.UnauthorizedOperation', true], // leading * = ends with
    ['{ $.v = "*UnauthorizedOperation" }', 'UnauthorizedOperation', true], // * may match nothing
    ['{ $.v = "*UnauthorizedOperation" }', 'Client.UnauthorizedOperationX', false],
    ['{ $.v = "AccessDenied*" }', 'AccessDeniedException', true], // trailing * = starts with
    ['{ $.v = "AccessDenied*" }', 'Client.AccessDenied', false],
    ['{ $.v = *Denied* }', 'Client.AccessDenied.X', true], // both = contains
    ['{ $.v = Ev*ent }', 'Event', false], // a * in the middle is literal
    ['{ $.v = Ev*ent }', 'Ev*ent', true],
    ['{ $.v = 123.123.* }', '123.123.1.1', true],
    ['{ $.v != 123.123.* }', '111.111.111.111', true], // != with wildcard: exists and does not match
    ['{ $.v != 123.123.* }', '123.123.0.1', false],
    ['{ $.v = "a b" }', 'a b', true],
    ['{ $.v = "say \\"hi\\"" }', 'say "hi"', true],
    ['{ $.v = "back\\\\slash" }', 'back\\slash', true],
    ['{ $.v = "" }', '', true],
    ['{ $.v != "" }', 'x', true],
    ['{ $.v = "Yes" }', 'YES', false], // the CloudTrail guide's root MFA sample
  ])('%s on %j -> %s', (pattern, value, expected) => {
    expect(matches(pattern, { v: value })).toBe(expected);
  });

  test('a missing field, null, an object or an array satisfies neither = nor !=', () => {
    for (const event of [{}, { v: null }, { v: { x: 1 } }, { v: ['x'] }]) {
      expect(matches('{ $.v = "x" }', event)).toBe(false);
      expect(matches('{ $.v != "x" }', event)).toBe(false);
      expect(matches('{ $.v = "*" }', event)).toBe(false);
    }
  });

  test('choice: a string value never equals a number or boolean, and != does not hold either', () => {
    expect(matches('{ $.v = "400" }', { v: 400 })).toBe(false);
    expect(matches('{ $.v != "400" }', { v: 400 })).toBe(false);
    expect(matches('{ $.v = true }', { v: true })).toBe(false); // use IS TRUE for booleans
    expect(matches('{ $.v != x }', { v: false })).toBe(false);
  });

  test('** matches any string (a leading and a trailing wildcard around nothing)', () => {
    expect(matches('{ $.v = ** }', { v: '' })).toBe(true);
    expect(matches('{ $.v = ** }', { v: 'x' })).toBe(true);
    expect(matches('{ $.v = ** }', { v: 1 })).toBe(false);
  });

  test('a lone * (CDK exists() matches any present string, number or boolean, and != * never holds', () => {
    for (const v of ['', 'x', 0, 1.5, true, false]) {
      expect(matches('{ $.v = "*" }', { v })).toBe(true);
      expect(matches('{ $.v = * }', { v })).toBe(true);
      expect(matches('{ $.v != "*" }', { v })).toBe(false);
    }
  });
});

describe('numeric comparisons', () => {
  test.each([
    ['{ $.n = 400 }', 400, true],
    ['{ $.n = 400 }', 400.0, true],
    ['{ $.n = 4e2 }', 400, true],
    ['{ $.n = +400 }', 400, true],
    ['{ $.n != 400 }', 401, true],
    ['{ $.n != 400 }', 400, false],
    ['{ $.n < 0 }', -5, true],
    ['{ $.n <= -5 }', -5, true],
    ['{ $.n > 1e-3 }', 0.01, true],
    ['{ $.n > 1e-3 }', 0.0001, false],
    ['{ $.n >= 10E3 }', 10000, true],
    ['{ $.n = .5 }', 0.5, true],
    ['{ $.n = 0 }', -0, true],
  ])('%s on %j -> %s', (pattern, value, expected) => {
    expect(matches(pattern, { n: value })).toBe(expected);
  });

  test('choice: a number never equals a numeric string; no comparison holds across types', () => {
    for (const op of ['=', '!=', '<', '<=', '>', '>=']) {
      expect(matches(`{ $.n ${op} 400 }`, { n: '400' })).toBe(false);
      expect(matches(`{ $.n ${op} 400 }`, { n: true })).toBe(false);
      expect(matches(`{ $.n ${op} 400 }`, { n: null })).toBe(false);
      expect(matches(`{ $.n ${op} 400 }`, { n: [400] })).toBe(false);
      expect(matches(`{ $.n ${op} 400 }`, {})).toBe(false);
    }
  });
});

describe('IS NULL, IS TRUE, IS FALSE, NOT EXISTS', () => {
  test.each([
    // [pattern, event, expected]
    ['{ $.v IS NULL }', { v: null }, true],
    ['{ $.v IS NULL }', {}, false],
    ['{ $.v IS NULL }', { v: 'null' }, false],
    ['{ $.v IS TRUE }', { v: true }, true],
    ['{ $.v IS TRUE }', { v: 'true' }, false], // CloudTrail's mfaAuthenticated is the string "true"
    ['{ $.v IS FALSE }', { v: false }, true],
    ['{ $.v IS FALSE }', { v: 0 }, false],
    ['{ $.v NOT EXISTS }', {}, true],
    ['{ $.v NOT EXISTS }', { v: null }, false],
    ['{ $.v NOT EXISTS }', { v: {} }, false],
    ['{ $.v.w NOT EXISTS }', { v: 'scalar' }, true],
  ])('%s on %j -> %s', (pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });
});

describe('regex terms', () => {
  test.each([
    ['{ $.v = %^Put% }', 'PutBucketPolicy', true],
    ['{ $.v = %Policy$% }', 'PutBucketPolicy', true],
    ['{ $.v = %Bucket% }', 'PutBucketPolicy', true], // unanchored: a search, not a full match
    ['{ $.v = %^Bucket% }', 'PutBucketPolicy', false],
    ['{ $.v != %^Put% }', 'GetBucketPolicy', true],
    ['{ $.v != %^Put% }', 'PutBucketPolicy', false],
    ['{ $.v = %100\\x25% }', 'at 100%', true], // \xhh for a character the regex syntax does not allow
  ])('%s on %j -> %s', (pattern, value, expected) => {
    expect(matches(pattern, { v: value })).toBe(expected);
  });

  test('regex terms apply to strings only', () => {
    expect(matches('{ $.v = %4% }', { v: 400 })).toBe(false);
    expect(matches('{ $.v != %4% }', { v: 5 })).toBe(false);
    expect(matches('{ $.v = %.% }', {})).toBe(false);
  });
});

describe('events', () => {
  test('matchesJson parses the event; invalid JSON never matches', () => {
    const p = LogFilterPattern.parse('{ $.a NOT EXISTS }');
    expect(p.matchesJson('{"b":1}')).toBe(true);
    expect(p.matchesJson('{"a":1}')).toBe(false);
    expect(p.matchesJson('not json')).toBe(false);
    expect(p.matchesJson('')).toBe(false);
  });

  test('non-object events: selectors find nothing', () => {
    const p = LogFilterPattern.parse('{ $.a NOT EXISTS }');
    for (const event of [null, undefined, 'text', 42, true, [1, 2]]) {
      expect(p.matches(event)).toBe(true);
      expect(LogFilterPattern.parse('{ $.a = "*" }').matches(event)).toBe(false);
    }
    expect(LogFilterPattern.parse('{ $[1] = 2 }').matches([1, 2])).toBe(true);
  });
});
