import { print } from 'graphql';
import pino from 'pino';
import { applicationConnection } from '../../src/db/app-role';
import { EventHub } from '../../src/events/event-hub';
import { parseGlobalId } from '../../src/graphql/global-id';
import { RegisterOnceDocument, RoutingEventsDocument, StreamPositionDocument } from '../generated/graphql';
import { receive } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { collect, sleep, type Collected } from '../helpers/live';

type Ev = { routingEvents: { id: string; cursor: string; type: string } };
const EVENTS = print(RoutingEventsDocument);

/** The server's pool (startTestEnv: max 20) plus its own connections: the hub's reader and two listeners. */
const POOL_MAX = 20;
const OWN_CONNECTIONS = 3;

let env: TestEnv;
let datname: string;
beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  [{ datname }] = await env.sql<{ datname: string }>(`select current_database() as datname`);
});
afterAll(() => env?.close());

/** Terminates every backend of the test database but the test's own, and waits until they have exited. */
async function killAll(): Promise<void> {
  const others = (await env.sql<{ pid: number }>(`select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [datname])).map(
    (r) => r.pid,
  );
  const killed = (await env.sql<{ pid: number; ok: boolean }>(`select pid, pg_terminate_backend(pid) as ok from unnest($1::int[]) as pid`, [others])).map(
    (r) => r.pid,
  );
  const started = Date.now();
  while (Date.now() - started < 10_000) {
    const [{ n }] = await env.sql<{ n: number }>(`select count(*)::int as n from pg_stat_activity where pid = any($1::int[])`, [killed]);
    if (n === 0) return;
    await sleep(20);
  }
}

async function connectionsHeld(): Promise<{ total: number; listeners: Record<string, number> }> {
  const rows = await env.sql<{ query: string; state: string | null }>(
    `select query, state from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`,
    [datname],
  );
  const listeners: Record<string, number> = {};
  for (const r of rows) {
    const m = /^listen (\w+)/i.exec(r.query ?? '');
    if (m) listeners[m[1]] = (listeners[m[1]] ?? 0) + 1;
  }
  return { total: rows.length, listeners };
}

/** Waits until the server listens again on both channels, exactly once each; returns what it holds then. */
async function listeningAgain(): Promise<{ total: number; listeners: Record<string, number> }> {
  const started = Date.now();
  for (;;) {
    const held = await connectionsHeld();
    const counts = Object.values(held.listeners);
    if (counts.length === 2 && counts.every((n) => n === 1)) return held;
    if (counts.some((n) => n > 1) || Date.now() - started > 30_000) return held;
    await sleep(50);
  }
}

describe('lost database connections', () => {
  it('twenty rounds on an idle server: each listener is replaced, never multiplied, and the server stays within its pool', async () => {
    for (let round = 1; round <= 20; round++) {
      await killAll();
      const held = await listeningAgain();
      expect({ round, listeners: held.listeners }).toEqual({ round, listeners: { vpdt_routing_event: 1, vpdt_session_revoked: 1 } });
      expect(held.total).toBeLessThanOrEqual(POOL_MAX + OWN_CONNECTIONS);
    }
    // Nothing more arrives later either (a late second reconnect would show here).
    await sleep(1500);
    expect((await connectionsHeld()).listeners).toEqual({ vpdt_routing_event: 1, vpdt_session_revoked: 1 });
  }, 240_000);

  it('twenty rounds under 20 registering clients: gapless numbers, bounded connections, and subscribers get every event in order, once', async () => {
    const clerk = await env.as(DEMO.clerk);
    const perRound = 10;
    const rounds = 20;
    const docs: { id: string }[] = [];
    for (let i = 0; i < perRound * rounds + 2; i += 10)
      docs.push(...(await Promise.all(Array.from({ length: Math.min(10, perRound * rounds + 2 - i) }, () => receive(env, clerk)))));

    // Registers with one idempotency key per document, retrying what the lost connection refused.
    const register = async (client: ApiClient, doc: { id: string }): Promise<string[]> => {
      const codes: string[] = [];
      for (let attempt = 0; attempt < 100; attempt++) {
        const r = await client.request(RegisterOnceDocument, { id: doc.id, key: `dk-${doc.id}` });
        const code = (r.errors?.[0]?.extensions?.code as string | undefined) ?? 'OK';
        codes.push(code);
        if (code === 'OK') return codes;
        await sleep(50 + attempt * 20);
      }
      return codes;
    };

    // Four subscribers, live before the faults: a first registration reaches each of them. They start
    // from the stream position read now, so a socket that opens after the sentinel's commit still gets it.
    const { routingEventsCursor: after } = await clerk.ok(StreamPositionDocument);
    const subscribers: Collected<Ev>[] = [];
    for (let i = 0; i < 4; i++) subscribers.push(collect<Ev>(env.ws(clerk.token, { lazy: false }), EVENTS, { filter: { types: ['REGISTERED'] }, after }));
    const sentinel = docs.shift()!;
    await register(clerk, sentinel);
    const [{ id: sentinelEvent }] = await env.sql<{ id: string }>(`select id::text as id from routing_event where document_id = $1 and type = 'REGISTERED'`, [
      key(sentinel.id),
    ]);
    await Promise.all(subscribers.map((s) => waitUntil(() => s.items.some((e) => key(e.routingEvents.id) === sentinelEvent), 30_000)));

    const allCodes: string[] = [];
    for (let round = 1; round <= rounds; round++) {
      const batch = docs.splice(0, perRound);
      // Twenty clients at once: each registration is sent twice over (once per client pair), the key makes it one.
      const clients = await Promise.all(batch.map(async (d) => [register(clerk, d), register(clerk, d)] as const));
      const inFlight = clients.flatMap((c) => [...c]);
      await sleep(5 + (round % 4) * 10);
      await killAll();
      for (const codes of await Promise.all(inFlight)) allCodes.push(...codes);
      const held = await listeningAgain();
      expect({ round, listeners: held.listeners }).toEqual({ round, listeners: { vpdt_routing_event: 1, vpdt_session_revoked: 1 } });
      if (held.total > POOL_MAX + OWN_CONNECTIONS)
        console.log(
          await env.sql(`select pid, state, backend_start, left(query, 80) as q from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [
            datname,
          ]),
        );
      expect(held.total).toBeLessThanOrEqual(POOL_MAX + OWN_CONNECTIONS);
    }
    expect(allCodes.filter((c) => !['OK', 'SERVICE_UNAVAILABLE'].includes(c))).toEqual([]);

    // Gapless: every document has exactly one number and one REGISTERED event, numbers 1..N.
    const numbered = await env.sql<{ n: number; events: string }>(
      `select d.arrival_number as n, (select count(*) from routing_event e where e.document_id = d.id and e.type = 'REGISTERED')::text as events
         from document d where d.arrival_number is not null order by 1`,
    );
    expect(numbered.length).toBe(perRound * rounds + 1);
    expect(numbered.map((r) => r.n)).toEqual(numbered.map((_r, i) => i + 1));
    expect(numbered.every((r) => r.events === '1')).toBe(true);

    // Every subscriber receives every event committed after the sentinel, in stream order, once.
    const expected = (
      await env.sql<{ id: string }>(
        `select e.id::text as id from routing_event e, routing_event s
          where s.id = $1 and e.type = 'REGISTERED' and (e.txid, e.id) > (s.txid, s.id) order by e.txid, e.id`,
        [sentinelEvent],
      )
    ).map((r) => r.id);
    expect(expected.length).toBe(perRound * rounds);
    for (const s of subscribers) {
      await waitUntil(() => s.items.length >= expected.length + 1 || s.errors.length > 0 || s.done, 60_000).catch(() => undefined);
      const ids = s.items.map((e) => key(e.routingEvents.id));
      expect({ errors: s.errors, done: s.done }).toEqual({ errors: [], done: false });
      expect(ids.slice(ids.indexOf(sentinelEvent) + 1)).toEqual(expected);
    }

    // A subscriber opened after the faults is served too.
    const late = collect<Ev>(env.ws(clerk.token, { lazy: false }), EVENTS, { filter: { types: ['REGISTERED'] } });
    const last = docs.shift()!;
    // Its subscription may not be live yet when this registration commits; the next one it receives.
    await register(clerk, last);
    const [{ id: lastEvent }] = await env.sql<{ id: string }>(`select id::text as id from routing_event where document_id = $1 and type = 'REGISTERED'`, [
      key(last.id),
    ]);
    const more = await receive(env, clerk);
    await register(clerk, more);
    await waitUntil(() => late.items.length > 0, 30_000);
    expect(late.items.map((e) => key(e.routingEvents.id)).every((id) => BigInt(id) >= BigInt(lastEvent))).toBe(true);
    for (const s of subscribers) await waitUntil(() => s.items.length >= expected.length + 3, 30_000);
  }, 600_000);
});

describe('the event hub', () => {
  it('starts at the newest event when ids have different numbers of digits', async () => {
    const clerk = await env.as(DEMO.clerk);
    const doc = await receive(env, clerk);
    await env.sql(`select setval(pg_get_serial_sequence('routing_event', 'id'), 999998)`);
    // One transaction, so both events share a transaction id and only the ids order them.
    await env.sql(
      `insert into routing_event (document_id, type, note) values ($1, 'PROGRESS', 'chín trăm chín mươi chín nghìn chín trăm chín mươi chín'), ($1, 'PROGRESS', 'một triệu')`,
      [key(doc.id)],
    );
    const [{ newest }] = await env.sql<{ newest: string }>(`select max(id)::text as newest from routing_event`);
    expect(newest).toBe('1000000');
    const hub = new EventHub(applicationConnection(env.databaseUrl), pino({ level: 'silent' }));
    try {
      await hub.start();
      expect(hub.head.id).toBe(1_000_000n);
    } finally {
      await hub.stop();
    }
  });
});

const key = (globalId: string) => parseGlobalId(globalId)!.key;

/** Waits until `check` holds; fails after `ms`. */
async function waitUntil(check: () => boolean, ms: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`still not so after ${ms} ms: ${check.toString()}`);
    await sleep(50);
  }
}
