import {
  CisPatternSet, deployedVariants, LogFilterPattern, TAMPER_CONTROL_ID, TAMPER_CONTROL_TITLE, TAMPER_METRIC_NAME, TamperScope, TextScreen,
  tamperPattern,
} from 'cdk-cis-log-monitoring/lib/cli-support';
import { EVENT_TIME_REGEX, TimeWindow } from './window';
import { SkippedPath } from '../input/files';

/** A control a dialect cannot express exactly: not run, reported with the reason. */
export interface Refusal {
  readonly key: string;
  readonly reason: string;
}

/** Matches of one control. */
export interface ControlTally {
  readonly key: string;
  readonly id: string;
  readonly title: string;
  readonly metricName: string;
  readonly pattern: string;
  matches: number;
  /** Matches per UTC day of eventTime (`YYYY-MM-DD`, or `unknown`). */
  readonly byDay: Map<string, number>;
  /** Matches per `account/region` (recipientAccountId and awsRegion; `unknown` where a record has none). */
  readonly byAccountRegion: Map<string, number>;
  /** Matches per principal: userIdentity.arn, else userIdentity.invokedBy, else `unknown` (see principalOf). */
  readonly byPrincipal: Map<string, number>;
  /** Matches per sourceIPAddress (`unknown` where a record has none). */
  readonly bySourceIp: Map<string, number>;
  readonly samples: string[];
  /** The sample events themselves, in the order of `samples`. */
  readonly sampleEvents: unknown[];
  /** With `--exclusions`, for controls an exclusion applies to: the operational pattern (the control's AND NOT the exclusions). */
  operationalPattern?: string;
  /** With `--exclusions`: the matches of the operational pattern, i.e. what would still page people. */
  operationalMatches?: number;
}

export interface FileProblem {
  readonly path: string;
  readonly error: string;
}

/** The replay's result; also the shape of `--json` output (with maps as objects). */
export interface ReplayReport {
  /** What evaluated the patterns: the engine (`replay`), or SQL in `duckdb` or `athena` (`hunt`). */
  readonly evaluatedBy: 'engine' | 'duckdb' | 'athena';
  readonly patternSet: string;
  readonly ssoAwareMfaFilter: boolean;
  /** The --since / --until window (`YYYY-MM-DDTHH:MM:SS`, UTC), when given. */
  readonly since?: string;
  readonly until?: string;
  files: number;
  filesRead: number;
  bytes: number;
  events: number;
  /** Records that were not valid JSON objects (counted, not evaluated). */
  invalidRecords: number;
  /** Records outside the --since / --until window (or without a CloudTrail eventTime when a window is set). */
  outsideWindow: number;
  /** Controls the SQL dialect cannot express exactly; they were not run (hunt only). */
  readonly refused: Refusal[];
  /** Bytes the query engine scanned (Athena only). */
  bytesScanned?: number;
  readonly problems: FileProblem[];
  /** Paths not read, and why (the same file under another name, a symlink loop, a FIFO in a directory). */
  readonly skipped: SkippedPath[];
  seconds: number;
  readonly controls: ControlTally[];
}

/** Evaluates every control of a pattern set against records and tallies the matches. */
export class ReplayTally {
  public readonly report: ReplayReport;
  private readonly patterns: LogFilterPattern[];
  /**
   * Decides from a record's text whether any control may match it (src/engine/literals.ts), for the splitter to
   * consult while it frames records; undefined when screening is off: when asked, with a --since/--until window
   * (the window needs every record's eventTime), or when some control cannot be screened.
   */
  public readonly screen: TextScreen | undefined;
  /** Records counted without parsing, because no control can match their text. */
  public screenedOut = 0;

  /**
   * @param screen skip JSON.parse for records whose text no control can match (counted as events, as they are);
   *   only without a window
   */
  /** Per control, its operational pattern when exclusions apply to it (`--exclusions`). */
  private readonly operational: (LogFilterPattern | undefined)[];

  /**
   * @param operationalPatterns per control key, the operational pattern (`--exclusions`); each is the control's
   *   pattern AND NOT some exclusions, so it matches a subset of the control's matches and the screen stays exact
   */
  constructor(set: CisPatternSet, ssoAwareMfaFilter: boolean, private readonly maxSamples: number, private readonly window: TimeWindow = {},
    screen = true, operationalPatterns: ReadonlyMap<string, string> = new Map(), tamper?: TamperScope) {
    this.report = emptyReport('engine', set, ssoAwareMfaFilter, window, tamper);
    this.patterns = this.report.controls.map(c => LogFilterPattern.parse(c.pattern));
    this.operational = this.report.controls.map(c => {
      const text = operationalPatterns.get(c.key);
      if (text === undefined) return undefined;
      c.operationalPattern = text;
      c.operationalMatches = 0;
      return LogFilterPattern.parse(text);
    });
    const windowed = window.since !== undefined || window.until !== undefined;
    const textScreen = screen && !windowed ? TextScreen.forPatterns(this.report.controls.map(c => c.pattern)) : undefined;
    this.screen = textScreen?.active ? textScreen : undefined;
  }

  /**
   * Counts one record given as JSON text; returns false if it is not a JSON object. `mayMatch` false (the screen's
   * decision: no control can match this text) counts it as an event without parsing it.
   */
  public add(json: string, mayMatch = true): boolean {
    if (!mayMatch && this.screen !== undefined) {
      this.report.events++;
      this.screenedOut++;
      return true;
    }
    let event: any;
    try {
      event = JSON.parse(json);
    } catch {
      this.report.invalidRecords++;
      return false;
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      this.report.invalidRecords++;
      return false;
    }
    const time = cloudTrailTime(event.eventTime);
    if (!insideWindow(time, this.window)) {
      this.report.outsideWindow++;
      return true;
    }
    this.report.events++;
    let day: string | undefined;
    let where: string | undefined;
    for (let i = 0; i < this.patterns.length; i++) {
      if (!this.patterns[i].matches(event)) continue;
      const tally = this.report.controls[i];
      tally.matches++;
      if (this.operational[i]?.matches(event)) tally.operationalMatches = (tally.operationalMatches ?? 0) + 1;
      day ??= time === undefined ? 'unknown' : time.slice(0, 10);
      where ??= `${stringOr(event.recipientAccountId)}/${stringOr(event.awsRegion)}`;
      tally.byDay.set(day, (tally.byDay.get(day) ?? 0) + 1);
      tally.byAccountRegion.set(where, (tally.byAccountRegion.get(where) ?? 0) + 1);
      const principal = principalOf(event);
      const ip = stringOr(event.sourceIPAddress);
      tally.byPrincipal.set(principal, (tally.byPrincipal.get(principal) ?? 0) + 1);
      tally.bySourceIp.set(ip, (tally.bySourceIp.get(ip) ?? 0) + 1);
      if (tally.samples.length < this.maxSamples) {
        tally.samples.push(sampleId(event.eventID));
        tally.sampleEvents.push(event);
      }
    }
    return true;
  }
}

/** A report with every control of the set and nothing counted yet; replay and hunt fill it in. */
export function emptyReport(evaluatedBy: ReplayReport['evaluatedBy'], set: CisPatternSet, ssoAwareMfaFilter: boolean, window: TimeWindow,
  tamper?: TamperScope): ReplayReport {
  type Row = { key: string; id: string; title: string; metricName: string; text: string };
  const variants: Row[] = deployedVariants(set, ssoAwareMfaFilter)
    .map(({ control: c, text }) => ({ key: c.key, id: c.idIn(set) ?? c.id, title: c.title, metricName: c.metricName, text }));
  // --tamper-control: the monitoring-integrity control MON.TAMPER, one row after the CIS ones (its pattern is the
  // construct's per-service filters as one disjunction, src/catalog/tamper-control.ts).
  if (tamper !== undefined) {
    const id = TAMPER_CONTROL_ID;
    variants.push({ key: id, id, title: TAMPER_CONTROL_TITLE, metricName: TAMPER_METRIC_NAME, text: tamperPattern(tamper) });
  }
  return {
    evaluatedBy,
    patternSet: set.name,
    ssoAwareMfaFilter,
    ...(window.since !== undefined ? { since: window.since } : {}),
    ...(window.until !== undefined ? { until: window.until } : {}),
    files: 0,
    filesRead: 0,
    bytes: 0,
    events: 0,
    invalidRecords: 0,
    outsideWindow: 0,
    refused: [],
    problems: [],
    skipped: [],
    seconds: 0,
    controls: variants.map(({ key, id, title, metricName, text }) => ({
      key,
      id,
      title,
      metricName,
      pattern: text,
      matches: 0,
      byDay: new Map(),
      byAccountRegion: new Map(),
      byPrincipal: new Map(),
      bySourceIp: new Map(),
      samples: [],
      sampleEvents: [],
    })),
  };
}

const EVENT_TIME = new RegExp(EVENT_TIME_REGEX);

/**
 * CloudTrail's eventTime (`2024-03-01T09:00:00Z`, UTC, optional fractions), or undefined for anything else.
 * The day of an event is its first 10 characters; hunt's SQL reads eventTime by the same rule.
 */
function cloudTrailTime(eventTime: unknown): string | undefined {
  return typeof eventTime === 'string' && EVENT_TIME.test(eventTime) ? eventTime : undefined;
}

function insideWindow(time: string | undefined, window: TimeWindow): boolean {
  if (window.since === undefined && window.until === undefined) return true;
  if (time === undefined) return false;
  const second = time.slice(0, 19);
  return (window.since === undefined || second >= window.since) && (window.until === undefined || second < window.until);
}

/** Who made a request: userIdentity.arn, else userIdentity.invokedBy (an AWS service), else `unknown`. hunt's SQL reads it alike. */
export function principalOf(event: any): string {
  const identity = event.userIdentity;
  if (identity === null || typeof identity !== 'object' || Array.isArray(identity)) return 'unknown';
  if (typeof identity.arn === 'string') return identity.arn;
  if (typeof identity.invokedBy === 'string') return identity.invokedBy;
  return 'unknown';
}

/** How many of the top principals and source IPs the JSON and HTML reports list per control. */
export const TOP = 10;

/** The `n` largest entries, by count then name. */
export function top(map: Map<string, number>, n = TOP): { name: string; matches: number }[] {
  return [...map.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, n)
    .map(([name, matches]) => ({ name, matches }));
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : 'unknown';
}

/** A sample's eventID: the string, `(no eventID)` when missing or null, otherwise its JSON text. */
function sampleId(eventID: unknown): string {
  if (eventID === undefined || eventID === null) return '(no eventID)';
  return typeof eventID === 'string' ? eventID : JSON.stringify(eventID);
}

/** The report as plain JSON (maps become objects with days in order). */
export function reportToJson(report: ReplayReport): object {
  return {
    ...report,
    seconds: Math.round(report.seconds * 1000) / 1000,
    controls: report.controls.map(c => ({
      ...c,
      byDay: Object.fromEntries([...c.byDay.entries()].sort()),
      byAccountRegion: Object.fromEntries([...c.byAccountRegion.entries()].sort()),
      byPrincipal: undefined,
      bySourceIp: undefined,
      topPrincipals: top(c.byPrincipal),
      topSourceIps: top(c.bySourceIp),
    })),
  };
}

/** The report for a terminal. */
export function formatReport(report: ReplayReport): string {
  const mb = (report.bytes / 1024 / 1024).toFixed(1);
  const window = report.since !== undefined || report.until !== undefined
    ? `Window ${report.since ?? '(start)'}Z to ${report.until ?? '(end)'}Z: ${report.outsideWindow} events outside it` : undefined;
  const by = report.evaluatedBy === 'engine' ? '' : ` (SQL on ${report.evaluatedBy === 'duckdb' ? 'DuckDB' : 'Athena'})`;
  const lines = [
    `Pattern set ${report.patternSet}${report.ssoAwareMfaFilter ? ' (SSO-aware MFA filter)' : ''}: `
      + `${report.controls.length} controls${by}`,
    report.evaluatedBy === 'athena'
      ? `Scanned ${((report.bytesScanned ?? 0) / 1024 / 1024).toFixed(1)} MB, ${report.events} events in ${report.seconds.toFixed(1)} s`
      : `Read ${report.filesRead} of ${report.files} files (${mb} MB), ${report.events} events`
      + `${report.invalidRecords ? `, ${report.invalidRecords} invalid records` : ''} in ${report.seconds.toFixed(1)} s`,
    ...(window ? [window] : []),
  ];
  if (report.refused.length > 0) {
    lines.push(`${report.refused.length} control(s) not run (the SQL dialect cannot express them exactly):`);
    for (const r of report.refused) lines.push(`  ${r.key}: ${r.reason}`);
  }
  if (report.problems.length > 0) {
    lines.push(`${report.problems.length} file(s) could not be read completely:`);
    for (const p of report.problems) lines.push(`  ${p.path}: ${p.error}`);
  }
  if (report.skipped.length > 0) {
    lines.push(`${report.skipped.length} path(s) skipped:`);
    for (const s of report.skipped) lines.push(`  ${s.path}: ${s.reason}`);
  }
  lines.push('');
  const idWidth = Math.max(...report.controls.map(c => c.id.length));
  const keyWidth = Math.max(...report.controls.map(c => c.key.length));
  for (const c of report.controls) {
    lines.push(`${c.id.padEnd(idWidth)}  ${c.key.padEnd(keyWidth)}  ${String(c.matches).padStart(7)} match${c.matches === 1 ? '' : 'es'}`);
    if (c.operationalMatches !== undefined) {
      lines.push(`${' '.repeat(idWidth + 2)}after exclusions: ${c.operationalMatches} would page people (${c.matches - c.operationalMatches} excluded)`);
    }
    for (const [day, count] of [...c.byDay.entries()].sort()) {
      lines.push(`${' '.repeat(idWidth + 2)}${day}  ${String(count).padStart(7)}`);
    }
    if (c.byAccountRegion.size > 0) {
      lines.push(`${' '.repeat(idWidth + 2)}by account/region: ${[...c.byAccountRegion.entries()].sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
    if (c.samples.length > 0) lines.push(`${' '.repeat(idWidth + 2)}samples: ${c.samples.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
