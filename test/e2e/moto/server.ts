import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** The repository root (this file is test/e2e/moto/server.ts). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Where `bash scripts/e2e/setup.sh` installs moto. */
export const MOTO_SERVER_BIN = path.join(REPO_ROOT, '.venv-moto', 'bin', 'moto_server');

/** Credentials moto accepts (any value works; these are the documented test ones). */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** moto's default account. */
export const MOTO_ACCOUNT = '123456789012';

/**
 * Points this process's AWS SDK default credential chain at moto's credentials (the CLI reads them as it does for
 * users: no profile, no session token). Returns the function that restores the environment as it was.
 */
export function useMotoCredentials(): () => void {
  const saved = { ...process.env };
  process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  return () => { process.env = saved; };
}

/**
 * A moto server on loopback, started and stopped by the test that owns it.
 * It binds 127.0.0.1 on a free port; nothing else is contacted.
 */
export class MotoServer {
  /**
   * Starts `moto_server -H 127.0.0.1 -p <free port>` and waits until it answers. Every request acts in
   * `MOTO_ACCOUNT`, unless `multiAccount`: then credentials from STS AssumeRole act in the role's account
   * (moto's multi-account mode; `MOTO_ACCOUNT` remains the account of the default credentials).
   */
  public static async start(options: { multiAccount?: boolean } = {}): Promise<MotoServer> {
    if (!fs.existsSync(MOTO_SERVER_BIN)) {
      throw new Error(`moto is not installed (${path.relative(REPO_ROOT, MOTO_SERVER_BIN)} is missing). `
        + 'Create it with: bash scripts/e2e/setup.sh');
    }
    const port = await freePort();
    const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'moto-')), 'moto.log');
    const fd = fs.openSync(logFile, 'w');
    const child = spawn(MOTO_SERVER_BIN, ['-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', fd, fd],
      env: options.multiAccount
        ? Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'MOTO_ACCOUNT_ID'))
        : { ...process.env, MOTO_ACCOUNT_ID: MOTO_ACCOUNT },
    });
    fs.closeSync(fd);
    const server = new MotoServer(child, `http://127.0.0.1:${port}`, logFile);
    await server.waitUntilReady();
    return server;
  }

  private exited = false;

  private constructor(private readonly child: ChildProcess, public readonly endpoint: string, public readonly logFile: string) {
    child.on('exit', () => { this.exited = true; });
  }

  /**
   * The environment of a child process (the CLI run as users run it) that reaches this server only: moto's
   * credentials, its endpoint for every service, no config or credentials files; `extra` is added.
   */
  public childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ...extra,
    };
  }

  /** Forgets every resource (moto duplicates re-put metric filters, so each case starts clean). */
  public async reset(): Promise<void> {
    const response = await fetch(`${this.endpoint}/moto-api/reset`, { method: 'POST' });
    if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
  }

  /** The server's log so far. */
  public log(): string {
    return fs.readFileSync(this.logFile, 'utf-8');
  }

  /** Resource types moto's CloudFormation skipped since the server started ("No Moto CloudFormation support for X"). */
  public skippedCloudFormationTypes(): Set<string> {
    return new Set([...this.log().matchAll(/No Moto CloudFormation support for (\S+)/g)].map((m) => m[1]));
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
  public async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`moto_server exited during start-up:\n${this.log()}`);
      try {
        const response = await fetch(`${this.endpoint}/moto-api/`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await this.stop();
    throw new Error(`moto_server did not answer within 60 s:\n${this.log()}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address() as net.AddressInfo;
      probe.close(() => resolve(address.port));
    });
  });
}
