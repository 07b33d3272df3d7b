import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ClientCache, ClientSettings } from './client-cache';
import {
  EvidenceApi, EvidenceDescribeAlarmsInput, EvidenceDescribeAlarmsOutput, EvidenceFilterLogEventsInput, EvidenceFilterLogEventsOutput,
  EvidenceGetMetricDataInput, EvidenceGetMetricDataOutput,
} from '../evidence/collector';

/**
 * The evidence report's three read-only calls (`EvidenceApi`: GetMetricData, FilterLogEvents, DescribeAlarms)
 * through the AWS SDK for JavaScript v3, with an audit's client settings (endpoint, assumed-role credentials). The
 * requests and responses are the SDK's own shapes, passed through.
 *
 * One copy for `audit --html` (the CLI, through src/cli-support.ts) and the self-audit function
 * (src/construct/audit/self-audit.lambda.ts, on the Lambda runtime's SDK). Only those and tests load it, never
 * src/index.ts, so the library keeps no runtime dependency.
 */
export class SdkEvidenceApi implements EvidenceApi {
  private readonly clients: ClientCache;

  constructor(private readonly region: string, settings: ClientSettings = {}) {
    this.clients = new ClientCache(settings);
  }

  public async getMetricData(input: EvidenceGetMetricDataInput): Promise<EvidenceGetMetricDataOutput> {
    return this.clients.get(CloudWatchClient, this.region).send(new GetMetricDataCommand(input));
  }

  public async filterLogEvents(input: EvidenceFilterLogEventsInput): Promise<EvidenceFilterLogEventsOutput> {
    return this.clients.get(CloudWatchLogsClient, this.region).send(new FilterLogEventsCommand(input));
  }

  public async describeAlarms(input: EvidenceDescribeAlarmsInput): Promise<EvidenceDescribeAlarmsOutput> {
    return this.clients.get(CloudWatchClient, this.region).send(new DescribeAlarmsCommand(input));
  }

  /** Closes the clients. */
  public destroy(): void {
    this.clients.destroy();
  }
}
