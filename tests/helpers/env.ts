import { MikroORM } from '@mikro-orm/postgresql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import WebSocket from 'ws';
import { loadConfig, type Config } from '../../src/config';
import type { Clock } from '../../src/context';
import { appOrmOptions } from '../../src/mikro-orm.config';
import { DEMO_PASSWORD, ensureFirstSysadmin, loadDemoData } from '../../src/seed/bootstrap';
import { loadDemoDocuments } from '../../src/seed/demo-documents';
import { PasswordHasher } from '../../src/services/passwords';
import { startServer, type RunningServer } from '../../src/server';
import type { HostLookup } from '../../src/exchange/peer-address';
import { LoginDocument } from '../generated/graphql';

export const ADMIN_USERNAME = 'admin@sxd.binhdinh.gov.vn';
export const ADMIN_PASSWORD = 'Admin-secret-2026';
export { DEMO_PASSWORD };

/** The demo accounts, by the role a test speaks as. */
export const DEMO = {
  director: 'giamdoc@sxd.binhdinh.gov.vn',
  clerk: 'vanthu@sxd.binhdinh.gov.vn',
  officeHead: 'chanhvanphong@sxd.binhdinh.gov.vn',
  head: 'truongphong.qlhdxd@sxd.binhdinh.gov.vn',
  staff: 'chuyenvien.qlhdxd@sxd.binhdinh.gov.vn',
  sysadmin: 'quantri@sxd.binhdinh.gov.vn',
  centreDirector: 'giamdoc.ttqhkd@sxd.binhdinh.gov.vn',
  centreClerk: 'vanthu.ttqhkd@sxd.binhdinh.gov.vn',
  centreHead: 'truongphong.ttqhkd@sxd.binhdinh.gov.vn',
  centreStaff: 'chuyenvien.ttqhkd@sxd.binhdinh.gov.vn',
} as const;

export interface GqlResult<T> {
  data?: T | null;
  errors?: GraphQLFormattedError[];
  status: number;
}

/** One person's HTTP client: a token and typed operations. */
export class ApiClient {
  constructor(
    readonly url: string,
    public token?: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async request<T, V>(doc: TypedDocumentNode<T, V>, variables?: V): Promise<GqlResult<T>> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...this.headers },
      body: JSON.stringify({ query: print(doc), variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: GraphQLFormattedError[] };
    return { ...body, status: res.status };
  }

  /** The data of a request that must succeed; fails the test with the errors otherwise. */
  async ok<T, V>(doc: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
    const r = await this.request(doc, variables);
    if (r.errors?.length || !r.data) throw new Error(`expected success, got ${JSON.stringify(r.errors)}`);
    return r.data;
  }

  /** The code of a request that must fail. */
  async code<T, V>(doc: TypedDocumentNode<T, V>, variables?: V): Promise<string | undefined> {
    const r = await this.request(doc, variables);
    return r.errors?.[0]?.extensions?.code as string | undefined;
  }
}

export interface TestEnv {
  server: RunningServer;
  orm: MikroORM;
  config: Config;
  databaseUrl: string;
  clock: Clock & { set(d: Date): void; reset(): void };
  /** What the server logged at error level (unexpected errors), for assertions that explain themselves. */
  serverErrors(): string[];
  /** How many SQL statements the server's ORM has sent so far. */
  statements(): number;
  /** The beginnings of the statements sent since `statements()` returned `count` (the latest 4,000 at most). */
  statementsSince(count: number): string[];
  /** Runs SQL on the test database as the owner of the tables, for assertions that nothing changed. */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  client(token?: string): ApiClient;
  /** Signs in and returns a client for that account. */
  as(username: string, password?: string): Promise<ApiClient>;
  /** A graphql-ws client; `lazy: false` connects at once and keeps the socket open. */
  ws(token?: string, opts?: { lazy?: boolean; url?: string }): WsClient;
  /** A second server process on the same database, with its own connection pool. */
  startPeer(): Promise<{ url: string; wsUrl: string; server: RunningServer; client(token?: string): ApiClient; close(): Promise<void> }>;
  close(): Promise<void>;
}

const tick = () => new Promise((r) => setImmediate(r));

/** A database of its own, copied from the migrated template the global setup prepared; `drop()` removes it. */
export async function copyTemplateDatabase(prefix = 'vpdt_t_'): Promise<{ databaseUrl: string; drop(): Promise<void> }> {
  const serverUrl = process.env.VPDT_TEST_SERVER_URL!;
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  const onServer = async (sql: string) => {
    const admin = new Client({ connectionString: `${serverUrl}/postgres` });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await onServer(`create database "${name}" template "${process.env.VPDT_TEST_TEMPLATE!}"`);
  return { databaseUrl: `${serverUrl}/${name}`, drop: () => onServer(`drop database if exists "${name}" with (force)`) };
}

/**
 * Starts a server on its own copy of the migrated template database (the real PostgreSQL the
 * global setup prepared), with the bootstrap SYSADMIN and, unless `demo: false`, the demo organisation.
 */
export interface TestEnvOptions {
  demo?: boolean;
  /** Also the demo documents (src/seed/demo-documents.ts): every demo inbox holds work. Slower; off by default. */
  demoDocuments?: boolean;
  env?: Record<string, string>;
  slowClientMs?: number;
  lookup?: HostLookup;
}

export function startTestEnv(opts: TestEnvOptions = {}): Promise<TestEnv> {
  const cleanup = trackedCleanup();
  const started = buildTestEnv(opts, cleanup).catch(async (err) => {
    // A setup that fails half-way gives back what it opened, so other test files keep their connections.
    await cleanup.run().catch(() => undefined);
    throw err;
  });
  return started;
}

/**
 * What a test environment opened, closed in reverse order; every step is tried even when an earlier
 * one fails, and running it twice does nothing the second time.
 */
export class Cleanup {
  private readonly steps: Array<() => Promise<unknown> | unknown> = [];
  private done?: Promise<void>;
  add(step: () => Promise<unknown> | unknown): void {
    this.steps.push(step);
  }
  run(): Promise<void> {
    this.done ??= (async () => {
      unclosed.delete(this);
      const failures: unknown[] = [];
      for (const step of this.steps.reverse()) {
        try {
          await step();
        } catch (err) {
          failures.push(err);
        }
      }
      if (failures.length) throw failures[0];
    })();
    return this.done;
  }
}

/** Environments of this test file not closed yet. */
const unclosed = new Set<Cleanup>();

/** A cleanup that `closeLeftoverEnvironments` runs if the test file does not. */
export function trackedCleanup(): Cleanup {
  const cleanup = new Cleanup();
  unclosed.add(cleanup);
  return cleanup;
}

/**
 * Closes what a test file left open: an environment whose `beforeAll` timed out is still being built
 * when the file's `afterAll` runs, and nobody else would close it (tests/setup/after-env.ts runs this
 * after every file). Waits for such a setup to finish first, at most a bounded time.
 */
export async function closeLeftoverEnvironments(): Promise<void> {
  await Promise.all([...unclosed].map((c) => c.run().catch(() => undefined)));
}

async function buildTestEnv(opts: TestEnvOptions, cleanup: Cleanup): Promise<TestEnv> {
  const database = await copyTemplateDatabase();
  cleanup.add(() => database.drop());
  const databaseUrl = database.databaseUrl;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-test-data-'));
  cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      TOKEN_SECRET: randomBytes(32).toString('hex'),
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      ADMIN_USERNAME,
      ADMIN_PASSWORD,
      // History checkpoints only when a test asks (server.auditCheckpoint()), never on a timer or at stop.
      AUDIT_CHECKPOINT_SECONDS: '0',
      ...opts.env,
    },
    dataDir,
  );
  let statements = 0;
  const queryLog: string[] = [];
  // The server's own ORM, acting as the application role like the real one (the template is migrated).
  const orm = await MikroORM.init(
    appOrmOptions(databaseUrl, {
      pool: { min: 0, max: 20 },
      debug: ['query'],
      logger: (message: string) => {
        // The logger colours its namespace: compare without the colour codes.
        // eslint-disable-next-line no-control-regex
        const plain = message.replace(/\x1b\[[0-9;]*m/g, '');
        if (plain.startsWith('[query]')) {
          statements++;
          queryLog.push(plain.slice(8, 208));
          if (queryLog.length > 5000) queryLog.splice(0, 1000);
        }
      },
    }),
  );
  cleanup.add(() => orm.close(true));
  const hasher = new PasswordHasher(4);
  await ensureFirstSysadmin(orm.em.fork(), hasher, ADMIN_USERNAME, ADMIN_PASSWORD);
  if (opts.demo !== false) await loadDemoData(orm.em.fork(), hasher);

  let fixed: Date | null = null;
  const clock = {
    now: () => (fixed ? new Date(fixed) : new Date()),
    set: (d: Date) => {
      fixed = d;
    },
    reset: () => {
      fixed = null;
    },
  };
  const serverOpts = { eventPollMs: 200, slowClientMs: opts.slowClientMs ?? 10_000 };
  const errors: string[] = [];
  const log = process.env.TEST_LOG_LEVEL
    ? pino({ level: process.env.TEST_LOG_LEVEL })
    : pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
  const server = await startServer({ config, orm, databaseUrl, log, clock, port: 0, host: '127.0.0.1', lookup: opts.lookup, ...serverOpts });
  cleanup.add(() => server.stop());
  if (opts.demoDocuments) await loadDemoDocuments(server.app, orm);
  const wsClients: WsClient[] = [];
  const peers: Array<() => Promise<void>> = [];
  const pg = new Client({ connectionString: databaseUrl });
  // The test's own connection: a fault test that kills backends must not crash the test process with it.
  pg.on('error', () => undefined);
  cleanup.add(() => pg.end());
  await pg.connect();
  cleanup.add(async () => {
    for (const c of wsClients) await c.dispose();
    await tick();
  });
  cleanup.add(async () => {
    for (const p of peers) await p();
  });

  const env: TestEnv = {
    server,
    orm,
    config,
    databaseUrl,
    clock,
    statements: () => statements,
    statementsSince: (count: number) => queryLog.slice(queryLog.length - (statements - count)),
    serverErrors: () => errors,
    sql: async (text, params) => (await pg.query(text, params as unknown[])).rows,
    client: (token) => new ApiClient(server.url, token),
    async as(username, password) {
      const c = new ApiClient(server.url);
      const data = await c.ok(LoginDocument, { username, password: password ?? (username === ADMIN_USERNAME ? ADMIN_PASSWORD : DEMO_PASSWORD) });
      c.token = data.login.token;
      return c;
    },
    ws(token, opts) {
      const client = createClient({
        url: (opts?.url ?? server.wsUrl).replace('localhost', '127.0.0.1'),
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
        lazy: opts?.lazy ?? true,
        onNonLazyError: () => undefined,
      });
      wsClients.push(client);
      return client;
    },
    async startPeer() {
      const peerOrm = await MikroORM.init(appOrmOptions(databaseUrl, { pool: { min: 0, max: 20 } }));
      const peer = await startServer({
        config,
        orm: peerOrm,
        databaseUrl,
        log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
        clock,
        port: 0,
        host: '127.0.0.1',
        ...serverOpts,
      });
      peers.push(async () => {
        await peer.stop();
        await peerOrm.close(true);
      });
      return { url: peer.url, wsUrl: peer.wsUrl, server: peer, client: (token) => new ApiClient(peer.url, token), close: async () => undefined };
    },
    close: () => cleanup.run(),
  };
  return env;
}
