import v8 from 'node:v8';
import vm from 'node:vm';
import { print } from 'graphql';
import { Client } from 'pg';
import WebSocket from 'ws';
import {
  AccountsDocument,
  AssignDocumentDocument,
  DelegateAssignmentDocument,
  DisableAccountDocument,
  InboxCountsChangedDocument,
  LogoutDocument,
  RecordProgressLiteDocument,
  RegisterDocumentDocument,
  ReturnAssignmentDocument,
  RoutingEventsDocument,
  StreamPositionDocument,
  SubmitDocumentsDocument,
} from '../generated/graphql';
import { receive, unitIds } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { closed, collect, connected, sleep } from '../helpers/live';

type Ev = { routingEvents: { id: string; cursor: string; type: string; note?: string | null; document: { id: string } | null } };
const EVENTS = print(RoutingEventsDocument);

let env: TestEnv;
let peer: Awaited<ReturnType<TestEnv['startPeer']>>;
let clerk: ApiClient, director: ApiClient, head: ApiClient, staff: ApiClient;
let units: Record<string, string>;
let staffId: string;

beforeAll(async () => {
  env = await startTestEnv({ slowClientMs: 300 });
  peer = await env.startPeer();
  [clerk, director, head, staff] = await Promise.all([env.as(DEMO.clerk), env.as(DEMO.director), env.as(DEMO.head), env.as(DEMO.staff)]);
  units = await unitIds(director);
  staffId = (await director.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
});
afterAll(() => env?.close());

const positions = (items: Ev[]) => items.map((e) => e.routingEvents.cursor);
const sorted = (cursors: string[]) =>
  [...cursors].sort((a, b) => {
    const [at, ai] = a.split('.').map(BigInt);
    const [bt, bi] = b.split('.').map(BigInt);
    return at !== bt ? (at < bt ? -1 : 1) : ai < bi ? -1 : ai > bi ? 1 : 0;
  });

/**
 * Where the event stream stands, read before acting: a subscription from it receives every event
 * committed afterwards, however long the socket takes to open on a loaded machine (no sleep to guess it).
 */
const streamPosition = async (c: ApiClient) => (await c.ok(StreamPositionDocument)).routingEventsCursor;

/** A document assigned to the department QLHĐXD, its lead assignment passed to the staff member. */
async function assignedToStaff() {
  const d = await receive(env, clerk, { registerNow: true });
  await clerk.ok(SubmitDocumentsDocument, { ids: [d.id] });
  const { assignDocument } = await director.ok(AssignDocumentDocument, {
    id: d.id,
    input: { instruction: 'Giao phòng.', lead: { unitId: units['QLHĐXD'], deadline: '2027-12-10' } },
  });
  const lead = assignDocument.assignments[0].id;
  const child = (await head.ok(DelegateAssignmentDocument, { assignmentId: lead, input: { accountId: staffId, deadline: '2027-12-01' } })).delegateAssignment
    .id;
  return { id: d.id, lead, child };
}

describe('live routing events', () => {
  it('a subscriber on one process receives, in order and exactly once, every event from mutations made on the other', async () => {
    const ws = env.ws(clerk.token, { url: peer.wsUrl });
    const sub = collect<Ev>(ws, EVENTS, { after: await streamPosition(clerk) });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const d = await receive(env, clerk, { subject: `Văn bản trực tiếp ${i}` });
      made.push(d.id);
      await clerk.ok(RegisterDocumentDocument, { id: d.id });
    }
    await sub.waitFor(10);
    await sleep(500);
    // Only the events of this test's documents (a stream that never skips a late commit may also carry a few committed just before it began).
    const items = sub.items.filter((e) => made.includes(e.routingEvents.document?.id ?? ''));
    expect(items.map((e) => [e.routingEvents.document?.id, e.routingEvents.type])).toEqual(
      made.flatMap((id) => [
        [id, 'RECEIVED'],
        [id, 'REGISTERED'],
      ]),
    );
    expect(positions(sub.items)).toEqual(sorted(positions(sub.items)));
    expect(new Set(positions(sub.items)).size).toBe(sub.items.length);
    sub.stop();
  });

  it('a client that reconnects to the other process with its cursor receives exactly the missed events, then live ones', async () => {
    const first = env.ws(director.token);
    const sub = collect<Ev>(first, EVENTS, { after: await streamPosition(director) });
    const a = await receive(env, clerk, { subject: 'Trước khi mất kết nối' });
    const got = await sub.waitFor(1);
    const cursor = got[0].routingEvents.cursor;
    expect(got[0].routingEvents.document?.id).toBe(a.id);
    sub.stop();
    await first.dispose();
    // Missed while away.
    const b = await receive(env, clerk, { subject: 'Trong khi mất kết nối 1' });
    await clerk.ok(RegisterDocumentDocument, { id: b.id });
    const resumed = collect<Ev>(env.ws(director.token, { url: peer.wsUrl }), EVENTS, { after: cursor });
    const replayed = await resumed.waitFor(2);
    expect(replayed.map((e) => [e.routingEvents.document?.id, e.routingEvents.type])).toEqual([
      [b.id, 'RECEIVED'],
      [b.id, 'REGISTERED'],
    ]);
    // Then live, with no duplicate at the seam.
    const c = await receive(env, clerk, { subject: 'Sau khi kết nối lại' });
    const all = await resumed.waitFor(3);
    await sleep(400);
    expect(resumed.items.map((e) => [e.routingEvents.document?.id, e.routingEvents.type])).toEqual([
      [b.id, 'RECEIVED'],
      [b.id, 'REGISTERED'],
      [c.id, 'RECEIVED'],
    ]);
    expect(new Set(positions(all)).size).toBe(3);
    resumed.stop();
  });

  it('does not skip a transaction that commits late with an earlier id', async () => {
    const early = await receive(env, clerk, { subject: 'Giao dịch chậm' });
    const d = await receive(env, clerk, { subject: 'Giao dịch nhanh' });
    const earlyKey = Buffer.from(early.id, 'base64url').toString().split(':')[1];
    const sub = collect<Ev>(env.ws(clerk.token), EVENTS, { filter: { types: ['PROGRESS', 'REGISTERED'] }, after: await streamPosition(clerk) });
    const slow = new Client({ connectionString: env.databaseUrl });
    slow.on('error', () => undefined);
    await slow.connect();
    await slow.query('begin');
    // The slow transaction takes its transaction id and its event id first…
    await slow.query(`insert into routing_event (document_id, type, note, at) values ($1, 'PROGRESS', 'late', now())`, [earlyKey]);
    // …then a fast one commits after it.
    await clerk.ok(RegisterDocumentDocument, { id: d.id });
    await sleep(600);
    // Nothing is delivered past a transaction still running: the fast event waits for the slow one.
    expect(sub.items.map((e) => e.routingEvents.type)).toEqual([]);
    await slow.query('commit');
    await slow.end();
    const items = await sub.waitFor(2);
    expect(items.map((e) => [e.routingEvents.type, e.routingEvents.document?.id])).toEqual([
      ['PROGRESS', early.id],
      ['REGISTERED', d.id],
    ]);
    const ids = items.map((e) => BigInt(e.routingEvents.cursor.split('.')[1]));
    expect(ids[0] < ids[1]).toBe(true);
    sub.stop();
  });

  it('gives each role exactly the events of documents it may read: no false positive, no false negative', async () => {
    const [centreClerk] = await Promise.all([env.as(DEMO.centreClerk)]);
    const mine = await assignedToStaff();
    const departmentOnly = await receive(env, clerk, { registerNow: true, subject: 'Chỉ giao phòng' });
    await clerk.ok(SubmitDocumentsDocument, { ids: [departmentOnly.id] });
    const { assignDocument } = await director.ok(AssignDocumentDocument, {
      id: departmentOnly.id,
      input: { instruction: 'Phòng xử lý.', lead: { unitId: units['QLHĐXD'], deadline: '2027-12-10' } },
    });
    const subscribers = { clerk, director, head, staff, centreClerk } as const;
    const after = await streamPosition(clerk);
    const subs = Object.fromEntries(
      Object.entries(subscribers).map(([k, c]) => [k, collect<Ev>(env.ws(c.token, { url: k === 'head' ? peer.wsUrl : undefined }), EVENTS, { after })]),
    );
    // Documents move: staff works on theirs, the head on the department's, the centre and the agency receive.
    await staff.ok(RecordProgressLiteDocument, { assignmentId: mine.child, note: 'Đang xử lý.' });
    await head.ok(RecordProgressLiteDocument, { assignmentId: assignDocument.assignments[0].id, note: 'Phòng đang xử lý.' });
    const atCentre = await receive(env, centreClerk, { subject: 'Văn bản đến trung tâm' });
    const atAgency = await receive(env, clerk, { subject: 'Văn bản đến sở' });
    const readers: Record<string, string[]> = {
      [mine.id]: ['clerk', 'director', 'head', 'staff'],
      [departmentOnly.id]: ['clerk', 'director', 'head'],
      [atCentre.id]: ['centreClerk'],
      [atAgency.id]: ['clerk', 'director'],
    };
    const expected = (who: string) =>
      Object.entries(readers)
        .filter(([, r]) => r.includes(who))
        .map(([id]) => id);
    for (const who of Object.keys(subscribers)) await subs[who].waitFor(expected(who).length);
    await sleep(600);
    let falsePositives = 0;
    let falseNegatives = 0;
    for (const who of Object.keys(subscribers)) {
      const got = subs[who].items.map((e) => e.routingEvents.document!.id);
      falsePositives += got.filter((id) => !expected(who).includes(id)).length;
      falseNegatives += expected(who).filter((id) => !got.includes(id)).length;
      subs[who].stop();
    }
    expect({ falsePositives, falseNegatives }).toEqual({ falsePositives: 0, falseNegatives: 0 });
  });

  it('stops delivering to a staff member as soon as the work is taken away', async () => {
    const d = await assignedToStaff();
    const sub = collect<Ev>(env.ws(staff.token), EVENTS, { filter: { documentId: d.id }, after: await streamPosition(staff) });
    await staff.ok(RecordProgressLiteDocument, { assignmentId: d.child, note: 'Bắt đầu.' });
    await sub.waitFor(1);
    await staff.ok(ReturnAssignmentDocument, { assignmentId: d.child, reason: 'Chuyển người khác.' });
    await head.ok(RecordProgressLiteDocument, { assignmentId: d.lead, note: 'Trưởng phòng tự xử lý.' });
    await sleep(800);
    // The staff member's own progress is the last event delivered: from the return on, the document is no longer theirs.
    // (Events committed just before subscribing may also arrive: a stream that never skips a late commit starts at the horizon.)
    const notes = sub.items.map((e) => [e.routingEvents.type, e.routingEvents.note]);
    expect(notes[notes.length - 1]).toEqual(['PROGRESS', 'Bắt đầu.']);
    expect(notes.some(([type]) => type === 'RETURNED')).toBe(false);
    expect(notes.some(([, note]) => note === 'Trưởng phòng tự xử lý.')).toBe(false);
    sub.stop();
  });

  it('pushes inbox counts when they change', async () => {
    const counts = collect<{ inboxCountsChanged: { TO_REGISTER: number } }>(env.ws(clerk.token), print(InboxCountsChangedDocument));
    const initial = (await counts.waitFor(1))[0].inboxCountsChanged.TO_REGISTER;
    await receive(env, clerk, { subject: 'Đếm lại' });
    const items = await counts.waitFor(2);
    expect(items[1].inboxCountsChanged.TO_REGISTER).toBe(initial + 1);
    counts.stop();
  });
});

describe('sockets that stay safe', () => {
  it('disabling an account closes its sockets on both processes within a second (4401)', async () => {
    const centreHead = await env.as(DEMO.centreHead);
    const admin = await env.as(ADMIN_USERNAME);
    const a = env.ws(centreHead.token, { lazy: false });
    const b = env.ws(centreHead.token, { lazy: false, url: peer.wsUrl });
    await Promise.all([connected(a), connected(b)]);
    const codes = Promise.all([closed(a), closed(b)]);
    const id = (await admin.ok(AccountsDocument, { filter: { text: DEMO.centreHead } })).accounts.edges[0].node.id;
    const started = Date.now();
    await admin.ok(DisableAccountDocument, { id, reason: 'OTHER' });
    expect(await codes).toEqual([4401, 4401]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('logout closes that session’s sockets, not the others', async () => {
    const one = await env.as(DEMO.centreDirector);
    const two = await env.as(DEMO.centreDirector);
    const a = env.ws(one.token, { lazy: false, url: peer.wsUrl });
    const b = env.ws(two.token, { lazy: false });
    await Promise.all([connected(a), connected(b)]);
    const code = closed(a);
    let bClosed = false;
    b.on('closed', () => (bClosed = true));
    await one.ok(LogoutDocument);
    expect(await code).toBe(4401);
    await sleep(300);
    expect(bClosed).toBe(false);
  });

  it('closes a socket when its token expires (4403)', async () => {
    const now = Date.now();
    env.clock.set(new Date(now));
    const c = await env.as(DEMO.centreClerk);
    // The token lives TOKEN_TTL_MINUTES (to the second); move the server's clock to two seconds before it ends.
    env.clock.set(new Date(now + env.config.tokenTtlMinutes * 60_000 - 2000));
    try {
      const ws = env.ws(c.token, { lazy: false });
      await connected(ws);
      expect(await closed(ws)).toBe(4403);
    } finally {
      env.clock.reset();
    }
  });

  it('refuses sockets from an origin that is not allowed', async () => {
    const raw = new WebSocket(env.server.wsUrl.replace('localhost', '127.0.0.1'), 'graphql-transport-ws', { headers: { origin: 'https://evil.example' } });
    const outcome = await new Promise<string>((resolve) => {
      raw.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
      raw.on('open', () => resolve('open'));
      raw.on('error', () => resolve('error'));
    });
    expect(outcome).not.toBe('open');
    raw.terminate();
  });

  it('disconnects a client that stops reading, while server memory stays bounded', async () => {
    const d = await receive(env, clerk, { subject: 'Rất nhiều sự kiện' });
    const key = Buffer.from(d.id, 'base64url').toString().split(':')[1];
    const raw = new WebSocket(env.server.wsUrl.replace('localhost', '127.0.0.1'), 'graphql-transport-ws');
    await new Promise((r) => raw.on('open', r));
    raw.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${clerk.token}` } }));
    await new Promise((r) => raw.once('message', r));
    raw.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: 'subscription { routingEvents { id cursor note } }' } }));
    await sleep(300);
    const open = env.server.liveConnections();
    // The client stops reading from its socket.
    (raw as unknown as { _socket: { pause(): void } })._socket.pause();
    // Collected before each measurement, so the figure is what is held, not garbage not yet collected.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    // A burst of 3,000 events of 8 kB each: far more than the socket buffers hold.
    await env.sql(`insert into routing_event (document_id, type, note, at) select $1, 'PROGRESS', repeat('x', 8000), now() from generate_series(1, 3000)`, [
      key,
    ]);
    const dropped = async () => {
      for (let i = 0; i < 150; i++) {
        if (env.server.liveConnections() < open) return 'dropped';
        await sleep(100);
      }
      return 'still open';
    };
    expect(await dropped()).toBe('dropped');
    gc();
    const grown = process.memoryUsage().heapUsed - before;
    // The 24 MB burst is not held for the slow client.
    expect(grown).toBeLessThan(20 * 1024 * 1024);
    raw.terminate();
  });
});
