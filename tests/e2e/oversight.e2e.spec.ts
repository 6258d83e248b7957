import {
  AccountsDocument,
  AssignDocumentDocument,
  BacklogDocument,
  CompleteAssignmentDocument,
  MeDocument,
  MissedCheckInsDocument,
  SubmitDocumentsDocument,
  UsageReportDocument,
} from '../generated/graphql';
import { receive, unitIds } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type TestEnv } from '../helpers/env';

let env: TestEnv;
let units: Record<string, string>;
let staffId: string;

/** Office time (UTC+7) → the instant. */
const at = (local: string) => new Date(`${local}+07:00`);
async function as(username: string, local: string) {
  env.clock.set(at(local));
  return env.as(username);
}

/** Receives, registers and submits at `local`, then the director assigns the lead with `deadline`. */
async function assigned(local: string, lead: { accountId?: string; unitId?: string }, deadline: string) {
  const clerk = await as(DEMO.clerk, local);
  const d = await receive(env, clerk, { registerNow: true, issuedDate: '2026-11-02' });
  await clerk.ok(SubmitDocumentsDocument, { ids: [d.id] });
  const director = await env.as(DEMO.director);
  const { assignDocument } = await director.ok(AssignDocumentDocument, { id: d.id, input: { instruction: 'Xử lý.', lead: { ...lead, deadline } } });
  return assignDocument.assignments[0].id;
}

async function complete(assignmentId: string, local: string) {
  const staff = await as(DEMO.staff, local);
  await staff.ok(CompleteAssignmentDocument, { assignmentId, input: { result: 'Xong.' } });
}

beforeAll(async () => {
  env = await startTestEnv();
  const director = await as(DEMO.director, '2026-11-02T08:00:00');
  units = await unitIds(director);
  staffId = (await director.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
  // A fixed history, counted by hand below.
  await assigned('2026-11-10T08:00:00', { accountId: staffId }, '2026-11-20'); // 1: open, overdue on 26/11
  await assigned('2026-11-10T08:10:00', { accountId: staffId }, '2026-11-30'); // 2: open, due within 2 working days of Thu 26/11
  await assigned('2026-11-10T08:20:00', { unitId: units['QLHĐXD'] }, '2026-12-20'); // 3: open, with the department
  const a4 = await assigned('2026-11-11T08:00:00', { accountId: staffId }, '2026-12-10'); // 4: done in 24 h, on time
  await complete(a4, '2026-11-12T08:00:00');
  // 5: done in 72 h on Sunday 15/11, late for Friday 13/11 (a Saturday deadline would run to Monday: tests/e2e/working-days).
  const a5 = await assigned('2026-11-12T08:00:00', { accountId: staffId }, '2026-11-13');
  await complete(a5, '2026-11-15T08:00:00');
  // 6: registered on 25/11 at 08:00 and not submitted by the 15:00 cut-off; 7: registered today after the last cut-off.
  await receive(env, await as(DEMO.clerk, '2026-11-25T08:00:00'), { registerNow: true, issuedDate: '2026-11-02' });
  await receive(env, await as(DEMO.clerk, '2026-11-26T08:20:00'), { registerNow: true, issuedDate: '2026-11-02' });
});
afterAll(() => env?.close());

describe('backlog on Thursday 26/11/2026 at 08:30', () => {
  it('counts per unit and per person what waits, is due soon, is overdue, and what the clerk has not submitted past the cut-off', async () => {
    const director = await as(DEMO.director, '2026-11-26T08:30:00');
    const { backlog } = await director.ok(BacklogDocument, {});
    const unit = (s: string) => backlog.units.find((u) => u.unit.shortName === s);
    expect(unit('QLHĐXD')).toEqual({ unit: { shortName: 'QLHĐXD' }, waiting: 3, dueSoon: 1, overdue: 1, notSubmittedPastCutoff: 0 });
    expect(unit('SXD')).toEqual({ unit: { shortName: 'SXD' }, waiting: 0, dueSoon: 0, overdue: 0, notSubmittedPastCutoff: 1 });
    expect(backlog.people.find((p) => p.account.username === DEMO.staff)).toEqual({ account: { username: DEMO.staff }, waiting: 2, dueSoon: 1, overdue: 1 });
    // The agency's director sees the whole agency, the centres included (Điều 7.2).
    expect(backlog.units.some((u) => u.unit.shortName === 'TTQHKĐ')).toBe(true);
  });

  it('shows heads their department and staff themselves only', async () => {
    const head = await as(DEMO.head, '2026-11-26T08:30:00');
    const h = (await head.ok(BacklogDocument, {})).backlog;
    expect(h.units.map((u) => u.unit.shortName)).toEqual(['QLHĐXD']);
    const staff = await env.as(DEMO.staff);
    const s = (await staff.ok(BacklogDocument, {})).backlog;
    expect(s.units).toEqual([]);
    expect(s.people).toEqual([{ account: { username: DEMO.staff }, waiting: 2, dueSoon: 1, overdue: 1 }]);
    expect(await staff.code(BacklogDocument, { unitId: units['SXD'] })).toBe('FORBIDDEN');
  });
});

describe('the yearly usage report (Điều 11)', () => {
  it('counts received, assigned, on time, late, open, overdue and the median processing time', async () => {
    const director = await as(DEMO.director, '2026-11-26T08:30:00');
    const { usageReport } = await director.ok(UsageReportDocument, { year: 2026 });
    expect(usageReport.units.find((u) => u.unit.shortName === 'SXD')).toMatchObject({ received: 7, assigned: 0 });
    expect(usageReport.units.find((u) => u.unit.shortName === 'QLHĐXD')).toEqual({
      unit: { shortName: 'QLHĐXD' },
      received: 0,
      assigned: 5,
      completedOnTime: 1,
      completedLate: 1,
      stillOpen: 3,
      overdue: 1,
      draftsIssued: 0,
      medianProcessingHours: 48,
    });
    expect(usageReport.people.find((p) => p.account.username === DEMO.staff)).toEqual({
      account: { username: DEMO.staff },
      received: 4,
      assigned: 4,
      completedOnTime: 1,
      completedLate: 1,
      stillOpen: 2,
      overdue: 1,
      draftsIssued: 0,
      medianProcessingHours: 48,
    });
    expect((await director.ok(UsageReportDocument, { year: 2025 })).usageReport.units.every((u) => u.assigned === 0 && u.received === 0)).toBe(true);
  });

  it('is given to SYSADMIN as figures, and as CSV for the annual assessment', async () => {
    const admin = await as(ADMIN_USERNAME, '2026-11-26T08:30:00');
    const { usageReport } = await admin.ok(UsageReportDocument, { year: 2026 });
    expect(usageReport.units.find((u) => u.unit.shortName === 'QLHĐXD')?.assigned).toBe(5);
    const res = await fetch(env.server.url.replace('/graphql', '/reports/usage.csv?year=2026'), { headers: { authorization: `Bearer ${admin.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const lines = (await res.text())
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'kind,name,unit,received,assigned,completed_on_time,completed_late,still_open,overdue,' +
        'drafts_created,drafts_issued,check_in_days,visits,median_processing_hours,incidents_reported',
    );
    const department = lines.find((l) => l.startsWith('unit,Phòng Quản lý hoạt động xây dựng,'));
    expect(department).toMatch(/^unit,Phòng Quản lý hoạt động xây dựng,QLHĐXD,0,5,1,1,3,1,0,0,\d+,\d+,48,0$/);
    expect(lines.find((l) => l.includes(DEMO.staff))).toMatch(/,4,4,1,1,2,1,0,0,\d+,\d+,48,0$/);
    const bad = await fetch(env.server.url.replace('/graphql', '/reports/usage.csv?year=abc'), { headers: { authorization: `Bearer ${admin.token}` } });
    expect(bad.status).toBe(400);
    expect((await fetch(env.server.url.replace('/graphql', '/reports/usage.csv?year=2026'))).status).toBe(401);
  });
});

describe('daily check-ins (Điều 10.2)', () => {
  it('lists who used the system fewer than twice on a working day', async () => {
    // Friday 27/11: the staff member comes in the morning and again after lunch; the head only once.
    const morning = await as(DEMO.staff, '2026-11-27T08:00:00');
    await morning.ok(MeDocument);
    env.clock.set(at('2026-11-27T13:30:00'));
    await morning.ok(MeDocument);
    const head = await as(DEMO.head, '2026-11-27T09:00:00');
    await head.ok(MeDocument);
    env.clock.set(at('2026-11-27T09:30:00'));
    await head.ok(MeDocument);
    const director = await as(DEMO.director, '2026-11-30T08:30:00');
    const gaps = (await director.ok(MissedCheckInsDocument, { date: '2026-11-27', unitId: units['QLHĐXD'] })).missedCheckIns;
    expect(gaps).toEqual([{ account: { username: DEMO.head }, visits: 1 }]);
    // Nobody is listed for a Sunday.
    expect((await director.ok(MissedCheckInsDocument, { date: '2026-11-22' })).missedCheckIns).toEqual([]);
  });
});
