import { CisControl, CisPatternSet } from 'cdk-cis-log-monitoring/lib/cli-support';
import { AuditApi, AuditApiError } from './api';
import { CachedReader } from './cached-reader';
import { auditControl } from './control-chain';
import { AuditOptions, AuditReport, ControlFinding, TrailFinding, worstStatus } from './report';
import { auditTrails, isReadableHere } from './trail-check';

/**
 * Runs the CIS AWS Foundations Benchmark audit procedure for the monitoring controls (v3.0.0
 * 4.1–4.15, "Audit" steps 1–7) against an account.
 *
 * Per control, PASS needs one chain: a multi-region trail that is logging and captures all
 * management events (step 1, trail-check.ts) → a metric filter on the trail's log group with the
 * expected pattern (steps 2–3) → an alarm on the filter's metric, same name and namespace (steps
 * 4–5) → an alarm action to an SNS topic, with actions enabled (step 6) → at least one confirmed
 * subscription (step 7) (control-chain.ts). A FAIL names the first missing link of the chain that
 * got furthest. A link that cannot be read (an API call fails) makes the control UNKNOWN, with the
 * call in the reason, unless another chain passes or something read already fails it; only the
 * caller's identity is needed to report at all.
 */
export async function runCisAudit(api: AuditApi, options: AuditOptions): Promise<AuditReport> {
  const region = options.region;
  const patternSet = options.patternSet ?? CisPatternSet.RECOMMENDED;
  const reader = new CachedReader(api);
  const identity = await api.callerIdentity(region);

  const controls = patternSet === 'any' ? CisControl.all() : patternSet.controls();
  let trails: TrailFinding[] = [];
  let unlisted: string | undefined;
  try {
    trails = await auditTrails(api, region, identity.account);
  } catch (e) {
    if (!(e instanceof AuditApiError)) throw e;
    unlisted = `cannot list the trails: ${e.message}`;
  }
  const rank = { PASS: 0, UNKNOWN: 1, FAIL: 2 };
  const candidates = trails.filter((t) => isReadableHere(t, identity.account)).sort((a, b) => rank[a.status] - rank[b.status]);

  const findings: ControlFinding[] = [];
  for (const control of controls) {
    findings.push(unlisted !== undefined
      ? { id: (patternSet === 'any' ? control.id : control.idIn(patternSet)) ?? control.id, key: control.key, title: control.title, status: 'UNKNOWN', reason: unlisted, notes: [] }
      : await auditControl(reader, control, patternSet, trails, candidates, region));
  }
  const count = (status: string): number => findings.filter((f) => f.status === status).length;
  return {
    account: identity.account,
    callerArn: identity.arn,
    region,
    patternSet: patternSet === 'any' ? 'any' : patternSet.name,
    trails,
    controls: findings,
    passed: count('PASS'),
    failed: count('FAIL'),
    unknown: count('UNKNOWN'),
    status: worstStatus(findings.map((f) => f.status)),
  };
}
