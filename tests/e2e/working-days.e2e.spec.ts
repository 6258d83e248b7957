import {
  AccountsDocument,
  AssignDocumentDocument,
  BacklogFiguresDocument,
  CheckInSessionsDocument,
  CompleteAssignmentDocument,
  DueWorkDocument,
  MeDocument,
  OfficeDaysDocument,
  RecordOfficeDayDocument,
  RemoveOfficeDayDocument,
  SubmitDocumentsDocument,
  UsageReportDocument,
} from '../generated/graphql';
import { receive, unitIds } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';

let env: TestEnv;
let units: Record<string, string>;
let staffId: string;

/** Office time (UTC+7) → the instant. */
const at = (local: string) => new Date(`${local}+07:00`);
/** Signs in as `username` with the clock at `local` (tokens live 8 hours, so every jump signs in again). */
async function as(username: string, local: string): Promise<ApiClient> {
  env.clock.set(at(local));
  return env.as(username);
}

/** A registered incoming document, received and registered at `local`. */
async function registered(local: string, issuedDate: string) {
  return receive(env, await as(DEMO.clerk, local), { registerNow: true, issuedDate });
}

/** Registered, submitted and directed at `local` to the staff member as lead, with `deadline`. */
async function assigned(local: string, deadline: string): Promise<{ documentId: string; assignmentId: string }> {
  const doc = await registered(local, local.slice(0, 10));
  const clerk = await env.as(DEMO.clerk);
  await clerk.ok(SubmitDocumentsDocument, { ids: [doc.id] });
  const director = await env.as(DEMO.director);
  const { assignDocument } = await director.ok(AssignDocumentDocument, {
    id: doc.id,
    input: { instruction: 'Xử lý.', lead: { accountId: staffId, deadline } },
  });
  return { documentId: doc.id, assignmentId: assignDocument.assignments[0].id };
}

const ids = (c: { edges: Array<{ node: { id: string } }> }) => c.edges.map((e) => e.node.id);

beforeAll(async () => {
  env = await startTestEnv();
  const director = await as(DEMO.director, '2026-04-20T08:00:00');
  units = await unitIds(director);
  staffId = (await director.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
});
afterAll(() => env?.close());

describe('the working calendar as data', () => {
  it('lists the recorded days of a year to everyone, and only the SYSADMIN changes them', async () => {
    const staff = await as(DEMO.staff, '2026-04-20T08:00:00');
    const days = (await staff.ok(OfficeDaysDocument, { year: 2026 })).officeDays;
    expect(days).toContainEqual({ date: '2026-02-17', kind: 'HOLIDAY', name: 'Tết Nguyên đán Bính Ngọ (mùng 1)' });
    expect(days).toContainEqual({ date: '2026-04-27', kind: 'COMPENSATORY_DAY_OFF', name: expect.stringContaining('Giỗ Tổ') });
    expect(days).toContainEqual({ date: '2026-01-10', kind: 'COMPENSATORY_WORKDAY', name: expect.any(String) });
    expect(days.map((d) => d.date)).toEqual([...days.map((d) => d.date)].sort());
    expect((await staff.ok(OfficeDaysDocument, { year: 2027 })).officeDays.map((d) => d.date)).toContain('2027-02-06');

    const input = { date: '2026-11-20', kind: 'HOLIDAY' as const, name: 'Ngày Nhà giáo (thử)' };
    expect(await staff.code(RecordOfficeDayDocument, { input })).toBe('FORBIDDEN');
    expect(await (await env.as(DEMO.director)).code(RecordOfficeDayDocument, { input })).toBe('FORBIDDEN');
    expect(await staff.code(RemoveOfficeDayDocument, { date: '2026-04-30' })).toBe('FORBIDDEN');
    const admin = await env.as(ADMIN_USERNAME);
    expect(await admin.code(RecordOfficeDayDocument, { input: { ...input, kind: 'COMPENSATORY_WORKDAY' } })).toBe('BAD_USER_INPUT'); // a Friday
    const saturdayOff = { ...input, date: '2026-11-21', kind: 'COMPENSATORY_DAY_OFF' as const };
    expect(await admin.code(RecordOfficeDayDocument, { input: saturdayOff })).toBe('BAD_USER_INPUT'); // a Saturday
    expect(await admin.code(RecordOfficeDayDocument, { input: { ...input, name: '   ' } })).toBe('BAD_USER_INPUT');
    expect(await admin.code(RecordOfficeDayDocument, { input: { ...input, date: '2026-02-30' } })).toBe('BAD_USER_INPUT');
    expect(await admin.code(RemoveOfficeDayDocument, { date: '2026-11-20' })).toBe('NOT_FOUND');
    // Nothing of that was recorded.
    expect((await staff.ok(OfficeDaysDocument, { year: 2026 })).officeDays).toEqual(days);
    expect(await env.sql(`select 1 from office_day_change`)).toEqual([]);
    expect(await staff.code(OfficeDaysDocument, { year: 20260 })).toBe('BAD_USER_INPUT');
  });
});

describe('cut-offs and deadlines across the 30/4 – 1/5 holidays of 2026', () => {
  let beforeHoliday: { documentId: string }, onHoliday: { documentId: string }, lateRegistration: { id: string };

  beforeAll(async () => {
    // Wednesday 29/4, 09:30: one deadline that day, one on the holiday 30/4.
    beforeHoliday = await assigned('2026-04-29T09:30:00', '2026-04-29');
    onHoliday = await assigned('2026-04-29T09:40:00', '2026-04-30');
    // Registered on Wednesday after the 15:00 cut-off; the next cut-off is Monday 4/5 at 9:00.
    lateRegistration = await registered('2026-04-29T16:00:00', '2026-04-29');
  });

  it('on Monday 4/5 at 08:00: a deadline on the holiday ends today, Wednesday’s is overdue, the Wednesday-evening registration is not late', async () => {
    const staff = await as(DEMO.staff, '2026-05-04T08:00:00');
    const due = await staff.ok(DueWorkDocument);
    expect(ids(due.overdue)).toContain(beforeHoliday.documentId);
    expect(ids(due.overdue)).not.toContain(onHoliday.documentId);
    expect(ids(due.dueSoon)).toContain(onHoliday.documentId);
    const clerk = await env.as(DEMO.clerk);
    const toSubmit = (await clerk.ok(DueWorkDocument)).toSubmit.edges.map((e) => e.node);
    expect(toSubmit).toContainEqual({ id: lateRegistration.id, submissionOverdue: false });
    const director = await env.as(DEMO.director);
    expect((await director.ok(BacklogFiguresDocument)).backlog.units.find((u) => u.unit.shortName === 'SXD')?.notSubmittedPastCutoff).toBe(0);
  });

  it('at 09:00 on Monday 4/5 the registration is late; on Tuesday 5/5 the holiday deadline is overdue', async () => {
    const clerk = await as(DEMO.clerk, '2026-05-04T09:00:00');
    expect((await clerk.ok(DueWorkDocument)).toSubmit.edges.map((e) => e.node)).toContainEqual({ id: lateRegistration.id, submissionOverdue: true });
    const director = await env.as(DEMO.director);
    expect((await director.ok(BacklogFiguresDocument)).backlog.units.find((u) => u.unit.shortName === 'SXD')?.notSubmittedPastCutoff).toBe(1);
    const staff = await as(DEMO.staff, '2026-05-05T08:00:00');
    expect(ids((await staff.ok(DueWorkDocument)).overdue)).toEqual(expect.arrayContaining([beforeHoliday.documentId, onHoliday.documentId]));
    // Submitting clears it, so the next scenarios start with nothing waiting for the director.
    await (await env.as(DEMO.clerk)).ok(SubmitDocumentsDocument, { ids: [lateRegistration.id] });
  });
});

describe('from Friday to Monday (27 – 30 November 2026)', () => {
  let friday: { documentId: string; assignmentId: string }, saturday: { documentId: string; assignmentId: string };
  let afternoon: { id: string }, beforeCutoff: { id: string };
  const staffFigures = async (c: ApiClient) => (await c.ok(BacklogFiguresDocument)).backlog.people.find((p) => p.account.username === DEMO.staff);

  beforeAll(async () => {
    friday = await assigned('2026-11-26T09:30:00', '2026-11-27');
    saturday = await assigned('2026-11-26T09:40:00', '2026-11-28');
    beforeCutoff = await registered('2026-11-27T14:00:00', '2026-11-27');
    afternoon = await registered('2026-11-27T16:00:00', '2026-11-27');
  });

  it('a document registered on Friday afternoon is not late at 08:00 on Monday; one registered before Friday’s 15:00 is', async () => {
    const clerk = await as(DEMO.clerk, '2026-11-30T08:00:00');
    const toSubmit = (await clerk.ok(DueWorkDocument)).toSubmit.edges.map((e) => e.node);
    expect(toSubmit).toContainEqual({ id: afternoon.id, submissionOverdue: false });
    expect(toSubmit).toContainEqual({ id: beforeCutoff.id, submissionOverdue: true });
    const director = await env.as(DEMO.director);
    expect((await director.ok(BacklogFiguresDocument)).backlog.units.find((u) => u.unit.shortName === 'SXD')?.notSubmittedPastCutoff).toBe(1);
    env.clock.set(at('2026-11-30T09:00:00'));
    expect((await clerk.ok(DueWorkDocument)).toSubmit.edges.map((e) => e.node)).toContainEqual({ id: afternoon.id, submissionOverdue: true });
    expect((await director.ok(BacklogFiguresDocument)).backlog.units.find((u) => u.unit.shortName === 'SXD')?.notSubmittedPastCutoff).toBe(2);
  });

  it('on Monday a Friday deadline is overdue and a Saturday one is due today, in the inbox and in the backlog alike', async () => {
    const onFriday = await as(DEMO.staff, '2026-11-27T08:00:00');
    const fri = await onFriday.ok(DueWorkDocument);
    expect(ids(fri.dueSoon)).toEqual(expect.arrayContaining([friday.documentId, saturday.documentId]));
    expect(ids(fri.overdue)).not.toContain(friday.documentId);

    const staff = await as(DEMO.staff, '2026-11-30T08:00:00');
    const due = await staff.ok(DueWorkDocument);
    expect(ids(due.overdue)).toContain(friday.documentId);
    expect(ids(due.overdue)).not.toContain(saturday.documentId);
    expect(ids(due.dueSoon)).toContain(saturday.documentId);
    const before = await staffFigures(staff);
    expect(due.inboxCounts.OVERDUE).toBe(before?.overdue);
    expect(due.inboxCounts.DUE_SOON).toBe(before?.dueSoon);
  });

  it('a day off the SYSADMIN records is in force on the next request on every server process', async () => {
    const peer = await env.startPeer();
    try {
      // Tuesday 1/12: the Saturday deadline ran to Monday and is overdue now.
      const onPeer = peer.client((await as(DEMO.staff, '2026-12-01T08:00:00')).token);
      expect(ids((await onPeer.ok(DueWorkDocument)).overdue)).toContain(saturday.documentId);
      const admin = await env.as(ADMIN_USERNAME);
      await admin.ok(RecordOfficeDayDocument, { input: { date: '2026-11-30', kind: 'COMPENSATORY_DAY_OFF', name: 'Nghỉ bù (thử)' } });
      // Monday 30/11 is now a day off: the Saturday deadline runs to Tuesday, due today.
      const after = await onPeer.ok(DueWorkDocument);
      expect(ids(after.overdue)).not.toContain(saturday.documentId);
      expect(ids(after.dueSoon)).toContain(saturday.documentId);
      expect(await env.sql(`select change, kind from office_day_change`)).toEqual([{ change: 'RECORDED', kind: 'COMPENSATORY_DAY_OFF' }]);
      await admin.ok(RemoveOfficeDayDocument, { date: '2026-11-30' });
      expect(ids((await onPeer.ok(DueWorkDocument)).overdue)).toContain(saturday.documentId);
      // The calendar's history is append-only for the server.
      expect(
        await env.sql(
          `select p, has_table_privilege('vpdt_app', 'office_day_change', p) as has from unnest(array['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) p`,
        ),
      ).toEqual([
        { p: 'INSERT', has: true },
        { p: 'UPDATE', has: false },
        { p: 'DELETE', has: false },
        { p: 'TRUNCATE', has: false },
      ]);
    } finally {
      await peer.close();
    }
  });

  it('the usage report counts a Saturday deadline completed on Monday as on time, a Friday one as late', async () => {
    const staff = await as(DEMO.staff, '2026-11-30T10:00:00');
    await staff.ok(CompleteAssignmentDocument, { assignmentId: saturday.assignmentId, input: { result: 'Xong.' } });
    await staff.ok(CompleteAssignmentDocument, { assignmentId: friday.assignmentId, input: { result: 'Xong.' } });
    const director = await env.as(DEMO.director);
    const me = (await director.ok(UsageReportDocument, { year: 2026 })).usageReport.people.find((p) => p.account.username === DEMO.staff);
    // The April assignments: 29/4 done never (still open, overdue); the holiday one likewise.
    expect(me).toMatchObject({ completedOnTime: 1, completedLate: 1, stillOpen: 2, overdue: 2 });
  });
});

describe('check-ins (Điều 10.2): a morning and an afternoon session', () => {
  it('never lists someone active all day, lists someone seen only in the morning, and nobody on a day off', async () => {
    // Thursday 3/12/2026: the staff member works from 07:30 to 15:10 without an hour's break (one sign-in lasts 8 hours).
    const staff = await as(DEMO.staff, '2026-12-03T07:30:00');
    for (let minutes = 0; minutes <= 460; minutes += 20) {
      env.clock.set(new Date(at('2026-12-03T07:30:00').getTime() + minutes * 60_000));
      await staff.ok(MeDocument);
    }
    // The head comes in twice, hours apart — but both in the morning.
    const head = await as(DEMO.head, '2026-12-03T08:00:00');
    await head.ok(MeDocument);
    env.clock.set(at('2026-12-03T11:30:00'));
    await head.ok(MeDocument);
    const director = await as(DEMO.director, '2026-12-04T08:30:00');
    const gaps = (await director.ok(CheckInSessionsDocument, { date: '2026-12-03', unitId: units['QLHĐXD'] })).missedCheckIns;
    expect(gaps.map((g) => g.account.username)).not.toContain(DEMO.staff);
    expect(gaps).toContainEqual({ account: { username: DEMO.head }, visits: 1, morning: true, afternoon: false });
    // Holidays and compensatory days off have no check-ins; a worked Saturday does.
    expect((await director.ok(CheckInSessionsDocument, { date: '2026-04-30' })).missedCheckIns).toEqual([]);
    expect((await director.ok(CheckInSessionsDocument, { date: '2026-04-27' })).missedCheckIns).toEqual([]);
    const saturday = (await director.ok(CheckInSessionsDocument, { date: '2026-01-10', unitId: units['QLHĐXD'] })).missedCheckIns;
    expect(saturday).toContainEqual({ account: { username: DEMO.staff }, visits: 0, morning: false, afternoon: false });
    expect((await director.ok(CheckInSessionsDocument, { date: '2026-01-11' })).missedCheckIns).toEqual([]);
  });
});
