import { AuditApi, AuditApiError } from './api';

/**
 * Runs `work` on every item with at most `concurrency` at a time; the results are in the order of `items`. Shared by
 * `audit --organization` and the self-audit's organization mode. No import but the API's types: the CLI reaches it
 * through src/cli-support.ts.
 */
export async function mapBounded<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

/**
 * The API with a deadline: a call still unanswered at `deadline` (epoch ms), or made after it, fails with an
 * `AuditApiError` (`Timeout`), which the live adapter turns into UNKNOWN for what needed it. The abandoned request is
 * closed with its client.
 */
export function withDeadline(api: AuditApi, deadline: number): AuditApi {
  return new Proxy(api, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'destroy') return value;
      return (...args: unknown[]): Promise<unknown> => {
        const remaining = deadline - Date.now();
        const late = (): AuditApiError => new AuditApiError(String(property), 'Timeout', 'the account\'s time budget of the self-audit ran out');
        if (remaining <= 0) return Promise.reject(late());
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(late()), remaining); });
        return Promise.race([(value as (...a: unknown[]) => Promise<unknown>).apply(target, args), timeout]).finally(() => clearTimeout(timer));
      };
    },
  });
}
