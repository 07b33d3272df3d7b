import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsSecurityFinding, BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AuditCredentials } from './client-cache';
import { AsffFinding, ConfigEvaluation, FailedFinding, SelfAuditDatum, SelfAuditSink } from './self-audit';

/**
 * The self-audit's write calls in one region through the AWS SDK v3 (the Lambda runtime's; not bundled):
 * `cloudwatch:PutMetricData`, `securityhub:BatchImportFindings`, `config:PutEvaluations` and, for the evidence
 * report, `s3:PutObject`. Credentials: the SDK's default chain (the function's role).
 *
 * Reachable only from the self-audit function (src/construct/audit/self-audit.lambda.ts) and tests: neither the
 * library's entry point nor src/cli-support.ts loads it, so the library keeps no runtime dependency and the packed
 * CLI needs neither the Security Hub nor the Config client.
 */
export class SdkSelfAuditSink implements SelfAuditSink {
  private readonly cloudwatch: CloudWatchClient;
  private readonly securityHub: SecurityHubClient;
  private readonly config: ConfigServiceClient;
  private readonly s3: S3Client;

  /**
   * `endpoint`: every call goes there instead of AWS (a local emulator, in tests). `credentials`: a member account's
   * assumed-role credentials (organization mode); by default the SDK's chain (the function's role).
   */
  constructor(region: string, endpoint?: string, credentials?: AuditCredentials) {
    const settings = { region, maxAttempts: 5, ...(endpoint ? { endpoint } : {}), ...(credentials ? { credentials } : {}) };
    this.cloudwatch = new CloudWatchClient(settings);
    this.securityHub = new SecurityHubClient(settings);
    this.config = new ConfigServiceClient(settings);
    // An emulator's endpoint has no bucket subdomains: path-style there.
    this.s3 = new S3Client({ ...settings, ...(endpoint ? { forcePathStyle: true } : {}) });
  }

  public async putMetricData(namespace: string, data: SelfAuditDatum[]): Promise<void> {
    await this.cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data }));
  }

  public async batchImportFindings(findings: AsffFinding[]): Promise<{ failedCount: number; failedFindings: FailedFinding[] }> {
    // The SDK types `Partition` as the partitions it knows; ours comes from the function's ARN (one of them).
    const out = await this.securityHub.send(new BatchImportFindingsCommand({ Findings: findings as AwsSecurityFinding[] }));
    return { failedCount: out.FailedCount ?? 0, failedFindings: out.FailedFindings ?? [] };
  }

  public async putEvaluations(resultToken: string, evaluations: ConfigEvaluation[]): Promise<void> {
    const out = await this.config.send(new PutEvaluationsCommand({ ResultToken: resultToken, Evaluations: evaluations }));
    const failed = out.FailedEvaluations ?? [];
    if (failed.length > 0) throw new Error(`AWS Config refused ${failed.length} evaluation(s): ${JSON.stringify(failed)}`);
  }

  public async putReport(bucket: string, key: string, html: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({
      Bucket: bucket, Key: key, Body: html, ContentType: 'text/html; charset=utf-8', CacheControl: 'no-cache',
    }));
  }

  public destroy(): void {
    this.cloudwatch.destroy();
    this.securityHub.destroy();
    this.config.destroy();
    this.s3.destroy();
  }
}
