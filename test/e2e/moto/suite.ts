import { MotoClients } from './deploy';
import { MotoServer, useMotoCredentials } from './server';

/**
 * One moto server for the test file that calls this (at its top level): started before its tests (`beforeAll`),
 * with this process's AWS SDK default credential chain pointed at it, as the CLI reads credentials for users; then
 * `started` runs in the same hook with the server and clients in `region` (assign them, deploy what the file needs).
 * After the tests (`afterAll`) the clients are closed, the server stopped and the environment restored.
 */
export function motoForThisFile(options: {
  readonly region: string;
  /** The start hook's timeout (starting moto takes a few seconds; deploying more). */
  readonly timeoutMs?: number;
  readonly started: (moto: MotoServer, clients: MotoClients) => void | Promise<void>;
}): void {
  let moto: MotoServer | undefined;
  let clients: MotoClients | undefined;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    moto = await MotoServer.start();
    clients = new MotoClients(moto.endpoint, options.region);
    restoreEnv = useMotoCredentials();
    await options.started(moto, clients);
  }, options.timeoutMs ?? 90_000);
  afterAll(async () => {
    clients?.destroy();
    await moto?.stop();
    restoreEnv?.();
  });
}
