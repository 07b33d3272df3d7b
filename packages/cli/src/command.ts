import { EXIT } from './exit-codes';
import { CommandDeclaration, OptionDeclarations, ParsedCommandLine, parseCommandLine, UsageError, usageText } from './options';

/** Where a command writes; tests pass their own streams. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** Whether stderr is a terminal (progress lines are shown only then). */
  readonly stderrIsTTY: boolean;
  /** What `-` reads (replay); process.stdin when absent. */
  readonly stdin?: NodeJS.ReadableStream;
}

/** One subcommand of `cdk-cis-log-monitoring`. */
export interface CliCommand {
  /** One line for `help`. */
  readonly summary: string;
  /** Runs the command with the arguments after its name; resolves to the process exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** The program name, as installed (`bin` of package.json). */
export const PROGRAM = 'cdk-cis-log-monitoring';

export { UsageError } from './options';

/**
 * A command built from its declaration: the arguments are parsed against it, `--help` prints the usage made
 * from it, and a UsageError (from the parser or from `body`) prints the message and the usage on stderr with
 * exit code EXIT.USAGE.
 */
export function declaredCommand<O extends OptionDeclarations>(
  declaration: CommandDeclaration<O>,
  body: (args: ParsedCommandLine<O>, io: CliIo) => Promise<number>,
): CliCommand {
  const usage = () => usageText(PROGRAM, declaration);
  return {
    summary: declaration.summary,
    async run(argv: string[], io: CliIo): Promise<number> {
      try {
        const args = parseCommandLine(declaration, argv);
        if (args.help) {
          io.stdout.write(usage());
          return EXIT.OK;
        }
        return await body(args, io);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        io.stderr.write(`${declaration.name}: ${e.message}\n\n${usage()}`);
        return EXIT.USAGE;
      }
    },
  };
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stderrIsTTY: Boolean(process.stderr.isTTY), stdin: process.stdin };
}
