import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AuditApiError } from './api';
import { AuditCredentials, ClientCache, ClientSettings } from './client-cache';
import { call } from './sdk-api';

/**
 * STS AssumeRole into member accounts: one copy for the self-audit's organization mode
 * (src/construct/audit/self-audit.lambda.ts) and, through src/cli-support.ts, `audit --organization`
 * (packages/cli/src/aws/organization-sdk.ts). Imports only the STS client (the CLI's dependency, the Lambda
 * runtime's SDK); named `sdk-*` as the files that may.
 */

/** The session name of every assumed role (CloudTrail shows it in the member account). */
export const AUDIT_ROLE_SESSION_NAME = 'cdk-cis-log-monitoring-audit';

/** `arn:<partition>:iam::<account>:role/<name>`: the role assumed in a member account. */
export function memberRoleArn(partition: string, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}

/** Assumes roles with the caller's credentials (the SDK's default chain unless the settings give others). */
export class RoleAssumer {
  private readonly clients: ClientCache;
  private partition: Promise<string> | undefined;

  constructor(private readonly region: string, settings: ClientSettings = {}) {
    this.clients = new ClientCache(settings);
  }

  /** `aws` (or `aws-cn`, `aws-us-gov`) from the caller's ARN; asked once. */
  public callerPartition(): Promise<string> {
    return (this.partition ??= call('sts:GetCallerIdentity',
      () => this.clients.get(STSClient, this.region).send(new GetCallerIdentityCommand({}))).then((out) => out.Arn?.split(':')[1] || 'aws'));
  }

  /** The credentials of `roleArn`; an `AuditApiError` naming the role when it cannot be assumed. */
  public async credentialsFor(roleArn: string, sessionName: string = AUDIT_ROLE_SESSION_NAME): Promise<AuditCredentials> {
    const operation = `sts:AssumeRole (${roleArn})`;
    const out = await call(operation, () => this.clients.get(STSClient, this.region).send(new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: sessionName,
    })));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new AuditApiError(operation, 'NoCredentials', 'the answer has no credentials');
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  }

  /** Closes the STS clients. */
  public destroy(): void {
    this.clients.destroy();
  }
}
