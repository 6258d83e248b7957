import {
  AccountsDocument,
  AssignDocumentDocument,
  CompleteAssignmentDocument,
  DelegateAssignmentDocument,
  DocumentDocument,
  DocumentsDocument,
  InboxCountsDocument,
  InboxDocument,
  NodeDocumentDocument,
  RecordProgressDocument,
  RegisterDocumentDocument,
  RejectDocumentDocument,
  ReturnAssignmentDocument,
  StartAssignmentDocument,
  SubmitDocumentsDocument,
  type InboxView,
} from '../generated/graphql';
import { download, receive, unitIds } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { snapshot } from '../helpers/snapshot';

let env: TestEnv;
let clerk: ApiClient, director: ApiClient, head: ApiClient, staff: ApiClient;
let docId: string, leadId: string, fileId: string, receivedId: string;
const VIEWS: InboxView[] = ['TO_REGISTER', 'TO_SUBMIT', 'AWAITING_DIRECTION', 'TO_PROCESS', 'DUE_SOON', 'OVERDUE', 'RETURNED', 'FOR_INFORMATION'];
const TABLES = ['document', 'assignment', 'assignment_progress', 'routing_event', 'register', 'stored_file', 'document_attachment'];

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  [clerk, director, head, staff] = await Promise.all([env.as(DEMO.clerk), env.as(DEMO.director), env.as(DEMO.head), env.as(DEMO.staff)]);
  const units = await unitIds(director);
  // One document assigned to the department QLHĐXD, one still waiting to be registered.
  const d = await receive(env, clerk, { registerNow: true });
  docId = d.id;
  fileId = d.attachments[0].id;
  await clerk.ok(SubmitDocumentsDocument, { ids: [docId] });
  const { assignDocument } = await director.ok(AssignDocumentDocument, {
    id: docId,
    input: { instruction: 'Giao phòng QLHĐXD.', lead: { unitId: units['QLHĐXD'], deadline: '2026-12-10' } },
  });
  leadId = assignDocument.assignments[0].id;
  receivedId = (await receive(env, clerk)).id;
});
afterAll(() => env?.close());

/** Everything a reader may use to reach a document, tried by someone who may not read it. */
async function cannotReach(c: ApiClient) {
  const before = await snapshot(env, TABLES);
  for (const id of [docId, receivedId]) {
    expect((await c.ok(DocumentDocument, { id })).document).toBeNull();
    expect((await c.ok(NodeDocumentDocument, { id })).node).toBeNull();
  }
  expect((await c.ok(NodeDocumentDocument, { id: leadId })).node).toBeNull();
  const list = await c.ok(DocumentsDocument, { first: 100 });
  expect(list.documents.edges.map((e) => e.node.id)).not.toContain(docId);
  expect(list.documents.totalCount).toBe(list.documents.edges.length);
  for (const view of VIEWS) {
    const ids = (await c.ok(InboxDocument, { view, first: 100 })).inbox.edges.map((e) => e.node.id);
    expect(ids).not.toContain(docId);
    expect(ids).not.toContain(receivedId);
  }
  expect((await download(env, c, fileId)).status).toBe(404);
  // Mutations the role may call at all answer NOT_FOUND, exactly as for an id that does not exist.
  const codes = await Promise.all([
    c.code(RegisterDocumentDocument, { id: receivedId }),
    c.code(RejectDocumentDocument, { id: receivedId, reason: 'thử' }),
    c.code(SubmitDocumentsDocument, { ids: [docId] }),
    c.code(AssignDocumentDocument, { id: docId, input: { instruction: 'x', lead: { accountId: 'x', deadline: '2026-12-01' } } }),
    c.code(DelegateAssignmentDocument, { assignmentId: leadId, input: { accountId: leadId } }),
    c.code(StartAssignmentDocument, { assignmentId: leadId }),
    c.code(RecordProgressDocument, { assignmentId: leadId, note: 'x' }),
    c.code(CompleteAssignmentDocument, { assignmentId: leadId, input: { result: 'x' } }),
    c.code(ReturnAssignmentDocument, { assignmentId: leadId, reason: 'x' }),
  ]);
  for (const code of codes) expect(['NOT_FOUND', 'FORBIDDEN']).toContain(code);
  // Assignment steps are open to every signed-in account, so only NOT_FOUND may answer them.
  expect(codes.slice(4)).toEqual(Array(5).fill('NOT_FOUND'));
  expect(await snapshot(env, TABLES)).toEqual(before);
}

describe('who sees an incoming document', () => {
  it.each([
    ['the centre’s clerk', DEMO.centreClerk],
    ['the centre’s director', DEMO.centreDirector],
    ['the centre’s head', DEMO.centreHead],
    ['the centre’s staff', DEMO.centreStaff],
    ['the agency’s staff not assigned', DEMO.staff],
    ['SYSADMIN', ADMIN_USERNAME],
  ])('%s cannot see, count, download or touch it', async (_who, username) => {
    const c = await env.as(username);
    await cannotReach(c);
    const counts = (await c.ok(InboxCountsDocument)).inboxCounts;
    expect(Object.values(counts).filter((v) => typeof v === 'number' && v > 0)).toEqual([]);
  });

  it('the clerk and the director of the keeping unit see all of it; the head sees what is assigned to the department', async () => {
    for (const c of [clerk, director]) {
      const ids = (await c.ok(DocumentsDocument, { first: 100 })).documents.edges.map((e) => e.node.id);
      expect(ids).toEqual(expect.arrayContaining([docId, receivedId]));
      expect((await download(env, c, fileId)).status).toBe(200);
    }
    const headIds = (await head.ok(DocumentsDocument, { first: 100 })).documents;
    expect(headIds.edges.map((e) => e.node.id)).toEqual([docId]);
    expect(headIds.totalCount).toBe(1);
    expect((await download(env, head, fileId)).status).toBe(200);
  });

  it('refuses steps of other roles with FORBIDDEN on documents the role can read, and changes nothing', async () => {
    const before = await snapshot(env, TABLES);
    // The director reads everything but does not register; the head reads the document but does not direct it.
    expect(await director.code(RegisterDocumentDocument, { id: receivedId })).toBe('FORBIDDEN');
    expect(await head.code(AssignDocumentDocument, { id: docId, input: { instruction: 'x', lead: { accountId: 'x', deadline: '2026-12-01' } } })).toBe(
      'FORBIDDEN',
    );
    // The clerk reads the document but is not its assignee.
    expect(await clerk.code(StartAssignmentDocument, { assignmentId: leadId })).toBe('FORBIDDEN');
    expect(await director.code(CompleteAssignmentDocument, { assignmentId: leadId, input: { result: 'x' } })).toBe('FORBIDDEN');
    expect(await snapshot(env, TABLES)).toEqual(before);
  });

  it('a staff member sees the document once it is passed to them, and not before', async () => {
    const staffId = (await director.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
    expect((await staff.ok(DocumentDocument, { id: docId })).document).toBeNull();
    await head.ok(DelegateAssignmentDocument, { assignmentId: leadId, input: { accountId: staffId, deadline: '2026-12-05' } });
    expect((await staff.ok(DocumentDocument, { id: docId })).document).toMatchObject({ id: docId });
    expect((await staff.ok(DocumentsDocument, { first: 100 })).documents.totalCount).toBe(1);
    expect((await download(env, staff, fileId)).status).toBe(200);
    // Not the other document, still waiting at the clerk's.
    expect((await staff.ok(DocumentDocument, { id: receivedId })).document).toBeNull();
  });
});
