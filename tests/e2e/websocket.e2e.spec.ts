import { print } from 'graphql';
import { AccountsDocument, DisableAccountDocument, MeDocument } from '../generated/graphql';
import { ADMIN_USERNAME, DEMO, startTestEnv, type TestEnv } from '../helpers/env';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());

function once<T>(client: ReturnType<TestEnv['ws']>, query: string): Promise<{ data?: T; errors?: unknown[] }> {
  return new Promise((resolve, reject) => {
    let result: { data?: T; errors?: unknown[] } = {};
    client.subscribe<T>({ query }, { next: (r) => (result = r as typeof result), error: reject, complete: () => resolve(result) });
  });
}

describe('GraphQL over WebSocket on the same port and path', () => {
  it('answers me to a connection that carries the token in connection_init', async () => {
    const staff = await env.as(DEMO.staff);
    const ws = env.ws(staff.token);
    const r = await once<{ me: { username: string } }>(ws, print(MeDocument));
    expect(r.data?.me.username).toBe(DEMO.staff);
  });

  it('refuses a connection without a valid token', async () => {
    // graphql-ws closes a connection its onConnect refuses with 4403 Forbidden: no retry, no data.
    await expect(once(env.ws(), print(MeDocument))).rejects.toMatchObject({ code: 4403 });
    await expect(once(env.ws('v1.bad.token'), print(MeDocument))).rejects.toMatchObject({ code: 4403 });
  });

  it('closes the sockets of an account when it is disabled', async () => {
    const staff = await env.as(DEMO.centreStaff);
    const admin = await env.as(ADMIN_USERNAME);
    const ws = env.ws(staff.token, { lazy: false });
    const closed = new Promise<number>((resolve) => ws.on('closed', (event) => resolve((event as { code: number }).code)));
    await new Promise<void>((resolve) => ws.on('connected', () => resolve()));
    const id = (await admin.ok(AccountsDocument, { filter: { text: DEMO.centreStaff } })).accounts.edges[0].node.id;
    const started = Date.now();
    await admin.ok(DisableAccountDocument, { id, reason: 'RETIREMENT' });
    expect(await closed).toBe(4401);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
