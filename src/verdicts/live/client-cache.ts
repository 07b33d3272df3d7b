/** Static credentials, e.g. from STS AssumeRole (the shape of the SDK's `AwsCredentialIdentity`). */
export interface AuditCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** What every AWS SDK client of one audit is made with. */
export interface ClientSettings {
  /** Send every call to this endpoint instead of AWS (e.g. a local emulator). `AWS_ENDPOINT_URL` works too. */
  readonly endpoint?: string;
  /** @default the SDK's default chain (environment, profile, SSO, web identity, container or instance role) */
  readonly credentials?: AuditCredentials;
  /** @default the SDK's HTTP handler (tests pass one that answers with recorded AWS responses) */
  readonly requestHandler?: unknown;
}

/** The constructor of an AWS SDK v3 client. */
type ClientClass<T> = new (config: {
  region: string; endpoint?: string; maxAttempts: number; credentials?: AuditCredentials; requestHandler?: any;
}) => T;

/**
 * One client per service and region, made on first use with the same settings, shared by every call
 * of an audit (the SDK clients keep their connections and resolved credentials).
 */
export class ClientCache {
  private readonly clients = new Map<string, unknown>();

  constructor(private readonly settings: ClientSettings = {}) {}

  public get<T>(type: ClientClass<T>, region: string): T {
    const key = `${type.name}:${region}`;
    let found = this.clients.get(key) as T | undefined;
    if (!found) {
      const { endpoint, credentials, requestHandler } = this.settings;
      found = new type({
        region,
        maxAttempts: 5,
        ...(endpoint ? { endpoint } : {}),
        ...(credentials ? { credentials } : {}),
        ...(requestHandler ? { requestHandler } : {}),
      });
      this.clients.set(key, found);
    }
    return found;
  }

  /** Closes every client's connections. */
  public destroy(): void {
    for (const client of this.clients.values()) (client as { destroy?: () => void }).destroy?.();
    this.clients.clear();
  }
}
