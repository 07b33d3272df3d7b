import * as fs from 'fs';
import * as path from 'path';
import { CisPatternSet, TamperScope } from 'cdk-cis-log-monitoring/lib/cli-support';
import { UsageError } from './options';
import { parseTimeBound, TimeWindow } from './report/window';

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
export function timeWindow(since: string | undefined, until: string | undefined): TimeWindow {
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

/**
 * The tamper control's options (replay, hunt): `--tamper-control` adds the monitoring-integrity control MON.TAMPER
 * (docs/self-monitoring.md) as a row beside the CIS controls; the scope options name what the construct scopes its
 * patterns to, and each implies `--tamper-control`. Unscoped, MON.TAMPER counts the silencing events of every alarm
 * and log group (and no IAM event); scoped, exactly the events the construct's filters count.
 */
export function tamperOptions() {
  return {
    'tamper-control': {
      type: 'boolean',
      description: 'add the monitoring-integrity tamper control MON.TAMPER beside the CIS controls (unscoped: every alarm and log group)',
    },
    'alarm-prefix': {
      type: 'string',
      valueName: 'PREFIX',
      description: 'MON.TAMPER: count alarm events only for alarm names starting with PREFIX, the construct\'s alarmNamePrefix (implies --tamper-control)',
    },
    'trail-log-group': {
      type: 'string',
      valueName: 'NAME',
      description: 'MON.TAMPER: count log group events only for the trail\'s log group NAME (implies --tamper-control)',
    },
    'delivery-role': {
      type: 'string',
      valueName: 'NAME',
      description: 'MON.TAMPER: also count IAM events on the trail\'s CloudWatch Logs delivery role NAME (implies --tamper-control)',
    },
  } as const;
}

/** The tamper control's scope from `tamperOptions()` values; undefined when MON.TAMPER was not asked for. */
export function tamperScopeOf(o: { 'tamper-control': boolean; 'alarm-prefix'?: string; 'trail-log-group'?: string; 'delivery-role'?: string }): TamperScope | undefined {
  const scoped = o['alarm-prefix'] !== undefined || o['trail-log-group'] !== undefined || o['delivery-role'] !== undefined;
  if (!o['tamper-control'] && !scoped) return undefined;
  for (const name of ['alarm-prefix', 'trail-log-group', 'delivery-role'] as const) {
    if (o[name] !== undefined && o[name]!.trim() === '') throw new UsageError(`--${name} needs a non-empty value`);
  }
  return {
    ...(o['alarm-prefix'] !== undefined ? { alarmNamePrefix: o['alarm-prefix'] } : {}),
    ...(o['trail-log-group'] !== undefined ? { logGroupName: o['trail-log-group'] } : {}),
    ...(o['delivery-role'] !== undefined ? { deliveryRoleName: o['delivery-role'] } : {}),
  };
}
