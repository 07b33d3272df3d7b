import * as fs from 'fs';
import * as path from 'path';
import { CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
import { HuntWindow } from './commands/hunt/query-common';
import { UsageError } from './options';
import { parseTimeBound } from './report/report';

/** What `--pattern-set any` means to a command that accepts it, and the value the command is given for it. */
export interface AnyPatternSet<A> {
  /** The value the option's parser returns for `any` (any case). */
  readonly value: A;
  /** What `any` means to this command, for `--help`. */
  readonly meaning: string;
  /** `any` is the default (otherwise the recommended set is). */
  readonly isDefault?: boolean;
}

/**
 * `--pattern-set NAME`, declared once for every command. The names come from the catalog, and the catalog's
 * `fromName` turns a name (any case, surrounding blanks ignored) into the set, with its own message for an unknown
 * name. Without `any`, the name `any` is refused (replay, hunt and catalog run one set's patterns); with it, `any`
 * is accepted and means what `any.meaning` says (audit and verify: an alarm matching any set's text is found;
 * check: the text of every set counts).
 */
export function patternSetOption(): ReturnType<typeof patternSetDeclaration<never>>;
export function patternSetOption<A>(any: AnyPatternSet<A>): ReturnType<typeof patternSetDeclaration<A>>;
export function patternSetOption<A>(any?: AnyPatternSet<A>) {
  return patternSetDeclaration(any);
}

function patternSetDeclaration<A>(any: AnyPatternSet<A> | undefined) {
  const description = 'the pattern set whose filter patterns are used';
  return {
    type: 'string',
    valueName: 'NAME',
    description: any ? `${description}; "any": ${any.meaning}` : description,
    allowed: [...CisPatternSet.all().map((s) => s.name), ...(any ? ['any'] : [])],
    ignoreCase: true,
    default: any?.isDefault ? 'any' : CisPatternSet.RECOMMENDED.name,
    parse: (name: string): CisPatternSet | A => (any && name.trim().toLowerCase() === 'any' ? any.value : CisPatternSet.fromName(name)),
  } as const;
}

/** `--since TIME` (replay, hunt): events at or after TIME count; the value is `YYYY-MM-DDTHH:MM:SS` (UTC). */
export function sinceOption() {
  return {
    type: 'string',
    valueName: 'TIME',
    description: 'count only events at or after TIME (UTC: 2024-03-01 or 2024-03-01T09:30:00Z)',
    parse: (text: string): string => parseTimeBound('--since', text),
  } as const;
}

/** `--until TIME` (replay, hunt): events before TIME count. */
export function untilOption() {
  return {
    type: 'string',
    valueName: 'TIME',
    description: 'count only events before TIME',
    parse: (text: string): string => parseTimeBound('--until', text),
  } as const;
}

/** The window of --since / --until; a usage error when it is empty. */
export function timeWindow(since: string | undefined, until: string | undefined): HuntWindow {
  if (since !== undefined && until !== undefined && since >= until) throw new UsageError(`--since ${since}Z is not before --until ${until}Z`);
  return { ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) };
}

/**
 * `--html FILE` (replay, hunt): also write the report as one self-contained HTML page. The value is checked when
 * parsed (its directory exists, it is not a directory), so a long run does not end in a file it cannot write.
 */
export function htmlOption() {
  return {
    type: 'string',
    valueName: 'FILE',
    description: 'also write the report as one self-contained HTML page (charts per day, top principals and source IPs, sample events)',
    parse: (file: string): string => checkOutputFile('--html', file),
  } as const;
}

function checkOutputFile(option: string, file: string): string {
  if (file === '') throw new UsageError(`${option} needs a file name`);
  const existing = statOrUndefined(file);
  if (existing?.isDirectory()) throw new UsageError(`${option} ${file} is a directory; give a file name`);
  const dir = path.dirname(path.resolve(file));
  if (!statOrUndefined(dir)?.isDirectory()) throw new UsageError(`${option} ${file}: the directory ${dir} does not exist`);
  return file;
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}
