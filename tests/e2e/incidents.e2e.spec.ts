import {
  AccountsDocument,
  AssignDocumentDocument,
  ChangePasswordDocument,
  CreateAccountDocument,
  CreateUnitDocument,
  LoginDocument,
  CloseIncidentDocument,
  IncidentDocument,
  IncidentsDocument,
  IncidentSubjectDocument,
  ReportIncidentDocument,
  SubmitDocumentsDocument,
  UsageIncidentsByReporterDocument,
  UsageIncidentsDocument,
  WorkIncidentDocument,
} from '../generated/graphql';
import { receive, unitIds } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';

let env: TestEnv;
let staff: ApiClient, head: ApiClient, admin: ApiClient, sysadmin: ApiClient, director: ApiClient;
let units: Record<string, string>;
let readable: { id: string; subject: string; arrivalNumber: number | null };
let unreadable: { id: string };

const NOW = new Date('2026-11-26T02:00:00Z'); // Thursday 26/11/2026, 09:00 in Quy Nhơn
const SUBJECT = 'V/v thẩm định thiết kế cơ sở dự án nhà ở xã hội Nhơn Bình';
const count = async () => Number((await env.sql<{ n: string }>(`select count(*) as n from incident`))[0].n);

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(NOW);
  const clerk = await env.as(DEMO.clerk);
  [staff, head, admin, sysadmin, director] = await Promise.all([
    env.as(DEMO.staff),
    env.as(DEMO.head),
    env.as(ADMIN_USERNAME),
    env.as(DEMO.sysadmin),
    env.as(DEMO.director),
  ]);
  units = await unitIds(director);
  const staffId = (await director.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
  const doc = await receive(env, clerk, { registerNow: true, subject: SUBJECT });
  await clerk.ok(SubmitDocumentsDocument, { ids: [doc.id] });
  await director.ok(AssignDocumentDocument, { id: doc.id, input: { instruction: 'Xử lý.', lead: { accountId: staffId, deadline: '2026-12-10' } } });
  readable = { id: doc.id, subject: doc.subject, arrivalNumber: doc.arrivalNumber ?? null };
  unreadable = await receive(env, clerk, { registerNow: true, number: '55' });
});
afterAll(() => env?.close());

describe('an incident (Điều 10.4), from reported to closed', () => {
  it('is reported by any user, seen by them and by the SYSADMIN, worked with notes and closed — and then takes no further step', async () => {
    const input = {
      summary: 'Không mở được tệp đính kèm',
      details: 'Bấm tải về thì báo lỗi 500.',
      occurredAt: '2026-11-26T01:50:00.000Z',
      screen: 'Chi tiết văn bản đến',
      documentId: readable.id,
    };
    const { reportIncident: reported } = await staff.ok(ReportIncidentDocument, { input, idempotencyKey: 'incident-0001' });
    expect(reported).toMatchObject({
      summary: 'Không mở được tệp đính kèm',
      state: 'REPORTED',
      occurredAt: '2026-11-26T01:50:00.000Z',
      reportedAt: NOW.toISOString(),
      screen: 'Chi tiết văn bản đến',
      documentId: readable.id,
      documentReference: `Văn bản đến số ${readable.arrivalNumber}/2026`,
      reporter: { username: DEMO.staff },
      resolution: null,
      closedBy: null,
      history: [{ fromState: null, toState: 'REPORTED', note: null, actor: { username: DEMO.staff } }],
    });
    // The same key gives the same report back, not a second one.
    expect((await staff.ok(ReportIncidentDocument, { input, idempotencyKey: 'incident-0001' })).reportIncident.id).toBe(reported.id);
    expect(await count()).toBe(1);

    // The reporter sees it; a colleague does not.
    expect((await staff.ok(IncidentsDocument, {})).incidents.edges.map((e) => e.node.id)).toEqual([reported.id]);
    expect((await head.ok(IncidentsDocument, {})).incidents.totalCount).toBe(0);
    expect((await head.ok(IncidentDocument, { id: reported.id })).incident).toBeNull();

    // The SYSADMIN sees the agency's incidents and the document's reference, never its subject.
    const seen = await sysadmin.request(IncidentsDocument, { filter: { states: ['REPORTED'], year: 2026 } });
    expect(seen.data?.incidents.edges.map((e) => e.node.id)).toEqual([reported.id]);
    expect(JSON.stringify(seen)).not.toContain(SUBJECT.slice(0, 20));
    expect((await sysadmin.ok(IncidentSubjectDocument, { id: readable.id })).node).toBeNull();
    expect((await staff.ok(IncidentSubjectDocument, { id: readable.id })).node).toMatchObject({ subject: readable.subject });

    // Worked: IN_PROGRESS with notes, then closed with the resolution.
    const w1 = (await sysadmin.ok(WorkIncidentDocument, { id: reported.id, note: 'Đã tiếp nhận, kiểm tra kho tệp.' })).workIncident;
    expect(w1.state).toBe('IN_PROGRESS');
    env.clock.set(new Date(NOW.getTime() + 3_600_000));
    const w2 = (await sysadmin.ok(WorkIncidentDocument, { id: reported.id, note: 'Phối hợp Sở TT&TT kiểm tra máy chủ.' })).workIncident;
    expect(w2.state).toBe('IN_PROGRESS');
    const { closeIncident: closed } = await sysadmin.ok(CloseIncidentDocument, { id: reported.id, resolution: 'Đã khôi phục quyền đọc thư mục lưu tệp.' });
    expect(closed).toMatchObject({
      state: 'CLOSED',
      resolution: 'Đã khôi phục quyền đọc thư mục lưu tệp.',
      closedBy: { username: DEMO.sysadmin },
      closedAt: new Date(NOW.getTime() + 3_600_000).toISOString(),
    });
    expect(closed.history.map((h) => [h.fromState, h.toState, h.actor.username])).toEqual([
      [null, 'REPORTED', DEMO.staff],
      ['REPORTED', 'IN_PROGRESS', DEMO.sysadmin],
      ['IN_PROGRESS', 'IN_PROGRESS', DEMO.sysadmin],
      ['IN_PROGRESS', 'CLOSED', DEMO.sysadmin],
    ]);
    expect(closed.history[2].note).toBe('Phối hợp Sở TT&TT kiểm tra máy chủ.');
    // The reporter sees how it ended.
    expect((await staff.ok(IncidentDocument, { id: reported.id })).incident).toMatchObject({ state: 'CLOSED', resolution: closed.resolution });

    // A closed incident takes no further step, and the refusal changes nothing.
    const again = await sysadmin.request(CloseIncidentDocument, { id: reported.id, resolution: 'Lần nữa.' });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'INVALID_TRANSITION', from: 'CLOSED', to: 'CLOSED' });
    expect(await sysadmin.code(WorkIncidentDocument, { id: reported.id, note: 'Mở lại?' })).toBe('INVALID_TRANSITION');
    expect((await sysadmin.ok(IncidentDocument, { id: reported.id })).incident?.history).toHaveLength(4);
    env.clock.set(NOW);
  });

  it('is closed straight from REPORTED when nothing needs doing; the annual report counts the year’s incidents', async () => {
    const { reportIncident } = await head.ok(ReportIncidentDocument, { input: { summary: 'Trang tải chậm', occurredAt: NOW.toISOString() } });
    expect(reportIncident).toMatchObject({ documentId: null, documentReference: null, screen: null, details: null });
    expect((await admin.ok(CloseIncidentDocument, { id: reportIncident.id, resolution: 'Do mạng nội bộ, đã ổn định.' })).closeIncident.state).toBe('CLOSED');
    expect((await director.ok(UsageIncidentsDocument, { year: 2026 })).usageReport).toEqual({ year: 2026, incidents: 2 });
    expect((await sysadmin.ok(UsageIncidentsDocument, { year: 2026 })).usageReport.incidents).toBe(2);
    expect((await director.ok(UsageIncidentsDocument, { year: 2025 })).usageReport.incidents).toBe(0);
    // A staff member's report covers themselves; the head's department covers its people.
    expect((await staff.ok(UsageIncidentsDocument, { year: 2026 })).usageReport.incidents).toBe(1);
    expect((await head.ok(UsageIncidentsDocument, { year: 2026, unitId: units['QLHĐXD'] })).usageReport.incidents).toBe(2);
    expect((await sysadmin.ok(IncidentsDocument, { filter: { states: ['CLOSED'] } })).incidents.totalCount).toBe(2);
    // The CSV gives each unit and person the incidents reported from it or by them.
    const res = await fetch(env.server.url.replace('/graphql', '/reports/usage.csv?year=2026'), { headers: { authorization: `Bearer ${director.token}` } });
    const lines = (await res.text())
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    const column = lines[0].split(',').indexOf('incidents_reported');
    expect(column).toBe(lines[0].split(',').length - 1);
    const incidentsOf = (match: string) => lines.find((l) => l.includes(match))?.split(',')[column];
    expect(incidentsOf(`<${DEMO.staff}>`)).toBe('1');
    expect(incidentsOf(`<${DEMO.head}>`)).toBe('1');
    expect(incidentsOf(`<${DEMO.director}>`)).toBe('0');
    expect(incidentsOf(',QLHĐXD,')).toBe('2');
    // The same figures through GraphQL.
    const { usageReport } = await director.ok(UsageIncidentsByReporterDocument, { year: 2026 });
    expect(usageReport.people.find((p) => p.account.username === DEMO.staff)?.incidentsReported).toBe(1);
    expect(usageReport.people.find((p) => p.account.username === DEMO.director)?.incidentsReported).toBe(0);
    expect(usageReport.units.find((u) => u.unit.shortName === 'QLHĐXD')?.incidentsReported).toBe(2);
  });
});

describe('refusals', () => {
  it('only the SYSADMIN works and closes; a document must be one the reporter may read; bad input stores nothing', async () => {
    const { reportIncident } = await staff.ok(ReportIncidentDocument, { input: { summary: 'Lỗi khi ký số', occurredAt: NOW.toISOString() } });
    const before = await count();
    for (const c of [staff, head, director]) {
      expect(await c.code(WorkIncidentDocument, { id: reportIncident.id, note: 'x' })).toBe('FORBIDDEN');
      expect(await c.code(CloseIncidentDocument, { id: reportIncident.id, resolution: 'x' })).toBe('FORBIDDEN');
    }
    expect(await sysadmin.code(WorkIncidentDocument, { id: reportIncident.id, note: '   ' })).toBe('BAD_USER_INPUT');
    expect(await sysadmin.code(CloseIncidentDocument, { id: reportIncident.id, resolution: '' })).toBe('BAD_USER_INPUT');
    expect(await sysadmin.code(WorkIncidentDocument, { id: readable.id, note: 'x' })).toBe('BAD_USER_INPUT'); // not an incident id
    expect((await sysadmin.ok(IncidentDocument, { id: reportIncident.id })).incident?.state).toBe('REPORTED');

    const ok = { summary: 'Lỗi', occurredAt: NOW.toISOString() };
    // A document the staff member may not read (not assigned to them), and the SYSADMIN, who reads none.
    expect(await staff.code(ReportIncidentDocument, { input: { ...ok, documentId: unreadable.id } })).toBe('NOT_FOUND');
    expect(await sysadmin.code(ReportIncidentDocument, { input: { ...ok, documentId: readable.id } })).toBe('NOT_FOUND');
    expect(await staff.code(ReportIncidentDocument, { input: { ...ok, documentId: units['VP'] } })).toBe('BAD_USER_INPUT');
    expect(await staff.code(ReportIncidentDocument, { input: { ...ok, summary: '  ' } })).toBe('BAD_USER_INPUT');
    expect(await staff.code(ReportIncidentDocument, { input: { ...ok, summary: 'x'.repeat(301) } })).toBe('BAD_USER_INPUT');
    expect(await staff.code(ReportIncidentDocument, { input: { ...ok, occurredAt: '2026-11-27T02:00:00.000Z' } })).toBe('BAD_USER_INPUT'); // tomorrow
    expect(await staff.code(ReportIncidentDocument, { input: { ...ok, occurredAt: '2024-01-01T00:00:00.000Z' } })).toBe('BAD_USER_INPUT');
    expect(await env.client().code(ReportIncidentDocument, { input: ok })).toBe('UNAUTHENTICATED');
    expect(await staff.code(IncidentsDocument, { filter: { year: 12 } })).toBe('BAD_USER_INPUT');
    expect(await count()).toBe(before);
  });

  it('the SYSADMIN of another agency of the deployment neither sees nor works this agency’s incidents', async () => {
    const { reportIncident } = await staff.ok(ReportIncidentDocument, {
      input: { summary: 'Không gửi được văn bản liên thông', occurredAt: NOW.toISOString() },
    });
    const agencyB = (
      await admin.ok(CreateUnitDocument, { input: { name: 'Sở Giao thông vận tải tỉnh Bình Định', shortName: 'SGTVT', kind: 'AGENCY', code: '000.00.00.H09' } })
    ).createUnit;
    const { createAccount } = await admin.ok(CreateAccountDocument, {
      input: { username: 'quantri@sgtvt.binhdinh.gov.vn', fullName: 'Quản Trị B', unitId: agencyB.id, roles: ['SYSADMIN'] },
    });
    const adminB = env.client();
    adminB.token = (await adminB.ok(LoginDocument, { username: 'quantri@sgtvt.binhdinh.gov.vn', password: createAccount.initialPassword! })).login.token;
    await adminB.ok(ChangePasswordDocument, { currentPassword: createAccount.initialPassword!, newPassword: 'Mat-khau-moi-2026' });
    expect((await adminB.ok(IncidentsDocument, {})).incidents.totalCount).toBe(0);
    expect((await adminB.ok(IncidentDocument, { id: reportIncident.id })).incident).toBeNull();
    expect(await adminB.code(WorkIncidentDocument, { id: reportIncident.id, note: 'x' })).toBe('NOT_FOUND');
    expect(await adminB.code(CloseIncidentDocument, { id: reportIncident.id, resolution: 'x' })).toBe('NOT_FOUND');
    expect((await adminB.ok(UsageIncidentsDocument, { year: 2026 })).usageReport.incidents).toBe(0);
    expect((await sysadmin.ok(IncidentDocument, { id: reportIncident.id })).incident?.state).toBe('REPORTED');
  });
});
