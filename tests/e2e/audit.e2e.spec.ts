import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { receive } from '../helpers/documents';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';
import { RegisterDocumentDocument } from '../generated/graphql';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  const clerk = await env.as(DEMO.clerk);
  for (let i = 0; i < 3; i++) {
    const d = await receive(env, clerk);
    await clerk.ok(RegisterDocumentDocument, { id: d.id });
  }
});
afterAll(() => env?.close());

const verify = () => spawnSync(process.execPath, [path.join(__dirname, '../../dist/scripts/audit-verify.js')], { env: { ...process.env, DATABASE_URL: env.databaseUrl }, encoding: 'utf8' });

describe('tamper-evident history (npm run audit:verify)', () => {
  it('passes on a clean history and names the row a table owner edited with the triggers disabled', async () => {
    const clean = verify();
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('intact');
    const rows = await env.sql<{ id: string; hash: string; prev_hash: string }>(`select id::text, hash, prev_hash from routing_event order by id`);
    expect(rows.length).toBe(6);
    // Each chain links to the row before it in the same document.
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    const target = rows[3].id;
    await env.sql(`alter table routing_event disable trigger routing_event_append_only`);
    await env.sql(`update routing_event set note = 'sửa lén' where id = $1`, [target]);
    await env.sql(`alter table routing_event enable trigger routing_event_append_only`);
    const tampered = verify();
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toContain(`routing_event row ${target}`);
  });

  it('keeps account events and permission changes append-only as well', async () => {
    await expect(env.sql(`update account_event set reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(env.sql(`truncate permission_change cascade`)).rejects.toThrow(/append-only/);
    await expect(env.sql(`truncate account_event cascade`)).rejects.toThrow(/append-only/);
  });
});
