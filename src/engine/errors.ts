const SYNTAX_ERROR_SYMBOL = Symbol.for('cdk-cis-log-monitoring.FilterPatternSyntaxError');

/**
 * Thrown by `LogFilterPattern.parse` when a filter pattern is not valid JSON filter-pattern syntax.
 *
 * The message names the 1-based character position and what the parser expected there, e.g.
 * `Expected ")" at position 87 but found "}"`.
 *
 * In JavaScript and TypeScript this is an `Error` (`instanceof Error` holds and it has a stack trace).
 * jsii cannot declare the built-in `Error` as a base class, so the inheritance is set up at runtime; in
 * other languages the exception arrives as the jsii runtime's error type carrying the same message.
 */
export class FilterPatternSyntaxError {
  /**
   * Whether `x` is a FilterPatternSyntaxError, also across copies of this library.
   *
   * @param x any value, e.g. a caught exception
   */
  public static isFilterPatternSyntaxError(x: any): boolean {
    return x !== null && typeof x === 'object' && SYNTAX_ERROR_SYMBOL in x;
  }

  /** Always `FilterPatternSyntaxError`. */
  public readonly name: string = 'FilterPatternSyntaxError';

  /** The full message, e.g. `Expected ")" at position 87 but found "}"`. */
  public readonly message: string;

  /** The stack trace where the error was created (JavaScript only). */
  public readonly stack?: string;

  /** 1-based character offset into the pattern text where the problem was found (the pattern's length + 1 at its end). */
  public readonly position: number;

  /** What the parser expected at `position`, e.g. `")"` or `a value`. */
  public readonly expected: string;

  /** What the parser found at `position`, e.g. `"}"` or `end of pattern`. */
  public readonly found: string;

  /**
   * @param expected what the parser expected at `position`
   * @param position 1-based character offset into the pattern text
   * @param found what was found there instead
   * @param detail optional explanation appended to the message
   */
  constructor(expected: string, position: number, found: string, detail?: string) {
    this.message = `Expected ${expected} at position ${position} but found ${found}${detail ? ` (${detail})` : ''}`;
    this.position = position;
    this.expected = expected;
    this.found = found;
    Object.defineProperty(this, SYNTAX_ERROR_SYMBOL, { value: true });
    Error.captureStackTrace?.(this, FilterPatternSyntaxError);
  }

  /** `FilterPatternSyntaxError: <message>`, as for any Error. */
  public toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

// Makes every FilterPatternSyntaxError an Error at runtime (see the class comment for why not `extends Error`).
Object.setPrototypeOf(FilterPatternSyntaxError.prototype, Error.prototype);
