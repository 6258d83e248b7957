import { MikroORM } from '@mikro-orm/postgresql';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import pino from 'pino';
import { createRoleOnce } from '../../migrations/Migration20261126120000_app_role';
import { APP_ROLE, applicationConnection } from '../../src/db/app-role';
import { ormOptions } from '../../src/mikro-orm.config';
import { startServer } from '../../src/server';
import { receive } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type TestEnv } from '../helpers/env';
import { AddPermissionRuleDocument, CreateAccountDocument, UnitsDocument } from '../generated/graphql';

/** The hash-chained history tables (migration hash_chains). */
const HISTORY = ['routing_event', 'account_event', 'permission_change'] as const;

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
});
afterAll(() => env?.close());

/** Runs SQL through the server's own connection pool, as the server does. */
const asServer = (sql: string) => env.orm.em.getConnection().execute(sql);
const count = async (table: string) => Number((await env.sql<{ n: string }>(`select count(*) as n from ${table}`))[0].n);

describe('the application database role', () => {
  it('is what the server’s connections act as', async () => {
    expect(await asServer('select current_user as role, session_user as login')).toEqual([{ role: APP_ROLE, login: expect.any(String) }]);
    const [{ rolcanlogin, rolsuper }] = await env.sql<{ rolcanlogin: boolean; rolsuper: boolean }>(
      `select rolcanlogin, rolsuper from pg_roles where rolname = $1`,
      [APP_ROLE],
    );
    expect({ rolcanlogin, rolsuper }).toEqual({ rolcanlogin: false, rolsuper: false });
  });

  it('appends to every history table through ordinary mutations', async () => {
    const before: Record<string, number> = {};
    for (const t of HISTORY) before[t] = await count(t);
    const admin = await env.as(ADMIN_USERNAME);
    await receive(env, await env.as(DEMO.clerk), { registerNow: true });
    const { units } = await admin.ok(UnitsDocument);
    await admin.ok(CreateAccountDocument, {
      input: { username: 'vai-tro-ung-dung@sxd.binhdinh.gov.vn', fullName: 'Trần Thị C', unitId: units[0].id, roles: ['STAFF'] },
    });
    await admin.ok(AddPermissionRuleDocument, {
      input: { role: 'STAFF', action: 'read', subject: 'IncomingDocument', condition: 'OWN_KEEPING_UNIT', reason: 'Thử quyền của vai trò ứng dụng' },
    });
    for (const t of HISTORY) expect([t, (await count(t)) > before[t]]).toEqual([t, true]);
  });

  it.each(HISTORY)('may not UPDATE, DELETE or TRUNCATE %s: refused by its privileges, before the owner’s trigger', async (table) => {
    const rows = await count(table);
    expect(rows).toBeGreaterThan(0);
    for (const statement of [`update ${table} set at = at`, `delete from ${table}`, `truncate ${table}`, `truncate ${table} cascade`]) {
      const refusal = await asServer(statement).then(
        () => null,
        (e: { code?: string; message: string }) => e,
      );
      expect([statement, refusal?.code]).toEqual([statement, '42501']);
      expect(refusal!.message).toMatch(new RegExp(`permission denied for table ${table}`));
      expect(refusal!.message).not.toMatch(/append-only/);
    }
    expect(await count(table)).toBe(rows);
  });

  it('may add to what peers reported (exchange_status) but never change or remove it', async () => {
    const rights = await env.sql<{ p: string; has: boolean }>(
      `select p, has_table_privilege('vpdt_app', 'exchange_status', p) as has from unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p`,
    );
    expect(Object.fromEntries(rights.map((r) => [r.p, r.has]))).toEqual({ SELECT: true, INSERT: true, UPDATE: false, DELETE: false, TRUNCATE: false });
    await expect(asServer(`delete from exchange_status`)).rejects.toMatchObject({ code: '42501' });
  });

  it('reads the migrations table but cannot record or remove a migration', async () => {
    expect((await asServer('select count(*)::int as n from mikro_orm_migrations'))[0].n).toBeGreaterThan(5);
    await expect(asServer(`insert into mikro_orm_migrations (name) values ('Migration99999999999999_forged')`)).rejects.toMatchObject({ code: '42501' });
    await expect(asServer(`delete from mikro_orm_migrations`)).rejects.toMatchObject({ code: '42501' });
  });

  it('gets the ordinary rights on tables and sequences that later migrations create, by default', async () => {
    // As a later migration would, run by the owner.
    await env.sql(`create table later_feature (id bigserial primary key, note text)`);
    await asServer(`insert into later_feature (note) values ('a'), ('b')`);
    await asServer(`update later_feature set note = 'c' where note = 'a'`);
    await asServer(`delete from later_feature where note = 'b'`);
    expect(await asServer(`select note from later_feature`)).toEqual([{ note: 'c' }]);
    await expect(asServer(`truncate later_feature`)).rejects.toMatchObject({ code: '42501' });
  });

  it('is taken by connections made with applicationConnection, as the event hub and the revocation listener make theirs', async () => {
    const c = new Client(applicationConnection(env.databaseUrl));
    await c.connect();
    try {
      expect((await c.query('select current_user as role')).rows).toEqual([{ role: APP_ROLE }]);
      await expect(c.query(`delete from routing_event`)).rejects.toMatchObject({ code: '42501' });
    } finally {
      await c.end();
    }
  });

  it('keeps a server from starting on connections that act as the owner', async () => {
    const owner = await MikroORM.init(ormOptions(env.databaseUrl, { pool: { min: 0, max: 2 } }));
    try {
      await expect(
        startServer({ config: env.config, orm: owner, databaseUrl: env.databaseUrl, log: pino({ level: 'silent' }), port: 0, host: '127.0.0.1' }),
      ).rejects.toThrow(new RegExp(`not as ${APP_ROLE}`));
    } finally {
      await owner.close(true);
    }
  });
});

describe('creating the role, which belongs to the whole cluster', () => {
  /** Four sessions of different databases' migrations creating the same role at once, each in a transaction held open a moment. */
  async function race(role: string, sql: string): Promise<PromiseSettledResult<unknown>[]> {
    const sessions = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const c = new Client({ connectionString: env.databaseUrl });
        await c.connect();
        return c;
      }),
    );
    try {
      // A session that fails is left in its failed transaction; closing it rolls that back.
      return await Promise.allSettled(sessions.map((c) => c.query(`begin; ${sql}; select pg_sleep(0.3); commit;`)));
    } finally {
      await Promise.all(sessions.map((c) => c.end()));
      await env.sql(`drop role if exists "${role}"`);
    }
  }

  it('succeeds in every session when several create it at once, where a plain CREATE ROLE fails', async () => {
    const role = `vpdt_race_${randomBytes(4).toString('hex')}`;
    const plain = await race(role, `create role "${role}" nologin`);
    expect(plain.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);

    const guarded = await race(role, createRoleOnce(role));
    expect(guarded.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it('does nothing when the role exists already', async () => {
    await env.sql(createRoleOnce(APP_ROLE));
    expect(await env.sql(`select count(*)::int as n from pg_roles where rolname = $1`, [APP_ROLE])).toEqual([{ n: 1 }]);
  });
});
