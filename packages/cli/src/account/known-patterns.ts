import { KnownPatterns } from 'cdk-cis-log-monitoring/lib/cli-support';
import { AuditPatternSet } from './report';

// How the audit words what the catalog's inversion (KnownPatterns, in the library's src/catalog/variants.ts)
// says about a deployed filter's text.

/** What a PASS row notes about an accepted text: whose text it is (`any`), or that it is the SSO-aware variant. */
export function patternNotes(known: KnownPatterns, patternSet: AuditPatternSet, text: string): string[] {
  if (patternSet === 'any') return [`pattern is the text of ${known.labelsOf(text).join(', ')}`];
  if (known.isOnlySsoAwareIn(text, patternSet)) {
    return ['pattern is the benchmark\'s SSO-aware variant (IAM users only, successful sign-ins only)'];
  }
  return [];
}
