// The --since / --until window, which replay (report.ts) and hunt's SQL (commands/hunt/*-query.ts) apply alike.

/**
 * The --since / --until window as `YYYY-MM-DDTHH:MM:SS` (UTC, second precision). An event is inside when its
 * eventTime is a CloudTrail timestamp (EVENT_TIME_REGEX) whose first 19 characters compare >= since and < until.
 */
export interface TimeWindow {
  readonly since?: string;
  readonly until?: string;
}

/** CloudTrail's eventTime: ISO 8601 in UTC, optionally with fractions of a second. RE2 and JavaScript read it alike. */
export const EVENT_TIME_REGEX = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$';

/**
 * Reads a --since / --until bound: a UTC date (`2024-03-01`) or instant (`2024-03-01T09:30:00Z`, seconds and
 * `Z` optional); returns it as `YYYY-MM-DDTHH:MM:SS`. Throws an Error naming the option.
 */
export function parseTimeBound(option: string, text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?Z?)?$/.exec(text);
  const iso = m ? `${m[1]}T${m[2] ?? '00:00'}${m[3] ?? ':00'}Z` : '';
  const t = Date.parse(iso);
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 19) !== iso.slice(0, 19)) {
    throw new Error(`${option} must be a UTC date or time such as 2024-03-01 or 2024-03-01T09:30:00Z, not "${text}"`);
  }
  return iso.slice(0, 19);
}
