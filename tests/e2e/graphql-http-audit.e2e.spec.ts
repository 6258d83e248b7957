import { serverAudits } from 'graphql-http';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';

let env: TestEnv;
let token: string;
beforeAll(async () => {
  env = await startTestEnv();
  token = (await env.as(DEMO.staff)).token!;
});
afterAll(() => env?.close());

describe('graphql-http server audits', () => {
  it('passes every MUST audit', async () => {
    const audits = serverAudits({
      url: () => env.server.url,
      fetchFn: (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${token}`);
        // Apollo's CSRF prevention asks GET and simple requests to carry a preflight header.
        headers.set('apollo-require-preflight', 'true');
        return fetch(input, { ...init, headers });
      },
    });
    const failures: string[] = [];
    for (const audit of audits) {
      if (!audit.name.startsWith('MUST')) continue;
      const result = await audit.fn();
      if (result.status !== 'ok') failures.push(`${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
  });
});
