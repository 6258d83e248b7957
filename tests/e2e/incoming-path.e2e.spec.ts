import {
  AccountsDocument,
  AssignDocumentDocument,
  CompleteAssignmentDocument,
  DelegateAssignmentDocument,
  DocumentDocument,
  InboxCountsDocument,
  InboxDocument,
  RecordProgressDocument,
  RegisterDocumentDocument,
  RejectDocumentDocument,
  RegistersDocument,
  ReturnAssignmentDocument,
  StartAssignmentDocument,
  SubmitDocumentsDocument,
} from '../generated/graphql';
import { receive, unitIds } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';

let env: TestEnv;
let clerk: ApiClient, director: ApiClient, head: ApiClient, staff: ApiClient;
let units: Record<string, string>;
let staffId: string, clerkId: string;

// Thursday 26 November 2026, 08:30 in Quy Nhơn.
const MORNING = new Date('2026-11-26T01:30:00Z');

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(MORNING);
  [clerk, director, head, staff] = await Promise.all([env.as(DEMO.clerk), env.as(DEMO.director), env.as(DEMO.head), env.as(DEMO.staff)]);
  units = await unitIds(director);
  const accounts = (await director.ok(AccountsDocument, { first: 100 })).accounts.edges.map((e) => e.node);
  staffId = accounts.find((a) => a.username === DEMO.staff)!.id;
  clerkId = accounts.find((a) => a.username === DEMO.clerk)!.id;
});
afterAll(() => env?.close());

const history = async (c: ApiClient, id: string) => {
  const { document } = await c.ok(DocumentDocument, { id });
  if (document?.__typename !== 'IncomingDocument') throw new Error('no incoming document');
  return document.history.edges.map((e) => e.node);
};

describe('an incoming paper letter, from the clerk’s desk to completion', () => {
  it('is digitised, registered, submitted before 9:00, directed, passed on, returned, reassigned and completed — every step in the history', async () => {
    // The clerk digitises and receives it.
    const received = await receive(env, clerk, { senderId: undefined });
    expect(received).toMatchObject({
      state: 'RECEIVED',
      arrivalNumber: null,
      arrivalChannel: 'PAPER',
      numberAndSymbol: '1234/UBND-KT',
      keepingUnit: { shortName: 'SXD' },
    });
    expect(received.attachments).toHaveLength(1);
    expect((await clerk.ok(InboxDocument, { view: 'TO_REGISTER' })).inbox.edges.map((e) => e.node.id)).toContain(received.id);

    // Registered: arrival number 1 of the 2026 incoming register.
    const { registerDocument } = await clerk.ok(RegisterDocumentDocument, { id: received.id });
    expect(registerDocument).toMatchObject({
      state: 'REGISTERED',
      arrivalNumber: 1,
      arrivalDate: '2026-11-26',
      register: { year: 2026, direction: 'INCOMING', lastNumber: 1 },
    });
    expect(registerDocument.submissionOverdue).toBe(false);
    expect((await clerk.ok(RegistersDocument, {})).registers).toEqual([
      expect.objectContaining({ year: 2026, direction: 'INCOMING', lastNumber: 1, keepingUnit: { shortName: 'SXD' } }),
    ]);
    expect((await clerk.ok(InboxCountsDocument)).inboxCounts).toMatchObject({ TO_REGISTER: 0, TO_SUBMIT: 1 });

    // Past 9:00 the registered document is late for the director.
    env.clock.set(new Date('2026-11-26T02:05:00Z'));
    expect((await clerk.ok(InboxDocument, { view: 'TO_SUBMIT' })).inbox.edges[0].node).toMatchObject({ id: received.id, submissionOverdue: true });
    env.clock.set(MORNING);

    // Submitted to the director.
    expect((await clerk.ok(SubmitDocumentsDocument, { ids: [received.id] })).submitDocuments).toEqual([{ id: received.id, state: 'SUBMITTED' }]);
    expect((await director.ok(InboxCountsDocument)).inboxCounts.AWAITING_DIRECTION).toBe(1);

    // The director assigns it to the department, with the Office cooperating and the clerk informed.
    const { assignDocument } = await director.ok(AssignDocumentDocument, {
      id: received.id,
      input: {
        instruction: 'Giao Phòng QLHĐXD chủ trì tham mưu, báo cáo trước ngày 10/12.',
        lead: { unitId: units['QLHĐXD'], deadline: '2026-12-10' },
        cooperating: [{ unitId: units['VP'], deadline: '2026-12-08' }],
        informed: [{ accountId: clerkId }],
      },
    });
    expect(assignDocument.state).toBe('ASSIGNED');
    const lead = assignDocument.assignments.find((a) => a.role === 'LEAD')!;
    expect(lead).toMatchObject({ state: 'PENDING', deadline: '2026-12-10', assigneeUnit: { shortName: 'QLHĐXD' }, assignedBy: { username: DEMO.director } });
    expect((await director.ok(InboxCountsDocument)).inboxCounts.AWAITING_DIRECTION).toBe(0);
    expect((await clerk.ok(InboxDocument, { view: 'FOR_INFORMATION' })).inbox.totalCount).toBe(1);

    // The head sees it and passes it to a staff member; a later deadline than received is refused.
    expect((await head.ok(InboxDocument, { view: 'TO_PROCESS' })).inbox.edges.map((e) => e.node.id)).toEqual([received.id]);
    // Not passed on to the staff member yet: the document is not there for them (null, not an error).
    const beforeDelegation = await staff.request(DocumentDocument, { id: received.id });
    expect({ errors: beforeDelegation.errors ?? [], document: beforeDelegation.data?.document }).toEqual({ errors: [], document: null });
    expect(await head.code(DelegateAssignmentDocument, { assignmentId: lead.id, input: { accountId: staffId, deadline: '2026-12-11' } })).toBe(
      'BAD_USER_INPUT',
    );
    const { delegateAssignment: first } = await head.ok(DelegateAssignmentDocument, {
      assignmentId: lead.id,
      input: { accountId: staffId, deadline: '2026-12-05', instruction: 'Đồng chí Hoa dự thảo báo cáo.' },
    });
    expect(first).toMatchObject({
      state: 'PENDING',
      role: 'LEAD',
      deadline: '2026-12-05',
      assignee: { username: DEMO.staff },
      parent: { id: lead.id },
      document: { state: 'IN_PROGRESS' },
    });

    // The staff member records progress, then returns it to the head.
    expect((await staff.ok(InboxDocument, { view: 'TO_PROCESS' })).inbox.totalCount).toBe(1);
    const { recordProgress } = await staff.ok(RecordProgressDocument, { assignmentId: first.id, note: 'Đã làm việc với chủ đầu tư.' });
    expect(recordProgress).toMatchObject({ state: 'IN_PROGRESS', progress: [{ note: 'Đã làm việc với chủ đầu tư.', author: { username: DEMO.staff } }] });
    expect(await staff.code(ReturnAssignmentDocument, { assignmentId: first.id, reason: '' })).toBe('BAD_USER_INPUT');
    const { returnAssignment } = await staff.ok(ReturnAssignmentDocument, {
      assignmentId: first.id,
      reason: 'Nội dung thuộc lĩnh vực quy hoạch, đề nghị giao người khác.',
    });
    expect(returnAssignment.state).toBe('RETURNED');
    // Returned work no longer opens the document to the one who returned it.
    expect((await staff.ok(DocumentDocument, { id: received.id })).document).toBeNull();
    expect((await head.ok(InboxCountsDocument)).inboxCounts.RETURNED).toBe(1);

    // The head reassigns it; the staff member starts and completes it; the document is completed.
    const { delegateAssignment: second } = await head.ok(DelegateAssignmentDocument, {
      assignmentId: lead.id,
      input: { accountId: staffId, deadline: '2026-12-05' },
    });
    expect((await head.ok(InboxCountsDocument)).inboxCounts.RETURNED).toBe(0);
    await staff.ok(StartAssignmentDocument, { assignmentId: second.id });
    expect(await staff.code(StartAssignmentDocument, { assignmentId: second.id })).toBe('INVALID_TRANSITION');
    const { completeAssignment } = await staff.ok(CompleteAssignmentDocument, {
      assignmentId: second.id,
      input: { result: 'Đã ban hành văn bản trả lời số 05/SXD-QLHĐXD.' },
    });
    expect(completeAssignment).toMatchObject({ state: 'COMPLETED', document: { state: 'COMPLETED' } });

    const { document } = await director.ok(DocumentDocument, { id: received.id });
    if (document?.__typename !== 'IncomingDocument') throw new Error('expected an incoming document');
    expect(document.assignments.find((a) => a.id === lead.id)).toMatchObject({ state: 'COMPLETED', result: 'Đã ban hành văn bản trả lời số 05/SXD-QLHĐXD.' });
    const events = await history(director, received.id);
    expect(events.map((e) => [e.type, e.fromState, e.toState, e.actor?.username])).toEqual([
      ['RECEIVED', null, 'RECEIVED', DEMO.clerk],
      ['REGISTERED', 'RECEIVED', 'REGISTERED', DEMO.clerk],
      ['SUBMITTED', 'REGISTERED', 'SUBMITTED', DEMO.clerk],
      ['ASSIGNED', 'SUBMITTED', 'ASSIGNED', DEMO.director],
      ['DELEGATED', 'ASSIGNED', 'IN_PROGRESS', DEMO.head],
      ['PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', DEMO.staff],
      ['RETURNED', 'IN_PROGRESS', 'IN_PROGRESS', DEMO.staff],
      ['DELEGATED', 'IN_PROGRESS', 'IN_PROGRESS', DEMO.head],
      ['STARTED', 'IN_PROGRESS', 'IN_PROGRESS', DEMO.staff],
      ['COMPLETED', 'IN_PROGRESS', 'COMPLETED', DEMO.staff],
    ]);
    expect(events.find((e) => e.type === 'RETURNED')?.note).toContain('quy hoạch');
    expect(Number(events[1].cursor)).toBeGreaterThan(Number(events[0].cursor));
    expect((await staff.ok(InboxCountsDocument)).inboxCounts.TO_PROCESS).toBe(0);
  });

  it('a lead returned to the director goes back to waiting for direction, and can be assigned again', async () => {
    const doc = await receive(env, clerk, { registerNow: true, urgency: 'URGENT', number: '77', symbol: 'BXD-HĐXD', issuer: 'Bộ Xây dựng' });
    expect(doc).toMatchObject({ state: 'REGISTERED', arrivalNumber: 2, submissionOverdue: true });
    await clerk.ok(SubmitDocumentsDocument, { ids: [doc.id] });
    const { assignDocument } = await director.ok(AssignDocumentDocument, {
      id: doc.id,
      input: { instruction: 'Giao đ/c Hoa xử lý.', lead: { accountId: staffId, deadline: '2026-11-30' } },
    });
    const lead = assignDocument.assignments[0];
    expect((await staff.ok(InboxDocument, { view: 'DUE_SOON' })).inbox.edges.map((e) => e.node.id)).toContain(doc.id);
    const { returnAssignment } = await staff.ok(ReturnAssignmentDocument, { assignmentId: lead.id, reason: 'Không thuộc chức năng của phòng.' });
    expect(returnAssignment.document).toBeNull();
    const after = await director.ok(DocumentDocument, { id: doc.id });
    expect(after.document).toMatchObject({ state: 'SUBMITTED' });
    expect((await director.ok(InboxCountsDocument)).inboxCounts).toMatchObject({ RETURNED: 1, AWAITING_DIRECTION: 1 });
    const again = await director.ok(AssignDocumentDocument, {
      id: doc.id,
      input: { instruction: 'Giao Phòng QLHĐXD.', lead: { unitId: units['QLHĐXD'], deadline: '2026-12-15' } },
    });
    expect(again.assignDocument.state).toBe('ASSIGNED');
    expect((await director.ok(InboxCountsDocument)).inboxCounts).toMatchObject({ RETURNED: 0, AWAITING_DIRECTION: 0 });
  });

  it('a rejected document keeps its reason, takes no number and cannot be registered afterwards', async () => {
    const doc = await receive(env, clerk, { number: '99' });
    expect(await clerk.code(RejectDocumentDocument, { id: doc.id, reason: '  ' })).toBe('BAD_USER_INPUT');
    const { rejectDocument } = await clerk.ok(RejectDocumentDocument, { id: doc.id, reason: 'Văn bản thiếu chữ ký, đề nghị gửi lại.' });
    expect(rejectDocument).toMatchObject({ state: 'REJECTED', rejectionReason: 'Văn bản thiếu chữ ký, đề nghị gửi lại.', arrivalNumber: null });
    const refused = await clerk.request(RegisterDocumentDocument, { id: doc.id });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'INVALID_TRANSITION', from: 'REJECTED', to: 'REGISTERED' } });
    expect(refused.errors?.[0].message).toMatch(/REJECTED.*REGISTERED/);
    expect((await history(clerk, doc.id)).map((e) => e.type)).toEqual(['RECEIVED', 'REJECTED']);
    expect(await clerk.code(SubmitDocumentsDocument, { ids: [doc.id] })).toBe('INVALID_TRANSITION');
  });

  it('shows overdue work past its deadline', async () => {
    const doc = await receive(env, clerk, { registerNow: true, number: '88' });
    await clerk.ok(SubmitDocumentsDocument, { ids: [doc.id] });
    await director.ok(AssignDocumentDocument, { id: doc.id, input: { instruction: 'Xử lý gấp.', lead: { accountId: staffId, deadline: '2026-11-27' } } });
    expect((await staff.ok(InboxDocument, { view: 'OVERDUE' })).inbox.totalCount).toBe(0);
    env.clock.set(new Date('2026-11-30T03:00:00Z'));
    try {
      const later = await env.as(DEMO.staff);
      expect((await later.ok(InboxDocument, { view: 'OVERDUE' })).inbox.edges.map((e) => e.node.id)).toContain(doc.id);
    } finally {
      env.clock.set(MORNING);
    }
  });
});
