import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CisControl } from '../catalog';
import { CisExclusion } from './cis-exclusion';
import { errorPrefix } from './validation';
import * as rules from '../catalog/exclusion-rules';

// The construct's side of the exclusion rules (src/catalog/exclusion-rules.ts, shared with the CLI's replay):
// errors start with the construct path, and deploy-time tokens are refused.

/** Checks every exclusion and returns them parsed; errors name the construct path. */
export function parseExclusions(scope: IConstruct, exclusions: readonly CisExclusion[], deployed: readonly CisControl[],
  today: Date): rules.ParsedExclusion[] {
  return rules.parseExclusions(errorPrefix(scope), exclusions, deployed, today, { isUnresolved: value => Token.isUnresolved(value) });
}

/**
 * The `exclusions` prop as a list (empty when not given); a value that is not an array (jsii languages can pass
 * any) fails at synth instead of being ignored.
 */
export function exclusionsOf(scope: IConstruct, exclusions: unknown): readonly CisExclusion[] {
  return exclusions === undefined ? [] : rules.exclusionList(errorPrefix(scope), exclusions) as readonly CisExclusion[];
}

/** The exclusions that apply to a control. */
export const exclusionsFor = rules.exclusionsFor;

/** The operational pattern of a control; errors name the construct path. */
export function operationalPattern(scope: IConstruct, control: CisControl, compliancePattern: string,
  applying: readonly rules.ParsedExclusion[]): string {
  return rules.operationalPattern(errorPrefix(scope), control, compliancePattern, applying);
}
