import { AlarmInfo, AlarmMetricInfo, AuditApi, AuditApiError, MetricFilterInfo, TrailInfo } from './api';
import { HEARTBEAT_METRIC_NAME, HEARTBEAT_NAMESPACE } from '../../catalog/tamper-control';
import {
  Alarm, AlarmMetric, Key, LogGroup, MetricFilter, MonitoringSnapshot, PolicyDocument, Subscription, Topic, Trail, unknown,
} from '../model';

/**
 * The live adapter of issue 18 (one copy, shared by the CLI's `audit` through src/cli-support.ts and by the
 * construct's self-audit function, src/construct/audit/self-audit.lambda.ts): reads one account's monitoring in one region through the audit's read-only calls
 * into the `MonitoringSnapshot` that `check` builds from templates, so that `audit` is judged by the same rules.
 *
 * Every call that fails (AccessDenied, a throttled or unreachable service, a topic or key of another account) makes
 * the values it would have given `Unknown`, with the call and its error as the reason: the rules then report
 * UNKNOWN, never PASS. A resource the API says does not exist is left out of the snapshot (the rules then FAIL the
 * link that needs it).
 */

/** What `readAccount` returns: the snapshot, and per trail what `describe-trails` said (for the trails table). */
export interface LiveSnapshot {
  readonly snapshot: MonitoringSnapshot;
  /** The trails as listed (shadow copies deduplicated), in the order of the snapshot's `trails`. */
  readonly trails: TrailInfo[];
  /** Whether the trail list itself could be read. */
  readonly trailsListed: boolean;
}

/** Reads the account the credentials belong to (`account`), trails listed in `region`. */
export async function readAccount(api: AuditApi, region: string, account: string): Promise<LiveSnapshot> {
  return new LiveReader(api, region, account).read();
}

type Json = any;

class LiveReader {
  private readonly trails: Trail[] = [];
  private readonly logGroups: LogGroup[] = [];
  private readonly metricFilters: MetricFilter[] = [];
  private readonly alarms: Alarm[] = [];
  private readonly topics: Topic[] = [];
  private readonly subscriptions: Subscription[] = [];
  private readonly keys: Key[] = [];
  private readonly notes: string[] = [];
  /** What was looked up and does not exist (the snapshot's `absent`). */
  private readonly absent: string[] = [];
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(private readonly api: AuditApi, private readonly region: string, private readonly account: string) {}

  public async read(): Promise<LiveSnapshot> {
    const source = `account ${this.account} (${this.region})`;
    let listed: TrailInfo[] | undefined;
    try {
      listed = await this.api.describeTrails(this.region);
    } catch (e) {
      if (!(e instanceof AuditApiError)) throw e;
      this.notes.push(`cannot list the trails: ${e.message}`);
    }
    const infos: TrailInfo[] = [];
    if (listed === undefined) {
      // The trails are unknown: one trail of which nothing is known; every filter of the region may be its group's.
      const reason = this.notes[0];
      this.trails.push({
        key: 'unknown-trail',
        origin: { label: '(unlisted: the trails cannot be read)', account: this.account, region: this.region },
        name: unknown(reason),
        isLogging: unknown(reason),
        isMultiRegion: unknown(reason),
        eventSelectors: unknown(reason),
        cloudWatchLogsLogGroupArn: unknown(reason),
        logGroupName: unknown(reason),
        cloudWatchLogsRoleArn: unknown(reason),
        delivery: unknown(reason),
      });
      await this.readRegion(this.region, undefined);
    } else {
      const seen = new Set<string>();
      for (const info of listed) {
        if (seen.has(info.arn)) continue;
        seen.add(info.arn);
        infos.push(info);
        this.trails.push(await this.readTrail(info));
      }
      // The filters and alarms of every region a trail of this account delivers to.
      const regions = new Map<string, Set<string>>();
      for (const trail of this.trails) {
        const group = parseLogGroupArn(typeof trail.cloudWatchLogsLogGroupArn === 'string' ? trail.cloudWatchLogsLogGroupArn : '');
        if (!group || (group.account && group.account !== this.account)) continue;
        if (!regions.has(group.region)) regions.set(group.region, new Set());
        regions.get(group.region)!.add(group.name);
      }
      for (const [groupRegion, names] of regions) await this.readRegion(groupRegion, names);
    }
    return {
      snapshot: {
        source,
        account: this.account,
        region: this.region,
        seesAllTrails: true,
        trails: this.trails,
        logGroups: this.logGroups,
        metricFilters: this.metricFilters,
        alarms: this.alarms,
        topics: this.topics,
        subscriptions: this.subscriptions,
        keys: this.keys,
        unseen: [],
        notes: this.notes,
        absent: this.absent,
      },
      trails: infos,
      trailsListed: listed !== undefined,
    };
  }

  /** Step 1 for one trail: status, selectors, delivery role (read in the trail's home region). */
  private async readTrail(info: TrailInfo): Promise<Trail> {
    const home = info.homeRegion || this.region;
    const group = info.cloudWatchLogsLogGroupArn ? parseLogGroupArn(info.cloudWatchLogsLogGroupArn) : undefined;
    const status = await this.attempt(() => this.api.getTrailStatus(home, info.arn));
    const selectors = await this.attempt(() => this.api.getEventSelectors(home, info.arn));
    // The delivery role is read only in this account (an organization trail's role is the management account's: not seen).
    const roleHere = info.cloudWatchLogsRoleArn !== undefined && info.cloudWatchLogsRoleArn.split(':')[4] === this.account;
    const role = roleHere ? await this.attempt(() => this.api.getRole(info.cloudWatchLogsRoleArn as string)) : undefined;
    let logGroupKey: string | undefined;
    if (group && (!group.account || group.account === this.account)) {
      const exists = await this.attempt(() => this.api.logGroupExists(group.region, group.name));
      const arn = `arn:aws:logs:${group.region}:${this.account}:log-group:${group.name}`;
      if (exists === false) this.absent.push(info.cloudWatchLogsLogGroupArn as string);
      if (exists === true || isFailure(exists)) {
        // A group that cannot be listed may exist: its filters decide (an unreadable list makes them Unknown).
        logGroupKey = arn;
        if (!this.logGroups.some((g) => g.key === arn)) {
          this.logGroups.push({ key: arn, origin: { label: `'${group.name}'`, account: this.account, region: group.region }, name: group.name, arn });
        }
      }
    }
    return {
      key: info.arn,
      origin: { label: `'${info.name}'`, account: this.account, region: home },
      name: info.name,
      arn: info.arn,
      isMultiRegion: info.isMultiRegionTrail,
      isOrganizationTrail: info.isOrganizationTrail,
      isLogging: isFailure(status) ? unknown(status.reason) : status.isLogging,
      eventSelectors: isFailure(selectors) ? unknown(selectors.reason)
        : selectors.advancedEventSelectors.length > 0 ? undefined
          : selectors.eventSelectors.map((s) => ({
            readWriteType: s.readWriteType,
            includeManagementEvents: s.includeManagementEvents,
            excludeManagementEventSources: s.excludeManagementEventSources,
          })),
      advancedEventSelectors: isFailure(selectors) ? unknown(selectors.reason)
        : selectors.advancedEventSelectors.length === 0 ? undefined
          : selectors.advancedEventSelectors.map((s) => ({ name: s.name, fieldSelectors: s.fieldSelectors })),
      cloudWatchLogsLogGroupArn: info.cloudWatchLogsLogGroupArn,
      logGroupKey,
      logGroupName: group?.name,
      logGroupAccount: group?.account || undefined,
      cloudWatchLogsRoleArn: info.cloudWatchLogsRoleArn,
      ...(roleHere ? {
        cloudWatchLogsRole: isFailure(role) ? unknown(role.reason)
          : role === undefined ? { exists: false }
            : { exists: true, trustPolicy: policyOf(role.assumeRolePolicyDocument, `the trust policy of role ${info.cloudWatchLogsRoleArn}`) },
      } : {}),
      delivery: isFailure(status) ? unknown(status.reason) : {
        latestDeliveryTime: status.latestCloudWatchLogsDeliveryTime,
        latestDeliveryError: status.latestCloudWatchLogsDeliveryError,
      },
    };
  }

  /**
   * The metric filters on `groups` (every group of the region when undefined), the alarms on their metrics, and the
   * topics, subscriptions and keys those alarms notify.
   */
  private async readRegion(region: string, groups: Set<string> | undefined): Promise<void> {
    const filters = await this.attempt(() => this.api.describeMetricFilters(region));
    if (isFailure(filters)) {
      // Nothing is known about the filters: one filter per trail group whose every value is unknown.
      for (const name of groups ?? [undefined]) {
        const group = name === undefined ? undefined : this.logGroups.find((g) => g.name === name);
        this.metricFilters.push({
          key: `unknown-filters:${region}:${name ?? '*'}`,
          origin: { label: `(unreadable: the filters of ${name === undefined ? `region ${region}` : `log group '${name}'`})`, account: this.account, region },
          name: unknown(filters.reason),
          logGroupName: name ?? unknown(filters.reason),
          logGroupKey: group?.key,
          pattern: unknown(filters.reason),
          transformations: unknown(filters.reason),
        });
      }
    } else {
      for (const f of filters) this.metricFilters.push(this.filterOf(region, f));
    }

    const alarms = await this.attempt(() => this.api.describeAlarms(region));
    if (isFailure(alarms)) {
      this.alarms.push({
        key: `unknown-alarms:${region}`,
        origin: { label: `(unreadable: the alarms of region ${region})`, account: this.account, region },
        name: unknown(alarms.reason),
        metric: { metricName: unknown(alarms.reason), namespace: unknown(alarms.reason) },
        comparisonOperator: unknown(alarms.reason),
        evaluationPeriods: unknown(alarms.reason),
        threshold: unknown(alarms.reason),
        actionsEnabled: unknown(alarms.reason),
        alarmActions: unknown(alarms.reason),
      });
      return;
    }
    // Only alarms on a metric some filter of the region publishes matter (and only their topics are read), and the
    // delivery heartbeat's (AWS/Logs IncomingLogEvents: a vended metric no filter publishes; issue 20, MON.HEARTBEAT).
    const published = new Set(this.metricFilters.flatMap((f) => (Array.isArray(f.transformations) ? f.transformations : [])
      .map((t) => `${String(t.namespace)}/${String(t.metricName)}`)));
    published.add(`${HEARTBEAT_NAMESPACE}/${HEARTBEAT_METRIC_NAME}`);
    const anyUnknown = this.metricFilters.some((f) => !Array.isArray(f.transformations));
    for (const a of alarms) {
      const metrics = [a.metricName !== undefined ? { metricName: a.metricName, namespace: a.namespace } : undefined, ...a.metrics]
        .filter((m): m is AlarmMetricInfo => m !== undefined);
      if (!anyUnknown && !metrics.some((m) => published.has(`${m.namespace}/${m.metricName}`))) continue;
      const alarm = this.alarmOf(region, a);
      this.alarms.push(alarm);
      for (const action of a.alarmActions) if (/^arn:[^:]+:sns:/.test(action)) await this.readTopic(action);
    }
  }

  private filterOf(region: string, f: MetricFilterInfo): MetricFilter {
    const transformations = f.transformations ?? (f.metricName !== undefined
      ? [{ metricName: f.metricName, metricNamespace: f.metricNamespace ?? '', metricValue: '1' }] : []);
    const group = this.logGroups.find((g) => g.name === f.logGroupName && g.origin.region === region);
    return {
      key: `arn:aws:logs:${region}:${this.account}:log-group:${f.logGroupName}:metric-filter:${f.filterName}`,
      origin: { label: `'${f.filterName}'`, account: this.account, region },
      name: f.filterName,
      logGroupName: f.logGroupName,
      logGroupKey: group?.key,
      pattern: f.filterPattern,
      transformations: transformations.map((t) => ({
        metricName: t.metricName,
        namespace: t.metricNamespace,
        value: t.metricValue,
        defaultValue: t.defaultValue,
        dimensions: t.dimensions && Object.keys(t.dimensions).length > 0 ? t.dimensions : undefined,
        unit: t.unit && t.unit !== 'None' ? t.unit : undefined,
      })),
    };
  }

  private alarmOf(region: string, a: AlarmInfo): Alarm {
    const metric = (m: AlarmMetricInfo): AlarmMetric => ({
      metricName: m.metricName ?? '',
      namespace: m.namespace ?? '',
      dimensions: m.dimensions,
      statistic: m.statistic,
      extendedStatistic: m.extendedStatistic,
      period: m.period,
      unit: m.unit,
    });
    const arn = a.alarmArn ?? `arn:aws:cloudwatch:${region}:${this.account}:alarm:${a.alarmName}`;
    return {
      key: arn,
      origin: { label: `'${a.alarmName}'`, account: this.account, region },
      name: a.alarmName,
      arn,
      metric: a.queries ? undefined : metric({
        metricName: a.metricName,
        namespace: a.namespace,
        dimensions: a.dimensions,
        statistic: a.statistic,
        extendedStatistic: a.extendedStatistic,
        period: a.period,
        unit: a.unit,
      }),
      queries: a.queries?.map((q) => ({
        id: q.id, expression: q.expression, returnData: q.returnData, metric: q.metric ? metric(q.metric) : undefined,
      })),
      threshold: a.threshold,
      comparisonOperator: a.comparisonOperator ?? '',
      evaluationPeriods: a.evaluationPeriods ?? 1,
      datapointsToAlarm: a.datapointsToAlarm,
      treatMissingData: a.treatMissingData,
      actionsEnabled: a.actionsEnabled,
      alarmActions: a.alarmActions,
    };
  }

  /** A topic, its subscriptions (with their attributes) and its key; once per topic. */
  private async readTopic(topicArn: string): Promise<void> {
    if (this.cache.has(`topic:${topicArn}`)) return;
    this.cache.set(`topic:${topicArn}`, Promise.resolve());
    const region = topicArn.split(':')[3] ?? this.region;
    const name = topicArn.split(':')[5] ?? topicArn;
    const attributes = await this.attempt(() => this.api.getTopicAttributes(region, topicArn));
    const subscriptions = attributes === undefined ? undefined : await this.attempt(() => this.api.listSubscriptionsByTopic(region, topicArn));
    if (attributes === undefined || subscriptions === undefined) {
      this.absent.push(topicArn); // the topic does not exist
      return;
    }
    const topic: Topic = {
      key: topicArn,
      origin: { label: `'${name}'`, account: topicArn.split(':')[4], region },
      name,
      arn: topicArn,
      kmsMasterKeyId: isFailure(attributes) ? unknown(attributes.reason) : attributes.kmsMasterKeyId,
      policy: isFailure(attributes) ? unknown(attributes.reason) : attributes.policy === undefined ? undefined
        : policyOf(attributes.policy, `the policy of topic ${topicArn}`),
    };
    this.topics.push(topic);
    if (isFailure(subscriptions)) {
      this.subscriptions.push({
        key: `unknown-subscriptions:${topicArn}`,
        origin: { label: `(unreadable: the subscriptions of topic '${name}')`, region },
        topic: topicArn,
        protocol: unknown(subscriptions.reason),
        endpoint: unknown(subscriptions.reason),
        confirmed: unknown(subscriptions.reason),
        filterPolicy: unknown(subscriptions.reason),
      });
    } else {
      for (const s of subscriptions) {
        if (/^deleted$/i.test(s.subscriptionArn)) continue;
        const pending = /^pending\s*confirmation$/i.test(s.subscriptionArn);
        const label = `${s.protocol ?? '?'} ${s.endpoint ?? '?'}`;
        // A pending subscription has no ARN to read: nothing is delivered to it until it is confirmed.
        const more = pending ? undefined : await this.attempt(() => this.api.getSubscriptionAttributes(region, s.subscriptionArn));
        if (more === undefined && !pending) continue; // deleted meanwhile
        this.subscriptions.push({
          key: pending ? `${topicArn}:pending:${s.protocol}:${s.endpoint}` : s.subscriptionArn,
          origin: { label, region },
          topic: topicArn,
          protocol: s.protocol ?? '',
          endpoint: s.endpoint ?? '',
          confirmed: pending ? false : isFailure(more) ? true : more?.pendingConfirmation !== true,
          filterPolicy: pending ? undefined : isFailure(more) ? unknown(more.reason) : more?.filterPolicy === undefined ? undefined
            : parseJson(more.filterPolicy, `the filter policy of ${label}`),
          filterPolicyScope: isFailure(more) ? unknown(more.reason) : more?.filterPolicyScope,
        });
      }
    }
    if (!isFailure(attributes) && attributes.kmsMasterKeyId) await this.readKey(region, attributes.kmsMasterKeyId);
  }

  private async readKey(region: string, ref: string): Promise<void> {
    if (this.cache.has(`key:${ref}`)) return;
    this.cache.set(`key:${ref}`, Promise.resolve());
    const keyRegion = ref.startsWith('arn:') ? ref.split(':')[3] : region;
    const alias = /(^|:)(alias\/.+)$/.exec(ref)?.[2];
    const described = await this.attempt(() => this.api.describeKey(keyRegion, ref));
    if (described === undefined) {
      this.absent.push(ref); // no such key: the topic's key link fails
      return;
    }
    if (isFailure(described)) {
      this.keys.push({
        key: ref,
        origin: { label: ref, region: keyRegion },
        aliases: alias ? [alias] : undefined,
        enabled: unknown(described.reason),
        keyState: unknown(described.reason),
        keyManager: unknown(described.reason),
        policy: unknown(described.reason),
      });
      return;
    }
    const policy = await this.attempt(() => this.api.getKeyPolicy(keyRegion, described.keyId));
    this.keys.push({
      key: described.arn,
      origin: { label: `${described.arn}${alias ? ` (${alias})` : ''}`, account: described.arn.split(':')[4], region: keyRegion },
      arn: described.arn,
      keyId: described.keyId,
      aliases: alias ? [alias] : undefined,
      enabled: described.enabled,
      keyState: described.keyState,
      keyManager: described.keyManager,
      policy: isFailure(policy) ? unknown(policy.reason) : policyOf(policy, `the policy of key ${described.arn}`),
    });
  }

  /** Runs a read; an `AuditApiError` becomes a `Failure` naming the call. */
  private async attempt<T>(read: () => Promise<T>): Promise<T | Failure> {
    try {
      return await read();
    } catch (e) {
      if (!(e instanceof AuditApiError)) throw e;
      return { $failure: true, reason: `cannot read: ${e.message}` };
    }
  }
}

interface Failure {
  readonly $failure: true;
  readonly reason: string;
}

function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && (value as Failure).$failure === true;
}

/** A policy document from its JSON text (a single statement object becomes a list). */
function policyOf(text: string | undefined, what: string): PolicyDocument | ReturnType<typeof unknown> {
  if (text === undefined) return unknown(`${what} was not returned`);
  const parsed = parseJson(text, what);
  if (typeof parsed !== 'object' || parsed === null || '$unknown' in (parsed as object)) return parsed as ReturnType<typeof unknown>;
  const statement = (parsed as Json).Statement;
  return { Statement: Array.isArray(statement) ? statement : statement === undefined ? [] : [statement] };
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return unknown(`${what} is not valid JSON`);
  }
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` → region, account and name. */
export function parseLogGroupArn(arn: string): { region: string; account: string; name: string } | undefined {
  const parts = arn.split(':');
  if (parts.length < 7 || parts[0] !== 'arn' || parts[2] !== 'logs' || parts[5] !== 'log-group' || !parts[6]) return undefined;
  return { region: parts[3], account: parts[4], name: parts[6] };
}
