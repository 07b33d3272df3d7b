import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { AuditCredentials } from './client-cache';
import { AsffFinding, ConfigEvaluation, FailedFinding, SelfAuditDatum, SelfAuditSink } from './self-audit';
import { SigningCredentials, postJson, serviceEndpoint } from './signed-json';

/**
 * The self-audit's three write calls in one region: `cloudwatch:PutMetricData` through the AWS SDK v3 (the Lambda
 * runtime's), `securityhub:BatchImportFindings` and `config:PutEvaluations` as signed JSON requests (signed-json.ts
 * says why) with the credentials the SDK client resolved (the SDK's default chain: the function's role).
 *
 * Reachable only from the self-audit function (src/construct/audit/self-audit.lambda.ts) and tests: the library's
 * entry points never load it, so the library keeps no runtime dependency.
 */
export class SdkSelfAuditSink implements SelfAuditSink {
  private readonly cloudwatch: CloudWatchClient;

  /**
   * `endpoint`: every call goes there instead of AWS (a local emulator, in tests). `credentials`: a member account's
   * assumed-role credentials (organization mode); by default the SDK's chain (the function's role).
   */
  constructor(private readonly region: string, private readonly endpoint?: string, credentials?: AuditCredentials) {
    this.cloudwatch = new CloudWatchClient({ region, maxAttempts: 5, ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}) });
  }

  public async putMetricData(namespace: string, data: SelfAuditDatum[]): Promise<void> {
    await this.cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
  }

  public async batchImportFindings(findings: AsffFinding[]): Promise<{ failedCount: number; failedFindings: FailedFinding[] }> {
    // Security Hub CSPM's REST JSON API: POST /findings/import.
    const out = await postJson({
      service: 'securityhub',
      region: this.region,
      endpoint: this.endpoint ?? serviceEndpoint('securityhub', this.region),
      path: '/findings/import',
      headers: { 'content-type': 'application/json' },
      body: { Findings: findings },
    }, await this.credentials());
    return { failedCount: Number(out.FailedCount ?? 0), failedFindings: out.FailedFindings ?? [] };
  }

  public async putEvaluations(resultToken: string, evaluations: ConfigEvaluation[]): Promise<void> {
    // AWS Config's JSON 1.1 API (target StarlingDoveService.PutEvaluations); timestamps are epoch seconds.
    const out = await postJson({
      service: 'config',
      region: this.region,
      endpoint: this.endpoint ?? serviceEndpoint('config', this.region),
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'StarlingDoveService.PutEvaluations' },
      body: {
        ResultToken: resultToken,
        Evaluations: evaluations.map((e) => ({ ...e, OrderingTimestamp: e.OrderingTimestamp.getTime() / 1000 })),
      },
    }, await this.credentials());
    const failed = (out.FailedEvaluations ?? []) as unknown[];
    if (failed.length > 0) throw new Error(`AWS Config refused ${failed.length} evaluation(s): ${JSON.stringify(failed)}`);
  }

  public destroy(): void {
    this.cloudwatch.destroy();
  }

  /** The credentials the SDK's default chain resolves (the function's role in Lambda). */
  private async credentials(): Promise<SigningCredentials> {
    const provider = this.cloudwatch.config.credentials as () => Promise<SigningCredentials>;
    return provider();
  }
}
