import type { ApolloServerPlugin } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { GraphQLError } from 'graphql';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Context } from './context';
import { OutboxState } from './domain/exchange/delivery';
import type { LiveObserver } from './live-socket';

/**
 * Prometheus metrics of one server process (GET /metrics, text format): HTTP requests, GraphQL
 * operations and errors, open sockets and subscriptions, the event stream's lag, the exchange
 * outbox, the database pool, and Node's own process metrics. Every label has a bounded set of values.
 */

/** Operation names are chosen by clients: only names like this are kept as label values. */
export const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Error codes are the server's own (src/errors), but a bound costs nothing. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Distinct operation names kept per process; later new names count as `other`. */
export const MAX_OPERATION_NAMES = 200;
const MAX_ERROR_CODES = 100;
/** How long the outbox counts are reused, so that scrapes cannot load the database. */
const OUTBOX_CACHE_MS = 5000;

/**
 * A label whose values come from outside: values that do not match `pattern` become `invalid`, and
 * once `max` distinct values are known, new ones become `other`.
 */
export class BoundedLabel {
  private readonly known = new Set<string>();
  constructor(
    private readonly max: number,
    private readonly pattern: RegExp,
  ) {}

  value(raw: string): string {
    if (!this.pattern.test(raw)) return 'invalid';
    if (this.known.has(raw)) return raw;
    if (this.known.size >= this.max) return 'other';
    this.known.add(raw);
    return raw;
  }
}

/** The operation-name label: `anonymous` without a name; see {@link BoundedLabel} for the rest. */
export function operationNameLabel(names: BoundedLabel, raw: string | null | undefined): string {
  return raw ? names.value(raw) : 'anonymous';
}

/** The path label of an HTTP request: the server's own prefixes only. */
export function routeLabel(path: string): string {
  const m = /^\/(graphql|files|reports|exchange|healthz|readyz|metrics)(?=\/|$)/.exec(path);
  return m ? `/${m[1]}` : 'other';
}

export type MetricsAccess = 'allow' | 'unauthorised' | 'off';

/**
 * Who may read /metrics: with METRICS_TOKEN, whoever sends it as a bearer token; without it,
 * anyone outside production and nobody in production (the path answers 404).
 */
export function metricsAccess(token: string | undefined, production: boolean, authorization: string | undefined): MetricsAccess {
  if (token === undefined) return production ? 'off' : 'allow';
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return 'unauthorised';
  // Hashes of equal length, so the comparison takes the same time whatever was sent.
  const given = createHash('sha256').update(m[1]).digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) ? 'allow' : 'unauthorised';
}

/** What the gauges read when Prometheus scrapes. */
export interface MetricSources {
  orm: MikroORM;
  live: { connections(): number; subscriptions(): number };
  hub: { caughtUpAt: number };
  sender: { attemptOutcomes: Record<string, number> };
}

/** The knex pool (tarn) under MikroORM's connection. */
interface TarnPool {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
  max: number;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly names = new BoundedLabel(MAX_OPERATION_NAMES, OPERATION_NAME);
  private readonly codes = new BoundedLabel(MAX_ERROR_CODES, ERROR_CODE);
  private readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  private readonly httpDuration: Histogram<'method' | 'route'>;
  private readonly operations: Counter<'transport' | 'operation_name' | 'operation_type' | 'outcome'>;
  private readonly operationDuration: Histogram<'operation_name' | 'operation_type'>;
  private readonly errors: Counter<'transport' | 'code'>;

  constructor(private readonly log: Logger) {
    const registers = [this.registry];
    this.httpRequests = new Counter({
      name: 'vpdt_http_requests_total',
      help: 'HTTP requests answered, by method, path prefix and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'vpdt_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and path prefix.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.operations = new Counter({
      name: 'vpdt_graphql_operations_total',
      help: 'GraphQL operations, by transport (http, ws), operation name (anonymous, invalid, other when not kept), type and outcome (ok, error, refused).',
      labelNames: ['transport', 'operation_name', 'operation_type', 'outcome'],
      registers,
    });
    this.operationDuration = new Histogram({
      name: 'vpdt_graphql_operation_duration_seconds',
      help: 'Time to execute a GraphQL query or mutation over HTTP, by operation name and type.',
      labelNames: ['operation_name', 'operation_type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.errors = new Counter({
      name: 'vpdt_graphql_errors_total',
      help: 'GraphQL errors sent, by transport and extensions.code.',
      labelNames: ['transport', 'code'],
      registers,
    });
  }

  /** Counts and times every HTTP request (mount first). */
  httpMiddleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const end = this.httpDuration.startTimer();
      // Read now: routers mounted on a path change req.path while they run.
      const route = routeLabel(req.path);
      const method = methodLabel(req.method);
      res.on('finish', () => {
        end({ method, route });
        this.httpRequests.inc({ method, route, status: String(res.statusCode) });
      });
      next();
    };
  }

  /** Counts, times and collects the errors of GraphQL operations over HTTP. */
  apolloPlugin(): ApolloServerPlugin<Context> {
    return {
      requestDidStart: async () => {
        const started = process.hrtime.bigint();
        let name = 'invalid';
        let type = 'unknown';
        return {
          didResolveOperation: async ({ operationName, operation }) => {
            name = operationNameLabel(this.names, operationName);
            type = operation?.operation ?? type;
          },
          didEncounterErrors: async ({ errors }) => this.countErrors('http', errors),
          willSendResponse: async ({ response, errors }) => {
            const failed = (errors?.length ?? 0) > 0 || (response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0);
            this.operations.inc({
              transport: 'http',
              operation_name: name,
              operation_type: type,
              outcome: type === 'unknown' ? 'refused' : failed ? 'error' : 'ok',
            });
            if (type !== 'unknown')
              this.operationDuration.observe({ operation_name: name, operation_type: type }, Number(process.hrtime.bigint() - started) / 1e9);
          },
        };
      },
    };
  }

  /** What the WebSocket endpoint reports. */
  liveObserver(): LiveObserver {
    return {
      operation: (name, type) =>
        this.operations.inc({
          transport: 'ws',
          operation_name: type ? operationNameLabel(this.names, name) : 'invalid',
          operation_type: type ?? 'unknown',
          outcome: type ? 'ok' : 'refused',
        }),
      errors: (errors) => this.countErrors('ws', errors),
    };
  }

  private countErrors(transport: string, errors: readonly GraphQLError[]): void {
    for (const e of errors) {
      const code = e.extensions?.code;
      this.errors.inc({ transport, code: typeof code === 'string' ? this.codes.value(code) : 'INTERNAL_SERVER_ERROR' });
    }
  }

  /** Gauges read on scrape from the running parts of the server. */
  observe(src: MetricSources): void {
    const registers = [this.registry];
    new Gauge({
      name: 'vpdt_websocket_connections',
      help: 'WebSocket connections open on this process.',
      registers,
      collect() {
        this.set(src.live.connections());
      },
    });
    new Gauge({
      name: 'vpdt_graphql_subscriptions_active',
      help: 'GraphQL subscriptions running on this process.',
      registers,
      collect() {
        this.set(src.live.subscriptions());
      },
    });
    new Gauge({
      name: 'vpdt_event_stream_lag_seconds',
      help: 'Age of the last moment at which this process had read every committed routing event (about the poll interval when healthy; grows while the stream cannot be read).',
      registers,
      // Several workers (src/cluster-metrics.ts): the one furthest behind.
      aggregator: 'max',
      collect() {
        this.set(Math.max(0, (Date.now() - src.hub.caughtUpAt) / 1000));
      },
    });
    new Counter({
      name: 'vpdt_exchange_delivery_attempts_total',
      help: 'Exchange deliveries tried by this process, by outcome (ACKNOWLEDGED, REFUSED, RETRY: failed, tried again later).',
      labelNames: ['outcome'],
      registers,
      collect() {
        this.reset();
        for (const [outcome, n] of Object.entries(src.sender.attemptOutcomes)) this.inc({ outcome }, n);
      },
    });
    const outbox = this.outboxReader(src.orm);
    new Gauge({
      name: 'vpdt_exchange_outbox_messages',
      help: 'Exchange outbox messages not acknowledged, by state (whole deployment; read at most every 5 s).',
      labelNames: ['state'],
      registers,
      // Every worker counts the same table: one count, not their sum.
      aggregator: 'max',
      async collect() {
        const counts = await outbox();
        if (!counts) return;
        for (const state of OUTBOX_DEPTH_STATES) this.set({ state }, counts.byState.get(state) ?? 0);
      },
    });
    new Gauge({
      name: 'vpdt_exchange_outbox_oldest_pending_seconds',
      help: 'Age of the oldest outbox message still to deliver (QUEUED, SENT or FAILED); 0 when none.',
      registers,
      aggregator: 'max',
      async collect() {
        const counts = await outbox();
        if (counts) this.set(counts.oldestPendingSeconds);
      },
    });
    const pool = (): TarnPool | undefined => {
      try {
        return (src.orm.em.getConnection().getKnex().client as { pool?: TarnPool }).pool;
      } catch {
        return undefined;
      }
    };
    new Gauge({
      name: 'vpdt_db_pool_connections',
      help: "The ORM's database pool on this process: connections in use, idle, and requests waiting for one.",
      labelNames: ['state'],
      registers,
      collect() {
        const p = pool();
        this.set({ state: 'used' }, p?.numUsed() ?? 0);
        this.set({ state: 'free' }, p?.numFree() ?? 0);
        this.set({ state: 'pending_acquires' }, p?.numPendingAcquires() ?? 0);
        this.set({ state: 'pending_creates' }, p?.numPendingCreates() ?? 0);
      },
    });
    new Gauge({
      name: 'vpdt_db_pool_max',
      help: "The most connections the ORM's pool opens on this process.",
      registers,
      collect() {
        this.set(pool()?.max ?? 0);
      },
    });
  }

  /**
   * One grouped count of the unfinished outbox, shared by concurrent scrapes and reused for a few
   * seconds. A failed read keeps the last values (and is logged).
   */
  private outboxReader(orm: MikroORM): () => Promise<OutboxCounts | undefined> {
    let last: OutboxCounts | undefined;
    let readAt = 0;
    let reading: Promise<OutboxCounts | undefined> | undefined;
    return () => {
      if (Date.now() - readAt < OUTBOX_CACHE_MS) return Promise.resolve(last);
      reading ??= (async () => {
        try {
          const rows = await orm.em.getConnection().execute<{ state: string; n: number; oldest: number | null }[]>(
            `select state, count(*)::int as n, extract(epoch from now() - min(created_at))::float8 as oldest
               from exchange_message where state in ('QUEUED', 'SENT', 'FAILED', 'REFUSED') group by state`,
          );
          const byState = new Map(rows.map((r) => [r.state, r.n]));
          const pending = rows.filter((r) => r.state !== OutboxState.REFUSED && r.oldest !== null).map((r) => r.oldest!);
          last = { byState, oldestPendingSeconds: pending.length ? Math.max(0, ...pending) : 0 };
        } catch (err) {
          this.log.warn({ err }, 'metrics: the exchange outbox could not be counted');
        }
        readAt = Date.now();
        return last;
      })().finally(() => (reading = undefined));
      return reading;
    };
  }

  /** Set by a cluster worker (src/cluster-metrics.ts): the text of every worker together instead of this process's. */
  renderer?: () => Promise<{ contentType: string; body: string }>;

  /** The text Prometheus reads, and its content type: this server's metrics and the process's own. */
  async render(): Promise<{ contentType: string; body: string }> {
    if (this.renderer) return this.renderer();
    const all = Registry.merge([processRegistry(), this.registry]);
    return { contentType: all.contentType, body: await all.metrics() };
  }

  /** This process's metrics as prom-client's JSON, for the primary to aggregate over the workers. */
  json(): ReturnType<Registry['getMetricsAsJSON']> {
    return Registry.merge([processRegistry(), this.registry]).getMetricsAsJSON();
  }
}

let processMetrics: Registry | undefined;

/** Node's own metrics (CPU, memory, event loop, GC), collected once per process however many servers it runs (tests run several). */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics, prefix: 'vpdt_' });
  }
  return processMetrics;
}

interface OutboxCounts {
  byState: Map<string, number>;
  oldestPendingSeconds: number;
}

const OUTBOX_DEPTH_STATES = [OutboxState.QUEUED, OutboxState.SENT, OutboxState.FAILED, OutboxState.REFUSED];

function methodLabel(method: string): string {
  return ['GET', 'POST', 'OPTIONS', 'HEAD', 'PUT', 'DELETE', 'PATCH'].includes(method) ? method : 'other';
}

/** The handler of GET /metrics, protected as {@link metricsAccess} says. */
export function metricsHandler(metrics: Metrics, token: string | undefined, production: boolean, log: Logger): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const access = metricsAccess(token, production, req.get('authorization'));
    if (access === 'off') return next();
    if (access === 'unauthorised') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      res.status(401).json({ error: 'UNAUTHENTICATED', message: 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.' });
      return;
    }
    try {
      const { contentType, body } = await metrics.render();
      res.setHeader('Content-Type', contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.send(body);
    } catch (err) {
      log.error({ err }, 'metrics could not be collected');
      res.status(500).json({ error: 'INTERNAL_SERVER_ERROR', message: 'The metrics could not be collected; see the server log.' });
    }
  };
}
