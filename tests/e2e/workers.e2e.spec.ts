import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { CreatePeerDocument, LoginDocument, MeDocument, ReceiveDocumentDocument, RoutingEventsDocument, StreamPositionDocument } from '../generated/graphql';
import { pdf } from '../helpers/documents';
import { ApiClient, DEMO, DEMO_PASSWORD, copyTemplateDatabase } from '../helpers/env';
import { buildPackage, eventually, postMessage, samplePackage } from '../helpers/exchange';
import { closed, collect, connected } from '../helpers/live';
import { ready, running, spawnServer, type ServerProcess } from '../helpers/process';

/**
 * The compiled server with WORKERS=2 (src/cluster.ts) on a test database: a primary and two worker
 * processes sharing the port. No assertion here depends on how fast the machine is: every wait is for
 * a state to be reached.
 */
jest.setTimeout(240_000);

const A_ORGAN = '000.00.00.H08';
const B_ORGAN = '000.00.00.H41';
const SECRET = randomBytes(32).toString('hex');
const EVENTS = print(RoutingEventsDocument);

let database: { databaseUrl: string; drop(): Promise<void> };
let dir: string;
let p: ServerProcess;
let clerk: ApiClient;
const sockets: Client[] = [];

/** The primary's child processes that run the server (not the embedded PostgreSQL: there is none here). */
function workerPids(primary: number): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === primary && running(Number(e)) && readFileSync(`/proc/${e}/cmdline`, 'utf8').includes('main.js')) pids.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return pids.sort((a, b) => a - b);
}

/** GET on a connection of its own (no keep-alive), so that the primary hands each request to the next worker. */
function getFresh(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** One series of the aggregated /metrics, by its labels as written there (`worker="1"`), or the unlabelled one. */
async function metric(name: string, labels = ''): Promise<number> {
  const { body } = await getFresh(`${p.base}/metrics`);
  const line = body.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}}` : `${name} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
}

function ws(token: string): Client {
  const c = createClient({
    url: `ws://127.0.0.1:${p.port}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
  sockets.push(c);
  return c;
}

async function received(subject: string) {
  const form = new FormData();
  form.append('file', new Blob([pdf()]), 'cong-van.pdf');
  const uploaded = (await (await fetch(`${p.base}/files`, { method: 'POST', headers: { authorization: `Bearer ${clerk.token}` }, body: form })).json()) as {
    id: string;
  };
  const { receiveDocument } = await clerk.ok(ReceiveDocumentDocument, {
    input: {
      documentTypeCode: 'CV',
      number: String(100 + Math.floor(Math.random() * 900)),
      symbol: 'UBND-XD',
      issuedDate: '2026-11-20',
      issuer: 'Ủy ban nhân dân tỉnh Bình Định',
      subject,
      attachmentIds: [uploaded.id],
    },
  });
  return receiveDocument;
}

beforeAll(async () => {
  database = await copyTemplateDatabase('vpdt_w_');
  dir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-workers-'));
  p = await spawnServer({
    WORKERS: '2',
    DATABASE_URL: database.databaseUrl,
    DEMO_DATA: '1',
    DATA_DIR: dir,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    ORGAN_ID: A_ORGAN,
    EXCHANGE_POLL_MS: '100',
    EXCHANGE_RETRY_BASE_MS: '200',
    EXCHANGE_TIMEOUT_MS: '60000',
  });
  await ready(p, 180_000);
  clerk = new ApiClient(p.url);
  clerk.token = (await clerk.ok(LoginDocument, { username: DEMO.clerk, password: DEMO_PASSWORD })).login.token;
});

afterAll(async () => {
  for (const c of sockets) await c.dispose();
  if (p && p.child.exitCode === null && p.child.signalCode === null) {
    for (const pid of workerPids(p.child.pid!)) process.kill(pid, 'SIGKILL');
    p.child.kill('SIGKILL');
    await p.exited;
  }
  await database?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('WORKERS=2', () => {
  it('runs a primary and two workers that both answer on the one port', async () => {
    expect(p.output()).toMatch(/Server ready at .* 2 workers/);
    expect(workerPids(p.child.pid!)).toHaveLength(2);
    for (let i = 0; i < 10; i++) expect((await getFresh(`${p.base}/healthz`)).status).toBe(200);
    expect(await metric('vpdt_cluster_workers_reporting')).toBe(2);
    expect(await metric('vpdt_cluster_worker_http_requests', 'worker="1"')).toBeGreaterThan(0);
    expect(await metric('vpdt_cluster_worker_http_requests', 'worker="2"')).toBeGreaterThan(0);
    // Counters are summed over the workers: the ten health checks are all there, whoever answered them.
    expect(await metric('vpdt_http_requests_total', 'method="GET",route="/healthz",status="200"')).toBeGreaterThanOrEqual(10);
  });

  it('fails the whole start in one line when the workers cannot start (the port is taken)', async () => {
    const second = await spawnServer(
      { WORKERS: '2', DATABASE_URL: database.databaseUrl, DATA_DIR: dir, NODE_ENV: 'development', LOG_LEVEL: 'warn' },
      { port: p.port },
    );
    expect((await second.exited).code).toBe(1);
    const lines = second
      .output()
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('{'));
    // One line from the primary, whatever each worker met (graphql-ws also prints the listen error it is handed).
    expect(lines.filter((l) => l.startsWith('The server could not start'))).toEqual([expect.stringMatching(/^The server could not start: .*EADDRINUSE/)]);
    expect((await getFresh(`${p.base}/healthz`)).status).toBe(200);
  });

  it('delivers to subscribers on both workers an event written through either', async () => {
    const after = (await clerk.ok(StreamPositionDocument)).routingEventsCursor;
    const subs: Array<ReturnType<typeof collect<{ routingEvents: { document: { id: string } | null } }>>> = [];
    // Sockets are handed to the workers in turn: open them until each worker holds at least one.
    for (let i = 0; i < 8; i++) {
      const c = ws(clerk.token!);
      await connected(c);
      subs.push(collect(c, EVENTS, { after }));
      if (
        i >= 1 &&
        (await metric('vpdt_cluster_worker_websocket_connections', 'worker="1"')) > 0 &&
        (await metric('vpdt_cluster_worker_websocket_connections', 'worker="2"')) > 0
      )
        break;
    }
    expect(await metric('vpdt_cluster_worker_websocket_connections', 'worker="1"')).toBeGreaterThan(0);
    expect(await metric('vpdt_cluster_worker_websocket_connections', 'worker="2"')).toBeGreaterThan(0);
    await eventually(async () => (await metric('vpdt_graphql_subscriptions_active')) >= subs.length, 60_000, 'subscriptions running');
    const doc = await received('V/v sự kiện ghi qua một tiến trình, nhận ở tiến trình kia');
    for (const s of subs) {
      await eventually(async () => s.items.some((e) => e.routingEvents.document?.id === doc.id), 60_000, 'the event on every socket');
    }
  });

  it('sends each exchange message once although both workers run the sender', async () => {
    const got: string[] = [];
    const peer = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        got.push(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ACCEPTED' }));
      });
    });
    await new Promise<void>((r) => peer.listen(0, '127.0.0.1', () => r()));
    const pg = new PgClient({ connectionString: database.databaseUrl });
    await pg.connect();
    try {
      const endpoint = `http://127.0.0.1:${(peer.address() as AddressInfo).port}/exchange/messages`;
      const correspondent = (await clerk.ok(CreatePeerDocument, { input: { name: 'Sở Xây dựng tỉnh Phú Yên', organId: B_ORGAN, endpoint, secret: SECRET } }))
        .createCorrespondent.id;
      expect(correspondent).toBeTruthy();
      // Five packages from the peer: each arrival queues a status 01 back to it.
      for (let i = 0; i < 5; i++) {
        const r = await postMessage(
          `${p.base}/exchange/messages`,
          B_ORGAN,
          SECRET,
          buildPackage(samplePackage(B_ORGAN, A_ORGAN, { codeNumber: String(500 + i) })),
        );
        expect(r.status).toBe(200);
      }
      const rows = await eventually(
        async () => {
          const { rows } = await pg.query<{ state: string; attempts: number }>(
            `select m.state, m.attempts from exchange_message m join correspondent c on c.id = m.correspondent_id where c.organ_id = $1`,
            [B_ORGAN],
          );
          return rows.length >= 5 && rows.every((r) => r.state === 'ACKNOWLEDGED') && rows;
        },
        90_000,
        'every status acknowledged',
      );
      expect(rows.map((r) => r.attempts)).toEqual(rows.map(() => 1));
      expect(got).toHaveLength(rows.length);
      expect(new Set(got).size).toBe(got.length);
    } finally {
      await pg.end();
      await new Promise((r) => peer.close(r));
    }
  });

  it('replaces a killed worker while the other keeps answering', async () => {
    const [victim, survivor] = workerPids(p.child.pid!);
    process.kill(victim, 'SIGKILL');
    await eventually(async () => p.output().includes('a worker exited'), 60_000, 'the primary noticing');
    // Until the new worker is up, the survivor answers every request (and a signed-in session still works).
    for (let i = 0; i < 6; i++) expect((await getFresh(`${p.base}/healthz`)).status).toBe(200);
    expect((await clerk.ok(MeDocument)).me.username).toBe(DEMO.clerk);
    const now = await eventually(
      async () => {
        const pids = workerPids(p.child.pid!);
        return pids.length === 2 && !pids.includes(victim) && pids;
      },
      120_000,
      'a new worker',
    );
    expect(now).toContain(survivor);
    expect(running(p.child.pid!)).toBe(true);
    await eventually(async () => (await metric('vpdt_cluster_workers_reporting')) === 2, 120_000, 'both workers reporting');
    expect(await metric('vpdt_cluster_worker_restarts_total')).toBe(1);
    // The new worker serves too.
    await eventually(
      async () => {
        for (let i = 0; i < 4; i++) await getFresh(`${p.base}/healthz`);
        return (await metric('vpdt_cluster_worker_http_requests', 'worker="1"')) > 0 && (await metric('vpdt_cluster_worker_http_requests', 'worker="2"')) > 0;
      },
      60_000,
      'both workers answering',
    );
  });

  it('stops every process on SIGTERM: sockets are told to go elsewhere (1001), the primary exits 0', async () => {
    const c = ws(clerk.token!);
    await connected(c);
    const code = closed(c);
    const workers = workerPids(p.child.pid!);
    p.child.kill('SIGTERM');
    expect(await code).toBe(1001);
    expect(await p.exited).toEqual({ code: 0, signal: null });
    for (const pid of workers) expect(running(pid)).toBe(false);
    expect(p.output()).not.toMatch(/could not|failed|did not stop/);
  });
});
