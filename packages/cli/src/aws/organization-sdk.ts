import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AuditApi, AuditApiError, AuditCredentials, ClientCache, ClientSettings, SdkAuditApi, SdkEvidenceApi } from 'cdk-cis-log-monitoring/lib/cli-support';
import { AccountAccess, OrgAccount } from '../account/organization';

/** The account states Organizations lists; only ACTIVE accounts can be audited. */
const ACTIVE = 'ACTIVE';

/**
 * Lists the organization's accounts with the caller's credentials (the management account or a delegated
 * administrator) and reads each account through STS AssumeRole of `roleName` in it.
 */
export class SdkAccountAccess implements AccountAccess {
  private readonly clients: ClientCache;
  private partition: Promise<string> | undefined;
  /** The assumed-role credentials of each API `apiFor` made (for `evidenceApiFor`). */
  private readonly credentials = new WeakMap<AuditApi, AuditCredentials>();

  constructor(private readonly roleName: string, private readonly region: string, private readonly settings: ClientSettings = {}) {
    this.clients = new ClientCache(settings);
  }

  public async listAccounts(): Promise<OrgAccount[]> {
    const accounts: OrgAccount[] = [];
    await call('organizations:ListAccounts', async () => {
      for await (const page of paginateListAccounts({ client: this.clients.get(OrganizationsClient, this.region) }, {})) {
        for (const a of page.Accounts ?? []) {
          // `State` replaces `Status` (retired September 2026); either says ACTIVE for an account that can be read.
          if ((a.State ?? a.Status) === ACTIVE && a.Id) accounts.push({ id: a.Id, ...(a.Name ? { name: a.Name } : {}) });
        }
      }
    });
    return accounts;
  }

  public async apiFor(account: OrgAccount): Promise<AuditApi> {
    const partition = await (this.partition ??= this.callerPartition());
    const roleArn = `arn:${partition}:iam::${account.id}:role/${this.roleName}`;
    const out = await call(`sts:AssumeRole (${roleArn})`, () => this.clients.get(STSClient, this.region).send(new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: 'cdk-cis-log-monitoring-audit',
    })));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new AuditApiError(`sts:AssumeRole (${roleArn})`, 'NoCredentials', 'the answer has no credentials');
    const credentials = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    const api = new SdkAuditApi({ endpoint: this.settings.endpoint, credentials });
    this.credentials.set(api, credentials);
    return api;
  }

  public evidenceApiFor(api: AuditApi): SdkEvidenceApi {
    const credentials = this.credentials.get(api);
    if (!credentials) throw new Error('evidenceApiFor: not an API of this access');
    return new SdkEvidenceApi(this.region, { endpoint: this.settings.endpoint, credentials });
  }

  public release(api: AuditApi): void {
    (api as SdkAuditApi).destroy?.();
  }

  /** Closes the clients of the caller's credentials. */
  public destroy(): void {
    this.clients.destroy();
  }

  /** `aws` (or `aws-cn`, `aws-us-gov`) from the caller's ARN, for the role ARNs. */
  private async callerPartition(): Promise<string> {
    const out = await call('sts:GetCallerIdentity', () => this.clients.get(STSClient, this.region).send(new GetCallerIdentityCommand({})));
    return out.Arn?.split(':')[1] || 'aws';
  }
}

async function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    if (e instanceof AuditApiError) throw e;
    const error = e as { name?: string; message?: string };
    throw new AuditApiError(operation, error.name ?? 'Error', error.message ?? String(e));
  }
}
