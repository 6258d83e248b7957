import { AccountsDocument, AssignDocumentDocument, InboxNestedDocument, SubmitDocumentsDocument } from '../generated/graphql';
import { receive, unitIds } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';

let env: TestEnv;
let staff: ApiClient;

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  const [clerk, director] = await Promise.all([env.as(DEMO.clerk), env.as(DEMO.director)]);
  staff = await env.as(DEMO.staff);
  const units = await unitIds(director);
  const staffId = (await director.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
  const correspondents = await env.sql<{ id: string }>(`select id from correspondent order by name limit 5`);
  const ids: string[] = [];
  for (let i = 0; i < 55; i++) {
    const sender = Buffer.from(`Correspondent:${correspondents[i % 5].id}`).toString('base64url');
    ids.push((await receive(env, clerk, { registerNow: true, senderId: i % 3 ? sender : units['TTQHKĐ'], subject: `Văn bản thứ ${i}` })).id);
  }
  await clerk.ok(SubmitDocumentsDocument, { ids });
  for (const id of ids) {
    await director.ok(AssignDocumentDocument, {
      id,
      input: {
        instruction: 'Xử lý.',
        lead: { accountId: staffId, deadline: '2026-12-20' },
        cooperating: [{ unitId: units['VP'], deadline: '2026-12-18' }],
        informed: [{ unitId: units['QHKT'] }],
      },
    });
  }
});
afterAll(() => env?.close());

describe('lists that scale', () => {
  it('inbox(first: 50) with every nested field costs as many SQL statements as inbox(first: 5)', async () => {
    await staff.ok(InboxNestedDocument, { view: 'TO_PROCESS', first: 1 }); // the once-a-minute activity record happens here
    const count = async (first: number) => {
      env.server.app.sessions!.clear(); // the session checked anew (held in memory, it costs none: session-cache.e2e.spec.ts)
      const before = env.statements();
      const { inbox } = await staff.ok(InboxNestedDocument, { view: 'TO_PROCESS', first });
      // The exchange sender polls on its own meanwhile: not this request's.
      const used = env.statementsSince(before).filter((q) => !q.includes('exchange_message')).length;
      expect(inbox.edges).toHaveLength(first);
      for (const e of inbox.edges) {
        if (e.node.__typename !== 'IncomingDocument') throw new Error('expected incoming documents');
        expect(e.node.keepingUnit.name).toBeTruthy();
        expect(e.node.attachments).toHaveLength(1);
        expect(e.node.lastEvent?.type).toBe('ASSIGNED');
        expect(e.node.sender).toBeTruthy();
        expect(e.node.assignments).toHaveLength(3);
        expect(e.node.assignments.find((a) => a.role === 'LEAD')?.assignee?.unit.shortName).toBe('QLHĐXD');
      }
      return used;
    };
    const small = await count(5);
    const large = await count(50);
    expect(large).toBe(small);
    // The session check and one compiled statement (tests/e2e/reads.e2e.spec.ts checks each read case).
    expect(small).toBe(2);
  });
});
