import * as fs from 'fs';
import { CisPatternSet, TamperScope, exclusionsFor, operationalPattern, parseExclusions, deployedVariants, hasSsoAwareVariant } from 'cdk-cis-log-monitoring/lib/cli-support';
import { CliCommand, CliIo, declaredCommand, UsageError } from '../../command';
import { htmlOption, patternSetOption, tamperOptions, tamperScopeOf, timeWindow, untilOption, sinceOption } from '../../common-options';
import { EXIT, exitCodesFooter } from '../../exit-codes';
import { describeError, listCommandInputs, NoInputError, streamRecords } from '../../input/files';
import { scannerAvailable } from '../../input/record-scanner';
import { defineCommand, OptionValues } from '../../options';
import { writeHtmlReport } from '../../report/html';
import { formatReport, ReplayReport, reportToJson, ReplayTally } from '../../report/report';
import { TimeWindow } from '../../report/window';

/** The replay command's arguments, declared once: the parser and `--help` are made from this. */
export const REPLAY_DECLARATION = defineCommand({
  name: 'replay',
  summary: 'Replay CloudTrail log files through the CIS metric filter patterns and count matches per control and day',
  positionals: '<files or directories...>',
  description: `Replays CloudTrail log files through every control of a CIS pattern set and prints, per control,
the number of matches, the matches per UTC day of eventTime and sample eventIDs.

Input: CloudTrail files as delivered to S3 (gzipped or plain JSON with a "Records" array),
JSON lines (one event per line), or a JSON array of events. Directories are read recursively;
CloudTrail-Digest files are skipped; each file is read once, however often it is reached; - reads
stdin. Files are streamed: memory does not grow with their size.`,
  options: {
    'pattern-set': patternSetOption(),
    'sso-aware-mfa': { type: 'boolean', description: 'use the SSO-aware console sign-in without MFA pattern (not in CIS_V1_2_0)' },
    'since': sinceOption(),
    'until': untilOption(),
    'json': { type: 'boolean', description: 'print the report as JSON on stdout' },
    'samples': { type: 'integer', valueName: 'N', default: 3, min: 0, max: 1000, description: 'sample eventIDs per control' },
    'html': htmlOption(),
    'exclusions': {
      type: 'string',
      valueName: 'FILE',
      description: 'a JSON array of exclusions (the construct\'s CisExclusion fields; controls by key or id): also count, per control, '
        + 'the matches left after them (what would still page people)',
    },
    ...tamperOptions(),
  },
  footer: exitCodesFooter([
    ['OK', 'every file was read'],
    ['FAILED', 'some files were unreadable or corrupt (reported on stderr, the others were replayed), no CloudTrail file '
      + 'was found, or the --exclusions file cannot be used (unreadable, over 1 MiB, not JSON, or an exclusion the rules refuse)'],
    ['USAGE', 'usage error'],
    ['IO_ERROR', 'the --html file could not be written'],
  ]),
});

export interface ReplayOptions {
  readonly paths: string[];
  readonly patternSet: CisPatternSet;
  readonly ssoAwareMfaFilter: boolean;
  readonly json: boolean;
  readonly samples: number;
  readonly window: TimeWindow;
  /** --html FILE: also write the report as an HTML page. */
  readonly html?: string;
  /** --exclusions FILE: per control key, the operational pattern (the control's AND NOT the exclusions that apply). */
  readonly operationalPatterns?: ReadonlyMap<string, string>;
  /** --tamper-control (or a scope option): the tamper control MON.TAMPER's scope; undefined: CIS controls only. */
  readonly tamper?: TamperScope;
}

/** The replay options of a parsed command line; throws UsageError, or ExclusionsError for the --exclusions file. */
function replayOptions(options: OptionValues<typeof REPLAY_DECLARATION.options>, paths: string[]): ReplayOptions {
  const patternSet = options['pattern-set'];
  if (paths.length === 0) throw new UsageError('give at least one file or directory');
  if (options['sso-aware-mfa'] && !hasSsoAwareVariant(patternSet)) {
    throw new UsageError(`${patternSet.name} has no SSO-aware MFA pattern (the benchmark added it in v1.4.0); drop --sso-aware-mfa`);
  }
  const window = timeWindow(options.since, options.until);
  return {
    paths,
    patternSet,
    ssoAwareMfaFilter: options['sso-aware-mfa'],
    json: options.json,
    samples: options.samples,
    window,
    ...(options.html !== undefined ? { html: options.html } : {}),
    ...(tamperScopeOf(options) !== undefined ? { tamper: tamperScopeOf(options) } : {}),
    ...(options.exclusions !== undefined
      ? { operationalPatterns: loadExclusions(options.exclusions, patternSet, options['sso-aware-mfa']) } : {}),
  };
}

/** An exclusions file replay cannot use (unreadable, too large, not JSON, or an exclusion the rules refuse): exit 2. */
export class ExclusionsError extends Error {}

/** The largest exclusions file read: a list of documented exceptions is a few kilobytes. */
const MAX_EXCLUSIONS_BYTES = 1024 * 1024;

/**
 * Reads `--exclusions FILE` (a JSON array of the construct's CisExclusion fields, `controls` by key or by the id the
 * pattern set gives the control, as the report prints it) and returns, per control key of the set, its operational
 * pattern, built by the same rules the construct deploys (cdk-cis-log-monitoring's exclusion rules, which also check
 * the file's shape and every field's type). Only a regular file of at most 1 MiB is read. Throws ExclusionsError
 * naming the file, and the exclusion and field when one is wrong.
 */
export function loadExclusions(file: string, set: CisPatternSet, ssoAwareMfaFilter: boolean): Map<string, string> {
  const where = `--exclusions ${file}`;
  let data: unknown;
  try {
    data = JSON.parse(readBounded(file));
  } catch (e) {
    throw new ExclusionsError(`${where}: ${e instanceof SyntaxError ? 'not valid JSON: ' : ''}${describeError(e)}`);
  }
  if (!Array.isArray(data)) {
    throw new ExclusionsError(`${where}: expected a JSON array of exclusions, `
      + 'e.g. [{"principalArns": [...], "reason": ..., "owner": ..., "expires": "YYYY-MM-DD"}]');
  }
  try {
    const parsed = parseExclusions(where, data, set.controls(), new Date(), { controlsByNameIn: set, closedFields: true });
    const patterns = new Map<string, string>();
    for (const { control, text } of deployedVariants(set, ssoAwareMfaFilter)) {
      const applying = exclusionsFor(control, parsed);
      if (applying.length > 0) patterns.set(control.key, operationalPattern(where, control, text, applying));
    }
    return patterns;
  } catch (e) {
    throw new ExclusionsError((e as Error).message.startsWith(where) ? (e as Error).message : `${where}: ${(e as Error).message}`);
  }
}

/** The text of a regular file of at most MAX_EXCLUSIONS_BYTES, read through one descriptor (never a device or a pipe). */
function readBounded(file: string): string {
  // O_NONBLOCK: opening a FIFO does not wait for a writer (the fstat below refuses it).
  // eslint-disable-next-line no-bitwise
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new Error(`not a regular file (${stat.isDirectory() ? 'a directory' : kindOfSpecial(stat)})`);
    if (stat.size > MAX_EXCLUSIONS_BYTES) {
      throw new Error(`larger than 1 MiB (${stat.size} bytes); an exclusions file is a short list of documented exceptions`);
    }
    const buffer = Buffer.alloc(MAX_EXCLUSIONS_BYTES + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = fs.readSync(fd, buffer, length, buffer.length - length, null)) > 0;) length += n;
    if (length > MAX_EXCLUSIONS_BYTES) throw new Error('larger than 1 MiB (it grew while read); an exclusions file is a short list of documented exceptions');
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

function kindOfSpecial(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * Runs the replay and returns its report; progress, file problems and skipped paths go to `io.stderr`.
 * Throws NoInputError when no file could be read at all (the problems are written first).
 */
export async function replay(options: ReplayOptions, io: CliIo): Promise<ReplayReport> {
  const started = Date.now();
  const tally = new ReplayTally(options.patternSet, options.ssoAwareMfaFilter, options.samples, options.window, true, options.operationalPatterns,
    options.tamper);
  const report = tally.report;
  if (tally.screen !== undefined && !scannerAvailable()) {
    io.stderr.write('replay: the record scanner (lib/scanner.wasm) is not installed, so every record is parsed: the counts are the same, the replay is slower\n');
  }
  const { files, skipped } = await listCommandInputs('replay', options.paths, io.stderr);
  report.files = files.length;
  report.skipped.push(...skipped);
  const progress = new Progress(io, files.length);
  const streamOptions = { stdin: io.stdin, onNonObjects: (n: number) => { report.invalidRecords += n; } };

  for (const [index, file] of files.entries()) {
    if (file.error) {
      report.problems.push({ path: file.path, error: file.error });
    } else {
      const invalidBefore = report.invalidRecords;
      try {
        await streamRecords(file, (json, mayMatch) => {
          tally.add(json, mayMatch);
          progress.tick(report);
        }, n => { report.bytes += n; }, { ...streamOptions, screen: tally.screen });
        report.filesRead++;
        const invalid = report.invalidRecords - invalidBefore;
        if (invalid > 0) report.problems.push({ path: file.path, error: `${invalid} record(s) are not valid JSON objects` });
      } catch (e) {
        report.problems.push({ path: file.path, error: describeError(e) });
      }
    }
    const problem = report.problems[report.problems.length - 1];
    if (problem && problem.path === file.path) {
      progress.clear();
      io.stderr.write(`replay: ${problem.path}: ${problem.error}\n`);
    }
    progress.fileDone(index + 1, report);
  }
  progress.clear();
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

/** A single updating line on stderr, only when stderr is a terminal. */
class Progress {
  private lastDraw = 0;
  private filesDone = 0;
  private shown = false;

  constructor(private readonly io: CliIo, private readonly total: number) {}

  public tick(report: ReplayReport): void {
    if (!this.io.stderrIsTTY || report.events % 1024 !== 0) return;
    const now = Date.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    this.draw(report);
  }

  public fileDone(done: number, report: ReplayReport): void {
    this.filesDone = done;
    if (this.io.stderrIsTTY) this.draw(report);
  }

  public clear(): void {
    if (this.shown) this.io.stderr.write('\r\x1b[K');
    this.shown = false;
  }

  private draw(report: ReplayReport): void {
    const mb = (report.bytes / 1024 / 1024).toFixed(1);
    this.io.stderr.write(`\r\x1b[Kreplay: ${this.filesDone}/${this.total} files, ${mb} MB, ${report.events.toLocaleString('en-US')} events`);
    this.shown = true;
  }
}

export const REPLAY_COMMAND: CliCommand = declaredCommand(REPLAY_DECLARATION, async ({ options: values, positionals }, io) => {
  let options: ReplayOptions;
  try {
    options = replayOptions(values, positionals);
  } catch (e) {
    if (!(e instanceof ExclusionsError)) throw e;
    io.stderr.write(`replay: ${e.message}\n`);
    return EXIT.FAILED;
  }
  let report: ReplayReport;
  try {
    report = await replay(options, io);
  } catch (e) {
    if (!(e instanceof NoInputError)) throw e;
    io.stderr.write(`replay: ${e.message}\n`);
    return EXIT.FAILED;
  }
  io.stdout.write(options.json ? JSON.stringify(reportToJson(report), null, 2) + '\n' : formatReport(report));
  if (options.html !== undefined && !writeHtmlReport(options.html, report, { command: 'replay', inputs: options.paths }, io.stderr)) {
    return EXIT.IO_ERROR;
  }
  return report.problems.length > 0 ? EXIT.FAILED : EXIT.OK;
});
