import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  AccountsDocument,
  AssignDocumentDocument,
  CloseDossierDocument,
  FileDocumentDocument,
  OpenDossierDocument,
  SubmitDocumentsDocument,
} from '../generated/graphql';
import { receive, unitIds } from '../helpers/documents';
import { draft, toSigned } from '../helpers/outgoing';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { buildAppSchema } from '../../src/graphql/schema';
import { writtenFields } from '../../src/read/response-sql';

/**
 * Reads compiled into SQL (src/read/) answer exactly what the ORM path answers, for every account, and
 * in a fixed number of statements. The ORM path is forced by asking, besides, a field the compiler does
 * not know (possibleDuplicates): the same request then takes the field resolvers.
 */
let env: TestEnv;
const clients: Record<string, ApiClient> = {};
const docIds: string[] = [];
const outgoingIds: string[] = [];

const NODE = `__typename id number symbol issuedDate issuer subject language pageCount note signerName signerPosition urgency dueDate
  exchangeDocumentId numberAndSymbol
  documentType { id code name abbreviation } keepingUnit { id name shortName code kind keepsRecords }
  register { id direction year lastNumber keepingUnit { id name } } attachments { id name mimeType size sha256 url }
  lastEvent { id type fromState toState at note cursor actor { id username fullName position roles status unit { id shortName } } }
  history(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id type at note actor { username } } } }
  ... on IncomingDocument { state arrivalNumber arrivalDate arrivalChannel receivedAt registeredAt submittedAt rejectionReason submissionOverdue
    sender { __typename ... on Correspondent { id name correspondentShortName: shortName organId } ... on Unit { id name shortName } }
    assignments { id role deadline state completedAt result returnReason createdAt instruction assignee { id username fullName unit { shortName } }
                  assigneeUnit { id shortName } assignedBy { username } } }
  ... on OutgoingDocument { outgoingState: state version signedAt issuedAt returnReason recalledAt recallReason }`;
const ORM_ONLY = `... on IncomingDocument { possibleDuplicates { id } }`;
const CONNECTION = (node: string) => `totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${node} } }`;

const op = (text: string) => parse(text) as TypedDocumentNode<any, Record<string, unknown>>;

/** Removes the field that forced the ORM path, wherever it is. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'possibleDuplicates')
        .map(([k, v]) => [k, strip(v)]),
    );
  return value;
}

/** The answer of `query(node)` compiled and through the ORM: they must be the same. */
async function both(client: ApiClient, query: (node: string) => string, variables: Record<string, unknown> = {}) {
  const compiled = await client.ok(op(query(NODE)), variables);
  const orm = strip(await client.ok(op(query(`${NODE} ${ORM_ONLY}`)), variables));
  return { compiled, orm };
}

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  for (const [k, u] of Object.entries(DEMO)) clients[k] = await env.as(u);
  const { clerk, director } = clients;
  const units = await unitIds(director);
  const staffId = (await director.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
  const correspondent = (await env.sql<{ id: string }>(`select id from correspondent order by name limit 1`))[0].id;
  const sender = Buffer.from(`Correspondent:${correspondent}`).toString('base64url');
  for (let i = 0; i < 9; i++)
    docIds.push((await receive(env, clerk, { registerNow: i > 0, senderId: i % 2 ? sender : units['TTQHKĐ'], subject: `Đọc thử ${i}` })).id);
  await clerk.ok(SubmitDocumentsDocument, { ids: docIds.slice(3) });
  for (const id of docIds.slice(5)) {
    await director.ok(AssignDocumentDocument, {
      id,
      input: {
        instruction: 'Xử lý.',
        lead: { accountId: staffId, deadline: '2026-11-27' },
        cooperating: [{ unitId: units['VP'], deadline: '2026-11-30' }],
        informed: [{ unitId: units['QHKT'] }],
      },
    });
  }
  // Outgoing documents: a draft (its drafter, the head and the director read it; the clerk does not) and a signed one.
  const desk = { staff: clients.staff, head: clients.head, director, clerk };
  for (let i = 0; i < 2; i++) outgoingIds.push((await draft(env, clients.staff, { subject: `Dự thảo đọc thử ${i}` })).id);
  await toSigned(desk, outgoingIds[1]);
  // Dossiers: the director's, holding documents some readers of the dossier may not read (the draft); a closed one; the staff member's.
  const open = async (c: ApiClient, notation: string, files: string[]) => {
    const d = (await c.ok(OpenDossierDocument, { input: { notation, title: `Hồ sơ đọc thử ${notation}`, year: 2026, retention: '10' } })).openDossier;
    for (const documentId of files) await c.ok(FileDocumentDocument, { dossierId: d.id, documentId });
    return d.id;
  };
  await open(director, '01.VP', [docIds[5], outgoingIds[0], docIds[0], outgoingIds[1]]);
  await director.ok(CloseDossierDocument, { id: await open(director, '02.VP', [docIds[6]]) });
  await open(clients.staff, '03.QLHĐXD', [docIds[8]]);
  await open(clients.head, '04.QLHĐXD', []);
});
afterAll(() => env?.close());

const ROLES = ['director', 'clerk', 'head', 'staff', 'centreDirector', 'centreStaff', 'sysadmin'] as const;
const VIEWS = [
  'TO_REGISTER',
  'TO_SUBMIT',
  'AWAITING_DIRECTION',
  'TO_PROCESS',
  'DUE_SOON',
  'OVERDUE',
  'RETURNED',
  'FOR_INFORMATION',
  'DRAFTS',
  'TO_REVIEW',
  'TO_SIGN',
  'TO_ISSUE',
];

describe('compiled reads answer what the ORM path answers', () => {
  it.each(ROLES)('documents, pages and orders, as %s', async (role) => {
    const c = clients[role];
    for (const orderBy of ['NEWEST_FIRST', 'OLDEST_FIRST']) {
      const q = (node: string) => `query($after: String, $o: DocumentOrder) { documents(first: 4, after: $after, orderBy: $o) { ${CONNECTION(node)} } }`;
      const page1 = await both(c, q, { o: orderBy });
      expect(page1.compiled).toEqual(page1.orm);
      const after = page1.compiled.documents.pageInfo.endCursor;
      if (after) {
        const page2 = await both(c, q, { o: orderBy, after });
        expect(page2.compiled).toEqual(page2.orm);
      }
    }
    const filtered = await both(
      c,
      (node) => `{ documents(first: 20, filter: { direction: INCOMING, states: [ASSIGNED, SUBMITTED] }) { ${CONNECTION(node)} } }`,
    );
    expect(filtered.compiled).toEqual(filtered.orm);
  });

  it.each(ROLES)('every inbox view and the counts, as %s', async (role) => {
    const c = clients[role];
    let seen = 0;
    for (const view of VIEWS) {
      const r = await both(c, (node) => `query($v: InboxView!) { inbox(view: $v, first: 3) { ${CONNECTION(node)} } }`, { v: view });
      expect([view, r.compiled]).toEqual([view, r.orm]);
      seen += r.compiled.inbox.totalCount;
    }
    const counts = await c.ok(op(`{ inboxCounts { ${VIEWS.join(' ')} } }`));
    for (const view of VIEWS) {
      const page = await c.ok(op(`query($v: InboxView!) { inbox(view: $v, first: 0) { totalCount } }`), { v: view });
      expect([view, counts.inboxCounts[view]]).toEqual([view, page.inbox.totalCount]);
    }
    if (role === 'staff' || role === 'clerk' || role === 'director') expect(seen).toBeGreaterThan(0);
  });

  it.each(ROLES)('document(id), readable or not, as %s', async (role) => {
    for (const id of docIds) {
      const r = await both(clients[role], (node) => `query($id: ID!) { document(id: $id) { ${node} } }`, { id });
      expect(r.compiled).toEqual(r.orm);
    }
  });

  it.each(ROLES.filter((r) => r !== 'sysadmin'))('dossiers with their readable documents, pages and filters, as %s', async (role) => {
    const c = clients[role];
    const FIELDS = (node: string) => `id code year notation title rights language startDate endDate note state closedAt retention handoverDue
      creator { id username fullName unit { id shortName } } keepingUnit { id name } documentCount pageCount documents { ordinal document { ${node} } }`;
    const dossiers = async (args: string, variables: Record<string, unknown> = {}) => {
      const q = (node: string) => `query${args.includes('$after') ? '($after: String)' : ''} { dossiers(${args}) { ${CONNECTION(FIELDS(node))} } }`;
      const r = await both(c, q, variables);
      expect(r.compiled).toEqual(r.orm);
      return r.compiled.dossiers;
    };
    const page1 = await dossiers('first: 2, after: $after');
    if (page1.pageInfo.endCursor) await dossiers('first: 2, after: $after', { after: page1.pageInfo.endCursor });
    for (const filter of ['{ year: 2026 }', '{ state: CLOSED }', '{ text: "doc thu 01" }', '{ handoverDue: true }'])
      await dossiers(`first: 10, filter: ${filter}`);
    if (role === 'director') expect(page1.totalCount).toBe(4);
  });

  it.each(ROLES)('outgoing documents and their inbox views, as %s', async (role) => {
    const c = clients[role];
    const list = await both(c, (node) => `{ documents(first: 10, filter: { direction: OUTGOING }) { ${CONNECTION(node)} } }`);
    expect(list.compiled).toEqual(list.orm);
    for (const id of outgoingIds) {
      const one = await both(c, (node) => `query($id: ID!) { document(id: $id) { ${node} } }`, { id });
      expect(one.compiled).toEqual(one.orm);
    }
  });

  it('history pages: an empty first page, a later page and a refused size answer as the ORM path does', async () => {
    for (const history of ['history(first: 0)', 'history(first: 2)', 'history(first: 101)']) {
      const q = `query($id: ID!) { document(id: $id) { id ${history} { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id type } } } } }`;
      const compiled = await clients.director.request(op(q), { id: docIds[6] });
      const orm = await clients.director.request(op(q.replace('{ id ', `{ id ${ORM_ONLY} `)), { id: docIds[6] });
      const shape = (r: typeof orm) => ({ data: strip(r.data), errors: r.errors?.map((e) => [e.message, e.path, e.extensions?.code]) });
      expect(shape(compiled)).toEqual(shape(orm));
      if (history === 'history(first: 101)') expect(orm.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('a document someone may not read is null, and never leaks through a list or a count', async () => {
    const { compiled } = await both(clients.centreStaff, (node) => `query($id: ID!) { document(id: $id) { ${node} } }`, { id: docIds[6] });
    expect(compiled.document).toBeNull();
    const sys = await clients.sysadmin.ok(op(`{ documents(first: 50) { totalCount edges { node { id } } } }`));
    expect(sys.documents).toEqual({ totalCount: 0, edges: [] });
  });
});

describe('round trips', () => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['inbox', `{ inbox(view: TO_PROCESS, first: 50) { ${CONNECTION(NODE)} } }`, {}],
    ['documents', `{ documents(first: 50) { ${CONNECTION(NODE)} } }`, {}],
    ['document(id) with history', `query($id: ID!) { document(id: $id) { ${NODE} } }`, {}],
    ['inboxCounts', `{ inboxCounts { ${VIEWS.join(' ')} } }`, {}],
    ['outgoing documents', `{ documents(first: 50, filter: { direction: OUTGOING }) { ${CONNECTION(NODE)} } }`, {}],
    ['the drafts view', `{ inbox(view: DRAFTS, first: 50) { ${CONNECTION(NODE)} } }`, {}],
    ['an outgoing document(id) with history', `query($id: ID!) { document(id: $id) { ${NODE} } }`, { outgoing: true }],
    [
      'dossiers with their documents',
      `{ dossiers(first: 50) { totalCount edges { cursor node { id code title retention handoverDue creator { fullName unit { name } } keepingUnit { name }
        documentCount pageCount documents { ordinal document { id subject keepingUnit { name } lastEvent { type actor { fullName } } } } } } } }`,
      {},
    ],
  ];
  it.each(cases)('%s, everything nested, is one statement after the session check', async (_name, text, vars) => {
    const variables = { id: vars.outgoing ? outgoingIds[0] : docIds[6] };
    await clients.staff.ok(op(text), variables); // the once-a-minute activity record happens here, not below
    env.server.app.sessions!.clear(); // the session checked anew (held in memory, it costs none: session-cache.e2e.spec.ts)
    const before = env.statements();
    const data = await clients.staff.ok(op(text), variables);
    // It answered something.
    expect(JSON.stringify(data)).toMatch(/"(totalCount|TO_PROCESS)":[1-9]|"history":\{"totalCount":[1-9]|"documentCount":[1-9]/);
    // The session check and the read; the exchange sender polls on its own meanwhile and is not counted.
    const sent = env.statementsSince(before).filter((q) => !q.includes('exchange_message'));
    expect(sent).toHaveLength(2);
    expect(sent[0]).toContain('select a.id as account_id');
  });
});

/**
 * Queries whose root fields PostgreSQL answers as the response itself (src/read/fast-operation.ts,
 * src/read/response-sql.ts): the response must be the ORM path's, key for key and in the same order,
 * for every account, with aliases, fragments, directives and every field the SQL writes.
 */
describe('answered in SQL', () => {
  const FAST_NODE = `__typename id number symbol issuedDate issuer subject language pageCount note signerName signerPosition urgency dueDate
    exchangeDocumentId numberAndSymbol ...DocBits title: subject @include(if: $yes) hidden: subject @skip(if: $yes)
    documentType { __typename id code name abbreviation } keepingUnit { id name shortName code kind keepsRecords }
    register { id direction year lastNumber keepingUnit { id name } } attachments { id name mimeType size sha256 url }
    lastEvent { id type fromState toState at actor { id username fullName position roles status unit { id shortName } } }
    events: history(first: 3) { __typename totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id type at actor { username } } } }
    firstEvent: history(first: 1) { edges { node { type } } }
    ... on IncomingDocument { state arrivalNumber arrivalDate arrivalChannel receivedAt registeredAt submittedAt rejectionReason
      sender { __typename ... on Correspondent { id name correspondentShortName: shortName organId } ... on Unit { id name shortName } }
      assignments { __typename id role deadline state completedAt result returnReason createdAt assignee { id username fullName unit { shortName } }
                    assigneeUnit { id shortName } assignedBy { username } } }
    ... on OutgoingDocument { outgoingState: state version signedAt issuedAt returnReason recalledAt recallReason }`;
  const FRAGMENT = `fragment DocBits on Document { bits: subject keepingUnit { kind } }`;
  const DOSSIER = (node: string) => `__typename id code year notation title rights language startDate endDate note state closedAt
    creator { id username fullName unit { id shortName } } keepingUnit { id name } documentCount pageCount
    documents { __typename ordinal document { ${node} } } filed: documents { ordinal }`;
  const PAGE = (node: string) =>
    `__typename totalCount count: totalCount pageInfo { __typename hasNextPage endCursor } edges { __typename cursor node { ${node} } } again: edges { cursor }`;

  /** The raw response, and whether PostgreSQL wrote it (its json_build_object writes `"key" : value`). */
  async function raw(c: ApiClient, query: string, variables: Record<string, unknown>) {
    const res = await fetch(c.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(c.token ? { authorization: `Bearer ${c.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    return { text, inSql: /"[A-Za-z_]+" : /.test(text), body: JSON.parse(text) as { data?: unknown; errors?: unknown[] } };
  }

  /** The same query answered in SQL and by the ORM path: the same JSON, in the same order. */
  async function same(c: ApiClient, query: (node: string) => string, variables: Record<string, unknown> = {}) {
    const vars = { yes: true, ...variables };
    const fast = await raw(c, `${query(FAST_NODE)} ${FRAGMENT}`, vars);
    const orm = await raw(c, `${query(`${FAST_NODE} ${ORM_ONLY}`)} ${FRAGMENT}`, vars);
    expect(fast.body.errors).toBeUndefined();
    expect(orm.inSql).toBe(false);
    expect(JSON.stringify(fast.body)).toBe(JSON.stringify(strip(orm.body)));
    // (A document the viewer may not read is null: no key for the probe to see.)
    const data = fast.body.data as Record<string, any>;
    expect(fast.inSql || Object.values(data).every((v) => v === null)).toBe(true);
    return data;
  }

  const withVars = (decl: string, body: string) => `query(${['$yes: Boolean!', decl].filter(Boolean).join(', ')}) { ${body} }`;

  it('the test asks every field the SQL writes', async () => {
    const fields = writtenFields(await buildAppSchema());
    expect(Object.keys(fields).length).toBeGreaterThanOrEqual(10);
    const asked = FAST_NODE + PAGE('') + DOSSIER('');
    for (const [type, names] of Object.entries(fields))
      for (const name of names) expect([type, name, new RegExp(`\\b${name}\\b`).test(asked)]).toEqual([type, name, true]);
  });

  it.each(ROLES)('documents, pages and orders, as %s', async (role) => {
    const c = clients[role];
    for (const o of ['NEWEST_FIRST', 'OLDEST_FIRST']) {
      const q = (node: string) => withVars('$after: String, $o: DocumentOrder', `documents(first: 4, after: $after, orderBy: $o) { ${PAGE(node)} }`);
      const page1 = await same(c, q, { o });
      if (page1.documents.pageInfo.endCursor) await same(c, q, { o, after: page1.documents.pageInfo.endCursor });
    }
    await same(c, (node) => withVars('', `documents(first: 20, filter: { direction: INCOMING, states: [ASSIGNED, SUBMITTED] }) { ${PAGE(node)} }`));
    await same(c, (node) => withVars('', `empty: documents(first: 0) { ${PAGE(node)} } __typename`));
  });

  it.each(ROLES)('every inbox view, two fields at once, as %s', async (role) => {
    const c = clients[role];
    for (const view of VIEWS) {
      const data = await same(c, (node) => withVars('$v: InboxView!', `inbox(view: $v, first: 3) { ${PAGE(node)} } all: documents(first: 2) { totalCount }`), {
        v: view,
      });
      expect(data.inbox.totalCount).toBe(data.inbox.count);
    }
  });

  it.each(ROLES)('document(id), readable or not, as %s', async (role) => {
    for (const id of [...docIds, ...outgoingIds])
      await same(clients[role], (node) => withVars('$id: ID!', `document(id: $id) { ${node} } other: document(id: $id) { id }`), { id });
  });

  it.each(ROLES.filter((r) => r !== 'sysadmin'))('dossiers with their readable documents, pages and filters, as %s', async (role) => {
    const c = clients[role];
    const q = (args: string) => (node: string) => withVars(args.includes('$after') ? '$after: String' : '', `dossiers(${args}) { ${PAGE(DOSSIER(node))} }`);
    const page1 = await same(c, q('first: 2, after: $after'));
    if (page1.dossiers.pageInfo.endCursor) await same(c, q('first: 2, after: $after'), { after: page1.dossiers.pageInfo.endCursor });
    for (const filter of ['{ year: 2026 }', '{ state: CLOSED }', '{ text: "doc thu 01" }', '{ handoverDue: true }'])
      await same(c, q(`first: 10, filter: ${filter}`));
    if (role === 'director') expect(page1.dossiers.totalCount).toBe(4);
  });

  it.each(ROLES)('inbox counts, some under other names, as %s', async (role) => {
    const c = clients[role];
    const counts = `inboxCounts { __typename ${VIEWS.join(' ')} } some: inboxCounts { processing: TO_PROCESS RETURNED again: TO_PROCESS }`;
    const fast = await raw(c, `{ ${counts} }`, {});
    // Asking also a root field SQL does not answer (me) takes the ordinary path for the whole request.
    const ordinary = await raw(c, `{ ${counts} me { id } }`, {});
    expect(ordinary.inSql).toBe(false);
    delete (ordinary.body.data as Record<string, unknown>).me;
    expect(JSON.stringify(fast.body)).toBe(JSON.stringify(ordinary.body));
    expect(fast.inSql).toBe(true);
  });

  it.each([
    ['inboxCounts', `{ inboxCounts { ${VIEWS.join(' ')} } }`],
    ['inbox', withVars('', `inbox(view: TO_PROCESS, first: 50) { ${PAGE(FAST_NODE)} }`)],
    ['documents', withVars('', `documents(first: 50) { ${PAGE(FAST_NODE)} }`)],
    ['document(id)', withVars('$id: ID!', `document(id: $id) { ${FAST_NODE} }`)],
    ['dossiers', withVars('', `dossiers(first: 10) { ${PAGE(DOSSIER(FAST_NODE))} }`)],
  ])('%s answered in SQL is one statement after the session check', async (_name, query) => {
    const variables = { yes: true, id: docIds[6] };
    const c = clients.staff;
    const text = query.includes('...DocBits') ? `${query} ${FRAGMENT}` : query;
    const first = await raw(c, `${text}`, variables); // the once-a-minute activity record happens here
    expect([first.inSql, first.text.slice(0, 300)]).toEqual([true, first.text.slice(0, 300)]);
    env.server.app.sessions!.clear();
    const before = env.statements();
    const again = await raw(c, `${text}`, variables);
    expect(again.inSql).toBe(true);
    const sent = env.statementsSince(before).filter((q) => !q.includes('exchange_message'));
    expect(sent).toHaveLength(2);
    expect(sent[0]).toContain('select a.id as account_id');
  });

  it('with its database connections killed, answers or says to retry, never half an answer, and recovers', async () => {
    const c = clients.staff;
    const query = `${withVars('', `inbox(view: TO_PROCESS, first: 50) { ${PAGE(FAST_NODE)} }`)} ${FRAGMENT}`;
    const expected = JSON.stringify((await raw(c, query, { yes: true })).body);
    const [{ datname }] = await env.sql<{ datname: string }>(`select current_database() as datname`);
    const kill = () =>
      env
        .sql(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'`, [
          datname,
        ])
        .catch(() => undefined);
    const codes: string[] = [];
    for (let i = 0; i < 10; i++) {
      await kill();
      const answers = await Promise.all(Array.from({ length: 5 }, () => raw(c, query, { yes: true })));
      for (const a of answers) {
        if (a.body.errors) codes.push(String((a.body.errors[0] as { extensions?: { code?: string } }).extensions?.code));
        else expect(JSON.stringify(a.body)).toBe(expected);
      }
    }
    expect(codes.filter((code) => code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
    // Recovered on its own, answered in SQL again.
    const after = await raw(c, query, { yes: true });
    expect(JSON.stringify(after.body)).toBe(expected);
    expect(after.inSql).toBe(true);
  });

  it('refusals and what SQL does not answer give the ordinary answer', async () => {
    const c = clients.staff;
    // A page too large: the same coded error as ever.
    const big = await raw(c, `{ inbox(view: TO_PROCESS, first: 101) { totalCount } }`, {});
    expect((big.body.errors?.[0] as { extensions?: { code?: string } }).extensions?.code).toBe('BAD_USER_INPUT');
    // A text search, a field rule (instruction) and a field SQL does not write: answered, by the ordinary path.
    for (const q of [
      `{ documents(first: 5, filter: { text: "Đọc thử" }) { totalCount edges { node { id } } } }`,
      `{ inbox(view: TO_PROCESS, first: 5) { edges { node { ... on IncomingDocument { assignments { instruction } } } } } }`,
      `{ inbox(view: TO_PROCESS, first: 5) { edges { node { ... on IncomingDocument { submissionOverdue } } } } }`,
    ]) {
      const r = await raw(c, q, {});
      expect(r.body.errors).toBeUndefined();
      expect(r.inSql).toBe(false);
    }
    // No viewer: refused as before.
    const anonymous = env.client();
    const refused = await raw(anonymous, `{ inbox(view: TO_PROCESS, first: 5) { totalCount } }`, {});
    expect((refused.body.errors?.[0] as { extensions?: { code?: string } }).extensions?.code).toBe('UNAUTHENTICATED');
  });
});
