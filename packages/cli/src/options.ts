import { parseArgs } from 'util';

/**
 * Commands declare their options once, as data; the parser (Node's `util.parseArgs`) and the usage text both
 * come from that declaration, so a command cannot accept an option its help does not list, or list one it
 * does not accept.
 */

/** One option of a command, declared once. */
export interface OptionDeclaration {
  /** `boolean` is a flag; `integer` is a whole number (see `min` / `max`); `string` takes any text. */
  readonly type: 'boolean' | 'string' | 'integer';
  /** One line for the usage text (wrapped there). */
  readonly description: string;
  /** A one-letter alias (`h` for `-h`). */
  readonly short?: string;
  /** The placeholder shown in the usage text for the value (`NAME` in `--pattern-set NAME`). */
  readonly valueName?: string;
  /** The value when the option is not given. Strings and integers are given as the user would type them. */
  readonly default?: string | boolean | number;
  /** The option may be given several times; its value is then the list of the values given, in order. */
  readonly repeatable?: boolean;
  /**
   * The only values accepted (compared ignoring case when `ignoreCase`); listed in the usage text. When `parse` is
   * given too, `parse` does the checking (with its own message) and `allowed` only lists the values.
   */
  readonly allowed?: readonly string[];
  readonly ignoreCase?: boolean;
  /** Bounds of an `integer` option (inclusive). */
  readonly min?: number;
  readonly max?: number;
  /**
   * Turns the text given into the value the command uses (after the `allowed` and integer checks). An Error it
   * throws becomes a usage error with the Error's message.
   */
  readonly parse?: (text: string) => unknown;
}

export type OptionDeclarations = Record<string, OptionDeclaration>;

/** A command: its name, what it does, the positional arguments it takes, and its options. */
export interface CommandDeclaration<O extends OptionDeclarations = OptionDeclarations> {
  /** The subcommand name (`replay`). */
  readonly name: string;
  /** One line for the program's `help`. */
  readonly summary: string;
  /** The positional arguments as shown in the usage line (`<files or directories...>`); none when absent. */
  readonly positionals?: string;
  /** Paragraphs between the usage line and the options. */
  readonly description: string;
  /** Options by long name (without `--`). `--help` / `-h` is added to every command. */
  readonly options: O;
  /** Text after the options (exit codes). */
  readonly footer?: string;
}

type ScalarOf<D> = D extends { parse: (text: string) => infer T }
  ? T
  : D extends { type: 'boolean' } ? boolean : D extends { type: 'integer' } ? number : string;

/** The parsed values of a command's options, typed from its declaration. */
export type OptionValues<O extends OptionDeclarations> = {
  -readonly [K in keyof O]: O[K] extends { repeatable: true }
    ? ScalarOf<O[K]>[]
    : O[K] extends { type: 'boolean' }
      ? boolean
      : O[K] extends { default: string | number } ? ScalarOf<O[K]> : ScalarOf<O[K]> | undefined;
};

export interface ParsedCommandLine<O extends OptionDeclarations> {
  readonly options: OptionValues<O>;
  /** Positional arguments in order (everything after `--` is one). */
  readonly positionals: string[];
  /** `--help` or `-h` was given: the caller prints the usage and ignores everything else. */
  readonly help: boolean;
}

/** A usage error: the message is printed with the command's usage and the exit code is EXIT.USAGE (exit-codes.ts). */
export class UsageError extends Error {}

/** Declares a command; the `const` type parameter keeps the literal option types for `OptionValues`. */
export function defineCommand<const O extends OptionDeclarations>(command: CommandDeclaration<O>): CommandDeclaration<O> {
  for (const [name, option] of Object.entries(command.options)) {
    if (name === 'help' || option.short === 'h') throw new Error(`${command.name}: --help / -h are built in`);
  }
  return command;
}

const HELP: OptionDeclaration = { type: 'boolean', short: 'h', description: 'show this help' };
const TRUE_WORDS = new Set(['true', 'yes', '1']);
const FALSE_WORDS = new Set(['false', 'no', '0']);

/**
 * Parses `argv` (the arguments after the command name) against the command's declaration.
 *
 * - `--opt value` and `--opt=value` are the same; a value that starts with `--` must be given inline
 *   (`--opt=--x`), so a forgotten value is not silently taken from the next option.
 * - A boolean option given a value (`--json=false`) takes `true`/`false` (also `yes`/`no`, `1`/`0`);
 *   any other value is a usage error, never a silent `true`.
 * - `--` ends the options: everything after it is positional, even if it starts with `-`. A lone `-` is positional.
 * - Unknown options, missing values, values outside `allowed` or the integer bounds, and positional arguments
 *   for a command that takes none are UsageErrors.
 */
export function parseCommandLine<O extends OptionDeclarations>(command: CommandDeclaration<O>, argv: string[]): ParsedCommandLine<O> {
  const declared: OptionDeclarations = { ...command.options, help: HELP };
  const config: NonNullable<Parameters<typeof parseArgs>[0]>['options'] = {};
  for (const [name, option] of Object.entries(declared)) {
    config[name] = { type: option.type === 'boolean' ? 'boolean' : 'string', multiple: option.repeatable ?? false, ...(option.short ? { short: option.short } : {}) };
  }
  // Non-strict so that the tokens come back for every argument: the checks below are ours, with our messages.
  const { tokens } = parseArgs({ args: argv, options: config, strict: false, allowPositionals: true, tokens: true });

  const given = new Map<string, unknown[]>();
  const positionals: string[] = [];
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (command.positionals === undefined) throw new UsageError(`unexpected argument "${token.value}"`);
      positionals.push(token.value);
      continue;
    }
    if (token.kind === 'option-terminator') continue;
    const option = Object.prototype.hasOwnProperty.call(declared, token.name) ? declared[token.name] : undefined;
    const flag = token.rawName.startsWith('--') ? token.rawName : `${token.rawName} (--${token.name})`;
    if (!option) {
      throw new UsageError(`unknown option "${token.inlineValue ? `${token.rawName}=${token.value}` : token.rawName}"`);
    }
    let value: unknown;
    if (option.type === 'boolean') {
      value = token.value === undefined ? true : booleanValue(flag, token.value);
    } else {
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--'))) {
        throw new UsageError(`${flag} needs a value`);
      }
      value = convert(flag, option, token.value);
    }
    if (token.name === 'help') {
      help = help || value === true;
      continue;
    }
    given.set(token.name, option.repeatable ? [...given.get(token.name) ?? [], value] : [value]);
  }

  const values: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(command.options)) {
    const list = given.get(name);
    if (option.repeatable) {
      values[name] = list ?? (option.default === undefined ? [] : [defaultValue(name, option)]);
    } else if (list) {
      values[name] = list[list.length - 1]; // the last one wins
    } else {
      values[name] = option.type === 'boolean' ? option.default === true : option.default === undefined ? undefined : defaultValue(name, option);
    }
  }
  return { options: values as OptionValues<O>, positionals, help };
}

function booleanValue(flag: string, text: string): boolean {
  const word = text.toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new UsageError(`${flag} is a flag: give it alone, or as ${flag}=true or ${flag}=false, not ${flag}=${text}`);
}

function defaultValue(name: string, option: OptionDeclaration): unknown {
  return convert(`--${name}`, option, String(option.default));
}

function convert(flag: string, option: OptionDeclaration, text: string): unknown {
  let value: string | number = text;
  if (option.allowed && !option.parse) {
    const match = option.allowed.find((a) => (option.ignoreCase ? a.toLowerCase() === text.toLowerCase() : a === text));
    if (match === undefined) throw new UsageError(`${flag} must be ${oneOf(option.allowed)}, not "${text}"`);
    value = match;
  }
  if (option.type === 'integer') {
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    const min = option.min ?? 0;
    const max = option.max ?? Number.MAX_SAFE_INTEGER;
    if (!(n >= min && n <= max)) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
    value = n;
  }
  if (!option.parse) return value;
  try {
    return option.parse(String(value));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function oneOf(values: readonly string[]): string {
  if (values.length === 1) return values[0];
  if (values.length === 2) return `${values[0]} or ${values[1]}`;
  return `one of ${values.join(', ')}`;
}

const WIDTH = 100;

/** The usage text of a command, from its declaration: usage line, description, options, footer. */
export function usageText(program: string, command: CommandDeclaration): string {
  const declared: OptionDeclarations = { ...command.options, help: HELP };
  const heads = Object.entries(declared).map(([name, o]) =>
    `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'boolean' ? '' : ` ${o.valueName ?? (o.type === 'integer' ? 'N' : 'VALUE')}`}`);
  const column = Math.max(...heads.map((h) => h.length)) + 4;
  const lines = [
    `Usage: ${program} ${command.name}${command.positionals ? ` ${command.positionals}` : ''} [options]`,
    '',
    command.description.trimEnd(),
    '',
    'Options:',
  ];
  Object.values(declared).forEach((option, i) => {
    const notes: string[] = [];
    if (option.allowed) notes.push(`one of ${option.allowed.join(', ')}${option.ignoreCase ? ', any case' : ''}`);
    if (option.type === 'integer' && option.max !== undefined) notes.push(`${option.min ?? 0} to ${option.max}`);
    if (option.default !== undefined && option.type !== 'boolean') notes.push(`default ${option.default}`);
    if (option.repeatable) notes.push('repeatable');
    const text = [option.description.replace(/[.:]$/, '')];
    if (notes.length > 0) text.push(`(${notes.join('; ')})`);
    lines.push(...wrap(text.join(' '), WIDTH - column).map((l, j) => (j === 0 ? `  ${heads[i]}`.padEnd(column) : ' '.repeat(column)) + l));
  });
  if (command.footer) lines.push('', command.footer.trimEnd());
  return lines.join('\n') + '\n';
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}
