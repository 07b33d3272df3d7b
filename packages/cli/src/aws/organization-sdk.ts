import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import {
  AuditApi, AuditCredentials, ClientCache, ClientSettings, RoleAssumer, SdkAuditApi, SdkEvidenceApi, call, memberRoleArn,
} from 'cdk-cis-log-monitoring/lib/cli-support';
import { AccountAccess, OrgAccount } from '../account/organization';

/** The account states Organizations lists; only ACTIVE accounts can be audited. */
const ACTIVE = 'ACTIVE';

/**
 * Lists the organization's accounts with the caller's credentials (the management account or a delegated
 * administrator) and reads each account through STS AssumeRole of `roleName` in it.
 */
export class SdkAccountAccess implements AccountAccess {
  private readonly clients: ClientCache;
  /** STS AssumeRole, the library's (shared with the self-audit's organization mode). */
  private readonly assumer: RoleAssumer;
  /** The assumed-role credentials of each API `apiFor` made (for `evidenceApiFor`). */
  private readonly credentials = new WeakMap<AuditApi, AuditCredentials>();

  constructor(private readonly roleName: string, private readonly region: string, private readonly settings: ClientSettings = {}) {
    this.clients = new ClientCache(settings);
    this.assumer = new RoleAssumer(region, settings);
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
    // The partition of the caller's credentials (asked once), for the role ARNs.
    const partition = await this.assumer.callerPartition();
    const credentials = await this.assumer.credentialsFor(memberRoleArn(partition, account.id, this.roleName));
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
    this.assumer.destroy();
  }
}
