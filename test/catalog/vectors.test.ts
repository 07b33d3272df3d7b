import { CisControl, CisPatternSet } from '../../src/catalog';
import { setOptions } from '../../src/catalog/variants';
import { LogFilterPattern } from '../../src/engine';
import { EXPECTATIONS, expectedMatches } from '../fixtures/cloudtrail/expectations';
import { loadFixtureRecords } from '../fixtures/cloudtrail/load';

// Every pattern of every set (and both SSO options where the set has the variant) is evaluated against every
// fixture record; each control must match exactly the records the manifest says.

const records = loadFixtureRecords();

interface Variant { readonly set: CisPatternSet; readonly sso: boolean }
const variants: Variant[] = setOptions().map(({ set, ssoAware }) => ({ set, sso: ssoAware }));

function expectedIds(control: CisControl, variant: Variant): string[] {
  return records
    .map(r => r.eventID as string)
    .filter(id => expectedMatches(id, variant.set.name, variant.sso).includes(control.key))
    .sort();
}

describe('fixture manifest', () => {
  test('every record has a unique eventID and an expectation, and every expectation a record', () => {
    const ids = records.map(r => r.eventID);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(Object.keys(EXPECTATIONS).sort());
  });

  test('every built-in control is exercised by at least one positive record under RECOMMENDED', () => {
    const exercised = new Set(records.flatMap(r => expectedMatches(r.eventID, 'RECOMMENDED', false)));
    expect([...exercised].sort()).toEqual(CisControl.all().map(c => c.key).sort());
  });
});

describe.each(variants.map(v => [`${v.set.name}${v.sso ? ' with SSO-aware MFA filter' : ''}`, v] as const))('%s', (_name, variant) => {
  const controls = variant.set.controls();

  test.each(controls.map(c => [c.key, c] as const))('%s parses within AWS limits and matches exactly the expected records', (_key, control) => {
    const text = control.patternFor(variant.set, variant.sso);
    const pattern = LogFilterPattern.parse(text);
    expect(pattern.limitViolations()).toEqual([]);
    const matched = records.filter(r => pattern.matches(r)).map(r => r.eventID as string).sort();
    expect(matched).toEqual(expectedIds(control, variant));
  });
});

describe('pattern set coverage', () => {
  test('v1.2.0 has 14 controls and no Organizations control; the others have all 15', () => {
    expect(CisPatternSet.CIS_V1_2_0.controls().map(c => c.key)).not.toContain('ORGANIZATIONS_CHANGES');
    expect(CisPatternSet.CIS_V1_2_0.controls()).toHaveLength(14);
    for (const set of CisPatternSet.all().filter(s => s !== CisPatternSet.CIS_V1_2_0)) {
      expect(set.controls()).toHaveLength(15);
    }
  });

  test('v1.2.0 has no SSO-aware 4.2 variant and no Organizations pattern', () => {
    expect(() => CisControl.CONSOLE_SIGNIN_WITHOUT_MFA.patternFor(CisPatternSet.CIS_V1_2_0, true)).toThrow(/SSO-aware/);
    expect(() => CisControl.ORGANIZATIONS_CHANGES.patternFor(CisPatternSet.CIS_V1_2_0)).toThrow();
  });

  test('v3.0.0 4.1 reads as A || (B && C && D): && binds tighter than ||', () => {
    const pattern = LogFilterPattern.parse(CisControl.UNAUTHORIZED_API_CALLS.patternFor(CisPatternSet.CIS_V3_0_0));
    expect(pattern.groupedText).toBe('{ ($.errorCode = "*UnauthorizedOperation") || (($.errorCode = "AccessDenied*")'
      + ' && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket")) }');
  });

  test('sets whose patterns differ in text but not in meaning agree on every record', () => {
    // Security Hub's strings differ from v1.2.0's only in whitespace and quoting for 4.1-4.14.
    for (const control of CisPatternSet.CIS_V1_2_0.controls()) {
      const a = LogFilterPattern.parse(control.patternFor(CisPatternSet.CIS_V1_2_0));
      const b = LogFilterPattern.parse(control.patternFor(CisPatternSet.SECURITY_HUB));
      expect(records.map(r => b.matches(r))).toEqual(records.map(r => a.matches(r)));
    }
  });
});
