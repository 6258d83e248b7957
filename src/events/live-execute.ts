import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Context } from '../context';
import { isConnectionFailure } from '../db/faults';
import { reconnectDelay } from '../db/listen-connection';

/** How many times one event's fields are resolved again when the database connection was lost meanwhile. */
export const EVENT_RESOLVE_ATTEMPTS = 12;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * What the fields of an event can depend on in a subscriber's context: the viewer, its rules, and the
 * versions read with its session. Two subscribers with the same fingerprint, taking the same event in
 * the same batch, get the same result. Computed once per ability (rebuilt at each session check).
 */
const fingerprints = new WeakMap<object, number>();
/** Each distinct fingerprint text gets a small number, so the per-event key is short (an event is looked up once per subscriber). */
const fingerprintIds = new Map<string, number>();
function fingerprint(ctx: Context): number | null {
  if (!ctx.viewer) return null;
  let f = fingerprints.get(ctx.ability);
  if (f === undefined) {
    const text = JSON.stringify([ctx.viewer, ctx.ability.rules, ctx.calendarVersion ?? null, ctx.mustChangePassword]);
    f = fingerprintIds.get(text);
    if (f === undefined) {
      // Bounded: past the limit the numbering starts again (results already shared keep their own keys' meaning for one batch only).
      if (fingerprintIds.size >= 100_000) fingerprintIds.clear();
      fingerprintIds.set(text, (f = nextId++));
    }
    fingerprints.set(ctx.ability, f);
  }
  return f;
}
let nextId = 0;

/**
 * Results shared between subscribers: per event object (the batch's rows are shared by the subscribers
 * of the process, see subscriptions.ts), per operation and fingerprint. A result with errors is not
 * shared: each subscriber then resolves the event itself.
 */
const shared = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
const operationIds = new Map<string, number>();
function operationId(text: string): number {
  let id = operationIds.get(text);
  if (id === undefined) {
    if (operationIds.size >= 100_000) operationIds.clear();
    operationIds.set(text, (id = nextId++));
  }
  return id;
}

function sharedExecute(args: ExecutionArgs, operation: number, payload: unknown): Promise<ExecutionResult> {
  const fp = payload && typeof payload === 'object' ? fingerprint(args.contextValue as Context) : null;
  if (fp === null) return Promise.resolve(execute({ ...args, rootValue: payload }));
  let byKey = shared.get(payload as object);
  if (!byKey) shared.set(payload as object, (byKey = new Map()));
  const key = `${operation}|${fp}`;
  const hit = byKey.get(key);
  if (hit) return hit.then((r) => (r.errors?.length ? execute({ ...args, rootValue: payload }) : r));
  const result = Promise.resolve(execute({ ...args, rootValue: payload }));
  byKey.set(key, result);
  return result;
}

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
  // The operation as the client wrote it, with its variables: part of what makes a result shareable.
  const operation = operationId(
    JSON.stringify([args.document.loc?.source.body ?? print(args.document), args.operationName ?? null, args.variableValues ?? null]),
  );
  const resolve = async (payload: unknown): Promise<ExecutionResult> => {
    for (let attempt = 0; ; attempt++) {
      const result = attempt === 0 ? await sharedExecute(args, operation, payload) : await execute({ ...args, rootValue: payload });
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
