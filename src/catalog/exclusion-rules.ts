// The rules of exclusions (issue 10), shared by the construct (src/construct/operational-layer.ts) and the CLI
// (`replay --exclusions FILE`): validation, the syntax tree of the events an exclusion names, and a control's
// operational pattern (its compliance pattern AND NOT the exclusions), composed on the engine's syntax tree.
// Internal: not exported from src/index.ts. Imports nothing from aws-cdk-lib (the CLI bundles lib/catalog).

import { CisControl } from './cis-control';
import { cloudTrailFieldType, insteadOf } from './cloudtrail-fields';
import { LogFilterPattern } from '../engine';
import { Expression } from '../engine/ast';
import { NegationError, UntypedFieldError, conjunction, equalsAny, negate, parseExpression, renderCompact, selector } from '../engine/compose';
import { FilterPatternSyntaxError } from '../engine/errors';

/** An exclusion as the rules read it: the fields of the construct's `CisExclusion`. */
export interface ExclusionSpec {
  readonly principalArns?: string[];
  readonly pattern?: string;
  readonly controls?: CisControl[];
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
}

/** The events the exclusion names, as a syntax tree. Internal. */
export interface ParsedExclusion {
  readonly exclusion: ExclusionSpec;
  readonly label: string;
  readonly expression: Expression;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const USER_ARN = selector('$.userIdentity.arn');

/** `exclusions[1] (owner "platform", reason "nightly terraform apply")`: how errors name an exclusion. */
function labelOf(exclusion: ExclusionSpec, index: number): string {
  return `exclusions[${index}] (owner "${exclusion.owner}", reason "${exclusion.reason}")`;
}

/**
 * Checks every exclusion (required fields, date, expiry, controls, principals, pattern) and returns them parsed.
 *
 * @param where how errors start, e.g. `CisLogMonitoring Stack/Cis` or `--exclusions rules.json`
 * @param today the current date; an exclusion whose `expires` is before it fails
 * @param isUnresolved whether a string is a deploy-time token (the construct passes aws-cdk-lib's token check)
 */
export function parseExclusions(where: string, exclusions: readonly ExclusionSpec[], deployed: readonly CisControl[], today: Date,
  isUnresolved: (value: string) => boolean = () => false): ParsedExclusion[] {
  const deployedKeys = new Set(deployed.map(c => c.key));
  const todayIso = today.toISOString().slice(0, 10);
  return exclusions.map((exclusion, index) => {
    const fail = (message: string): never => {
      throw new Error(`${where}: ${labelOf(exclusion, index)} ${message}`);
    };
    for (const field of ['reason', 'owner', 'expires'] as const) {
      const value = exclusion[field];
      if (typeof value !== 'string' || value.trim() === '') {
        throw new Error(`${where}: exclusions[${index}] needs \`${field}\`: every exclusion is a documented exception `
          + 'with a reason, an owner and an expiry date (YYYY-MM-DD).');
      }
      if (isUnresolved(value)) fail(`has a token in \`${field}\`; use a literal string.`);
    }
    const date = ISO_DATE.exec(exclusion.expires);
    const parsedDate = date ? new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]))) : undefined;
    if (!parsedDate || parsedDate.toISOString().slice(0, 10) !== exclusion.expires) {
      fail(`has expires "${exclusion.expires}", which is not an ISO date. Write the last day it applies as YYYY-MM-DD, e.g. "2027-03-31".`);
    }
    if (exclusion.expires < todayIso) {
      fail(`expired on ${exclusion.expires} (today is ${todayIso}). Review the exception: remove it, or set a new \`expires\` with its owner.`);
    }
    for (const control of exclusion.controls ?? []) {
      if (!deployedKeys.has(control.key)) fail(`names control ${control.id} (${control.key}), which this construct does not deploy.`);
    }
    if (exclusion.controls && exclusion.controls.length === 0) fail('has an empty `controls`; leave it out to apply to every control.');

    const criteria: Expression[] = [];
    const principals = exclusion.principalArns ?? [];
    if (exclusion.principalArns && principals.length === 0) fail('has an empty `principalArns`; leave it out or list at least one ARN.');
    for (const arn of principals) {
      if (typeof arn !== 'string' || arn.trim() === '' || isUnresolved(arn)) fail(`has a principal ARN that is empty or a token: ${String(arn)}.`);
      const core = arn.replace(/^\*/, '').replace(/\*$/, '');
      if (core.includes('*')) {
        fail(`has principal ARN "${arn}" with a "*" in the middle. CloudWatch Logs treats "*" as a wildcard only at the start or end `
          + '(elsewhere it is a literal star); split it into several ARNs or use a wildcard at the end.');
      }
      if (core === '') fail(`has principal ARN "${arn}", which matches every principal; use \`pattern\` or leave the principal out.`);
    }
    if (principals.length > 0) criteria.push(equalsAny(USER_ARN, principals));
    if (exclusion.pattern !== undefined) {
      if (isUnresolved(exclusion.pattern)) fail('has a token as `pattern`; use a literal pattern.');
      try {
        criteria.push(parseExpression(exclusion.pattern));
      } catch (e) {
        if (e instanceof FilterPatternSyntaxError) fail(`has an invalid \`pattern\`: ${e.message}. Pattern: ${exclusion.pattern}`);
        throw e;
      }
    }
    if (criteria.length === 0) fail('names no events: give `principalArns`, `pattern` or both.');
    return { exclusion, label: labelOf(exclusion, index), expression: conjunction(criteria) };
  });
}

/** The exclusions that apply to a control. */
export function exclusionsFor(control: CisControl, parsed: readonly ParsedExclusion[]): ParsedExclusion[] {
  return parsed.filter(p => !p.exclusion.controls || p.exclusion.controls.some(c => c.key === control.key));
}

/**
 * The operational pattern of a control: its compliance pattern AND NOT each exclusion, composed on the syntax
 * tree and printed by the engine, then validated against CloudWatch Logs' limits.
 *
 * @throws naming the exclusion to shorten when the pattern would break a limit
 */
export function operationalPattern(where: string, control: CisControl, compliancePattern: string, applying: readonly ParsedExclusion[]): string {
  const negations = applying.map(p => {
    try {
      return negate(p.expression, s => cloudTrailFieldType(s.steps));
    } catch (e) {
      if (e instanceof UntypedFieldError) throw new Error(`${where}: ${p.label} cannot be applied: ${e.message}. ${insteadOf(e.field.text, e.field.steps)}`);
      if (e instanceof NegationError) throw new Error(`${where}: ${p.label} cannot be applied: ${e.message}.`);
      throw e;
    }
  });
  const text = renderCompact(conjunction([parseExpression(compliancePattern), ...negations]));
  const problems = LogFilterPattern.validate(text);
  if (problems.length > 0) {
    // Name the exclusion that costs the most characters: shortening it (fewer ARNs, a wildcard) helps most.
    const costs = applying.map((p, i) => ({ label: p.label, size: renderCompact(negations[i]).length - 2 }));
    const largest = costs.reduce((a, b) => (b.size > a.size ? b : a));
    throw new Error(`${where}: the operational pattern of control ${control.id} (${control.title}) would be rejected by `
      + `CloudWatch Logs: ${problems.join('; ')}. The control's own pattern has ${compliancePattern.length} characters; the exclusions add `
      + `${costs.map(c => `${c.label}: ${c.size}`).join(', ')}. Shorten ${largest.label} (fewer ARNs, a shared prefix with a trailing "*"), `
      + 'or limit it to fewer controls with `controls`.');
  }
  return text;
}
