import { Kind, Lexer, Source, TokenKind, print, visit, type DefinitionNode, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { QUERY_LIMITS } from '../../src/graphql/query-limits';
import * as operations from '../generated/graphql';
import { MeDocument } from '../generated/graphql';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env?.close());

const deep = `{ me { unit { ${'parent { '.repeat(14)}id${' }'.repeat(14)} } } }`;
const wide = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
const long = `{ me { ${'id '.repeat(QUERY_LIMITS.maxTokens)} } }`;
// A page of 100 documents, each with a page of 100 history entries and who made them.
const costly = `{ documents(first: 100) { edges { node { id history(first: 100) { edges { node { at actor { fullName unit { name } } } } } } } } }`;

/** Lexical tokens of a document, as the parser counts them against the limit. */
function tokens(text: string): number {
  const lexer = new Lexer(new Source(text));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
}

/**
 * Large but legal: the queries the tests make (\`Me\` first), with the fragments they use, in one
 * document, as many as fit within nine tenths of the token limit.
 */
function everyQuery(): string {
  const defs = new Map<string, DefinitionNode>();
  for (const doc of Object.values(operations)) {
    if ((doc as DocumentNode)?.kind !== Kind.DOCUMENT) continue;
    for (const d of (doc as DocumentNode).definitions) if ('name' in d && d.name) defs.set(`${d.kind}:${d.name.value}`, d);
  }
  const all = [...defs.values()].filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'query');
  all.sort((a, b) => Number(b.name?.value === 'Me') - Number(a.name?.value === 'Me'));
  const fragmentsOf = (queries: OperationDefinitionNode[]) => {
    const used = new Set<string>();
    const spreads = (node: unknown) => visit(node as DocumentNode, { FragmentSpread: (s) => void used.add(s.name.value) });
    queries.forEach(spreads);
    for (let size = -1; size !== used.size;) {
      size = used.size;
      for (const name of [...used]) spreads(defs.get(`${Kind.FRAGMENT_DEFINITION}:${name}`));
    }
    return [...used].map((name) => defs.get(`${Kind.FRAGMENT_DEFINITION}:${name}`)!);
  };
  const documentOf = (queries: OperationDefinitionNode[]) => print({ kind: Kind.DOCUMENT, definitions: [...queries, ...fragmentsOf(queries)] });
  const chosen: OperationDefinitionNode[] = [];
  for (const q of all) if (tokens(documentOf([...chosen, q])) <= QUERY_LIMITS.maxTokens * 0.9) chosen.push(q);
  return documentOf(chosen);
}

async function http(token: string, query: string, operationName?: string) {
  const res = await fetch(env.server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, operationName }),
  });
  return (await res.json()) as { data?: unknown; errors?: Array<{ message: string; extensions: { code: string } }> };
}

function ws(token: string, query: string, operationName?: string): Promise<unknown> {
  return new Promise((resolve) => {
    env.ws(token).subscribe({ query, operationName }, { next: (r) => resolve(r.errors), error: (e) => resolve(e), complete: () => undefined });
  });
}

describe('query limits, the same over HTTP and WebSocket', () => {
  it.each([
    ['too deep', deep],
    ['too many aliases', wide],
    ['with too many tokens', long],
    ['too costly', costly],
  ])('refuses an operation %s with QUERY_TOO_COMPLEX and no numbers', async (_name, query) => {
    const staff = await env.as(DEMO.staff);
    const overHttp = await http(staff.token!, query);
    expect(overHttp.errors?.[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(overHttp.errors?.[0].message).not.toMatch(/\d/);
    const overWs = (await ws(staff.token!, query)) as Array<{ message: string; extensions: { code: string }; locations?: unknown }>;
    expect(overWs).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX' } })]);
    expect(overWs[0].message).not.toMatch(/\d/);
  });

  it('lets a large but legal document through, over HTTP and over WebSocket', async () => {
    const staff = await env.as(DEMO.staff);
    const large = everyQuery();
    expect(new Set(large.match(/^query \w+/gm)).size).toBeGreaterThan(20);
    expect(tokens(large)).toBeGreaterThan(QUERY_LIMITS.maxTokens * 0.75);
    const overHttp = await http(staff.token!, large, 'Me');
    expect(overHttp.errors).toBeUndefined();
    expect(overHttp.data).toEqual({ me: expect.objectContaining({ username: DEMO.staff }) });
    expect(await ws(staff.token!, large, 'Me')).toBeUndefined();
    // The costly nesting with smaller pages costs less and is answered.
    expect((await http(staff.token!, costly.replace('history(first: 100)', 'history(first: 10)'))).errors).toBeUndefined();
  });

  it('does not count refused operations against the socket’s operations', async () => {
    const staff = await env.as(DEMO.staff);
    const client = env.ws(staff.token);
    const run = (query: string) =>
      new Promise<unknown>((resolve) => {
        client.subscribe({ query }, { next: (r) => resolve(r.errors ?? r.data), error: (e) => resolve(e), complete: () => undefined });
      });
    for (let i = 0; i < 25; i++) expect(JSON.stringify(await run(i % 2 ? long : costly))).toContain('QUERY_TOO_COMPLEX');
    expect(await run(print(MeDocument))).toEqual({ me: expect.objectContaining({ username: DEMO.staff }) });
  });

  it('lets ordinary operations through', async () => {
    const staff = await env.as(DEMO.staff);
    expect((await http(staff.token!, print(MeDocument))).errors).toBeUndefined();
  });
});
