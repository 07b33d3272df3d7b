import { AuditApi } from './api';
import { readAccount } from './live-snapshot';
import { CisControl } from '../../catalog/cis-control';
import { CisPatternSet } from '../../catalog/cis-pattern-set';
import { EvidenceApi, collectAccountEvidence, evidencePeriod } from '../evidence/collector';
import { renderEvidenceHtml } from '../evidence/html';
import { evidenceReport, unreadableAccountEvidence } from '../evidence/model';
import { MonitoringSnapshot } from '../model';
import { Verdict } from '../rule';
import { ControlVerdict, SnapshotVerdict, runRules } from '../runner';

/**
 * The continuous self-audit (issue 20 §3): the construct's scheduled function reads its own account and region
 * through the live adapter (live-snapshot.ts, the one `audit` uses), judges every control with the rule set of
 * issue 18 (runner.ts, the one `check` and `audit` use), and publishes what it found:
 *
 * - CloudWatch metrics of the verdict counts (`PutMetricData`), one of which (`SelfAuditNotPassing`, FAIL + UNKNOWN)
 *   the construct alarms on;
 * - Security Hub CSPM findings in ASFF, one per control, updated in place (`BatchImportFindings`, stable `Id`);
 * - when AWS Config invoked the function as a periodic custom rule, one evaluation of `AWS::::Account`
 *   (`PutEvaluations`);
 * - when a report bucket is configured, the evidence report of `audit --html` (src/verdicts/evidence) for the
 *   account, stored in S3 after everything above was published (`storeEvidenceReport`).
 *
 * Nothing is lost: a control that cannot be judged (a denied call, nothing to check, an exception of the adapter)
 * is UNKNOWN and published as such (Security Hub `WARNING` with the reason; see docs/self-audit.md). A publication
 * that fails is reported (the function then fails, so Lambda's `Errors` metric and the alarm's missing data show it).
 *
 * No import of the AWS SDK here: `SelfAuditSink` is implemented with the SDK in sdk-publisher.ts, and by tests.
 */

/** The ASFF schema version Security Hub CSPM accepts. */
export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** The finding type of every self-audit finding (ASFF `Types` namespace/category/classifier). */
export const ASFF_FINDING_TYPE = 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark';
/** Where the user documentation of the self-audit is (the findings' remediation URL). */
export const SELF_AUDIT_DOCS_URL = 'https://github.com/cdk-cis/cdk-cis-log-monitoring/blob/main/docs/self-audit.md';
/** The metrics published, by verdict (the alarm reads `SelfAuditNotPassing`). */
export const SELF_AUDIT_METRICS = {
  notPassing: 'SelfAuditNotPassing',
  failed: 'SelfAuditFailed',
  unknown: 'SelfAuditUnknown',
  warning: 'SelfAuditWarning',
  passed: 'SelfAuditPassed',
} as const;
/** The dimension of every self-audit metric: the construct's alarm name prefix (unique per account and region). */
export const SELF_AUDIT_DIMENSION = 'AlarmNamePrefix';

/** What the function is configured with (its environment). */
export interface SelfAuditSettings {
  /** The account audited (the function's own). */
  readonly account: string;
  readonly region: string;
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: string;
  readonly patternSet: CisPatternSet;
  /** The built-in controls the construct deploys. */
  readonly controls: CisControl[];
  /** The metric namespace (the construct's `metricNamespace`). */
  readonly namespace: string;
  /** The construct's alarm name prefix: the metrics' dimension and part of each finding's Id. */
  readonly alarmNamePrefix: string;
  readonly securityHub: boolean;
  /** The time of the run (the findings' CreatedAt/UpdatedAt). */
  readonly now: Date;
  /** The bucket the evidence report goes to; none: no report is stored. */
  readonly reportBucket?: string;
  /** The report's key prefix (default `cis-self-audit/`). */
  readonly reportPrefix?: string;
}

/** One metric datum (PutMetricData's shape, only what is used). */
export interface SelfAuditDatum {
  readonly MetricName: string;
  readonly Value: number;
  readonly Unit: 'Count';
  readonly Dimensions: { Name: string; Value: string }[];
  readonly Timestamp: Date;
}

/** A Security Hub finding that was not imported. */
export interface FailedFinding {
  readonly Id?: string;
  readonly ErrorCode?: string;
  readonly ErrorMessage?: string;
}

/** One AWS Config evaluation (PutEvaluations' shape). */
export interface ConfigEvaluation {
  readonly ComplianceResourceType: 'AWS::::Account';
  readonly ComplianceResourceId: string;
  readonly ComplianceType: 'COMPLIANT' | 'NON_COMPLIANT';
  readonly Annotation: string;
  readonly OrderingTimestamp: Date;
}

/** Where the results go: CloudWatch, Security Hub CSPM, AWS Config. */
export interface SelfAuditSink {
  putMetricData(namespace: string, data: SelfAuditDatum[]): Promise<void>;
  /** At most 100 findings a call; answers the findings Security Hub refused. */
  batchImportFindings(findings: AsffFinding[]): Promise<{ failedCount: number; failedFindings: FailedFinding[] }>;
  putEvaluations(resultToken: string, evaluations: ConfigEvaluation[]): Promise<void>;
  /** Stores one HTML page (the evidence report) in the bucket. */
  putReport(bucket: string, key: string, html: string): Promise<void>;
}

/** An AWS Security Finding Format finding, as the self-audit writes it. */
export interface AsffFinding {
  readonly SchemaVersion: string;
  readonly Id: string;
  readonly ProductArn: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Region: string;
  readonly Types: string[];
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly Severity: { Label: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL' };
  readonly Title: string;
  readonly Description: string;
  readonly Remediation: { Recommendation: { Text: string; Url: string } };
  readonly ProductFields: Record<string, string>;
  readonly Compliance: { Status: 'PASSED' | 'WARNING' | 'FAILED'; RelatedRequirements: string[] };
  readonly Resources: { Type: string; Id: string; Partition: string; Region: string }[];
  readonly RecordState: 'ACTIVE';
}

/** One control's result. */
export interface SelfAuditControl {
  readonly id: string;
  readonly key: string;
  readonly title: string;
  readonly verdict: Verdict;
  /** One line: why this verdict. */
  readonly reason: string;
  /** The rule findings of the control's chosen chain: `VERDICT RULE: message` and its fix. */
  readonly findings: { rule: string; verdict: string; message: string; fix: string }[];
}

/** What one run found and published. */
export interface SelfAuditResult {
  readonly account: string;
  readonly region: string;
  readonly controls: SelfAuditControl[];
  readonly counts: Record<Verdict, number>;
  readonly findings: AsffFinding[];
  readonly evaluation?: ConfigEvaluation;
  /** Publications that failed (the handler then fails the invocation). */
  readonly errors: string[];
  /** What the rules judged, when the account could be read (the evidence report shows it). */
  readonly judged?: { readonly snapshot: MonitoringSnapshot; readonly result: SnapshotVerdict };
}

/** The Config rule's invocation, when AWS Config invoked the function (periodic custom rule). */
export interface ConfigInvocation {
  readonly resultToken: string;
  /** `notificationCreationTime` of the scheduled notification (the evaluations' OrderingTimestamp). */
  readonly orderingTimestamp: Date;
}

/** Security Hub CSPM's compliance status for a verdict: UNKNOWN is WARNING (see docs/self-audit.md). */
export const COMPLIANCE_STATUS: Record<Verdict, AsffFinding['Compliance']['Status']> = {
  PASS: 'PASSED', WARNING: 'WARNING', UNKNOWN: 'WARNING', FAIL: 'FAILED',
};
/** The finding's severity for a verdict: a control that cannot be judged is more urgent than an intended deviation. */
export const SEVERITY: Record<Verdict, AsffFinding['Severity']['Label']> = {
  PASS: 'INFORMATIONAL', WARNING: 'LOW', UNKNOWN: 'MEDIUM', FAIL: 'HIGH',
};

/**
 * Reads the account, judges every control and publishes: the findings, the Config evaluation, then `beforeMetrics`
 * (the evidence report: its errors are returned), then the metric. Never throws for what the account answers.
 */
export async function runSelfAudit(
  api: AuditApi, sink: SelfAuditSink, settings: SelfAuditSettings, config?: ConfigInvocation,
  beforeMetrics?: (result: SelfAuditResult) => Promise<string[]>,
): Promise<SelfAuditResult> {
  const { controls, judged } = await judge(api, settings);
  const counts: Record<Verdict, number> = { PASS: 0, WARNING: 0, UNKNOWN: 0, FAIL: 0 };
  for (const c of controls) counts[c.verdict]++;
  const errors: string[] = [];

  const findings = settings.securityHub ? controls.map((c) => asffFinding(c, settings)) : [];
  for (let i = 0; i < findings.length; i += 100) {
    try {
      const out = await sink.batchImportFindings(findings.slice(i, i + 100));
      for (const f of out.failedFindings) errors.push(`securityhub:BatchImportFindings refused ${f.Id}: ${f.ErrorCode}: ${f.ErrorMessage}`);
      if (out.failedCount > out.failedFindings.length) errors.push(`securityhub:BatchImportFindings refused ${out.failedCount} findings`);
    } catch (e) {
      errors.push(`securityhub:BatchImportFindings failed: ${describe(e)}`);
    }
  }

  let evaluation: ConfigEvaluation | undefined;
  if (config) {
    evaluation = configEvaluation(controls, counts, settings.account, config.orderingTimestamp);
    try {
      await sink.putEvaluations(config.resultToken, [evaluation]);
    } catch (e) {
      errors.push(`config:PutEvaluations failed: ${describe(e)}`);
    }
  }
  const result: SelfAuditResult = { account: settings.account, region: settings.region, controls, counts, findings, evaluation, errors, judged };
  if (beforeMetrics) {
    try {
      errors.push(...await beforeMetrics(result));
    } catch (e) {
      errors.push(`the report failed: ${describe(e)}`);
    }
  }

  // The metric last: a publication that failed (a finding Security Hub refused, the evaluation, the report) counts as
  // one more control not passing, so the alarm tells someone instead of only the function's log. A metric that cannot
  // be sent leaves the alarm without data, which it treats as breaching.
  const dimensions = [{ Name: SELF_AUDIT_DIMENSION, Value: settings.alarmNamePrefix || '(none)' }];
  const datum = (name: string, value: number): SelfAuditDatum => ({ MetricName: name, Value: value, Unit: 'Count', Dimensions: dimensions, Timestamp: settings.now });
  try {
    await sink.putMetricData(settings.namespace, [
      datum(SELF_AUDIT_METRICS.notPassing, counts.FAIL + counts.UNKNOWN + (errors.length > 0 ? 1 : 0)),
      datum(SELF_AUDIT_METRICS.failed, counts.FAIL),
      datum(SELF_AUDIT_METRICS.unknown, counts.UNKNOWN),
      datum(SELF_AUDIT_METRICS.warning, counts.WARNING),
      datum(SELF_AUDIT_METRICS.passed, counts.PASS),
    ]);
  } catch (e) {
    errors.push(`cloudwatch:PutMetricData failed: ${describe(e)}`);
  }
  return result;
}

/** The default key prefix of the evidence report. */
export const DEFAULT_REPORT_PREFIX = 'cis-self-audit/';

/** The keys of one run's report: `<prefix><account>/<region>/<yyyy-mm-dd>.html` (the day, UTC) and `.../latest.html`. */
export function reportKeys(settings: SelfAuditSettings): { dated: string; latest: string } {
  const folder = `${settings.reportPrefix ?? DEFAULT_REPORT_PREFIX}${settings.account}/${settings.region}/`;
  return { dated: `${folder}${settings.now.toISOString().slice(0, 10)}.html`, latest: `${folder}latest.html` };
}

/** What `storeEvidenceReport` did. */
export interface StoredReport {
  /** The page (also when storing it failed). */
  readonly html: string;
  /** The keys written. */
  readonly keys: string[];
  /** The writes that failed. */
  readonly errors: string[];
}

/**
 * The evidence report of `audit --html` for the audited account (the same collector, model and page), stored in
 * the report bucket under the dated key and `latest.html`. `runSelfAudit` calls it (as `beforeMetrics`) after the
 * findings: a report that cannot be stored never hides them, and counts in the metric. An account that could not be read gets the page that
 * says so. Undefined when no bucket is configured.
 */
export async function storeEvidenceReport(
  evidenceApi: EvidenceApi, sink: SelfAuditSink, settings: SelfAuditSettings, result: SelfAuditResult,
): Promise<StoredReport | undefined> {
  if (!settings.reportBucket) return undefined;
  const patternSet = settings.patternSet.name;
  const errors: string[] = [];
  let account;
  try {
    account = result.judged
      ? await collectAccountEvidence(
        { account: settings.account, region: settings.region, patternSet, ...result.judged }, evidenceApi, { until: settings.now })
      : unreadableAccountEvidence(settings.account, settings.region, patternSet, result.controls[0]?.reason ?? 'the account could not be read');
  } catch (e) {
    account = unreadableAccountEvidence(settings.account, settings.region, patternSet, `the evidence could not be collected: ${describe(e)}`);
  }
  const html = renderEvidenceHtml(evidenceReport([account], {
    producer: `cdk-cis-log-monitoring self-audit (${settings.alarmNamePrefix || 'no alarm name prefix'})`,
    generatedAt: settings.now,
    ...evidencePeriod({ until: settings.now }),
  }));
  const { dated, latest } = reportKeys(settings);
  const keys: string[] = [];
  for (const key of [dated, latest]) {
    try {
      await sink.putReport(settings.reportBucket, key, html);
      keys.push(key);
    } catch (e) {
      errors.push(`s3:PutObject s3://${settings.reportBucket}/${key} failed: ${describe(e)}`);
    }
  }
  return { html, keys, errors };
}

/** Every control's verdict; UNKNOWN for all when the account cannot be judged at all (never lost, never PASS). */
async function judge(api: AuditApi, settings: SelfAuditSettings): Promise<{ controls: SelfAuditControl[]; judged?: SelfAuditResult['judged'] }> {
  const unknownAll = (reason: string): SelfAuditControl[] => settings.controls.map((control) => ({
    id: control.idIn(settings.patternSet) ?? control.id,
    key: control.key,
    title: control.title,
    verdict: 'UNKNOWN',
    reason,
    findings: [{ rule: 'SELF-AUDIT', verdict: 'UNKNOWN', message: reason, fix: 'Check the function\'s permissions and logs (docs/self-audit.md).' }],
  }));
  try {
    const live = await readAccount(api, settings.region, settings.account);
    const result = runRules(live.snapshot, { patternSet: settings.patternSet, controls: settings.controls });
    const judged = { snapshot: live.snapshot, result };
    if (result.nothingToCheck !== undefined) return { controls: unknownAll(result.nothingToCheck), judged };
    // The CIS controls, then the monitoring-integrity controls (MON.TAMPER, MON.HEARTBEAT) the runner judges beside them.
    const controls = [...result.controls, ...result.integrity].map((v: ControlVerdict): SelfAuditControl => ({
      id: v.id,
      key: v.key,
      title: v.title,
      verdict: v.verdict,
      reason: v.verdict === 'PASS' ? v.reason : worstFinding(v),
      findings: v.findings.map((f) => ({ rule: f.rule, verdict: f.verdict, message: f.message, fix: f.fix })),
    }));
    return { controls, judged };
  } catch (e) {
    return { controls: unknownAll(`the self-audit could not read the account: ${describe(e)}`) };
  }
}

function worstFinding(v: ControlVerdict): string {
  const first = (['FAIL', 'UNKNOWN', 'WARNING'] as const).map((verdict) => v.findings.find((f) => f.verdict === verdict)).find((f) => f !== undefined);
  return first ? `${first.message} [${first.rule}]` : v.reason;
}

/** The ASFF finding of one control: Id stable per account, region, construct (alarm name prefix) and control. */
export function asffFinding(c: SelfAuditControl, s: SelfAuditSettings): AsffFinding {
  const time = s.now.toISOString();
  const fixes = [...new Set(c.findings.filter((f) => f.verdict !== 'PASS').map((f) => f.fix))];
  const details = c.findings.map((f) => `${f.verdict} ${f.rule}: ${f.message}`);
  // The monitoring-integrity controls (MON.*) are this construct's, not the benchmark's.
  const cis = !c.id.startsWith('MON.');
  const description = c.verdict === 'PASS'
    ? `PASS: ${c.reason}`
    : `${c.verdict}: ${c.reason}${details.length > 1 ? `\n${details.join('\n')}` : ''}`;
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: `arn:${s.partition}:cdk-cis-log-monitoring:${s.region}:${s.account}:self-audit/${s.alarmNamePrefix || '(none)'}/${c.key}`,
    ProductArn: `arn:${s.partition}:securityhub:${s.region}:${s.account}:product/${s.account}/default`,
    GeneratorId: `cdk-cis-log-monitoring/${s.patternSet.name}/${c.id}`,
    AwsAccountId: s.account,
    Region: s.region,
    Types: [ASFF_FINDING_TYPE],
    CreatedAt: time,
    UpdatedAt: time,
    Severity: { Label: SEVERITY[c.verdict] },
    Title: clip(cis ? `CIS ${s.patternSet.benchmarkVersion} ${c.id} ${c.title}: monitored and notified` : `${c.id} ${c.title}`, 256),
    Description: clip(description, 1024),
    Remediation: {
      Recommendation: {
        Text: clip(fixes.length > 0 ? fixes.join(' ') : 'Nothing to fix: every link of the chain holds.', 512),
        Url: SELF_AUDIT_DOCS_URL,
      },
    },
    ProductFields: {
      'cdk-cis-log-monitoring/Verdict': c.verdict,
      'cdk-cis-log-monitoring/ControlId': c.id,
      'cdk-cis-log-monitoring/ControlKey': c.key,
      'cdk-cis-log-monitoring/PatternSet': s.patternSet.name,
      'cdk-cis-log-monitoring/Rules': clip([...new Set(c.findings.map((f) => f.rule))].join(' ') || 'all rules hold', 2048),
    },
    Compliance: {
      Status: COMPLIANCE_STATUS[c.verdict],
      RelatedRequirements: cis ? [`CIS AWS Foundations Benchmark ${s.patternSet.benchmarkVersion}/${c.id}`] : [],
    },
    Resources: [{ Type: 'AwsAccount', Id: `AWS::::Account:${s.account}`, Partition: s.partition, Region: s.region }],
    RecordState: 'ACTIVE',
  };
}

/** The account's evaluation: COMPLIANT only when every control PASSes (Config takes no "unknown" from a rule). */
export function configEvaluation(controls: SelfAuditControl[], counts: Record<Verdict, number>, account: string, at: Date): ConfigEvaluation {
  const notPassing = controls.filter((c) => c.verdict !== 'PASS');
  const annotation = notPassing.length === 0
    ? `All ${controls.length} CIS monitoring controls PASS (cdk-cis-log-monitoring self-audit).`
    : `${counts.FAIL} FAIL, ${counts.UNKNOWN} UNKNOWN, ${counts.WARNING} WARNING: ${notPassing.map((c) => `${c.id} ${c.verdict}`).join(', ')}. See Security Hub or the function's log.`;
  return {
    ComplianceResourceType: 'AWS::::Account',
    ComplianceResourceId: account,
    ComplianceType: notPassing.length === 0 ? 'COMPLIANT' : 'NON_COMPLIANT',
    Annotation: clip(annotation, 256),
    OrderingTimestamp: at,
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function describe(e: unknown): string {
  const error = e as { name?: string; message?: string };
  return error && typeof error === 'object' ? `${error.name ?? 'Error'}: ${error.message ?? String(e)}` : String(e);
}
