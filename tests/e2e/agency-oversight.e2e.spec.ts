import {
  AccountsDocument,
  AddUnitRuleDocument,
  AgencyBacklogDocument,
  AgencyUsageDocument,
  DirectToUnitsDocument,
  InboxDocument,
  MeDocument,
  OfficeRulesDocument,
  OverdueListDocument,
  RegisterDocumentDocument,
  RemoveRuleDocument,
  SubmitDocumentsDocument,
} from '../generated/graphql';
import { receive, unitIds } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';

let env: TestEnv;
let units: Record<string, string>;
let agencyDoc: string;
let copyId: string;

const at = (local: string) => new Date(`${local}+07:00`);
/** Signs in at an office time (UTC+7). */
async function as(username: string, local: string): Promise<ApiClient> {
  env.clock.set(at(local));
  return env.as(username);
}
const NOW = '2026-11-20T08:30:00';
const shortNames = (rows: Array<{ unit: { shortName: string } }>) => rows.map((r) => r.unit.shortName).sort();
const AGENCY_UNITS = ['KTVL', 'KĐCL', 'PTĐT', 'QHKT', 'QLHĐXD', 'QLN', 'SXD', 'TTPTN', 'TTQHKĐ', 'TTr', 'VP'].sort();
const CENTRE_UNITS = ['KĐCL', 'TTQHKĐ'];

beforeAll(async () => {
  env = await startTestEnv();
  // Tuesday 10/11/2026: the agency routes one document to the centre and gives another to its staff member; both due on Friday 13/11.
  const clerk = await as(DEMO.clerk, '2026-11-10T08:00:00');
  const director = await env.as(DEMO.director);
  units = await unitIds(director);
  const staffId = (await director.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
  const a = await receive(env, clerk, { registerNow: true, issuedDate: '2026-11-02', subject: 'V/v kiểm định công trình cầu Sông Côn' });
  const b = await receive(env, clerk, { registerNow: true, issuedDate: '2026-11-02', subject: 'V/v cấp phép xây dựng nhà ở riêng lẻ' });
  await clerk.ok(SubmitDocumentsDocument, { ids: [a.id, b.id] });
  agencyDoc = a.id;
  const due = '2026-11-13';
  await director.ok(DirectToUnitsDocument, { id: a.id, input: { instruction: 'Trung tâm kiểm định.', lead: { unitId: units['TTQHKĐ'], deadline: due } } });
  await director.ok(DirectToUnitsDocument, { id: b.id, input: { instruction: 'Xử lý.', lead: { accountId: staffId, deadline: '2026-11-13' } } });
  // The centre numbers its copy and gives it to its staff member, due the same day.
  const centreClerk = await env.as(DEMO.centreClerk);
  copyId = (await centreClerk.ok(InboxDocument, { view: 'TO_REGISTER' })).inbox.edges[0].node.id;
  await centreClerk.ok(RegisterDocumentDocument, { id: copyId });
  await centreClerk.ok(SubmitDocumentsDocument, { ids: [copyId] });
  const centreDirector = await env.as(DEMO.centreDirector);
  const centreStaffId = (await centreDirector.ok(AccountsDocument, { filter: { text: DEMO.centreStaff } })).accounts.edges[0].node.id;
  await centreDirector.ok(DirectToUnitsDocument, { id: copyId, input: { instruction: 'Thực hiện.', lead: { accountId: centreStaffId, deadline: due } } });
  // Wednesday 11/11: the centre's staff member uses the system in the morning and again after lunch (one check-in day).
  const centreStaff = await as(DEMO.centreStaff, '2026-11-11T08:00:00');
  await centreStaff.ok(MeDocument);
  env.clock.set(at('2026-11-11T14:00:00'));
  await centreStaff.ok(MeDocument);
});
afterAll(() => env?.close());

describe('the agency director and the Chánh Văn phòng oversee the whole agency (Điều 7.2, 8.3)', () => {
  it('backlog and overdue list cover the centres; figures without content for what they may not read', async () => {
    for (const who of [DEMO.director, DEMO.officeHead]) {
      const x = await as(who, NOW);
      const { backlog } = await x.ok(AgencyBacklogDocument, {});
      expect(shortNames(backlog.units)).toEqual(AGENCY_UNITS);
      expect(backlog.units.find((u) => u.unit.shortName === 'KĐCL')).toMatchObject({ waiting: 1, overdue: 1 });
      expect(backlog.units.find((u) => u.unit.shortName === 'TTQHKĐ')).toMatchObject({ waiting: 1, overdue: 1 });
      expect(backlog.people.map((p) => p.account.username)).toEqual(expect.arrayContaining([DEMO.centreStaff, DEMO.staff, DEMO.centreDirector]));
      const { overdueList } = await x.ok(OverdueListDocument, {});
      expect(overdueList.map((i) => [i.unit.shortName, i.assignee?.username ?? null, i.deadline, i.daysOverdue]).sort()).toEqual(
        [
          ['KĐCL', DEMO.centreStaff, '2026-11-13', 7],
          ['QLHĐXD', DEMO.staff, '2026-11-13', 7],
          ['TTQHKĐ', null, '2026-11-13', 7],
        ].sort(),
      );
      // The centre's copy stays the centre's: its subject is not shown to the agency.
      expect(overdueList.find((i) => i.unit.shortName === 'KĐCL')!.document).toBeNull();
      const own = overdueList.find((i) => i.unit.shortName === 'TTQHKĐ')!.document;
      if (who === DEMO.director) expect(own).toEqual({ id: agencyDoc, subject: 'V/v kiểm định công trình cầu Sông Côn' });
      else expect(own).toBeNull(); // the head of the Office oversees figures; the document was not given to the Office
    }
  });

  it('the yearly usage report covers every unit and every person, as data and as CSV', async () => {
    const officeHead = await as(DEMO.officeHead, NOW);
    const { usageReport } = await officeHead.ok(AgencyUsageDocument, { year: 2026 });
    expect(shortNames(usageReport.units)).toEqual(AGENCY_UNITS);
    const unit = (s: string) => usageReport.units.find((u) => u.unit.shortName === s)!;
    expect(unit('SXD')).toMatchObject({ received: 2 });
    expect(unit('TTQHKĐ')).toMatchObject({ received: 1, assigned: 1 });
    expect(unit('KĐCL')).toMatchObject({ assigned: 1 });
    const people = new Map(usageReport.people.map((p) => [p.account.username, p]));
    for (const u of Object.values(DEMO).filter((n) => n !== DEMO.sysadmin)) expect(people.has(u)).toBe(true);
    expect(people.get(DEMO.centreStaff)).toMatchObject({ received: 1, assigned: 1, checkInDays: 1 });
    // Check-ins are what the activity table holds: all visits, and working days with two or more.
    const rows = await env.sql<{ visits: number; days: number }>(
      `select coalesce(sum(visits), 0)::int as visits, (count(*) filter (where visits >= 2 and extract(isodow from day) < 6))::int as days
         from account_activity aa join account a on a.id = aa.account_id where a.username = $1`,
      [DEMO.centreStaff],
    );
    expect(people.get(DEMO.centreStaff)).toMatchObject({ visits: rows[0].visits, checkInDays: rows[0].days });
    expect(unit('KĐCL').visits).toBeGreaterThanOrEqual(rows[0].visits);

    const csv = await fetch(env.server.url.replace('/graphql', '/reports/usage.csv?year=2026'), { headers: { authorization: `Bearer ${officeHead.token}` } });
    expect(csv.status).toBe(200);
    const lines = (await csv.text())
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0].split(',')).toEqual([
      ...['kind', 'name', 'unit', 'received', 'assigned', 'completed_on_time', 'completed_late', 'still_open', 'overdue'],
      ...['drafts_created', 'drafts_issued', 'check_in_days', 'visits', 'median_processing_hours', 'incidents_reported'],
    ]);
    expect(lines.filter((l) => l.startsWith('unit,'))).toHaveLength(AGENCY_UNITS.length);
    expect(lines.find((l) => l.startsWith('unit,Trung tâm Quy hoạch - Kiểm định xây dựng,TTQHKĐ,1,1,'))).toBeDefined();
    expect(lines.find((l) => l.includes(DEMO.centreStaff))).toContain('Phòng Kiểm định chất lượng');
  });
});

describe('a centre’s director sees the centre only; other roles are refused', () => {
  it('the centre director: the centre and its departments, nothing of the agency', async () => {
    const x = await as(DEMO.centreDirector, NOW);
    expect(shortNames((await x.ok(AgencyBacklogDocument, {})).backlog.units)).toEqual(CENTRE_UNITS);
    const { overdueList } = await x.ok(OverdueListDocument, {});
    expect(overdueList.map((i) => i.unit.shortName).sort()).toEqual(CENTRE_UNITS);
    // The centre reads its copy, never the agency's document.
    expect(overdueList.find((i) => i.unit.shortName === 'KĐCL')!.document?.id).toBe(copyId);
    expect(overdueList.find((i) => i.unit.shortName === 'TTQHKĐ')!.document).toBeNull();
    const usage = (await x.ok(AgencyUsageDocument, { year: 2026 })).usageReport;
    expect(shortNames(usage.units)).toEqual(CENTRE_UNITS);
    expect(usage.people.map((p) => p.account.username)).not.toContain(DEMO.staff);
    for (const unit of ['SXD', 'QLHĐXD', 'TTPTN']) {
      expect(await x.code(AgencyBacklogDocument, { unitId: units[unit] })).toBe('FORBIDDEN');
      expect(await x.code(OverdueListDocument, { unitId: units[unit] })).toBe('FORBIDDEN');
      expect(await x.code(AgencyUsageDocument, { year: 2026, unitId: units[unit] })).toBe('FORBIDDEN');
    }
    const csv = await fetch(env.server.url.replace('/graphql', '/reports/usage.csv?year=2026'), { headers: { authorization: `Bearer ${x.token}` } });
    const text = await csv.text();
    expect(text).toContain('TTQHKĐ');
    expect(text).not.toContain('QLHĐXD');
    const agencyCsv = env.server.url.replace('/graphql', `/reports/usage.csv?year=2026&unitId=${units['SXD']}`);
    const refused = await fetch(agencyCsv, { headers: { authorization: `Bearer ${x.token}` } });
    expect(refused.status).toBe(403);
  });

  it('the agency director narrows to a centre; heads, staff and clerks never reach beyond their own', async () => {
    const director = await as(DEMO.director, NOW);
    expect(shortNames((await director.ok(AgencyBacklogDocument, { unitId: units['TTQHKĐ'] })).backlog.units)).toEqual(CENTRE_UNITS);
    const head = await as(DEMO.head, NOW);
    expect(shortNames((await head.ok(AgencyBacklogDocument, {})).backlog.units)).toEqual(['QLHĐXD']);
    expect((await head.ok(OverdueListDocument, {})).overdueList.map((i) => i.unit.shortName)).toEqual(['QLHĐXD']);
    const agencySide: string[] = [DEMO.head, DEMO.staff, DEMO.clerk];
    for (const who of [...agencySide, DEMO.centreHead, DEMO.centreStaff, DEMO.centreClerk]) {
      const x = await as(who, NOW);
      // The other side of the tree, and the agency as a whole, are refused.
      const foreign = units[agencySide.includes(who) ? 'TTQHKĐ' : 'SXD'];
      expect(await x.code(AgencyBacklogDocument, { unitId: foreign })).toBe('FORBIDDEN');
      expect(await x.code(OverdueListDocument, { unitId: foreign })).toBe('FORBIDDEN');
      expect(await x.code(AgencyUsageDocument, { year: 2026, unitId: foreign })).toBe('FORBIDDEN');
      expect((await x.ok(AgencyBacklogDocument, {})).backlog.units.some((u) => ['SXD', 'TTQHKĐ'].includes(u.unit.shortName))).toBe(false);
    }
  });

  it('the Chánh Văn phòng’s reach is a rule an administrator may remove and give back', async () => {
    const admin = await as(ADMIN_USERNAME, NOW);
    const rule = (await admin.ok(OfficeRulesDocument)).permissionRules.find((r) => r.condition === 'OWN_AGENCY' && r.unit?.shortName === 'VP')!;
    expect(rule).toMatchObject({ role: 'HEAD', action: 'read', subject: 'Report', revokedAt: null });
    await admin.ok(RemoveRuleDocument, { id: rule.id, reason: 'Thử thu hồi quyền theo dõi toàn Sở.' });
    const officeHead = await as(DEMO.officeHead, NOW);
    const narrowed = shortNames((await officeHead.ok(AgencyBacklogDocument, {})).backlog.units);
    // Without the rule, the Office still follows its own keeping unit (Điều 8.3), not the centres.
    expect(narrowed).not.toContain('TTQHKĐ');
    expect(narrowed).toContain('SXD');
    expect(await officeHead.code(OverdueListDocument, { unitId: units['TTQHKĐ'] })).toBe('FORBIDDEN');
    // A unit-narrowed rule for another unit's head gives nothing to the Office; given back to the Office, the reach returns.
    const officeRule = { unitId: units['VP'], action: 'read', subject: 'Report', condition: 'OWN_AGENCY' as const };
    expect(await admin.code(AddUnitRuleDocument, { input: { ...officeRule, reason: 'Thiếu vai trò.' } })).toBe('BAD_USER_INPUT');
    const back = (await admin.ok(AddUnitRuleDocument, { input: { ...officeRule, role: 'HEAD', reason: 'Trả lại quyền.' } })).addPermissionRule;
    expect(back).toMatchObject({ unit: { shortName: 'VP' }, condition: 'OWN_AGENCY' });
    expect(shortNames((await officeHead.ok(AgencyBacklogDocument, {})).backlog.units)).toEqual(AGENCY_UNITS);
    // The same rule does not reach the head of another department.
    const head = await as(DEMO.head, NOW);
    expect(shortNames((await head.ok(AgencyBacklogDocument, {})).backlog.units)).toEqual(['QLHĐXD']);
  });
});
