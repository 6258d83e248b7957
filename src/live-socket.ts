import { clientAddress } from './client-address';
import { originAllowed } from './cors-origins';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError, execute as graphqlExecute, getOperationAST, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppServices, Context } from './context';
import { buildContext } from './context-factory';
import { encodeCursor, type EventHub } from './events/event-hub';
import { batchFacts, type LiveChannel } from './events/subscriptions';
import { BatchMemo } from './events/batch-memo';
import { AudienceIndex } from './events/audience-index';
import { subscribeRidingOutages } from './events/live-execute';
import { CheckedOperations, coalesceWrites, dataOnDemand, sharePermissions } from './events/socket-economy';
import { operationOf, readStreamPositionFirst } from './events/stream-position';
import { createLoaders } from './graphql/loaders';
import { formatError } from './graphql/format-error';
import { resolveSession } from './services/auth.service';
import { bearerToken, verifyToken } from './services/tokens';

/**
 * graphql-js refuses variables that do not fit their types (a misspelt enum value, say) with a result
 * that has errors and no data, and no code: Apollo calls them BAD_USER_INPUT over HTTP, and so does
 * the socket, so that formatError shows them (without suggestions in production) rather than hiding
 * them as an internal error.
 */
function labelVariableErrors(result: ExecutionResult): ExecutionResult {
  if ('data' in result || !result.errors) return result;
  return {
    ...result,
    errors: result.errors.map((e) =>
      e.extensions?.code
        ? e
        : new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, extensions: { code: 'BAD_USER_INPUT' } }),
    ),
  };
}

/** Limits of the WebSocket endpoint. */
export const SOCKET_LIMITS = {
  maxPayloadBytes: 64 * 1024,
  subscriptionsPerSocket: 20,
} as const;

interface SocketState {
  socket: WebSocket;
  request: http.IncomingMessage;
  token?: string;
  accountId?: string;
  sessionId?: string;
  expiry?: NodeJS.Timeout;
  /** The operations running on this socket: id → query, mutation or subscription. */
  operations: Map<string, string>;
}

export interface LiveEndpoint {
  /** How many sockets are open on this process. */
  connections(): number;
  /** How many subscriptions are running on this process's sockets. */
  subscriptions(): number;
  /** Closes the sockets of an account (`a:<id>`) or of one session (`s:<id>`), on this process. */
  revoke(target: string): void;
  /** Sessions, accounts or rights changed somewhere (or notices may have been missed): every subscriber recomputes its audience. */
  viewersChanged(): void;
  /** The audience index's counts of wake-ups given and withheld. */
  audience(): AudienceIndex['stats'];
  /** Closes every socket with 1001 (Going Away) and stops taking new ones. */
  dispose(closeWithinMs?: number): Promise<void>;
}

/** Told of the operations and errors of the socket (metrics); the HTTP path reports through an Apollo plugin. */
export interface LiveObserver {
  /** An operation was taken (`type` set) or refused before it ran (`type` null). */
  operation(name: string | null | undefined, type: string | null): void;
  errors(errors: readonly GraphQLError[]): void;
}

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's /graphql: authentication in
 * `connection_init`, the Origin checked, a socket closed with 4401 when its session ends and 4403
 * when its token expires, bounded operations per socket and sockets per account, and a fresh
 * viewer for each event of a subscription.
 */
export function attachLiveEndpoint(
  httpServer: http.Server,
  schema: GraphQLSchema,
  app: AppServices,
  orm: MikroORM,
  hub: EventHub,
  opts: { slowClientMs: number; observer?: LiveObserver },
): LiveEndpoint {
  const observer = opts.observer;
  // Subscribers of this process taking the same batch share its session checks and queries.
  const memo = new BatchMemo();
  // Routing-event subscribers are woken only for the events that may concern them.
  const audience = new AudienceIndex(hub, (ids) => batchFacts(memo, encodeCursor(hub.head), [...ids].sort(), () => orm.em.fork()), app.log);
  const { config, log } = app;
  const sockets = new SocketRegistry();
  const states = new WeakMap<WebSocket, SocketState>();

  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: SOCKET_LIMITS.maxPayloadBytes,
    // Browsers send their Origin: the same rule as CORS over HTTP (src/cors-origins.ts), plus pages of this
    // server itself (/ide, /console). Other clients send none.
    verifyClient: ({ origin, req }: { origin?: string; req: http.IncomingMessage }) =>
      originAllowed(origin, config) || (origin !== undefined && sameHost(origin, req.headers.host)),
  });
  wsServer.on('connection', (socket, request) => {
    states.set(socket, { socket, request, operations: new Map() });
    coalesceWrites(socket, request.socket);
  });

  const checkedOperations = new CheckedOperations(schema, config.nodeEnv !== 'production');
  const stateOf = (extra: unknown): SocketState => states.get((extra as { socket: WebSocket }).socket)!;
  const masked = (e: GraphQLError): GraphQLError => {
    const f = formatError(e.toJSON(), e, undefined, log, { production: config.nodeEnv === 'production' });
    return new GraphQLError(f.message, { path: f.path as (string | number)[] | undefined, extensions: f.extensions });
  };

  const cleanup = useServer<{ authorization?: string }, { socket: WebSocket; request: http.IncomingMessage }>(
    {
      schema,
      execute: async (args) => {
        // A query that asks for routingEventsCursor reads it before any of its fields runs.
        await readStreamPositionFirst(args.contextValue as Context, args.document, operationOf(args.document, args.operationName));
        return labelVariableErrors(await graphqlExecute(args));
      },
      // An event whose fields met a lost connection is resolved again rather than sent with a hole in it.
      subscribe: async (args) => {
        const r = await subscribeRidingOutages(args);
        return Symbol.asyncIterator in r ? r : labelVariableErrors(r);
      },
      onConnect: async (ctx) => {
        const s = stateOf(ctx.extra);
        const token = bearerToken(ctx.connectionParams?.authorization);
        if (!token) return false;
        const resolved = await resolveSession(orm.em.fork(), app, token);
        if ('problem' in resolved) return false;
        const id = resolved.viewer.accountId;
        if (sockets.ofAccount(id) >= config.wsConnectionsPerAccount) {
          s.socket.close(4429, 'Too many connections for this account');
          return false;
        }
        s.token = token;
        s.accountId = id;
        s.sessionId = resolved.sessionId;
        sockets.add(s);
        const claims = verifyToken(token, config.tokenSecret, Math.floor(app.clock.now().getTime() / 1000));
        if (claims) {
          const ms = claims.exp * 1000 - app.clock.now().getTime();
          s.expiry = setTimeout(() => s.socket.close(4403, 'Token expired: sign in again'), Math.min(Math.max(ms, 0), 2 ** 31 - 1));
          s.expiry.unref();
        }
        return true;
      },
      // Parsed and validated here rather than by graphql-ws, which parses with no token limit: the
      // same limits and codes as over HTTP, and the refusal masked the same way.
      onSubscribe: (ctx, id, payload) => {
        const s = stateOf(ctx.extra);
        if (s.operations.size >= SOCKET_LIMITS.subscriptionsPerSocket) {
          const refused = [
            new GraphQLError(`At most ${SOCKET_LIMITS.subscriptionsPerSocket} operations at once on one socket.`, { extensions: { code: 'BAD_USER_INPUT' } }),
          ];
          // The refusal reaches onError, which reports its errors.
          observer?.operation(payload.operationName, null);
          return refused;
        }
        const checked = checkedOperations.check(payload.query);
        if ('errors' in checked) {
          observer?.operation(payload.operationName, null);
          return checked.errors.map(masked);
        }
        const operation = getOperationAST(checked.document, payload.operationName);
        const type = operation?.operation ?? 'query';
        observer?.operation(operation?.name?.value, type);
        s.operations.set(id, type);
        return { schema, document: checked.document, operationName: payload.operationName, variableValues: payload.variables };
      },
      // An operation ends with onComplete, or with onError alone when it fails: both free its place.
      onComplete: (ctx, id) => {
        stateOf(ctx.extra)?.operations.delete(id);
      },
      onClose: (ctx) => {
        const s = stateOf(ctx.extra);
        if (!s) return;
        clearTimeout(s.expiry);
        sockets.remove(s);
      },
      context: async (ctx, id) => {
        const s = stateOf(ctx.extra);
        // The rights epoch the session check begins in: a change of rights meanwhile makes the ability suspect.
        const checkedIn = audience.epoch;
        const c = await buildContext(
          app,
          orm,
          s.token ?? null,
          clientAddress(s.request.socket.remoteAddress, s.request.headers['x-forwarded-for']),
          randomUUID(),
        );
        c.token = s.token;
        const channel = liveChannel(app, orm, hub, memo, audience, s, opts.slowClientMs);
        channel.checkedIn = checkedIn;
        c.live = channel;
        // A subscription reads nothing through its context until its first batch, which renews it: an
        // idle one keeps no manager or loaders of its own.
        if (s.operations.get(id) === 'subscription') {
          dataOnDemand(c, orm);
          sharePermissions(c);
        }
        return c;
      },
      onNext: async (_ctx, _id, _payload, _args, result) => {
        if ('errors' in result && result.errors) {
          observer?.errors(result.errors);
          return { ...result, errors: result.errors.map(masked) };
        }
        return result;
      },
      onError: (ctx, id, _payload, errors) => {
        stateOf(ctx.extra)?.operations.delete(id);
        observer?.errors(errors);
        log.warn({ errors: errors.map((e) => e.message) }, 'websocket operation failed');
      },
    },
    wsServer,
  );

  return {
    connections: () => wsServer.clients.size,
    subscriptions() {
      let n = 0;
      for (const client of wsServer.clients) for (const type of states.get(client)?.operations.values() ?? []) if (type === 'subscription') n++;
      return n;
    },
    revoke: (target: string) => sockets.revoke(target),
    viewersChanged: () => audience.rightsChanged(),
    audience: () => audience.stats,
    async dispose(closeWithinMs = 2000) {
      audience.stop();
      // graphql-ws closes every socket with 1001 (Going Away) and waits until they are all closed; a
      // client that does not answer the close frame is dropped after `closeWithinMs`.
      const closed = Promise.resolve(cleanup.dispose()).catch(() => undefined);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, closeWithinMs)))]);
      clearTimeout(timer);
      for (const client of wsServer.clients) client.terminate();
      await closed;
    },
  };
}

/**
 * What a subscription of socket `s` needs from the server: the event hub, the shared batch work, a way
 * to close its socket, and `refresh`, which checks the session again before each batch and gives the
 * operation's context a fresh manager, viewer, ability and loaders.
 */
function liveChannel(
  app: AppServices,
  orm: MikroORM,
  hub: EventHub,
  memo: BatchMemo,
  audience: AudienceIndex,
  s: SocketState,
  slowClientMs: number,
): LiveChannel {
  const channel: LiveChannel = {
    hub,
    audience,
    slowClientMs,
    close: (code, reason) => {
      s.socket.close(code, reason);
      // A client that does not read will not read the close frame either: drop the connection.
      setTimeout(() => s.socket.terminate(), 1000).unref();
    },
    memo,
    backlogged: () => s.socket.bufferedAmount > 0,
    refresh: async (target: Context, tick?: string) => {
      // The rights epoch this check begins in (see LiveChannel.checkedIn).
      const epoch = (channel.checkedIn = audience.epoch);
      const check = () => buildContext(app, orm, s.token ?? null, target.clientAddress, target.requestId, { recordUse: false });
      // Not shared across a change of rights (the audience index's epoch): a check from before it may be stale.
      const fresh = tick ? await memo.get(`session|${s.token}|${tick}|${epoch}`, check) : await check();
      if (!fresh.viewer) {
        s.socket.close(4401, 'Session ended');
        return false;
      }
      // graphql-ws builds the context once per operation: the same object is refreshed for each event,
      // with a fresh identity map and loaders, shared (like the session check) by the subscribers of the
      // session taking the same batch: they read the same things as the same viewer.
      const fork = () => {
        const em = orm.em.fork();
        return { em, loaders: createLoaders(em) };
      };
      const data = tick ? await memo.get(`em|${s.token}|${tick}|${epoch}`, async () => fork()) : fork();
      renewForEvent(target, fresh, data.em, data.loaders);
      return true;
    },
  };
  return channel;
}

/** The per-event part of a subscription's context, renewed field by field (the operation keeps its object). */
function renewForEvent(target: Context, fresh: Context, em: Context['em'], loaders: Context['loaders']): void {
  target.em = em;
  target.loaders = loaders;
  target.viewer = fresh.viewer;
  target.ability = fresh.ability;
  target.mustChangePassword = fresh.mustChangePassword;
  target.sessionId = fresh.sessionId;
}

/** The open sockets of this process by account and by session, to count them and to close them on revocation. */
class SocketRegistry {
  private readonly byAccount = new Map<string, Set<SocketState>>();
  private readonly bySession = new Map<string, Set<SocketState>>();

  add(s: SocketState): void {
    SocketRegistry.index(this.byAccount, s.accountId, s);
    SocketRegistry.index(this.bySession, s.sessionId, s);
  }

  remove(s: SocketState): void {
    SocketRegistry.unindex(this.byAccount, s.accountId, s);
    SocketRegistry.unindex(this.bySession, s.sessionId, s);
  }

  ofAccount(accountId: string): number {
    return this.byAccount.get(accountId)?.size ?? 0;
  }

  /** Closes the sockets of an account (`a:<id>`) or of one session (`s:<id>`) with 4401. */
  revoke(target: string): void {
    const map = target.startsWith('s:') ? this.bySession : this.byAccount;
    for (const s of map.get(target.slice(2)) ?? []) s.socket.close(4401, 'Session ended');
  }

  private static index(map: Map<string, Set<SocketState>>, key: string | undefined, s: SocketState): void {
    if (!key) return;
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(s);
  }

  private static unindex(map: Map<string, Set<SocketState>>, key: string | undefined, s: SocketState): void {
    if (!key) return;
    const set = map.get(key);
    set?.delete(s);
    if (set && set.size === 0) map.delete(key);
  }
}

export { CloseCode };

/** Whether a browser's Origin is this server's own address (as the browser reached it). */
function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
