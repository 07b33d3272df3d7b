/**
 * A small evaluator of IAM policy documents (the subset service control policies use), for tests:
 * Effect, Action / NotAction, Resource / NotResource with `*` and `?` wildcards, and the condition
 * operators StringEquals, StringNotEquals, StringLike, StringNotLike, ArnEquals, ArnNotEquals,
 * ArnLike and ArnNotLike (with ForAnyValue:/ForAllValues: and multi-valued keys).
 *
 * Decision as AWS documents it for SCPs: an explicit Deny in any statement wins; otherwise the
 * request is allowed only when some statement allows it; otherwise it is implicitly denied.
 * Anything the evaluator does not understand throws, so that a test never passes by ignoring it.
 */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: PolicyStatement | PolicyStatement[];
}

export interface Request {
  /** `service:Action`. */
  readonly action: string;
  readonly resource: string;
  /** Request context keys, e.g. `aws:PrincipalArn`. */
  readonly context: Record<string, string | string[]>;
}

export type Decision = 'ALLOW' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY';

export interface Evaluation {
  readonly decision: Decision;
  /** Sids (or indexes) of the statements that matched. */
  readonly matched: string[];
}

/** The AWS managed SCP `FullAWSAccess`, attached by default to every root, OU and account. */
export const FULL_AWS_ACCESS: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

export function evaluate(documents: PolicyDocument[], request: Request): Evaluation {
  let allowed = false;
  const denied: string[] = [];
  const allows: string[] = [];
  for (const document of documents) {
    if (document.Version !== '2012-10-17') throw new Error(`unsupported policy Version ${document.Version}`);
    const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
    statements.forEach((statement, index) => {
      if (!statementApplies(statement, request)) return;
      const name = statement.Sid ?? `#${index}`;
      if (statement.Effect === 'Deny') {denied.push(name);} else if (statement.Effect === 'Allow') {
        allowed = true;
        allows.push(name);
      } else {throw new Error(`unsupported Effect ${statement.Effect}`);}
    });
  }
  if (denied.length > 0) return { decision: 'EXPLICIT_DENY', matched: denied };
  return allowed ? { decision: 'ALLOW', matched: allows } : { decision: 'IMPLICIT_DENY', matched: [] };
}

function statementApplies(statement: PolicyStatement, request: Request): boolean {
  for (const key of Object.keys(statement)) {
    if (!['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'].includes(key)) {
      throw new Error(`unsupported statement element ${key}`);
    }
  }
  const actionOk = statement.Action !== undefined
    ? list(statement.Action).some((p) => wildcard(p, request.action, false))
    : statement.NotAction !== undefined && !list(statement.NotAction).some((p) => wildcard(p, request.action, false));
  if (!actionOk) return false;
  const resourceOk = statement.Resource !== undefined
    ? list(statement.Resource).some((p) => wildcard(p, request.resource, true))
    : statement.NotResource !== undefined && !list(statement.NotResource).some((p) => wildcard(p, request.resource, true));
  if (!resourceOk) return false;
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => conditionHolds(operator, request.context[key], list(values))));
}

function conditionHolds(operatorWithQualifier: string, contextValue: string | string[] | undefined, policyValues: string[]): boolean {
  const [qualifier, operator] = operatorWithQualifier.includes(':') ? operatorWithQualifier.split(':') : [undefined, operatorWithQualifier];
  const negated = /Not/.test(operator);
  const match = matcher(operator);
  const requestValues = contextValue === undefined ? [] : list(contextValue);
  const one = (value: string): boolean => policyValues.some((p) => match(p, value));
  if (qualifier === undefined) {
    // Single-valued key. A missing key: positive operators fail; negated operators hold (IAM's documented behaviour).
    if (requestValues.length === 0) return negated;
    if (requestValues.length > 1) throw new Error(`${operator} on a multi-valued key needs ForAnyValue or ForAllValues`);
    return negated ? !one(requestValues[0]) : one(requestValues[0]);
  }
  if (qualifier === 'ForAnyValue') return requestValues.some((v) => (negated ? !one(v) : one(v)));
  if (qualifier === 'ForAllValues') return requestValues.every((v) => (negated ? !one(v) : one(v)));
  throw new Error(`unsupported condition qualifier ${qualifier}`);
}

function matcher(operator: string): (pattern: string, value: string) => boolean {
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
    case 'ArnEquals':
    case 'ArnNotEquals':
      return (p, v) => p === v;
    case 'StringLike':
    case 'StringNotLike':
      return (p, v) => wildcard(p, v, false);
    case 'ArnLike':
    case 'ArnNotLike':
      return arnLike;
    default:
      throw new Error(`unsupported condition operator ${operator}`);
  }
}

/** ArnLike: each of the six colon-separated parts matched on its own (the resource part may hold colons). */
function arnLike(pattern: string, value: string): boolean {
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return false;
  return p.every((part, i) => wildcard(part, v[i], false));
}

function splitArn(text: string): string[] | undefined {
  const parts = text.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}

/** `*` any run of characters, `?` one character; case-insensitive for actions, case-sensitive for resources. */
function wildcard(pattern: string, value: string, caseSensitive: boolean): boolean {
  const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, caseSensitive ? 's' : 'is').test(value);
}

function list(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}
