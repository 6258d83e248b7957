import {
  GraphQLError,
  Kind,
  Lexer,
  Source,
  TokenKind,
  buildSchema,
  getIntrospectionQuery,
  parse,
  print,
  specifiedRules,
  validate,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';
import pino from 'pino';
import { formatError } from '../../src/graphql/format-error';
import { buildAppSchema } from '../../src/graphql/schema';
import {
  PARSE_OPTIONS,
  QUERY_LIMITS,
  QUERY_VALIDATION_RULES,
  checkOperation,
  documentCost,
  isTokenLimitError,
  operationCost,
} from '../../src/graphql/query-limits';
import * as operations from '../generated/graphql';

const schema = buildSchema(`
  type Query {
    me: Person
    people(first: Int, after: String): PersonConnection!
    units: [Unit!]!
    recent(first: Int): [Person!]!
    node(id: ID!): Node
    search(ids: [ID!]): [Person!]!
  }
  interface Node { id: ID! }
  type Person implements Node { id: ID! name: String! unit: Unit friends(first: Int): PersonConnection! roles: [String!]! }
  type Unit implements Node { id: ID! name: String! members: [Person!]! parent: Unit }
  type PersonConnection { totalCount: Int! pageInfo: PageInfo! edges: [PersonEdge!]! }
  type PersonEdge { cursor: String! node: Person! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
`);

const cost = (query: string) => documentCost(schema, parse(query));
/** A valid operation of exactly `n` tokens: 12 of them around the list of ids. */
const tokens = (n: number) => `{ search(ids: [${'"a" '.repeat(n - 12)}]) { id } }`;
const countTokens = (source: string) => {
  const lexer = new Lexer(new Source(source));
  let n = 0;
  while (lexer.advance().kind !== TokenKind.EOF) n++;
  return n;
};
const log = pino({ level: 'silent' });

describe('the cost of an operation', () => {
  it('charges 1 for each object and nothing for scalars, enums and lists of them', () => {
    expect(cost('{ me { id name roles } }')).toBe(1);
    expect(cost('{ me { unit { parent { name } } } }')).toBe(3);
  });

  it('multiplies a connection’s edges by the page it asks for, not its total or page info', () => {
    // people 1 + 10 edges × (edge 1 + node 1 + unit 1) = 31; pageInfo 1.
    expect(cost('{ people(first: 10) { totalCount pageInfo { hasNextPage } edges { cursor node { name unit { name } } } } }')).toBe(1 + 1 + 10 * 3);
  });

  it('takes the default page when `first` is absent, caps it at 100, and counts a variable as the largest page', () => {
    const q = (args: string) => `query($n: Int) { people${args} { edges { node { id } } } }`;
    expect(cost(q(''))).toBe(1 + 20 * 2);
    expect(cost(q('(first: null)'))).toBe(1 + 20 * 2);
    expect(cost(q('(first: 5000)'))).toBe(1 + 100 * 2);
    expect(cost(q('(first: $n)'))).toBe(1 + 100 * 2);
    expect(cost(q('(first: -3)'))).toBe(1);
  });

  it('takes a list with no paging to hold a fixed number of items, and a list that takes `first` to be that long', () => {
    expect(cost('{ units { name } }')).toBe(QUERY_LIMITS.assumedListSize);
    expect(cost('{ recent(first: 7) { name } }')).toBe(7);
  });

  it('multiplies nested lists down', () => {
    const nested = '{ people(first: 100) { edges { node { friends(first: 100) { edges { node { unit { name } } } } } } } }';
    // 1 + 100 × (edge 1 + node 1 + friends 1 + 100 × (edge 1 + node 1 + unit 1))
    expect(cost(nested)).toBe(1 + 100 * (3 + 100 * 3));
    expect(cost('{ units { members { unit { members { id } } } } }')).toBe(10 * (1 + 10 * (1 + 1 + 10)));
  });

  it('counts fragments where they are spread, on the types they name', () => {
    const withFragments = `
      query { people(first: 4) { ...page } node(id: "x") { ... on Unit { members { id } } ...person } }
      fragment page on PersonConnection { edges { node { ...person } } }
      fragment person on Person { unit { name } }`;
    // people 1 + 4 × (edge 1 + node 1 + unit 1) = 13; node 1 + members 10 + unit 1 = 12.
    expect(cost(withFragments)).toBe(13 + 12);
  });

  it('stays fast on a fragment that doubles at every level, and does not loop on a cycle', () => {
    const levels = 40;
    const bomb = [
      `{ me { ...f0 } }`,
      ...Array.from({ length: levels }, (_, i) => `fragment f${i} on Person { ...f${i + 1} ...f${i + 1} }`),
      `fragment f${levels} on Person { unit { name } }`,
    ].join('\n');
    const started = Date.now();
    expect(cost(bomb)).toBe(1 + 2 ** levels);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(cost('{ me { ...a } } fragment a on Person { unit { name } ...b } fragment b on Person { ...a }')).toBe(2);
  });

  it('is the cost of the costliest operation of a document', () => {
    const doc = parse('query small { me { id } } query big { units { name } }');
    const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    expect(ops.map((o) => operationCost(schema, o, new Map()))).toEqual([1, 10]);
    expect(documentCost(schema, doc)).toBe(10);
  });
});

describe('the limits as validation rules', () => {
  const refusals = (query: string) => validate(schema, parse(query), [...specifiedRules, ...QUERY_VALIDATION_RULES]);

  it('refuses an operation costing more than the limit with QUERY_TOO_COMPLEX and no number', () => {
    const nested = '{ people(first: 100) { edges { node { friends(first: 100) { edges { node { unit { name } } } } } } } }';
    expect(cost(nested)).toBeGreaterThan(QUERY_LIMITS.maxCost);
    const errors = refusals(nested);
    expect(errors.map((e) => e.extensions.code)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(errors[0].message).not.toMatch(/\d/);
    expect(refusals('{ people(first: 100) { edges { node { friends(first: 10) { edges { node { unit { name } } } } } } } }')).toEqual([]);
  });
});

describe('the token limit', () => {
  it('lets a document of exactly the limit through and refuses one token more, before parsing it all', () => {
    expect(countTokens(tokens(QUERY_LIMITS.maxTokens))).toBe(QUERY_LIMITS.maxTokens);
    expect(checkOperation(schema, tokens(QUERY_LIMITS.maxTokens))).toHaveProperty('document');
    const over = checkOperation(schema, tokens(QUERY_LIMITS.maxTokens + 1));
    expect(over).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX' } })] });
    const [error] = (over as { errors: GraphQLError[] }).errors;
    expect(error.message).not.toMatch(/\d/);
    expect(error.locations).toBeUndefined();
  });

  it('tells the token limit from other syntax errors without reading graphql-js’s wording', () => {
    const caught = (source: string) => {
      try {
        parse(source, PARSE_OPTIONS);
      } catch (e) {
        return e;
      }
      throw new Error('parsed');
    };
    expect(isTokenLimitError(caught(tokens(QUERY_LIMITS.maxTokens + 1)))).toBe(true);
    expect(isTokenLimitError(caught('{ me { id '))).toBe(false);
    expect(isTokenLimitError(caught(`{ me { ${'id '.repeat(QUERY_LIMITS.maxTokens)} "unterminated`))).toBe(true);
    expect(isTokenLimitError(caught('{ me { "unterminated'))).toBe(false);
    expect(checkOperation(schema, '{ me { id ')).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } })] });
    expect(checkOperation(schema, '{ nobody }')).toEqual({ errors: [expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })] });
  });

  it('turns Apollo’s parse failure for too many tokens into QUERY_TOO_COMPLEX without the number or a location', () => {
    const syntax = (() => {
      try {
        parse(tokens(QUERY_LIMITS.maxTokens + 1), PARSE_OPTIONS);
      } catch (e) {
        return e as GraphQLError;
      }
      throw new Error('parsed');
    })();
    // What Apollo Server throws: its own GraphQLError wrapping graphql-js's, coded GRAPHQL_PARSE_FAILED.
    const apollo = new GraphQLError(syntax.message, {
      source: syntax.source,
      positions: syntax.positions,
      originalError: syntax,
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    const out = formatError(apollo.toJSON(), apollo, 'r', log);
    expect(out).toEqual({ message: expect.stringContaining('too long'), extensions: { code: 'QUERY_TOO_COMPLEX' } });
    expect(out.message).not.toMatch(/\d/);
    const plain = new GraphQLError('Syntax Error: Expected Name, found <EOF>.', {
      source: parse('{ a }').loc!.source,
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
    expect(formatError(plain.toJSON(), plain, 'r', log).extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
  });
});

describe('the operations the tests send, as a frontend would', () => {
  const documents = Object.entries(operations).filter(
    (e): e is [string, DocumentNode] =>
      (e[1] as { kind?: string })?.kind === Kind.DOCUMENT && (e[1] as DocumentNode).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION),
  );

  it('stay far under the token and cost limits, with variables counted as the largest page', async () => {
    const app = await buildAppSchema();
    expect(documents.length).toBeGreaterThan(50);
    for (const [name, doc] of documents) {
      const checked = checkOperation(app, print(doc));
      expect([name, 'errors' in checked ? checked.errors.map((e) => e.message) : []]).toEqual([name, []]);
      expect([name, documentCost(app, doc) * 3 <= QUERY_LIMITS.maxCost]).toEqual([name, true]);
      expect([name, countTokens(print(doc)) * 5 <= QUERY_LIMITS.maxTokens]).toEqual([name, true]);
    }
  });
});

describe('introspection on the socket', () => {
  it('refuses __schema and __type when introspection is off (production), never __typename', () => {
    for (const q of ['{ __schema { types { name } } }', '{ __type(name: "Query") { name } }']) {
      expect(checkOperation(schema, q)).toHaveProperty('document');
      const refused = checkOperation(schema, q, { introspection: false }) as { errors: GraphQLError[] };
      expect(refused.errors.length).toBeGreaterThan(0);
      for (const e of refused.errors) expect(e.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    }
    expect(checkOperation(schema, '{ __typename }', { introspection: false })).toHaveProperty('document');
  });
});

describe('introspection for IDEs and code generators', () => {
  it('takes the standard introspection query (as GraphiQL and graphql-codegen send it) under the limits', async () => {
    const app = await buildAppSchema();
    for (const opts of [{}, { inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true, directiveIsRepeatable: true }]) {
      const checked = checkOperation(app, getIntrospectionQuery(opts));
      expect('errors' in checked ? checked.errors.map((e) => e.message) : []).toEqual([]);
    }
  });

  it('still refuses introspection nested deeper through lists (fields of types of fields…)', async () => {
    const app = await buildAppSchema();
    let q = 'name';
    for (let i = 0; i < 8; i++) q = `name fields { type { ${q} } }`;
    const checked = checkOperation(app, `{ __type(name: "Query") { ${q} } }`) as { errors: GraphQLError[] };
    expect(checked.errors.map((e) => e.extensions?.code)).toContain('QUERY_TOO_COMPLEX');
  });
});
