import { CisControl, CisPatternSet } from '../../src/catalog';
import { LogFilterPattern } from '../../src/engine';
import { PROWLER_CIS_V6_0_0, PROWLER_CIS_V7_0_0, ProwlerRequirement } from '../fixtures/prowler/cis-v6-v7-monitoring';

// CIS v6.0.0 and v7.0.0 moved monitoring to section 5. Checked against the benchmark text as prowler's compliance
// files record it (test/fixtures/prowler/cis-v6-v7-monitoring.ts names the files and commits).

const EDITIONS: [string, CisPatternSet, readonly ProwlerRequirement[]][] = [
  ['CIS_V6_0_0', CisPatternSet.CIS_V6_0_0, PROWLER_CIS_V6_0_0],
  ['CIS_V7_0_0', CisPatternSet.CIS_V7_0_0, PROWLER_CIS_V7_0_0],
];

/** prowler's files from v4.0.1 on have every double quote removed; the benchmark's text has them. */
const withoutDoubleQuotes = (text: string) => text.replace(/"/g, '');

describe.each(EDITIONS)('%s', (name, set, prowler) => {
  const filterControls = prowler.filter((r) => r.filterPatterns.length > 0);

  test('numbering: the fifteen controls are 5.1-5.15 in benchmark order; 5.16 (Security Hub) is no filter control', () => {
    expect(set.name).toBe(name);
    expect(CisPatternSet.fromName(name.toLowerCase())).toBe(set);
    expect(set.controls()).toEqual(CisControl.all());
    expect(set.controls().map((c) => c.idIn(set))).toEqual(filterControls.map((r) => r.id));
    expect(filterControls.map((r) => r.id)).toEqual(Array.from({ length: 15 }, (_, i) => `5.${i + 1}`));
    expect(prowler.filter((r) => r.filterPatterns.length === 0)).toEqual([{ id: '5.16', title: 'Ensure AWS Security Hub is enabled', filterPatterns: [] }]);
    expect(CisControl.ORGANIZATIONS_CHANGES.benchmarkIds[set.benchmarkVersion]).toBe('5.15');
  });

  test('texts: every pattern (and the SSO-aware 5.2) is prowler\'s text character for character, double quotes aside', () => {
    for (const requirement of filterControls) {
      const control = set.controls().find((c) => c.idIn(set) === requirement.id) as CisControl;
      const ours = control === CisControl.CONSOLE_SIGNIN_WITHOUT_MFA
        ? [control.patternFor(set), control.patternFor(set, true)]
        : [control.patternFor(set)];
      expect({ id: requirement.id, patterns: ours.map(withoutDoubleQuotes) }).toEqual({ id: requirement.id, patterns: requirement.filterPatterns });
      expect(control.correctionIn(set)).toBeUndefined();
    }
  });

  test('the quote-stripping premise holds: prowler has no double quote, the benchmark text we deploy keeps them', () => {
    expect(prowler.flatMap((r) => r.filterPatterns).filter((p) => p.includes('"'))).toEqual([]);
    // 5.6: the value contains a space; without its quotes it would not be the benchmark's pattern.
    expect(CisControl.CONSOLE_AUTH_FAILURES.patternFor(set)).toBe('{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }');
    for (const control of set.controls()) expect(() => LogFilterPattern.parse(control.patternFor(set))).not.toThrow();
  });

  test('titles: prowler\'s, which differ from our v3.0.0 titles only where v4.0.0 reworded them (5.3, 5.11)', () => {
    const differing = filterControls
      .map((r) => ({ id: r.id, prowler: r.title, ours: (set.controls().find((c) => c.idIn(set) === r.id) as CisControl).title }))
      .filter((t) => t.prowler !== t.ours);
    expect(differing).toEqual([
      { id: '5.3', prowler: 'Ensure usage of the \'root\' account is monitored', ours: 'Ensure usage of \'root\' account is monitored' },
      { id: '5.11', prowler: 'Ensure Network Access Control List (NACL) changes are monitored', ours: 'Ensure Network Access Control Lists (NACL) changes are monitored' },
    ]);
  });

  test('patterns per set: the v5.0.0 text of every control, so only 5.10 differs from v3.0.0 (ModifySecurityGroupRules)', () => {
    for (const sso of [false, true]) {
      const v5 = CisPatternSet.CIS_V5_0_0;
      expect(set.controls().map((c) => c.patternFor(set, sso))).toEqual(v5.controls().map((c) => c.patternFor(v5, sso)));
    }
    const fromV3 = set.controls().filter((c) => c.patternFor(set) !== c.patternFor(CisPatternSet.CIS_V3_0_0)).map((c) => c.idIn(set));
    expect(fromV3).toEqual(['5.10']);
  });
});

test('v6.0.0 and v7.0.0 have the same text in prowler, so the two sets deploy the same strings', () => {
  expect(PROWLER_CIS_V7_0_0).toEqual(PROWLER_CIS_V6_0_0);
  expect(CisPatternSet.CIS_V7_0_0.controls().map((c) => c.patternFor(CisPatternSet.CIS_V7_0_0)))
    .toEqual(CisPatternSet.CIS_V6_0_0.controls().map((c) => c.patternFor(CisPatternSet.CIS_V6_0_0)));
});

test('RECOMMENDED does not change: it keeps the v3.0.0 numbering and already detects everything v6.0.0/v7.0.0 add', () => {
  expect(CisPatternSet.RECOMMENDED.benchmarkVersion).toBe('3.0.0');
  const sg = CisControl.SECURITY_GROUP_CHANGES;
  expect(sg.patternFor(CisPatternSet.RECOMMENDED)).toBe(sg.patternFor(CisPatternSet.CIS_V6_0_0));
});
