// Turns a syntax tree into a tree of closures, so that evaluating an event costs a few property reads and
// string comparisons: selector paths are precomputed, wildcards become startsWith/endsWith, and %regex% terms
// run on the linear-time matcher of regex.ts (never on JavaScript's backtracking RegExp).
import { Comparison, Expression, ExpressionVisitor, Selector, SelectorStep, StringValue, Test, visit } from './ast';

/** Evaluates one parsed JSON event. */
export type Evaluator = (event: unknown) => boolean;

/** A test of the single value a selector resolved to (MISSING when the path does not exist). */
type NodeTest = (node: unknown) => boolean;

/** Marks "the selector resolves to nothing"; distinct from JSON null. */
export const MISSING: unique symbol = Symbol('missing');

const hasOwn = Object.prototype.hasOwnProperty;

export function compileExpression(expression: Expression): Evaluator {
  return visit(expression, EVALUATOR);
}

/** The evaluator back-end: each node becomes a closure. */
const EVALUATOR: ExpressionVisitor<Evaluator> = {
  and: parts => {
    if (parts.length === 2) {
      const [a, b] = parts;
      return event => a(event) && b(event);
    }
    return event => {
      for (const part of parts) if (!part(event)) return false;
      return true;
    };
  },
  or: parts => {
    if (parts.length === 2) {
      const [a, b] = parts;
      return event => a(event) || b(event);
    }
    return event => {
      for (const part of parts) if (part(event)) return true;
      return false;
    };
  },
  comparison: c => applyToSelector(c.selector, compileComparison(c), false),
  test: t => applyToSelector(t.selector, compileTest(t), t.test === 'notExists'),
};

/**
 * Without a wildcard step, the selector names at most one node. With one, it names every node it reaches;
 * a condition then holds when any node satisfies it, and NOT EXISTS when no node is reached.
 */
function applyToSelector(selector: Selector, test: NodeTest, isNotExists: boolean): Evaluator {
  const steps = selector.steps;
  if (!steps.some(s => s.kind === 'wildcard')) {
    const resolve = compileResolver(steps);
    return event => test(resolve(event));
  }
  return event => {
    const nodes: unknown[] = [];
    collectNodes(event, steps, 0, nodes);
    if (isNotExists) return nodes.length === 0;
    for (const node of nodes) if (test(node)) return true;
    return false;
  };
}

function child(node: unknown, step: SelectorStep): unknown {
  if (step.kind === 'key') {
    // Own properties only: "$.constructor" must not find Object.prototype.constructor.
    return node !== null && typeof node === 'object' && !Array.isArray(node) && hasOwn.call(node, step.name)
      ? (node as Record<string, unknown>)[step.name] : MISSING;
  }
  if (step.kind === 'index') {
    return Array.isArray(node) && step.index < node.length ? node[step.index] : MISSING;
  }
  return MISSING; // wildcards are handled by collectNodes
}

function compileResolver(steps: readonly SelectorStep[]): (event: unknown) => unknown {
  if (steps.length === 1) {
    const [s0] = steps;
    return event => child(event, s0);
  }
  if (steps.length === 2) {
    const [s0, s1] = steps;
    return event => {
      const n = child(event, s0);
      return n === MISSING ? MISSING : child(n, s1);
    };
  }
  return event => {
    let node: unknown = event;
    for (const step of steps) {
      node = child(node, step);
      if (node === MISSING) return MISSING;
    }
    return node;
  };
}

function collectNodes(node: unknown, steps: readonly SelectorStep[], from: number, out: unknown[]): void {
  if (from === steps.length) {
    out.push(node);
    return;
  }
  const step = steps[from];
  if (step.kind === 'wildcard') {
    if (node !== null && typeof node === 'object') {
      for (const value of Array.isArray(node) ? node : Object.values(node)) collectNodes(value, steps, from + 1, out);
    }
    return;
  }
  const next = child(node, step);
  if (next !== MISSING) collectNodes(next, steps, from + 1, out);
}

function compileTest(test: Test): NodeTest {
  switch (test.test) {
    case 'null': return node => node === null;
    case 'true': return node => node === true;
    case 'false': return node => node === false;
    case 'notExists': return node => node === MISSING;
  }
}

/**
 * Comparisons are typed (see LogFilterPattern's TSDoc): a string value compares with JSON strings, a number
 * with JSON numbers, a regex with JSON strings. Objects, arrays, null, a missing field or a value of the
 * other type satisfy neither `=` nor `!=`. A lone `*` matches any present string, number or boolean.
 */
function compileComparison(comparison: Comparison): NodeTest {
  const { operator, value } = comparison;
  if (value.kind === 'number') {
    const n = value.value;
    switch (operator) {
      case '=': return node => typeof node === 'number' && node === n;
      case '!=': return node => typeof node === 'number' && node !== n;
      case '<': return node => typeof node === 'number' && node < n;
      case '<=': return node => typeof node === 'number' && node <= n;
      case '>': return node => typeof node === 'number' && node > n;
      case '>=': return node => typeof node === 'number' && node >= n;
    }
  }
  if (value.kind === 'regex') {
    const re = value.matcher;
    return operator === '='
      ? node => typeof node === 'string' && re.test(node)
      : node => typeof node === 'string' && !re.test(node);
  }
  const glob = compileGlob(value);
  if (glob === 'any') {
    // "$.f = *" is CDK's FilterPattern.exists(); "$.f != *" can never hold.
    return operator === '='
      ? node => typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean'
      : () => false;
  }
  return operator === '='
    ? node => typeof node === 'string' && glob(node)
    : node => typeof node === 'string' && !glob(node);
}

/** The string test of a value (its `match`, decided by the parser: ast.ts stringValue); 'any' for `*` alone. */
export function compileGlob(value: StringValue): ((s: string) => boolean) | 'any' {
  const core = value.core;
  switch (value.match) {
    case 'any': return 'any';
    case 'contains': return s => s.includes(core);
    case 'suffix': return s => s.endsWith(core);
    case 'prefix': return s => s.startsWith(core);
    case 'exact': return s => s === core;
  }
}
