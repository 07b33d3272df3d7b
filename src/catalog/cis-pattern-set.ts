import { CisControl } from './cis-control';
import { Edition, EDITION_KEYS, EDITIONS } from './control-records';

// Instances by edition, filled while the static members initialise (a static Map would not exist yet).
const BY_EDITION = new Map<Edition, CisPatternSet>();

/**
 * Which text of the benchmark the metric filters use.
 *
 * Checkers disagree about exact strings (AWS Security Hub compares character for character;
 * prowler and steampipe use regular expressions), so the set is a choice. `RECOMMENDED` is the
 * default: it detects at least what CIS v3.0.0 intends, fixes the text's defects, and is
 * accepted by current prowler and by steampipe.
 */
export class CisPatternSet {
  /**
   * Per control, a pattern that detects at least what the v3.0.0 text intends, fixes its
   * defects (4.1 grouping, 4.10 ModifySecurityGroupRules, 4.13 ec2 event source, 4.15 all 21
   * Organizations events) and keeps the benchmark's clause order. Ids follow v3.0.0.
   */
  public static readonly RECOMMENDED = CisPatternSet.edition('recommended');

  /** CIS AWS Foundations Benchmark v1.2.0 (section 3, 14 controls: no Organizations control). */
  public static readonly CIS_V1_2_0 = CisPatternSet.edition('v1_2_0');

  /** CIS v1.4.0 (same text as v1.3.0 and v1.5.0), with the logically broken 4.1 corrected. */
  public static readonly CIS_V1_4_0 = CisPatternSet.edition('v1_4_0');

  /** CIS v3.0.0 (same text as v2.0.0 and v4.0.0). */
  public static readonly CIS_V3_0_0 = CisPatternSet.edition('v3_0_0');

  /** CIS v5.0.0: v3.0.0 plus ModifySecurityGroupRules in 4.10. */
  public static readonly CIS_V5_0_0 = CisPatternSet.edition('v5_0_0');

  /** CIS v6.0.0: monitoring moved to section 5 (ids 5.1–5.15); filter text as v5.0.0. */
  public static readonly CIS_V6_0_0 = CisPatternSet.edition('v6_0_0');

  /** CIS v7.0.0: section 5 (ids 5.1–5.15) as in v6.0.0; filter text as v5.0.0. */
  public static readonly CIS_V7_0_0 = CisPatternSet.edition('v7_0_0');

  /**
   * The exact strings AWS Security Hub's CloudWatch.1–14 controls expect (it compares
   * exactly). 4.15 has no Security Hub control and uses the v3.0.0 text.
   */
  public static readonly SECURITY_HUB = CisPatternSet.edition('securityHub');

  /** Every pattern set, default first. */
  public static all(): CisPatternSet[] {
    return EDITION_KEYS.map((edition) => {
      const set = BY_EDITION.get(edition);
      if (!set) throw new Error(`Pattern set ${EDITIONS[edition].setName} is in the catalog but has no CisPatternSet static member`);
      return set;
    });
  }

  /**
   * The pattern set with this name (`RECOMMENDED`, `CIS_V1_2_0`, ...; case-insensitive).
   * Throws when the name is unknown, listing the valid names.
   */
  public static fromName(name: string): CisPatternSet {
    const found = CisPatternSet.all().find((set) => set.name === name.trim().toUpperCase());
    if (!found) {
      const names = CisPatternSet.all().map((set) => set.name).join(', ');
      throw new Error(`Unknown CIS pattern set "${name}". Use one of: ${names}.`);
    }
    return found;
  }

  private static edition(edition: Edition): CisPatternSet {
    const record = EDITIONS[edition];
    const set = new CisPatternSet(record.setName, edition, record.benchmarkVersion, record.description);
    BY_EDITION.set(edition, set);
    return set;
  }

  /**
   * @param name the name of the static instance, e.g. `CIS_V3_0_0`
   * @param _edition which column of the pattern catalog this set reads
   * @param benchmarkVersion the benchmark version whose numbering the set's ids follow
   * @param description one line for docs and CLI output
   */
  private constructor(
    public readonly name: string,
    /** @internal */ public readonly _edition: Edition,
    public readonly benchmarkVersion: string,
    public readonly description: string,
  ) {}

  /** The built-in controls this set defines, in benchmark order (v1.2.0 has 14, the others 15). */
  public controls(): CisControl[] {
    return CisControl.all().filter((control) => control.isDefinedIn(this));
  }

  /** The set's name. */
  public toString(): string {
    return this.name;
  }
}
