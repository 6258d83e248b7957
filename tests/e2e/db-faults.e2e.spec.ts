import { MeDocument, RegisterOnceDocument } from '../generated/graphql';
import { receive } from '../helpers/documents';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';
import { sleep } from '../helpers/live';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
});
afterAll(() => env?.close());

describe('database faults', () => {
  it('survives its connections being killed in a burst of registrations: retryable errors, nothing half-written, recovery on its own', async () => {
    const clerk = await env.as(DEMO.clerk);
    const docs = [];
    for (let i = 0; i < 60; i++) docs.push(await receive(env, clerk));
    const [{ datname }] = await env.sql<{ datname: string }>(`select current_database() as datname`);
    let killing = true;
    const killer = (async () => {
      while (killing) {
        await env
          .sql(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'`, [
            datname,
          ])
          .catch(() => undefined);
        await sleep(15);
      }
    })();
    // 20 clients at once.
    const results = [];
    for (let i = 0; i < docs.length; i += 20) {
      results.push(
        ...(await Promise.all(docs.slice(i, i + 20).map((d, j) => clerk.request(RegisterOnceDocument, { id: d.id, key: `dang-ky-lan-${i + j}-x` })))),
      );
    }
    killing = false;
    await killer;
    const codes = results.map((r) => (r.errors?.[0]?.extensions?.code as string | undefined) ?? 'OK');
    const unexpected = codes.filter((c) => !['OK', 'SERVICE_UNAVAILABLE', 'UNAUTHENTICATED'].includes(c));
    expect({ unexpected, logged: unexpected.length ? env.serverErrors().map((l) => l.slice(0, 600)) : [] }).toEqual({ unexpected: [], logged: [] });
    // Nothing half-written: every number has its document and its event, with no gap.
    const numbered = await env.sql<{ n: number; events: string }>(
      `select d.arrival_number as n, (select count(*) from routing_event e where e.document_id = d.id and e.type = 'REGISTERED')::text as events
         from document d where d.arrival_number is not null order by 1`,
    );
    expect(numbered.map((r) => r.n)).toEqual(numbered.map((_r, i) => i + 1));
    expect(numbered.every((r) => r.events === '1')).toBe(true);
    const [{ last }] = await env.sql<{ last: number }>(`select coalesce(max(last_number), 0) as last from register`);
    expect(last).toBe(numbered.length);
    // The server recovers by itself: the next requests succeed.
    await sleep(200);
    const again = await env.as(DEMO.clerk);
    expect((await again.ok(MeDocument)).me.username).toBe(DEMO.clerk);
    // A failed call may have committed just before its connection died: the client retries with the same
    // idempotency key and gets the first outcome, or a registration now — never a second number.
    for (const [i, d] of docs.entries()) if (codes[i] !== 'OK') await again.ok(RegisterOnceDocument, { id: d.id, key: `dang-ky-lan-${i}-x` });
    const total = await env.sql<{ n: string }>(`select count(*)::text as n from document where arrival_number is not null`);
    expect(Number(total[0].n)).toBe(60);
  }, 120_000);
});
