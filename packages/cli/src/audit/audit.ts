import { CisControl, CisPatternSet } from 'cdk-cis-log-monitoring/lib/catalog';
import { AuditApi } from './api';
import { CachedReader } from './cached-reader';
import { auditControl } from './control-chain';
import { AuditOptions, AuditReport, ControlFinding } from './report';
import { auditTrails } from './trail-check';

/**
 * Runs the CIS AWS Foundations Benchmark audit procedure for the monitoring controls (v3.0.0
 * 4.1–4.15, "Audit" steps 1–7) against an account.
 *
 * Per control, PASS needs one chain: a multi-region trail that is logging and captures all
 * management events (step 1, trail-check.ts) → a metric filter on the trail's log group with the
 * expected pattern (steps 2–3) → an alarm on the filter's metric, same name and namespace (steps
 * 4–5) → an alarm action to an SNS topic, with actions enabled (step 6) → at least one confirmed
 * subscription (step 7) (control-chain.ts). A FAIL names the first missing link of the chain that
 * got furthest.
 */
export async function runCisAudit(api: AuditApi, options: AuditOptions): Promise<AuditReport> {
  const region = options.region;
  const patternSet = options.patternSet ?? CisPatternSet.RECOMMENDED;
  const reader = new CachedReader(api);
  const identity = await api.callerIdentity(region);

  const trails = await auditTrails(api, region);
  const candidates = trails
    .filter((t) => t.logGroupName !== undefined)
    .sort((a, b) => (a.status === b.status ? 0 : a.status === 'PASS' ? -1 : 1));
  const controls = patternSet === 'any' ? CisControl.all() : patternSet.controls();

  const findings: ControlFinding[] = [];
  for (const control of controls) {
    findings.push(await auditControl(reader, control, patternSet, trails, candidates, region));
  }
  const passed = findings.filter((f) => f.status === 'PASS').length;
  return {
    account: identity.account,
    callerArn: identity.arn,
    region,
    patternSet: patternSet === 'any' ? 'any' : patternSet.name,
    trails,
    controls: findings,
    passed,
    failed: findings.length - passed,
    status: passed === findings.length && findings.length > 0 ? 'PASS' : 'FAIL',
  };
}
