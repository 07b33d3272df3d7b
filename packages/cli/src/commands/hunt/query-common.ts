/** One control as the SQL targets see it: its key and the exact pattern text replay would evaluate. */
export interface HuntControl {
  readonly key: string;
  readonly pattern: string;
}
