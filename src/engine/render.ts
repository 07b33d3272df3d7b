import { Comparison, Expression, ExpressionVisitor, Test, visit } from './ast';

// The one printer of a syntax tree, in two styles: grouped (for people: how `&&`-before-`||` reads a pattern) and
// compact (for CloudWatch Logs: as short as the grammar allows).

const TEST_TEXT = { null: 'IS NULL', true: 'IS TRUE', false: 'IS FALSE', notExists: 'NOT EXISTS' } as const;

/** A printer: `spaced` puts spaces around `&&`, `||` and the operators and always quotes strings; compact does neither. */
function printer(spaced: boolean): ExpressionVisitor<string> {
  const junction = (operator: string) => (operands: string[]) => operands.map(o => `(${o})`).join(spaced ? ` ${operator} ` : operator);
  return {
    and: junction('&&'),
    or: junction('||'),
    test: (t: Test) => `${t.selector.text} ${TEST_TEXT[t.test]}`,
    comparison: (c: Comparison) => {
      const v = c.value;
      const value = v.kind === 'number' ? v.text
        : v.kind === 'regex' ? `%${v.source}%`
          : spaced || v.quoted ? `"${v.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : v.value;
      return spaced ? `${c.selector.text} ${c.operator} ${value}` : `${c.selector.text}${c.operator}${value}`;
    },
  };
}

const GROUPED = printer(true);
const COMPACT = printer(false);

/**
 * Renders a syntax tree with every group in explicit parentheses, so that a reader sees how
 * `&&`-before-`||` reads an ungrouped pattern: `{ A || B && C }` renders as `{ (A) || ((B) && (C)) }`.
 */
export function renderGrouped(expression: Expression): string {
  return `{ ${visit(expression, GROUPED)} }`;
}

/**
 * Prints a syntax tree as a filter pattern, as short as the grammar allows (the 1024-character limit counts
 * every character), in the style of the benchmark's own patterns (`{($.a=b)||($.c=d)}`): every operand of
 * `&&` / `||` in parentheses, no spaces around operators, values quoted exactly when they were quoted in the source.
 */
export function renderCompact(expression: Expression): string {
  return `{${visit(expression, COMPACT)}}`;
}
