// Compiles a filter pattern's syntax tree into an Amazon EventBridge event pattern that matches the same CloudTrail
// records as EventBridge delivers them (the record under `detail`), exactly or not at all: what has no exact
// EventBridge form is refused with an EventBridgeRefusal that names the clause. Internal (not exported from
// src/index.ts); no aws-cdk-lib. test/eventbridge/ proves the equivalence against aws/event-ruler, the matching
// library behind EventBridge; docs/realtime.md lists the verdict for every control.
//
// Where the two matchers differ, and how the compiler stays exact (each checked with event-ruler 2.1.0):
// - Arrays: EventBridge matches when any element of an array matches (and flattens arrays of objects on the way
//   to a field); a filter pattern's `=`/`!=` never hold on an array, and `$.a.b` does not look into an array.
// - Types: `anything-but` matches any present leaf that is not excluded, numbers, booleans and null included,
//   while `!=` with a string holds only on strings; `{"exists": false}` also holds on an object or an empty array,
//   where `NOT EXISTS` does not.
// No EventBridge pattern can say "not an array" or "a string", so every field a compiled pattern reads must have a
// declared scalar type: for CloudTrail, the type the CloudTrail documentation gives it (CLOUDTRAIL_FIELD_TYPES, from
// src/catalog/cloudtrail-fields.ts, the exclusion rules' table). The compiled pattern is exact on every record in
// which each field it reads is absent or of that type (not null) and no object on the way to it is an array
// (CloudTrail's own records are); fields without a declared type are refused. The tests check that promise on random events of every JSON type.
// - Keys with a period: event-ruler joins nested keys with "." (`{"a.b": ...}` also matches `{"a": {"b": ...}}`, and
//   `{"a": {"b": ...}}` matches an event key "a.b"), so a selector key that contains a period is refused, as are keys
//   starting with `$` (operator names such as `$or`); exactness also assumes that no object on the way to a field
//   has a key with a period that spells the rest of the path (CloudTrail's documented objects have none).
// - Selector indexes and wildcards (`$.a[0]`, `$.a[*]`) have no EventBridge form: refused.
// - Regular expressions have no EventBridge form: refused, except a literal (`%^Put%`, `%Denied$%`, `%a\.b%`), which
//   is a prefix, suffix, contains or equality test.
// - Conjunctions: two conditions on one field that hold on disjoint kinds of value (`f != "x" && f NOT EXISTS`)
//   never hold together: the alternative is dropped.
// - Conjunctions: the conditions on one field are alternatives in EventBridge (a list is OR), so `&&` of two
//   different conditions on one field is refused (`A || B` on one field becomes a list; across fields, `$or`),
//   except `!=` with `!=`: `f != "a" && f != "b"` is `anything-but: ["a", "b"]` (likewise with prefixes, suffixes
//   or wildcards; of mixed kinds, a list of wildcards), which is how an exclusion's negation reads.
// - Numbers are doubles on both sides: JavaScript and event-ruler read `1e300` alike; event-ruler's
//   rulesForJSONEvent refuses to compare an event number whose text is not exactly a double (e.g. 17 significant
//   digits), which JSON.stringify and CloudTrail never write.
// - event-ruler compares a string with its JSON quotes around it: a prefix ending or a suffix starting with `"` is
//   refused (found by the random tests: suffix `"` matches "").
// - Strings compare by content and case on both sides (no `equals-ignore-case`); a string constant that is not
//   well-formed Unicode (a lone surrogate) is refused, as EventBridge compares UTF-8 bytes.
import { Comparison, Expression, Selector, StringValue, Test, visit } from './ast';
import { renderGrouped } from './render';
import { CLOUDTRAIL_SCALAR_FIELDS } from '../catalog/cloudtrail-fields';

/** The scalar JSON type a field is declared to have when present. */
export type FieldType = 'string' | 'number' | 'boolean';

/**
 * CloudTrail record fields with a scalar type in the CloudTrail documentation (paths from the record's root): the
 * table the exclusion rules use (src/catalog/cloudtrail-fields.ts), without the fields inside arrays
 * (`resources[].ARN`), which EventBridge cannot address.
 */
export const CLOUDTRAIL_FIELD_TYPES: ReadonlyMap<string, FieldType> = new Map(
  Object.entries(CLOUDTRAIL_SCALAR_FIELDS).filter(([path]) => !path.includes('[')));

/** EventBridge's default maximum size of an event pattern, in characters (an adjustable quota). */
export const EVENT_PATTERN_MAX_LENGTH = 2048;

/**
 * The envelope of CloudTrail events on EventBridge: every CloudTrail delivery type ("AWS API Call via CloudTrail",
 * "AWS Console Sign In via CloudTrail" (documented as "Signin"), "AWS Console Action via CloudTrail", "AWS Service
 * Event via CloudTrail", "AWS Insight via CloudTrail") from any AWS source. The source is not narrowed to one
 * service: a filter pattern reads every record of the trail, and `eventSource` does not name the EventBridge
 * source one-to-one; AWS sources start with "aws.", which custom events cannot use.
 */
export const CLOUDTRAIL_ENVELOPE = {
  'source': [{ prefix: 'aws.' }],
  'detail-type': [{ suffix: ' via CloudTrail' }],
} as const;

/** Thrown when a pattern has no exact EventBridge form: `clause` is the part of the pattern, `reason` why. */
export class EventBridgeRefusal extends Error {
  constructor(public readonly clause: string, public readonly reason: string) {
    super(`${clause}: ${reason}`);
    this.name = 'EventBridgeRefusal';
  }
}

export interface EventBridgeOptions {
  /** The declared types of the record's fields. @default CLOUDTRAIL_FIELD_TYPES */
  readonly fieldTypes?: ReadonlyMap<string, FieldType>;
  /** The largest pattern accepted, in characters. @default EVENT_PATTERN_MAX_LENGTH */
  readonly maxLength?: number;
}

export interface EventBridgeCompilation {
  /** The event pattern: the CloudTrail envelope and the record's conditions under `detail`. */
  readonly pattern: Record<string, unknown>;
  /** The pattern as compact JSON, as EventBridge counts its size. */
  readonly json: string;
  /** Whether the pattern uses the `wildcard` operator (EventBridge allows 30 such rules per event bus). */
  readonly usesWildcard: boolean;
}

/** Largest number of alternatives the pattern's `||` may multiply out to before it is refused as too large. */
const MAX_ALTERNATIVES = 256;

/** One EventBridge matcher of a field (an element of the field's list); a list is OR. */
type Matcher = unknown;

/** A condition on one field: the field's path and its matchers (alternatives). */
interface FieldCondition {
  readonly path: readonly string[];
  readonly matchers: readonly Matcher[];
  readonly clause: string;
  /** The kinds of value the condition can hold on (`missing` for NOT EXISTS): disjoint kinds under && never hold. */
  readonly kinds: ReadonlySet<ValueKind>;
}

type ValueKind = 'missing' | 'null' | 'string' | 'number' | 'boolean';

/** A conjunction of conditions on distinct fields, keyed by the path joined with NUL. */
type Conjunction = Map<string, FieldCondition>;

/** Compiles a filter pattern into a CloudTrail EventBridge pattern (the envelope plus `detail`). */
export function eventBridgePattern(expression: Expression, options: EventBridgeOptions = {}): EventBridgeCompilation {
  const detail = compileDetail(expression, options.fieldTypes ?? CLOUDTRAIL_FIELD_TYPES);
  const pattern = { ...CLOUDTRAIL_ENVELOPE, detail };
  const json = JSON.stringify(pattern);
  const max = options.maxLength ?? EVENT_PATTERN_MAX_LENGTH;
  if (json.length > max) {
    throw new EventBridgeRefusal(renderGrouped(expression), `the EventBridge pattern would be ${json.length} characters; EventBridge allows ${max} by default`);
  }
  return { pattern, json, usesWildcard: json.includes('"wildcard":') };
}

/** The `detail` part alone: the conditions on the record, as an EventBridge pattern object. */
export function compileDetail(expression: Expression, fieldTypes: ReadonlyMap<string, FieldType>): Record<string, unknown> {
  const alternatives = mergeAlternatives(disjuncts(expression, fieldTypes));
  if (alternatives.length === 0) {
    throw new EventBridgeRefusal(renderGrouped(expression), 'the pattern can never match, so there is no rule to write');
  }
  const objects = alternatives.map(toObject);
  return objects.length === 1 ? objects[0] : { $or: objects };
}

/**
 * The expression as alternatives (disjunctive normal form), each a conjunction of conditions on distinct fields.
 * A condition that can never hold drops its conjunction.
 */
function disjuncts(e: Expression, types: ReadonlyMap<string, FieldType>): Conjunction[] {
  return visit(e, {
    or: operands => operands.flat(),
    and: (operands, node) => {
      let product: Conjunction[] = [new Map()];
      for (const right of operands) {
        const next: Conjunction[] = [];
        for (const left of product) {
          for (const r of right) {
            const joined = conjoin(left, r);
            if (joined) next.push(joined);
          }
        }
        if (next.length > MAX_ALTERNATIVES) {
          throw new EventBridgeRefusal(renderGrouped(node), `multiplies out to more than ${MAX_ALTERNATIVES} alternatives`);
        }
        product = next;
      }
      return product;
    },
    comparison: leaf,
    test: leaf,
  });

  function leaf(node: Comparison | Test): Conjunction[] {
    const condition = compileCondition(node, types);
    return condition ? [new Map([[condition.path.join('\0'), condition]])] : [];
  }
}

/** The conjunction of two; undefined when it can never hold (`f != "x" && f NOT EXISTS`). */
function conjoin(a: Conjunction, b: Conjunction): Conjunction | undefined {
  const out = new Map(a);
  for (const [key, condition] of b) {
    const existing = out.get(key);
    if (existing && !sameMatchers(existing.matchers, condition.matchers)) {
      if (![...existing.kinds].some(k => condition.kinds.has(k))) return undefined;
      const merged = mergeExclusions(existing.matchers, condition.matchers);
      if (merged) {
        out.set(key, { path: existing.path, matchers: merged, clause: `${existing.clause} && ${condition.clause}`, kinds: new Set(['string']) });
        continue;
      }
      throw new EventBridgeRefusal(`${existing.clause} && ${condition.clause}`,
        'two different conditions on one field joined by && have no EventBridge form (a field\'s matchers are alternatives)');
    }
    if (!existing) {
      for (const other of out.values()) {
        if (isPrefix(other.path, condition.path) || isPrefix(condition.path, other.path)) {
          throw new EventBridgeRefusal(`${other.clause} && ${condition.clause}`,
            'a condition on a field and one on a field inside it cannot be in one EventBridge pattern object');
        }
      }
      out.set(key, condition);
    }
  }
  return out;
}

/**
 * `f != "a" && f != "b"` is one anything-but with a list: "none of these" (likewise two anything-but prefixes,
 * suffixes or wildcards); of different kinds, every one is written as a wildcard (`a`, `p*`, `*s`, `*c*`, with `*`
 * and `\` escaped). Other pairs of conditions on one field have no EventBridge form.
 */
function mergeExclusions(a: readonly Matcher[], b: readonly Matcher[]): Matcher[] | undefined {
  let x = exclusionOf(a);
  let y = exclusionOf(b);
  if (!x || !y) return undefined;
  if (x.kind !== y.kind) {
    x = asWildcards(x);
    y = asWildcards(y);
  }
  const values = [...new Set([...x.values, ...y.values])];
  return [{ 'anything-but': x.kind === 'values' ? values : { [x.kind]: values } }];
}

function asWildcards(e: { kind: string; values: string[] }): { kind: string; values: string[] } {
  const as = {
    values: (v: string) => escapeWildcard(v),
    prefix: (v: string) => `${escapeWildcard(v)}*`,
    suffix: (v: string) => `*${escapeWildcard(v)}`,
    wildcard: (v: string) => v,
  }[e.kind]!;
  return { kind: 'wildcard', values: e.values.map(as) };
}

function exclusionOf(matchers: readonly Matcher[]): { kind: string; values: string[] } | undefined {
  if (matchers.length !== 1) return undefined;
  const m = matchers[0] as Record<string, unknown> | null;
  if (m === null || typeof m !== 'object' || !('anything-but' in m)) return undefined;
  const inner = m['anything-but'];
  const list = (v: unknown) => (Array.isArray(v) ? v as string[] : [v as string]);
  if (typeof inner === 'string' || Array.isArray(inner)) return { kind: 'values', values: list(inner) };
  const [kind, value] = Object.entries(inner as Record<string, unknown>)[0];
  return { kind, values: list(value) };
}

function isPrefix(a: readonly string[], b: readonly string[]): boolean {
  return a.length < b.length && a.every((step, i) => b[i] === step);
}

const key = (matchers: readonly Matcher[]) => JSON.stringify(matchers);
function sameMatchers(a: readonly Matcher[], b: readonly Matcher[]): boolean {
  return key(a) === key(b);
}

/**
 * Joins alternatives that differ in one field's matchers only: {F: A, G: x} or {F: B, G: x} is {F: [A, B], G: x}.
 * Exact because a field's list is OR. Repeated until no pair joins.
 */
function mergeAlternatives(alternatives: Conjunction[]): Conjunction[] {
  const list = dedupe(alternatives);
  for (let changed = true; changed;) {
    changed = false;
    outer:
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const merged = mergePair(list[i], list[j]);
        if (merged) {
          list[i] = merged;
          list.splice(j, 1);
          changed = true;
          break outer;
        }
      }
    }
  }
  return list;
}

function dedupe(alternatives: Conjunction[]): Conjunction[] {
  const seen = new Set<string>();
  return alternatives.filter(c => {
    const k = JSON.stringify([...c.keys()].sort().map(p => [p, c.get(p)!.matchers]));
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function mergePair(a: Conjunction, b: Conjunction): Conjunction | undefined {
  if (a.size !== b.size) return undefined;
  let differing: string | undefined;
  for (const [path, condition] of a) {
    const other = b.get(path);
    if (!other) return undefined;
    if (!sameMatchers(condition.matchers, other.matchers)) {
      if (differing !== undefined) return undefined;
      differing = path;
    }
  }
  if (differing === undefined) return a; // identical
  const x = a.get(differing)!;
  const y = b.get(differing)!;
  const matchers = [...x.matchers];
  for (const m of y.matchers) if (!matchers.some(n => key([n]) === key([m]))) matchers.push(m);
  return new Map(a).set(differing, { path: x.path, matchers, clause: `${x.clause} || ${y.clause}`, kinds: new Set([...x.kinds, ...y.kinds]) });
}

function toObject(conjunction: Conjunction): Record<string, unknown> {
  const root: Record<string, any> = {};
  const sorted = [...conjunction.values()].sort((p, q) => (p.path.join('.') < q.path.join('.') ? -1 : 1));
  for (const { path, matchers } of sorted) {
    let node = root;
    for (const step of path.slice(0, -1)) node = node[step] ??= {};
    node[path[path.length - 1]] = matchers;
  }
  return root;
}

/** The field path of a selector, refused unless every step is a plain key with a declared scalar type. */
function fieldOf(selector: Selector, clause: string, types: ReadonlyMap<string, FieldType>): { path: string[]; type: FieldType } {
  const path: string[] = [];
  for (const step of selector.steps) {
    if (step.kind !== 'key') {
      throw new EventBridgeRefusal(clause, `the selector ${selector.text} has an array ${step.kind === 'index' ? 'index' : 'wildcard'}; `
        + 'EventBridge cannot address array elements (it matches any element)');
    }
    if (step.name.includes('.')) {
      throw new EventBridgeRefusal(clause, `the key "${step.name}" contains a period, which EventBridge reads as nesting`);
    }
    if (step.name.startsWith('$')) {
      throw new EventBridgeRefusal(clause, `the key "${step.name}" starts with "$", which EventBridge reads as an operator`);
    }
    path.push(step.name);
  }
  const type = types.get(path.join('.'));
  if (!type) {
    throw new EventBridgeRefusal(clause, `the field ${selector.text} has no documented scalar type; on an array or a value of `
      + 'another type EventBridge and the filter pattern disagree');
  }
  return { path, type };
}

/** One clause as a condition on its field; undefined when it can never hold on a record of the declared types. */
function compileCondition(e: Comparison | Test, types: ReadonlyMap<string, FieldType>): FieldCondition | undefined {
  const clause = renderGrouped(e).slice(2, -2);
  const { path, type } = fieldOf(e.selector, clause, types);
  const matchers = e.kind === 'test' ? testMatchers(e) : comparisonMatchers(e, type, clause);
  return matchers === undefined ? undefined : { path, matchers, clause, kinds: kindsOf(e) };
}

/** The kinds of value a clause holds on, as the engine evaluates it. */
function kindsOf(e: Comparison | Test): ReadonlySet<ValueKind> {
  if (e.kind === 'test') return new Set([({ null: 'null', true: 'boolean', false: 'boolean', notExists: 'missing' } as const)[e.test]]);
  if (e.value.kind === 'number') return new Set(['number']);
  if (e.value.kind === 'string' && e.value.match === 'any' && e.operator === '=') return new Set(['string', 'number', 'boolean']);
  return new Set(['string']);
}

function testMatchers(t: Test): Matcher[] {
  switch (t.test) {
    case 'null': return [null];
    case 'true': return [true];
    case 'false': return [false];
    // Exact because the field is a declared scalar: EventBridge's exists:false also holds on {} and [].
    case 'notExists': return [{ exists: false }];
  }
}

/** The matchers of a comparison; undefined when it never holds (e.g. `!= "*"`, or `!=` a string on a number field). */
function comparisonMatchers(c: Comparison, type: FieldType, clause: string): Matcher[] | undefined {
  const v = c.value;
  if (v.kind === 'number') {
    if (!Number.isFinite(v.value)) throw new EventBridgeRefusal(clause, `${v.text} is not a finite double`);
    const n = v.value;
    switch (c.operator) {
      case '=': return [{ numeric: ['=', n] }];
      // Typed like the filter pattern: anything-but would also match strings.
      case '!=': return [{ numeric: ['<', n] }, { numeric: ['>', n] }];
      default: return [{ numeric: [c.operator, n] }];
    }
  }
  // A glob (`*` at either end) or a regex that is a literal with optional anchors: both test strings only.
  const { any, leading, trailing, core } = v.kind === 'regex' ? literalRegex(v.source, clause) : globShape(v);
  if (!isWellFormed(core)) throw new EventBridgeRefusal(clause, 'the value is not well-formed Unicode (a lone surrogate)');
  // event-ruler matches a string with its JSON quotes around it, so a prefix ending in `"` also matches the prefix
  // without it (`prefix: 'a"'` matches "a"), and a suffix starting with `"` the suffix without it.
  if ((trailing && !leading && core.endsWith('"')) || (leading && !trailing && core.startsWith('"'))) {
    throw new EventBridgeRefusal(clause, `EventBridge's ${trailing ? 'prefix' : 'suffix'} matching reads a double quote at the value's `
      + `${trailing ? 'end' : 'start'} as the end of the string`);
  }
  const everyString = (leading || trailing) && core === '';
  if (c.operator === '=') {
    // A lone `*` matches any present string, number or boolean: exists:true, exact as the field is a declared scalar.
    if (any) return [{ exists: true }];
    if (everyString) return [{ prefix: '' }];
    if (leading && trailing) return [{ wildcard: `*${escapeWildcard(core)}*` }];
    if (leading) return [{ suffix: core }];
    if (trailing) return [{ prefix: core }];
    return [core];
  }
  // `!=` with a string holds only on strings; anything-but matches any present leaf, so it is exact on string fields.
  if (type !== 'string') return undefined;
  if (any || everyString) return undefined; // no string satisfies it
  if (leading && trailing) return [{ 'anything-but': { wildcard: `*${escapeWildcard(core)}*` } }];
  if (leading) return [{ 'anything-but': { suffix: core } }];
  if (trailing) return [{ 'anything-but': { prefix: core } }];
  return [{ 'anything-but': core }];
}

/** What a string value tests: any value (`*`), or `core` at the start (trailing `*`), end (leading `*`), inside (both) or whole. */
interface Shape { readonly any: boolean; readonly leading: boolean; readonly trailing: boolean; readonly core: string }

/** The shape of a string value, from its match (decided by the parser: ast.ts stringValue, the one `*` rule). */
function globShape(v: StringValue): Shape {
  const { match, core } = v;
  return { any: match === 'any', leading: match === 'suffix' || match === 'contains', trailing: match === 'prefix' || match === 'contains', core };
}

const REGEX_META = new Set(['.', '*', '+', '?', '{', '}', '[', ']', '(', ')', '|', '\\', '^', '$']);

/**
 * A regex that is a literal (no metacharacter; `\X` for a non-alphanumeric X is X) with `^` only first and `$` only
 * last: a search for the literal, anchored as written. Any other regex is refused.
 */
function literalRegex(source: string, clause: string): Shape {
  const start = source.startsWith('^');
  const end = source.length > (start ? 1 : 0) && source.endsWith('$') && !source.endsWith('\\$');
  const body = source.slice(start ? 1 : 0, end ? -1 : undefined);
  let core = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\' && i + 1 < body.length && !/[A-Za-z0-9]/.test(body[i + 1])) {
      core += body[++i];
    } else if (REGEX_META.has(ch)) {
      throw new EventBridgeRefusal(clause, 'EventBridge has no regular expressions; only a literal regex (with ^ first and $ last) has an exact form');
    } else {
      core += ch;
    }
  }
  return { any: false, leading: !start, trailing: !end, core };
}

/** In EventBridge's wildcard, `*` is the wildcard and `\` escapes; both are literal in the filter pattern's core. */
function escapeWildcard(core: string): string {
  return core.replace(/[\\*]/g, '\\$&');
}

function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}
