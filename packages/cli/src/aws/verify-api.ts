import { CloudWatchClient, DescribeAlarmsCommand, paginateDescribeAlarmHistory, SetAlarmStateCommand, StateValue } from '@aws-sdk/client-cloudwatch';
import { ClientCache, ClientSettings, SdkAuditApi, SubscriptionInfo, call } from 'cdk-cis-log-monitoring/lib/cli-support';

/** An alarm as `cloudwatch describe-alarms --alarm-names <name>` returns it: what the delivery test needs. */
export interface AlarmStateInfo {
  readonly alarmName: string;
  /** `OK`, `ALARM` or `INSUFFICIENT_DATA`. */
  readonly stateValue: string;
  readonly actionsEnabled: boolean;
  readonly alarmActions: string[];
}

/** One item of `cloudwatch describe-alarm-history`, as AWS returns it. */
export interface AlarmHistoryItemInfo {
  readonly timestamp: Date;
  /** `Action`, `StateUpdate` or `ConfigurationUpdate`. */
  readonly historyItemType: string;
  /** `Successfully executed action arn:…`, `Failed to execute action arn:…. Received error: "…"`, `Alarm updated from OK to ALARM`. */
  readonly historySummary: string;
  /** JSON text: `{"actionState":"Failed","notificationResource":"arn:…","error":"…"}` for actions, `{"newState":{…}}` for state updates. */
  readonly historyData?: string;
}

/** The calls of `verify`: two writes (SetAlarmState) around reads. Errors are `AuditApiError`s naming the IAM action. */
export interface VerifyApi {
  /** `cloudwatch describe-alarms --alarm-names <name>`; `undefined` when there is no such metric alarm. */
  describeAlarm(region: string, alarmName: string): Promise<AlarmStateInfo | undefined>;
  /** `cloudwatch set-alarm-state` */
  setAlarmState(region: string, alarmName: string, stateValue: string, stateReason: string): Promise<void>;
  /** `cloudwatch describe-alarm-history --alarm-name <name> --start-date <since>`, every page, every item type. */
  describeAlarmHistory(region: string, alarmName: string, since: Date): Promise<AlarmHistoryItemInfo[]>;
  /** `sns list-subscriptions-by-topic`, every page; `undefined` when the topic does not exist. */
  listSubscriptionsByTopic(region: string, topicArn: string): Promise<SubscriptionInfo[] | undefined>;
}

/** The verify calls through the AWS SDK for JavaScript v3. */
export class SdkVerifyApi implements VerifyApi {
  private readonly clients: ClientCache;
  private readonly reads: SdkAuditApi;

  constructor(settings: ClientSettings = {}) {
    this.clients = new ClientCache(settings);
    this.reads = new SdkAuditApi(settings);
  }

  public async describeAlarm(region: string, alarmName: string): Promise<AlarmStateInfo | undefined> {
    const out = await call('cloudwatch:DescribeAlarms',
      () => this.clients.get(CloudWatchClient, region).send(new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['MetricAlarm'] })));
    const alarm = (out.MetricAlarms ?? []).find((a) => a.AlarmName === alarmName);
    if (!alarm) return undefined;
    return { alarmName, stateValue: alarm.StateValue ?? '', actionsEnabled: alarm.ActionsEnabled !== false, alarmActions: alarm.AlarmActions ?? [] };
  }

  public async setAlarmState(region: string, alarmName: string, stateValue: string, stateReason: string): Promise<void> {
    await call('cloudwatch:SetAlarmState', () => this.clients.get(CloudWatchClient, region).send(new SetAlarmStateCommand({
      AlarmName: alarmName, StateValue: stateValue as StateValue, StateReason: stateReason,
    })));
  }

  public async describeAlarmHistory(region: string, alarmName: string, since: Date): Promise<AlarmHistoryItemInfo[]> {
    const items: AlarmHistoryItemInfo[] = [];
    await call('cloudwatch:DescribeAlarmHistory', async () => {
      const pages = paginateDescribeAlarmHistory({ client: this.clients.get(CloudWatchClient, region) },
        { AlarmName: alarmName, StartDate: since, ScanBy: 'TimestampAscending' });
      for await (const page of pages) {
        for (const item of page.AlarmHistoryItems ?? []) {
          items.push({
            timestamp: item.Timestamp ?? new Date(0),
            historyItemType: item.HistoryItemType ?? '',
            historySummary: item.HistorySummary ?? '',
            historyData: item.HistoryData,
          });
        }
      }
    });
    return items;
  }

  public listSubscriptionsByTopic(region: string, topicArn: string): Promise<SubscriptionInfo[] | undefined> {
    return this.reads.listSubscriptionsByTopic(region, topicArn);
  }

  public destroy(): void {
    this.clients.destroy();
    this.reads.destroy();
  }
}
