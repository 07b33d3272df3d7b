import { CisControl } from './cis-control';
import { CisPatternSet } from './cis-pattern-set';
import { ControlKey, patternOf } from './control-records';

// Internal (not exported from the package's entry point): the one walk over the catalog's variants,
// pattern set x control x SSO option, that the tables of docs/catalog.md, the CLI, the audit and the tests read.

/** One pattern of the catalog: a control's text in a pattern set, plain or SSO-aware. */
export interface PatternVariant {
  readonly set: CisPatternSet;
  readonly control: CisControl;
  /** true for the benchmark's SSO-aware variant (console sign-in without MFA only). */
  readonly ssoAware: boolean;
  readonly text: string;
  /** Why the text differs from the benchmark's printed text, when it does. */
  readonly correction?: string;
  /** `CIS_V3_0_0`, or `CIS_V3_0_0 (SSO-aware)` for the SSO-aware variant. */
  readonly label: string;
}

/** A configuration of the construct's pattern choice: a set and the SSO option. */
export interface SetOption {
  readonly set: CisPatternSet;
  readonly ssoAware: boolean;
}

/**
 * Every pattern of the catalog: sets in `CisPatternSet.all()` order, controls in benchmark order,
 * a control's plain text before its SSO-aware variant. Controls a set does not have are skipped.
 */
export function* catalogVariants(): Generator<PatternVariant> {
  for (const set of CisPatternSet.all()) {
    for (const control of CisControl.all()) {
      for (const ssoAware of [false, true]) {
        const found = patternOf(control.key as ControlKey, set._edition, ssoAware);
        if (!found) continue;
        yield { set, control, ssoAware, text: found.text, correction: found.correction, label: `${set.name}${ssoAware ? ' (SSO-aware)' : ''}` };
      }
    }
  }
}

/** Whether a set has an SSO-aware variant of the console sign-in without MFA pattern (CIS v1.2.0 has none). */
export function hasSsoAwareVariant(set: CisPatternSet): boolean {
  return [...catalogVariants()].some((v) => v.set === set && v.ssoAware);
}

/** Every (set, SSO option) a construct can be configured with: each set plain, and SSO-aware where the set has the variant. */
export function setOptions(): SetOption[] {
  return CisPatternSet.all().flatMap((set) => [false, ...(hasSsoAwareVariant(set) ? [true] : [])].map((ssoAware) => ({ set, ssoAware })));
}

/**
 * What the construct deploys for a set and SSO option: one variant per control of the set (the
 * SSO option only changes controls that have an SSO-aware variant).
 * @throws when `ssoAware` is set and the set has no SSO-aware variant
 */
export function deployedVariants(set: CisPatternSet, ssoAware: boolean): PatternVariant[] {
  if (ssoAware && !hasSsoAwareVariant(set)) throw new Error(`${set.name} has no SSO-aware variant of any control`);
  const inSet = [...catalogVariants()].filter((v) => v.set === set);
  const hasSso = (control: CisControl) => inSet.some((v) => v.control === control && v.ssoAware);
  return inSet.filter((v) => v.ssoAware === (ssoAware && hasSso(v.control)));
}

/**
 * The catalog inverted for one control: every text it knows, with the variants that use it. The audit
 * reads it to accept a deployed filter and to say whose text a pattern is.
 */
export class KnownPatterns {
  /** The inversion for one built-in control (a custom control has no catalog entry: nothing is known). */
  public static of(control: CisControl): KnownPatterns {
    const byText = new Map<string, PatternVariant[]>();
    for (const variant of catalogVariants()) {
      if (variant.control === control) byText.set(variant.text, [...(byText.get(variant.text) ?? []), variant]);
    }
    return new KnownPatterns(byText);
  }

  private constructor(private readonly byText: Map<string, PatternVariant[]>) {}

  /** Whether some set (or its SSO-aware variant) uses this exact text. */
  public has(text: string): boolean {
    return this.byText.has(text);
  }

  /** The labels of the variants that use this text, in catalog order (`CIS_V3_0_0`, `RECOMMENDED (SSO-aware)`, ...). */
  public labelsOf(text: string): string[] {
    return (this.byText.get(text) ?? []).map((v) => v.label);
  }

  /** The texts a filter may have: those of one set (its SSO-aware variant included), or of any set (`undefined`). */
  public accepted(set: CisPatternSet | undefined): Set<string> {
    return new Set([...this.byText].filter(([, variants]) => set === undefined || variants.some((v) => v.set === set)).map(([text]) => text));
  }

  /** true when the text is the set's SSO-aware variant and not its plain text. */
  public isOnlySsoAwareIn(text: string, set: CisPatternSet): boolean {
    const inSet = (this.byText.get(text) ?? []).filter((v) => v.set === set);
    return inSet.length > 0 && inSet.every((v) => v.ssoAware);
  }
}
