// The rules of exclusions (issue 10), shared by the construct (src/construct/operational-layer.ts) and the CLI
// (`replay --exclusions FILE`): validation, the syntax tree of the events an exclusion names, and a control's
// operational pattern (its compliance pattern AND NOT the exclusions), composed on the engine's syntax tree.
// Internal: not exported from src/index.ts. Imports nothing from aws-cdk-lib (the CLI bundles lib/catalog).

import { CisControl } from './cis-control';
import { CisPatternSet } from './cis-pattern-set';
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

/** The fields of an exclusion (CisExclusion's), in the order errors list them. */
const FIELDS = ['principalArns', 'pattern', 'controls', 'reason', 'owner', 'expires'];

/** What a value is, for errors: `a string`, `an array`, `null`. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

/**
 * The `exclusions` value as a list, or an error naming what it is: jsii languages (and JSON files) can pass any
 * value where the TypeScript type says an array.
 */
export function exclusionList(where: string, exclusions: unknown): readonly unknown[] {
  if (!Array.isArray(exclusions)) throw new Error(`${where}: \`exclusions\` is ${kindOf(exclusions)}; expected an array of CisExclusion.`);
  return exclusions;
}

/** How parseExclusions reads its input beyond CisExclusion's types. */
export interface ExclusionReading {
  /** Whether a string is a deploy-time token (the construct passes aws-cdk-lib's token check). */
  readonly isUnresolved?: (value: string) => boolean;
  /**
   * The pattern set whose controls `controls` may name as strings, by key or by the set's own id (`5.3` in
   * CIS_V6_0_0, `3.3` in CIS_V1_2_0: the ids replay prints). Without it, `controls` holds CisControl objects.
   */
  readonly controlsByNameIn?: CisPatternSet;
  /** Refuse fields that are not CisExclusion's (a JSON file, where a misspelt field would silently be ignored). */
  readonly closedFields?: boolean;
}

/** The control a `controls` entry names in a pattern set: its key (any case) or the set's id for it. */
function controlNamed(name: string, set: CisPatternSet): CisControl | undefined {
  const wanted = name.trim().toUpperCase();
  return set.controls().find(c => c.key === wanted || c.idIn(set)?.toUpperCase() === wanted);
}

/** `5.1 to 5.15`, `CloudWatch.1 to CloudWatch.14`: the ids of a set, for errors. */
function idRange(set: CisPatternSet): string {
  const ids = set.controls().map(c => c.idIn(set)).filter((id): id is string => id !== undefined);
  return ids.length > 1 ? `${ids[0]} to ${ids[ids.length - 1]}` : ids.join('');
}

/** Partitions whose principals' ARNs start `arn:<partition>:` (iam or sts follows). */
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];
/** In every principal ARN of one account (`arn:aws:iam::123456789012:root`, `arn:aws:sts::123456789012:assumed-role/..`). */
const ACCOUNT_PART = /^(?::{0,2}\d{0,12}:?)$/;

/**
 * Whether a principal pattern (`*` only at its start and/or end, checked before) matches every principal of a
 * partition or of an account, decided by what it can match: the principals of a partition have ARNs
 * `arn:<partition>:iam::<account>:<resource>` or `arn:<partition>:sts::<account>:<resource>`, where the account is
 * 12 digits and the resource any name. So a prefix pattern `P*` matches them all exactly when P is a prefix of
 * `arn:<partition>:`; a pattern `*C*` when C is a part of `arn:<partition>:` or of `::<account>:`; a pattern
 * `*S` or an exact ARN never (the resource name varies); `*` or `**` always. Returns what it matches every principal of.
 */
export function everyPrincipalMatchedBy(arn: string): string | undefined {
  const leading = arn.startsWith('*');
  const rest = leading ? arn.slice(1) : arn;
  const trailing = rest.endsWith('*');
  const core = trailing ? rest.slice(0, -1) : rest;
  if (!leading && !trailing) return undefined;
  if (core === '') return 'it is only wildcards';
  if (!leading) {
    const partition = PARTITIONS.find(p => `arn:${p}:`.startsWith(core));
    return partition === undefined ? undefined : `every principal's ARN ${core.length > 4 ? `in partition ${partition} ` : ''}starts with "${core}"`;
  }
  if (!trailing) return undefined;
  const partition = PARTITIONS.find(p => `arn:${p}:`.includes(core));
  if (partition !== undefined) return `every principal's ARN${core.length > 3 ? ` in partition ${partition}` : ''} contains "${core}"`;
  const account = ACCOUNT_PART.exec(core);
  if (account) {
    const digits = core.replace(/:/g, '').length;
    const closed = core.startsWith(':') && core.endsWith(':');
    if (digits > 0 && (!closed || digits === 12)) return `every principal's ARN of an account whose id contains "${core.replace(/:/g, '')}" contains "${core}"`;
    if (digits === 0) return `every principal's ARN contains "${core}"`;
  }
  return undefined;
}

/**
 * Checks every exclusion (shape and field types, required fields, date, expiry, controls, principals, pattern) and
 * returns them parsed. Validation of exclusions lives here only: the construct and `replay --exclusions` call it.
 *
 * @param where how errors start, e.g. `CisLogMonitoring Stack/Cis` or `--exclusions rules.json`
 * @param exclusions the exclusions as given (any value: the types are checked)
 * @param today the current date; an exclusion whose `expires` is before it fails
 * @param reading tokens, controls named by strings, closed fields
 */
export function parseExclusions(where: string, exclusions: unknown, deployed: readonly CisControl[], today: Date,
  reading: ExclusionReading = {}): ParsedExclusion[] {
  const isUnresolved = reading.isUnresolved ?? (() => false);
  const set = reading.controlsByNameIn;
  const deployedKeys = new Set(deployed.map(c => c.key));
  const todayIso = today.toISOString().slice(0, 10);
  return exclusionList(where, exclusions).map((given, index) => {
    if (given === null || typeof given !== 'object' || Array.isArray(given)) {
      throw new Error(`${where}: exclusions[${index}] is ${kindOf(given)}; expected an object with principalArns and/or pattern, reason, owner, expires.`);
    }
    const item = given as Record<string, unknown>;
    for (const field of ['reason', 'owner', 'expires'] as const) {
      const value = item[field];
      if (value !== undefined && typeof value !== 'string') {
        throw new Error(`${where}: exclusions[${index}] has \`${field}\` that is ${kindOf(value)}; expected a non-empty string`
          + `${field === 'expires' ? ' (YYYY-MM-DD)' : ''}.`);
      }
      if (typeof value !== 'string' || value.trim() === '') {
        throw new Error(`${where}: exclusions[${index}] needs \`${field}\`: every exclusion is a documented exception `
          + 'with a reason, an owner and an expiry date (YYYY-MM-DD).');
      }
    }
    const label = labelOf(item as unknown as ExclusionSpec, index);
    const fail = (message: string): never => {
      throw new Error(`${where}: ${label} ${message}`);
    };
    if (reading.closedFields) {
      for (const field of Object.keys(item)) {
        if (!FIELDS.includes(field)) fail(`has an unknown field \`${field}\`; the fields are ${FIELDS.join(', ')}.`);
      }
    }
    const listOf = (field: string, element: string): unknown[] | undefined => {
      const value = item[field];
      if (value === undefined) return undefined;
      if (!Array.isArray(value)) fail(`has \`${field}\` that is ${kindOf(value)}; expected an array of ${element}s.`);
      return value as unknown[];
    };
    const principalArns = listOf('principalArns', 'ARN string');
    principalArns?.forEach((arn, i) => {
      if (typeof arn !== 'string') fail(`has \`principalArns[${i}]\` that is ${kindOf(arn)}; expected an ARN string.`);
    });
    if (item.pattern !== undefined && typeof item.pattern !== 'string') {
      fail(`has \`pattern\` that is ${kindOf(item.pattern)}; expected a filter pattern string.`);
    }
    const controls = listOf('controls', set ? 'control key or id' : 'CisControl')?.map((control, i): CisControl => {
      // A CisControl, also from another copy of this library (then instanceof fails): it has its key.
      if (control instanceof CisControl || (typeof control === 'object' && control !== null && typeof (control as CisControl).key === 'string')) {
        return control as CisControl;
      }
      if (set && typeof control === 'string') {
        const found = controlNamed(control, set);
        if (found) return found;
        return fail(`names control "${control}", which is not a control of ${set.name}: use a key (e.g. ROOT_ACCOUNT_USAGE) `
          + `or a ${set.name} id (${idRange(set)}).`);
      }
      return fail(`has \`controls[${i}]\` that is ${kindOf(control)}; expected ${set ? 'a control key or id' : 'a CisControl (e.g. CisControl.ROOT_ACCOUNT_USAGE)'}.`);
    });
    const exclusion: ExclusionSpec = {
      ...(principalArns !== undefined ? { principalArns: principalArns as string[] } : {}),
      ...(item.pattern !== undefined ? { pattern: item.pattern as string } : {}),
      ...(controls !== undefined ? { controls } : {}),
      reason: item.reason as string,
      owner: item.owner as string,
      expires: item.expires as string,
    };
    for (const field of ['reason', 'owner', 'expires'] as const) {
      if (isUnresolved(exclusion[field])) fail(`has a token in \`${field}\`; use a literal string.`);
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
      const every = everyPrincipalMatchedBy(arn);
      if (every !== undefined) {
        fail(`has principal ARN "${arn}", which matches every principal (${every}). Name the principals to exclude, e.g. `
          + '"arn:aws:sts::111111111111:assumed-role/terraform-apply/*", or use `pattern`.');
      }
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
    return { exclusion, label, expression: conjunction(criteria) };
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
