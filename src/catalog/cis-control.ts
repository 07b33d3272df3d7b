import type { CisPatternSet } from './cis-pattern-set';
import { CisSeverity } from './cis-severity';
import { benchmarkIdsOf, CONTROL_KEYS, CONTROLS, ControlKey, ControlRecord, EDITIONS, idOf, patternOf, PatternText, PRIMARY_EDITION } from './control-records';

// Built-in instances by key, filled while the static members initialise (a static Map would not exist yet).
const BUILT_IN = new Map<string, CisControl>();

/** A user-defined control: your own pattern, monitored like the CIS ones. */
export interface CustomControlOptions {
  /**
   * Your identifier for the control, shown in docs, CLI output and construct IDs
   * (e.g. `ACME.1`). Must be unique among the controls of one `CisLogMonitoring`.
   */
  readonly id: string;

  /** What the control is about, e.g. `Ensure changes to the break-glass role are monitored`. */
  readonly title: string;

  /** The CloudWatch Logs filter pattern (JSON syntax), validated at synth. */
  readonly pattern: string;

  /** The metric the filter publishes (and the filter's name). No `:`, `*` or `$`. */
  readonly metricName: string;

  /**
   * The alarm's name, after the construct's alarm name prefix.
   * @default - the metric name with a trailing `_metric` replaced by `_alarm`, or `<metricName>_alarm`
   */
  readonly alarmName?: string;

  /**
   * How urgently the control's alarm needs a person; selects its `severityRoutes`.
   * @default CisSeverity.HIGH (you wrote the control because you care about these events)
   */
  readonly severity?: CisSeverity;
}

/**
 * One CIS monitoring control: a metric filter plus an alarm on the CloudTrail log group.
 *
 * The fifteen CIS AWS Foundations Benchmark v3.0.0 controls 4.1–4.15 are static instances;
 * `CisControl.custom()` defines your own.
 */
export class CisControl {
  /** 4.1 (v1.2.0 3.1, Security Hub CloudWatch.2): unauthorized API calls. */
  public static readonly UNAUTHORIZED_API_CALLS = CisControl.builtIn('UNAUTHORIZED_API_CALLS');
  /** 4.2 (3.2, CloudWatch.3): management console sign-in without MFA. */
  public static readonly CONSOLE_SIGNIN_WITHOUT_MFA = CisControl.builtIn('CONSOLE_SIGNIN_WITHOUT_MFA');
  /** 4.3 (3.3, CloudWatch.1): usage of the root account. */
  public static readonly ROOT_ACCOUNT_USAGE = CisControl.builtIn('ROOT_ACCOUNT_USAGE');
  /** 4.4 (3.4, CloudWatch.4): IAM policy changes. */
  public static readonly IAM_POLICY_CHANGES = CisControl.builtIn('IAM_POLICY_CHANGES');
  /** 4.5 (3.5, CloudWatch.5): CloudTrail configuration changes. */
  public static readonly CLOUDTRAIL_CONFIG_CHANGES = CisControl.builtIn('CLOUDTRAIL_CONFIG_CHANGES');
  /** 4.6 (3.6, CloudWatch.6): management console authentication failures. */
  public static readonly CONSOLE_AUTH_FAILURES = CisControl.builtIn('CONSOLE_AUTH_FAILURES');
  /** 4.7 (3.7, CloudWatch.7): disabling or scheduled deletion of customer managed keys. */
  public static readonly CMK_DISABLE_OR_DELETION = CisControl.builtIn('CMK_DISABLE_OR_DELETION');
  /** 4.8 (3.8, CloudWatch.8): S3 bucket policy changes. */
  public static readonly S3_BUCKET_POLICY_CHANGES = CisControl.builtIn('S3_BUCKET_POLICY_CHANGES');
  /** 4.9 (3.9, CloudWatch.9): AWS Config configuration changes. */
  public static readonly CONFIG_CHANGES = CisControl.builtIn('CONFIG_CHANGES');
  /** 4.10 (3.10, CloudWatch.10): security group changes. */
  public static readonly SECURITY_GROUP_CHANGES = CisControl.builtIn('SECURITY_GROUP_CHANGES');
  /** 4.11 (3.11, CloudWatch.11): network ACL changes. */
  public static readonly NACL_CHANGES = CisControl.builtIn('NACL_CHANGES');
  /** 4.12 (3.12, CloudWatch.12): network gateway changes. */
  public static readonly NETWORK_GATEWAY_CHANGES = CisControl.builtIn('NETWORK_GATEWAY_CHANGES');
  /** 4.13 (3.13, CloudWatch.13): route table changes. */
  public static readonly ROUTE_TABLE_CHANGES = CisControl.builtIn('ROUTE_TABLE_CHANGES');
  /** 4.14 (3.14, CloudWatch.14): VPC changes. */
  public static readonly VPC_CHANGES = CisControl.builtIn('VPC_CHANGES');
  /** 4.15 (v1.3.0+; no Security Hub control): AWS Organizations changes. */
  public static readonly ORGANIZATIONS_CHANGES = CisControl.builtIn('ORGANIZATIONS_CHANGES');

  /** The fifteen built-in controls in benchmark order (4.1 to 4.15). */
  public static all(): CisControl[] {
    return CONTROL_KEYS.map((key) => CisControl.byKey(key));
  }

  /**
   * The built-in control with this key (e.g. `ROOT_ACCOUNT_USAGE`) or CIS v3.0.0 id (e.g. `4.3`).
   * Throws when there is none.
   */
  public static fromKey(keyOrId: string): CisControl {
    const wanted = keyOrId.trim().toUpperCase();
    const found = CisControl.all().find((control) => control.key === wanted || control.id === wanted);
    if (!found) {
      throw new Error(`Unknown CIS control "${keyOrId}". Use a key such as ROOT_ACCOUNT_USAGE or an id from 4.1 to 4.15.`);
    }
    return found;
  }

  /** Define your own control: a pattern monitored with the same filter, metric and alarm settings. */
  public static custom(options: CustomControlOptions): CisControl {
    const id = options.id?.trim();
    if (!id) throw new Error('CisControl.custom(): `id` must be a non-empty string, e.g. "ACME.1".');
    if (!options.title?.trim()) throw new Error(`CisControl.custom(${id}): \`title\` must be a non-empty string.`);
    if (typeof options.pattern !== 'string') throw new Error(`CisControl.custom(${id}): \`pattern\` must be a string.`);
    if (!options.metricName?.trim()) throw new Error(`CisControl.custom(${id}): \`metricName\` must be a non-empty string.`);
    const alarmName = options.alarmName ?? defaultAlarmName(options.metricName);
    return new CisControl(`CUSTOM:${id}`, id, options.title, options.metricName, alarmName, `Custom${id.replace(/[^A-Za-z0-9]/g, '')}`,
      undefined, `Custom pattern ${id}`, options.pattern, options.severity ?? CisSeverity.HIGH);
  }

  private static builtIn(key: ControlKey): CisControl {
    const record: ControlRecord = CONTROLS[key];
    const control = new CisControl(key, `${EDITIONS[PRIMARY_EDITION].section}.${record.number}`, record.title, record.metricName,
      record.alarmName, record.constructId, record.securityHubId, record.detects, undefined, CisSeverity.fromName(record.severity));
    BUILT_IN.set(key, control);
    return control;
  }

  private static byKey(key: ControlKey): CisControl {
    const control = BUILT_IN.get(key);
    if (!control) throw new Error(`CisControl.${key} is in the catalog but has no static member`);
    return control;
  }

  /**
   * Benchmark ids of a built-in control by benchmark version, e.g.
   * `{ '1.2.0': '3.1', '1.4.0': '4.1', '3.0.0': '4.1', '5.0.0': '4.1', '6.0.0': '5.1', '7.0.0': '5.1' }`.
   * Empty for custom controls.
   */
  public readonly benchmarkIds: Record<string, string>;

  /** How urgently the control's alarm needs a person (defaults: README, "Routing by severity"); selects `severityRoutes`. */
  public readonly severity: CisSeverity;

  /** true for controls made with `CisControl.custom()`. */
  public readonly isCustom: boolean;

  private readonly customPattern?: string;

  /**
   * @param key stable key: the static instance's name, or `CUSTOM:<id>`
   * @param id CIS v3.0.0 id (`4.1` ... `4.15`) or the custom id
   * @param title the control's title
   * @param metricName the metric the filter publishes; also the filter's name
   * @param alarmName the alarm's name after the construct's prefix
   * @param constructId the construct ID of the control's scope in `CisLogMonitoring` (API: never change)
   * @param securityHubId AWS Security Hub control id, when there is one
   * @param detects one line: what the filter detects
   * @param severity how urgently the alarm needs a person
   */
  private constructor(
    public readonly key: string,
    public readonly id: string,
    public readonly title: string,
    public readonly metricName: string,
    public readonly alarmName: string,
    public readonly constructId: string,
    public readonly securityHubId: string | undefined,
    public readonly detects: string,
    customPattern?: string,
    severity: CisSeverity = CisSeverity.HIGH,
  ) {
    this.severity = severity;
    this.isCustom = customPattern !== undefined;
    this.customPattern = customPattern;
    this.benchmarkIds = this.isCustom ? {} : benchmarkIdsOf(key as ControlKey);
  }

  /** Whether the pattern set has a pattern for this control (custom controls: always). */
  public isDefinedIn(patternSet: CisPatternSet): boolean {
    return this.lookup(patternSet, false) !== undefined;
  }

  /**
   * The control's id as the pattern set's source numbers it: `3.1` in v1.2.0, `5.1` in v6.0.0 and
   * v7.0.0, `CloudWatch.2` in the Security Hub set, `4.1` otherwise; the custom id for custom controls; undefined when the
   * set does not have the control (or Security Hub has no control for it).
   */
  public idIn(patternSet: CisPatternSet): string | undefined {
    if (this.isCustom) return this.id;
    return idOf(this.key as ControlKey, patternSet._edition);
  }

  /**
   * The filter pattern for this control in a pattern set.
   *
   * @param patternSet which text of the benchmark
   * @param ssoAwareMfaFilter use the benchmark's SSO-aware variant of the console sign-in without MFA pattern
   * (only that control has one; v1.2.0 has none). Ignored for every other control.
   * @throws when the set has no pattern for this control or no SSO-aware variant
   */
  public patternFor(patternSet: CisPatternSet, ssoAwareMfaFilter?: boolean): string {
    const found = this.lookup(patternSet, ssoAwareMfaFilter ?? false);
    if (found) return found.text;
    if (ssoAwareMfaFilter && this.lookup(patternSet, false)) {
      throw new Error(`${patternSet.name} has no SSO-aware variant of ${this.title} (${this.idIn(patternSet)}); `
        + 'the benchmark introduced it in v1.4.0. Use another pattern set or set ssoAwareMfaFilter to false.');
    }
    throw new Error(`${patternSet.name} has no pattern for "${this.title}" (${this.key}). `
      + 'CIS v1.2.0 has no AWS Organizations control: remove it from `controls` or use another pattern set.');
  }

  /**
   * Why this control's pattern in the set differs from the benchmark's printed text, or
   * undefined when it is the printed text (or a custom pattern).
   */
  public correctionIn(patternSet: CisPatternSet, ssoAwareMfaFilter?: boolean): string | undefined {
    return this.lookup(patternSet, ssoAwareMfaFilter ?? false)?.correction;
  }

  /** The control's key. */
  public toString(): string {
    return this.key;
  }

  private lookup(patternSet: CisPatternSet, ssoAware: boolean): PatternText | undefined {
    if (this.customPattern !== undefined) return { text: this.customPattern };
    // The SSO option only concerns controls that have an SSO-aware variant; the others keep their plain text.
    const record: ControlRecord = CONTROLS[this.key as ControlKey];
    const sso = ssoAware && record.ssoAware !== undefined;
    return patternOf(this.key as ControlKey, patternSet._edition, sso);
  }
}

function defaultAlarmName(metricName: string): string {
  return metricName.endsWith('_metric') ? `${metricName.slice(0, -'_metric'.length)}_alarm` : `${metricName}_alarm`;
}
