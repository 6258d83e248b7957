import { AccountsDocument, DisableAccountDocument, LogoutDocument, MeDocument } from '../generated/graphql';
import { Client } from 'pg';
import { buildContext } from '../../src/context-factory';
import { applicationConnection } from '../../src/db/app-role';
import { REVOCATION_LISTENER_NAME } from '../../src/events/revocations';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { sleep } from '../helpers/live';

/**
 * The session check held in each process's memory (src/services/session-cache.ts): one statement fewer
 * per request, dropped on every process by the revocation notices, and never used while the process
 * cannot hear them.
 */
let env: TestEnv;
let admin: ApiClient;
beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T02:30:00Z'));
  admin = await env.as('admin@sxd.binhdinh.gov.vn');
});
afterAll(() => env?.close());

const accountId = async (username: string) => (await admin.ok(AccountsDocument, { filter: { text: username } })).accounts.edges[0].node.id;

describe('the session check in process memory', () => {
  it('a request whose session was checked before sends one statement fewer: no session round trip', async () => {
    const staff = await env.as(DEMO.staff);
    await staff.ok(MeDocument);
    // The request's own statements: the exchange sender's background poll may fall in between.
    const ofRequest = (since: number) => env.statementsSince(since).filter((s) => !s.includes('exchange_message'));
    let n = env.statements();
    await staff.ok(MeDocument);
    const cached = ofRequest(n);
    env.server.app.sessions!.clear();
    n = env.statements();
    await staff.ok(MeDocument);
    const uncached = ofRequest(n);
    expect(uncached.length - cached.length).toBe(1);
    expect(cached.some((s) => s.includes('select a.id as account_id'))).toBe(false);
    expect(uncached.some((s) => s.includes('select a.id as account_id'))).toBe(true);
  });

  it('requests of a session held in memory share one ability; a dropped session gets a new one', async () => {
    const staff = await env.as(DEMO.staff);
    const build = () => buildContext(env.server.app, env.orm, staff.token ?? null, '127.0.0.1', 'test');
    await build();
    const [a, b] = [await build(), await build()];
    expect(a.viewer?.accountId).toBeDefined();
    expect(b.ability).toBe(a.ability);
    env.server.app.sessions!.clear();
    await build();
    expect((await build()).ability).not.toBe(a.ability);
  });

  it('an account disabled through one process is refused by another at its next request', async () => {
    const peer = await env.startPeer();
    const head = await env.as(DEMO.head);
    const onPeer = peer.client(head.token);
    await onPeer.ok(MeDocument);
    const hits = peer.server.app.sessions!.stats.hits;
    await onPeer.ok(MeDocument);
    // The peer answered from its memory…
    expect(peer.server.app.sessions!.stats.hits).toBe(hits + 1);
    // The announcing process counts the listeners it waits for, as the application role sees them: both processes.
    const asApp = new Client(applicationConnection(env.databaseUrl));
    await asApp.connect();
    try {
      const { rows } = await asApp.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = $1`,
        [REVOCATION_LISTENER_NAME],
      );
      expect(rows[0].n).toBe(2);
    } finally {
      await asApp.end();
    }
    const dropped = peer.server.app.sessions!.stats.dropped;
    await admin.ok(DisableAccountDocument, { id: await accountId(DEMO.head), reason: 'RESIGNATION' });
    // The mutation answered only once the peer had dropped the account's sessions.
    expect(peer.server.app.sessions!.stats.dropped).toBeGreaterThan(dropped);
    // …and no longer does.
    expect(await onPeer.code(MeDocument)).toBe('UNAUTHENTICATED');
    expect(await head.code(MeDocument)).toBe('UNAUTHENTICATED');
  });

  it('a sign-out on one process ends the session on another at its next request', async () => {
    const peer = await env.startPeer();
    const clerk = await env.as(DEMO.clerk);
    const onPeer = peer.client(clerk.token);
    await onPeer.ok(MeDocument);
    await onPeer.ok(MeDocument);
    expect(peer.server.app.sessions!.size).toBeGreaterThan(0);
    expect((await clerk.ok(LogoutDocument)).logout).toBe(true);
    expect(await onPeer.code(MeDocument)).toBe('UNAUTHENTICATED');
  });

  it('is emptied and bypassed while the revocation listener is down, and not trusted after it is back', async () => {
    const director = await env.as(DEMO.director);
    await director.ok(MeDocument);
    await director.ok(MeDocument);
    const sessions = env.server.app.sessions!;
    // A change no notice announces (made behind the server's back): only the database knows.
    await env.sql(`update account set status = 'DISABLED' where username = $1`, [DEMO.director]);
    try {
      // Served from memory while the listener listens (the maximum age is the net for this).
      await director.ok(MeDocument);
      const [{ datname }] = await env.sql<{ datname: string }>(`select current_database() as datname`);
      const killed = await env.sql<{ pid: number }>(
        `select pid, pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query = 'listen vpdt_session_revoked'`,
        [datname],
      );
      expect(killed.length).toBeGreaterThan(0);
      // Wait until this process has noticed the loss (its reconnection waits at least 250 ms).
      const deadline = Date.now() + 30_000;
      while (sessions.usable && Date.now() < deadline) await new Promise((r) => setImmediate(r));
      expect(sessions.usable).toBe(false);
      expect(sessions.size).toBe(0);
      expect(await director.code(MeDocument)).toBe('UNAUTHENTICATED');
      // Back again: nothing from before the outage is served.
      while (!sessions.usable && Date.now() < deadline) await sleep(20);
      expect(sessions.usable).toBe(true);
      expect(await director.code(MeDocument)).toBe('UNAUTHENTICATED');
    } finally {
      await env.sql(`update account set status = 'ACTIVE' where username = $1`, [DEMO.director]);
    }
    // And it is used again once the listener is back.
    const hits = sessions.stats.hits;
    await director.ok(MeDocument);
    await director.ok(MeDocument);
    expect(sessions.stats.hits).toBeGreaterThan(hits);
  });
});
