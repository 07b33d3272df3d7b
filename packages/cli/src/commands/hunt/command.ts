import { CisPatternSet, TamperScope, hasSsoAwareVariant } from 'cdk-cis-log-monitoring/lib/cli-support';
import { huntOnAthena } from './athena-run';
import { DuckDbUnavailableError, loadDuckDb } from './duckdb-load';
import { absolutePath, isDuckDbPattern } from './duckdb-paths';
import { buildDuckDbHuntQuery, DuckDbInput } from './duckdb-query';
import { duckDbInput, huntInDuckDb } from './duckdb-run';
import { HuntControl } from './query-common';
import { DialectName } from './sql';
import { buildTrinoHuntQuery, TrinoTarget } from './trino-query';
import { CliCommand, declaredCommand, UsageError } from '../../command';
import { htmlOption, patternSetOption, sinceOption, tamperOptions, tamperScopeOf, timeWindow, untilOption } from '../../common-options';
import { EXIT, exitCodesFooter } from '../../exit-codes';
import { InputListing, listCommandInputs, listInputFiles, NoInputError } from '../../input/files';
import { defineCommand, OptionValues, parseCommandLine } from '../../options';
import { writeHtmlReport } from '../../report/html';
import { emptyReport, formatReport, ReplayReport, reportToJson } from '../../report/report';
import { TimeWindow } from '../../report/window';

/** The hunt command's arguments, declared once: the parser and `--help` are made from this. */
export const HUNT_DECLARATION = defineCommand({
  name: 'hunt',
  summary: 'Run the CIS controls as SQL: DuckDB over CloudTrail files (default), Amazon Athena, or print the SQL',
  positionals: '<files or directories...>',
  description: `Runs every control of a CIS pattern set as SQL and prints the same report as "replay": per control the
matches, the matches per UTC day of eventTime and per account/region, and sample eventIDs. The SQL is
compiled from the engine's syntax tree and means exactly what the engine means; a control a dialect cannot
express exactly is not run, and is listed with the reason.

  hunt <files or directories...>
      embedded DuckDB over CloudTrail files, in the layouts replay reads: {"Records": [...]}, JSON lines,
      a top-level array, objects one after another; plain or gzipped (decided by content); directories
      are read recursively, CloudTrail-Digest files skipped)
  hunt --athena --database D --table T --workgroup W
      Amazon Athena over the CloudTrail table AWS documents (partition projection); reports the bytes
      scanned; credentials and region as for the AWS CLI
  hunt --sql [--dialect athena|cloudtrail-lake|duckdb] [--table T] [files...]
      print the SQL (Athena: --table database.table; CloudTrail Lake: the event data store ID)`,
  options: {
    'pattern-set': patternSetOption(),
    'sso-aware-mfa': { type: 'boolean', description: 'use the SSO-aware console sign-in without MFA pattern (not in CIS_V1_2_0)' },
    'since': sinceOption(),
    'until': untilOption(),
    'json': { type: 'boolean', description: 'print the report as JSON on stdout' },
    'samples': { type: 'integer', valueName: 'N', default: 3, min: 0, max: 1000, description: 'sample eventIDs per control' },
    'html': htmlOption(),
    'sql': { type: 'boolean', description: 'print the SQL instead of running it' },
    'dialect': {
      type: 'string',
      valueName: 'NAME',
      allowed: ['duckdb', 'athena', 'cloudtrail-lake'],
      default: 'duckdb',
      description: 'the SQL dialect --sql prints',
    },
    'athena': { type: 'boolean', description: 'run on Amazon Athena (needs --database, --table, --workgroup)' },
    'database': { type: 'string', valueName: 'D', description: 'the Glue database of the CloudTrail table (--athena)' },
    'table': { type: 'string', valueName: 'T', description: 'the CloudTrail table (--athena), or the table / event data store --sql reads' },
    'workgroup': { type: 'string', valueName: 'W', description: 'the Athena workgroup; its query result location is used (--athena)' },
    'region': { type: 'string', valueName: 'R', description: 'the AWS region of Athena (default: as for the AWS CLI)' },
    ...tamperOptions(),
  },
  footer: exitCodesFooter([
    ['OK', 'every file was read and every control run'],
    ['FAILED', 'some files were unreadable, some controls were not run, or no CloudTrail file was found'],
    ['USAGE', 'usage error, or DuckDB (an optional dependency) is not installed'],
    ['IO_ERROR', 'the --html file could not be written'],
  ]),
});

export interface HuntOptions {
  readonly paths: string[];
  readonly patternSet: CisPatternSet;
  readonly ssoAwareMfaFilter: boolean;
  readonly json: boolean;
  readonly samples: number;
  readonly window: TimeWindow;
  readonly sql: boolean;
  readonly dialect: DialectName;
  readonly athena: boolean;
  readonly database?: string;
  readonly table?: string;
  readonly workgroup?: string;
  readonly region?: string;
  /** --html FILE: also write the report as an HTML page. */
  readonly html?: string;
  /** --tamper-control (or a scope option): the tamper control MON.TAMPER's scope; undefined: CIS controls only. */
  readonly tamper?: TamperScope;
}

/** Parses the hunt arguments; throws UsageError. */
export function parseHuntArgs(argv: string[]): HuntOptions {
  const { options, positionals } = parseCommandLine(HUNT_DECLARATION, argv);
  return huntOptions(options, positionals);
}

function huntOptions(o: OptionValues<typeof HUNT_DECLARATION.options>, paths: string[]): HuntOptions {
  const patternSet = o['pattern-set'];
  if (o['sso-aware-mfa'] && !hasSsoAwareVariant(patternSet)) {
    throw new UsageError(`${patternSet.name} has no SSO-aware MFA pattern (the benchmark added it in v1.4.0); drop --sso-aware-mfa`);
  }
  const window = timeWindow(o.since, o.until);
  const given = (name: string) => o[name as keyof typeof o] !== undefined && o[name as keyof typeof o] !== false;
  if (!o.sql && o.dialect !== 'duckdb') throw new UsageError('--dialect goes with --sql (hunt runs on DuckDB, or on Athena with --athena)');
  if (o.sql && o.html !== undefined) throw new UsageError('--html writes the report of a run; --sql prints the SQL instead of running it');
  if (o.athena && o.sql) throw new UsageError('--athena runs the SQL; to print it, use --sql --dialect athena');
  if (o.athena) {
    if (paths.length > 0) throw new UsageError('--athena reads the table, not files; drop the file arguments');
    for (const name of ['database', 'table', 'workgroup']) if (!given(name)) throw new UsageError(`--athena needs --${name}`);
  } else if (!o.sql) {
    for (const name of ['database', 'workgroup', 'region', 'table']) {
      if (given(name)) throw new UsageError(`--${name} goes with --athena${name === 'table' ? ' or --sql' : ''}`);
    }
    if (paths.length === 0) throw new UsageError('give at least one file or directory (or --athena, or --sql)');
  }
  return {
    paths,
    patternSet,
    ssoAwareMfaFilter: o['sso-aware-mfa'],
    json: o.json,
    samples: o.samples,
    window,
    sql: o.sql,
    dialect: o.dialect as DialectName,
    athena: o.athena,
    ...(o.database !== undefined ? { database: o.database } : {}),
    ...(o.table !== undefined ? { table: o.table } : {}),
    ...(o.workgroup !== undefined ? { workgroup: o.workgroup } : {}),
    ...(o.region !== undefined ? { region: o.region } : {}),
    ...(o.html !== undefined ? { html: o.html } : {}),
    ...(tamperScopeOf(o) !== undefined ? { tamper: tamperScopeOf(o) } : {}),
  };
}

function controlsOf(report: ReplayReport): HuntControl[] {
  return report.controls.map(c => ({ key: c.key, pattern: c.pattern }));
}

/** The SQL `hunt --sql` prints, with the refused controls as SQL comments. */
export async function huntSql(options: HuntOptions): Promise<string> {
  const report = emptyReport('duckdb', options.patternSet, options.ssoAwareMfaFilter, options.window, options.tamper);
  let sql: string;
  let refused;
  /** Files the printed SQL does not read, and why. */
  const unlisted: string[] = [];
  if (options.dialect === 'duckdb') {
    // The SQL names each file by its absolute path; a path DuckDB would read as a pattern is left out and named.
    const literal = (given: string) => {
      const absolute = absolutePath(given);
      if (isDuckDbPattern(absolute)) {
        throw new Error(`its path ${JSON.stringify(absolute)} has * ? or [, which DuckDB reads as a pattern (hunt itself reads it through a link)`);
      }
      return absolute;
    };
    const files: DuckDbInput[] = [];
    if (options.paths.length === 0) files.push({ path: 'AWSLogs/**/*.json.gz', gzip: true });
    for (const f of options.paths.length > 0 ? (await listInputFiles(options.paths)).files.filter(g => !g.error && !g.stdin) : []) {
      const input = duckDbInput(f, literal);
      if ('error' in input) unlisted.push(`-- not read: ${JSON.stringify(f.path)}: ${input.error.replace(/\n/g, ' ')}`);
      else files.push(input);
    }
    ({ sql, refused } = buildDuckDbHuntQuery(files, controlsOf(report), options.window, options.samples));
  } else {
    const target: TrinoTarget = options.dialect === 'athena'
      ? { kind: 'athena', table: options.table ?? `${options.database ?? 'default'}.cloudtrail_logs` }
      : { kind: 'cloudtrail-lake', table: options.table ?? 'EVENT_DATA_STORE_ID' };
    ({ sql, refused } = buildTrinoHuntQuery(target, controlsOf(report), options.window, options.samples));
  }
  const header = [
    `-- ${report.patternSet}${report.ssoAwareMfaFilter ? ' (SSO-aware MFA filter)' : ''}, dialect ${options.dialect}: `
      + `${report.controls.length - refused.length} of ${report.controls.length} controls`,
    ...refused.map(r => `-- not run: ${r.key}: ${r.reason.replace(/\n/g, ' ')}`),
    ...unlisted,
  ];
  return `${header.join('\n')}\n${sql};\n`;
}

export const HUNT_COMMAND: CliCommand = declaredCommand(HUNT_DECLARATION, async ({ options: values, positionals }, io) => {
  const options = huntOptions(values, positionals);
  if (options.sql) {
    io.stdout.write(await huntSql(options));
    return EXIT.OK;
  }
  const started = Date.now();
  let report: ReplayReport;
  if (options.athena) {
    report = emptyReport('athena', options.patternSet, options.ssoAwareMfaFilter, options.window, options.tamper);
    try {
      await huntOnAthena(report, {
        database: options.database!,
        table: options.table!,
        workgroup: options.workgroup!,
        ...(options.region !== undefined ? { region: options.region } : {}),
      }, options.window, options.samples);
    } catch (e) {
      io.stderr.write(`hunt: Athena: ${e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e)}\n`);
      return EXIT.FAILED;
    }
  } else {
    try {
      loadDuckDb();
    } catch (e) {
      if (!(e instanceof DuckDbUnavailableError)) throw e;
      io.stderr.write(`hunt: ${e.message}\n`);
      return e.exitCode;
    }
    report = emptyReport('duckdb', options.patternSet, options.ssoAwareMfaFilter, options.window, options.tamper);
    let listing: InputListing;
    try {
      // DuckDB reads regular files by name (and may read them more than once): stdin and pipes are not.
      listing = await listCommandInputs('hunt', options.paths, io.stderr, f => (f.stdin ? 'hunt reads files, not stdin (use replay -)'
        : !f.regular ? 'hunt reads regular files, not pipes or devices (use replay)' : undefined));
    } catch (e) {
      if (!(e instanceof NoInputError)) throw e;
      io.stderr.write(`hunt: ${e.message}\n`);
      return EXIT.FAILED;
    }
    report.skipped.push(...listing.skipped);
    await huntInDuckDb(report, listing.files, options.window, options.samples, (path, error) => {
      report.problems.push({ path, error });
      io.stderr.write(`hunt: ${path}: ${error}\n`);
    });
  }
  report.seconds = (Date.now() - started) / 1000;
  for (const r of report.refused) io.stderr.write(`hunt: ${r.key} not run: ${r.reason}\n`);
  io.stdout.write(options.json ? JSON.stringify(reportToJson(report), null, 2) + '\n' : formatReport(report));
  if (options.html !== undefined && !writeHtmlReport(options.html, report, { command: 'hunt', inputs: options.paths }, io.stderr)) {
    return EXIT.IO_ERROR;
  }
  return report.problems.length > 0 || report.refused.length > 0 ? EXIT.FAILED : EXIT.OK;
});
