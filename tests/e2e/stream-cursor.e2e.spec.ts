import { print } from 'graphql';
import { Client } from 'pg';
import { InboxWithStreamPositionDocument, RegisterDocumentDocument, RoutingEventsDocument, StreamPositionFirstInFragmentDocument } from '../generated/graphql';
import { decodeCursor } from '../../src/events/event-hub';
import { receive } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { collect, sleep, type Collected } from '../helpers/live';

type Ev = { routingEvents: { id: string; cursor: string; type: string; note?: string | null; document: { id: string } | null } };
const EVENTS = print(RoutingEventsDocument);

let env: TestEnv;
/** Two clients of the clerk: one loads a dashboard, the other works meanwhile. */
let reader: ApiClient, worker: ApiClient;

beforeAll(async () => {
  env = await startTestEnv();
  [reader, worker] = await Promise.all([env.as(DEMO.clerk), env.as(DEMO.clerk)]);
});
afterAll(() => env?.close());

/** Waits (on the condition, generously) until the events of these documents number `n`; returns them in arrival order. */
async function eventsOf(sub: Collected<Ev>, documentIds: string[], n: number, ms = 60_000): Promise<Array<[string | undefined, string]>> {
  const pick = () =>
    sub.items
      .filter((e) => documentIds.includes(e.routingEvents.document?.id ?? ''))
      .map((e): [string | undefined, string] => [e.routingEvents.document?.id, e.routingEvents.type]);
  const started = Date.now();
  while (pick().length < n) {
    if (sub.errors.length) throw new Error(`subscription failed: ${JSON.stringify(sub.errors)}`);
    if (Date.now() - started > ms) throw new Error(`only ${pick().length} of ${n} events after ${ms} ms: ${JSON.stringify(pick())}`);
    await sleep(50);
  }
  return pick();
}

const compare = (a: string, b: string) => {
  const [p, q] = [decodeCursor(a)!, decodeCursor(b)!];
  return p.txid !== q.txid ? (p.txid < q.txid ? -1 : 1) : p.id < q.id ? -1 : p.id > q.id ? 1 : 0;
};

describe('load, then go live, without a gap', () => {
  it('a client that reads its inbox with the position, lets another client commit events, and only then subscribes from that position receives every one of them', async () => {
    const loaded = await reader.ok(InboxWithStreamPositionDocument, { view: 'TO_REGISTER' });
    expect(decodeCursor(loaded.routingEventsCursor)).not.toBeNull();

    // Another client works while the dashboard has not subscribed yet.
    const made: string[] = [];
    for (let i = 0; i < 4; i++) {
      const d = await receive(env, worker, { subject: `Văn bản giữa truy vấn và đăng ký ${i}` });
      made.push(d.id);
      await worker.ok(RegisterDocumentDocument, { id: d.id });
    }
    // None of it was in the data the dashboard loaded.
    expect(loaded.inbox.edges.map((e) => e.node.id).filter((id) => made.includes(id))).toEqual([]);

    // Only now does it subscribe, from the position its query gave.
    const sub = collect<Ev>(env.ws(reader.token), EVENTS, { after: loaded.routingEventsCursor });
    await eventsOf(sub, made, made.length * 2);
    // A moment more: a duplicate would show here.
    await sleep(500);
    expect(await eventsOf(sub, made, made.length * 2)).toEqual(
      made.flatMap((id) => [
        [id, 'RECEIVED'],
        [id, 'REGISTERED'],
      ]),
    );
    // In stream order, each once, all after the position.
    const cursors = sub.items.map((e) => e.routingEvents.cursor);
    expect(cursors).toEqual([...cursors].sort(compare));
    expect(new Set(sub.items.map((e) => e.routingEvents.id)).size).toBe(sub.items.length);
    for (const c of cursors) expect(compare(c, loaded.routingEventsCursor)).toBe(1);
    sub.stop();
  });

  it('a transaction still open when the query ran, committing after it, is not skipped by a subscription from that position', async () => {
    const early = await receive(env, worker, { subject: 'Giao dịch mở trong lúc truy vấn' });
    const later = await receive(env, worker, { subject: 'Giao dịch nhanh trong lúc truy vấn' });
    const earlyKey = Buffer.from(early.id, 'base64url').toString().split(':')[1];
    const slow = new Client({ connectionString: env.databaseUrl });
    slow.on('error', () => undefined);
    await slow.connect();
    try {
      await slow.query('begin');
      // The slow transaction takes its transaction id and writes its event…
      await slow.query(`insert into routing_event (document_id, type, note, at) values ($1, 'PROGRESS', 'late', now())`, [earlyKey]);
      // …a faster one commits after it, so the newest committed event lies beyond the slow one…
      await worker.ok(RegisterDocumentDocument, { id: later.id });
      // …and the dashboard loads while the slow one is still open (the position is read in a fragment, beside the data).
      const { routingEventsCursor: position } = await reader.ok(StreamPositionFirstInFragmentDocument);
      await slow.query('commit');

      // Only the two events at stake (the receptions committed before may be replayed at the seam).
      const sub = collect<Ev>(env.ws(reader.token), EVENTS, { after: position, filter: { types: ['PROGRESS', 'REGISTERED'] } });
      expect(await eventsOf(sub, [early.id, later.id], 2)).toEqual([
        [early.id, 'PROGRESS'],
        [later.id, 'REGISTERED'],
      ]);
      sub.stop();
    } finally {
      await slow.query('rollback').catch(() => undefined);
      await slow.end().catch(() => undefined);
    }
  });

  it('a transaction open in another database of the same server does not hold the position back: what was committed before the query is not replayed', async () => {
    // Another database's long transaction (as another deployment, or another test file, on the same server).
    const elsewhere = new Client({ connectionString: `${process.env.VPDT_TEST_SERVER_URL}/postgres` });
    elsewhere.on('error', () => undefined);
    await elsewhere.connect();
    try {
      await elsewhere.query('begin');
      await elsewhere.query('select pg_current_xact_id()');
      const before = await receive(env, worker, { subject: 'Đã ghi trước truy vấn' });
      const { routingEventsCursor: position } = await reader.ok(StreamPositionFirstInFragmentDocument);
      const after = await receive(env, worker, { subject: 'Ghi sau truy vấn' });
      const sub = collect<Ev>(env.ws(reader.token), EVENTS, { after: position, filter: { types: ['RECEIVED'] } });
      await eventsOf(sub, [after.id], 1);
      // The reception committed before the query lies before the position, although the other database's transaction is older.
      expect(sub.items.map((e) => e.routingEvents.document?.id)).not.toContain(before.id);
      sub.stop();
    } finally {
      await elsewhere.query('rollback').catch(() => undefined);
      await elsewhere.end().catch(() => undefined);
    }
  });

  it('gives the position over the WebSocket too, read before the data', async () => {
    const ws = env.ws(reader.token);
    const result = await new Promise<{ data?: { routingEventsCursor: string; inboxCounts: { TO_REGISTER: number } }; errors?: unknown }>((resolve, reject) => {
      let r: unknown;
      ws.subscribe(
        { query: '{ inboxCounts { TO_REGISTER } routingEventsCursor }' },
        { next: (x) => (r = x), error: reject, complete: () => resolve(r as never) },
      );
    });
    expect(result.errors).toBeUndefined();
    expect(decodeCursor(result.data!.routingEventsCursor)).not.toBeNull();
    const d = await receive(env, worker, { subject: 'Sau khi đọc qua WebSocket' });
    const sub = collect<Ev>(ws, EVENTS, { after: result.data!.routingEventsCursor });
    expect(await eventsOf(sub, [d.id], 1)).toEqual([[d.id, 'RECEIVED']]);
    sub.stop();
  });

  it('refuses the position without a session', async () => {
    expect(await env.client().code(InboxWithStreamPositionDocument, { view: 'TO_REGISTER' })).toBe('UNAUTHENTICATED');
  });
});
