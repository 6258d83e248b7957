import { print } from 'graphql';
import {
  AccountsDocument,
  AddPermissionRuleDocument,
  ChangePasswordDocument,
  CreateAccountDocument,
  CreateUnitDocument,
  LoginDocument,
  ApproveWorkScheduleDocument,
  CreateWorkScheduleDocument,
  ReturnWorkScheduleDocument,
  ReviseWorkScheduleDocument,
  SaveWorkScheduleEntriesDocument,
  ScheduleNodeDocument,
  SubmitWorkScheduleDocument,
  WeekScheduleDocument,
  WorkScheduleChangedDocument,
  type WorkScheduleEntryInput,
} from '../generated/graphql';
import { receive, unitIds } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { collect } from '../helpers/live';

type Ev = {
  workScheduleChanged: {
    id: string;
    type: string;
    note?: string | null;
    schedule: { id: string; week: string; keepingUnit: { shortName: string } };
    version: {
      number: number;
      entries: Array<{ content: string; documents: Array<{ document: { subject: string } | null }> }>;
      changes: Array<{ kind: string; fields: string[] }>;
    };
  };
};
const EVENTS = print(WorkScheduleChangedDocument);
const WEEK = '2026-W49'; // Monday 30 November to Sunday 6 December 2026

let env: TestEnv;
let clerk: ApiClient, director: ApiClient, head: ApiClient, staff: ApiClient, admin: ApiClient;
let centreDirector: ApiClient, centreClerk: ApiClient, centreStaff: ApiClient;
let units: Record<string, string>;
const ids: Record<string, string> = {};

const accountId = async (username: string) => (await director.ok(AccountsDocument, { filter: { text: username } })).accounts.edges[0].node.id;
const week = (c: ApiClient, vars: { week?: string; date?: string; unitId?: string } = { week: WEEK }) => c.ok(WeekScheduleDocument, vars);
const rowCount = async (table: string) => Number((await env.sql<{ n: string }>(`select count(*)::text as n from ${table}`))[0].n);

beforeAll(async () => {
  env = await startTestEnv();
  // Tuesday 1 December 2026, 09:00 in Vietnam.
  env.clock.set(new Date('2026-12-01T02:00:00Z'));
  [clerk, director, head, staff, admin, centreDirector, centreClerk, centreStaff] = await Promise.all([
    env.as(DEMO.clerk),
    env.as(DEMO.director),
    env.as(DEMO.head),
    env.as(DEMO.staff),
    env.as(ADMIN_USERNAME),
    env.as(DEMO.centreDirector),
    env.as(DEMO.centreClerk),
    env.as(DEMO.centreStaff),
  ]);
  units = await unitIds(director);
  for (const [k, u] of Object.entries({ director: DEMO.director, staff: DEMO.staff, head: DEMO.head, centreDirector: DEMO.centreDirector }))
    ids[k] = await accountId(u);
});
afterAll(() => env?.close());

/** The leaders' meeting of the week, with the staff member and the centre's director taking part. */
function meeting(over: Partial<WorkScheduleEntryInput> = {}): WorkScheduleEntryInput {
  return {
    date: '2026-12-03',
    startTime: '08:00',
    endTime: '11:00',
    place: 'Phòng họp tầng 2, Sở Xây dựng',
    chairId: ids.director,
    content: 'Giao ban công tác tháng 12 và triển khai kế hoạch năm 2027',
    participantUnitIds: [units['QLHĐXD']],
    participantAccountIds: [ids.centreDirector],
    ...over,
  };
}

describe('the weekly work schedule, from draft to the participants', () => {
  let scheduleId: string;
  let invitationId: string;
  /** The staff member's stream from before the submission: what it delivers first shows what it skipped. */
  let staffFromDraft: ReturnType<typeof collect<Ev>>;

  it('the Office drafts it; nobody outside the Office and the director sees a draft; bad entries are refused and change nothing', async () => {
    const invitation = await receive(env, clerk, { documentTypeCode: 'GM', subject: 'Giấy mời họp giao ban tháng 12 của UBND tỉnh' });
    invitationId = invitation.id;
    // Another keeping unit's document: the Sở's clerk may not read it, so may not link it.
    const foreign = await receive(env, centreClerk, { subject: 'Văn bản riêng của Trung tâm' });

    // Who may not draft: a staff member outside the Office, the centre (for the Sở's week is its own), the administrator.
    expect(await staff.code(CreateWorkScheduleDocument, { week: WEEK, entries: [meeting()] })).toBe('FORBIDDEN');
    expect(await admin.code(CreateWorkScheduleDocument, { week: WEEK })).toBe('FORBIDDEN');
    expect(await admin.code(WeekScheduleDocument, { week: WEEK })).toBe('FORBIDDEN');
    // Bad weeks.
    expect(await clerk.code(CreateWorkScheduleDocument, { week: '2026-W54' })).toBe('BAD_USER_INPUT');
    expect(await clerk.code(CreateWorkScheduleDocument, { week: '2026-W48' })).toBe('BAD_USER_INPUT'); // already ended
    expect(await clerk.code(WeekScheduleDocument, { week: WEEK, date: '2026-12-01' })).toBe('BAD_USER_INPUT');
    // Bad entries: nothing is created.
    const bad: Array<[Partial<WorkScheduleEntryInput>, string, string]> = [
      [{ date: '2026-12-07' }, 'BAD_USER_INPUT', 'entries[0].date'],
      [{ startTime: '25:00' }, 'BAD_USER_INPUT', 'entries[0].startTime'],
      [{ endTime: '07:30' }, 'BAD_USER_INPUT', 'entries[0].endTime'],
      [{ place: '   ' }, 'BAD_USER_INPUT', 'entries[0].place'],
      [{ content: 'x'.repeat(2001) }, 'BAD_USER_INPUT', 'entries[0].content'],
      [{ participantAccountIds: [units['VP']] }, 'BAD_USER_INPUT', 'entries[0].participantAccountIds[0]'],
      [{ participantAccountIds: [ids.staff, ids.staff] }, 'BAD_USER_INPUT', 'entries[0].participantAccountIds'],
      [{ documents: [{ documentId: foreign.id, kind: 'INVITATION' }] }, 'NOT_FOUND', 'entries[0].documents[0].documentId'],
    ];
    for (const [over, code, field] of bad) {
      const r = await clerk.request(CreateWorkScheduleDocument, { week: WEEK, entries: [meeting(), meeting(over)].slice(1) });
      expect({ over, code: r.errors?.[0]?.extensions?.code, field: r.errors?.[0]?.extensions?.field }).toEqual({ over, code, field });
    }
    expect(await rowCount('work_schedule')).toBe(0);
    expect(await rowCount('work_schedule_entry')).toBe(0);

    const { createWorkSchedule } = await clerk.ok(CreateWorkScheduleDocument, {
      week: WEEK,
      entries: [
        meeting({ documents: [{ documentId: invitationId, kind: 'INVITATION' }] }),
        meeting({
          date: '2026-12-01',
          startTime: '14:00',
          endTime: null,
          content: 'Kiểm tra công trình trọng điểm',
          participantUnitIds: [],
          participantAccountIds: [],
        }),
      ],
    });
    scheduleId = createWorkSchedule.schedule.id;
    expect(createWorkSchedule).toMatchObject({
      number: 1,
      state: 'DRAFT',
      week: WEEK,
      schedule: { weekStart: '2026-11-30', weekEnd: '2026-12-06', keepingUnit: { shortName: 'SXD' } },
    });
    // Sorted by date and time, whatever order they were given in.
    expect(createWorkSchedule.entries.map((e) => [e.date, e.startTime])).toEqual([
      ['2026-12-01', '14:00'],
      ['2026-12-03', '08:00'],
    ]);
    expect(await clerk.code(CreateWorkScheduleDocument, { week: WEEK })).toBe('ALREADY_EXISTS');

    // A draft is the Office's and the director's.
    expect((await week(director)).workSchedule?.inProgress?.state).toBe('DRAFT');
    for (const c of [staff, head, centreDirector, centreStaff]) expect((await week(c)).workSchedule).toBeNull();
    expect((await staff.ok(ScheduleNodeDocument, { id: scheduleId })).node).toBeNull();
    expect(await staff.code(SaveWorkScheduleEntriesDocument, { scheduleId, entries: [meeting()] })).toBe('NOT_FOUND');
    expect(await director.code(SaveWorkScheduleEntriesDocument, { scheduleId, entries: [meeting()] })).toBe('FORBIDDEN');

    // A save with one bad entry among good ones keeps what was there.
    const before = await rowCount('work_schedule_entry');
    expect(await clerk.code(SaveWorkScheduleEntriesDocument, { scheduleId, entries: [meeting(), meeting({ date: '2026-12-08' })] })).toBe('BAD_USER_INPUT');
    expect(await rowCount('work_schedule_entry')).toBe(before);
    expect(await director.code(ApproveWorkScheduleDocument, { scheduleId })).toBe('INVALID_TRANSITION');
  });

  it('submitted, returned with a reason, submitted again; only the Office and the director hear of it', async () => {
    const { routingEventsCursor } = await week(staff);
    staffFromDraft = collect<Ev>(env.ws(staff.token), EVENTS, { after: routingEventsCursor });
    const directorSub = collect<Ev>(env.ws(director.token), EVENTS, { after: routingEventsCursor });

    expect(await staff.code(SubmitWorkScheduleDocument, { scheduleId })).toBe('NOT_FOUND');
    expect((await clerk.ok(SubmitWorkScheduleDocument, { scheduleId })).submitWorkSchedule.state).toBe('SUBMITTED');
    expect(await clerk.code(SaveWorkScheduleEntriesDocument, { scheduleId, entries: [meeting()] })).toBe('INVALID_TRANSITION');
    expect(await clerk.code(ReturnWorkScheduleDocument, { scheduleId, reason: 'Không' })).toBe('FORBIDDEN');
    expect(await director.code(ReturnWorkScheduleDocument, { scheduleId, reason: '  ' })).toBe('BAD_USER_INPUT');
    const { returnWorkSchedule } = await director.ok(ReturnWorkScheduleDocument, { scheduleId, reason: 'Bổ sung thành phần Thanh tra Sở.' });
    expect(returnWorkSchedule).toMatchObject({ state: 'RETURNED', returnReason: 'Bổ sung thành phần Thanh tra Sở.' });

    const current = (await week(clerk)).workSchedule!.inProgress!;
    const [inspection, meetingEntry] = current.entries;
    await clerk.ok(SaveWorkScheduleEntriesDocument, {
      scheduleId,
      entries: [
        {
          id: inspection.id,
          date: inspection.date,
          startTime: inspection.startTime,
          place: inspection.place,
          content: inspection.content,
          chairId: ids.director,
        },
        meeting({ id: meetingEntry.id, participantUnitIds: [units['QLHĐXD'], units['TTr']], documents: [{ documentId: invitationId, kind: 'INVITATION' }] }),
      ],
    });
    await clerk.ok(SubmitWorkScheduleDocument, { scheduleId });

    const seen = await directorSub.waitFor(3);
    expect(seen.map((e) => e.workScheduleChanged.type)).toEqual(['SUBMITTED', 'RETURNED', 'SUBMITTED']);
    expect(seen[1].workScheduleChanged.note).toBe('Bổ sung thành phần Thanh tra Sở.');
    directorSub.stop();
  });

  it('published: it reaches a participant live, and the agency and the participants see it; the linked invitation stays hidden from who may not read it', async () => {
    const { routingEventsCursor } = await week(staff);
    const staffSub = collect<Ev>(env.ws(staff.token), EVENTS, { after: routingEventsCursor });
    const centreDirectorSub = collect<Ev>(env.ws(centreDirector.token), EVENTS, { after: routingEventsCursor });
    const centreStaffSub = collect<Ev>(env.ws(centreStaff.token), EVENTS, { after: routingEventsCursor });

    expect(await clerk.code(ApproveWorkScheduleDocument, { scheduleId })).toBe('FORBIDDEN');
    expect(await centreDirector.code(ApproveWorkScheduleDocument, { scheduleId })).toBe('NOT_FOUND');
    const { approveWorkSchedule } = await director.ok(ApproveWorkScheduleDocument, { scheduleId });
    expect(approveWorkSchedule).toMatchObject({ number: 1, state: 'PUBLISHED', approvedBy: { username: DEMO.director }, changes: [] });

    const [published] = await staffSub.waitFor(1);
    // The stream from before the submission delivers the publication first: the drafting steps never reached the staff member.
    expect((await staffFromDraft.waitFor(1))[0].workScheduleChanged.type).toBe('PUBLISHED');
    staffFromDraft.stop();
    expect(published.workScheduleChanged).toMatchObject({ type: 'PUBLISHED', schedule: { id: scheduleId, week: WEEK }, version: { number: 1 } });
    // The invitation is the clerk's and the director's to read, not the staff member's: no subject of it reaches them.
    const linked = published.workScheduleChanged.version.entries.find((e) => e.documents.length)!;
    expect(linked.documents).toEqual([{ document: null }].map((d) => ({ ...d, kind: 'INVITATION' })));
    expect(JSON.stringify(published)).not.toContain('Giấy mời họp giao ban');
    // A participant from the centre hears of it too.
    expect((await centreDirectorSub.waitFor(1))[0].workScheduleChanged.type).toBe('PUBLISHED');

    // The week view: everyone of the agency, by week or by date.
    for (const c of [staff, head, clerk, director]) {
      const v = (await week(c, { date: '2026-12-05' })).workSchedule!;
      expect(v.published).toMatchObject({ number: 1, state: 'PUBLISHED' });
      expect(v.published!.entries.map((e) => e.startTime)).toEqual(['14:00', '08:00']);
    }
    const forDirector = (await week(director)).workSchedule!.published!;
    expect(forDirector.entries[1].documents[0].document?.subject).toBe('Giấy mời họp giao ban tháng 12 của UBND tỉnh');
    expect((await week(staff)).workSchedule!.inProgress).toBeNull();
    // The centre's director takes part: reads it by naming the agency; the centre's staff does not.
    expect((await week(centreDirector, { week: WEEK, unitId: units['SXD'] })).workSchedule?.published?.number).toBe(1);
    expect((await week(centreStaff, { week: WEEK, unitId: units['SXD'] })).workSchedule).toBeNull();
    expect(await centreStaff.code(WeekScheduleDocument, { week: WEEK, unitId: units['QLHĐXD'] })).toBe('BAD_USER_INPUT');

    // The centre publishes its own week: its staff hears of that one, and never heard of the Sở's.
    const centre = await centreClerk.ok(CreateWorkScheduleDocument, {
      week: WEEK,
      entries: [{ date: '2026-12-02', startTime: '07:30', place: 'Trung tâm', content: 'Kiểm định công trình nhà ở xã hội' }],
    });
    await centreClerk.ok(SubmitWorkScheduleDocument, { scheduleId: centre.createWorkSchedule.schedule.id });
    await centreDirector.ok(ApproveWorkScheduleDocument, { scheduleId: centre.createWorkSchedule.schedule.id });
    const got = await centreStaffSub.waitFor(1);
    expect(got.map((e) => [e.workScheduleChanged.type, e.workScheduleChanged.schedule.keepingUnit.shortName])).toEqual([['PUBLISHED', 'TTQHKĐ']]);
    // The Sở's staff member is not a reader of the centre's schedule.
    expect((await week(staff, { week: WEEK, unitId: units['TTQHKĐ'] })).workSchedule).toBeNull();
    for (const s of [staffSub, centreDirectorSub, centreStaffSub]) s.stop();
  });

  it('a change after publication is a new version, with its change list, announced live', async () => {
    const { routingEventsCursor } = await week(staff);
    const staffSub = collect<Ev>(env.ws(staff.token), EVENTS, { after: routingEventsCursor });

    expect(await clerk.code(ReviseWorkScheduleDocument, { scheduleId, reason: '' })).toBe('BAD_USER_INPUT');
    expect(await staff.code(ReviseWorkScheduleDocument, { scheduleId, reason: 'Đổi giờ' })).toBe('FORBIDDEN');
    const { reviseWorkSchedule } = await clerk.ok(ReviseWorkScheduleDocument, { scheduleId, reason: 'Lãnh đạo Sở dự họp tại UBND tỉnh sáng thứ Năm.' });
    expect(reviseWorkSchedule).toMatchObject({ number: 2, state: 'DRAFT', changes: [] });
    expect(await clerk.code(ReviseWorkScheduleDocument, { scheduleId, reason: 'Lần nữa' })).toBe('INVALID_TRANSITION');

    const [inspection, meetingEntry] = reviseWorkSchedule.entries;
    await clerk.ok(SaveWorkScheduleEntriesDocument, {
      scheduleId,
      entries: [
        meeting({ id: meetingEntry.id, startTime: '14:00', endTime: '16:30', participantUnitIds: [units['QLHĐXD'], units['TTr']] }),
        { date: '2026-12-04', startTime: '08:00', place: 'UBND tỉnh', content: 'Dự họp UBND tỉnh về quy hoạch chung', chairId: ids.director },
      ],
    });
    // While the revision is prepared, the published version stays in force for everyone.
    expect((await week(staff)).workSchedule!.published!.number).toBe(1);
    await clerk.ok(SubmitWorkScheduleDocument, { scheduleId });
    const { approveWorkSchedule } = await director.ok(ApproveWorkScheduleDocument, { scheduleId });
    expect(approveWorkSchedule).toMatchObject({
      number: 2,
      state: 'PUBLISHED',
      previousNumber: 1,
      revisionNote: 'Lãnh đạo Sở dự họp tại UBND tỉnh sáng thứ Năm.',
    });

    const [revised] = await staffSub.waitFor(1);
    expect(revised.workScheduleChanged).toMatchObject({ type: 'REVISED', note: 'Lãnh đạo Sở dự họp tại UBND tỉnh sáng thứ Năm.', version: { number: 2 } });
    const kinds = revised.workScheduleChanged.version.changes.map((c) => [c.kind, c.fields]).sort();
    expect(kinds).toEqual([
      ['ADDED', []],
      ['CHANGED', ['startTime', 'endTime', 'documents']],
      ['REMOVED', []],
    ]);
    expect(inspection.content).toBe('Kiểm tra công trình trọng điểm');

    const view = (await week(staff)).workSchedule!;
    expect(view.published).toMatchObject({ number: 2, previousNumber: 1 });
    expect(view.versions).toEqual([
      { number: 1, state: 'SUPERSEDED' },
      { number: 2, state: 'PUBLISHED' },
    ]);
    const removed = view.published!.changes.find((c) => c.kind === 'REMOVED')!;
    expect(removed).toMatchObject({ entry: null, previousEntry: { content: 'Kiểm tra công trình trọng điểm' } });
    // The event history cannot be rewritten by the server's role.
    await expect(env.sql(`set role vpdt_app; delete from work_schedule_event`).finally(() => env.sql('reset role'))).rejects.toThrow(/permission denied/);
    // Not even by the owner of the tables: the history's trigger refuses.
    const events = await rowCount('work_schedule_event');
    await expect(env.sql(`update work_schedule_event set note = 'réécrit'`)).rejects.toThrow();
    await expect(env.sql(`delete from work_schedule_event`)).rejects.toThrow();
    expect(await rowCount('work_schedule_event')).toBe(events);
    expect(events).toBeGreaterThanOrEqual(5);
    staffSub.stop();
  });

  it('who drafts is a rule an administrator can change', async () => {
    expect(await head.code(ReviseWorkScheduleDocument, { scheduleId, reason: 'Thử' })).toBe('FORBIDDEN');
    await admin.ok(AddPermissionRuleDocument, {
      input: { role: 'HEAD', action: 'revise', subject: 'WorkSchedule', condition: 'OWN_KEEPING_UNIT', reason: 'Trưởng phòng được điều chỉnh lịch công tác' },
    });
    await admin.ok(AddPermissionRuleDocument, {
      input: { role: 'HEAD', action: 'read', subject: 'WorkSchedule', condition: 'OWN_KEEPING_UNIT', reason: 'Trưởng phòng được xem dự thảo lịch công tác' },
    });
    expect((await head.ok(ReviseWorkScheduleDocument, { scheduleId, reason: 'Thử quyền mới' })).reviseWorkSchedule).toMatchObject({
      number: 3,
      state: 'DRAFT',
    });
    // The administrator may not give itself the schedule (separation of duties).
    expect(
      await admin.code(AddPermissionRuleDocument, {
        input: { role: 'SYSADMIN', action: 'read', subject: 'WorkSchedule', condition: 'ANY', reason: 'Không được' },
      }),
    ).toBe('GRANT_REFUSED');
  });
  it('another agency never sees, acts on, or hears of the schedule, and takes no part in it', async () => {
    const agencyB = (
      await admin.ok(CreateUnitDocument, { input: { name: 'Sở Giao thông vận tải tỉnh Bình Định', shortName: 'SGTVT', kind: 'AGENCY', code: '000.00.09.H08' } })
    ).createUnit.id;
    const person = async (username: string, roles: Array<'DIRECTOR' | 'CLERK' | 'STAFF'>) => {
      const { createAccount } = await admin.ok(CreateAccountDocument, { input: { username, fullName: 'Người Sở Khác', unitId: agencyB, roles } });
      const c = env.client();
      c.token = (await c.ok(LoginDocument, { username, password: createAccount.initialPassword! })).login.token;
      await c.ok(ChangePasswordDocument, { currentPassword: createAccount.initialPassword!, newPassword: 'Mat-khau-moi-2026' });
      return { client: c, id: createAccount.account.id };
    };
    const directorB = await person('giamdoc@sgtvt.binhdinh.gov.vn', ['DIRECTOR']);
    const clerkB = await person('vanthu@sgtvt.binhdinh.gov.vn', ['CLERK', 'STAFF']);

    expect((await week(directorB.client, { week: WEEK, unitId: units['SXD'] })).workSchedule).toBeNull();
    expect((await directorB.client.ok(ScheduleNodeDocument, { id: scheduleId })).node).toBeNull();
    expect(await directorB.client.code(ApproveWorkScheduleDocument, { scheduleId })).toBe('NOT_FOUND');
    expect(await clerkB.client.code(SaveWorkScheduleEntriesDocument, { scheduleId, entries: [meeting()] })).toBe('NOT_FOUND');
    // The Sở's clerk cannot call a person of another agency to its meetings.
    const r = await clerk.request(SaveWorkScheduleEntriesDocument, { scheduleId, entries: [meeting({ participantAccountIds: [directorB.id] })] });
    expect([r.errors?.[0]?.extensions?.code, r.errors?.[0]?.extensions?.field]).toEqual(['NOT_FOUND', 'entries[0].participantAccountIds[0]']);

    // The Sở publishes its revision; the other agency's stream skips it and delivers its own schedule first.
    const { routingEventsCursor } = await week(directorB.client);
    const subB = collect<Ev>(env.ws(directorB.client.token), EVENTS, { after: routingEventsCursor });
    await clerk.ok(SubmitWorkScheduleDocument, { scheduleId });
    expect((await director.ok(ApproveWorkScheduleDocument, { scheduleId })).approveWorkSchedule).toMatchObject({ number: 3, state: 'PUBLISHED' });
    const own = await clerkB.client.ok(CreateWorkScheduleDocument, {
      week: WEEK,
      entries: [{ date: '2026-12-02', startTime: '09:00', place: 'Sở GTVT', content: 'Họp an toàn giao thông' }],
    });
    await clerkB.client.ok(SubmitWorkScheduleDocument, { scheduleId: own.createWorkSchedule.schedule.id });
    const [first] = await subB.waitFor(1);
    expect([first.workScheduleChanged.type, first.workScheduleChanged.schedule.keepingUnit.shortName]).toEqual(['SUBMITTED', 'SGTVT']);
    subB.stop();
    // Its own week is its own: the Sở's clerk does not see it.
    expect((await week(clerk, { week: WEEK, unitId: agencyB })).workSchedule).toBeNull();
  });
});
