import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';

// Issue 15, item 3: in production the schema stays private on every transport — no introspection,
// no "Did you mean" suggestions — over HTTP and over graphql-ws alike. A development server, for
// contrast, answers the same introspection on both.

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

let prod: TestEnv;
let dev: TestEnv;
let staff: ApiClient;

beforeAll(async () => {
  prod = await startTestEnv({ env: { NODE_ENV: 'production' } });
  dev = await startTestEnv({ demo: true });
  staff = await prod.as(DEMO.staff);
});
afterAll(async () => {
  await prod?.close();
  await dev?.close();
});

async function http(env: TestEnv, token: string, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(env.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as Answer;
}

/** One operation over graphql-ws: its first result, or the errors it was refused with. */
function ws(env: TestEnv, token: string, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    env.ws(token).subscribe(
      { query, variables },
      {
        next: (r) => resolve(r as Answer),
        error: (e) => (Array.isArray(e) ? resolve({ errors: e }) : reject(e as Error)),
        complete: () => undefined,
      },
    );
  });
}

const INTROSPECTION = [
  ['__schema', '{ __schema { types { name } queryType { fields { name } } mutationType { fields { name } } } }'],
  ['__type', '{ __type(name: "Mutation") { fields { name } } }'],
  ['__type inside a fragment', 'query { ...F } fragment F on Query { __type(name: "Account") { fields { name } } }'],
] as const;

describe('introspection in production', () => {
  it.each(INTROSPECTION)('refuses %s over HTTP and over WebSocket, telling nothing of the schema', async (_name, query) => {
    for (const answer of [await http(prod, staff.token!, query), await ws(prod, staff.token!, query)]) {
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(answer.errors?.[0]?.message).toMatch(/Introspection is turned off/);
      expect(JSON.stringify(answer)).not.toMatch(/createAccount|updateAccount|"Account"|Apollo/);
    }
  });

  it('still answers __typename and ordinary queries on both', async () => {
    for (const answer of [await http(prod, staff.token!, '{ __typename me { username } }'), await ws(prod, staff.token!, '{ __typename me { username } }')]) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual({ __typename: 'Query', me: { username: DEMO.staff } });
    }
  });

  it('a development server answers the same introspection on both (the refusal is production’s)', async () => {
    const devStaff = await dev.as(DEMO.staff);
    for (const answer of [await http(dev, devStaff.token!, INTROSPECTION[0][1]), await ws(dev, devStaff.token!, INTROSPECTION[0][1])]) {
      expect(answer.errors).toBeUndefined();
      expect((answer.data as { __schema: { types: unknown[] } }).__schema.types.length).toBeGreaterThan(50);
    }
  });
});

describe('field suggestions in production', () => {
  const CASES = [
    ['a misspelt field', '{ mee { usernam } }', undefined],
    ['a misspelt argument', '{ accounts(frist: 1) { totalCount } }', undefined],
    ['a misspelt enum value in a variable', 'query Q($r: Role) { accounts(filter: { role: $r }) { totalCount } }', { r: 'STAF' }],
  ] as const;

  it.each(CASES)('%s gets a coded refusal without "Did you mean" over HTTP and WebSocket', async (_name, query, variables) => {
    for (const answer of [await http(prod, staff.token!, query, variables), await ws(prod, staff.token!, query, variables)]) {
      expect(answer.errors?.length).toBeGreaterThan(0);
      for (const e of answer.errors!) {
        expect(['GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']).toContain(e.extensions?.code);
        expect(e.message).not.toMatch(/did you mean|username|STAFF|first/i);
      }
    }
  });

  it('a development server does suggest, so the test would see a suggestion if production gave one', async () => {
    const devStaff = await dev.as(DEMO.staff);
    for (const answer of [await http(dev, devStaff.token!, CASES[0][1]), await ws(dev, devStaff.token!, CASES[0][1])]) {
      expect(answer.errors?.[0]?.message).toMatch(/Did you mean/);
    }
  });
});
