// The jq baseline: one jq program that evaluates every control's pattern on every record and counts the matches,
// translated from the same parsed patterns the engine evaluates, with the engine's typed semantics (a string value
// only matches JSON strings; `!=` does not hold on a missing field; `*` at the start or end is a wildcard).
// The counts jq prints are checked against the engine's, so the comparison is between equal work.
import { Comparison, Expression, Selector, Test } from '../src/engine/ast';
import { parseFilterPattern } from '../src/engine/parser';

function jqString(value: string): string {
  return JSON.stringify(value);
}

/** `."a"."b"` for `$.a.b`; `.[0]` for `$.a[0]`. Selector wildcards are not needed by the CIS patterns and are refused. */
function jqPath(selector: Selector): string {
  return selector.steps.map((step) => {
    if (step.kind === 'key') return `.${jqString(step.name)}`;
    if (step.kind === 'index') return `.[${step.index}]`;
    throw new Error(`jq baseline: selector wildcards are not translated (${selector.text})`);
  }).join('');
}

function comparison(c: Comparison): string {
  const value = jqPath(c.selector);
  const v = c.value;
  if (v.kind === 'number') {
    const op = c.operator === '=' ? '==' : c.operator;
    return `(${value} | type == "number" and . ${op} ${v.text})`;
  }
  if (c.operator !== '=' && c.operator !== '!=') throw new Error(`jq baseline: ${c.operator} on a string is not translated`);
  let test: string;
  if (v.kind === 'regex') {
    test = `test(${jqString(v.source)})`;
  } else if (v.value === '*') {
    return c.operator === '=' ? `(${value} | type == "string" or type == "number" or type == "boolean")` : 'false';
  } else {
    const leading = v.value.startsWith('*');
    const trailing = v.value.length > 1 && v.value.endsWith('*');
    const core = v.value.slice(leading ? 1 : 0, trailing ? -1 : undefined);
    if (leading && trailing) test = `contains(${jqString(core)})`;
    else if (leading) test = `endswith(${jqString(core)})`;
    else if (trailing) test = `startswith(${jqString(core)})`;
    else test = `. == ${jqString(core)}`;
  }
  return `(${value} | type == "string" and ${c.operator === '=' ? test : `(${test} | not)`})`;
}

function nodeTest(t: Test): string {
  const steps = t.selector.steps;
  if (t.test === 'notExists') {
    const last = steps[steps.length - 1];
    if (last.kind !== 'key') throw new Error(`jq baseline: NOT EXISTS on ${t.selector.text} is not translated`);
    const parent = jqPath({ ...t.selector, steps: steps.slice(0, -1) }) || '.';
    return `((${parent} | type == "object" and has(${jqString(last.name)})) | not)`;
  }
  return `(${jqPath(t.selector)} | . == ${t.test === 'null' ? 'null' : t.test})`;
}

/** A jq boolean expression, evaluated with a record as input, equivalent to the pattern. */
export function toJq(expression: Expression): string {
  switch (expression.kind) {
    case 'and': return `(${expression.operands.map(toJq).join(' and ')})`;
    case 'or': return `(${expression.operands.map(toJq).join(' or ')})`;
    case 'comparison': return comparison(expression);
    case 'test': return nodeTest(expression);
  }
}

/**
 * One jq program (run with `jq -n`) that reads every input document, walks `.Records[]` and prints
 * `{"events": N, "matches": [count per pattern]}`.
 */
export function jqProgram(patterns: string[]): string {
  const selections = patterns.map((p) => `    ${toJq(parseFilterPattern(p).expression)}`);
  const updates = patterns.map((_, i) => `  (if $m[${i}] then .matches[${i}] += 1 else . end)`);
  return [
    'reduce (inputs | .Records[] | [',
    selections.join(',\n'),
    `]) as $m ({events: 0, matches: [${patterns.map(() => '0').join(', ')}]};`,
    '  .events += 1 |',
    updates.join(' |\n'),
    ')',
    '',
  ].join('\n');
}
