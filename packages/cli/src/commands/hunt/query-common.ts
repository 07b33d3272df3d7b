/** One control as the SQL targets see it: its key and the exact pattern text replay would evaluate. */
export interface HuntControl {
  readonly key: string;
  readonly pattern: string;
}

/** A control a dialect cannot express exactly: not run, reported with the reason. */
export interface Refusal {
  readonly key: string;
  readonly reason: string;
}

/**
 * The --since / --until window as `YYYY-MM-DDTHH:MM:SS` (UTC, second precision). An event is inside when its
 * eventTime is a CloudTrail timestamp (EVENT_TIME_REGEX) whose first 19 characters compare >= since and < until.
 */
export interface HuntWindow {
  readonly since?: string;
  readonly until?: string;
}

/** CloudTrail's eventTime: ISO 8601 in UTC, optionally with fractions of a second. RE2 and JavaScript read it alike. */
export const EVENT_TIME_REGEX = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$';
