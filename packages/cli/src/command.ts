/** Where a command writes; tests pass their own streams. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Whether stderr is a terminal (progress lines are shown only then). */
  readonly stderrIsTTY: boolean;
}

/** One subcommand of `cdk-cis-log-monitoring`. */
export interface CliCommand {
  /** One line for `help`. */
  readonly summary: string;
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Exit codes shared by the commands. */
export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
/** The command ran, but some input could not be read (replay) or a check failed. */
export const EXIT_PARTIAL = 2;

/** A usage error: the message is printed with the command's usage and the exit code is EXIT_USAGE. */
export class UsageError extends Error {}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stderrIsTTY: Boolean(process.stderr.isTTY) };
}

/**
 * Walks a command line one argument at a time, splitting `--name=value`. The commands' option parsers
 * share it so that `--opt value` and `--opt=value` mean the same everywhere.
 */
export class ArgReader {
  private index = -1;
  private inline: string | undefined;
  /** The current argument as given. */
  public arg = '';
  /** The current argument without an inline `=value`. */
  public name = '';

  constructor(private readonly argv: string[]) {}

  /** Moves to the next argument; false when there is none. */
  public next(): boolean {
    this.index++;
    if (this.index >= this.argv.length) return false;
    this.arg = this.argv[this.index];
    const eq = this.arg.startsWith('--') ? this.arg.indexOf('=') : -1;
    this.name = eq > 0 ? this.arg.slice(0, eq) : this.arg;
    this.inline = eq > 0 ? this.arg.slice(eq + 1) : undefined;
    return true;
  }

  /** The current option's value: inline, or the next argument (which must not be another option). */
  public value(what = 'a value'): string {
    if (this.inline !== undefined) return this.inline;
    const following = this.argv[this.index + 1];
    if (following === undefined || following.startsWith('--')) throw new UsageError(`${this.name} needs ${what}`);
    this.index++;
    return following;
  }
}
