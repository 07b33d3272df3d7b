import { CisControl, CisPatternSet } from '../catalog';

/** Every filter pattern text the catalog has for one control, each with the pattern sets (and variants) using it. */
export type KnownPatterns = Map<string, string[]>;

const SSO_SUFFIX = ' (SSO-aware)';

/** The texts of a control in every pattern set, the SSO-aware variants of console sign-in without MFA included. */
export function knownPatterns(control: CisControl): KnownPatterns {
  const known: KnownPatterns = new Map();
  const add = (text: string, label: string): void => {
    known.set(text, [...(known.get(text) ?? []), label]);
  };
  for (const set of CisPatternSet.all()) {
    if (!control.isDefinedIn(set)) continue;
    add(control.patternFor(set), set.name);
    if (control.key === CisControl.CONSOLE_SIGNIN_WITHOUT_MFA.key) {
      let variant: string | undefined;
      try {
        variant = control.patternFor(set, true);
      } catch {
        variant = undefined; // this set has no SSO-aware variant (v1.2.0)
      }
      if (variant !== undefined) add(variant, `${set.name}${SSO_SUFFIX}`);
    }
  }
  return known;
}

/** The texts that count for a control: one set's (and its SSO-aware variant), or, without a set, any set's. */
export function acceptedPatterns(control: CisControl, patternSet?: CisPatternSet): Set<string> {
  const known = knownPatterns(control);
  if (!patternSet) return new Set(known.keys());
  const labels = [patternSet.name, `${patternSet.name}${SSO_SUFFIX}`];
  return new Set([...known].filter(([, sets]) => sets.some((l) => labels.includes(l))).map(([text]) => text));
}

/** Which sets use this text for the control (empty when none). */
export function patternLabels(control: CisControl, text: string): string[] {
  return knownPatterns(control).get(text) ?? [];
}
