import { CisControl, CisPatternSet } from '../../src/catalog';
import { CONTROL_KEYS, CONTROLS, EDITION_KEYS, EDITIONS } from '../../src/catalog/control-records';
import { catalogVariants, deployedVariants, hasSsoAwareVariant, KnownPatterns, setOptions } from '../../src/catalog/variants';

// The catalog's one record per control and one walk over its variants: everything else reads these,
// so they must agree with the public API (CisControl, CisPatternSet) exactly.

describe('control records', () => {
  test('one record per static CisControl, in benchmark order, and one edition per static CisPatternSet', () => {
    expect(CONTROL_KEYS).toEqual(CisControl.all().map((c) => c.key));
    expect(CONTROL_KEYS.map((key) => CONTROLS[key].number)).toEqual(CONTROL_KEYS.map((_, i) => i + 1));
    expect(EDITION_KEYS.map((e) => EDITIONS[e].setName)).toEqual(CisPatternSet.all().map((s) => s.name));
  });

  test('a benchmark text holds until the next edition that changes it', () => {
    // 4.10 changes in v5.0.0 only; v1.4.0 and v3.0.0 read the v1.2.0 entry.
    const sg = CisControl.SECURITY_GROUP_CHANGES;
    expect(sg.patternFor(CisPatternSet.CIS_V3_0_0)).toBe(sg.patternFor(CisPatternSet.CIS_V1_2_0));
    expect(sg.patternFor(CisPatternSet.CIS_V5_0_0)).toContain('ModifySecurityGroupRules');
    // A v1.4.0 correction does not leak into v3.0.0, which has its own entry.
    expect(CisControl.UNAUTHORIZED_API_CALLS.correctionIn(CisPatternSet.CIS_V1_4_0)).toBeDefined();
    expect(CisControl.UNAUTHORIZED_API_CALLS.correctionIn(CisPatternSet.CIS_V3_0_0)).toBeUndefined();
  });
});

describe('catalogVariants', () => {
  const variants = [...catalogVariants()];

  test('is exactly set x control x SSO option as the public API answers it', () => {
    const expected = CisPatternSet.all().flatMap((set) => set.controls().flatMap((control) => {
      const plain = { set: set.name, key: control.key, sso: false, text: control.patternFor(set) };
      let sso: typeof plain | undefined;
      try {
        const text = control.patternFor(set, true);
        if (control === CisControl.CONSOLE_SIGNIN_WITHOUT_MFA) sso = { set: set.name, key: control.key, sso: true, text };
      } catch {
        // no SSO-aware variant in this set
      }
      return sso ? [plain, sso] : [plain];
    }));
    expect(variants.map((v) => ({ set: v.set.name, key: v.control.key, sso: v.ssoAware, text: v.text }))).toEqual(expected);
  });

  test('labels the SSO-aware variant and carries corrections', () => {
    const sso = variants.find((v) => v.set === CisPatternSet.CIS_V3_0_0 && v.ssoAware);
    expect(sso?.label).toBe('CIS_V3_0_0 (SSO-aware)');
    expect(variants.filter((v) => v.correction).map((v) => `${v.set.name}:${v.control.key}`)).toEqual([
      'RECOMMENDED:UNAUTHORIZED_API_CALLS', 'RECOMMENDED:SECURITY_GROUP_CHANGES', 'RECOMMENDED:ROUTE_TABLE_CHANGES',
      'RECOMMENDED:ORGANIZATIONS_CHANGES', 'CIS_V1_4_0:UNAUTHORIZED_API_CALLS',
    ]);
  });

  test('set options: CIS v1.2.0 has no SSO-aware variant, every other set has one', () => {
    expect(hasSsoAwareVariant(CisPatternSet.CIS_V1_2_0)).toBe(false);
    expect(setOptions().filter((o) => o.ssoAware).map((o) => o.set)).toEqual(CisPatternSet.all().filter((s) => s !== CisPatternSet.CIS_V1_2_0));
    expect(setOptions().filter((o) => !o.ssoAware).map((o) => o.set)).toEqual(CisPatternSet.all());
  });

  test('deployedVariants is what the construct deploys: patternFor of each control of the set', () => {
    for (const { set, ssoAware } of setOptions()) {
      expect(deployedVariants(set, ssoAware).map((v) => [v.control.key, v.text]))
        .toEqual(set.controls().map((c) => [c.key, c.patternFor(set, ssoAware)]));
    }
    expect(() => deployedVariants(CisPatternSet.CIS_V1_2_0, true)).toThrow(/CIS_V1_2_0 has no SSO-aware variant/);
  });
});

describe('KnownPatterns (the catalog inverted for the audit)', () => {
  const mfa = KnownPatterns.of(CisControl.CONSOLE_SIGNIN_WITHOUT_MFA);
  const ssoText = CisControl.CONSOLE_SIGNIN_WITHOUT_MFA.patternFor(CisPatternSet.RECOMMENDED, true);

  test('lists every set and variant that uses a text, in catalog order', () => {
    expect(mfa.labelsOf(ssoText)).toEqual([
      'RECOMMENDED (SSO-aware)', 'CIS_V1_4_0 (SSO-aware)', 'CIS_V3_0_0 (SSO-aware)', 'CIS_V5_0_0 (SSO-aware)',
      'CIS_V6_0_0 (SSO-aware)', 'CIS_V7_0_0 (SSO-aware)', 'SECURITY_HUB (SSO-aware)',
    ]);
    expect(mfa.has('{ $.eventName = "ConsoleLogin" }')).toBe(false);
  });

  test('accepts one set\'s texts (its SSO-aware variant included), or every text for any set', () => {
    const v120 = CisControl.CONSOLE_SIGNIN_WITHOUT_MFA.patternFor(CisPatternSet.CIS_V1_2_0);
    expect(mfa.accepted(CisPatternSet.CIS_V1_2_0)).toEqual(new Set([v120]));
    expect(mfa.accepted(CisPatternSet.RECOMMENDED)).toEqual(new Set([v120, ssoText]));
    expect(mfa.accepted(undefined).size).toBe(3);
    expect(mfa.isOnlySsoAwareIn(ssoText, CisPatternSet.RECOMMENDED)).toBe(true);
    expect(mfa.isOnlySsoAwareIn(v120, CisPatternSet.RECOMMENDED)).toBe(false);
  });
});
