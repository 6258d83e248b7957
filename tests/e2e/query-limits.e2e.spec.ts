import { print } from 'graphql';
import { MeDocument } from '../generated/graphql';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const deep = `{ me { unit { ${'parent { '.repeat(14)}id${' }'.repeat(14)} } } }`;
const wide = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;

async function http(token: string, query: string) {
  const res = await fetch(env.server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  return (await res.json()) as { errors?: Array<{ message: string; extensions: { code: string } }> };
}

function ws(token: string, query: string): Promise<unknown> {
  return new Promise((resolve) => {
    env.ws(token).subscribe({ query }, { next: (r) => resolve(r.errors), error: (e) => resolve(e), complete: () => undefined });
  });
}

describe('query limits, the same over HTTP and WebSocket', () => {
  it.each([
    ['too deep', deep],
    ['too many aliases', wide],
  ])('refuses an operation %s with QUERY_TOO_COMPLEX and no numbers', async (_name, query) => {
    const staff = await env.as(DEMO.staff);
    const overHttp = await http(staff.token!, query);
    expect(overHttp.errors?.[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(overHttp.errors?.[0].message).not.toMatch(/\d/);
    const overWs = JSON.stringify(await ws(staff.token!, query));
    expect(overWs).toContain('QUERY_TOO_COMPLEX');
  });

  it('lets ordinary operations through', async () => {
    const staff = await env.as(DEMO.staff);
    expect((await http(staff.token!, print(MeDocument))).errors).toBeUndefined();
  });
});
