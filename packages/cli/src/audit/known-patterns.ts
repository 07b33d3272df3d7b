import { CisControl, CisPatternSet } from 'cdk-cis-log-monitoring/lib/catalog';
import { AuditPatternSet } from './report';

// The catalog inverted for one control: every pattern text it knows, with the sets (and SSO-aware
// variants) that use it. The audit reads it to accept a deployed filter and to say whose text it is.

/** Pattern texts the catalog knows for a control, each with the sets (and variants) that use it. */
export type KnownPatterns = Map<string, string[]>;

const SSO_SUFFIX = ' (SSO-aware)';

/** Every text the catalog has for the control, labelled with the sets that use it. */
export function knownPatterns(control: CisControl): KnownPatterns {
  const known: KnownPatterns = new Map();
  const add = (text: string, label: string): void => {
    known.set(text, [...(known.get(text) ?? []), label]);
  };
  for (const set of CisPatternSet.all()) {
    if (!control.isDefinedIn(set)) continue;
    add(control.patternFor(set), set.name);
    if (control.key === CisControl.CONSOLE_SIGNIN_WITHOUT_MFA.key) {
      try {
        add(control.patternFor(set, true), `${set.name}${SSO_SUFFIX}`);
      } catch {
        // this set has no SSO-aware variant
      }
    }
  }
  return known;
}

/** The texts a filter may have for the pattern set (its SSO-aware variant included), or for any set. */
export function acceptedPatterns(known: KnownPatterns, patternSet: AuditPatternSet): Set<string> {
  if (patternSet === 'any') return new Set(known.keys());
  const labels = [patternSet.name, `${patternSet.name}${SSO_SUFFIX}`];
  return new Set([...known].filter(([, setNames]) => setNames.some((l) => labels.includes(l))).map(([text]) => text));
}

/** What a PASS row notes about an accepted text: whose text it is (`any`), or that it is the SSO-aware variant. */
export function patternNotes(known: KnownPatterns, patternSet: AuditPatternSet, text: string): string[] {
  const labels = known.get(text) ?? [];
  if (patternSet === 'any') return [`pattern is the text of ${labels.join(', ')}`];
  if (!labels.includes(patternSet.name) && labels.includes(`${patternSet.name}${SSO_SUFFIX}`)) {
    return ['pattern is the benchmark\'s SSO-aware variant (IAM users only, successful sign-ins only)'];
  }
  return [];
}

/** `A's pattern (the same text is in B, C)` for a known text. */
export function describeKnown(known: KnownPatterns, text: string): string {
  const labels = known.get(text) ?? [];
  return labels.length === 1 ? `${labels[0]}'s pattern` : `${labels[0]}'s pattern (the same text is in ${labels.slice(1).join(', ')})`;
}
