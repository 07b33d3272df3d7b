import { Expression } from './ast';
import { compileExpression, Evaluator } from './compile';
import { FilterPatternSyntaxError } from './errors';
import { parseFilterPattern } from './parser';
import { renderGrouped } from './render';

/**
 * A parsed CloudWatch Logs JSON filter pattern (`{ $.eventName = "ConsoleLogin" && ... }`) that can be
 * evaluated offline against JSON log events, such as CloudTrail records.
 *
 * Syntax: `&&` binds tighter than `||`; parentheses group; a condition is a selector (`$.a.b`, `$.a[0]`,
 * `$.a.*`, `$.a[*]`, `$.['a.b']` for a key with a period) followed by `=`, `!=`, `<`, `<=`, `>`, `>=` and a
 * value, or by `IS NULL`, `IS TRUE`, `IS FALSE` or `NOT EXISTS`. A value is quoted (`"a b"`, backslash escapes
 * the next character), bare (`ConsoleLogin`, `kms.amazonaws.com`, `400`; only letters, digits and
 * `_ - . * : / +`, so `@`, `$`, `\` and non-ASCII characters need quotes) or a regular expression (`%^Put.*%`)
 * in CloudWatch Logs' documented regex syntax (no parentheses, ASCII only; `{,n}` is 0 to n).
 * Only JSON patterns are supported: text-term (`ERROR`) and space-delimited (`[ip, ...]`) patterns are rejected.
 *
 * Semantics (AWS's documented rules first, then this engine's choices where AWS does not document them):
 * - Keys and values are case-sensitive; `=` is a full-value comparison, not a substring search.
 * - `*` is a wildcard at the start (ends with), at the end (starts with) or both (contains); a `*` in
 *   the middle is literal; a lone `*` matches any present string, number or boolean (CDK's `exists()`).
 * - A missing field, an object or an array satisfies neither `=` nor `!=`; only `NOT EXISTS` matches a
 *   missing field. `IS NULL` matches only JSON `null`; `IS TRUE` / `IS FALSE` only JSON booleans.
 * - Choice: comparisons are typed. A quoted or non-numeric bare value compares with JSON strings only; a
 *   bare number (`400`, `-5`, `1e-3`) compares numerically with JSON numbers only; `%regex%` searches
 *   JSON strings (unanchored, in time linear in the string's length). So `$.status = 400` does not match `"400"` and
 *   `$.status = "400"` does not match `400`, and neither `=` nor `!=` holds when the types differ.
 * - Choice: keywords (`IS`, `NULL`, `TRUE`, `FALSE`, `NOT`, `EXISTS`) must be upper case, as AWS documents
 *   and CDK renders them; `IS NOT` and `EXISTS` are rejected, as AWS documents.
 * - With a selector wildcard, a condition holds when any reached node satisfies it; `NOT EXISTS` holds when
 *   no node is reached.
 */
export class LogFilterPattern {
  /** CloudWatch Logs' maximum length of a filter pattern, in characters. */
  public static readonly MAX_LENGTH = 1024;

  /** CloudWatch Logs' maximum number of `%regex%` terms in one filter pattern. */
  public static readonly MAX_REGEX_TERMS = 2;

  /** CloudWatch Logs' maximum number of selector wildcards (`.*`, `[*]`) in one filter pattern. */
  public static readonly MAX_SELECTOR_WILDCARDS = 3;

  /**
   * CloudWatch Logs' maximum number of filter patterns containing a regex per log group, counting metric filters
   * and subscription filters.
   */
  public static readonly MAX_REGEX_PATTERNS_PER_LOG_GROUP = 5;

  /**
   * Whether a filter pattern of any kind contains a `%regex%` term: JSON (`{ $.a = %x% }`), text-term
   * (`%ERROR%`) or space-delimited (`[ip=%10\.0%, ...]`). CloudWatch Logs allows
   * `MAX_REGEX_PATTERNS_PER_LOG_GROUP` such patterns per log group.
   *
   * A JSON pattern counts when it parses and has a regex term; any other text counts when a `%` outside double
   * quotes is followed by another `%`.
   *
   * @param text the filter pattern
   */
  public static containsRegexTerm(text: string): boolean {
    try {
      return LogFilterPattern.parse(text).containsRegex;
    } catch (e) {
      if (!(e instanceof FilterPatternSyntaxError)) throw e;
    }
    let inQuotes = false;
    let openPercent = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (inQuotes) {
        if (c === '\\') i++;
        else if (c === '"') inQuotes = false;
      } else if (openPercent) {
        if (c === '\\') i++;
        else if (c === '%') return true;
      } else if (c === '"') {
        inQuotes = true;
      } else if (c === '%') {
        openPercent = true;
      }
    }
    return false;
  }

  /**
   * Parses a JSON filter pattern.
   *
   * @param text the filter pattern, e.g. `{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`
   * @throws FilterPatternSyntaxError naming the 1-based position and what was expected there
   */
  public static parse(text: string): LogFilterPattern {
    return new LogFilterPattern(text);
  }

  /**
   * Everything that would make CloudWatch Logs refuse the pattern, as messages; empty when the pattern is valid.
   *
   * This is a syntax error (with its position) if the pattern does not parse, otherwise the AWS limits it
   * breaks (see `limitViolations`). Use it at synth time: `LogFilterPattern.validate(text).length === 0`.
   *
   * @param text the filter pattern
   */
  public static validate(text: string): string[] {
    try {
      return LogFilterPattern.parse(text).limitViolations();
    } catch (e) {
      if (e instanceof FilterPatternSyntaxError) {
        return [`Invalid filter pattern: ${e.message}`];
      }
      throw e;
    }
  }

  /** The pattern text as given to `parse`. */
  public readonly text: string;

  /** Number of `%regex%` terms (CloudWatch Logs allows `MAX_REGEX_TERMS`). */
  public readonly regexTermCount: number;

  /** Whether the pattern has a `%regex%` term (CloudWatch Logs allows `MAX_REGEX_PATTERNS_PER_LOG_GROUP` such patterns per log group). */
  public readonly containsRegex: boolean;

  /** Number of selector wildcards `.*` / `[*]` (CloudWatch Logs allows `MAX_SELECTOR_WILDCARDS`). */
  public readonly selectorWildcardCount: number;

  /** Number of characters (Unicode code points) of the pattern text (CloudWatch Logs allows `MAX_LENGTH`). */
  public readonly characterCount: number;

  /** The distinct selectors the pattern reads, in order of first appearance, e.g. `['$.eventName', '$.errorCode']`. */
  public readonly selectors: string[];

  /** The syntax tree; internal so that jsii does not see it. */
  private readonly expression: Expression;
  private readonly wildcardsPerSelector: number;
  // Compiled and rendered on first use: `validate` (run at synth for every pattern) needs neither.
  private compiled?: Evaluator;
  private grouped?: string;

  private constructor(text: string) {
    const parsed = parseFilterPattern(text);
    this.text = text;
    this.expression = parsed.expression;
    this.regexTermCount = parsed.regexTermCount;
    this.containsRegex = parsed.regexTermCount > 0;
    const wildcardCounts = parsed.selectors.map(s => s.steps.filter(step => step.kind === 'wildcard').length);
    this.selectorWildcardCount = wildcardCounts.reduce((a, b) => a + b, 0);
    this.wildcardsPerSelector = Math.max(0, ...wildcardCounts);
    this.characterCount = Array.from(text).length;
    this.selectors = [...new Set(parsed.selectors.map(s => s.text))];
  }

  /**
   * The pattern with every group in explicit parentheses, showing how `&&`-before-`||` reads it:
   * `{ A || B && C }` becomes `{ (A) || ((B) && (C)) }`. Values are rendered quoted.
   */
  public get groupedText(): string {
    if (this.grouped === undefined) this.grouped = renderGrouped(this.expression);
    return this.grouped;
  }

  /**
   * Whether the pattern matches one log event.
   *
   * @param logEvent the event, already parsed from JSON (e.g. one element of a CloudTrail file's `Records`)
   */
  public matches(logEvent: any): boolean {
    return this.evaluator()(logEvent);
  }

  /**
   * Whether the pattern matches one log event given as JSON text; false if the text is not valid JSON,
   * as in CloudWatch Logs, where a JSON pattern never matches a non-JSON event.
   *
   * @param json the log event's message
   */
  public matchesJson(json: string): boolean {
    let event: unknown;
    try {
      event = JSON.parse(json);
    } catch {
      return false;
    }
    return this.evaluator()(event);
  }

  /**
   * The AWS limits this pattern breaks, as messages; empty when it is within them. Checked: at most
   * `MAX_LENGTH` characters, `MAX_REGEX_TERMS` regex terms, `MAX_SELECTOR_WILDCARDS` selector wildcards
   * in the pattern and one per selector.
   */
  public limitViolations(): string[] {
    const problems: string[] = [];
    if (this.characterCount > LogFilterPattern.MAX_LENGTH) {
      problems.push(`The filter pattern is ${this.characterCount} characters long; CloudWatch Logs allows at most ${LogFilterPattern.MAX_LENGTH}`);
    }
    if (this.regexTermCount > LogFilterPattern.MAX_REGEX_TERMS) {
      problems.push(`The filter pattern has ${this.regexTermCount} regex terms; CloudWatch Logs allows at most ${LogFilterPattern.MAX_REGEX_TERMS}`);
    }
    if (this.selectorWildcardCount > LogFilterPattern.MAX_SELECTOR_WILDCARDS) {
      problems.push(
        `The filter pattern has ${this.selectorWildcardCount} selector wildcards; CloudWatch Logs allows at most ${LogFilterPattern.MAX_SELECTOR_WILDCARDS}`);
    }
    if (this.wildcardsPerSelector > 1) {
      problems.push('A selector of the filter pattern has more than one wildcard; CloudWatch Logs allows one per selector');
    }
    return problems;
  }

  private evaluator(): Evaluator {
    if (this.compiled === undefined) this.compiled = compileExpression(this.expression);
    return this.compiled;
  }
}
