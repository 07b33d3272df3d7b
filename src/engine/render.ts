import { Expression, Value } from './ast';

/**
 * Renders a syntax tree with every group in explicit parentheses, so that a reader sees how
 * `&&`-before-`||` reads an ungrouped pattern: `{ A || B && C }` renders as `{ (A) || ((B) && (C)) }`.
 */
export function renderGrouped(expression: Expression): string {
  return `{ ${renderNode(expression)} }`;
}

function renderNode(expression: Expression): string {
  switch (expression.kind) {
    case 'and':
    case 'or':
      return expression.operands.map(o => `(${renderNode(o)})`).join(expression.kind === 'and' ? ' && ' : ' || ');
    case 'test': {
      const suffix = { null: 'IS NULL', true: 'IS TRUE', false: 'IS FALSE', notExists: 'NOT EXISTS' }[expression.test];
      return `${expression.selector.text} ${suffix}`;
    }
    case 'comparison':
      return `${expression.selector.text} ${expression.operator} ${renderValue(expression.value)}`;
  }
}

function renderValue(value: Value): string {
  switch (value.kind) {
    case 'number': return value.text;
    case 'regex': return `%${value.source}%`;
    case 'string': return `"${value.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  }
}
