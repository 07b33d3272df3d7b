#!/usr/bin/env node
// The CLI package's layout (packages/cli/src), one layer per folder:
//   main.ts, commands.ts      the program: `help`, `--version`, and the table of subcommands (one line per command)
//   command.ts, options.ts,   the declared-command mechanism, the option parser, the options several commands share
//   common-options.ts,        (--pattern-set, --since/--until, --html) and the one exit-code table
//   exit-codes.ts,            package-info.ts reads the CLI's package.json (version, optional dependencies)
//   package-info.ts
//   input/                    reading CloudTrail records: input files and stdin, the record splitter, the WASM scanner
//   report/                   the match report replay and hunt share: the time window, text, JSON and the HTML page
//   account/                  the CIS audit of a deployed account: the AuditApi it reads through, the live snapshot,
//                             the audit, its report and exit code, the organization audit (audit and verify share it)
//   aws/                      AWS SDK access: the client cache, the SDK-backed AuditApi, Organizations/STS, verify's API,
//                             the profile's region
//   commands/<name>/          one folder per command; command.ts declares it (`<NAME>_DECLARATION`, `<NAME>_COMMAND`),
//                             the other files are that command's own parts (hunt's SQL back-ends, check's inputs, ...)
// Imports point one way: a command imports the shared folders and the core; the shared folders and the core never
// import a command (commands.ts, the table, loads them), and no command imports another (test/layout.test.ts).
import { CliIo, processIo, PROGRAM } from './command';
import { COMMANDS } from './commands';
import { EXIT } from './exit-codes';
import { cliPackage } from './package-info';

/** The package version, read from the CLI package's package.json, next to lib/ (or src/ when run with ts-node). */
export function packageVersion(): string {
  return cliPackage().version;
}

function help(io: CliIo): void {
  const width = Math.max(...Object.keys(COMMANDS).map(n => n.length), 'help'.length);
  const lines = [
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, load]) => `  ${name.padEnd(width)}  ${load().summary}`),
    `  ${'help'.padEnd(width)}  Show this help, or a command's help: help <command>`,
    '',
    'Options:',
    '  --version  Print the version',
    '',
    `Run "${PROGRAM} <command> --help" for a command's options.`,
  ];
  io.stdout.write(lines.join('\n') + '\n');
}

/** Dispatches `argv` (the arguments after the program name) to a subcommand; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, topic)) return COMMANDS[topic]().run(['--help'], io);
    help(io);
    if (topic !== undefined) {
      io.stderr.write(`${PROGRAM}: unknown command "${topic}"\n`);
      return EXIT.USAGE;
    }
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout.write(packageVersion() + '\n');
    return EXIT.OK;
  }
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, name)) {
    io.stderr.write(`${PROGRAM}: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}, help.\n`);
    return EXIT.USAGE;
  }
  return COMMANDS[name]().run(rest, io);
}

/**
 * A reader that goes away (`catalog | head -1`) makes writes fail with EPIPE: the output is no longer wanted, so
 * the program stops at once, quietly and with exit code 0, instead of dying on an unhandled 'error' event with a
 * stack trace. Any other write error ends the program with exit code 74 (EX_IOERR) and one line on stderr.
 */
export function exitQuietlyOnBrokenPipe(stream: NodeJS.WriteStream, exit: (code: number) => never = process.exit): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') return exit(EXIT.OK);
    if (stream !== process.stderr) process.stderr.write(`${PROGRAM}: cannot write the output: ${e.message}\n`);
    exit(EXIT.IO_ERROR);
  });
}

if (require.main === module) {
  exitQuietlyOnBrokenPipe(process.stdout);
  exitQuietlyOnBrokenPipe(process.stderr);
  main(process.argv.slice(2)).then(
    code => { process.exitCode = code; },
    e => {
      process.stderr.write(`${PROGRAM}: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exitCode = EXIT.SOFTWARE;
    },
  );
}
