import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { isConnectionFailure } from '../db/faults';
import { reconnectDelay } from '../db/listen-connection';

/** How many times one event's fields are resolved again when the database connection was lost meanwhile. */
export const EVENT_RESOLVE_ATTEMPTS = 12;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * graphql's `subscribe`, except that an event whose fields could not be resolved because the database
 * connection was lost is resolved again after a growing pause instead of reaching the client with a
 * SERVICE_UNAVAILABLE hole in it: the stream has already committed to delivering that event, so the
 * client should get it whole. After {@link EVENT_RESOLVE_ATTEMPTS} tries (about 40 s) it is sent as it is.
 */
export async function subscribeRidingOutages(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const iterator = source[Symbol.asyncIterator]();
  const resolve = async (payload: unknown): Promise<ExecutionResult> => {
    for (let attempt = 0; ; attempt++) {
      const result = await execute({ ...args, rootValue: payload });
      if (attempt + 1 >= EVENT_RESOLVE_ATTEMPTS || !result.errors?.some((e) => isConnectionFailure(e))) return result;
      await sleep(reconnectDelay(attempt));
    }
  };
  // A plain iterator rather than an async generator: `return()` must reach the source at once, even
  // while it waits for the next event (see `live` in subscriptions.ts).
  const mapped: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const n = await iterator.next();
      if (n.done) return { done: true, value: undefined };
      return { done: false, value: await resolve(n.value) };
    },
    async return() {
      await iterator.return?.();
      return { done: true, value: undefined };
    },
    async throw(err?: unknown) {
      if (iterator.throw) await iterator.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return mapped;
}
