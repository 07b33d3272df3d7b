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
import { MemberAccess, MemberSession, OrganizationSelfAuditResult, runOrganizationSelfAudit } from '../../verdicts/live/organization-self-audit';
import { SdkAuditApi } from '../../verdicts/live/sdk-api';
import { RoleAssumer, memberRoleArn } from '../../verdicts/live/sdk-assume-role';
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
  /** Organization mode: comma-separated member account IDs judged besides the function's own. */
  readonly MEMBER_ACCOUNTS?: string;
  /** Organization mode: the role assumed in each member account. */
  readonly MEMBER_ROLE_NAME?: string;
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

/** What Lambda's context gives the handler. */
export interface SelfAuditContext {
  readonly invokedFunctionArn: string;
  getRemainingTimeInMillis?(): number;
}

/** Lambda entry point. Fails (after publishing what it could) when a publication failed. */
export async function handler(
  event: unknown, context: SelfAuditContext,
): Promise<{ counts: SelfAuditResult['counts']; report?: string[] }> {
  const now = new Date();
  const settings = settingsOf(process.env as SelfAuditEnvironment, context.invokedFunctionArn, now);
  // AWS_ENDPOINT_URL (which the SDK reads as well) sends every call elsewhere, e.g. to a local emulator.
  const endpoint = process.env.AWS_ENDPOINT_URL || undefined;
  const members = membersOf(process.env as SelfAuditEnvironment);
  if (members.length > 0) return organizationHandler(event, context, settings, members, endpoint);
  const api = new SdkAuditApi(endpoint ? { endpoint } : {});
  const sink = new SdkSelfAuditSink(settings.region, endpoint);
  const evidenceApi = new SdkEvidenceApi(settings.region, endpoint ? { endpoint } : {});
  try {
    // The findings and the evaluation first, then the report (which can never hide them), then the metric, which
    // counts a failed publication as one more control not passing.
    let report: Awaited<ReturnType<typeof storeEvidenceReport>>;
    const result = await runSelfAudit(api, sink, settings, configInvocationOf(event, now), async (judged) => {
      report = await storeEvidenceReport(evidenceApi, sink, settings, judged);
      if (report) console.log(JSON.stringify({ report: report.keys.map((k) => `s3://${settings.reportBucket}/${k}`), errors: report.errors }));
      return report?.errors ?? [];
    });
    // One line per control in the function's log: the evidence when Security Hub is off.
    for (const c of result.controls) console.log(JSON.stringify({ control: c.id, key: c.key, verdict: c.verdict, reason: c.reason }));
    console.log(JSON.stringify({ account: result.account, region: result.region, counts: result.counts }));
    if (result.errors.length > 0) throw new Error(`self-audit publication failed:\n${result.errors.join('\n')}`);
    return { counts: result.counts, ...(report ? { report: report.keys } : {}) };
  } finally {
    api.destroy();
    sink.destroy();
    evidenceApi.destroy();
  }
}

/** The member accounts of organization mode (none: the function's own account only). */
export function membersOf(env: SelfAuditEnvironment): string[] {
  return (env.MEMBER_ACCOUNTS ?? '').split(',').map((a) => a.trim()).filter((a) => a);
}

/** The member accounts through STS AssumeRole of `roleName`: reads and findings with the role's credentials. */
export function memberAccess(settings: SelfAuditSettings, roleName: string, assumer: RoleAssumer, endpoint?: string): MemberAccess {
  return {
    open: async (account) => {
      const credentials = await assumer.credentialsFor(memberRoleArn(settings.partition, account, roleName));
      const api = new SdkAuditApi({ ...(endpoint ? { endpoint } : {}), credentials });
      const sink = new SdkSelfAuditSink(settings.region, endpoint, credentials);
      const evidenceApi = new SdkEvidenceApi(settings.region, { ...(endpoint ? { endpoint } : {}), credentials });
      return { api, sink, evidenceApi, destroy: () => { api.destroy(); sink.destroy(); evidenceApi.destroy(); } };
    },
  };
}

/**
 * Organization mode (docs/self-audit.md): the own account and each member, the member read and its findings imported
 * with the credentials of the role assumed in it (the runtime SDK's STS), at most 4 accounts at once, each within
 * its time budget and all before the function's timeout.
 */
async function organizationHandler(
  event: unknown, context: SelfAuditContext, settings: SelfAuditSettings, members: string[], endpoint: string | undefined,
): Promise<{ counts: SelfAuditResult['counts']; accounts: Record<string, SelfAuditResult['counts']>; report?: string[] }> {
  const roleName = required(process.env.MEMBER_ROLE_NAME, 'MEMBER_ROLE_NAME');
  const api = new SdkAuditApi(endpoint ? { endpoint } : {});
  const sink = new SdkSelfAuditSink(settings.region, endpoint);
  const assumer = new RoleAssumer(settings.region, endpoint ? { endpoint } : {});
  const access = memberAccess(settings, roleName, assumer, endpoint);
  const evidenceApi = new SdkEvidenceApi(settings.region, endpoint ? { endpoint } : {});
  // With a report bucket, each account's evidence report (read with its session), stored with the function's role.
  const reports: string[] = [];
  const afterAccount = async (a: SelfAuditResult, session?: MemberSession): Promise<string[]> => {
    const report = await storeEvidenceReport(session?.evidenceApi ?? evidenceApi, sink, { ...settings, account: a.account }, a);
    reports.push(...(report?.keys ?? []));
    return report?.errors ?? [];
  };
  // Stop reading accounts 30 seconds before the function's timeout: what is left is UNKNOWN, and published.
  const remaining = context.getRemainingTimeInMillis?.();
  const deadline = remaining === undefined ? undefined : Date.now() + remaining - 30_000;
  let result: OrganizationSelfAuditResult;
  try {
    const config = configInvocationOf(event, settings.now);
    result = await runOrganizationSelfAudit({ api, sink }, access, settings, { members, deadline, afterAccount }, config);
  } finally {
    api.destroy();
    sink.destroy();
    assumer.destroy();
    evidenceApi.destroy();
  }
  for (const a of result.accounts) {
    for (const c of a.controls) console.log(JSON.stringify({ account: a.account, control: c.id, key: c.key, verdict: c.verdict, reason: c.reason }));
    const unreachable = result.unreachable[a.account];
    console.log(JSON.stringify({ account: a.account, region: a.region, counts: a.counts, ...(unreachable ? { unreachable } : {}) }));
  }
  console.log(JSON.stringify({ accounts: result.accounts.length, counts: result.counts }));
  if (reports.length > 0) console.log(JSON.stringify({ report: reports.map((k) => `s3://${settings.reportBucket}/${k}`) }));
  if (result.errors.length > 0) throw new Error(`self-audit publication failed:\n${result.errors.join('\n')}`);
  return {
    counts: result.counts,
    accounts: Object.fromEntries(result.accounts.map((a) => [a.account, a.counts])),
    ...(settings.reportBucket ? { report: reports } : {}),
  };
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new Error(`the function's environment lacks ${name} (set by CisLogMonitoring's selfAudit)`);
  return value;
}
