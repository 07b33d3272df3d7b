import { FilterPatternSyntaxError, LogFilterPattern } from '../../src/engine';

const REGEX_CHARS = 'letters, digits, space, : _ # = @ / ; , - or an operator ^ $ ? [ ] { } | \\ * + .';

function syntaxError(text: string): FilterPatternSyntaxError {
  try {
    LogFilterPattern.parse(text);
  } catch (e) {
    if (e instanceof FilterPatternSyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed without error: ${text}`);
}

describe('grammar', () => {
  test.each([
    ['whitespace around operators is optional', '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)}'],
    ['no parentheses at all (CIS root usage)', '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }'],
    ['no space before the closing brace', '{ $.eventType != "AwsServiceEvent"}'],
    ['tabs and newlines', '{\n\t($.a = 1)\r\n\t&& ($.b = "x")\n}'],
    ['nested groups', '{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }'],
    ['array indexes, repeated', '{ $.coordinates[0][1] = 1 }'],
    ['index then key', '{ $.objectList[1].id = 2 }'],
    ['selector wildcards', '{ $.a.* = 1 || $.b[*].c = "x" }'],
    ['bracketed field names', '{ $[\'dotted.name\'] = "x" }'],
    ['names with - and _', '{ $.x-amz_id = "x" }'],
    ['all comparison operators', '{ $.a = 1 && $.a != 2 && $.a < 3 && $.a <= 4 && $.a > 0 && $.a >= 1 }'],
    ['numbers with sign, decimals and exponents', '{ $.a = -5 || $.a = +1000 || $.a = 1.5 || $.a = .5 || $.a = 1e-3 || $.a = 10E3 || $.a = 1e+21 }'],
    ['IS NULL / TRUE / FALSE and NOT EXISTS', '{ $.a IS NULL || $.b IS TRUE || $.c IS FALSE || $.d NOT EXISTS }'],
    ['escaped quotes and backslashes in quoted values', '{ $.a = "x\\"y\\\\z" }'],
    ['bare values with dots, stars and colons', '{ $.a = kms.amazonaws.com || $.b = *UnauthorizedOperation || $.c = arn:aws:iam::1:root }'],
    ['regex terms', '{ $.eventName = %^Put[A-Z]% && $.errorCode != %Denied$% }'],
    ['regex with \\x25 for a percent sign', '{ $.a = %100\\x25% }'],
    ['documented selector for a key with a period', '{ $.[\'cluster.name\'] = "c" }'],
    ['leading and trailing whitespace', '   { $.a = 1 }   '],
  ])('%s', (_name, text) => {
    expect(LogFilterPattern.parse(text).text).toBe(text);
  });

  test('&& binds tighter than ||, and parentheses group', () => {
    expect(LogFilterPattern.parse('{ $.a = 1 || $.b = 2 && $.c = 3 }').groupedText).toBe('{ ($.a = 1) || (($.b = 2) && ($.c = 3)) }');
    expect(LogFilterPattern.parse('{ ($.a = 1 || $.b = 2) && $.c = 3 }').groupedText).toBe('{ (($.a = 1) || ($.b = 2)) && ($.c = 3) }');
    expect(LogFilterPattern.parse('{ $.a = x && $.b IS NULL }').groupedText).toBe('{ ($.a = "x") && ($.b IS NULL) }');
  });

  test('reports regex terms, selector wildcards, length and selectors', () => {
    const p = LogFilterPattern.parse('{ $.a = %x% || $.b[*] = %y% || $.a = "z" }');
    expect(p.regexTermCount).toBe(2);
    expect(p.selectorWildcardCount).toBe(1);
    expect(p.characterCount).toBe(42);
    expect(p.selectors).toEqual(['$.a', '$.b[*]']);
  });
});

describe('syntax errors name the position and what was expected', () => {
  test.each([
    // [description, pattern, position, expected, found]
    ['empty pattern', '', 1, '"{"', 'end of pattern'],
    ['text-term pattern', 'ERROR', 1, '"{"', '"ERROR"'],
    ['space-delimited pattern', '[ip, user]', 1, '"{"', '"["'],
    ['empty braces', '{ }', 3, 'a selector ("$.field") or "("', '"}"'],
    ['missing closing brace', '{ $.a = 1', 10, '"}"', 'end of pattern'],
    ['text after the closing brace', '{ $.a = 1 } x', 13, 'end of pattern', '"x"'],
    ['CIS 4.2 Additional Information: missing ")"', '{ ($.a = "x") && ($.b = "Success"}', 34, '")"', '"}"'],
    ['CIS v6.0.0 4.15: unbalanced quote', '{ (($.eventName = AcceptHandshake") || ($.eventName = "AttachPolicy")) }', 34, '")"', '"\\""'],
    ['CIS v1.3.0 4.4: $eventName without the dot', '{($.eventName=A)||($eventName=B)}', 21, '"." or "[" after "$"', '"eventName"'],
    ['prowler: unquoted value with a space', '{ ($.errorMessage = Failed authentication) }', 28, '")"', '"authentication"'],
    ['PDF artefact: split selector', '{ ($.eventNa me=DeleteUserPolicy) }', 14, 'a comparison operator (=, !=, <, <=, >, >=), "IS" or "NOT EXISTS"', '"me"'],
    ['dangling ||', '{ $.a = 1 || }', 14, 'a selector ("$.field") or "("', '"}"'],
    ['single &', '{ $.a = 1 & $.b = 2 }', 11, '"}"', '"&"'],
    ['empty group', '{ () }', 4, 'a selector ("$.field") or "("', '")"'],
    ['missing value', '{ $.a = }', 9, 'a value', '"}"'],
    ['== is not an operator', '{ $.a == 1 }', 8, 'a value', '"="'],
    ['missing operator', '{ $.a 1 }', 7, 'a comparison operator (=, !=, <, <=, >, >=), "IS" or "NOT EXISTS"', '"1"'],
    ['lower-case keyword', '{ $.a is null }', 7, 'a comparison operator (=, !=, <, <=, >, >=), "IS" or "NOT EXISTS"', '"is"'],
    ['IS NOT is unsupported', '{ $.a IS NOT NULL }', 10, '"NULL", "TRUE" or "FALSE"', '"NOT"'],
    ['IS something else', '{ $.a IS EMPTY }', 10, '"NULL", "TRUE" or "FALSE"', '"EMPTY"'],
    ['IS without a space after', '{ $.a IS}', 9, '"NULL", "TRUE" or "FALSE"', '"}"'],
    ['NOT without EXISTS', '{ $.a NOT NULL }', 11, '"EXISTS"', '"NULL"'],
    ['NOT without a space after', '{ $.a NOT}', 10, '"EXISTS"', '"}"'],
    ['EXISTS alone is unsupported', '{ $.a EXISTS }', 7, 'a comparison operator (=, !=, <, <=, >, >=), "IS" or "NOT EXISTS"', '"EXISTS"'],
    ['keyword glued to the selector', '{ $.aIS NULL }', 9, 'a comparison operator (=, !=, <, <=, >, >=), "IS" or "NOT EXISTS"', '"NULL"'],
    ['selector without a step', '{ $ = 1 }', 4, '"." or "[" after "$"', '" "'],
    ['empty field name', '{ $. = 1 }', 5, 'a field name (letters, digits, "_" or "-")', '" "'],
    ['bad index', '{ $.a[x] = 1 }', 7, 'an array index (digits), "*" or a quoted field name', '"x"'],
    ['unclosed index', '{ $.a[0 = 1 }', 8, '"]"', '" "'],
    ['unclosed bracketed name', '{ $[\'a = 1 }', 6, '"\'" closing the field name', '"a"'],
    ['empty bracketed name', '{ $[\'\'] = 1 }', 6, 'a field name', '"\'"'],
    ['unclosed quoted value', '{ $.a = "abc }', 15, '"\\"" closing the value', 'end of pattern'],
    ['unclosed regex', '{ $.a = %abc }', 15, '"%" closing the regular expression', 'end of pattern'],
    ['empty regex', '{ $.a = %% }', 10, 'a regular expression', '"%"'],
    ['regex with parentheses (unsupported by CloudWatch Logs)', '{ $.a = %(% }', 10, REGEX_CHARS, '"("'],
    ['regex with an escaped percent sign', '{ $.a = %100\\%% }', 14, REGEX_CHARS, '"%"'],
    ['CDK regexValue with an unescaped %', '{ $.a = %ab%c% }', 13, '"}"', '"c"'],
    ['< with a string', '{ $.a < abc }', 9, 'a number', '"abc"'],
    ['< with a quoted number', '{ $.a >= "5" }', 10, 'a number', '"\\""'],
    ['< with a regex', '{ $.a > %5% }', 9, 'a number', '"%"'],
    ['selector where a value belongs: "$" needs quotes', '{ $.a = $.b c }', 9, 'a double-quoted value', '"$"'],
  ])('%s', (_name, text, position, expected, found) => {
    const e = syntaxError(text);
    expect({ position: e.position, expected: e.expected, found: e.found }).toEqual({ position, expected, found });
    expect(e.message).toMatch(new RegExp(`^Expected .* at position ${position} but found `));
  });

  test('the message reads like the brief: Expected ")" at position N but found "}"', () => {
    const text = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && '
      + '($.responseElements.ConsoleLogin = "Success"}';
    expect(() => LogFilterPattern.parse(text)).toThrow('Expected ")" at position 162 but found "}"');
  });

  test('hints explain common mistakes', () => {
    expect(syntaxError('{ $.a is null }').message).toContain('keywords must be upper case: "IS"');
    expect(syntaxError('{ $.a IS null }').message).toContain('keywords must be upper case: "NULL"');
    expect(syntaxError('{ $.a NOT exists }').message).toContain('keywords must be upper case: "EXISTS"');
    expect(syntaxError('{ $.a IS NOT NULL }').message).toContain('"IS NOT" is not supported');
    expect(syntaxError('{ $.a EXISTS }').message).toContain('"EXISTS" is not supported by CloudWatch Logs; use = "*"');
    expect(syntaxError('{ $.aIS NULL }').message).not.toContain('put a space');
    expect(syntaxError('{ $.a == 1 }').message).toContain('use "="');
    expect(syntaxError('{ $.a < "1" }').message).toContain('write the number without quotes');
    expect(syntaxError('{ $.a = "x }').message).toContain('the quoted value at position 9 is not closed');
    expect(syntaxError('{ $.a = %(% }').message).toContain('CloudWatch Logs regex does not support parentheses');
    expect(syntaxError('ERROR').message).toContain('only JSON filter patterns');
    expect(syntaxError('{ $.a = 1 && }').message).toContain('dangling operator');
  });

  test('nesting deeper than 100 levels is a clean error, not a stack overflow', () => {
    const deep = '{ ' + '('.repeat(5000) + '$.a = 1' + ')'.repeat(5000) + ' }';
    const e = syntaxError(deep);
    expect(e.expected).toBe('at most 100 nested parentheses');
    expect(e.position).toBe(103);
    const ok = '{ ' + '('.repeat(100) + '$.a = 1' + ')'.repeat(100) + ' }';
    expect(LogFilterPattern.parse(ok).matches({ a: 1 })).toBe(true);
  });

  test('the error is an Error, recognisable by instanceof and by isFilterPatternSyntaxError', () => {
    const e = syntaxError('{');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(FilterPatternSyntaxError);
    expect(FilterPatternSyntaxError.isFilterPatternSyntaxError(e)).toBe(true);
    expect(FilterPatternSyntaxError.isFilterPatternSyntaxError(new Error('x'))).toBe(false);
    expect(FilterPatternSyntaxError.isFilterPatternSyntaxError(undefined)).toBe(false);
    expect(e.name).toBe('FilterPatternSyntaxError');
    expect(String(e)).toBe(`FilterPatternSyntaxError: ${e.message}`);
    expect(e.stack).toContain('FilterPatternSyntaxError');
  });
});

describe('AWS limits', () => {
  test('validate returns nothing for a valid pattern', () => {
    expect(LogFilterPattern.validate('{ $.a = 1 }')).toEqual([]);
  });

  test('validate returns the syntax error with its position', () => {
    expect(LogFilterPattern.validate('{ $.a = 1')).toEqual(['Invalid filter pattern: Expected "}" at position 10 but found end of pattern']);
  });

  test('1024 characters are allowed, 1025 are not', () => {
    const of = (n: number) => `{ $.a = "${'x'.repeat(n - 12)}" }`;
    expect(of(1024)).toHaveLength(1024);
    expect(LogFilterPattern.validate(of(1024))).toEqual([]);
    expect(LogFilterPattern.validate(of(1025))).toEqual(['The filter pattern is 1025 characters long; CloudWatch Logs allows at most 1024']);
  });

  test('length counts characters (code points), not UTF-16 units', () => {
    const text = `{ $.a = "${'€'.repeat(1012)}" }`;
    expect(LogFilterPattern.parse(text).characterCount).toBe(1024);
    expect(LogFilterPattern.validate(`{ $.a = "${'😀'.repeat(1012)}" }`)).toEqual([]);
  });

  test('at most 2 regex terms', () => {
    expect(LogFilterPattern.validate('{ $.a = %x% || $.b = %y% }')).toEqual([]);
    expect(LogFilterPattern.validate('{ $.a = %x% || $.b = %y% || $.c = %z% }'))
      .toEqual(['The filter pattern has 3 regex terms; CloudWatch Logs allows at most 2']);
  });

  test('at most 3 selector wildcards, one per selector', () => {
    expect(LogFilterPattern.validate('{ $.a[*] = 1 || $.b.* = 1 || $.c[*].d = 1 }')).toEqual([]);
    expect(LogFilterPattern.validate('{ $.a[*] = 1 || $.b.* = 1 || $.c[*] = 1 || $.d[*] = 1 }'))
      .toEqual(['The filter pattern has 4 selector wildcards; CloudWatch Logs allows at most 3']);
    expect(LogFilterPattern.validate('{ $.a[*].* = 1 }'))
      .toEqual(['A selector of the filter pattern has more than one wildcard; CloudWatch Logs allows one per selector']);
  });

  test('limit constants', () => {
    expect([LogFilterPattern.MAX_LENGTH, LogFilterPattern.MAX_REGEX_TERMS, LogFilterPattern.MAX_SELECTOR_WILDCARDS]).toEqual([1024, 2, 3]);
  });
});

describe('quoting rules for values (decided from the AWS user guide; see docs/filter-patterns.md)', () => {
  // 2020-2022 edition, "Matching JSON Terms": "Strings that consist entirely of alphanumeric characters do not need to be
  // quoted. Strings that have unicode and other characters such as '@', '$', '\' etc. must be enclosed in double quotes
  // to be valid." Current edition (FPS, "String"): "Strings that contain types other than alphanumeric characters and
  // the underscore symbol must be placed in double quotation marks."
  test.each([
    ['"@" (an e-mail address)', '{ $.a = user@example.com }', 13, '"@"'],
    ['"$"', '{ $.a = a$b }', 10, '"$"'],
    ['"\\"', '{ $.a = C:\\temp }', 11, '"\\\\"'],
    ['non-ASCII', '{ $.a = café }', 12, '"é"'],
    ['non-ASCII outside the BMP', '{ $.a = x😀 }', 10, '"😀"'],
    ['other punctuation', '{ $.a = a!b }', 10, '"!"'],
    ['a quote inside a bare value', '{ $.a = it\'s }', 11, '"\'"'],
  ])('a bare value with %s is refused, asking for quotes', (_name, text, position, found) => {
    const e = syntaxError(text);
    expect({ position: e.position, expected: e.expected, found: e.found }).toEqual({ position, expected: 'a double-quoted value', found });
    expect(e.message).toContain('must be in double quotes');
  });

  test.each([
    ['{ $.a = "user@example.com" }', 'user@example.com'],
    ['{ $.a = "a$b" }', 'a$b'],
    ['{ $.a = "C:\\\\temp" }', 'C:\\temp'],
    ['{ $.a = "café" }', 'café'],
    ['{ $.a = "x😀" }', 'x😀'],
    ['{ $.a = "a!b" }', 'a!b'],
  ])('quoted, the same value is accepted and matches: %s', (text, value) => {
    expect(LogFilterPattern.parse(text).matches({ a: value })).toBe(true);
  });

  test.each([
    ['dots (CIS)', '{ $.a = kms.amazonaws.com }', 'kms.amazonaws.com'],
    ['leading * (CIS)', '{ $.a = *UnauthorizedOperation }', 'Client.UnauthorizedOperation'],
    ['trailing * (AWS doc)', '{ $.a = 123.123.* }', '123.123.4.5'],
    ['colons and slashes', '{ $.a = arn:aws:iam::1:role/x }', 'arn:aws:iam::1:role/x'],
    ['- and _', '{ $.a = x-y_z }', 'x-y_z'],
  ])('a bare value with %s stays accepted', (_name, text, value) => {
    expect(LogFilterPattern.parse(text).matches({ a: value })).toBe(true);
  });

  test('numbers keep their sign and exponent bare (AWS doc: { $.number[0] = 1e+3 })', () => {
    expect(LogFilterPattern.parse('{ $.n = 1e+3 }').matches({ n: 1000 })).toBe(true);
    expect(LogFilterPattern.parse('{ $.n = -5 }').matches({ n: -5 })).toBe(true);
  });
});

describe('regex-containing patterns (CloudWatch Logs allows 5 per log group)', () => {
  test('containsRegex on a parsed pattern', () => {
    expect(LogFilterPattern.parse('{ $.a = %x% }').containsRegex).toBe(true);
    expect(LogFilterPattern.parse('{ $.a = "%x%" }').containsRegex).toBe(false); // quoted: a string with percent signs
    expect(LogFilterPattern.parse('{ $.a = x }').containsRegex).toBe(false);
    expect(LogFilterPattern.MAX_REGEX_PATTERNS_PER_LOG_GROUP).toBe(5);
  });

  test.each([
    // [pattern of any kind, contains a regex]
    ['{ $.eventType = %Trail% }', true], // JSON page
    ['%AUTHORIZED%', true], // regex page, a standalone regex pattern
    ['[ip=%127\\.0\\.0\\.[1-9]%, user, username, timestamp, request =*.html*, status_code = 4*, bytes]', true], // FPS, space-delimited
    ['[logLevel, date, time, method, url=%/service/resource/[0-9]+$%, response_time]', true], // FPS
    ['ERROR -ARGUMENTS', false],
    ['"100% CPU" ERROR', false], // a percent sign inside quotes is text
    ['50% done', false], // one percent sign is no regex
    ['{ $.a = "x" }', false],
    ['', false],
  ])('containsRegexTerm(%j) -> %s', (text, expected) => {
    expect(LogFilterPattern.containsRegexTerm(text)).toBe(expected);
  });
});
