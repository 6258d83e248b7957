import type { MikroORM } from '@mikro-orm/postgresql';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Context } from '../context';
import { createLoaders } from '../graphql/loaders';
import { checkOperation } from '../graphql/query-limits';

/**
 * What keeps thousands of open subscriptions cheap in CPU and memory (used by src/live-socket.ts).
 */

/** How much a socket may hold unsent before a write is again reported done only once the kernel took it. */
export const EARLY_ACK_LIMIT_BYTES = 64 * 1024;

/**
 * Writes of one socket made in the same turn of the event loop leave in one system call: the socket is
 * corked at the first and uncorked on the next turn. graphql-ws waits for each write's callback before
 * it takes the next event of a subscription; the callback is called at once while the socket holds
 * less than {@link EARLY_ACK_LIMIT_BYTES}, so a batch of events goes out together. Past that the
 * callback waits for the kernel again, so a client that stops reading still holds the stream back
 * (and is closed by the slow-client guard) and server memory stays bounded.
 */
export function coalesceWrites(ws: WebSocket, raw: Duplex): void {
  const send = ws.send.bind(ws) as (...args: unknown[]) => void;
  let corked = false;
  const flush = () => {
    corked = false;
    raw.uncork();
  };
  ws.send = ((...args: unknown[]) => {
    if (!corked && !raw.destroyed) {
      corked = true;
      raw.cork();
      setImmediate(flush);
    }
    const last = args[args.length - 1];
    if (typeof last === 'function' && raw.writableLength < EARLY_ACK_LIMIT_BYTES) {
      const done = last as (err?: Error) => void;
      // A failed write closes the socket, which ends its operations: nothing more to report.
      send(...args.slice(0, -1), () => undefined);
      queueMicrotask(() => done());
      return;
    }
    send(...args);
  }) as WebSocket['send'];
}

/**
 * Parsing and validating an operation depends only on its text (the schema and the introspection
 * setting are fixed): thousands of clients subscribing with the same text share one checked document,
 * one copy in memory and one validation. Bounded; the oldest text is forgotten first.
 */
export class CheckedOperations {
  private readonly cache = new Map<string, { document: DocumentNode } | { errors: GraphQLError[] }>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly introspection: boolean,
    private readonly max = 500,
  ) {}

  check(query: string): { document: DocumentNode } | { errors: GraphQLError[] } {
    const hit = this.cache.get(query);
    if (hit) return hit;
    const checked = checkOperation(this.schema, query, { introspection: this.introspection });
    // Refusals are not kept: they are rare, and their errors carry positions of one request.
    if ('document' in checked && query.length <= 16 * 1024) {
      if (this.cache.size >= this.max) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(query, checked);
    }
    return checked;
  }
}

/**
 * A subscription's context gets its manager and loaders when something first reads them: an idle
 * subscription (most of them, most of the time) keeps neither; each batch renews both anyway.
 */
export function dataOnDemand(c: Context, orm: MikroORM): void {
  let em: Context['em'] | undefined;
  let loaders: Context['loaders'] | undefined;
  Object.defineProperty(c, 'em', {
    configurable: true,
    enumerable: true,
    get: () => (em ??= orm.em.fork()),
    set: (v: Context['em']) => (em = v),
  });
  Object.defineProperty(c, 'loaders', {
    configurable: true,
    enumerable: true,
    get: () => (loaders ??= createLoaders(c.em)),
    set: (v: Context['loaders']) => (loaders = v),
  });
}

/** One ability (and viewer) object per distinct viewer and rules, shared by the idle subscriptions that hold them. */
const permissions = new Map<string, WeakRef<{ ability: Context['ability']; viewer: NonNullable<Context['viewer']> }>>();
const forget = new FinalizationRegistry<string>((key) => {
  if (!permissions.get(key)?.deref()) permissions.delete(key);
});

/**
 * A subscription keeps the viewer and ability its context was built with until its first batch: the
 * subscriptions of one viewer under the same rules share one copy (CASL abilities index their rules,
 * which is most of an idle subscription's memory). Abilities are never changed once built.
 */
export function sharePermissions(c: Context): void {
  if (!c.viewer) return;
  const key = JSON.stringify([c.viewer, c.ability.rules]);
  const hit = permissions.get(key)?.deref();
  if (hit) {
    c.ability = hit.ability;
    c.viewer = hit.viewer;
    return;
  }
  const entry = { ability: c.ability, viewer: c.viewer };
  permissions.set(key, new WeakRef(entry));
  // The entry lives as long as a context holds its ability (the entry is reachable from neither otherwise).
  abilityEntries.set(c.ability, entry);
  forget.register(entry, key);
}
const abilityEntries = new WeakMap<object, object>();
