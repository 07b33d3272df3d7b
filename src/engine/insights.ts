// Translation of a filter pattern's syntax tree into a CloudWatch Logs Insights `filter` expression, so that a
// saved query shows the events behind an alarm. Internal (not exported from src/index.ts).
//
// Logs Insights discovers the JSON fields of CloudTrail events (`userIdentity.arn`, `resources.0.ARN`) and
// compares them with = != < <= > >=, `like /regex/`, ispresent() and isempty(); booleans read as 1 and 0.
// The translation keeps the pattern's structure; where Insights has no exact equivalent it is documented here:
// IS NULL becomes isempty() (also true for a missing field or ""), and selector wildcards ($.a[*].b) are
// refused, as Insights flattens arrays into numbered fields.
import { Comparison, Expression, ExpressionVisitor, Junction, Selector, Test, visit } from './ast';

/** Thrown when a pattern has no Logs Insights translation (selector wildcards). */
export class InsightsTranslationError extends Error {}

/** The `filter` expression of a Logs Insights query that selects the events the pattern matches. */
export function insightsFilter(expression: Expression): string {
  return visit(expression, INSIGHTS);
}

/** Operands joined with `and` / `or`; a nested junction in parentheses. */
const junction = (operands: string[], j: Junction) => operands.map((o, i) => (j.operands[i].kind === 'and' || j.operands[i].kind === 'or' ? `(${o})` : o)).join(` ${j.kind} `);

const INSIGHTS: ExpressionVisitor<string> = { and: junction, or: junction, test: t => test(t), comparison: c => comparison(c) };

function field(s: Selector): string {
  const parts = s.steps.map((step) => {
    if (step.kind === 'wildcard') {
      throw new InsightsTranslationError(`the selector ${s.text} has a wildcard, which Logs Insights cannot express (it numbers array elements)`);
    }
    return step.kind === 'index' ? String(step.index) : step.name;
  });
  const path = parts.join('.');
  return parts.every((p) => /^[A-Za-z0-9_@]+$/.test(p)) ? path : `\`${path.replace(/`/g, '``')}\``;
}

function test(t: Test): string {
  const f = field(t.selector);
  switch (t.test) {
    case 'notExists': return `not ispresent(${f})`;
    case 'null': return `isempty(${f})`;
    case 'true': return `${f} = 1`;
    case 'false': return `${f} = 0`;
  }
}

function comparison(c: Comparison): string {
  const f = field(c.selector);
  const v = c.value;
  if (v.kind === 'number') return `${f} ${c.operator} ${v.text}`;
  if (v.kind === 'regex') return `${f} ${c.operator === '=' ? 'like' : 'not like'} /${v.source.replace(/\//g, '\\/')}/`;
  if (v.match === 'any') return c.operator === '=' ? `ispresent(${f})` : `not ispresent(${f})`;
  if (v.match === 'exact') return `${f} ${c.operator} "${v.core.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const [leading, trailing, core] = [v.match !== 'prefix', v.match !== 'suffix', v.core];
  const regex = `${leading ? '' : '^'}${core.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}${trailing ? '' : '$'}`;
  // `!=` on a missing field is false in filter patterns; `not like` on a missing field is too (no value to test).
  return c.operator === '=' ? `${f} like /${regex}/` : `(ispresent(${f}) and ${f} not like /${regex}/)`;
}
