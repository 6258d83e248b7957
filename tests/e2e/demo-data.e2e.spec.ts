import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { DemoDocumentStatesDocument, DossiersDocument, InboxCountsDocument, InboxDocument, type InboxCountsQuery, type InboxView } from '../generated/graphql';
import { loadDemoDocuments } from '../../src/seed/demo-documents';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';

// Issue 20, item 5: the demo shows something. The documents loaded at the first start give every demo
// account with a document role work in its inbox, in every state, read through the API as each account.

let env: TestEnv;
const counts = new Map<string, Omit<InboxCountsQuery['inboxCounts'], '__typename'>>();

beforeAll(async () => {
  env = await startTestEnv({ demoDocuments: true });
  for (const [who, username] of Object.entries(DEMO)) {
    if (who === 'sysadmin') continue;
    const { inboxCounts } = await (await env.as(username)).ok(InboxCountsDocument);
    const { __typename, ...views } = inboxCounts as typeof inboxCounts & { __typename?: string };
    counts.set(who, views);
  }
});
afterAll(async () => {
  await env?.close();
});

const VIEWS: InboxView[] = [
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
const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

describe('demo documents', () => {
  it.each(Object.keys(DEMO).filter((k) => k !== 'sysadmin'))('%s has a non-empty inbox, and the documents are listed', async (who) => {
    const c = counts.get(who)!;
    expect(total(c)).toBeGreaterThan(0);
    const client = await env.as(DEMO[who as keyof typeof DEMO]);
    const view = VIEWS.find((v) => c[v] > 0)!;
    const { inbox } = await client.ok(InboxDocument, { view, first: 20 });
    expect(inbox.totalCount).toBe(c[view]);
    expect(inbox.edges.length).toBeGreaterThan(0);
    for (const e of inbox.edges) expect(e.node.subject).toMatch(/\S/);
  });

  it('fills every inbox view for someone: to register, submit, direct, process, due soon, overdue, returned, informed, drafts, review, sign, issue', () => {
    for (const view of VIEWS) {
      const holders = [...counts].filter(([, c]) => (c as Record<string, number>)[view] > 0).map(([who]) => who);
      expect({ view, holders: holders.length > 0 }).toEqual({ view, holders: true });
    }
    expect(counts.get('staff')!.OVERDUE).toBeGreaterThan(0);
    expect(counts.get('staff')!.DUE_SOON).toBeGreaterThan(0);
    expect(counts.get('centreStaff')!.OVERDUE).toBeGreaterThan(0);
    expect(counts.get('centreClerk')!.TO_REGISTER).toBeGreaterThan(0);
  });

  // inboxCounts is its own statement (src/read/count-reads.ts: views that hold nothing left out, an $or view
  // counted as a union of its branches): each count must be its view's total, compiled and through the ORM.
  it.each(Object.keys(DEMO))('%s: every count is the total of its view, compiled and through the ORM', async (who) => {
    const client = await env.as(DEMO[who as keyof typeof DEMO]);
    const c = (await client.ok(InboxCountsDocument)).inboxCounts as Record<string, number>;
    const page = parse(`query($v: InboxView!) { inbox(view: $v, first: 0) { totalCount } }`) as TypedDocumentNode<{ inbox: { totalCount: number } }>;
    // A field the compiler does not know sends the list through the ORM (src/read/document-reads.ts).
    const orm = parse(
      `query($v: InboxView!) { inbox(view: $v, first: 1) { totalCount edges { node { id ... on IncomingDocument { possibleDuplicates { id } } } } } }`,
    ) as TypedDocumentNode<{ inbox: { totalCount: number } }>;
    for (const view of VIEWS) {
      const totals = {
        count: c[view],
        compiled: (await client.ok(page, { v: view })).inbox.totalCount,
        orm: (await client.ok(orm, { v: view })).inbox.totalCount,
      };
      expect({ view, ...totals }).toEqual({ view, count: totals.orm, compiled: totals.orm, orm: totals.orm });
    }
  });

  it('holds documents in both directions and in every state the demo promises, and a dossier with documents', async () => {
    const director = await env.as(DEMO.director);
    const { documents } = await director.ok(DemoDocumentStatesDocument);
    const states = new Set(
      documents.edges.map((e) =>
        'incomingState' in e.node ? `IncomingDocument:${e.node.incomingState}` : 'outgoingState' in e.node ? `OutgoingDocument:${e.node.outgoingState}` : '',
      ),
    );
    for (const s of [
      'IncomingDocument:RECEIVED',
      'IncomingDocument:REGISTERED',
      'IncomingDocument:SUBMITTED',
      'IncomingDocument:ASSIGNED',
      'IncomingDocument:IN_PROGRESS',
      'IncomingDocument:COMPLETED',
      'OutgoingDocument:DRAFT',
      'OutgoingDocument:ISSUED',
    ]) {
      expect([...states]).toContain(s);
    }
    const staff = await env.as(DEMO.staff);
    const { dossiers } = await staff.ok(DossiersDocument, {});
    expect(dossiers.totalCount).toBeGreaterThan(0);
    const [row] = await env.sql<{ n: string }>('select count(*) as n from dossier_document');
    expect(Number(row.n)).toBeGreaterThanOrEqual(2);
  });

  it('leaves the arrival registers gapless and loads nothing a second time', async () => {
    const numbers = await env.sql<{ register_id: string; arrival_number: number }>(
      'select register_id, arrival_number from document where arrival_number is not null order by register_id, arrival_number',
    );
    const byUnit = new Map<string, number[]>();
    for (const r of numbers) byUnit.set(r.register_id, [...(byUnit.get(r.register_id) ?? []), Number(r.arrival_number)]);
    expect(byUnit.size).toBeGreaterThan(0);
    for (const ns of byUnit.values()) expect(ns).toEqual(ns.map((_, i) => i + 1));
    const before = await env.sql<{ n: string }>('select count(*) as n from document');
    expect(await loadDemoDocuments(env.server.app, env.orm)).toBe(0);
    expect(await env.sql<{ n: string }>('select count(*) as n from document')).toEqual(before);
  });
});
