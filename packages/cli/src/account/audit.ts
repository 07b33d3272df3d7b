import {
  Chain, CisControl, CisPatternSet, ControlContext, ControlVerdict, Finding, KnownPatterns, MonitoringSnapshot, RULES,
  SnapshotIndex, SnapshotVerdict, Trail, isUnknown, runRules, AuditApi, LiveSnapshot, readAccount,
} from 'cdk-cis-log-monitoring/lib/cli-support';
import { patternNotes } from './known-patterns';
import { AuditOptions, AuditReport, AuditStatus, ControlFinding, RuleFindingReport, TrailFinding, worstStatus } from './report';

/**
 * Runs the CIS AWS Foundations Benchmark audit procedure for the monitoring controls (v3.0.0 4.1–4.15, "Audit"
 * steps 1–7) against an account, judged by the same rules as `check` (src/verdicts): the live adapter
 * (src/verdicts/live/live-snapshot.ts in the library, shared with the self-audit function) reads the account into a `MonitoringSnapshot`, the shared runner judges every candidate chain
 * of every control (trail → log group → metric filter → alarm → SNS topic and its key → subscription), and each
 * control's verdict is its best chain's: PASS only when every rule holds on it, WARNING for a deviation a user may
 * intend, FAIL when a CIS event cannot reach a confirmed person, UNKNOWN when a call the rules need failed. Only the
 * caller's identity is needed to report at all.
 */
export async function runCisAudit(api: AuditApi, options: AuditOptions): Promise<AuditReport> {
  return (await judgeAccount(api, options)).report;
}

/** An account's audit with what it was judged on: the live snapshot and the runner's result (for the evidence report). */
export interface JudgedAccount {
  readonly report: AuditReport;
  readonly snapshot: MonitoringSnapshot;
  readonly result: SnapshotVerdict;
}

/** `runCisAudit`, keeping the snapshot and the runner's result. */
export async function judgeAccount(api: AuditApi, options: AuditOptions): Promise<JudgedAccount> {
  const region = options.region;
  const patternSet = options.patternSet ?? CisPatternSet.RECOMMENDED;
  const identity = await api.callerIdentity(region);
  const live = await readAccount(api, region, identity.account);
  const set = patternSet === 'any' ? undefined : patternSet;
  const controls = set ? set.controls() : CisControl.all();
  const result = runRules(live.snapshot, { patternSet: set, controls });

  const findings = controls.map((control, i) => controlFinding(live.snapshot, control, result.controls[i], patternSet));
  const count = (status: AuditStatus): number => findings.filter((f) => f.status === status).length;
  // The monitoring-integrity controls (MON.TAMPER, MON.HEARTBEAT; docs/check.md): own rows, and they change the status
  // only when one FAILs (absent is a WARNING: CIS does not require them).
  const integrity = result.integrity.map((verdict) => controlFinding(live.snapshot, undefined, verdict, patternSet));
  const statuses = findings.map((f) => f.status);
  const audit: AuditReport = {
    account: identity.account,
    callerArn: identity.arn,
    region,
    patternSet: set ? set.name : 'any',
    trails: trailFindings(live, controls, set),
    controls: findings,
    passed: count('PASS'),
    warnings: count('WARNING'),
    failed: count('FAIL'),
    unknown: count('UNKNOWN'),
    status: worstStatus(integrity.some((f) => f.status === 'FAIL') ? [...statuses, 'FAIL'] : statuses),
    integrity,
  };
  return { report: audit, snapshot: live.snapshot, result };
}

function report(f: Finding): RuleFindingReport {
  return { rule: f.rule, verdict: f.verdict, resources: f.resources, message: f.message, fix: f.fix };
}

/** A control's verdict as the audit reports it, with the names of the chain's resources (for `verify` and pipelines). */
function controlFinding(snapshot: MonitoringSnapshot, control: CisControl | undefined, verdict: ControlVerdict, patternSet: CisPatternSet | 'any'): ControlFinding {
  // The chosen chain's resources (the runner's `links`).
  const chain: Chain = verdict.links;
  const { trail, filter, alarm, topic } = chain;
  const logGroupName = typeof chain.logGroupName === 'string' ? chain.logGroupName : undefined;
  const transformation = chain.transformation;
  const known = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const subscriptions = topic ? new SnapshotIndex(snapshot).subscriptionsOf(topic) : [];
  const pattern = known(filter?.pattern);
  const confirmed = subscriptions.filter((s) => s.confirmed === true).length;
  const notes = [
    ...(verdict.verdict === 'PASS' && pattern !== undefined && control !== undefined && !control.isCustom ? patternNotes(KnownPatterns.of(control), patternSet, pattern) : []),
    ...verdict.findings.filter((f) => f.message !== verdict.reason).map((f) => `${f.verdict} ${f.rule}: ${f.message}`),
    ...subscriptions.filter((s) => s.confirmed === false).map((s) => `subscription pending confirmation: ${s.origin.label.replace(/^subscription /, '')}`),
  ];
  return {
    id: verdict.id,
    key: verdict.key,
    title: verdict.title,
    status: verdict.verdict,
    reason: verdict.verdict === 'PASS' && filter && alarm && topic
      ? `filter ${filter.origin.label} → alarm ${alarm.origin.label} → topic ${topic.origin.label} (${plural(confirmed, 'confirmed subscriber')})`
      : verdict.verdict === 'PASS' ? verdict.reason : firstFinding(verdict),
    notes,
    findings: verdict.findings.map(report),
    trail: known(trail?.name),
    logGroupName,
    filterName: known(filter?.name),
    metricName: known(transformation?.metricName),
    metricNamespace: known(transformation?.namespace),
    alarmName: known(alarm?.name),
    topicArn: known(topic?.arn) ?? chain.action,
    confirmedSubscriptions: topic ? confirmed : undefined,
    pendingSubscriptions: topic ? subscriptions.filter((s) => s.confirmed === false).length : undefined,
  };
}

/** The reason of a non-PASS control: its worst finding's message, and the fix. */
function firstFinding(verdict: ControlVerdict): string {
  const order = ['FAIL', 'UNKNOWN', 'WARNING'];
  const first = order.map((v) => verdict.findings.find((f) => f.verdict === v)).find((f) => f !== undefined);
  return first ? `${first.message} [${first.rule}]` : verdict.reason;
}

/**
 * Audit step 1 per trail, by the same rules: the trail rules (link 'trail') on the trail's own chain, for every
 * control (a trail excluding KMS events fails the KMS control only: its worst finding over the controls).
 */
function trailFindings(live: LiveSnapshot, controls: CisControl[], set: CisPatternSet | undefined): TrailFinding[] {
  const index = new SnapshotIndex(live.snapshot);
  const trailRules = RULES.filter((r) => r.link === 'trail');
  if (!live.trailsListed) return []; // every control says why (the trails cannot be listed)
  return live.snapshot.trails.map((trail: Trail, i) => {
    const info = live.trails[i];
    const logGroupName = typeof trail.logGroupName === 'string' ? trail.logGroupName : undefined;
    const chain: Chain = {
      trail,
      logGroupName: trail.logGroupName ?? '',
      logGroup: trail.logGroupKey ? live.snapshot.logGroups.find((g) => g.key === trail.logGroupKey) : undefined,
    };
    const seen = new Set<string>();
    const findings: RuleFindingReport[] = [];
    for (const control of controls) {
      const context: ControlContext = { control, patternSet: set, id: (set ? control.idIn(set) : undefined) ?? control.id };
      for (const rule of trailRules) {
        for (const f of rule.check(index, context, chain)) {
          const key = `${rule.id}|${f.message}`;
          if (seen.has(key)) continue;
          seen.add(key);
          findings.push({ rule: rule.id, verdict: f.verdict, resources: f.resources, message: f.message, fix: f.fix });
        }
      }
    }
    const status = worstStatus(['PASS', ...findings.map((f) => f.verdict)]);
    const group = info?.cloudWatchLogsLogGroupArn?.split(':');
    return {
      name: typeof trail.name === 'string' ? trail.name : trail.origin.label,
      arn: info?.arn ?? trail.key,
      homeRegion: info?.homeRegion || live.snapshot.region as string,
      isMultiRegionTrail: info?.isMultiRegionTrail ?? false,
      logGroupName,
      logGroupRegion: group?.[3],
      logGroupAccount: group?.[4] || undefined,
      logGroupExists: trail.logGroupKey !== undefined ? true : logGroupName !== undefined && group?.[4] === live.snapshot.account ? false : undefined,
      isLogging: typeof trail.isLogging === 'boolean' ? trail.isLogging : undefined,
      allManagementEvents: !findings.some((f) => f.rule === 'CIS-MON-TRAIL-MANAGEMENT-EVENTS') && !isUnknown(trail.eventSelectors)
        && !isUnknown(trail.advancedEventSelectors),
      status,
      reason: findings.length === 0
        ? `multi-region, logging, all management events, delivers to log group '${logGroupName}'`
        : findings.map((f) => `${f.message} [${f.rule}]`).join('; '),
      findings,
    };
  });
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
