import * as fc from 'fast-check';
import { CisPatternSet } from '../../src/catalog';
import { LogFilterPattern } from '../../src/engine';
import { screenClauses, TextScreen } from '../../src/engine/literals';
import { parseFilterPattern } from '../../src/engine/parser';
import { event, pattern, screenWitness, writeJson, writing } from '../support/screen-arbitraries';
// The printed, reproducible seed of every property below (FC_SEED; docs/testing.md).
import '../support/seed';

const screenOf = (text: string) => TextScreen.forPatterns([text]);

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
    expect(screenOf(text).mayMatch('{}')).toBe(true);
  });

  test('every control of every pattern set can be screened', () => {
    const sets = [CisPatternSet.RECOMMENDED, CisPatternSet.CIS_V1_2_0, CisPatternSet.CIS_V1_4_0, CisPatternSet.CIS_V3_0_0, CisPatternSet.CIS_V5_0_0];
    for (const set of sets) {
      const screen = TextScreen.forPatterns(set.controls().map(c => c.patternFor(set)));
      expect(screen.active).toBe(true);
    }
  });
});

describe('TextScreen on raw JSON text', () => {
  const root = screenOf('{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }');

  test('screens out a record no pattern can match (the point of it)', () => {
    expect(root.mayMatch('{"userIdentity":{"type":"IAMUser"},"eventType":"AwsApiCall"}')).toBe(false);
    expect(root.mayMatch('{"eventName":"Root","userIdentity":{"type":"IAMUser"}}')).toBe(false); // Root, but not the member
  });

  test('keeps a record that may match: key order, whitespace, nesting', () => {
    expect(root.mayMatch('{"eventType":"AwsApiCall","userIdentity":{"type":"Root"}}')).toBe(true);
    expect(root.mayMatch('{ "userIdentity" : { "arn" : "x" ,\n\t"type"\r\n :\t "Root" } }')).toBe(true);
    expect(root.mayMatch('{"resources":[{"type":"Root"}],"userIdentity":{"type":"IAMUser"}}')).toBe(true); // any member named type
  });

  test('JSON escapes: \\u anywhere, or any escape in the value, means parse', () => {
    expect(root.mayMatch('{"userIdentity":{"type":"\\u0052oot"}}')).toBe(true);
    expect(root.mayMatch('{"userIdentity":{"typ\\u0065":"Root"}}')).toBe(true);
    expect(root.mayMatch('{"userIdentity":{"type":"Ro\\/ot"}}')).toBe(true);
    // ...because the engine reads \u0052oot as Root:
    expect(LogFilterPattern.parse('{ $.userIdentity.type = "Root" }').matchesJson('{"userIdentity":{"type":"\\u0052oot"}}')).toBe(true);
  });

  test('case-sensitive, as the engine is', () => {
    expect(root.mayMatch('{"userIdentity":{"type":"root"}}')).toBe(false);
    expect(LogFilterPattern.parse('{ $.userIdentity.type = "Root" }').matchesJson('{"userIdentity":{"type":"root"}}')).toBe(false);
  });

  test('a non-string value is not a hit for a string comparison', () => {
    const screen = screenOf('{ $.code = "400" }');
    expect(screen.mayMatch('{"code":400}')).toBe(false);
    expect(screen.mayMatch('{"code":"400"}')).toBe(true);
  });
});

// Property: screening never says "cannot match" for an event a pattern matches, whatever the pattern and however
// the event is written (key order, whitespace, escapes of any character, \u escapes).

describe('property: screening never changes a count', () => {
  test('a pattern that matches an event always passes the screen of that event\'s text', () => {
    fc.assert(fc.property(pattern, event, writing, screenWitness, (p, e, w, witness) => {
      const text = writeJson(e, w);
      expect(JSON.parse(text)).toEqual(e); // the writer writes valid JSON for the same event
      const matches = LogFilterPattern.parse(p).matches(JSON.parse(text));
      if (matches) expect(screenOf(p).mayMatch(text)).toBe(true);
      // Not vacuous, by construction: in every run a matching event passes and a non-matching one is ruled out.
      const compiled = LogFilterPattern.parse(witness.pattern);
      expect([compiled.matches(witness.hit), compiled.matches(witness.miss)]).toEqual([true, false]);
      expect(screenOf(witness.pattern).mayMatch(writeJson(witness.hit, w))).toBe(true);
      expect(screenOf(witness.pattern).mayMatch(writeJson(witness.miss, { ...w, escapes: 0 }))).toBe(false);
    }), { numRuns: 3000 });
  });

  test('a set of patterns: the screen passes every event that any of them matches', () => {
    fc.assert(fc.property(fc.array(pattern, { minLength: 1, maxLength: 4 }), event, writing, (ps, e, w) => {
      const text = writeJson(e, w);
      const any = ps.some(p => LogFilterPattern.parse(p).matches(e));
      if (any) expect(TextScreen.forPatterns(ps).mayMatch(text)).toBe(true);
    }), { numRuns: 1500 });
  });
});
