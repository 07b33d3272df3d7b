import { ComparisonOperator, Expression, Selector, SelectorStep, stringValue, Value } from './ast';
import { FilterPatternSyntaxError } from './errors';
import { parseRegex, RegexMatcher } from './regex';

/** What `parseFilterPattern` returns besides the tree: counts the limit checks need. */
export interface ParsedPattern {
  readonly expression: Expression;
  readonly regexTermCount: number;
  readonly selectors: readonly Selector[];
}

/**
 * Deeper nesting than this is rejected rather than parsed, so that no input can overflow the stack
 * (the parser is recursive). CIS patterns nest at most 2 levels; a 1024-character pattern could nest 511.
 */
export const MAX_NESTING = 100;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
// A bare value ends at whitespace or at a character that has a meaning in the grammar.
const BARE_VALUE_END = new Set([' ', '\t', '\r', '\n', '(', ')', '&', '|', '{', '}', '"']);
const OPERATORS: readonly ComparisonOperator[] = ['!=', '<=', '>=', '=', '<', '>']; // longest first
const EXPECTED_OPERATOR = 'a comparison operator (=, !=, <, <=, >, >=), "IS" or "NOT EXISTS"';

/** Parses a CloudWatch Logs JSON filter pattern (`{ ... }`) into a syntax tree. Throws FilterPatternSyntaxError. */
export function parseFilterPattern(text: string): ParsedPattern {
  return new Parser(text).parsePattern();
}

function isNameChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '-';
}

/**
 * Characters a value may have without double quotes: letters, digits and `_ - . * : / +`, the characters the AWS
 * documentation's and the CIS benchmark's bare values use (`123.123.*`, `kms.amazonaws.com`, `*UnauthorizedOperation`,
 * `1e+3`). Anything else (`@`, `$`, `\`, non-ASCII, other punctuation) must be quoted.
 */
function isBareValueChar(c: string): boolean {
  return isNameChar(c) || c === '.' || c === '*' || c === ':' || c === '/' || c === '+';
}

function isLetter(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

class Parser {
  private pos = 0; // 0-based; errors report pos + 1
  private depth = 0;
  private regexTermCount = 0;
  private readonly selectors: Selector[] = [];

  constructor(private readonly text: string) {}

  public parsePattern(): ParsedPattern {
    this.skipWhitespace();
    if (this.peek() !== '{') {
      throw this.error('"{"', 'only JSON filter patterns { ... } are supported');
    }
    this.pos++;
    const expression = this.parseOr('"}"');
    this.skipWhitespace();
    this.expect('}');
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      throw this.error('end of pattern');
    }
    return { expression, regexTermCount: this.regexTermCount, selectors: this.selectors };
  }

  /** `closer` names what may follow the expression, for the error message. */
  private parseOr(closer: string): Expression {
    const operands = [this.parseAnd(closer)];
    while (this.skipOperator('||')) {
      operands.push(this.parseAnd(closer));
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  }

  private parseAnd(closer: string): Expression {
    const operands = [this.parsePrimary(closer)];
    while (this.skipOperator('&&')) {
      operands.push(this.parsePrimary(closer));
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  }

  /** Consumes optional whitespace and `op` if `op` comes next; otherwise leaves the position unchanged. */
  private skipOperator(op: string): boolean {
    const start = this.pos;
    this.skipWhitespace();
    if (this.text.startsWith(op, this.pos)) {
      this.pos += op.length;
      return true;
    }
    this.pos = start;
    return false;
  }

  private parsePrimary(closer: string): Expression {
    this.skipWhitespace();
    const c = this.peek();
    if (c === '(') {
      if (this.depth >= MAX_NESTING) {
        throw this.error(`at most ${MAX_NESTING} nested parentheses`);
      }
      this.pos++;
      this.depth++;
      const inner = this.parseOr('")"');
      this.skipWhitespace();
      this.expect(')');
      this.depth--;
      return inner;
    }
    if (c === '$') {
      return this.parseCondition();
    }
    const detail = c === '}' || c === ')' ? `an empty group or a dangling operator before ${closer}` : undefined;
    throw this.error('a selector ("$.field") or "("', detail);
  }

  private parseCondition(): Expression {
    const selector = this.parseSelector();
    const beforeGap = this.pos;
    this.skipWhitespace();
    const spaced = this.pos > beforeGap;

    const operator = OPERATORS.find(op => this.text.startsWith(op, this.pos));
    if (operator) {
      this.pos += operator.length;
      const value = this.parseValue(operator);
      return { kind: 'comparison', selector, operator, value };
    }

    const word = this.peekWord();
    if (spaced && word === 'IS') {
      this.pos += 2;
      this.requireWhitespace('"NULL", "TRUE" or "FALSE"');
      const what = this.peekWord();
      const test = what === 'NULL' ? 'null' : what === 'TRUE' ? 'true' : what === 'FALSE' ? 'false' : undefined;
      if (!test) {
        const detail = what === 'NOT' ? '"IS NOT" is not supported by CloudWatch Logs; use "NOT EXISTS" or "!="' : keywordCaseHint(what);
        throw this.error('"NULL", "TRUE" or "FALSE"', detail);
      }
      this.pos += what.length;
      return { kind: 'test', selector, test };
    }
    if (spaced && word === 'NOT') {
      this.pos += 3;
      this.requireWhitespace('"EXISTS"');
      if (this.peekWord() !== 'EXISTS') {
        throw this.error('"EXISTS"', keywordCaseHint(this.peekWord()));
      }
      this.pos += 6;
      return { kind: 'test', selector, test: 'notExists' };
    }
    let detail: string | undefined = keywordCaseHint(word);
    if (word === 'EXISTS') detail = '"EXISTS" is not supported by CloudWatch Logs; use = "*"';
    if (!spaced && (word === 'IS' || word === 'NOT')) detail = `put a space between the selector and "${word}"`;
    throw this.error(EXPECTED_OPERATOR, detail);
  }

  private parseSelector(): Selector {
    const start = this.pos;
    this.pos++; // '$'
    const steps: SelectorStep[] = [];
    for (;;) {
      const c = this.peek();
      if (c === '.') {
        this.pos++;
        if (this.peek() === '*') {
          this.pos++;
          steps.push({ kind: 'wildcard' });
          continue;
        }
        if (this.peek() === '[' && this.text[this.pos + 1] === '\'') {
          // $.['cluster.name']: the documented form for a key that contains a period.
          this.pos++;
          steps.push(this.parseBracketStep());
          continue;
        }
        const name = this.readWhile(isNameChar);
        if (name === '') {
          throw this.error('a field name (letters, digits, "_" or "-")', 'use $.[\'name\'] for other characters');
        }
        steps.push({ kind: 'key', name });
      } else if (c === '[') {
        this.pos++;
        steps.push(this.parseBracketStep());
      } else {
        break;
      }
    }
    if (steps.length === 0) {
      throw this.error('"." or "[" after "$"');
    }
    const selector: Selector = { text: this.text.slice(start, this.pos), steps, position: start + 1 };
    this.selectors.push(selector);
    return selector;
  }

  private parseBracketStep(): SelectorStep {
    let step: SelectorStep;
    const c = this.peek();
    if (c === '*') {
      this.pos++;
      step = { kind: 'wildcard' };
    } else if (c === '\'') {
      this.pos++;
      const close = this.text.indexOf('\'', this.pos);
      if (close < 0 || close === this.pos) {
        throw this.error(close < 0 ? '"\'" closing the field name' : 'a field name');
      }
      step = { kind: 'key', name: this.text.slice(this.pos, close) };
      this.pos = close + 1;
    } else {
      const digits = this.readWhile(d => d >= '0' && d <= '9');
      if (digits === '') {
        throw this.error('an array index (digits), "*" or a quoted field name');
      }
      step = { kind: 'index', index: Number(digits) };
    }
    this.expect(']');
    return step;
  }

  private parseValue(operator: ComparisonOperator): Value {
    this.skipWhitespace();
    const start = this.pos;
    const c = this.peek();
    const numericOperator = operator !== '=' && operator !== '!=';
    if (c === '"') {
      if (numericOperator) throw this.error('a number', `"${operator}" compares numbers; write the number without quotes`);
      return stringValue(this.readQuoted(), true);
    }
    if (c === '%') {
      if (numericOperator) throw this.error('a number', `"${operator}" compares numbers`);
      return this.readRegex();
    }
    if (c === '=' || c === '<' || c === '>') {
      throw this.error('a value', c === '=' ? '"==" is not an operator; use "="' : undefined);
    }
    const bare = this.readWhile(ch => !BARE_VALUE_END.has(ch));
    if (bare === '') {
      throw this.error('a value');
    }
    const odd = [...bare].findIndex(ch => !isBareValueChar(ch));
    if (odd >= 0) {
      // AWS: "Strings that have unicode and other characters such as '@', '$', '\' etc. must be enclosed in
      // double quotes to be valid." Quoting is always accepted and means the same, so ask for it.
      this.pos = start + [...bare].slice(0, odd).join('').length;
      throw this.error('a double-quoted value', `a value with ${JSON.stringify([...bare][odd])} must be in double quotes, e.g. ${JSON.stringify(bare)}`);
    }
    if (NUMBER.test(bare)) {
      return { kind: 'number', value: Number(bare), text: bare };
    }
    if (numericOperator) {
      this.pos = start;
      throw this.error('a number', `"${operator}" compares numbers`);
    }
    return stringValue(bare, false);
  }

  /** Reads `"..."`; a backslash makes the next character literal (CDK escapes `\` and `"` this way). */
  private readQuoted(): string {
    const open = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) {
        throw this.error('"\\"" closing the value', `the quoted value at position ${open + 1} is not closed`);
      }
      const ch = this.text[this.pos];
      if (ch === '"') {
        this.pos++;
        return out;
      }
      if (ch === '\\' && this.pos + 1 < this.text.length) {
        out += this.text[this.pos + 1];
        this.pos += 2;
      } else {
        out += ch;
        this.pos++;
      }
    }
  }

  /** Reads `%regex%`. A `\%` inside is read as part of the regex, so that the regex check can explain it. */
  private readRegex(): Value {
    const open = this.pos;
    this.pos++;
    let end = this.pos;
    while (end < this.text.length && this.text[end] !== '%') {
      end += this.text[end] === '\\' ? 2 : 1;
    }
    if (end >= this.text.length) {
      this.pos = this.text.length;
      throw this.error('"%" closing the regular expression', `the regular expression at position ${open + 1} is not closed`);
    }
    const source = this.text.slice(this.pos, end);
    if (source === '') {
      throw this.error('a regular expression');
    }
    // Checked against CloudWatch Logs' documented regex syntax; errors point into the regex.
    const tree = parseRegex(source, open + 2);
    this.pos = end + 1;
    this.regexTermCount++;
    return { kind: 'regex', source, tree, matcher: new RegexMatcher(tree) };
  }

  private requireWhitespace(expected: string): void {
    const before = this.pos;
    this.skipWhitespace();
    if (this.pos === before) throw this.error(expected);
  }

  private expect(c: string): void {
    if (this.peek() !== c) {
      throw this.error(`"${c}"`);
    }
    this.pos++;
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length && WHITESPACE.has(this.text[this.pos])) this.pos++;
  }

  private peek(): string {
    return this.pos < this.text.length ? this.text[this.pos] : '';
  }

  private peekWord(): string {
    let end = this.pos;
    while (end < this.text.length && isLetter(this.text[end])) end++;
    // A keyword must end where the word ends: "ISNULL" or "NULLS" are not keywords.
    if (end < this.text.length && isNameChar(this.text[end])) return this.text.slice(this.pos, end + 1);
    return this.text.slice(this.pos, end);
  }

  private readWhile(accept: (c: string) => boolean): string {
    const start = this.pos;
    while (this.pos < this.text.length && accept(this.text[this.pos])) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private error(expected: string, detail?: string): FilterPatternSyntaxError {
    return new FilterPatternSyntaxError(expected, this.pos + 1, this.describeFound(), detail);
  }

  private describeFound(): string {
    if (this.pos >= this.text.length) return 'end of pattern';
    const c = String.fromCodePoint(this.text.codePointAt(this.pos)!);
    if (isNameChar(c)) {
      let end = this.pos;
      while (end < this.text.length && end - this.pos < 30 && isNameChar(this.text[end])) end++;
      return JSON.stringify(this.text.slice(this.pos, end));
    }
    return JSON.stringify(c);
  }
}

/** Keywords are upper case only (as in the AWS documentation and CDK's output); say so when the case is the problem. */
function keywordCaseHint(word: string): string | undefined {
  const upper = word.toUpperCase();
  if (upper !== word && ['IS', 'NOT', 'NULL', 'TRUE', 'FALSE', 'EXISTS'].includes(upper)) {
    return `keywords must be upper case: "${upper}"`;
  }
  return undefined;
}
