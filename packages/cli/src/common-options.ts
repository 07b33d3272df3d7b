import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/catalog';

/**
 * `--pattern-set NAME`, shared by the commands that read the catalog. The names come from the catalog, and the
 * catalog's `fromName` turns a name (any case) into the set, with its own message for an unknown name.
 */
export function patternSetOption() {
  return {
    type: 'string',
    valueName: 'NAME',
    description: 'the pattern set whose filter patterns are used',
    allowed: CisPatternSet.all().map((s) => s.name),
    ignoreCase: true,
    default: CisPatternSet.RECOMMENDED.name,
    parse: (name: string): CisPatternSet => CisPatternSet.fromName(name),
  } as const;
}
