import { randomBytes } from 'crypto';
import { AuditApi, AuditApiError } from 'cdk-cis-log-monitoring/lib/cli-support';
import { runCisAudit } from '../../account/audit';
import { AuditPatternSet, AuditStatus, worstStatus } from '../../account/report';
import { AlarmHistoryItemInfo, AlarmStateInfo, VerifyApi } from '../../aws/verify-api';

/** What an alarm action did when the test set the alarm to ALARM, from the alarm's history. */
export interface ActionOutcome {
  /** The action's ARN (an SNS topic, usually). */
  readonly action: string;
  /** `Succeeded` / `Failed` as the history records it; `NoRecord` when nothing was recorded in time. */
  readonly outcome: 'Succeeded' | 'Failed' | 'NoRecord';
  /** The error AWS recorded for a failed action (`CloudWatch Alarms does not have authorization to access the SNS topic encryption key.`). */
  readonly error?: string;
}

/** The subscriptions of one SNS topic among the alarm's actions. */
export interface TopicCheck {
  readonly topicArn: string;
  readonly confirmed: number;
  readonly pending: number;
  /** The topic does not exist, or its subscriptions could not be read (the message says which). */
  readonly problem?: string;
}

/** The delivery test of one alarm. */
export interface AlarmVerification {
  /** The control, when the alarm was found as a control's (the audit's chain). */
  readonly id?: string;
  readonly key?: string;
  readonly alarmName?: string;
  /** PASS: every action succeeded and every topic has a confirmed subscriber. FAIL: something read is wrong. UNKNOWN: could not tell. */
  readonly status: AuditStatus;
  readonly reason: string;
  /** The state before the test, and whether it was set back. */
  readonly previousState?: string;
  readonly restored?: boolean;
  readonly actions: ActionOutcome[];
  readonly topics: TopicCheck[];
}

export interface VerifyReport {
  readonly account: string;
  readonly region: string;
  readonly patternSet: string;
  readonly alarms: AlarmVerification[];
  readonly passed: number;
  readonly failed: number;
  readonly unknown: number;
  /** The worst result (the exit code follows it as in `audit`: 0 PASS, 2 FAIL, 3 UNKNOWN). */
  readonly status: AuditStatus;
}

export interface VerifyOptions {
  readonly region: string;
  /** @default RECOMMENDED */
  readonly patternSet?: AuditPatternSet;
  /** Only these controls (key or id as the pattern set numbers it, any case). @default every control, unless `alarms` is given */
  readonly controls?: readonly string[];
  /** Alarms to test by name, besides (or instead of) the controls' (e.g. the operational alarms of exclusions). */
  readonly alarms?: readonly string[];
  /** How long to wait for each action's record in the alarm history. @default 60 */
  readonly waitSeconds?: number;
  /** Between reads of the history. @default 2000 */
  readonly pollMilliseconds?: number;
  /** Tests replace the clock and the wait. */
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The reason the test writes into the alarm's state; the history's state update carries it back. */
export const TEST_REASON = 'cdk-cis-log-monitoring verify: delivery test (the alarm is set back right after)';
export const RESTORE_REASON = 'cdk-cis-log-monitoring verify: set back to the state before the delivery test';

/** A `--control` value names no control of the set. */
export class UnknownControlError extends Error {}

/**
 * Proof of delivery: for each control's alarm (found by the audit's chain, steps 1–7) and each alarm named, sets the
 * alarm to ALARM with `SetAlarmState`, reads the alarm's history for the outcome of each alarm action ("Failed to
 * execute action" is the silent KMS / topic policy drop), checks that each SNS topic among the actions has a
 * confirmed subscription, and sets the alarm back to the state it had.
 *
 * An alarm already in ALARM is not tested (setting ALARM again is no transition: no action runs); an alarm with its
 * actions disabled or without actions FAILs without being touched.
 */
export async function runVerify(auditApi: AuditApi, api: VerifyApi, options: VerifyOptions): Promise<VerifyReport> {
  const now = options.now ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const region = options.region;
  const waitMs = (options.waitSeconds ?? 60) * 1000;
  const pollMs = options.pollMilliseconds ?? 2000;

  // Unique per run, so that this run's state update is told from an earlier run's in the history.
  const testReason = `${TEST_REASON} [run ${randomBytes(4).toString('hex')}]`;
  const results: AlarmVerification[] = [];
  const targets: Array<{ id?: string; key?: string; alarmName: string }> = [];
  const named = options.alarms ?? [];
  const identity = await auditApi.callerIdentity(region);
  let patternSetName = typeof options.patternSet === 'object' ? options.patternSet.name : options.patternSet ?? 'RECOMMENDED';
  if (named.length === 0 || (options.controls ?? []).length > 0) {
    const audit = await runCisAudit(auditApi, { region, patternSet: options.patternSet });
    patternSetName = audit.patternSet;
    const wanted = (options.controls ?? []).map((c) => c.toUpperCase());
    for (const w of wanted) {
      if (!audit.controls.some((c) => c.key === w || c.id.toUpperCase() === w)) {
        throw new UnknownControlError(`no control "${w}" in ${audit.patternSet}; use a key or id: `
          + audit.controls.map((c) => `${c.id} ${c.key}`).join(', '));
      }
    }
    for (const finding of audit.controls) {
      if (wanted.length > 0 && !wanted.includes(finding.key) && !wanted.includes(finding.id.toUpperCase())) continue;
      if (finding.alarmName) {
        targets.push({ id: finding.id, key: finding.key, alarmName: finding.alarmName });
      } else {
        results.push({
          id: finding.id,
          key: finding.key,
          status: finding.status === 'UNKNOWN' ? 'UNKNOWN' : 'FAIL',
          reason: `no alarm to test: ${finding.reason}`,
          actions: [],
          topics: [],
        });
      }
    }
  }
  for (const alarmName of named) if (!targets.some((t) => t.alarmName === alarmName)) targets.push({ alarmName });

  // Read each alarm; only those that can show a delivery are set to ALARM.
  const tests: Array<{ target: typeof targets[number]; alarm: AlarmStateInfo; since: Date }> = [];
  for (const target of targets) {
    const base = { ...target, actions: [], topics: [] };
    let alarm: AlarmStateInfo | undefined;
    try {
      alarm = await api.describeAlarm(region, target.alarmName);
    } catch (e) {
      results.push({ ...base, status: 'UNKNOWN', reason: `cannot read alarm '${target.alarmName}': ${errorText(e)}` });
      continue;
    }
    if (!alarm) {
      results.push({ ...base, status: 'FAIL', reason: `alarm '${target.alarmName}' does not exist in ${region}` });
    } else if (!alarm.actionsEnabled) {
      results.push({ ...base, status: 'FAIL', previousState: alarm.stateValue, reason: `alarm '${alarm.alarmName}' has its actions disabled: ALARM would notify no one (not tested)` });
    } else if (alarm.alarmActions.length === 0) {
      results.push({ ...base, status: 'FAIL', previousState: alarm.stateValue, reason: `alarm '${alarm.alarmName}' has no alarm action: ALARM would notify no one (not tested)` });
    } else if (alarm.stateValue === 'ALARM') {
      results.push({
        ...base,
        status: 'UNKNOWN',
        previousState: alarm.stateValue,
        reason: `alarm '${alarm.alarmName}' is in ALARM already (setting ALARM again runs no action): not tested; its history shows the last delivery`,
      });
    } else {
      tests.push({ target, alarm, since: now() });
    }
  }

  // Set ALARM, then read the history until every action has a record or the wait is over; always set the state back.
  const setErrors = new Map<string, string>();
  const restoreErrors = new Map<string, string>();
  const outcomes = new Map<string, ActionOutcome[]>();
  const historyErrors = new Map<string, string>();
  try {
    for (const test of tests) {
      try {
        await api.setAlarmState(region, test.alarm.alarmName, 'ALARM', testReason);
      } catch (e) {
        setErrors.set(test.alarm.alarmName, errorText(e));
      }
    }
    const deadline = now().getTime() + waitMs;
    let pending = tests.filter((t) => !setErrors.has(t.alarm.alarmName));
    while (pending.length > 0) {
      for (const test of pending) {
        try {
          // From a minute before (clocks differ); the test's own state update anchors what counts.
          const items = await api.describeAlarmHistory(region, test.alarm.alarmName, new Date(test.since.getTime() - 60_000));
          outcomes.set(test.alarm.alarmName, judgeHistory(items, test.alarm.alarmActions, test.since, testReason));
          historyErrors.delete(test.alarm.alarmName);
        } catch (e) {
          historyErrors.set(test.alarm.alarmName, errorText(e));
        }
      }
      pending = pending.filter((t) => !historyErrors.has(t.alarm.alarmName)
        && (outcomes.get(t.alarm.alarmName) ?? []).some((o) => o.outcome === 'NoRecord'));
      if (pending.length === 0 || now().getTime() >= deadline) break;
      await sleep(pollMs);
    }
  } finally {
    for (const test of tests) {
      if (setErrors.has(test.alarm.alarmName)) continue;
      try {
        await api.setAlarmState(region, test.alarm.alarmName, test.alarm.stateValue, RESTORE_REASON);
      } catch (e) {
        restoreErrors.set(test.alarm.alarmName, errorText(e));
      }
    }
  }

  for (const test of tests) {
    const name = test.alarm.alarmName;
    const topics = await checkTopics(api, test.alarm.alarmActions.filter(isSnsTopicArn));
    const actions = outcomes.get(name) ?? [];
    const restored = !setErrors.has(name) && !restoreErrors.has(name);
    const base = { ...test.target, previousState: test.alarm.stateValue, restored: setErrors.has(name) ? undefined : restored, actions, topics };
    const verdict = judge(test.alarm, waitMs, setErrors.get(name), historyErrors.get(name), actions, topics);
    if (restoreErrors.has(name)) {
      // The alarm stays in ALARM until CloudWatch re-evaluates it: say so, and never call that a PASS.
      verdict.reason += `; could not set it back to ${test.alarm.stateValue} (CloudWatch re-evaluates it at its next period): `
        + restoreErrors.get(name);
      if (verdict.status === 'PASS') verdict.status = 'UNKNOWN';
    }
    results.push({ ...base, ...verdict });
  }

  const order = new Map(targets.map((t, i) => [t.alarmName, i]));
  results.sort((a, b) => (order.get(a.alarmName ?? '') ?? -1) - (order.get(b.alarmName ?? '') ?? -1));
  const count = (status: AuditStatus) => results.filter((r) => r.status === status).length;
  return {
    account: identity.account,
    region,
    patternSet: patternSetName,
    alarms: results,
    passed: count('PASS'),
    failed: count('FAIL'),
    unknown: count('UNKNOWN'),
    status: worstStatus(results.map((r) => r.status)),
  };
}

function judge(
  alarm: AlarmStateInfo, waitMs: number, setError: string | undefined, historyError: string | undefined,
  actions: ActionOutcome[], topics: TopicCheck[],
): { status: AuditStatus; reason: string } {
  const name = `alarm '${alarm.alarmName}'`;
  if (setError) return { status: 'UNKNOWN', reason: `cannot set ${name} to ALARM: ${setError}` };
  const failed = actions.filter((a) => a.outcome === 'Failed');
  if (failed.length > 0) {
    return { status: 'FAIL', reason: `${name}: ${failed.map((a) => `action ${a.action} failed: ${a.error ?? 'no error recorded'}`).join('; ')}` };
  }
  const unconfirmed = topics.filter((t) => t.problem === undefined && t.confirmed === 0);
  const missing = topics.filter((t) => t.problem !== undefined && /does not exist/.test(t.problem));
  if (missing.length > 0) return { status: 'FAIL', reason: `${name}: ${missing.map((t) => t.problem).join('; ')}` };
  if (unconfirmed.length > 0) {
    return {
      status: 'FAIL',
      reason: `${name}: ${unconfirmed.map((t) => `topic ${t.topicArn} has no confirmed subscriber (${t.pending} pending confirmation)`).join('; ')}`,
    };
  }
  if (historyError) return { status: 'UNKNOWN', reason: `${name} was set to ALARM, but its history cannot be read: ${historyError}` };
  const silent = actions.filter((a) => a.outcome === 'NoRecord');
  if (silent.length > 0) {
    return { status: 'UNKNOWN', reason: `${name}: no record of ${silent.map((a) => `action ${a.action}`).join(', ')} within ${waitMs / 1000} s` };
  }
  const unreadable = topics.filter((t) => t.problem !== undefined);
  if (unreadable.length > 0) return { status: 'UNKNOWN', reason: `${name}: ${unreadable.map((t) => t.problem).join('; ')}` };
  const confirmed = topics.reduce((n, t) => n + t.confirmed, 0);
  return {
    status: 'PASS',
    reason: `${name} → ${actions.length === 1 ? 'its action' : `all ${actions.length} actions`} succeeded`
      + (topics.length > 0 ? ` (${confirmed} confirmed subscriber${confirmed === 1 ? '' : 's'})` : ''),
  };
}

/**
 * The outcome of each alarm action after the test's transition, from the alarm's history (AWS's shapes: an `Action`
 * item per action, `HistoryData` `{"actionState":"Succeeded"|"Failed","notificationResource":"arn:…","error":"…"}`,
 * `HistorySummary` `Successfully executed action arn:…` or `Failed to execute action arn:…. Received error: "…"`).
 * Only items at or after the test's own state update count (found by its reason, unique per run; else from `since`,
 * 5 s of clock difference allowed), so that an earlier delivery, or an earlier run's, is never taken for this one.
 */
export function judgeHistory(items: AlarmHistoryItemInfo[], alarmActions: string[], since: Date, testReason: string): ActionOutcome[] {
  const ours = items.find((i) => i.historyItemType === 'StateUpdate' && parseJson(i.historyData)?.newState?.stateReason === testReason);
  const from = ours ? ours.timestamp.getTime() : since.getTime() - 5_000;
  const records = items
    .filter((i) => i.historyItemType === 'Action' && i.timestamp.getTime() >= from)
    .map(actionRecord)
    .filter((r): r is { resource: string; state: 'Succeeded' | 'Failed'; error?: string } => r !== undefined);
  return alarmActions.map((action) => {
    const record = records.find((r) => r.resource === action);
    return record
      ? { action, outcome: record.state, ...(record.error !== undefined ? { error: record.error } : {}) }
      : { action, outcome: 'NoRecord' };
  });
}

function actionRecord(item: AlarmHistoryItemInfo): { resource: string; state: 'Succeeded' | 'Failed'; error?: string } | undefined {
  const data = parseJson(item.historyData) ?? {};
  const summary = /^(Successfully executed|Failed to execute) action (arn:\S+?)(?:\.\s+Received error: "?(.*?)"?)?\.?$/s.exec(item.historySummary.trim());
  const resource: string | undefined = typeof data.notificationResource === 'string' ? data.notificationResource : summary?.[2];
  const state = data.actionState === 'Succeeded' || data.actionState === 'Failed' ? data.actionState
    : summary ? (summary[1].startsWith('Failed') ? 'Failed' : 'Succeeded') : undefined;
  if (!resource || !state) return undefined;
  const error = typeof data.error === 'string' ? data.error : summary?.[3];
  return { resource, state, ...(state === 'Failed' && error ? { error } : {}) };
}

async function checkTopics(api: VerifyApi, topicArns: string[]): Promise<TopicCheck[]> {
  const checks: TopicCheck[] = [];
  for (const topicArn of topicArns) {
    try {
      const subscriptions = await api.listSubscriptionsByTopic(topicArn.split(':')[3], topicArn);
      if (subscriptions === undefined) {
        checks.push({ topicArn, confirmed: 0, pending: 0, problem: `topic ${topicArn} does not exist` });
        continue;
      }
      checks.push({
        topicArn,
        confirmed: subscriptions.filter((s) => s.subscriptionArn.startsWith('arn:')).length,
        pending: subscriptions.filter((s) => /^pending\s*confirmation$/i.test(s.subscriptionArn)).length,
      });
    } catch (e) {
      checks.push({ topicArn, confirmed: 0, pending: 0, problem: `the subscriptions of topic ${topicArn} cannot be read: ${errorText(e)}` });
    }
  }
  return checks;
}

function isSnsTopicArn(arn: string): boolean {
  return /^arn:aws[a-z-]*:sns:[^:]+:\d+:[^:]+$/.test(arn);
}

function parseJson(text: string | undefined): any {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The failed call's message (its first line: the SDK appends hints on further lines). */
function errorText(e: unknown): string {
  if (e instanceof AuditApiError) return e.message.split('\n')[0];
  throw e;
}
