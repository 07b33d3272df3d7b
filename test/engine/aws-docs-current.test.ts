// The examples of the CURRENT edition of the Amazon CloudWatch Logs User Guide, page by page and section by section,
// with the results the pages state. The older edition's examples (FilterAndPatternSyntax, 2020-2022) stay in
// semantics.test.ts. Where a page shows a text-term or space-delimited pattern (which this JSON-only engine does not
// parse), its regex is tested as a regex term on a JSON string value, which the pages say is the same regex syntax.
//
// Pages (read from stored copies of docs.aws.amazon.com, fetched 2026; see docs/filter-patterns.md):
//   FPS  = "Filter pattern syntax for metric filters, subscription filters, filter log events, and Live Tail"
//          https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
//   JSON = "Using filter patterns to match terms in JSON log events"
//          https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/matching-terms-json-log-events.html
//   RE   = "Supported regular expressions (regex) syntax"
//          https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/regex-expressions.html
import { FilterPatternSyntaxError, LogFilterPattern } from '../../src/engine';

const matches = (pattern: string, event: unknown) => LogFilterPattern.parse(pattern).matches(event);
/** A regex term applied to one JSON string value. */
const regexMatches = (regex: string, value: string) => matches(`{ $.v = %${regex}% }`, { v: value });

function rejection(pattern: string): FilterPatternSyntaxError {
  try {
    LogFilterPattern.parse(pattern);
  } catch (e) {
    if (e instanceof FilterPatternSyntaxError) return e;
    throw e;
  }
  throw new Error(`accepted: ${pattern}`);
}

// JSON, "Sample JSON log event for testing" (single-condition section); FPS, "JSON log event" (same event).
const SAMPLE = {
  'eventType': 'UpdateTrail',
  'sourceIPAddress': '111.111.111.111',
  'arrayKey': ['value', 'another value'],
  'objectList': [{ name: 'a', id: 1 }, { name: 'b', id: 2 }],
  'SomeObject': null,
  'cluster.name': 'c',
};

// JSON, compound-expression section, "Sample JSON log event for testing"; FPS, "JSON object".
const COMPOUND = {
  user: { id: 1, email: 'John.Stiles@example.com' },
  users: [{ id: 2, email: 'John.Doe@example.com' }, { id: 3, email: 'Jane.Doe@example.com' }],
  actions: ['GET', 'PUT', 'DELETE'],
  coordinates: [[0, 1, 2], [4, 5, 6], [7, 8, 9]],
};

describe('JSON page: single-condition examples, on its sample event', () => {
  test.each([
    ['Monitor application events by type', '{ $.eventType = "UpdateTrail" }'],
    ['Block suspicious IP addresses', '{ $.sourceIPAddress != 123.123.* }'],
    ['Track specific application events', '{ $.arrayKey[0] = "value" }'],
    ['Find events using pattern matching', '{ $.eventType = %Trail% }'],
    ['Monitor application data with wildcards', '{ $.arrayKey[*] = %val.{2}% }'],
    ['Track network traffic patterns', '{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }'],
    ['Handle JSON properties with special characters', '{ $.[\'cluster.name\'] = "c" }'],
    ['Find null or missing values', '{ $.SomeObject IS NULL }'],
    ['Detect missing configuration fields', '{ $.SomeOtherObject NOT EXISTS }'],
  ])('JSON, "%s": %s matches', (_section, pattern) => {
    expect(matches(pattern, SAMPLE)).toBe(true);
  });

  test('JSON, "Handle JSON properties with special characters": the bracket selects the key with the period, not a path', () => {
    expect(matches('{ $.[\'cluster.name\'] = "c" }', { cluster: { name: 'c' } })).toBe(false);
    expect(matches('{ $.[\'cluster.name\'] = "c" }', { 'cluster.name': 'd' })).toBe(false);
    expect(matches('{ $.[\'cluster.name\'] NOT EXISTS }', { cluster: { name: 'c' } })).toBe(true);
    expect(matches('{ $.meta.[\'k8s.io/name\'] = "x" }', { meta: { 'k8s.io/name': 'x' } })).toBe(true);
    expect(LogFilterPattern.parse('{ $.[\'cluster.name\'] = "c" }').selectors).toEqual(['$.[\'cluster.name\']']);
  });

  test('JSON, "Monitor application events by type": the three example logs the section lists', () => {
    const p = '{ $.eventType = "UpdateTrail" }';
    expect(matches(p, { eventType: 'UserLogin', userId: '123' })).toBe(false);
    expect(matches(p, { eventType: 'ConfigUpdate', component: 'database' })).toBe(false);
    expect(matches(p, { eventType: 'UpdateTrail', source: 'cloudtrail' })).toBe(true);
  });

  test('JSON, "Monitor application data with wildcards": any element may match; none matching is no match', () => {
    expect(matches('{ $.arrayKey[*] = %val.{2}% }', { arrayKey: ['x', 'value'] })).toBe(true);
    expect(matches('{ $.arrayKey[*] = %val.{2}% }', { arrayKey: ['va', 'vale'] })).toBe(false);
  });

  test('JSON, "Track network traffic patterns": a subnet outside the range does not match', () => {
    expect(matches('{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }', { ...SAMPLE, sourceIPAddress: '111.111.111.9' })).toBe(false);
  });

  test('JSON: "The variables IS NOT and EXISTS currently aren\'t supported"', () => {
    expect(rejection('{ $.SomeObject IS NOT NULL }').message).toContain('"IS NOT" is not supported');
    expect(rejection('{ $.SomeObject EXISTS }').message).toContain('"EXISTS" is not supported');
  });

  test('JSON, Quotas: "up to one wildcard selector in a property selector, and up to three ... in a filter pattern"', () => {
    expect(LogFilterPattern.validate('{ $.*.[\'a\'][*] = 1 }')).toEqual([
      'A selector of the filter pattern has more than one wildcard; CloudWatch Logs allows one per selector',
    ]);
    expect(LogFilterPattern.validate('{ $.a[*] = 1 || $.b.* = 1 || $.c[*] = 1 || $.d[*] = 1 }')).toHaveLength(1);
  });
});

describe('JSON page: compound expressions, on its sample event', () => {
  test.each([
    ['Monitor specific user actions', '{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
    ['Alert on any suspicious activity',
      '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }', true],
    ['Require multiple conditions for alerts',
      '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }', false],
    ['Monitor failed correlation attempts', '{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
  ])('JSON, "%s": %s -> %s', (_section, pattern, expected) => {
    expect(matches(pattern, COMPOUND)).toBe(expected);
  });
});

describe('Filter pattern syntax page: "Using filter patterns to match terms in JSON log events"', () => {
  test.each([
    // "Writing filter patterns that match numeric values", its example list.
    ['Filter pattern with greater than symbol', '{ $.bandwidth > 75 }', { bandwidth: 76 }, { bandwidth: 75 }],
    ['Filter pattern with less than symbol', '{ $.latency < 50 }', { latency: 49 }, { latency: 50 }],
    ['Filter pattern with greater than or equal to symbol', '{ $.refreshRate >= 60 }', { refreshRate: 60 }, { refreshRate: 59 }],
    ['Filter pattern with less than or equal to symbol', '{ $.responseTime <= 5 }', { responseTime: 5 }, { responseTime: 6 }],
    ['Filter pattern with equal sign', '{ $.errorCode = 400}', { errorCode: 400 }, { errorCode: 401 }],
    ['Filter pattern with not equal sign', '{ $.errorCode != 500 }', { errorCode: 400 }, { errorCode: 500 }],
    ['Filter pattern with scientific notation and plus symbol', '{ $.number[0] = 1e+3 }', { number: [1000] }, { number: [1001] }],
    ['Filter pattern with scientific notation and minus symbol', '{ $.number[0] != 1e-3 }', { number: [1] }, { number: [0.001] }],
  ])('FPS, numeric values, "%s": %s', (_example, pattern, matching, missing) => {
    expect(matches(pattern, matching)).toBe(true);
    expect(matches(pattern, missing)).toBe(false);
  });

  test.each([
    ['Filter pattern that matches string values', '{ $.eventType = "UpdateTrail" }'],
    ['Filter pattern that matches string values (IP address)', '{ $.sourceIPAddress != 123.123.* }'],
    ['Filter pattern that matches a specific array element with a string value', '{ $.arrayKey[0] = "value" }'],
    ['Filter pattern that matches a string using regex', '{ $.eventType = %Trail% }'],
    ['Filter pattern that uses a wildcard to match values of any element in the array using regex', '{ $.arrayKey[*] = %val.{2}% }'],
    ['Filter pattern that uses a wildcard to match values of any element with a specific prefix and subnet using regex (IP address)',
      '{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }'],
    ['Filter pattern that matches a JSON property with a period (.) in the key', '{ $.[\'cluster.name\'] = "c" }'],
    ['Filter pattern that matches JSON logs using IS', '{ $.SomeObject IS NULL }'],
    ['Filter pattern that matches JSON logs using NOT EXISTS', '{ $.SomeOtherObject NOT EXISTS }'],
  ])('FPS, "Example: %s": %s matches the page\'s JSON log event', (_example, pattern) => {
    expect(matches(pattern, SAMPLE)).toBe(true);
  });

  test.each([
    ['Expression that matches using AND (&&)', '{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', true],
    ['Expression that matches using OR (||)',
      '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch" && $.actions[2] = "nonmatch" }', true],
    ['Expression that doesn\'t match using AND (&&)',
      '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = "nonmatch") && $.actions[2] = "nonmatch" }', false],
    ['Expression that doesn\'t match using OR (||)', '{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', false],
  ])('FPS, "Example: %s": %s -> %s', (_example, pattern, expected) => {
    expect(matches(pattern, COMPOUND)).toBe(expected);
  });

  test('FPS, "Number": "Use the asterisk (*) as a wild card to match numbers"', () => {
    expect(matches('{ $.latency = * }', { latency: 12 })).toBe(true);
    expect(matches('{ $.latency = * }', {})).toBe(false);
  });

  test('FPS, "String": values with characters other than alphanumerics and "_" go in double quotes; quoted means the same', () => {
    expect(matches('{ $.user.email = "John.Stiles@example.com" }', COMPOUND)).toBe(true);
    expect(matches('{ $.actions[2] = DELETE }', COMPOUND)).toBe(matches('{ $.actions[2] = "DELETE" }', COMPOUND));
  });
});

describe('Regex page (and FPS "Supported regular expressions (regex) syntax"): the examples', () => {
  test('RE, introduction: %AUTHORIZED% returns both example messages', () => {
    expect(regexMatches('AUTHORIZED', '[ERROR 401] UNAUTHORIZED REQUEST')).toBe(true);
    expect(regexMatches('AUTHORIZED', '[SUCCESS 200] AUTHORIZED REQUEST')).toBe(true);
    expect(regexMatches('AUTHORIZED', '[SUCCESS 200] OK')).toBe(false);
  });

  test('RE, introduction: %\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}% matches an IP address', () => {
    expect(regexMatches('\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}', 'from 10.0.12.255 port 22')).toBe(true);
    expect(regexMatches('\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}', 'version 1.2.3')).toBe(false);
  });

  test('RE, introduction: %[Ee]rror|[Ff]ail% catches Error/error and Fail/fail', () => {
    for (const v of ['Error: x', 'an error', 'Fail', 'will fail']) expect(regexMatches('[Ee]rror|[Ff]ail', v)).toBe(true);
    expect(regexMatches('[Ee]rror|[Ff]ail', 'ERROR FAIL')).toBe(false);
  });

  test.each([
    // [operator, regex, values that match, values that do not]
    ['^', '^[hc]at', ['hat', 'cat', 'hat trick'], ['a hat', 'that']],
    ['$', '[hc]at$', ['hat', 'the cat'], ['hats', 'cat!x']],
    ['?', 'colou?r', ['color', 'colour'], ['colouur', 'colr']],
    ['[] list', '^[abc]$', ['a', 'b', 'c'], ['d', 'ab']],
    ['[] range', '^[a-z]$', ['a', 'q', 'z'], ['A', '0']],
    ['[] list and range', '^[abcx-z]$', ['a', 'b', 'c', 'x', 'y', 'z'], ['d', 'w']],
    ['{m, n}', '^a{3,5}$', ['aaa', 'aaaa', 'aaaaa'], ['aa', 'aaaaaa']],
    ['{m, n}, unanchored as written', 'a{3,5}', ['aaa', 'aaaa', 'aaaaa'], ['aa', 'a', 'aba']],
    ['| (gra|ey)', 'gra|ey', ['gray', 'grey'], ['gry']],
    ['| with anchors', '^starting|^initializing|^shutting down', ['starting ...', 'initializing ...', 'shutting down'],
      ['skipping initializing ...']],
    // The page writes this one as %abcc|ab[^c]$ (its closing % is missing); "..." stands for the rest of a value.
    ['| with a negated class', 'abcc|ab[^c]$', ['abcc ...', 'aba'], ['aac ...', 'abc']],
    ['\\ escape', '\\[.\\]', ['[a]', '[b]', '[7]', '[@]', '[]]', '[ ]'], ['[]', 'a']],
    ['\\. in an IP address', '10\\.10\\.0\\.1', ['10.10.0.1'], ['10010,051']],
    ['. unescaped in an IP address (the page\'s warning)', '10.10.0.1', ['10.10.0.1', '10010,051'], ['10.10.0']],
    ['*', '^ab*c$', ['ac', 'abc', 'abbbc'], ['abd']],
    ['* after a class', '^ab[0-9]*$', ['ab', 'ab0', 'ab129'], ['a', 'abx']],
    ['+', '^ab+c$', ['abc', 'abbc', 'abbbc'], ['ac']],
    ['.', '^.at$', ['hat', 'cat', 'bat', '4at', '#at', ' at'], ['at', 'chat']],
    ['\\d', '\\d', ['a1'], ['abc']],
    ['\\D', '\\D', ['1a1'], ['123']],
    ['\\s', '\\s', ['a b', 'a\tb', 'a\nb'], ['ab']],
    ['\\S', '^\\S+$', ['ab'], ['a b']],
    ['\\w', '^\\w+$', ['a_Z9'], ['a-b']],
    ['\\W', '\\W', ['a-b', 'a b'], ['a_b9']],
    ['\\xhh (\\x3A is ":")', '\\x3A', ['key:value'], ['key=value']],
    ['\\xhh (\\x28 is "(")', '\\x28', ['f(x)'], ['fx']],
  ])('RE, "Usage of supported operators", %s: %s', (_operator, regex, yes, no) => {
    for (const v of yes) expect({ v, matched: regexMatches(regex as string, v) }).toEqual({ v, matched: true });
    for (const v of no) expect({ v, matched: regexMatches(regex as string, v) }).toEqual({ v, matched: false });
  });

  test('RE: %\\d% is equivalent to %[0-9]%, %\\D% to %[^0-9]%, %\\w% to %[a-zA-Z_0-9]%, %\\W% to %[^a-zA-Z_0-9]%', () => {
    const pairs = [['\\d', '[0-9]'], ['\\D', '[^0-9]'], ['\\w', '[a-zA-Z_0-9]'], ['\\W', '[^a-zA-Z_0-9]']];
    for (let c = 0; c < 128; c++) {
      const v = String.fromCharCode(c);
      for (const [a, b] of pairs) expect({ v, a, m: regexMatches(a, v) }).toEqual({ v, a, m: regexMatches(b, v) });
    }
  });

  test('RE, {m, n} note: "Either m or n can be omitted" -- {,n} is 0 to n, not the literal text "{,n}"', () => {
    expect(regexMatches('^xa{,2}y$', 'xy')).toBe(true);
    expect(regexMatches('^xa{,2}y$', 'xaay')).toBe(true);
    expect(regexMatches('^xa{,2}y$', 'xaaay')).toBe(false);
    expect(regexMatches('^xa{,2}y$', 'xa{,2}y')).toBe(false);
    expect(regexMatches('^xa{2,}y$', 'xay')).toBe(false);
    expect(regexMatches('^xa{2,}y$', 'xaaaaay')).toBe(true);
    expect(regexMatches('^xa{2}y$', 'xaay')).toBe(true);
    expect(regexMatches('^xa{2}y$', 'xaaay')).toBe(false);
  });

  test('RE: "%something!% would be rejected since ! is not supported" -- rejected at parse time, so synth fails', () => {
    const e = rejection('{ $.v = %something!% }');
    expect(e.position).toBe(19);
    expect(e.found).toBe('"!"');
    expect(e.message).toContain('match "!" with \\x21');
    expect(LogFilterPattern.validate('{ $.v = %something!% }')[0]).toMatch(/^Invalid filter pattern: Expected .* at position 19 but found "!"/);
  });

  test('RE: "The ( and ) operators are not supported. You cannot use parentheses to define a subpattern."', () => {
    expect(rejection('{ $.v = %^(a+)+$% }').message).toContain('does not support parentheses');
    expect(rejection('{ $.v = %a)% }').found).toBe('")"');
    expect(rejection('{ $.v = %[(]% }').found).toBe('"("');
  });

  test('RE: "Multi-byte characters are not supported."', () => {
    for (const regex of ['café', '[é]', '€', '😀', 'a\\é']) {
      expect(rejection(`{ $.v = %${regex}% }`).message).toContain('multi-byte');
    }
    expect(rejection('{ $.v = %\\xE9% }').message).toContain('multi-byte');
  });

  test('RE: only the listed characters, symbols and operators', () => {
    // Every supported symbol and operator is accepted somewhere.
    expect(() => LogFilterPattern.parse('{ $.v = %^a:_#=@/;,- b?[c]{1}|\\.*x+.$% }')).not.toThrow();
    // Every other printable ASCII character is refused (escape it as \xhh).
    for (const c of ['!', '"', '&', '\'', '(', ')', '<', '>', '`', '~']) {
      expect({ c, found: rejection(`{ $.v = %a${c}% }`).found }).toEqual({ c, found: JSON.stringify(c) });
    }
    expect(rejection('{ $.v = %a\tb% }').message).toContain('control characters');
  });

  test('FPS, space-delimited section: the regexes of its fields, as regex terms on the field values', () => {
    // [ip=%127\.0\.0\.[1-9]%, ...] "matches IP address range 127.0.0.1 - 127.0.0.9"
    for (const ip of ['127.0.0.1', '127.0.0.9']) expect(regexMatches('127\\.0\\.0\\.[1-9]', ip)).toBe(true);
    expect(regexMatches('127\\.0\\.0\\.[1-9]', '127.0.0.0')).toBe(false);
    // "Match the top level item in a resource URI" / "Match the child level item in a resource URI"
    expect(regexMatches('/service/resource/[0-9]+$', '/service/resource/67')).toBe(true);
    expect(regexMatches('/service/resource/[0-9]+$', '/service/resource/67/part/111')).toBe(false);
    expect(regexMatches('/service/resource/[0-9]+/part/[0-9]+$', '/service/resource/67/part/111')).toBe(true);
    expect(regexMatches('/service/resource/[0-9]+/part/[0-9]+$', '/service/resource/67')).toBe(false);
  });

  test('RE, Quotas: at most 2 regex terms in a JSON filter pattern', () => {
    expect(LogFilterPattern.validate('{ $.a = %x% || $.b = %y% || $.c = %z% }'))
      .toEqual(['The filter pattern has 3 regex terms; CloudWatch Logs allows at most 2']);
  });
});
