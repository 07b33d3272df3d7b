import { CisControl, CisPatternSet } from 'cdk-cis-log-monitoring/lib/catalog';
import { LogFilterPattern } from 'cdk-cis-log-monitoring/lib/engine';

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
  readonly samples: string[];
}

export interface FileProblem {
  readonly path: string;
  readonly error: string;
}

/** The replay's result; also the shape of `--json` output (with maps as objects). */
export interface ReplayReport {
  readonly patternSet: string;
  readonly ssoAwareMfaFilter: boolean;
  files: number;
  filesRead: number;
  bytes: number;
  events: number;
  /** Records that were not valid JSON objects (counted, not evaluated). */
  invalidRecords: number;
  readonly problems: FileProblem[];
  seconds: number;
  readonly controls: ControlTally[];
}

/** Evaluates every control of a pattern set against records and tallies the matches. */
export class ReplayTally {
  public readonly report: ReplayReport;
  private readonly patterns: LogFilterPattern[];

  constructor(set: CisPatternSet, ssoAwareMfaFilter: boolean, private readonly maxSamples: number) {
    const controls = set.controls();
    const texts = controls.map(c => c.patternFor(set, ssoAwareMfaFilter && c === CisControl.CONSOLE_SIGNIN_WITHOUT_MFA));
    this.patterns = texts.map(t => LogFilterPattern.parse(t));
    this.report = {
      patternSet: set.name,
      ssoAwareMfaFilter,
      files: 0,
      filesRead: 0,
      bytes: 0,
      events: 0,
      invalidRecords: 0,
      problems: [],
      seconds: 0,
      controls: controls.map((c, i) => ({
        key: c.key,
        id: c.idIn(set) ?? c.id,
        title: c.title,
        metricName: c.metricName,
        pattern: texts[i],
        matches: 0,
        byDay: new Map(),
        samples: [],
      })),
    };
  }

  /** Counts one record given as JSON text; returns false if it is not a JSON object. */
  public add(json: string): boolean {
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
    this.report.events++;
    let day: string | undefined;
    for (let i = 0; i < this.patterns.length; i++) {
      if (!this.patterns[i].matches(event)) continue;
      const tally = this.report.controls[i];
      tally.matches++;
      day ??= utcDay(event.eventTime);
      tally.byDay.set(day, (tally.byDay.get(day) ?? 0) + 1);
      if (tally.samples.length < this.maxSamples) tally.samples.push(String(event.eventID ?? '(no eventID)'));
    }
    return true;
  }
}

/** CloudTrail's eventTime is ISO 8601 in UTC (`2024-03-01T09:00:00Z`); anything else is re-read through Date. */
function utcDay(eventTime: unknown): string {
  if (typeof eventTime !== 'string') return 'unknown';
  if (/^\d{4}-\d{2}-\d{2}T.*Z$/.test(eventTime)) return eventTime.slice(0, 10);
  const t = Date.parse(eventTime);
  return Number.isNaN(t) ? 'unknown' : new Date(t).toISOString().slice(0, 10);
}

/** The report as plain JSON (maps become objects with days in order). */
export function reportToJson(report: ReplayReport): object {
  return {
    ...report,
    seconds: Math.round(report.seconds * 1000) / 1000,
    controls: report.controls.map(c => ({ ...c, byDay: Object.fromEntries([...c.byDay.entries()].sort()) })),
  };
}

/** The report for a terminal. */
export function formatReport(report: ReplayReport): string {
  const mb = (report.bytes / 1024 / 1024).toFixed(1);
  const lines = [
    `Pattern set ${report.patternSet}${report.ssoAwareMfaFilter ? ' (SSO-aware MFA filter)' : ''}: `
      + `${report.controls.length} controls`,
    `Read ${report.filesRead} of ${report.files} files (${mb} MB), ${report.events} events`
      + `${report.invalidRecords ? `, ${report.invalidRecords} invalid records` : ''} in ${report.seconds.toFixed(1)} s`,
  ];
  if (report.problems.length > 0) {
    lines.push(`${report.problems.length} file(s) could not be read completely:`);
    for (const p of report.problems) lines.push(`  ${p.path}: ${p.error}`);
  }
  lines.push('');
  const idWidth = Math.max(...report.controls.map(c => c.id.length));
  const keyWidth = Math.max(...report.controls.map(c => c.key.length));
  for (const c of report.controls) {
    lines.push(`${c.id.padEnd(idWidth)}  ${c.key.padEnd(keyWidth)}  ${String(c.matches).padStart(7)} match${c.matches === 1 ? '' : 'es'}`);
    for (const [day, count] of [...c.byDay.entries()].sort()) {
      lines.push(`${' '.repeat(idWidth + 2)}${day}  ${String(count).padStart(7)}`);
    }
    if (c.samples.length > 0) lines.push(`${' '.repeat(idWidth + 2)}samples: ${c.samples.join(', ')}`);
  }
  return lines.join('\n') + '\n';
}
