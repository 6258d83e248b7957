import { print } from 'graphql';
import { InboxCountsChangedDocument, LoginDocument, MeDocument } from '../generated/graphql';
import { DEMO, DEMO_PASSWORD, startTestEnv, type TestEnv } from '../helpers/env';
import { collect, connected } from '../helpers/live';

const TOKEN = 'metrics-test-token-0123456789';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv({ env: { METRICS_TOKEN: TOKEN } });
});
afterAll(() => env?.close());

const metricsUrl = () => env.server.url.replace(/\/graphql$/, '/metrics');

async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl(), { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one series, its labels given in any order; undefined when absent. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

/** Scrapes until `ok` holds of the text (gauges follow sockets that open asynchronously). */
async function scrapeUntil(ok: (text: string) => boolean, ms = 20_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const text = await scrape();
    if (ok(text) || Date.now() - started > ms) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('GET /metrics', () => {
  it('refuses a scrape without the configured token, or with another one', async () => {
    const none = await fetch(metricsUrl());
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.text()).not.toMatch(/vpdt_/);
    const wrong = await fetch(metricsUrl(), { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
  });

  it('counts HTTP requests, GraphQL operations by name, errors by code, sockets, subscriptions, the stream, the outbox and the pool', async () => {
    // Traffic: a sign-in, a named query, a query that fails, a bad operation name, and a subscription.
    const login = await env.client().ok(LoginDocument, { username: DEMO.staff, password: DEMO_PASSWORD });
    const staff = env.client(login.login.token);
    await staff.ok(MeDocument);
    await staff.ok(MeDocument);
    expect(await env.client().code(MeDocument)).toBe('UNAUTHENTICATED');
    await fetch(env.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Ω { __typename }' }),
    });
    const ws = env.ws(login.login.token, { lazy: false });
    await connected(ws);
    const counts = collect(ws, print(InboxCountsChangedDocument));

    // An outbox message that failed and waits for its next attempt (tomorrow: the sender leaves it alone).
    const [peer] = await env.sql<{ id: string }>(
      `insert into correspondent (id, name, agency_id) select gen_random_uuid(), 'Metrics peer', id from unit order by created_at limit 1 returning id`,
    );
    await env.sql(
      `insert into exchange_message (kind, correspondent_id, exchange_document_id, state, attempts, next_attempt_at, created_at)
       values ('STATUS', $1, 'metrics-test', 'FAILED', 3, now() + interval '1 day', now() - interval '1 hour')`,
      [peer.id],
    );

    const text = await scrapeUntil((t) => (value(t, 'vpdt_graphql_subscriptions_active') ?? 0) >= 1).finally(() => counts.stop());

    expect(value(text, 'vpdt_http_requests_total', { method: 'POST', route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(4);
    expect(value(text, 'vpdt_http_request_duration_seconds_count', { method: 'POST', route: '/graphql' })).toBeGreaterThanOrEqual(4);

    expect(value(text, 'vpdt_graphql_operations_total', { transport: 'http', operation_name: 'Login', operation_type: 'mutation', outcome: 'ok' })).toBe(1);
    expect(value(text, 'vpdt_graphql_operations_total', { transport: 'http', operation_name: 'Me', operation_type: 'query', outcome: 'ok' })).toBe(2);
    expect(value(text, 'vpdt_graphql_operations_total', { transport: 'http', operation_name: 'Me', operation_type: 'query', outcome: 'error' })).toBe(1);
    expect(value(text, 'vpdt_graphql_operation_duration_seconds_count', { operation_name: 'Me', operation_type: 'query' })).toBe(3);
    expect(value(text, 'vpdt_graphql_operation_duration_seconds_sum', { operation_name: 'Me', operation_type: 'query' })).toBeGreaterThan(0);
    // A name outside [A-Za-z_][A-Za-z0-9_]* is never a label value.
    expect(text).not.toContain('Ω');
    expect(value(text, 'vpdt_graphql_errors_total', { transport: 'http', code: 'UNAUTHENTICATED' })).toBeGreaterThanOrEqual(1);
    expect(
      value(text, 'vpdt_graphql_operations_total', { transport: 'ws', operation_name: 'InboxCountsChanged', operation_type: 'subscription', outcome: 'ok' }),
    ).toBe(1);

    expect(value(text, 'vpdt_websocket_connections')).toBe(1);
    expect(value(text, 'vpdt_graphql_subscriptions_active')).toBe(1);

    // The test server polls the stream every 200 ms: a healthy hub is never far behind.
    const lag = value(text, 'vpdt_event_stream_lag_seconds');
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(30);

    expect(value(text, 'vpdt_exchange_outbox_messages', { state: 'FAILED' })).toBe(1);
    expect(value(text, 'vpdt_exchange_outbox_messages', { state: 'QUEUED' })).toBe(0);
    expect(value(text, 'vpdt_exchange_outbox_oldest_pending_seconds')).toBeGreaterThanOrEqual(3500);
    expect(value(text, 'vpdt_exchange_delivery_attempts_total', { outcome: 'RETRY' })).toBe(0);

    const used = value(text, 'vpdt_db_pool_connections', { state: 'used' })!;
    const free = value(text, 'vpdt_db_pool_connections', { state: 'free' })!;
    expect(used + free).toBeGreaterThanOrEqual(1);
    expect(value(text, 'vpdt_db_pool_max')).toBe(20);
    expect(value(text, 'vpdt_db_pool_connections', { state: 'pending_acquires' })).toBeGreaterThanOrEqual(0);

    // Node's own process metrics come along.
    expect(value(text, 'vpdt_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('lets the subscription gauge rise and fall with a subscription', async () => {
    // The previous test's subscription was stopped: the gauge comes down to zero.
    expect(value(await scrapeUntil((t) => value(t, 'vpdt_graphql_subscriptions_active') === 0), 'vpdt_graphql_subscriptions_active')).toBe(0);
    const login = await env.client().ok(LoginDocument, { username: DEMO.clerk, password: DEMO_PASSWORD });
    const ws = env.ws(login.login.token, { lazy: false });
    await connected(ws);
    const counts = collect(ws, print(InboxCountsChangedDocument));
    const during = await scrapeUntil((t) => value(t, 'vpdt_graphql_subscriptions_active') === 1).finally(() => counts.stop());
    expect(value(during, 'vpdt_graphql_subscriptions_active')).toBe(1);
    expect(value(await scrapeUntil((t) => value(t, 'vpdt_graphql_subscriptions_active') === 0), 'vpdt_graphql_subscriptions_active')).toBe(0);
  });
});
