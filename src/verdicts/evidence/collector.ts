import {
  AccountEvidence, HeartbeatAlarm, HeartbeatEvidence, TamperEvent, TamperEvidence, controlEvidence, countVerdicts, integrityEvidence,
} from './model';
import {
  HEARTBEAT_ALARM_NAME, HEARTBEAT_DIMENSION, HEARTBEAT_METRIC_NAME, HEARTBEAT_NAMESPACE, TAMPER_ALARM_NAME, tamperPatterns,
} from '../../catalog/tamper-control';
import { LogFilterPattern } from '../../engine/log-filter-pattern';
import { MonitoringSnapshot, isUnknown } from '../model';
import { SnapshotVerdict } from '../runner';

/**
 * Reads what the evidence report shows besides the verdicts: per trail log group, the delivery heartbeat's last
 * delivery (`AWS/Logs IncomingLogEvents`) and its alarm, and the tamper events of the period (the tamper control's
 * own patterns, from tamper-patterns.ts, in the trail log group). Through `EvidenceApi`, three calls with the AWS
 * SDK's request and response shapes: the CLI implements it with its SDK clients, the self-audit function with the
 * runtime's SDK (`(input) => client.send(new GetMetricDataCommand(input))`, and so on).
 *
 * Bounded: a look-back for the heartbeat, a period for the tamper events, a page limit per call and a maximum of
 * events listed (the rest counted). A call that fails becomes an entry that says what could not be read.
 */

/** A CloudWatch dimension (SDK shape). */
export interface EvidenceDimension {
  readonly Name: string | undefined;
  readonly Value: string | undefined;
}

/** `cloudwatch:GetMetricData` request (the subset used; SDK shape). */
export interface EvidenceGetMetricDataInput {
  MetricDataQueries: {
    Id: string;
    MetricStat: { Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] }; Period: number; Stat: string };
    ReturnData: boolean;
  }[];
  StartTime: Date;
  EndTime: Date;
  ScanBy: 'TimestampDescending';
  MaxDatapoints: number;
  NextToken?: string;
}

/** `cloudwatch:GetMetricData` response (the subset read; SDK shape). */
export interface EvidenceGetMetricDataOutput {
  readonly MetricDataResults?: { readonly Id?: string; readonly Timestamps?: Date[]; readonly Values?: number[]; readonly StatusCode?: string }[];
  readonly NextToken?: string;
}

/** `logs:FilterLogEvents` request (SDK shape). */
export interface EvidenceFilterLogEventsInput {
  logGroupName: string;
  filterPattern: string;
  startTime: number;
  endTime: number;
  limit: number;
  nextToken?: string;
}

/** `logs:FilterLogEvents` response (SDK shape). */
export interface EvidenceFilterLogEventsOutput {
  readonly events?: { readonly timestamp?: number; readonly message?: string; readonly eventId?: string }[];
  readonly nextToken?: string;
}

/** A metric as DescribeAlarms returns it in a query (SDK shape). */
export interface EvidenceMetric {
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly Dimensions?: EvidenceDimension[];
}

/** `cloudwatch:DescribeAlarms` request (SDK shape). */
export interface EvidenceDescribeAlarmsInput {
  AlarmTypes: 'MetricAlarm'[];
  MaxRecords: number;
  NextToken?: string;
}

/** `cloudwatch:DescribeAlarms` response (the subset read; SDK shape). */
export interface EvidenceDescribeAlarmsOutput {
  readonly MetricAlarms?: {
    readonly AlarmName?: string;
    readonly StateValue?: string;
    readonly StateUpdatedTimestamp?: Date;
    readonly ActionsEnabled?: boolean;
    readonly Namespace?: string;
    readonly MetricName?: string;
    readonly Dimensions?: EvidenceDimension[];
    readonly Metrics?: { readonly MetricStat?: { readonly Metric?: EvidenceMetric } }[];
  }[];
  readonly NextToken?: string;
}

/** The three read-only calls the evidence needs (IAM: cloudwatch:GetMetricData, logs:FilterLogEvents, cloudwatch:DescribeAlarms). */
export interface EvidenceApi {
  getMetricData(input: EvidenceGetMetricDataInput): Promise<EvidenceGetMetricDataOutput>;
  filterLogEvents(input: EvidenceFilterLogEventsInput): Promise<EvidenceFilterLogEventsOutput>;
  describeAlarms(input: EvidenceDescribeAlarmsInput): Promise<EvidenceDescribeAlarmsOutput>;
}

/** Bounds and period of the collection. */
export interface EvidenceOptions {
  /** The end of the period (default: now). */
  readonly until?: Date;
  /** The tamper period, in hours before `until` (default 24: the self-audit's daily run). */
  readonly periodHours?: number;
  /** How far back the heartbeat's last delivery is looked for, in hours (default 14 days). */
  readonly heartbeatLookbackHours?: number;
  /** Tamper events listed per log group (default 50); the rest are counted. */
  readonly maxEvents?: number;
  /** Pages read per call (default 10): FilterLogEvents per pattern, DescribeAlarms, GetMetricData. */
  readonly maxPages?: number;
}

export const EVIDENCE_DEFAULTS = { periodHours: 24, heartbeatLookbackHours: 14 * 24, maxEvents: 50, maxPages: 10 } as const;

/** The period an options object means. */
export function evidencePeriod(options: EvidenceOptions = {}): { since: Date; until: Date } {
  const until = options.until ?? new Date();
  return { since: new Date(until.getTime() - (options.periodHours ?? EVIDENCE_DEFAULTS.periodHours) * 3_600_000), until };
}

/** One account's result, as the runner gave it. */
export interface AccountVerdictInput {
  readonly account: string;
  readonly name?: string;
  readonly region: string;
  /** The pattern set's name, or `any`. */
  readonly patternSet: string;
  readonly snapshot: MonitoringSnapshot;
  readonly result: SnapshotVerdict;
}

/** The evidence of one account: the runner's verdicts plus the heartbeat and tamper events read through `api`. */
export async function collectAccountEvidence(input: AccountVerdictInput, api: EvidenceApi, options: EvidenceOptions = {}): Promise<AccountEvidence> {
  const { snapshot, result } = input;
  const controls = controlEvidence(snapshot, result);
  const { groups, elsewhere } = trailLogGroups(input);
  const notes = [...(result.nothingToCheck ? [result.nothingToCheck] : []), ...result.unseen];
  let heartbeatNote: string | undefined;
  if (groups.length === 0) {
    heartbeatNote = elsewhere.length > 0
      ? `the trail's log group ${elsewhere.map((e) => `'${e.name}' is in account ${e.account}`).join(', ')}: its heartbeat and tamper events are read there`
      : 'no trail delivering to a log group of this account was found: there is no delivery heartbeat to read and no log to search for tamper events';
  }
  const heartbeat: HeartbeatEvidence[] = [];
  const tamper: TamperEvidence[] = [];
  if (groups.length > 0) {
    const alarms = await heartbeatAlarms(api, options);
    for (const group of groups) {
      const own = alarms.error === undefined ? alarms.list.filter((a) => a.logGroup === group.name) : [];
      heartbeat.push({
        ...await lastDelivery(api, group.name, options),
        alarms: own.map((a) => a.alarm),
        alarmError: alarms.error,
      });
      // The construct names its alarms <prefix><name>: the heartbeat and tamper alarms' names give the prefix the
      // tamper patterns are scoped to. Without one prefix, every alarm (a wider search: it may list more, never fewer).
      const prefixes = new Set([
        ...own.map((a) => a.alarm.name).filter((n) => n.endsWith(HEARTBEAT_ALARM_NAME)).map((n) => n.slice(0, -HEARTBEAT_ALARM_NAME.length)),
        ...snapshot.alarms.map((a) => a.name).filter((n): n is string => typeof n === 'string' && n.endsWith(TAMPER_ALARM_NAME))
          .map((n) => n.slice(0, -TAMPER_ALARM_NAME.length)),
      ]);
      tamper.push(await tamperEvents(api, group.name, prefixes.size === 1 ? [...prefixes][0] : '', group.deliveryRoleName, options));
    }
  }
  return {
    account: input.account,
    name: input.name,
    region: input.region,
    patternSet: input.patternSet,
    verdict: result.verdict,
    counts: countVerdicts(controls.map((c) => c.verdict)),
    controls,
    integrity: integrityEvidence(snapshot, result),
    heartbeat,
    tamper,
    heartbeatNote,
    notes,
  };
}

interface TrailGroup { readonly name: string; readonly deliveryRoleName?: string }

/** The trail log groups of the account (those in another account are named, not read). */
function trailLogGroups(input: AccountVerdictInput): { groups: TrailGroup[]; elsewhere: { name: string; account: string }[] } {
  const groups = new Map<string, TrailGroup>();
  const elsewhere: { name: string; account: string }[] = [];
  for (const trail of input.snapshot.trails) {
    const name = trail.logGroupName;
    if (name === undefined || isUnknown(name)) continue;
    const account = trail.logGroupAccount;
    if (typeof account === 'string' && account !== input.account) {
      elsewhere.push({ name, account });
      continue;
    }
    const role = typeof trail.cloudWatchLogsRoleArn === 'string' ? trail.cloudWatchLogsRoleArn.split(':role/')[1]?.split('/').pop() : undefined;
    if (!groups.has(name) || (role && !groups.get(name)!.deliveryRoleName)) groups.set(name, { name, deliveryRoleName: role });
  }
  // A log group judged without its trail (the trail lives elsewhere, e.g. an organization trail, but the group is here).
  for (const control of input.result.controls) {
    const name = control.links.logGroupName;
    if (control.links.trail === undefined && typeof name === 'string' && !groups.has(name)) groups.set(name, { name });
  }
  return { groups: [...groups.values()], elsewhere };
}

function message(e: unknown): string {
  const err = e as { name?: string; message?: string };
  const text = err?.message ?? String(e);
  return err?.name && err.name !== 'Error' && !text.startsWith(err.name) ? `${err.name}: ${text}` : text;
}

function hours(options: EvidenceOptions, key: 'heartbeatLookbackHours'): number {
  return options[key] ?? EVIDENCE_DEFAULTS[key];
}

/** The latest 5-minute period with events delivered to the group, within the look-back. */
async function lastDelivery(api: EvidenceApi, logGroup: string, options: EvidenceOptions): Promise<Omit<HeartbeatEvidence, 'alarms' | 'alarmError'>> {
  const until = options.until ?? new Date();
  const since = new Date(until.getTime() - hours(options, 'heartbeatLookbackHours') * 3_600_000);
  const base = { logGroup, since: since.toISOString() };
  let latest: { at: Date; events: number } | undefined;
  let nextToken: string | undefined;
  try {
    for (let page = 0; page < (options.maxPages ?? EVIDENCE_DEFAULTS.maxPages); page++) {
      const out = await api.getMetricData({
        MetricDataQueries: [{
          Id: 'incoming',
          MetricStat: {
            Metric: {
              Namespace: HEARTBEAT_NAMESPACE,
              MetricName: HEARTBEAT_METRIC_NAME,
              Dimensions: [{ Name: HEARTBEAT_DIMENSION, Value: logGroup }],
            },
            Period: 300,
            Stat: 'Sum',
          },
          ReturnData: true,
        }],
        StartTime: since,
        EndTime: until,
        ScanBy: 'TimestampDescending',
        MaxDatapoints: 500,
        NextToken: nextToken,
      });
      const series = (out.MetricDataResults ?? []).find((r) => r.Id === 'incoming');
      if (!series) return { ...base, deliveryError: 'GetMetricData returned no result for the query' };
      if (series.StatusCode !== undefined && series.StatusCode !== 'Complete' && series.StatusCode !== 'PartialData') {
        return { ...base, deliveryError: `GetMetricData: status ${series.StatusCode}` };
      }
      const times = series.Timestamps ?? [];
      const values = series.Values ?? [];
      times.forEach((t, i) => {
        const at = new Date(t);
        if ((values[i] ?? 0) > 0 && (!latest || at > latest.at)) latest = { at, events: values[i] };
      });
      nextToken = out.NextToken;
      // Descending: the first page holds the latest datapoint; read on only while none was found.
      if (!nextToken || latest) break;
    }
  } catch (e) {
    return { ...base, deliveryError: `GetMetricData (AWS/Logs IncomingLogEvents, ${logGroup}): ${message(e)}` };
  }
  if (!latest && nextToken) {
    return { ...base, deliveryError: `GetMetricData: no delivery in the first ${options.maxPages ?? EVIDENCE_DEFAULTS.maxPages} pages and more remain` };
  }
  return latest ? { ...base, lastDelivery: latest.at.toISOString(), lastDeliveryEvents: latest.events } : base;
}

/** The alarms on `AWS/Logs IncomingLogEvents` of a log group (single metric or a query's MetricStat), every group's. */
interface GroupAlarm { readonly logGroup: string; readonly alarm: HeartbeatAlarm }

async function heartbeatAlarms(api: EvidenceApi, options: EvidenceOptions): Promise<{ list: GroupAlarm[]; error?: string }> {
  const list: GroupAlarm[] = [];
  let nextToken: string | undefined;
  const maxPages = options.maxPages ?? EVIDENCE_DEFAULTS.maxPages;
  try {
    for (let page = 0; page < maxPages; page++) {
      const out = await api.describeAlarms({ AlarmTypes: ['MetricAlarm'], MaxRecords: 100, NextToken: nextToken });
      for (const a of out.MetricAlarms ?? []) {
        const metrics = [
          { Namespace: a.Namespace, MetricName: a.MetricName, Dimensions: a.Dimensions },
          ...(a.Metrics ?? []).map((m) => m.MetricStat?.Metric ?? {}),
        ];
        const groups = new Set(metrics.filter((m) => m.Namespace === HEARTBEAT_NAMESPACE && m.MetricName === HEARTBEAT_METRIC_NAME)
          .flatMap((m) => (m.Dimensions ?? []).filter((d) => d.Name === HEARTBEAT_DIMENSION && d.Value !== undefined).map((d) => d.Value as string)));
        for (const logGroup of groups) {
          list.push({
            logGroup,
            alarm: {
              name: a.AlarmName ?? '(unnamed)',
              state: a.StateValue ?? 'unknown',
              stateUpdated: a.StateUpdatedTimestamp ? new Date(a.StateUpdatedTimestamp).toISOString() : undefined,
              actionsEnabled: a.ActionsEnabled,
            },
          });
        }
      }
      nextToken = out.NextToken;
      if (!nextToken) return { list };
    }
    return { list, error: `DescribeAlarms: more than ${maxPages * 100} alarms, not all read` };
  } catch (e) {
    return { list: [], error: `DescribeAlarms: ${message(e)}` };
  }
}

/** The tamper control's events of the period in a log group, newest first. */
async function tamperEvents(
  api: EvidenceApi, logGroup: string, alarmNamePrefix: string, deliveryRoleName: string | undefined, options: EvidenceOptions,
): Promise<TamperEvidence> {
  const { since, until } = evidencePeriod(options);
  const maxPages = options.maxPages ?? EVIDENCE_DEFAULTS.maxPages;
  const maxEvents = options.maxEvents ?? EVIDENCE_DEFAULTS.maxEvents;
  const patterns = tamperPatterns({ alarmNamePrefix, logGroupName: logGroup, deliveryRoleName });
  const found = new Map<string, TamperEvent & { sortKey: number }>();
  const errors: string[] = [];
  let truncated = false;
  for (const [service, pattern] of patterns) {
    // CloudWatch Logs applies the pattern; the engine checks it again, so an endpoint that does not evaluate
    // patterns (an emulator) cannot list events the control would not match.
    const engine = LogFilterPattern.parse(pattern);
    let nextToken: string | undefined;
    try {
      let page = 0;
      for (; page < maxPages; page++) {
        const out = await api.filterLogEvents({
          logGroupName: logGroup, filterPattern: pattern, startTime: since.getTime(), endTime: until.getTime(), limit: 1000, nextToken,
        });
        for (const e of out.events ?? []) {
          if (e.message === undefined || !engine.matchesJson(e.message)) continue;
          const event = describe(e.message, e.timestamp);
          const key = event.eventId ?? `${e.eventId ?? ''}|${e.timestamp}|${e.message}`;
          found.set(key, { ...event, sortKey: Date.parse(event.time) || (e.timestamp ?? 0) });
        }
        nextToken = out.nextToken;
        if (!nextToken) break;
      }
      if (nextToken) truncated = true;
    } catch (e) {
      errors.push(`FilterLogEvents (${service} pattern, ${logGroup}): ${message(e)}`);
    }
  }
  const all = [...found.values()].sort((a, b) => b.sortKey - a.sortKey);
  return {
    logGroup,
    since: since.toISOString(),
    until: until.toISOString(),
    alarmNamePrefix,
    deliveryRoleName,
    events: all.slice(0, maxEvents).map(({ sortKey, ...event }) => event),
    more: Math.max(0, all.length - maxEvents),
    truncated,
    errors,
  };
}

const TARGET_FIELDS = ['alarmName', 'alarmNames', 'logGroupName', 'logGroupIdentifier', 'filterName', 'topicArn', 'subscriptionArn', 'keyId', 'name', 'trailName', 'roleName', 'policyArn', 'policyName'];

/** Who did what to which resource, when, from a CloudTrail record. */
function describe(text: string, timestamp: number | undefined): TamperEvent {
  const parsed: unknown = JSON.parse(text);
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, any>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  const params = (record.requestParameters ?? {}) as Record<string, unknown>;
  const target = TARGET_FIELDS.filter((f) => params[f] !== undefined && params[f] !== null)
    .map((f) => `${f}: ${Array.isArray(params[f]) ? (params[f] as unknown[]).map(String).join(', ') : typeof params[f] === 'object' ? JSON.stringify(params[f]) : String(params[f])}`)
    .join('; ');
  return {
    time: str(record.eventTime) ?? (timestamp !== undefined ? new Date(timestamp).toISOString() : 'unknown'),
    who: str(identity.arn) ?? str(identity.principalId) ?? str(identity.type) ?? 'unknown',
    eventSource: str(record.eventSource) ?? 'unknown',
    eventName: str(record.eventName) ?? 'unknown',
    target: target || undefined,
    sourceIp: str(record.sourceIPAddress),
    eventId: str(record.eventID),
    errorCode: str(record.errorCode),
  };
}
