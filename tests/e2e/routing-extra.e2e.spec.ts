import { print } from 'graphql';
import {
  AccountOpenAssignmentsDocument,
  AccountsDocument,
  AssignDocumentDocument,
  AssignmentEventsDocument,
  ChangeAssignmentDocument,
  ChangePasswordDocument,
  CompleteAssignmentDocument,
  CreateAccountDocument,
  DelegateAssignmentDocument,
  DisableAccountDocument,
  DisableAccountHandingOverDocument,
  DocumentAssignmentsDocument,
  DocumentDocument,
  InboxCountsDocument,
  InboxIdsDocument,
  MarkAssignmentReadDocument,
  RecordProgressDocument,
  ReturnAssignmentDocument,
  StreamPositionDocument,
  SubmitDocumentsDocument,
  TransferAccountHandingOverDocument,
  WithdrawAssignmentDocument,
  type AssignDocumentInput,
  type ChangeAssignmentInput,
  type InboxView,
  type Role,
} from '../generated/graphql';
import { receive, unitIds } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { collect, type Collected } from '../helpers/live';

// Issue #18, items 1 and 4: documents sent for information close when read; assignments are
// withdrawn, changed and handed over, and nobody's work vanishes when they leave.

type Ev = { routingEvents: { type: string; note?: string | null; assignmentId?: string | null; document: { id: string } | null; toState?: string | null } };
const EVENTS = print(AssignmentEventsDocument);

let env: TestEnv;
let clerk: ApiClient, director: ApiClient, head: ApiClient, staff: ApiClient, admin: ApiClient, centreDirector: ApiClient, centreClerk: ApiClient;
let units: Record<string, string>;
const ids: Record<string, string> = {};

// Thursday 26 November 2026, 08:30 in Quy Nhơn.
const MORNING = new Date('2026-11-26T01:30:00Z');

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(MORNING);
  [clerk, director, head, staff, admin, centreDirector, centreClerk] = await Promise.all(
    [DEMO.clerk, DEMO.director, DEMO.head, DEMO.staff, DEMO.sysadmin, DEMO.centreDirector, DEMO.centreClerk].map((u) => env.as(u)),
  );
  units = await unitIds(director);
  for (const e of (await admin.ok(AccountsDocument, { first: 100 })).accounts.edges) ids[e.node.username] = e.node.id;
});
afterAll(() => env?.close());

const position = async (c: ApiClient) => (await c.ok(StreamPositionDocument)).routingEventsCursor;
const subscribe = async (c: ApiClient): Promise<Collected<Ev>> => collect<Ev>(env.ws(c.token), EVENTS, { after: await position(c) });
const state = async (c: ApiClient, id: string) => {
  const { document } = await c.ok(DocumentAssignmentsDocument, { id });
  return document?.__typename === 'IncomingDocument' ? document : null;
};
const inbox = async (c: ApiClient, view: InboxView) => (await c.ok(InboxIdsDocument, { view })).inbox.edges.map((e) => e.node.id);
const counts = async (c: ApiClient) => (await c.ok(InboxCountsDocument)).inboxCounts;

/** A registered document submitted to the director. */
async function submitted(subject: string): Promise<string> {
  const d = await receive(env, clerk, { registerNow: true, subject });
  await clerk.ok(SubmitDocumentsDocument, { ids: [d.id] });
  return d.id;
}

async function assign(id: string, input: AssignDocumentInput) {
  return (await director.ok(AssignDocumentDocument, { id, input })).assignDocument;
}

/** The head passes the department's assignment on; the new assignment's id. */
async function delegate(assignmentId: string, accountId: string, deadline: string): Promise<string> {
  return (await head.ok(DelegateAssignmentDocument, { assignmentId, input: { accountId, deadline } })).delegateAssignment.id;
}

/**
 * Waits until the events received satisfy `done`. A subscription from a stream position may first
 * replay a few events committed just before it (at least once at the seam), so tests wait for what
 * they expect rather than for a number of events.
 */
async function until(sub: Collected<Ev>, done: (events: Ev['routingEvents'][]) => boolean): Promise<Ev['routingEvents'][]> {
  for (;;) {
    const events = sub.items.map((e) => e.routingEvents);
    if (done(events)) return events;
    await sub.waitFor(sub.items.length + 1);
  }
}

/**
 * Waits for a sentinel event the subscriber can see, committed after everything else: whatever the
 * stream did not deliver before it, it never will (events arrive in commit order).
 */
async function sentinel(sub: Collected<Ev>, itsClerk: ApiClient): Promise<Ev[]> {
  const d = await receive(env, itsClerk, { subject: `Mốc ${Math.random()}` });
  await sub.waitFor(sub.items.length + 1);
  for (;;) {
    if (sub.items.some((e) => e.routingEvents.document?.id === d.id)) return sub.items;
    await sub.waitFor(sub.items.length + 1);
  }
}

describe('documents sent for information (Điều 7.1, để biết)', () => {
  it('go to readers only, with no lead and no deadline, and close when every reader has marked them read', async () => {
    const id = await submitted('Thông báo lịch tiếp công dân tháng 12 — để biết');
    // A direction without a lead must name readers, and no cooperating ones; nothing changes when refused.
    expect(await director.code(AssignDocumentDocument, { id, input: { instruction: 'Để biết.' } })).toBe('BAD_USER_INPUT');
    const noLeadButCooperating = {
      instruction: 'Để biết.',
      informed: [{ accountId: ids[DEMO.staff] }],
      cooperating: [{ unitId: units['VP'], deadline: '2026-12-10' }],
    };
    expect(await director.code(AssignDocumentDocument, { id, input: noLeadButCooperating })).toBe('BAD_USER_INPUT');
    expect((await state(director, id))!.state).toBe('SUBMITTED');

    const clerkBefore = (await counts(clerk)).FOR_INFORMATION;
    const live = await subscribe(director);
    const directed = await assign(id, { instruction: 'Chuyển để biết.', informed: [{ accountId: ids[DEMO.staff] }, { accountId: ids[DEMO.clerk] }] });
    expect(directed.state).toBe('ASSIGNED');
    expect(directed.assignments.map((a) => [a.role, a.deadline ?? null, a.state])).toEqual([
      ['INFORM', null, 'PENDING'],
      ['INFORM', null, 'PENDING'],
    ]);
    // It has left the director's waiting list and reached the readers' "for information" view.
    expect(await inbox(director, 'AWAITING_DIRECTION')).not.toContain(id);
    expect(await inbox(staff, 'FOR_INFORMATION')).toContain(id);
    expect((await counts(clerk)).FOR_INFORMATION).toBe(clerkBefore + 1);
    const mineOf = (username: string) => directed.assignments.find((a) => a.assignee?.username === username)!.id;

    // Reading is the only step of an assignment for information; only its reader takes it.
    expect(await staff.code(CompleteAssignmentDocument, { assignmentId: mineOf(DEMO.staff), input: { result: 'Đã xem.' } })).toBe('INVALID_TRANSITION');
    expect(await clerk.code(MarkAssignmentReadDocument, { assignmentId: mineOf(DEMO.staff) })).toBe('FORBIDDEN');
    expect(await centreDirector.code(MarkAssignmentReadDocument, { assignmentId: mineOf(DEMO.staff) })).toBe('NOT_FOUND');

    const first = (await staff.ok(MarkAssignmentReadDocument, { assignmentId: mineOf(DEMO.staff) })).markAssignmentRead;
    expect(first).toMatchObject({ role: 'INFORM', state: 'COMPLETED', document: { id, state: 'IN_PROGRESS' } });
    expect(first.completedAt).toBeTruthy();
    expect(await staff.code(MarkAssignmentReadDocument, { assignmentId: mineOf(DEMO.staff) })).toBe('INVALID_TRANSITION');
    expect(await inbox(staff, 'FOR_INFORMATION')).not.toContain(id);

    const last = (await clerk.ok(MarkAssignmentReadDocument, { assignmentId: mineOf(DEMO.clerk) })).markAssignmentRead;
    expect(last.document).toEqual({ id, state: 'COMPLETED' });
    expect((await counts(clerk)).FOR_INFORMATION).toBe(clerkBefore);
    const doc = (await state(director, id))!;
    expect(doc.state).toBe('COMPLETED');
    expect(doc.history.edges.map((e) => [e.node.type, e.node.toState])).toEqual([
      ['RECEIVED', 'RECEIVED'],
      ['REGISTERED', 'REGISTERED'],
      ['SUBMITTED', 'SUBMITTED'],
      ['ASSIGNED', 'ASSIGNED'],
      ['READ', 'IN_PROGRESS'],
      ['READ', 'COMPLETED'],
    ]);
    // The director saw it happen live.
    const seen = await until(live, (events) => events.some((e) => e.document?.id === id && e.toState === 'COMPLETED'));
    expect(seen.filter((e) => e.document?.id === id && ['ASSIGNED', 'READ'].includes(e.type)).map((e) => [e.type, e.toState])).toEqual([
      ['ASSIGNED', 'ASSIGNED'],
      ['READ', 'IN_PROGRESS'],
      ['READ', 'COMPLETED'],
    ]);
    live.stop();
  });

  it('beside a lead, reading does not complete the document: the lead’s work does', async () => {
    const id = await submitted('Công văn có người chủ trì và người để biết');
    const directed = await assign(id, {
      instruction: 'Giao phòng QLHĐXD chủ trì.',
      lead: { unitId: units['QLHĐXD'], deadline: '2026-12-10' },
      informed: [{ accountId: ids[DEMO.clerk] }],
    });
    const informed = directed.assignments.find((a) => a.role === 'INFORM')!;
    expect((await clerk.ok(MarkAssignmentReadDocument, { assignmentId: informed.id })).markAssignmentRead.document!.state).toBe('ASSIGNED');
    const lead = directed.assignments.find((a) => a.role === 'LEAD')!;
    expect(await head.code(MarkAssignmentReadDocument, { assignmentId: lead.id })).toBe('INVALID_TRANSITION');
  });
});

describe('withdrawing and changing an assignment', () => {
  it('the head withdraws what the head passed on, the staff member is told live, loses it, and the counts follow', async () => {
    const id = await submitted('Đề nghị thẩm định thiết kế cơ sở — thu hồi');
    const lead = (await assign(id, { instruction: 'Giao phòng QLHĐXD.', lead: { unitId: units['QLHĐXD'], deadline: '2026-12-10' } })).assignments[0].id;
    const child = await delegate(lead, ids[DEMO.staff], '2026-12-05');
    await staff.ok(RecordProgressDocument, { assignmentId: child, note: 'Đang rà soát hồ sơ.' });
    const before = await counts(staff);
    expect(await inbox(staff, 'TO_PROCESS')).toContain(id);

    // Refusals: the assignee, a head on the director's assignment, another agency, no reason.
    expect(await staff.code(WithdrawAssignmentDocument, { assignmentId: child, reason: 'Tự rút.' })).toBe('FORBIDDEN');
    expect(await head.code(WithdrawAssignmentDocument, { assignmentId: lead, reason: 'Không phải của phòng.' })).toBe('FORBIDDEN');
    expect(await head.code(ChangeAssignmentDocument, { assignmentId: lead, input: { reason: 'Lùi hạn.', deadline: '2026-12-20' } })).toBe('FORBIDDEN');
    expect(await centreDirector.code(WithdrawAssignmentDocument, { assignmentId: child, reason: 'Thu hồi.' })).toBe('NOT_FOUND');
    expect(await head.code(WithdrawAssignmentDocument, { assignmentId: child, reason: '  ' })).toBe('BAD_USER_INPUT');
    expect((await state(head, id))!.assignments.map((a) => a.state)).toEqual(['IN_PROGRESS', 'IN_PROGRESS']);

    const staffLive = await subscribe(staff);
    const outsider = await subscribe(centreClerk);
    const { withdrawAssignment } = await head.ok(WithdrawAssignmentDocument, { assignmentId: child, reason: 'Giao lại cho người khác theo lĩnh vực.' });
    expect(withdrawAssignment).toMatchObject({ id: child, state: 'WITHDRAWN', withdrawalReason: 'Giao lại cho người khác theo lĩnh vực.' });
    expect(withdrawAssignment.withdrawnAt).toBeTruthy();

    // The staff member may no longer read the document, yet receives the withdrawal of their own assignment, and nothing of the document.
    const told = (await until(staffLive, (events) => events.some((e) => e.type === 'ASSIGNMENT_WITHDRAWN'))).find((e) => e.type === 'ASSIGNMENT_WITHDRAWN')!;
    expect(told).toMatchObject({ assignmentId: child, document: null });
    expect(told.note).toContain('Giao lại cho người khác theo lĩnh vực.');
    expect((await staff.ok(DocumentDocument, { id })).document).toBeNull();
    const after = await counts(staff);
    expect(after.TO_PROCESS).toBe(before.TO_PROCESS - 1);
    expect(await inbox(staff, 'TO_PROCESS')).not.toContain(id);
    // Someone of another agency hears nothing of it.
    expect((await sentinel(outsider, centreClerk)).map((e) => e.routingEvents.type)).not.toContain('ASSIGNMENT_WITHDRAWN');
    staffLive.stop();
    outsider.stop();

    // Done is done: a withdrawn assignment is not withdrawn or changed again; the head's own stays open.
    expect(await head.code(WithdrawAssignmentDocument, { assignmentId: child, reason: 'Lần nữa.' })).toBe('INVALID_TRANSITION');
    const change = { reason: 'Đổi hạn.', deadline: '2026-12-04' };
    expect(await head.code(ChangeAssignmentDocument, { assignmentId: child, input: change })).toBe('INVALID_TRANSITION');
    const doc = (await state(head, id))!;
    expect(Object.fromEntries(doc.assignments.map((a) => [a.id, a.state]))).toEqual({ [lead]: 'IN_PROGRESS', [child]: 'WITHDRAWN' });
    expect(doc.history.edges.at(-1)!.node).toMatchObject({ type: 'ASSIGNMENT_WITHDRAWN', assignmentId: child, actor: { username: DEMO.head } });
  });

  it('a completed assignment cannot be withdrawn', async () => {
    const id = await submitted('Báo cáo đã hoàn thành');
    const directed = await assign(id, { instruction: 'Giao đồng chí Hoa.', lead: { accountId: ids[DEMO.staff], deadline: '2026-12-10' } });
    const lead = directed.assignments[0].id;
    await staff.ok(CompleteAssignmentDocument, { assignmentId: lead, input: { result: 'Đã báo cáo.' } });
    expect(await director.code(WithdrawAssignmentDocument, { assignmentId: lead, reason: 'Thu hồi.' })).toBe('INVALID_TRANSITION');
    expect(await director.code(ChangeAssignmentDocument, { assignmentId: lead, input: { reason: 'Đổi.', deadline: '2026-12-09' } })).toBe('INVALID_TRANSITION');
    expect((await state(director, id))!.state).toBe('COMPLETED');
  });

  it('the director changes deadlines within the rules, reassigns, and withdraws a lead back to direction', async () => {
    const id = await submitted('Kế hoạch kiểm tra công trình — điều chỉnh phân công');
    const directed = await assign(id, {
      instruction: 'Giao phòng QLHĐXD chủ trì, đồng chí Hoa phối hợp.',
      lead: { unitId: units['QLHĐXD'], deadline: '2026-12-10' },
      cooperating: [{ accountId: ids[DEMO.staff], deadline: '2026-12-08' }],
    });
    const lead = directed.assignments.find((a) => a.role === 'LEAD')!.id;
    const cooperating = directed.assignments.find((a) => a.role === 'COOPERATE')!.id;
    const child = await delegate(lead, ids[DEMO.staff], '2026-12-07');

    // Deadlines: not before what was passed on, not after what was received, not in the past; a change needs something to change.
    const change = (assignmentId: string, input: ChangeAssignmentInput, by = director) => by.code(ChangeAssignmentDocument, { assignmentId, input });
    expect(await change(lead, { reason: 'Rút ngắn.', deadline: '2026-12-04' })).toBe('BAD_USER_INPUT');
    expect(await head.code(ChangeAssignmentDocument, { assignmentId: child, input: { reason: 'Lùi.', deadline: '2026-12-11' } })).toBe('BAD_USER_INPUT');
    expect(await change(cooperating, { reason: 'Quá khứ.', deadline: '2026-11-01' })).toBe('BAD_USER_INPUT');
    expect(await director.code(ChangeAssignmentDocument, { assignmentId: cooperating, input: { reason: 'Không đổi gì.' } })).toBe('BAD_USER_INPUT');
    const changed = (await director.ok(ChangeAssignmentDocument, { assignmentId: lead, input: { reason: 'Yêu cầu của UBND tỉnh.', deadline: '2026-12-09' } }))
      .changeAssignment;
    expect(changed).toMatchObject({ id: lead, deadline: '2026-12-09', state: 'IN_PROGRESS' });

    // Reassigning the cooperating work: the staff member's is withdrawn, the head gets a new one.
    expect(await change(cooperating, { reason: 'Đổi.', assignee: { accountId: ids[DEMO.centreStaff] } })).toBe('BAD_USER_INPUT');
    expect(await change(cooperating, { reason: 'Đổi.', assignee: { accountId: ids[DEMO.staff] } })).toBe('BAD_USER_INPUT');
    const { changeAssignment: moved } = await director.ok(ChangeAssignmentDocument, {
      assignmentId: cooperating,
      input: { reason: 'Đồng chí Hoa đi công tác.', assignee: { accountId: ids[DEMO.head] } },
    });
    expect(moved).toMatchObject({ role: 'COOPERATE', state: 'PENDING', deadline: '2026-12-08', assignee: { username: DEMO.head }, parent: null });
    expect(moved.id).not.toBe(cooperating);

    // Withdrawing the lead takes back what was passed on from it (its holder is told) and sends the document back to the director.
    const staffLive = await subscribe(staff);
    const { withdrawAssignment } = await director.ok(WithdrawAssignmentDocument, { assignmentId: lead, reason: 'Chuyển phòng khác chủ trì.' });
    expect(withdrawAssignment).toMatchObject({ state: 'WITHDRAWN', document: { state: 'SUBMITTED' } });
    expect(await inbox(director, 'AWAITING_DIRECTION')).toContain(id);
    // The lead's own event (written first) is not theirs: the department's, and they are not its head.
    const told = await until(staffLive, (events) => events.some((e) => e.type === 'ASSIGNMENT_WITHDRAWN' && e.assignmentId === child));
    // (The cooperating one's withdrawal, made just before the subscription, may be replayed at the seam.)
    const withdrawals = told.filter((e) => e.type === 'ASSIGNMENT_WITHDRAWN' && e.assignmentId !== cooperating);
    expect(withdrawals.map((e) => [e.assignmentId, e.document])).toEqual([[child, null]]);
    staffLive.stop();
    const doc = (await state(director, id))!;
    expect(doc.assignments.map((a) => [a.role, a.state, a.assignee?.username ?? a.assigneeUnit?.shortName].join(' ')).sort()).toEqual(
      [`COOPERATE PENDING ${DEMO.head}`, `COOPERATE WITHDRAWN ${DEMO.staff}`, `LEAD WITHDRAWN ${DEMO.staff}`, 'LEAD WITHDRAWN QLHĐXD'].sort(),
    );
    expect(doc.history.edges.map((e) => [e.node.type, e.node.assignmentId]).slice(-6)).toEqual([
      ['DELEGATED', child],
      ['ASSIGNMENT_CHANGED', lead],
      ['ASSIGNMENT_WITHDRAWN', cooperating],
      ['REASSIGNED', moved.id],
      ['ASSIGNMENT_WITHDRAWN', lead],
      ['ASSIGNMENT_WITHDRAWN', child],
    ]);
    // Directed again, it is back at work.
    expect((await assign(id, { instruction: 'Giao Văn phòng chủ trì.', lead: { unitId: units['VP'], deadline: '2026-12-10' } })).state).toBe('ASSIGNED');
  });
});

describe('hand-over when an account is disabled or transferred (Điều 6.3)', () => {
  it('refuses to lose work, lists it by id only, and hands it over in one step to someone of the unit, who finds it in their inbox', async () => {
    // A new colleague in the department.
    const { createAccount } = await admin.ok(CreateAccountDocument, {
      input: { username: 'chuyenvien2.qlhdxd@sxd.binhdinh.gov.vn', fullName: 'Trần Văn Nhận', unitId: units['QLHĐXD'], roles: ['STAFF'] },
    });
    const successor = await env.as('chuyenvien2.qlhdxd@sxd.binhdinh.gov.vn', createAccount.initialPassword!);
    await successor.ok(ChangePasswordDocument, { currentPassword: createAccount.initialPassword!, newPassword: 'Mat-khau-moi-2026' });
    const successorId = createAccount.account.id;
    const { createAccount: retired } = await admin.ok(CreateAccountDocument, {
      input: { username: 'nghihuu.qlhdxd@sxd.binhdinh.gov.vn', fullName: 'Nghỉ Hưu', unitId: units['QLHĐXD'], roles: ['STAFF'] },
    });
    await admin.ok(DisableAccountDocument, { id: retired.account.id, reason: 'RETIREMENT' });

    // The staff member holds work: a delegated lead with progress, and a document to read.
    const subject = 'Hồ sơ cấp phép xây dựng — bàn giao khi nghỉ việc';
    const work = await submitted(subject);
    const lead = (await assign(work, { instruction: 'Giao phòng QLHĐXD.', lead: { unitId: units['QLHĐXD'], deadline: '2026-12-10' } })).assignments[0].id;
    const child = await delegate(lead, ids[DEMO.staff], '2026-12-05');
    await staff.ok(RecordProgressDocument, { assignmentId: child, note: 'Đã kiểm tra hồ sơ.' });
    const toRead = await submitted('Thông báo để biết — bàn giao');
    const reading = (await assign(toRead, { instruction: 'Để biết.', informed: [{ accountId: ids[DEMO.staff] }] })).assignments[0].id;

    const open = (await admin.ok(AccountOpenAssignmentsDocument, { id: ids[DEMO.staff] })).node;
    const held = open?.__typename === 'Account' ? open.openAssignmentCount! : -1;
    expect(held).toBeGreaterThanOrEqual(2);
    expect((await director.ok(AccountOpenAssignmentsDocument, { id: ids[DEMO.staff] })).node).toMatchObject({ openAssignmentCount: null });

    // Without a hand-over the account is not disabled; the refusal names the work by id and count only.
    const refused = await admin.request(DisableAccountHandingOverDocument, { id: ids[DEMO.staff], reason: 'RESIGNATION' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'OPEN_ASSIGNMENTS', field: 'handOverTo', count: held });
    expect(refused.errors![0].extensions!.assignmentIds).toEqual(expect.arrayContaining([child, reading]));
    expect(refused.errors![0].extensions!.documentIds).toEqual(expect.arrayContaining([work, toRead]));
    expect(JSON.stringify(refused)).not.toContain('bàn giao');
    // Nor to someone of another unit or agency, a disabled account, an administrator or itself; nor by anyone but a SYSADMIN.
    for (const other of [ids[DEMO.clerk], ids[DEMO.centreStaff], retired.account.id, ids[DEMO.sysadmin], ids[DEMO.staff]]) {
      expect(await admin.code(DisableAccountHandingOverDocument, { id: ids[DEMO.staff], reason: 'RESIGNATION', handOverTo: other })).toBe('BAD_USER_INPUT');
    }
    expect(await director.code(DisableAccountHandingOverDocument, { id: ids[DEMO.staff], reason: 'RESIGNATION', handOverTo: successorId })).toBe('FORBIDDEN');
    expect((await staff.ok(DocumentDocument, { id: work })).document).not.toBeNull();
    expect((await state(head, work))!.assignments.find((a) => a.id === child)!.assignee!.username).toBe(DEMO.staff);

    const live = await subscribe(successor);
    const before = await counts(successor);
    const { disableAccount } = await admin.ok(DisableAccountHandingOverDocument, { id: ids[DEMO.staff], reason: 'RESIGNATION', handOverTo: successorId });
    expect(disableAccount).toMatchObject({ status: 'DISABLED', openAssignmentCount: 0 });
    // The administrator performed it and still reads no document.
    expect((await admin.ok(DocumentDocument, { id: work })).document).toBeNull();

    // The successor finds the work in their inbox, with its progress, and was told live.
    expect(await inbox(successor, 'TO_PROCESS')).toContain(work);
    expect(await inbox(successor, 'FOR_INFORMATION')).toContain(toRead);
    const after = await counts(successor);
    expect(after.TO_PROCESS).toBe(before.TO_PROCESS + 1);
    expect(after.FOR_INFORMATION).toBe(before.FOR_INFORMATION + 1);
    const handedOver = (events: Ev['routingEvents'][]) => events.filter((e) => e.type === 'HANDED_OVER').map((e) => [e.assignmentId, e.document?.id]);
    const events = await until(live, (all) => handedOver(all).length >= 2);
    expect(handedOver(events)).toEqual(
      expect.arrayContaining([
        [child, work],
        [reading, toRead],
      ]),
    );
    live.stop();
    const handed = (await state(successor, work))!;
    expect(handed.assignments.find((a) => a.id === child)).toMatchObject({
      state: 'IN_PROGRESS',
      deadline: '2026-12-05',
      progress: [{ note: 'Đã kiểm tra hồ sơ.' }],
    });
    expect(handed.history.edges.at(-1)!.node).toMatchObject({ type: 'HANDED_OVER', assignmentId: child, actor: { username: DEMO.sysadmin } });
    expect((await successor.ok(MarkAssignmentReadDocument, { assignmentId: reading })).markAssignmentRead.document!.state).toBe('COMPLETED');

    // A transfer follows the same rule: the successor moves to the Office, the head takes the work over.
    expect(await admin.code(TransferAccountHandingOverDocument, { id: successorId, unitId: units['VP'], reason: 'Điều động.' })).toBe('OPEN_ASSIGNMENTS');
    const transfer = { id: successorId, unitId: units['VP'], reason: 'Điều động.', handOverTo: ids[DEMO.head] };
    const { transferAccount } = await admin.ok(TransferAccountHandingOverDocument, transfer);
    expect(transferAccount).toMatchObject({ unit: { id: units['VP'] }, openAssignmentCount: 0 });
    expect((await successor.ok(DocumentDocument, { id: work })).document).toBeNull();
    const now = (await state(head, work))!;
    expect(now.assignments.find((a) => a.id === child)!.assignee!.username).toBe(DEMO.head);
    await head.ok(CompleteAssignmentDocument, { assignmentId: child, input: { result: 'Đã cấp phép.' } });
    expect((await state(director, work))!.state).toBe('COMPLETED');
    expect(subject).toContain('bàn giao');
  });

  it('work returned to someone who leaves, awaiting their direction, is handed over too', async () => {
    const newAccount = async (username: string, fullName: string, roles: Role[]) => {
      const { createAccount } = await admin.ok(CreateAccountDocument, { input: { username, fullName, unitId: units['QLHĐXD'], roles } });
      const client = await env.as(username, createAccount.initialPassword!);
      await client.ok(ChangePasswordDocument, { currentPassword: createAccount.initialPassword!, newPassword: 'Mat-khau-moi-2026' });
      return { client, id: createAccount.account.id };
    };
    const deputy = await newAccount('phophong.qlhdxd@sxd.binhdinh.gov.vn', 'Lê Phó Phòng', ['HEAD']);
    const worker = await newAccount('chuyenvien3.qlhdxd@sxd.binhdinh.gov.vn', 'Phạm Thị Làm', ['STAFF']);
    const work = await submitted('Hồ sơ trả lại — chờ phó phòng chỉ đạo');
    const lead = (await assign(work, { instruction: 'Giao phòng QLHĐXD.', lead: { unitId: units['QLHĐXD'], deadline: '2026-12-10' } })).assignments[0].id;
    const child = (await deputy.client.ok(DelegateAssignmentDocument, { assignmentId: lead, input: { accountId: worker.id, deadline: '2026-12-05' } }))
      .delegateAssignment.id;
    await worker.client.ok(ReturnAssignmentDocument, { assignmentId: child, reason: 'Không thuộc phạm vi của tôi.' });
    expect(await inbox(deputy.client, 'RETURNED')).toContain(work);
    expect(await inbox(head, 'RETURNED')).not.toContain(work);

    // The deputy holds nothing open in their own name, but the returned work waits on them: it is not dropped.
    expect((await admin.ok(AccountOpenAssignmentsDocument, { id: deputy.id })).node).toMatchObject({ openAssignmentCount: 1 });
    const refused = await admin.request(DisableAccountHandingOverDocument, { id: deputy.id, reason: 'RESIGNATION' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'OPEN_ASSIGNMENTS', count: 1, assignmentIds: [child], documentIds: [work] });
    await admin.ok(DisableAccountHandingOverDocument, { id: deputy.id, reason: 'RESIGNATION', handOverTo: ids[DEMO.head] });

    // The head now finds it among the work returned to them, and directs it again.
    expect(await inbox(head, 'RETURNED')).toContain(work);
    const history = (await state(head, work))!.history.edges.map((e) => e.node);
    expect(history.at(-1)).toMatchObject({ type: 'HANDED_OVER', assignmentId: child });
    await head.ok(DelegateAssignmentDocument, { assignmentId: lead, input: { accountId: ids[DEMO.head], deadline: '2026-12-05' } });
    expect(await inbox(head, 'RETURNED')).not.toContain(work);
  });
});
