import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import WebSocket from 'ws';
import { LoginDocument, ReceiveOnceDocument, RegisterOnceDocument, RoutingEventsDocument } from '../generated/graphql';
import { pdf } from '../helpers/documents';
import { ADMIN_PASSWORD, ADMIN_USERNAME, ApiClient, DEMO, DEMO_PASSWORD, copyTemplateDatabase } from '../helpers/env';
import { closed, collect, connected } from '../helpers/live';
import { ready, spawnServer, type ServerProcess } from '../helpers/process';

jest.setTimeout(180_000);

let database: Awaited<ReturnType<typeof copyTemplateDatabase>> | undefined;
let pg: Client | undefined;
let dataDir: string | undefined;
const tokenSecret = randomBytes(32).toString('hex');
const started: ServerProcess[] = [];

/** The compiled server in a child process on this file's copy of the template database. */
async function server(demo: boolean): Promise<ServerProcess> {
  const p = await spawnServer({
    NODE_ENV: 'test',
    DATABASE_URL: database!.databaseUrl,
    DATA_DIR: dataDir!,
    TOKEN_SECRET: tokenSecret,
    ADMIN_USERNAME,
    ADMIN_PASSWORD,
    DEMO_DATA: demo ? '1' : '0',
  });
  started.push(p);
  await ready(p);
  return p;
}

const sql = async <R>(text: string, params?: unknown[]) => (await pg!.query(text, params)).rows as R[];

/** The database id inside a global id (base64url of "Type:uuid"), or the id itself. */
const uuidOf = (id: string) => (/^[0-9a-f-]{36}$/.test(id) ? id : Buffer.from(id, 'base64url').toString('utf8').split(':').pop()!);

async function signIn(url: string, username: string): Promise<ApiClient> {
  const c = new ApiClient(url);
  c.token = (await c.ok(LoginDocument, { username, password: DEMO_PASSWORD })).login.token;
  return c;
}

const input = (fileId: string, i: string) => ({
  documentTypeCode: 'CV',
  number: String(100 + Math.floor(Math.random() * 900)),
  symbol: 'UBND-XD',
  issuedDate: '2026-11-20',
  issuer: 'Ủy ban nhân dân tỉnh Bình Định',
  subject: `V/v văn bản vào sổ lúc máy chủ dừng ${i}`,
  attachmentIds: [fileId],
});

beforeAll(async () => {
  database = await copyTemplateDatabase('vpdt_s_');
  pg = new Client({ connectionString: database.databaseUrl });
  await pg.connect();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-shutdown-'));
});

afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(started.map((p) => p.exited));
  await pg?.end().catch(() => undefined);
  await database?.drop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** The body of an HTTP/1.1 response (ASCII here): as it is, or put together from its chunks. */
function httpBody(head: string, rest: string): string {
  if (!/transfer-encoding: chunked/.test(head)) return rest;
  let out = '';
  for (let at = 0; ;) {
    const eol = rest.indexOf('\r\n', at);
    const size = parseInt(rest.slice(at, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

type Kind = 'upload' | 'receive' | 'register';
interface Outcome {
  kind: Kind;
  /** The whole answer arrived (status and body). */
  answered: boolean;
  at: number;
  status?: number;
  id?: string;
  arrivalNumber?: number | null;
  errors?: unknown;
  /** Why no answer came: the error code of the connection. */
  failure?: string;
}

/** One HTTP exchange as a client sees it: the whole answer, or the connection error. */
async function exchange(kind: Kind, send: () => Promise<Response>): Promise<Outcome & { body?: any }> {
  try {
    const res = await send();
    const body = await res.json();
    return { kind, answered: true, at: Date.now(), status: res.status, body };
  } catch (e) {
    const err = e as { cause?: { code?: string; message?: string }; code?: string; message?: string };
    return { kind, answered: false, at: Date.now(), failure: err.cause?.code ?? err.code ?? err.cause?.message ?? err.message };
  }
}

describe('a SIGTERM while clients work', () => {
  it('SIGTERM while 20 clients register: every request that committed got its answer', async () => {
    const p = await server(true);
    // The clerks of two keeping units, each signed in once; ten clients work with each session.
    const sessions = [await signIn(p.url, DEMO.clerk), await signIn(p.url, DEMO.centreClerk)];
    const clerks = Array.from({ length: 20 }, (_, i) => new ApiClient(p.url, sessions[i % 2].token));
    const files0 = new Set((await sql<{ id: string }>('select id from stored_file')).map((r) => r.id));
    const docs0 = new Set((await sql<{ id: string }>('select id from document')).map((r) => r.id));

    // A live subscriber, to be told to go away (1001) once the requests are answered.
    const ws = createClient({
      url: p.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${clerks[0].token}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
    });
    const wsClosed = closed(ws);
    await connected(ws);
    const events = collect(ws, print(RoutingEventsDocument));

    const outcomes: Outcome[] = [];
    let registered = 0;
    const loop = async (clerk: ApiClient) => {
      const gql = (doc: unknown, variables: unknown) => () =>
        fetch(clerk.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${clerk.token}` },
          body: JSON.stringify({ query: print(doc as never), variables }),
        });
      for (;;) {
        const form = new FormData();
        form.append('file', new Blob([pdf()]), 'cong-van.pdf');
        const up = await exchange('upload', () =>
          fetch(`${p.base}/files`, { method: 'POST', headers: { authorization: `Bearer ${clerk.token}` }, body: form }),
        );
        outcomes.push({ ...up, id: up.body?.id, body: undefined } as Outcome);
        if (!up.answered) {
          if (up.failure === 'ECONNREFUSED') return;
          continue;
        }
        if (up.status === 429) continue;
        const rec = await exchange('receive', gql(ReceiveOnceDocument, { input: input(up.body.id, randomUUID()), key: randomUUID() }));
        outcomes.push({ ...rec, id: rec.body?.data?.receiveDocument?.id, errors: rec.body?.errors, body: undefined } as Outcome);
        if (!rec.answered) {
          if (rec.failure === 'ECONNREFUSED') return;
          continue;
        }
        if (!rec.body?.data) continue;
        const reg = await exchange('register', gql(RegisterOnceDocument, { id: rec.body.data.receiveDocument.id, key: randomUUID() }));
        const r = reg.body?.data?.registerDocument;
        outcomes.push({ ...reg, id: r?.id, arrivalNumber: r?.arrivalNumber, errors: reg.body?.errors, body: undefined } as Outcome);
        if (r) registered++;
        if (!reg.answered && reg.failure === 'ECONNREFUSED') return;
      }
    };
    const clients = Promise.all(clerks.map(loop));

    // Mid-way: once the clients are well into their work.
    for (let i = 0; i < 1200 && registered < 40; i++) await new Promise((r) => setTimeout(r, 100));
    expect(registered).toBeGreaterThanOrEqual(40);
    const sigtermAt = Date.now();
    p.child.kill('SIGTERM');
    const exit = await p.exited;
    await clients;
    events.stop();

    expect(exit.code).toBe(0);
    expect(await wsClosed).toBe(1001);
    expect(p.output()).not.toContain('were cut');
    // Requests in flight at the signal were answered, not dropped.
    expect(outcomes.filter((o) => o.answered && o.at >= sigtermAt).length).toBeGreaterThan(0);
    // Every answer was a success (no request failed because the server was stopping).
    const answered = outcomes.filter((o) => o.answered);
    expect(answered.filter((o) => o.status !== 200 && o.status !== 201 && o.status !== 429).map((o) => o.status)).toEqual([]);
    expect(answered.filter((o) => o.errors).map((o) => o.errors)).toEqual([]);

    // What committed, against what was answered: nothing committed without its answer reaching the client.
    const answeredIds = (kind: Kind) => new Set(outcomes.filter((o) => o.kind === kind && o.answered && o.id).map((o) => uuidOf(o.id!)));
    const files = (await sql<{ id: string }>('select id from stored_file')).map((r) => r.id).filter((id) => !files0.has(id));
    const docs = (await sql<{ id: string; arrival_number: number | null }>(`select id, arrival_number from document where direction = 'INCOMING'`)).filter(
      (d) => !docs0.has(d.id),
    );
    const unansweredCommits = {
      uploads: files.filter((id) => !answeredIds('upload').has(id)),
      receives: docs.map((d) => d.id).filter((id) => !answeredIds('receive').has(id)),
      registrations: docs
        .filter((d) => d.arrival_number !== null && !answeredIds('register').has(d.id))
        .map((d) => `${d.id} (arrival number ${d.arrival_number})`),
    };
    // A request may go unanswered only when it committed nothing: refused at connect time, or cut on a
    // keep-alive connection before the server had read it. The failures are shown when this does not hold.
    const failures = outcomes.filter((o) => !o.answered && o.failure !== 'ECONNREFUSED').map((o) => `${o.kind}: ${o.failure}`);
    const lost = Object.values(unansweredCommits).some((l) => l.length > 0);
    expect({ ...unansweredCommits, ...(lost ? { failures } : {}) }).toEqual({ uploads: [], receives: [], registrations: [] });
    // The answers tell the truth: each answered registration is in the database with its number.
    const byId = new Map(docs.map((d) => [d.id, d.arrival_number]));
    for (const o of outcomes.filter((x) => x.kind === 'register' && x.answered && x.id)) expect(byId.get(uuidOf(o.id!))).toBe(o.arrivalNumber);
    expect(registered).toBe(docs.filter((d) => d.arrival_number !== null).length);
  });

  it('a request being received when SIGTERM comes is run and answered, and its connection closed after', async () => {
    const p = await server(false);
    const clerk = await signIn(p.url, DEMO.clerk);
    const form = new FormData();
    form.append('file', new Blob([pdf()]), 'cong-van.pdf');
    const file = (await (await fetch(`${p.base}/files`, { method: 'POST', headers: { authorization: `Bearer ${clerk.token}` }, body: form })).json()) as {
      id: string;
    };
    const received = await clerk.ok(ReceiveOnceDocument, { input: input(file.id, 'chậm'), key: randomUUID() });
    const body = JSON.stringify({ query: print(RegisterOnceDocument), variables: { id: received.receiveDocument.id, key: randomUUID() } });

    // A client that sends its headers, waits for "100 Continue" (the server has the request), and only
    // then its body: the request is in flight, deterministically, when the signal comes.
    const socket = net.connect(p.port, '127.0.0.1');
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (raw += d));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:${p.port}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${clerk.token}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\n\r\n`,
    );
    for (let i = 0; i < 600 && !raw.includes('100 Continue'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(raw).toContain('HTTP/1.1 100 Continue');

    p.child.kill('SIGTERM');
    // The server stops accepting: a new connection is refused while the old request is still open.
    let refused = false;
    for (let i = 0; i < 600 && !refused; i++) {
      refused = await new Promise<boolean>((resolve) => {
        const probe = net.connect(p.port, '127.0.0.1');
        probe.once('connect', () => {
          probe.destroy();
          resolve(false);
        });
        probe.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
      });
      if (!refused) await new Promise((r) => setTimeout(r, 50));
    }
    expect(refused).toBe(true);
    expect(p.child.exitCode).toBeNull();

    socket.write(body);
    await ended;
    const final = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    expect(final).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const head = final.slice(0, final.indexOf('\r\n\r\n')).toLowerCase();
    expect(head).toContain('connection: close');
    const answer = JSON.parse(httpBody(head, final.slice(final.indexOf('\r\n\r\n') + 4))) as {
      data: { registerDocument: { id: string; arrivalNumber: number } };
    };
    expect(answer.data.registerDocument.id).toBe(received.receiveDocument.id);
    const [row] = await sql<{ arrival_number: number }>('select arrival_number from document where id = $1', [uuidOf(received.receiveDocument.id)]);
    expect(row.arrival_number).toBe(answer.data.registerDocument.arrivalNumber);
    expect((await p.exited).code).toBe(0);
  });
});
