import { Known, PolicyDocument, isUnknown } from './model';

/**
 * A small IAM policy evaluator for the two questions the rules ask: may a service principal
 * (cloudwatch.amazonaws.com) publish to a topic, or use a key? Explicit Deny beats Allow; a statement whose
 * principal, action, resource or condition cannot be decided makes the answer `unknown`, never `allow`.
 * Values the template adapter could not resolve, and symbolic parts (`{{AccountId}}`, generated names
 * `{{generated/…}}`), are undecidable against literals.
 */

export type Match = true | false | 'maybe';

/** The request a service makes. */
export interface ServiceRequest {
  readonly service: string;
  readonly action: string;
  /** The resource's ARN (undefined: match only `*`). */
  readonly resource?: Known<string>;
  /** Condition keys in the request context (lower-case keys), e.g. `aws:sourcearn`. Absent keys are absent. */
  readonly context: Record<string, Known<string> | undefined>;
  /** Condition keys the request may carry that the caller cannot tell (conditions on them are undecidable). */
  readonly unknownKeys?: string[];
}

export type Decision = 'allow' | 'deny' | 'implicit-deny' | 'unknown';

export interface Evaluation {
  readonly decision: Decision;
  /** Why, for the message. */
  readonly reason: string;
}

const SYMBOL = /\{\{[^}]+\}\}/;

function and(a: Match, b: Match): Match {
  if (a === false || b === false) return false;
  return a === 'maybe' || b === 'maybe' ? 'maybe' : true;
}

function anyOf(matches: Match[]): Match {
  if (matches.includes(true)) return true;
  return matches.includes('maybe') ? 'maybe' : false;
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function globRegex(pattern: string, caseInsensitive: boolean): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.split('?').map((q) => q.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('.')).join('.*')}$`, caseInsensitive ? 'is' : 's');
}

/** Whether a glob (`*`, `?`) matches a value that may hold symbolic parts. */
export function glob(pattern: unknown, value: Known<string>, caseInsensitive = false): Match {
  if (isUnknown(pattern) || typeof pattern !== 'string') return 'maybe';
  if (isUnknown(value)) return pattern === '*' ? true : 'maybe';
  if (pattern === '*' || pattern === value) return true;
  if (!SYMBOL.test(value) && !SYMBOL.test(pattern)) return globRegex(pattern, caseInsensitive).test(value);
  // Symbolic parts: compare ARN segment by segment when both split alike, else undecidable.
  const ps = pattern.split(':');
  const vs = value.split(':');
  if (ps.length !== vs.length) return 'maybe';
  return ps.reduce<Match>((m, p, i) => and(m, segment(p, vs[i], caseInsensitive)), true);
}

function segment(pattern: string, value: string, caseInsensitive: boolean): Match {
  if (pattern === '*' || pattern === value) return true;
  if (SYMBOL.test(value) || SYMBOL.test(pattern)) return 'maybe';
  return globRegex(pattern, caseInsensitive).test(value);
}

function equals(pattern: unknown, value: Known<string>, caseInsensitive = false): Match {
  if (isUnknown(pattern) || typeof pattern !== 'string' || isUnknown(value)) return 'maybe';
  if (pattern === value || (caseInsensitive && pattern.toLowerCase() === value.toLowerCase())) return true;
  return SYMBOL.test(pattern) || SYMBOL.test(value) ? 'maybe' : false;
}

function principalMatches(statement: any, service: string): Match {
  if (statement.NotPrincipal !== undefined) return 'maybe';
  const principal = statement.Principal;
  if (principal === undefined) return false; // identity policies do not apply to a service principal
  if (isUnknown(principal)) return 'maybe';
  if (principal === '*') return true;
  const aws = list(principal.AWS);
  if (aws.includes('*')) return true;
  const services = list(principal.Service);
  const matches = services.map((s) => (isUnknown(s) ? 'maybe' as const : s === service));
  return anyOf(matches);
}

function actionMatches(statement: any, action: string): Match {
  if (statement.NotAction !== undefined) {
    const m = anyOf(list(statement.NotAction).map((a) => glob(a, action, true)));
    return m === 'maybe' ? 'maybe' : !m;
  }
  return anyOf(list(statement.Action).map((a) => glob(a, action, true)));
}

function resourceMatches(statement: any, resource: Known<string> | undefined): Match {
  if (statement.NotResource !== undefined) {
    if (resource === undefined) return 'maybe';
    const m = anyOf(list(statement.NotResource).map((r) => glob(r, resource)));
    return m === 'maybe' ? 'maybe' : !m;
  }
  const resources = list(statement.Resource);
  if (resources.length === 0) return true; // resource policies may omit it (the resource itself)
  if (resource === undefined) return anyOf(resources.map((r) => (r === '*' ? true : 'maybe')));
  return anyOf(resources.map((r) => glob(r, resource)));
}

const OPERATORS: Record<string, { test: (pattern: unknown, value: Known<string>) => Match; negated: boolean }> = {
  stringequals: { test: (p, v) => equals(p, v), negated: false },
  stringnotequals: { test: (p, v) => equals(p, v), negated: true },
  stringequalsignorecase: { test: (p, v) => equals(p, v, true), negated: false },
  stringnotequalsignorecase: { test: (p, v) => equals(p, v, true), negated: true },
  stringlike: { test: (p, v) => glob(p, v), negated: false },
  stringnotlike: { test: (p, v) => glob(p, v), negated: true },
  arnequals: { test: (p, v) => glob(p, v), negated: false },
  arnlike: { test: (p, v) => glob(p, v), negated: false },
  arnnotequals: { test: (p, v) => glob(p, v), negated: true },
  arnnotlike: { test: (p, v) => glob(p, v), negated: true },
  bool: { test: (p, v) => equals(typeof p === 'boolean' ? String(p) : p, v, true), negated: false },
};

function conditionMatches(condition: unknown, request: ServiceRequest): Match {
  if (condition === undefined) return true;
  if (isUnknown(condition) || typeof condition !== 'object' || condition === null) return 'maybe';
  let result: Match = true;
  for (const [rawOperator, block] of Object.entries(condition as Record<string, unknown>)) {
    let operator = rawOperator.toLowerCase();
    if (operator.startsWith('forallvalues:') || operator.startsWith('foranyvalue:')) return 'maybe';
    const ifExists = operator.endsWith('ifexists');
    if (ifExists) operator = operator.slice(0, -'ifexists'.length);
    const op = OPERATORS[operator];
    if (!op || isUnknown(block) || typeof block !== 'object' || block === null) return 'maybe';
    for (const [rawKey, patterns] of Object.entries(block as Record<string, unknown>)) {
      const key = rawKey.toLowerCase();
      if ((request.unknownKeys ?? []).includes(key)) {
        result = and(result, 'maybe');
        continue;
      }
      if (!(key in request.context)) {
        // Only keys the caller knows are absent count as absent; anything else is undecidable.
        result = and(result, 'maybe');
        continue;
      }
      const value = request.context[key];
      let m: Match;
      if (value === undefined) {m = ifExists || op.negated ? true : false;} else {
        const any = anyOf(list(patterns).map((p) => op.test(p, value)));
        m = op.negated ? (any === 'maybe' ? 'maybe' : !any) : any;
      }
      result = and(result, m);
    }
  }
  return result;
}

/** Evaluates a resource policy for one service request. `undefined` policy: the caller decides the default. */
export function evaluate(document: Known<PolicyDocument>, request: ServiceRequest): Evaluation {
  if (isUnknown(document)) return { decision: 'unknown', reason: `the policy cannot be determined (${document.$unknown})` };
  const statements = document.Statement;
  if (isUnknown(statements)) return { decision: 'unknown', reason: `the policy's statements cannot be determined (${statements.$unknown})` };
  let allow: Match = false;
  let deny: Match = false;
  let denySid = '';
  for (const [i, raw] of list(statements).entries()) {
    if (isUnknown(raw)) {
      allow = anyOf([allow, 'maybe']);
      deny = anyOf([deny, 'maybe']);
      continue;
    }
    const s = raw as any;
    const applies = [
      principalMatches(s, request.service), actionMatches(s, request.action),
      resourceMatches(s, request.resource), conditionMatches(s.Condition, request),
    ]
      .reduce<Match>(and, true);
    if (s.Effect === 'Deny') {
      if (applies !== false && deny !== true) denySid = s.Sid ?? `statement ${i + 1}`;
      deny = anyOf([deny, applies]);
    } else if (s.Effect === 'Allow') {allow = anyOf([allow, applies]);} else if (applies !== false) {return { decision: 'unknown', reason: `statement ${s.Sid ?? i + 1} has Effect ${JSON.stringify(s.Effect)}` };}
  }
  const who = `${request.service} ${request.action}`;
  if (deny === true) return { decision: 'deny', reason: `${denySid} denies ${who}` };
  if (deny === 'maybe') return { decision: 'unknown', reason: `${denySid} may deny ${who} (its principal, resource or condition cannot be decided)` };
  if (allow === true) return { decision: 'allow', reason: `allows ${who}` };
  if (allow === 'maybe') return { decision: 'unknown', reason: `no statement certainly allows ${who} (a condition, principal or resource cannot be decided)` };
  return { decision: 'implicit-deny', reason: `no statement allows ${who} (an Allow whose condition the request does not meet does not count)` };
}
