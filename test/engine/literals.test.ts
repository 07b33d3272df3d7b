import { CisPatternSet } from '../../src/catalog';
import { screenClauses, TextScreen } from '../../src/engine/literals';
import { parseFilterPattern } from '../../src/engine/parser';

const screenOf = (text: string) => TextScreen.forPatterns([text]);

// What the screen does on raw text, and its soundness properties, are tested on the record scanner that applies
// these tables (packages/cli/test/record-scanner.test.ts).
describe('screen literals derived from the syntax tree', () => {
  test('= on a string gives a member-anchored term; globs give prefix / suffix / contains', () => {
    const clauses = (p: string) => screenClauses(parseFilterPattern(p).expression);
    expect(clauses('{ $.eventName = ConsoleLogin }')).toEqual([[{ key: 'eventName', match: 'exact', text: 'ConsoleLogin' }]]);
    expect(clauses('{ $.errorCode = "AccessDenied*" }')).toEqual([[{ key: 'errorCode', match: 'prefix', text: 'AccessDenied' }]]);
    expect(clauses('{ $.errorCode = "*Unauthorized" }')).toEqual([[{ key: 'errorCode', match: 'suffix', text: 'Unauthorized' }]]);
    expect(clauses('{ $.a = "*mid*" }')).toEqual([[{ key: 'a', match: 'contains', text: 'mid' }]]);
    // A selector ending in an index or a wildcard: the longest run JSON writes verbatim, anywhere in the text.
    expect(clauses('{ $.a[0] = "x/yy\\"zzz" }')).toEqual([[{ match: 'contains', text: 'zzz' }]]);
    expect(clauses('{ $.a.* = "abc" }')).toEqual([[{ match: 'contains', text: 'abc' }]]);
  });

  test('&& keeps every screenable operand; || needs every operand screenable', () => {
    const clauses = (p: string) => screenClauses(parseFilterPattern(p).expression);
    expect(clauses('{ $.a = "x" && $.b != "y" && $.c = "z" }')).toEqual([[{ key: 'a', match: 'exact', text: 'x' }], [{ key: 'c', match: 'exact', text: 'z' }]]);
    expect(clauses('{ $.a = "x" || $.c = "z" }')).toEqual([[{ key: 'a', match: 'exact', text: 'x' }, { key: 'c', match: 'exact', text: 'z' }]]);
    expect(clauses('{ $.a = "x" || $.b != "y" }')).toBeUndefined();
  });

  test.each([
    '{ $.a != "x" }', '{ $.a NOT EXISTS }', '{ $.a IS NULL }', '{ $.a IS TRUE }', '{ $.a = 5 }', '{ $.a > 5 }',
    '{ $.a = %Root% }', '{ $.a = * }', '{ $.a = "**" }', '{ $.a = "" }', '{ $.a[0] = "///" }',
  ])('cannot screen %s', text => {
    expect(screenClauses(parseFilterPattern(text).expression)).toBeUndefined();
    expect(screenOf(text).active).toBe(false);
    expect(screenOf(text).tables()).toBeUndefined(); // the record scanner is not built: every record is parsed
  });

  test('every control of every pattern set can be screened', () => {
    const sets = [CisPatternSet.RECOMMENDED, CisPatternSet.CIS_V1_2_0, CisPatternSet.CIS_V1_4_0, CisPatternSet.CIS_V3_0_0, CisPatternSet.CIS_V5_0_0];
    for (const set of sets) {
      const screen = TextScreen.forPatterns(set.controls().map(c => c.patternFor(set)));
      expect(screen.active).toBe(true);
    }
  });
});
