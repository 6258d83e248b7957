import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { answerInSqlPlugin, stringifyResult } from './read/fast-operation';
import type { MikroORM } from '@mikro-orm/postgresql';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GraphQLSchema } from 'graphql';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from './config';
import { systemClock, type AppServices, type Clock, type Context } from './context';
export { buildContext } from './context-factory';
import { EventHub } from './events/event-hub';
import { RevocationListener } from './events/revocations';
import { SessionNotices } from './events/session-notices';
import { attachLiveEndpoint, type LiveEndpoint } from './live-socket';
import { trackHttp } from './http-drain';
import { originAllowed } from './cors-origins';
import { filesRouter, reportsRouter } from './files-routes';
import { exchangeRouter } from './exchange/routes';
import { webPagesRouter } from './web-pages';
import { ExchangeSender } from './exchange/sender';
import { formatError } from './graphql/format-error';
import { PARSE_OPTIONS, QUERY_VALIDATION_RULES } from './graphql/query-limits';
import { buildAppSchema } from './graphql/schema';
import { readStreamPositionFirst } from './events/stream-position';
import { buildContext } from './context-factory';
import { APP_ROLE, applicationConnection } from './db/app-role';
import { PasswordHasher } from './services/passwords';
import { AuditCheckpointer } from './audit/checkpoint';
import { PermissionStore } from './services/permission-store';
import { bearerToken } from './services/tokens';
import { systemLookup, type HostLookup } from './exchange/peer-address';
import { Metrics, metricsHandler } from './metrics';

export interface ServerOptions {
  config: Config;
  orm: MikroORM;
  /** The ORM's database; the event hub and the revocation listener open their own connections to it, as the application role. */
  databaseUrl: string;
  log: Logger;
  clock?: Clock;
  /** Overrides config.port (tests pass 0 for a free port). */
  port?: number;
  host?: string;
  /** How often the event hub looks for events without a wake-up (ms). */
  eventPollMs?: number;
  /** A subscriber that does not take an event within this time while more wait is disconnected (ms). */
  slowClientMs?: number;
  /** Resolves peers' host names; the system resolver when absent. */
  lookup?: HostLookup;
  /** How long requests in flight may take to finish when the server stops (ms, default 10,000). */
  drainMs?: number;
  /** False in all but one of several workers (src/cluster.ts): the history's checkpoints are written by one process. */
  auditCheckpoints?: boolean;
  /** Called with this process's metrics (a cluster worker serves every worker's together: src/cluster-metrics.ts). */
  onMetrics?: (metrics: Metrics) => void;
}

export interface RunningServer {
  url: string;
  wsUrl: string;
  port: number;
  app: AppServices;
  schema: GraphQLSchema;
  hub: EventHub;
  /** Open WebSocket connections on this process. */
  liveConnections(): number;
  /** Wake-ups of routing-event subscribers given and withheld by the audience index (src/events/audience-index.ts). */
  liveAudience(): { woken: number; passedOver: number; wokenAll: number };
  /** Writes the history's checkpoints due now (also done periodically and at stop); resolves to the lines written. */
  auditCheckpoint(): Promise<number>;
  /**
   * Stops accepting, lets the requests in flight finish and answer (at most `drainMs`), then closes the
   * WebSockets with 1001 (Going Away) and stops the background work. The ORM is the caller's to close.
   */
  stop(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Starts the HTTP server: GraphQL over HTTP and over WebSocket on the same port and path, plus health checks. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { config, orm, log } = opts;
  const clock = opts.clock ?? systemClock;
  await assertApplicationRole(orm);
  const schema = await buildAppSchema();

  // Assigned once the HTTP server exists; the revocation listener below reads it when a notice arrives.
  // eslint-disable-next-line prefer-const
  let liveEndpoint: LiveEndpoint | undefined;
  // The session cache and the notices that keep it true (src/events/session-notices.ts); used only while the listener below listens.
  const notices = new SessionNotices(orm, log, () => revocations.listening);
  const app: AppServices = {
    config,
    clock,
    log,
    hasher: new PasswordHasher(config.login.maxHashesInFlight),
    permissions: new PermissionStore(),
    announceRevocation: (accountId: string) => notices.announce(`a:${accountId}`),
    announceSessionEnd: (sessionId: string) => notices.announce(`s:${sessionId}`),
    announceViewerChange: (accountId?: string) => notices.announce(`v:${accountId ?? '*'}`),
    sessions: notices.cache,
    lookup: opts.lookup ?? systemLookup,
  };
  const audit = opts.auditCheckpoints === false ? { ...config.audit, checkpointSeconds: 0 } : config.audit;
  const checkpointer = new AuditCheckpointer((sql, params) => orm.em.getConnection().execute(sql, params), audit, clock, log);
  const exchangeSender = new ExchangeSender(orm, app);
  app.exchange = exchangeSender;
  // Every process hears that sessions ended and closes their sockets (4401); its session cache hears every notice.
  const revocations = new RevocationListener(
    applicationConnection(opts.databaseUrl),
    log,
    (target) => {
      notices.heard(target);
      if (target.startsWith('a:') || target.startsWith('s:')) liveEndpoint?.revoke(target);
      // A changed viewer (rights, unit, roles, calendar) may change which events concern a subscriber.
      if (target.startsWith('v:')) liveEndpoint?.viewersChanged();
    },
    () => {
      notices.connected();
      // Notices may have been missed while the channel was away.
      liveEndpoint?.viewersChanged();
    },
  );
  await revocations.start();

  const expressApp = express();
  expressApp.disable('x-powered-by');
  expressApp.set('trust proxy', 'loopback');
  // No weak ETag hashed over every response body (a GraphQL answer is not revalidated by caches; the
  // file downloads set their own, from the content's SHA-256).
  expressApp.set('etag', false);
  const httpServer = http.createServer(expressApp);
  const requests = trackHttp(httpServer);
  const metrics = new Metrics(log);
  opts.onMetrics?.(metrics);
  expressApp.use(metrics.httpMiddleware());

  expressApp.use(requestPipeline(config, log));

  mountHealthRoutes(expressApp, orm, metrics, config, log);

  const hub = new EventHub(applicationConnection(opts.databaseUrl), log, { pollMs: opts.eventPollMs });
  await hub.start();
  liveEndpoint = attachLiveEndpoint(httpServer, schema, app, orm, hub, { slowClientMs: opts.slowClientMs ?? 10_000, observer: metrics.liveObserver() });
  metrics.observe({ orm, live: liveEndpoint, hub, sender: exchangeSender });

  const apollo = graphqlServer(schema, config, log, metrics);
  await apollo.start();

  mountRoutes(expressApp, app, orm, apollo, log);

  await listen(httpServer, opts.port ?? config.port, opts.host ?? '0.0.0.0');
  const port = (httpServer.address() as AddressInfo).port;
  log.info({ port }, 'server listening');
  exchangeSender.start();
  checkpointer.start();

  let stopping: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}/graphql`,
    wsUrl: `ws://localhost:${port}/graphql`,
    port,
    app,
    schema,
    hub,
    liveConnections: () => liveEndpoint?.connections() ?? 0,
    liveAudience: () => ({ ...(liveEndpoint?.audience() ?? { woken: 0, passedOver: 0, wokenAll: 0 }) }),
    auditCheckpoint: () => checkpointer.checkpoint(),
    stop: () =>
      (stopping ??= (async () => {
        await exchangeSender.stop();
        const cut = await requests.drain(opts.drainMs ?? 10_000);
        if (cut) log.warn({ cut }, 'requests still running after the shutdown grace period were cut');
        // Subscribers got the events of the requests just answered; now they are told to go elsewhere.
        await liveEndpoint.dispose();
        await apollo.stop();
        // The last requests have finished: anchor what they wrote.
        await checkpointer.stop();
        await hub.stop();
        await revocations.stop();
      })()),
  };
}

/** Every request: an id (the client's own when well-formed), protective headers, a log line, CORS. */
function requestPipeline(config: Config, log: Logger): express.RequestHandler[] {
  const requestId = (req: Request, res: Response, next: NextFunction) => {
    const given = req.get('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      log.info({ requestId, method: req.method, path: req.path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    });
    next();
  };
  const corsHandler = cors({
    origin: (origin, cb) => cb(null, originAllowed(origin, config)),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['Content-Type', 'Authorization', 'X-Request-Id', 'Apollo-Require-Preflight'],
    exposedHeaders: ['X-Request-Id'],
    maxAge: 600,
  });
  return [requestId, corsHandler];
}

/** /metrics, /healthz (the process answers) and /readyz (the database answers and is migrated). */
function mountHealthRoutes(expressApp: express.Express, orm: MikroORM, metrics: Metrics, config: Config, log: Logger): void {
  // Prometheus' text format; with METRICS_TOKEN only for that bearer token, without it off in production.
  expressApp.get('/metrics', metricsHandler(metrics, config.metricsToken, config.nodeEnv === 'production', log));
  expressApp.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  expressApp.get('/readyz', async (_req, res) => {
    try {
      await orm.em.getConnection().execute('select 1');
      const pending = await orm.getMigrator().getPendingMigrations();
      if (pending.length) res.status(503).json({ status: 'migrations pending', pending: pending.length });
      else res.json({ status: 'ready' });
    } catch (err) {
      log.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'database unreachable' });
    }
  });
}

/** Apollo Server with the query limits, error masking and the plugins of this server. */
function graphqlServer(schema: GraphQLSchema, config: Config, log: Logger, metrics: Metrics): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema,
    introspection: config.nodeEnv !== 'production',
    // No "Did you mean …?" in production either (formatError strips them too, on both transports).
    hideSchemaDetailsFromClientErrors: config.nodeEnv === 'production',
    csrfPrevention: true,
    // The token limit stops the parser early; the rules refuse depth, aliases, directives, fields and cost.
    parseOptions: PARSE_OPTIONS,
    validationRules: [...QUERY_VALIDATION_RULES],
    allowBatchedHttpRequests: false,
    // main.ts owns shutdown: it stops the server, then closes the database.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatError(formatted, error, currentRequestId(error), log, { production: config.nodeEnv === 'production' }),
    // Raw answers of root fields (src/read/fast-operation.ts) are written as PostgreSQL wrote them.
    stringifyResult,
    plugins: [
      ...(config.answerInSql ? [answerInSqlPlugin()] : []),
      // No drain plugin: stop() drains the HTTP server itself (src/http-drain.ts), then the live endpoint.
      ApolloServerPluginCacheControlDisabled(),
      metrics.apolloPlugin(),
      // Apollo's landing page loads its IDE from a CDN; the server's own, offline one is at /ide (src/web-pages.ts).
      ApolloServerPluginLandingPageDisabled(),
      {
        // Puts the request id on every error so formatError can show it and the log can carry the detail.
        async requestDidStart({ contextValue }) {
          return {
            // A query that asks for routingEventsCursor reads it before any of its fields runs.
            async didResolveOperation({ document, operation }) {
              await readStreamPositionFirst(contextValue, document, operation);
            },
            async didEncounterErrors({ errors }) {
              for (const e of errors) (e as { requestId?: string }).requestId = contextValue.requestId;
            },
          };
        },
      },
    ],
  });
}

/** The web pages, GraphQL over HTTP, the REST routes, and the answers for unknown paths and unreadable bodies. */
function mountRoutes(expressApp: express.Express, app: AppServices, orm: MikroORM, apollo: ApolloServer<Context>, log: Logger): void {
  expressApp.use(webPagesRouter(app.config.web));
  expressApp.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => buildContext(app, orm, bearerToken(req.headers.authorization), req.ip ?? 'unknown', res.locals.requestId as string),
    }),
  );
  expressApp.use('/files', filesRouter(app, orm));
  expressApp.use('/reports', reportsRouter(app, orm));
  expressApp.use('/exchange', exchangeRouter(app, orm));
  expressApp.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'NOT_FOUND', message: 'No such path. The API is at /graphql.' });
  });
  expressApp.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number }).status ?? 500;
    if (status >= 500) log.error({ err, requestId: res.locals.requestId }, 'request failed');
    res.status(status).json({
      error: status === 413 ? 'PAYLOAD_TOO_LARGE' : status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR',
      message: status < 500 ? 'The request could not be read.' : 'Something went wrong on the server.',
      requestId: res.locals.requestId,
    });
  });
}

async function listen(httpServer: http.Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
}

/**
 * The server refuses to start on connections that act as the owner of the tables: they could change
 * the history that the application role may only append to.
 */
async function assertApplicationRole(orm: MikroORM): Promise<void> {
  const [row] = await orm.em.getConnection().execute<{ role: string }[]>('select current_user as role');
  if (row?.role !== APP_ROLE) throw new Error(`The server's database connections act as "${row?.role}", not as ${APP_ROLE}: open the ORM with appOrmOptions.`);
}

function currentRequestId(error: unknown): string | undefined {
  return (error as { requestId?: string } | undefined)?.requestId;
}
