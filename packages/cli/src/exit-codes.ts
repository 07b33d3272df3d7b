/**
 * The exit codes of every `cdk-cis-log-monitoring` command, in one table: the name a command returns, the number
 * the shell sees, and what it means in general. Each command's `--help` footer is made from this table with
 * `exitCodesFooter`, which names what the code means for that command.
 */
export const EXIT = {
  /** The command did everything it was asked, and every verdict holds (PASS or WARNING). */
  OK: 0,
  /** Bad command line (printed with the usage), an input `check` cannot read at all, or hunt's DuckDB is not installed. */
  USAGE: 1,
  /** The command ran, but a control FAILs, an alarm failed, or some input could not be read (replay, hunt). */
  FAILED: 2,
  /** Could not tell: a control is UNKNOWN, or something could not be read; worse than FAILED for audit and verify. */
  UNKNOWN: 3,
  /** Internal error: an exception no command handles (EX_SOFTWARE of sysexits.h). */
  SOFTWARE: 70,
  /** An output could not be written: the --html file, or stdout/stderr (EX_IOERR of sysexits.h). */
  IO_ERROR: 74,
} as const;

/** The width the footer is wrapped to (options.test.ts holds every usage line to 110 characters). */
const WIDTH = 106;

/**
 * The "Exit codes:" footer of a command's `--help`: each code the command returns (a key of EXIT) with what it means
 * for this command, in the order given, wrapped at word boundaries. `note` follows the list (a sentence of its own).
 */
export function exitCodesFooter(
  meanings: ReadonlyArray<readonly [keyof typeof EXIT, string]>, options: { readonly heading?: string; readonly note?: string } = {},
): string {
  const text = `${options.heading ?? 'Exit codes:'} ${meanings.map(([name, meaning]) => `${EXIT[name]} ${meaning}`).join('; ')}.`
    + (options.note ? ` ${options.note}` : '');
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join('\n');
}
