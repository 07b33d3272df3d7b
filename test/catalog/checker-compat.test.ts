import { PROWLER_CHECKS } from './prowler-regexes';
import { CisControl, CisPatternSet } from '../../src/catalog';

// prowler compiles with re.DOTALL; `s` is JavaScript's equivalent. The regexes use no Python-only syntax.
const prowlerAccepts = (regex: string, pattern: string) => new RegExp(regex, 's').test(pattern);

function verdicts(set: CisPatternSet, generation: 'current' | 'legacy'): Record<string, boolean> {
  return Object.fromEntries(set.controls().map((control) => {
    const check = PROWLER_CHECKS.find((c) => c.key === control.key)!;
    return [control.id, prowlerAccepts(check[generation], control.patternFor(set))];
  }));
}

describe('prowler acceptance', () => {
  test('current prowler (>= 5.30) accepts every RECOMMENDED pattern, with and without the SSO option', () => {
    for (const sso of [false, true]) {
      for (const control of CisPatternSet.RECOMMENDED.controls()) {
        const check = PROWLER_CHECKS.find((c) => c.key === control.key)!;
        expect([control.id, prowlerAccepts(check.current, control.patternFor(CisPatternSet.RECOMMENDED, sso))]).toEqual([control.id, true]);
      }
    }
  });

  test('the verbatim v3.0.0 and v5.0.0 texts fail current prowler on 4.13 and 4.15 only', () => {
    for (const set of [CisPatternSet.CIS_V3_0_0, CisPatternSet.CIS_V5_0_0]) {
      const failing = Object.entries(verdicts(set, 'current')).filter(([, ok]) => !ok).map(([id]) => id);
      expect(failing).toEqual(['4.13', '4.15']);
    }
  });

  test('legacy prowler (< 5.30, fixed clause order) rejects only RECOMMENDED 4.15, whose extra events cannot be in both orders', () => {
    const failing = Object.entries(verdicts(CisPatternSet.RECOMMENDED, 'legacy')).filter(([, ok]) => !ok).map(([id]) => id);
    expect(failing).toEqual(['4.15']);
  });

  test('the regexes are the checks we think they are', () => {
    expect(PROWLER_CHECKS.map((c) => c.key)).toEqual(CisControl.all().map((c) => c.key));
    // A pattern with the eventSource clause missing must fail 4.13, or the test above proves nothing.
    const routeCheck = PROWLER_CHECKS.find((c) => c.key === 'ROUTE_TABLE_CHANGES')!;
    expect(prowlerAccepts(routeCheck.current, CisControl.ROUTE_TABLE_CHANGES.patternFor(CisPatternSet.CIS_V3_0_0))).toBe(false);
  });
});
