// Composition of filter patterns on the syntax tree: conjunction, a negation that CloudWatch Logs can express,
// and compact printing. Internal (not exported from src/index.ts): the construct builds operational patterns
// ("the control's pattern AND NOT the exclusions") with it, never by concatenating pattern strings.
//
// CloudWatch Logs filter patterns have no NOT operator, so a negation is pushed down to the conditions
// (De Morgan) and each condition is replaced by its complement. The trap (DataBiosphere/azul#5884): `$.f != v`
// is false when `$.f` is missing, so the complement of `$.f = v` is not `$.f != v` alone but
// `$.f != v || $.f NOT EXISTS || $.f IS NULL`; otherwise "not excluded" would silently drop every event that
// lacks the excluded field.
import { Comparison, ComparisonOperator, Expression, Selector, stringValue, Test } from './ast';
import { parseFilterPattern } from './parser';
// The compact printer lives with the other style in render.ts (one printer); composers import it from here.
export { renderCompact } from './render';

/** Thrown when an expression cannot be negated exactly in filter-pattern syntax. */
export class NegationError extends Error {}

const FLIPPED: Record<ComparisonOperator, ComparisonOperator> = { '=': '!=', '!=': '=', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };

/** Parses a pattern text into its syntax tree (throws FilterPatternSyntaxError). */
export function parseExpression(text: string): Expression {
  return parseFilterPattern(text).expression;
}

// Selectors are immutable and their texts are constants of the composers (a handful per process): each is parsed once.
const SELECTORS = new Map<string, Selector>();

/** The selector `text` (e.g. `$.userIdentity.arn`), parsed by the engine's parser. */
export function selector(text: string): Selector {
  let parsed = SELECTORS.get(text);
  if (parsed === undefined) {
    parsed = (parseFilterPattern(`{ ${text} NOT EXISTS }`).expression as Test).selector;
    SELECTORS.set(text, parsed);
  }
  return parsed;
}

/** `selector = "value"` for each value, joined with `||`; values are quoted, so `*` at either end is a wildcard. */
export function equalsAny(target: Selector, values: readonly string[]): Expression {
  return disjunction(values.map((value): Comparison => ({ kind: 'comparison', selector: target, operator: '=', value: stringValue(value, true) })));
}

/** `a && b && ...`, flattening nested conjunctions. */
export function conjunction(operands: readonly Expression[]): Expression {
  return junction('and', operands);
}

/** `a || b || ...`, flattening nested disjunctions. */
export function disjunction(operands: readonly Expression[]): Expression {
  return junction('or', operands);
}

function junction(kind: 'and' | 'or', operands: readonly Expression[]): Expression {
  if (operands.length === 0) throw new Error(`empty ${kind}`);
  const flat = operands.flatMap(o => (o.kind === kind ? o.operands : [o]));
  return flat.length === 1 ? flat[0] : { kind, operands: flat };
}

/** The JSON type a field holds whenever it is present and not null. */
export type FieldType = 'string' | 'number' | 'boolean';

/**
 * The type of the field a selector names, or undefined when the field may hold an object or an array (or its
 * type is not known). An object or array satisfies no condition of a filter pattern, so the complement of any
 * condition must match it, and no filter pattern can: such a field cannot be negated exactly.
 */
export type FieldTypes = (selector: Selector) => FieldType | undefined;

/** Thrown when a condition names a field that may hold an object or an array. */
export class UntypedFieldError extends NegationError {
  constructor(public readonly field: Selector) {
    super(`${field.text} may hold an object or an array, which satisfies no filter-pattern condition, so no filter pattern `
      + 'matches exactly the events the condition does not match (those would page nobody)');
  }
}

/**
 * The complement of `expression`: an expression that matches exactly the events `expression` does not match,
 * for events whose selected fields are missing, JSON null or of the type `types` gives them.
 *
 * @throws UntypedFieldError for a field `types` does not type (it may hold an object or an array)
 * @throws NegationError for selector wildcards (`$.a[*]`): "any element matches" has no complement in the syntax
 */
export function negate(expression: Expression, types: FieldTypes): Expression {
  switch (expression.kind) {
    case 'and':
      return disjunction(expression.operands.map(o => negate(o, types)));
    case 'or': {
      // NOT (s = a || s = b) is (s != a && s != b) || s NOT EXISTS || s IS NULL on a string field: one
      // missing-field guard for all values of one selector instead of one per value (shorter, same meaning).
      const same = sameSelectorEquals(expression.operands, types);
      if (same) {
        return disjunction([
          conjunction(expression.operands.map(o => flip(o as Comparison))),
          ...absent(same),
        ]);
      }
      return conjunction(expression.operands.map(o => negate(o, types)));
    }
    case 'comparison':
      return negateComparison(expression, typeOf(expression.selector, types));
    case 'test':
      return negateTest(expression, typeOf(expression.selector, types));
  }
}

function typeOf(s: Selector, types: FieldTypes): FieldType {
  rejectWildcards(s);
  const type = types(s);
  if (type === undefined) throw new UntypedFieldError(s);
  return type;
}

function sameSelectorEquals(operands: readonly Expression[], types: FieldTypes): Selector | undefined {
  const first = operands[0];
  if (first.kind !== 'comparison') return undefined;
  const all = operands.every(o => o.kind === 'comparison' && o.operator === '=' && o.value.kind === 'string'
    && o.selector.text === first.selector.text && !isAny(o));
  if (!all || typeOf(first.selector, types) !== 'string') return undefined;
  return first.selector;
}

/** Whether a condition on a present, non-null field of `type` can hold (a string value compares with strings only, ...). */
function comparable(c: Comparison, type: FieldType): boolean {
  if (isAny(c)) return true;
  return c.value.kind === 'number' ? type === 'number' : type === 'string';
}

/** The field is present (of its type) or absent: every event. The complement of a condition that never holds. */
function anything(s: Selector): Expression {
  return disjunction([present(s), ...absent(s)]);
}

function negateComparison(c: Comparison, type: FieldType): Expression {
  if (isAny(c)) {
    // "$.f = *" (present as a string, number or boolean): its complement is "missing or null".
    if (c.operator === '=') return disjunction(absent(c.selector));
    throw new NegationError(`"${c.selector.text} != *" never matches, so excluding it excludes nothing; remove the condition`);
  }
  // A value of another type than the field's never compares: the condition never holds.
  if (!comparable(c, type)) return anything(c.selector);
  return disjunction([flip(c), ...absent(c.selector)]);
}

function negateTest(t: Test, type: FieldType): Expression {
  const test = (kind: Test['test']): Test => ({ kind: 'test', selector: t.selector, test: kind });
  switch (t.test) {
    case 'notExists': return disjunction([present(t.selector), test('null')]);
    case 'null': return disjunction([present(t.selector), test('notExists')]);
    case 'true':
    case 'false':
      if (type !== 'boolean') return anything(t.selector);
      return disjunction([test(t.test === 'true' ? 'false' : 'true'), ...absent(t.selector)]);
  }
}

/** `$.f = "*"`: present as a string, number or boolean (every value of a typed field). */
function present(s: Selector): Comparison {
  return { kind: 'comparison', selector: s, operator: '=', value: stringValue('*', true) };
}

function flip(c: Comparison): Comparison {
  return { ...c, operator: FLIPPED[c.operator] };
}

function absent(s: Selector): Test[] {
  return [{ kind: 'test', selector: s, test: 'notExists' }, { kind: 'test', selector: s, test: 'null' }];
}

function isAny(c: Comparison): boolean {
  return c.value.kind === 'string' && c.value.match === 'any';
}

function rejectWildcards(s: Selector): void {
  if (s.steps.some(step => step.kind === 'wildcard')) {
    throw new NegationError(`the selector ${s.text} has a wildcard; "some element matches" cannot be negated in a filter pattern. `
      + 'Name the element (e.g. $.resources[0].ARN) instead');
  }
}
