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
