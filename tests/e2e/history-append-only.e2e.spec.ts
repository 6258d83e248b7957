import { receive } from '../helpers/documents';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  await receive(env, await env.as(DEMO.clerk), { registerNow: true });
});
afterAll(() => env?.close());

describe('the routing history', () => {
  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE, even from the table owner', async () => {
    const rows = await env.sql<{ id: string }>(`select id from routing_event order by id`);
    expect(rows.length).toBe(2);
    await expect(env.sql(`update routing_event set note = 'sửa' where id = $1`, [rows[0].id])).rejects.toThrow(/append-only/);
    await expect(env.sql(`delete from routing_event where id = $1`, [rows[0].id])).rejects.toThrow(/append-only/);
    await expect(env.sql(`truncate routing_event cascade`)).rejects.toThrow(/append-only/);
    expect((await env.sql(`select id from routing_event order by id`)).length).toBe(2);
    // Appending still works.
    await env.sql(`insert into routing_event (document_id, type, at) select document_id, 'PROGRESS', now() from routing_event limit 1`);
    expect((await env.sql(`select id from routing_event`)).length).toBe(3);
  });
});
