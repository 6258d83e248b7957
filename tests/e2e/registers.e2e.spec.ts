import { InboxCountsDocument, RegisterDocumentDocument, RegistersDocument } from '../generated/graphql';
import { receive } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';

let env: TestEnv;
let clerk: ApiClient;

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  clerk = await env.as(DEMO.clerk);
});
afterAll(() => env?.close());

const numbers = async (year: number) =>
  (
    await env.sql<{ n: number }>(
      `select d.arrival_number as n from document d join register r on r.id = d.register_id where r.year = $1 and d.arrival_number is not null order by 1`,
      [year],
    )
  ).map((r) => r.n);

describe('the incoming register', () => {
  it('gives 1..N with no gap and no duplicate to 50 parallel registrations on two server processes, a few failing half-way', async () => {
    const peer = await env.startPeer();
    const onPeer = peer.client(clerk.token);
    const docs = [];
    for (let i = 0; i < 50; i++) docs.push(await receive(env, clerk, { subject: `Văn bản số ${i}${i % 9 === 4 ? ' [fail]' : ''}`, number: String(1000 + i) }));
    const failing = docs.filter((d) => d.subject.includes('[fail]'));
    expect(failing.length).toBe(6);
    // A fault after the number is taken: the registering transaction fails half-way and rolls back.
    await env.sql(`create function fail_half_way() returns trigger language plpgsql as $$
      begin
        if new.arrival_number is not null and new.subject like '%[fail]%' then raise exception 'injected failure'; end if;
        return new;
      end $$`);
    await env.sql(`create trigger fail_half_way before update on document for each row execute function fail_half_way()`);
    try {
      const results = await Promise.all(docs.map((d, i) => (i % 2 ? onPeer : clerk).request(RegisterDocumentDocument, { id: d.id })));
      const failed = results.filter((r) => r.errors?.length);
      expect(failed).toHaveLength(failing.length);
      expect(failed.every((r) => r.errors![0].extensions?.code === 'INTERNAL_SERVER_ERROR')).toBe(true);
      const got = results.filter((r) => !r.errors).map((r) => r.data!.registerDocument.arrivalNumber!);
      expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 44 }, (_, i) => i + 1));
      expect(await numbers(2026)).toEqual(Array.from({ length: 44 }, (_, i) => i + 1));
      // The failed ones are still waiting, unregistered, and their history has no REGISTERED event.
      const left = await env.sql<{ n: string }>(`select count(*)::text as n from document where state = 'RECEIVED'`);
      expect(left[0].n).toBe('6');
      const events = await env.sql<{ n: string }>(`select count(*)::text as n from routing_event where type = 'REGISTERED'`);
      expect(events[0].n).toBe('44');
    } finally {
      await env.sql(`drop trigger fail_half_way on document`);
      await env.sql(`drop function fail_half_way()`);
    }
    // Once the fault is gone they take the next numbers, 45 to 50.
    for (const d of failing) await clerk.ok(RegisterDocumentDocument, { id: d.id });
    expect(await numbers(2026)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect((await clerk.ok(RegistersDocument, { year: 2026 })).registers[0].lastNumber).toBe(50);
    // Registering twice is refused and takes no number.
    expect(await clerk.code(RegisterDocumentDocument, { id: docs[0].id })).toBe('INVALID_TRANSITION');
    expect((await clerk.ok(RegistersDocument, { year: 2026 })).registers[0].lastNumber).toBe(50);
  });

  it('restarts at 1 at midnight of 31 December in the office’s time zone, not the server’s', async () => {
    const a = await receive(env, clerk);
    const b = await receive(env, clerk);
    // 23:59:59 on 31 December in Quy Nhơn is 16:59:59 UTC.
    env.clock.set(new Date('2026-12-31T16:59:59Z'));
    let c = await env.as(DEMO.clerk);
    const before = (await c.ok(RegisterDocumentDocument, { id: a.id })).registerDocument;
    expect(before.register).toMatchObject({ year: 2026 });
    expect(before.arrivalNumber).toBe(51);
    expect(before.arrivalDate).toBe('2026-12-31');
    // One second later it is 1 January 2027 in the office, still 31 December in UTC.
    env.clock.set(new Date('2026-12-31T17:00:00Z'));
    c = await env.as(DEMO.clerk);
    const after = (await c.ok(RegisterDocumentDocument, { id: b.id })).registerDocument;
    expect(after).toMatchObject({ arrivalNumber: 1, arrivalDate: '2027-01-01', register: { year: 2027 } });
    expect(await numbers(2027)).toEqual([1]);
    expect((await c.ok(InboxCountsDocument)).inboxCounts.TO_SUBMIT).toBeGreaterThanOrEqual(2);
    env.clock.set(new Date('2026-11-26T01:30:00Z'));
  });
});
