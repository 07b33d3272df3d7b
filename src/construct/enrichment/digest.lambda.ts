// The "who did it" function: invoked by a CIS alarm's Lambda action on ALARM, it searches the trail's log group
// with the control's exact filter pattern over the alarm's window (FilterLogEvents) and publishes a digest of the
// events (what, who, from where, account, region, time) to the SNS topics the alarm notifies.
//
// Bundled at build time by projen (esbuild); the AWS SDK v3 clients come from the Lambda Node.js runtime and are
// not bundled, so the library gains no runtime dependency. Everything that talks to AWS goes through `DigestApi`,
// so that tests replay recorded responses.
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeMetricFiltersCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';

/** The calls the function makes, with the SDK's request and response shapes (only the fields it reads). */
export interface DigestApi {
  describeMetricFilters(input: { logGroupName: string; metricName: string; metricNamespace: string }):
  Promise<{ metricFilters?: { filterName?: string; filterPattern?: string; logGroupName?: string }[] }>;
  filterLogEvents(input: { logGroupName: string; filterPattern: string; startTime: number; endTime: number; nextToken?: string; limit?: number }):
  Promise<{ events?: { timestamp?: number; message?: string; logStreamName?: string }[]; nextToken?: string }>;
  describeAlarms(input: { AlarmNames: string[] }): Promise<{ MetricAlarms?: { AlarmActions?: string[] }[] }>;
  publish(input: { TopicArn: string; Subject: string; Message: string }): Promise<unknown>;
  sleep(ms: number): Promise<void>;
}

/** Settings from the function's environment. */
export interface DigestSettings {
  readonly logGroupName: string;
  /** Events listed in the digest (all matching events are counted, up to `maxPages` pages). */
  readonly maxEvents: number;
  readonly maxPages: number;
  /** Extra minutes searched before the alarm's period, for CloudTrail's delivery delay. */
  readonly slackMinutes: number;
}

/** The CloudWatch alarm Lambda action event (only the fields read here). */
export interface AlarmEvent {
  readonly region?: string;
  readonly accountId?: string;
  readonly alarmData?: {
    readonly alarmName?: string;
    readonly state?: { readonly value?: string; readonly timestamp?: string };
    readonly configuration?: {
      readonly description?: string;
      readonly metrics?: {
        readonly metricStat?: { readonly metric?: { readonly namespace?: string; readonly name?: string }; readonly period?: number };
      }[];
    };
  };
}

/** What was found, and what was published. */
export interface DigestResult {
  readonly alarmName: string;
  readonly subject: string;
  readonly message: string;
  readonly topics: string[];
  readonly matched: number;
  readonly complete: boolean;
}

const THROTTLE_RETRIES = 4;

/** Builds and publishes the digest of one alarm event; undefined for events that are not a transition to ALARM. */
export async function publishDigest(event: AlarmEvent, api: DigestApi, settings: DigestSettings): Promise<DigestResult | undefined> {
  const data = event.alarmData;
  if (data?.state?.value !== 'ALARM' || !data.alarmName) return undefined;
  const alarmName = data.alarmName;
  const stat = data.configuration?.metrics?.[0]?.metricStat;
  const metricName = stat?.metric?.name;
  const namespace = stat?.metric?.namespace;
  if (!metricName || !namespace) throw new Error(`alarm ${alarmName}: the event names no metric; is this a metric-filter alarm?`);
  const periodSeconds = stat?.period ?? 300;
  const end = Date.parse(data.state.timestamp ?? '') || Date.now();
  const start = end - (periodSeconds + settings.slackMinutes * 60) * 1000;

  const logGroupName = settings.logGroupName;
  const filters = await withRetry(api, () => api.describeMetricFilters({ logGroupName, metricName, metricNamespace: namespace }));
  const pattern = filters.metricFilters?.find((f) => f.filterPattern !== undefined)?.filterPattern;
  if (pattern === undefined) throw new Error(`alarm ${alarmName}: no metric filter on ${settings.logGroupName} publishes ${namespace}/${metricName}`);

  const shown: string[] = [];
  let matched = 0;
  let complete = true;
  let problem: string | undefined;
  let nextToken: string | undefined;
  let pages = 0;
  do {
    if (pages === settings.maxPages) {
      complete = false;
      break;
    }
    let page;
    try {
      const search = { logGroupName, filterPattern: pattern, startTime: start, endTime: end, nextToken };
      page = await withRetry(api, () => api.filterLogEvents(search));
    } catch (e) {
      if (!isThrottling(e)) throw e;
      // Still publish what was found: a digest saying "throttled, see the saved query" beats none.
      problem = `The search was throttled by CloudWatch Logs after ${THROTTLE_RETRIES} retries; the list may be incomplete.`;
      complete = false;
      break;
    }
    pages++;
    for (const logEvent of page.events ?? []) {
      matched++;
      if (shown.length < settings.maxEvents) shown.push(describe(logEvent.message ?? '', logEvent.timestamp));
    }
    nextToken = page.nextToken;
  } while (nextToken);

  const region = event.region ?? '';
  const query = /saved query "([^"]+)"/.exec(data.configuration?.description ?? '')?.[1];
  const count = `${matched}${complete ? '' : '+'}`;
  const lines = [
    `${alarmName} is in ALARM: ${count} matching event${matched === 1 ? '' : 's'} from ${iso(start)} to ${iso(end)} in ${settings.logGroupName}.`,
    ...(problem ? [problem] : []),
    matched === 0 && !problem
      ? 'No event matched in this window (CloudTrail can deliver events up to about 15 minutes late); run the saved query over a longer range.'
      : `Showing ${shown.length}:`,
    ...shown,
    '',
    `Filter pattern: ${pattern}`,
    ...(query ? [`Logs Insights saved query: ${query}`] : []),
    `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:logs-insights`,
  ];
  const subject = truncate(`ALARM ${alarmName}: ${count} event${matched === 1 ? '' : 's'}`, 100);
  const message = lines.join('\n');

  const alarms = await withRetry(api, () => api.describeAlarms({ AlarmNames: [alarmName] }));
  const topics = (alarms.MetricAlarms?.[0]?.AlarmActions ?? []).filter((arn) => /^arn:[^:]+:sns:/.test(arn));
  for (const topic of topics) await withRetry(api, () => api.publish({ TopicArn: topic, Subject: subject, Message: message }));
  return { alarmName, subject, message, topics, matched, complete };
}

/** One line per event: time, action, principal, source, account and region. */
export function describe(message: string, timestamp?: number): string {
  let record: any;
  try {
    record = JSON.parse(message);
  } catch {
    return `${iso(timestamp)} (not a JSON event) ${truncate(message, 200)}`;
  }
  const who = record?.userIdentity?.arn
    ?? [record?.userIdentity?.type, record?.userIdentity?.principalId ?? record?.userIdentity?.accountId].filter(Boolean).join(' ')
    ?? 'unknown';
  const what = [record?.eventSource, record?.eventName].filter(Boolean).join(' ');
  const error = record?.errorCode ? ` (${record.errorCode})` : '';
  return `${record?.eventTime ?? iso(timestamp)} ${what || 'unknown event'}${error} by ${who || 'unknown'} from ${record?.sourceIPAddress ?? 'unknown'} `
    + `in account ${record?.recipientAccountId ?? 'unknown'} ${record?.awsRegion ?? ''}`.trimEnd();
}

function isThrottling(e: unknown): boolean {
  const name = (e as { name?: string })?.name ?? '';
  return name === 'ThrottlingException' || name === 'Throttling' || name === 'TooManyRequestsException'
    || (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 429;
}

async function withRetry<T>(api: DigestApi, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      if (!isThrottling(e) || attempt >= THROTTLE_RETRIES) throw e;
      await api.sleep(200 * 2 ** attempt);
    }
  }
}

function iso(ms?: number): string {
  return ms === undefined ? 'unknown time' : new Date(ms).toISOString();
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

const logs = new CloudWatchLogsClient({});
const cloudwatch = new CloudWatchClient({});
const sns = new SNSClient({});

const SDK_API: DigestApi = {
  describeMetricFilters: (input) => logs.send(new DescribeMetricFiltersCommand(input)),
  filterLogEvents: (input) => logs.send(new FilterLogEventsCommand(input)),
  describeAlarms: (input) => cloudwatch.send(new DescribeAlarmsCommand(input)),
  publish: (input) => sns.send(new PublishCommand(input)),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The Lambda entry point. */
export async function handler(event: AlarmEvent): Promise<DigestResult | undefined> {
  return publishDigest(event, SDK_API, {
    logGroupName: process.env.LOG_GROUP_NAME ?? '',
    maxEvents: Number(process.env.MAX_EVENTS ?? '20'),
    maxPages: Number(process.env.MAX_PAGES ?? '20'),
    slackMinutes: Number(process.env.SLACK_MINUTES ?? '10'),
  });
}
