import { CisControl } from '../catalog';

/**
 * Events that should not page people for some controls, with the documented exception behind it.
 *
 * An exclusion never changes the compliance layer: the benchmark's metric filter, metric and alarm stay
 * exactly as without exclusions (audit tools, prowler and Security Hub still find them). For every control
 * it applies to, the construct adds an operational metric filter (the control's pattern AND NOT the
 * exclusions), its own metric and its own alarm, which notifies the people (`operationalEmails`,
 * `operationalSubscriptions`, severity routes).
 *
 * An event is excluded when it matches every criterion given: its `userIdentity.arn` matches one of
 * `principalArns`, and it matches `pattern`.
 */
export interface CisExclusion {
  /**
   * Principals whose events are excluded, compared with the event's `userIdentity.arn`. `*` at the start
   * and/or end is a wildcard, as in filter values, e.g. `arn:aws:sts::111111111111:assumed-role/terraform-apply/*`.
   * Events without `userIdentity.arn` are never excluded by this criterion.
   *
   * @default - any principal (then `pattern` is required)
   */
  readonly principalArns?: string[];

  /**
   * A JSON filter pattern the excluded events match, e.g. `{ $.sourceIPAddress = "config.amazonaws.com" }`.
   * Selector wildcards (`$.a[*]`) are refused: their negation cannot be written as a filter pattern.
   *
   * @default - no pattern criterion (then `principalArns` is required)
   */
  readonly pattern?: string;

  /**
   * The controls the exclusion applies to; each must be deployed by the construct.
   *
   * @default - every deployed control
   */
  readonly controls?: CisControl[];

  /** Why these events are not worth paging anyone for (the exception's justification, shown in the alarm description). */
  readonly reason: string;

  /** Who owns the exception (a team or a person), shown in the alarm description. */
  readonly owner: string;

  /**
   * The last day (UTC) the exclusion applies, as an ISO date `YYYY-MM-DD`. Synth fails after that day, so
   * that an exception is reviewed rather than forgotten.
   */
  readonly expires: string;
}
