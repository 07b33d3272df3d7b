import { DuckDBInstance } from '@duckdb/node-api';
import { LogFilterPattern, parseRegex } from 'cdk-cis-log-monitoring/lib/cli-support';
import { DuckDbDialect } from '../src/commands/hunt/duckdb-sql';
import { RegexRefusal, translateRegex } from '../src/commands/hunt/regex';
import { compilePattern, SqlRefusal, sqlString } from '../src/commands/hunt/sql';
import { TrinoDialect } from '../src/commands/hunt/trino-sql';

describe('regex translation refuses what the engines read differently', () => {
  const tree = (source: string) => parseRegex(source);
  test.each([
    ['a.b', /one UTF-16 code unit/],
    ['^.?$', /counts UTF-16 code units/],
    ['.{2}', /counts UTF-16 code units/],
    ['.+.+', /more than one of/],
    ['[^a]', /one UTF-16 code unit/],
    ['[\\D]+', /inside a class/],
  ])('%s', (source, reason) => {
    expect(() => translateRegex(tree(source), 're2')).toThrow(RegexRefusal);
    expect(() => translateRegex(tree(source), 'joni')).toThrow(reason);
  });

  // One grammar: what hunt once parsed and refused itself, the engine's parser refuses (CloudWatch Logs' syntax).
  test.each(['a\\bb', '(?=a)', '(a)\\1', '(.*)*', '(.)', '😀', '[]', 'a{x', '\\ud800', 'a)'])('%s: not a regex of the filter pattern syntax', source => {
    expect(() => parseRegex(source)).toThrow(expect.objectContaining({ name: 'FilterPatternSyntaxError' }));
    expect(() => compilePattern(`{ $.a = %${source}% }`, new DuckDbDialect())).toThrow(expect.objectContaining({ name: 'FilterPatternSyntaxError' }));
  });

  test('{,n} (a quantifier to the engine, literal text to RE2 and Java) is written {0,n}', () => {
    expect(translateRegex(tree('^a{,2}$'), 're2')).toBe('\\Aa{0,2}\\z');
  });

  test('a refused regex refuses the pattern, naming the selector and the reason', () => {
    expect(() => compilePattern('{ $.eventName = %Put.Policy% }', new DuckDbDialect())).toThrow(SqlRefusal);
    expect(() => compilePattern('{ $.eventName = %Put.Policy% }', new DuckDbDialect())).toThrow(/\$\.eventName = %Put\.Policy%: .*code unit/);
  });

  test('anchors become \\A and \\z, classes are spelled out, in both targets', () => {
    expect(translateRegex(tree('^Put\\d+$'), 're2')).toBe('\\APut[0-9]+\\z');
    expect(translateRegex(tree('^Put\\d+$'), 'joni')).toBe('\\APut[0-9]+\\z');
    expect(translateRegex(tree('a.*b'), 're2')).toBe('a[^\\x{000a}\\x{000d}\\x{2028}\\x{2029}]*b');
  });

  // What DuckDB (RE2) answers for the translation equals the engine's answer for the source.
  const SOURCES = ['^x', 'b$', 'a.*b', '^.+$', '^[^a]*$', '\\s', '\\S+', '\\w{3}', '^\\d+$', 'Yes|YES', 'a\\*b', '^$', '\\.', '[a-c]x', '\\x41', '^a{,2}$', '[\\d_]+$'];
  const SUBJECTS = ['', 'x', 'ab\n', 'a\nb', 'a\rb', 'a\u2028b', 'ab', 'a😀b', '😀', 'Yes', 'YES', 'a*b', '123', '12a', 'a\u00a0', 'é', 'cx', ' ', '\t', 'b', 'A', 'aa', 'aaa', '1_2'];
  test('on DuckDB, every translated regex matches exactly the strings the engine matches', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      let matched = 0;
      for (const source of SOURCES) {
        const re = translateRegex(parseRegex(source), 're2');
        const sql = `SELECT ${SUBJECTS.map((s, i) => `regexp_matches(${sqlString(s)}, ${sqlString(re)}) AS r${i}`).join(', ')}`;
        const row = (await connection.runAndReadAll(sql)).getRowObjectsJS()[0];
        const duck = SUBJECTS.map((_, i) => row[`r${i}`]);
        const engine = LogFilterPattern.parse(`{ $.v = %${source}% }`);
        const expected = SUBJECTS.map(s => engine.matches({ v: s }));
        expect({ source, duck }).toEqual({ source, duck: expected });
        matched += expected.filter(Boolean).length;
      }
      expect(matched).toBeGreaterThan(30);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});

describe('DuckDB dialect', () => {
  test('refuses keys its JSON paths cannot name', () => {
    expect(() => compilePattern('{ $[\'a"b\'] = x }', new DuckDbDialect())).toThrow(/cannot name the key "a\\"b"/);
    expect(() => compilePattern('{ $[\'*\'] = x }', new DuckDbDialect())).toThrow(SqlRefusal);
  });
});

describe('Athena dialect: exact on the documented table, refuses the rest', () => {
  const athena = () => new TrinoDialect('athena');
  test.each([
    ['{ $.userIdentity.invokedBy NOT EXISTS }', /missing field and a JSON null alike/],
    ['{ $.errorCode IS NULL }', /missing field and a JSON null alike/],
    ['{ $.useridentity.invokedby = "x" }', /no column for "useridentity"/],
    ['{ $.userIdentity.invokedby = "x" }', /no column for "invokedby" in useridentity/],
    ['{ $.resources[0].ARN = "x" }', /array indexes/],
    ['{ $.requestParameters.* = "x" }', /wildcards/],
    ['{ $.requestParameters = "x" }', /JSON text; only fields inside it/],
    ['{ $.noSuchField = "x" }', /no column for "noSuchField"/],
  ])('refuses %s', (pattern, reason) => {
    expect(() => compilePattern(pattern, athena())).toThrow(SqlRefusal);
    expect(() => compilePattern(pattern, athena())).toThrow(reason);
  });

  test('typed: a boolean column never equals a string, a string column never a number', () => {
    expect(compilePattern('{ $.readOnly = "true" }', athena())).toBe('(FALSE AND (NULL = \'true\'))');
    expect(compilePattern('{ $.readOnly IS TRUE }', athena())).toBe('coalesce(readonly = \'true\', FALSE)');
    expect(compilePattern('{ $.eventName = 5 }', athena())).toMatch(/^\(FALSE AND /);
  });

  test('fields inside JSON-text columns keep their JSON type', () => {
    const sql = compilePattern('{ $.additionalEventData.MFAUsed != "Yes" }', athena());
    expect(sql).toBe('(coalesce(substr(json_format(json_extract(additionaleventdata, \'$["MFAUsed"]\')), 1, 1) = \'"\', FALSE)'
      + ' AND NOT (json_extract_scalar(additionaleventdata, \'$["MFAUsed"]\') = \'Yes\'))');
  });

  test('struct fields by CloudTrail\'s spelling', () => {
    expect(compilePattern('{ $.userIdentity.type = "Root" }', athena())).toBe('((useridentity.type IS NOT NULL) AND (useridentity.type = \'Root\'))');
  });
});

describe('CloudTrail Lake dialect', () => {
  test.each([
    ['{ $.additionalEventData.MFAUsed != "Yes" }', /map<string,string>/],
    ['{ $.eventTime = "2024-03-01T00:00:00Z" }', /timestamp/],
    ['{ $.userIdentity.invokedBy NOT EXISTS }', /JSON null alike/],
  ])('refuses %s', (pattern, reason) => {
    expect(() => compilePattern(pattern, new TrinoDialect('cloudtrail-lake'))).toThrow(reason);
  });

  test('readOnly is a BOOLEAN there', () => {
    expect(compilePattern('{ $.readOnly IS FALSE }', new TrinoDialect('cloudtrail-lake'))).toBe('coalesce(readonly = FALSE, FALSE)');
  });
});
