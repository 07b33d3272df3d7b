// The self-audit function (issue 20 §3, docs/self-audit.md): on its schedule (and, when the Config rule is on, on
// AWS Config's periodic invocation) it reads its own account and region through the live adapter that `audit` uses,
// judges every control with the rule set that `check` and `audit` use, and publishes a CloudWatch metric of the
// controls not passing, one Security Hub CSPM finding per control and, for Config, one evaluation of the account.
// With a report bucket, it then stores the evidence report of `audit --html` for the account (docs/self-audit.md).
//
// Bundled at build time by projen (esbuild); the AWS SDK v3 clients come from the Lambda Node.js runtime and are not
// bundled (`--external:@aws-sdk/*`), so the library gains no runtime dependency.
import { CisControl } from '../../catalog/cis-control';
import { CisPatternSet } from '../../catalog/cis-pattern-set';
import { SdkAuditApi } from '../../verdicts/live/sdk-api';
import { SdkEvidenceApi } from '../../verdicts/live/sdk-evidence-api';
import { SdkSelfAuditSink } from '../../verdicts/live/sdk-publisher';
import { ConfigInvocation, SelfAuditResult, SelfAuditSettings, runSelfAudit, storeEvidenceReport } from '../../verdicts/live/self-audit';

/** The function's environment, as the construct sets it (src/construct/self-audit.ts). */
export interface SelfAuditEnvironment {
  readonly PATTERN_SET?: string;
  /** Comma-separated keys of the built-in controls the construct deploys. */
  readonly CONTROLS?: string;
  readonly METRIC_NAMESPACE?: string;
  readonly ALARM_NAME_PREFIX?: string;
  /** `true` to import the findings into Security Hub CSPM. */
  readonly SECURITY_HUB?: string;
  /** The bucket of the evidence report (none: no report). */
  readonly REPORT_BUCKET?: string;
  /** The report's key prefix. */
  readonly REPORT_PREFIX?: string;
  readonly AWS_REGION?: string;
}

/** The settings of one run, from the environment and the function's own ARN (its account and partition). */
export function settingsOf(env: SelfAuditEnvironment, functionArn: string, now: Date): SelfAuditSettings {
  const arn = functionArn.split(':');
  const region = env.AWS_REGION ?? arn[3];
  const patternSet = CisPatternSet.fromName(required(env.PATTERN_SET, 'PATTERN_SET'));
  return {
    account: arn[4],
    partition: arn[1],
    region,
    patternSet,
    controls: required(env.CONTROLS, 'CONTROLS').split(',').filter((k) => k).map((k) => CisControl.fromKey(k)),
    namespace: required(env.METRIC_NAMESPACE, 'METRIC_NAMESPACE'),
    alarmNamePrefix: env.ALARM_NAME_PREFIX ?? '',
    securityHub: env.SECURITY_HUB === 'true',
    now,
    ...(env.REPORT_BUCKET ? { reportBucket: env.REPORT_BUCKET, reportPrefix: env.REPORT_PREFIX ?? '' } : {}),
  };
}

/** The Config rule's invocation in an event, when AWS Config invoked the function (a periodic custom rule). */
export function configInvocationOf(event: unknown, now: Date): ConfigInvocation | undefined {
  const e = event as { resultToken?: string; invokingEvent?: string } | undefined;
  if (!e || typeof e.resultToken !== 'string' || !e.resultToken) return undefined;
  let time: Date = now;
  try {
    const invoking = JSON.parse(e.invokingEvent ?? '{}') as { notificationCreationTime?: string };
    if (invoking.notificationCreationTime) time = new Date(invoking.notificationCreationTime);
  } catch {
    // An unreadable invoking event: the run's time orders the evaluation.
  }
  return { resultToken: e.resultToken, orderingTimestamp: Number.isNaN(time.getTime()) ? now : time };
}

/** Lambda entry point. Fails (after publishing what it could) when a publication failed. */
export async function handler(
  event: unknown, context: { invokedFunctionArn: string },
): Promise<{ counts: SelfAuditResult['counts']; report?: string[] }> {
  const now = new Date();
  const settings = settingsOf(process.env as SelfAuditEnvironment, context.invokedFunctionArn, now);
  // AWS_ENDPOINT_URL (which the SDK reads as well) sends every call elsewhere, e.g. to a local emulator.
  const endpoint = process.env.AWS_ENDPOINT_URL || undefined;
  const api = new SdkAuditApi(endpoint ? { endpoint } : {});
  const sink = new SdkSelfAuditSink(settings.region, endpoint);
  const evidenceApi = new SdkEvidenceApi(settings.region, endpoint ? { endpoint } : {});
  try {
    // The metric, the findings and the evaluation first: the report (after) can never hide them.
    const result = await runSelfAudit(api, sink, settings, configInvocationOf(event, now));
    // One line per control in the function's log: the evidence when Security Hub is off.
    for (const c of result.controls) console.log(JSON.stringify({ control: c.id, key: c.key, verdict: c.verdict, reason: c.reason }));
    console.log(JSON.stringify({ account: result.account, region: result.region, counts: result.counts }));
    const report = await storeEvidenceReport(evidenceApi, sink, settings, result);
    if (report) console.log(JSON.stringify({ report: report.keys.map((k) => `s3://${settings.reportBucket}/${k}`), errors: report.errors }));
    const errors = [...result.errors, ...(report?.errors ?? [])];
    if (errors.length > 0) throw new Error(`self-audit publication failed:\n${errors.join('\n')}`);
    return { counts: result.counts, ...(report ? { report: report.keys } : {}) };
  } finally {
    api.destroy();
    sink.destroy();
    evidenceApi.destroy();
  }
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new Error(`the function's environment lacks ${name} (set by CisLogMonitoring's selfAudit)`);
  return value;
}
