import { checkTemplates } from '../../../src/verdicts/check';
import { AccountVerdictInput, EvidenceApi, EvidenceDescribeAlarmsInput, EvidenceFilterLogEventsInput, EvidenceGetMetricDataInput } from '../../../src/verdicts/evidence';
import { MonitoringSnapshot } from '../../../src/verdicts/model';
import { runRules } from '../../../src/verdicts/runner';
import { demoApp } from '../../e2e/apps';

/**
 * The evidence tests' accounts: the demo app's template judged by the shared rules (healthy: 15 PASS), the same with
 * the root-usage metric filter deleted (broken: 4.3 FAIL), and AWS API responses recorded as the SDK for JavaScript v3
 * returns them (Dates for timestamps, `$metadata`), for the three calls of `EvidenceApi`.
 */

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const LOG_GROUP = 'aws-cloudtrail-logs-123456789012-cis';
export const ROLE = 'CisTrailDeliveryRole';
/** The demo app's alarm name prefix (CisLogMonitoring's default: stack, construct ID, hash of the path). */
export const PREFIX = 'CisMonitoringDemo-Cis-34AF7D5D-';
export const UNTIL = new Date('2026-12-07T06:00:00.000Z');

let demo: any;
function demoTemplate(): any {
  demo ??= demoApp();
  return JSON.parse(JSON.stringify(demo.template));
}

/**
 * A template's verdicts, with the trail then named as a live adapter names it (a log group name, a role ARN).
 * `change` alters the snapshot before the rules run (e.g. a hostile resource name).
 */
function judged(template: any, account: string, change?: (s: MonitoringSnapshot) => MonitoringSnapshot): AccountVerdictInput {
  const r = checkTemplates([{ name: 'CisMonitoringDemo', template, account, region: REGION }]);
  const judgedSnapshot = change ? change(r.snapshot) : r.snapshot;
  const result = change ? runRules(judgedSnapshot) : r;
  const snapshot: MonitoringSnapshot = {
    ...judgedSnapshot,
    trails: judgedSnapshot.trails.map((t) => ({ ...t, logGroupName: LOG_GROUP, cloudWatchLogsRoleArn: `arn:aws:iam::${account}:role/${ROLE}` })),
  };
  return { account, region: REGION, patternSet: 'any', snapshot, result };
}

export function healthy(account = ACCOUNT, change?: (s: MonitoringSnapshot) => MonitoringSnapshot): AccountVerdictInput {
  return judged(demoTemplate(), account, change);
}

/** The demo app without its root-usage metric filter: 4.3 FAILs. */
export function broken(account = ACCOUNT): AccountVerdictInput {
  const template = demoTemplate();
  const id = Object.keys(template.Resources).find((k) => /^CisRootAccountUsageMetricFilter/.test(k))!;
  delete template.Resources[id];
  return judged(template, account);
}

/** A CloudTrail record. */
export function record(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/Mallory`, accountId: ACCOUNT, userName: 'Mallory' },
    eventTime: '2026-12-07T04:12:09Z',
    eventSource: 'monitoring.amazonaws.com',
    eventName: 'DeleteAlarms',
    awsRegion: REGION,
    sourceIPAddress: '203.0.113.9',
    userAgent: 'aws-cli/2.22.0',
    requestParameters: { alarmNames: [`${PREFIX}root_usage_alarm`] },
    responseElements: null,
    requestID: 'f0e1d2c3-0000-4000-8000-000000000001',
    eventID: 'a1b2c3d4-0000-4000-8000-000000000001',
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...fields,
  };
}

/** Tamper events: one of each kind the control matches, and near misses it does not. */
export const TAMPER = {
  deleteAlarms: record({}),
  disableActions: record({
    eventName: 'DisableAlarmActions',
    eventTime: '2026-12-07T05:01:00Z',
    eventID: 'evt-disable',
    requestParameters: { alarmNames: [`${PREFIX}vpc_changes_alarm`] },
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/eve`, accountId: ACCOUNT },
  }),
  deleteFilter: record({
    eventSource: 'logs.amazonaws.com',
    eventName: 'DeleteMetricFilter',
    eventTime: '2026-12-07T03:00:00Z',
    eventID: 'evt-filter',
    requestParameters: { logGroupName: LOG_GROUP, filterName: 'root_usage_metric' },
  }),
};
export const NOT_TAMPER = {
  otherAlarm: record({ eventID: 'evt-other', requestParameters: { alarmNames: ['someone_elses_alarm'] } }),
  byCloudFormation: record({
    eventID: 'evt-cfn', userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/cfn-exec/x`, invokedBy: 'cloudformation.amazonaws.com' },
  }),
  readOnly: record({ eventName: 'DescribeAlarms', eventID: 'evt-describe', requestParameters: {} }),
};

const metadata = { httpStatusCode: 200, requestId: '7d3b6f2e-0000-4000-8000-00000000abcd', attempts: 1, totalRetryDelay: 0 };

/** GetMetricData as recorded: descending, 5-minute sums of IncomingLogEvents (periods without events are absent). */
export function metricDataResponse(points: [string, number][], nextToken?: string): any {
  return {
    $metadata: metadata,
    MetricDataResults: [{
      Id: 'incoming', Label: 'IncomingLogEvents', Timestamps: points.map(([t]) => new Date(t)), Values: points.map(([, v]) => v), StatusCode: 'Complete',
    }],
    Messages: [],
    NextToken: nextToken,
  };
}

/** A metric alarm as DescribeAlarms returns it: the heartbeat alarm CisLogMonitoring deploys. */
export function heartbeatAlarm(name = `${PREFIX}delivery_heartbeat_alarm`, state = 'OK', logGroup = LOG_GROUP): any {
  return {
    AlarmName: name,
    AlarmArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`,
    AlarmDescription: "The trail's log group received no CloudTrail event for 1 hour",
    AlarmConfigurationUpdatedTimestamp: new Date('2026-12-01T10:00:00.000Z'),
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: [`arn:aws:sns:${REGION}:${ACCOUNT}:cis-alarms`],
    InsufficientDataActions: [],
    StateValue: state,
    StateReason: 'Threshold Crossed: 12 datapoints were not less than the threshold (1.0).',
    StateUpdatedTimestamp: new Date('2026-12-06T22:15:00.000Z'),
    MetricName: 'IncomingLogEvents',
    Namespace: 'AWS/Logs',
    Statistic: 'Sum',
    Dimensions: [{ Name: 'LogGroupName', Value: logGroup }],
    Period: 300,
    EvaluationPeriods: 12,
    DatapointsToAlarm: 12,
    Threshold: 1,
    ComparisonOperator: 'LessThanThreshold',
    TreatMissingData: 'breaching',
    StateTransitionedTimestamp: new Date('2026-12-06T22:15:00.000Z'),
  };
}

/** A root-usage alarm (another metric: not the heartbeat). */
export function otherAlarm(): any {
  return { ...heartbeatAlarm(`${PREFIX}root_usage_alarm`), MetricName: 'root_usage_metric', Namespace: 'CISBenchmark', Dimensions: [] };
}

/** FilterLogEvents as recorded: CloudTrail records as messages of the trail's stream. */
export function filterResponse(records: Record<string, unknown>[], nextToken?: string): any {
  return {
    $metadata: metadata,
    events: records.map((r, i) => ({
      logStreamName: `${ACCOUNT}_CloudTrail_${REGION}`,
      timestamp: Date.parse(String(r.eventTime)),
      message: JSON.stringify(r),
      ingestionTime: Date.parse(String(r.eventTime)) + 300_000,
      eventId: `3847${i}0000000000000000000000000000000000000000000000`,
    })),
    searchedLogStreams: [],
    nextToken,
  };
}

/** An EvidenceApi answering with recorded responses, recording the requests. */
export class RecordedApi implements EvidenceApi {
  public readonly metricRequests: EvidenceGetMetricDataInput[] = [];
  public readonly filterRequests: EvidenceFilterLogEventsInput[] = [];
  public readonly alarmRequests: EvidenceDescribeAlarmsInput[] = [];
  public metricPages: any[] = [metricDataResponse([['2026-12-07T05:50:00Z', 212], ['2026-12-07T05:45:00Z', 187]])];
  public alarmPages: any[] = [{ $metadata: metadata, MetricAlarms: [otherAlarm(), heartbeatAlarm()], CompositeAlarms: [] }];
  /** What every FilterLogEvents call returns, whatever its pattern (as an emulator that does not evaluate patterns). */
  public logPages: any[] = [filterResponse([
    TAMPER.deleteAlarms, NOT_TAMPER.otherAlarm, NOT_TAMPER.byCloudFormation, NOT_TAMPER.readOnly, TAMPER.disableActions, TAMPER.deleteFilter,
  ])];
  public failMetrics?: Error;
  public failAlarms?: Error;
  public failLogs?: (input: EvidenceFilterLogEventsInput) => Error | undefined;

  public async getMetricData(input: EvidenceGetMetricDataInput): Promise<any> {
    this.metricRequests.push(input);
    if (this.failMetrics) throw this.failMetrics;
    return this.metricPages[Math.min(this.metricRequests.length - 1, this.metricPages.length - 1)];
  }

  public async describeAlarms(input: EvidenceDescribeAlarmsInput): Promise<any> {
    this.alarmRequests.push(input);
    if (this.failAlarms) throw this.failAlarms;
    return this.alarmPages[Math.min(this.alarmRequests.length - 1, this.alarmPages.length - 1)];
  }

  public async filterLogEvents(input: EvidenceFilterLogEventsInput): Promise<any> {
    this.filterRequests.push(input);
    const error = this.failLogs?.(input);
    if (error) throw error;
    const sameGroup = this.filterRequests.filter((r) => r.filterPattern === input.filterPattern).length;
    return this.logPages[Math.min(sameGroup - 1, this.logPages.length - 1)];
  }
}

/** An SDK service error as the SDK throws it. */
export function sdkError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $fault: 'client', $metadata: { httpStatusCode: 400 } });
}
