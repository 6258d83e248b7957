import type { Client } from 'graphql-ws';

export interface Collected<T> {
  items: T[];
  errors: unknown[];
  done: boolean;
  /** Resolves when at least `n` items have arrived (or rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<T[]>;
  stop(): void;
}

/** Subscribes and keeps everything that arrives. */
export function collect<T>(client: Client, query: string, variables?: Record<string, unknown>): Collected<T> {
  const c: Collected<T> = {
    items: [],
    errors: [],
    done: false,
    waitFor(n, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          if (c.items.length >= n) return resolve(c.items);
          if (c.errors.length) return reject(new Error(`subscription failed: ${JSON.stringify(c.errors)}`));
          if (Date.now() - started > ms) return reject(new Error(`only ${c.items.length} of ${n} items after ${ms} ms`));
          setTimeout(check, 20);
        };
        check();
      });
    },
    stop: () => undefined,
  };
  c.stop = client.subscribe<T>(
    { query, variables },
    {
      next: (r) => {
        if (r.errors) c.errors.push(r.errors);
        else if (r.data) c.items.push(r.data);
      },
      // Said in words: a close event or an Error would show as {} in a failure message.
      error: (e) => c.errors.push(described(e)),
      complete: () => (c.done = true),
    },
  );
  return c;
}

/** What a graphql-ws client's error sink received, as something JSON shows: a close's code and reason, an Error's message, or GraphQL errors as they are. */
export function described(e: unknown): unknown {
  if (e instanceof Error) return { error: e.message };
  if (e && typeof e === 'object' && 'code' in e && 'reason' in e) return { closed: (e as { code: unknown }).code, reason: (e as { reason: unknown }).reason };
  return e;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until a graphql-ws client is connected. */
export function connected(client: Client): Promise<void> {
  return new Promise((resolve) => client.on('connected', () => resolve()));
}

/** Resolves with the close code of a graphql-ws client's socket. */
export function closed(client: Client): Promise<number> {
  return new Promise((resolve) => client.on('closed', (e) => resolve((e as { code: number }).code)));
}
