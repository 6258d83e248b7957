import { RegisterOnceDocument } from '../generated/graphql';
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

describe('one registration', () => {
  it('probe', async () => {
    const a = await receive(env, clerk, { subject: 'Văn bản 1' });
    const b = await receive(env, clerk, { subject: 'Văn bản 2' });
    await clerk.ok(RegisterOnceDocument, { id: a.id });
    const before = env.statements();
    await clerk.ok(RegisterOnceDocument, { id: b.id });
    const used = env.statementsSince(before);
    console.log(used.join('\n'));
  });
});
