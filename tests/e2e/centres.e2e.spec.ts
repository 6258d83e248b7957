import { print } from 'graphql';
import {
  AccountsDocument,
  CentreDocumentDocument,
  CompleteAssignmentDocument,
  CreateDraftDocument,
  DirectToUnitsDocument,
  ForInformationDocument,
  InboxDocument,
  NoticeAsReaderDocument,
  RecallDocumentDocument,
  RecordProgressDocument,
  RegisterDocumentDocument,
  RejectDocumentDocument,
  RoutingEventsDocument,
  StreamPositionDocument,
  SubmitDocumentsDocument,
  type CentreDocumentQuery,
} from '../generated/graphql';
import { pdf, receive, unitIds, upload } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { collect } from '../helpers/live';
import { draft, issue, toSigned } from '../helpers/outgoing';

type Ev = { routingEvents: { id: string; cursor: string; type: string; note?: string | null; document: { id: string } | null } };
const EVENTS = print(RoutingEventsDocument);

let env: TestEnv;
let units: Record<string, string>;
let c: Record<keyof typeof DEMO, ApiClient>;
let centreStaffId: string;

const streamPosition = async (x: ApiClient) => (await x.ok(StreamPositionDocument)).routingEventsCursor;
type Incoming = Extract<NonNullable<CentreDocumentQuery['document']>, { arrivalNumber: unknown }>;
/** The incoming document as `x` reads it, or null when `x` may not read it. */
const readable = async (x: ApiClient, id: string) => (await x.ok(CentreDocumentDocument, { id })).document as Incoming | null;
const keyOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];
/** The global id of the copy a centre received of the agency's document `docId` (read from the database: the centre's people may not read the link). */
async function copyOf(docId: string): Promise<string> {
  const rows = await env.sql<{ id: string }>(`select unit_copy_id as id from assignment where document_id = $1 and unit_copy_id is not null`, [keyOf(docId)]);
  expect(rows).toHaveLength(1);
  return Buffer.from(`IncomingDocument:${rows[0].id}`).toString('base64url');
}
/** A direction with one lead: a unit (by short name) or an account id. */
const direction = (instruction: string, lead: { unit?: string; accountId?: string }, deadline = '2026-12-15') => ({
  instruction,
  lead: lead.unit ? { unitId: units[lead.unit], deadline } : { accountId: lead.accountId!, deadline },
});

/** A document the agency's clerk received, registered and submitted to the agency's director. */
async function submitted(subject: string) {
  const d = await receive(env, c.clerk, { registerNow: true, issuedDate: '2026-11-02', subject });
  await c.clerk.ok(SubmitDocumentsDocument, { ids: [d.id] });
  return d;
}

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-10T08:00:00+07:00'));
  const entries = await Promise.all((Object.keys(DEMO) as Array<keyof typeof DEMO>).map(async (k) => [k, await env.as(DEMO[k])] as const));
  c = Object.fromEntries(entries) as typeof c;
  units = await unitIds(c.director);
  centreStaffId = (await c.centreDirector.ok(AccountsDocument, { filter: { text: DEMO.centreStaff } })).accounts.edges[0].node.id;
});
afterAll(() => env?.close());

describe('routing a document to a centre (Điều 7.1)', () => {
  it('the centre receives its own copy, numbers it in its own register, routes it inside itself; the agency’s assignment follows', async () => {
    const d = await submitted('V/v kiểm định chất lượng công trình trụ sở UBND xã Phước Lộc');
    const ws = env.ws(c.centreClerk.token);
    const live = collect<Ev>(ws, EVENTS, { after: await streamPosition(c.centreClerk) });

    const { assignDocument } = await c.director.ok(DirectToUnitsDocument, {
      id: d.id,
      input: {
        ...direction('Giao Trung tâm QH-KĐ kiểm định, báo cáo kết quả.', { unit: 'TTQHKĐ' }, '2026-11-30'),
        cooperating: [{ unitId: units['QLHĐXD'], deadline: '2026-11-30' }],
      },
    });
    expect(assignDocument.state).toBe('ASSIGNED');
    const toCentre = assignDocument.assignments.find((a) => a.assigneeUnit?.shortName === 'TTQHKĐ')!;
    expect(toCentre).toMatchObject({ role: 'LEAD', state: 'PENDING' });
    // The agency's director sees the routing, not the centre's copy (kept by the centre).
    expect(toCentre.unitCopy).toBeNull();
    // A department of the agency gets no copy.
    expect(assignDocument.assignments.find((a) => a.assigneeUnit?.shortName === 'QLHĐXD')!.unitCopy).toBeNull();

    // Announced to the centre's clerk, live.
    const [first] = await live.waitFor(1);
    const copyId = first.routingEvents.document!.id;
    expect(copyId).toBe(await copyOf(d.id));
    expect(first.routingEvents.type).toBe('RECEIVED');
    expect(first.routingEvents.note).toContain('Sở Xây dựng');
    live.stop();
    await ws.dispose();
    expect((await c.centreClerk.ok(InboxDocument, { view: 'TO_REGISTER' })).inbox.edges.map((e) => e.node.id)).toEqual([copyId]);

    const copy = (await readable(c.centreClerk, copyId))!;
    const original = (await readable(c.director, d.id))!;
    expect(copy).toMatchObject({
      state: 'RECEIVED',
      subject: original.subject,
      number: '1234',
      symbol: 'UBND-KT',
      arrivalNumber: null,
      arrivalChannel: 'INTERNAL',
      keepingUnit: { shortName: 'TTQHKĐ' },
      sender: { __typename: 'Unit', shortName: 'SXD' },
      note: 'SXD chuyển: Giao Trung tâm QH-KĐ kiểm định, báo cáo kết quả.',
      // The centre's readers do not read the agency's document.
      routedFrom: null,
    });
    expect(copy.attachments.map((a) => a.sha256)).toEqual(original.attachments.map((a) => a.sha256));

    // Its own arrival number, in its own register; the agency's number is untouched.
    const registered = (await c.centreClerk.ok(RegisterDocumentDocument, { id: copyId })).registerDocument;
    const centreDoc = (await readable(c.centreClerk, copyId))!;
    expect(centreDoc.register).toEqual({ year: 2026, direction: 'INCOMING', lastNumber: registered.arrivalNumber, keepingUnit: { shortName: 'TTQHKĐ' } });
    expect(registered.arrivalNumber).toBe(1);
    expect((await readable(c.director, d.id))!).toMatchObject({ arrivalNumber: original.arrivalNumber, register: { keepingUnit: { shortName: 'SXD' } } });
    const rows = await env.sql<{ keeping: string; n: number }>(
      `select u.short_name as keeping, d.arrival_number as n
         from document d join unit u on u.id = d.keeping_unit_id where d.id in ($1, $2) order by u.short_name`,
      [keyOf(d.id), keyOf(copyId)],
    );
    expect(rows).toEqual([
      { keeping: 'SXD', n: original.arrivalNumber },
      { keeping: 'TTQHKĐ', n: 1 },
    ]);

    // The centre routes it on inside itself.
    await c.centreClerk.ok(SubmitDocumentsDocument, { ids: [copyId] });
    const input = direction('Phòng KĐCL thực hiện.', { accountId: centreStaffId }, '2026-11-25');
    const inside = (await c.centreDirector.ok(DirectToUnitsDocument, { id: copyId, input })).assignDocument;
    const work = inside.assignments[0].id;
    await c.centreStaff.ok(RecordProgressDocument, { assignmentId: work, note: 'Đã lấy mẫu bê tông.' });
    let seen = (await readable(c.director, d.id))!;
    expect(seen.state).toBe('IN_PROGRESS');
    expect(seen.assignments.find((a) => a.id === toCentre.id)!.state).toBe('IN_PROGRESS');
    await c.centreStaff.ok(CompleteAssignmentDocument, { assignmentId: work, input: { result: 'Đạt yêu cầu, đã gửi báo cáo.' } });
    seen = (await readable(c.director, d.id))!;
    expect(seen.state).toBe('COMPLETED');
    const completed = seen.history.edges.map((e) => e.node).find((n) => n.type === 'COMPLETED');
    expect(completed).toMatchObject({ toState: 'COMPLETED', note: 'TTQHKĐ: Đạt yêu cầu, đã gửi báo cáo.' });
    // The centre's director reads the copy and not the agency's document.
    expect((await readable(c.centreDirector, copyId))!.routedFrom).toBeNull();
    expect(await readable(c.centreDirector, d.id)).toBeNull();
  });

  it('keeps the copy from the agency’s departments and the original from the centre', async () => {
    const d = await submitted('V/v thẩm định hồ sơ thiết kế nhà văn hóa');
    const { assignDocument } = await c.director.ok(DirectToUnitsDocument, { id: d.id, input: direction('Trung tâm xử lý.', { unit: 'TTQHKĐ' }) });
    const copyId = await copyOf(d.id);
    expect((await c.centreClerk.ok(InboxDocument, { view: 'TO_REGISTER' })).inbox.edges.map((e) => e.node.id)).toContain(copyId);
    for (const who of [c.clerk, c.head, c.staff, c.officeHead, c.director, c.sysadmin]) expect(await readable(who, copyId)).toBeNull();
    for (const who of [c.centreClerk, c.centreDirector, c.centreHead, c.centreStaff]) expect(await readable(who, d.id)).toBeNull();
    // The agency's head and staff count nothing of it either.
    expect((await c.head.ok(InboxDocument, { view: 'TO_REGISTER' })).inbox.totalCount).toBe(0);
    // The link is in the database all the same.
    const link = await env.sql(`select 1 from assignment where id = $1 and unit_copy_id = $2`, [keyOf(assignDocument.assignments[0].id), keyOf(copyId)]);
    expect(link).toHaveLength(1);
  });

  it('a copy the centre’s clerk refuses returns the agency’s assignment to the director', async () => {
    const d = await submitted('V/v gửi nhầm hồ sơ');
    await c.director.ok(DirectToUnitsDocument, { id: d.id, input: direction('Trung tâm xem xét.', { unit: 'TTQHKĐ' }) });
    const copyId = await copyOf(d.id);
    expect((await c.centreClerk.ok(InboxDocument, { view: 'TO_REGISTER' })).inbox.edges.map((e) => e.node.id)).toContain(copyId);
    await c.centreClerk.ok(RejectDocumentDocument, { id: copyId, reason: 'Không thuộc lĩnh vực của Trung tâm.' });
    const back = (await readable(c.director, d.id))!;
    expect(back.state).toBe('SUBMITTED');
    expect(back.assignments[0]).toMatchObject({ state: 'RETURNED' });
    expect((await c.director.ok(InboxDocument, { view: 'RETURNED' })).inbox.edges.map((e) => e.node.id)).toContain(d.id);
  });

  it('a recall by the sender reaches the copy the direction sent on to a centre', async () => {
    // The centre QH-KĐ reports to the agency; the agency's director sends the report on to the other centre.
    const centre = { staff: c.centreStaff, head: c.centreHead, director: c.centreDirector, clerk: c.centreClerk };
    const up = await draft(env, c.centreStaff, {
      documentTypeCode: 'BC',
      subject: 'Báo cáo tiến độ — chuyển tiếp rồi thu hồi',
      recipientUnitIds: [units['SXD']],
    });
    await toSigned(centre, up.id);
    await issue(env, c.centreClerk, up.id);
    const [received] = await env.sql<{ id: string }>(`select id from document where origin_id = $1`, [keyOf(up.id)]);
    const atAgency = Buffer.from(`IncomingDocument:${received.id}`).toString('base64url');
    await c.clerk.ok(RegisterDocumentDocument, { id: atAgency });
    await c.clerk.ok(SubmitDocumentsDocument, { ids: [atAgency] });
    await c.director.ok(DirectToUnitsDocument, { id: atAgency, input: direction('Trung tâm PTN phối hợp.', { unit: 'TTPTN' }) });
    const copyId = await copyOf(atAgency);

    await c.centreClerk.ok(RecallDocumentDocument, { id: up.id, reason: 'Số liệu chưa chính xác.' });
    const states = await env.sql<{ id: string; state: string; recalls: number }>(
      `select d.id, d.state, (select count(*) from routing_event e where e.document_id = d.id and e.type = 'RECALLED')::int as recalls
         from document d where d.id in ($1, $2) order by d.id`,
      [received.id, keyOf(copyId)],
    );
    expect(states.map((r) => [r.state, r.recalls])).toEqual([
      ['RECALLED', 1],
      ['RECALLED', 1],
    ]);
    const [event] = await env.sql<{ note: string }>(`select note from routing_event where document_id = $1 and type = 'RECALLED'`, [keyOf(copyId)]);
    expect(event.note).toBe('Số liệu chưa chính xác.');
  });

  it('refuses what the rule does not allow, and changes nothing', async () => {
    const d = await submitted('V/v không được chuyển');
    const before = await env.sql(`select count(*)::int as n from document`);
    const attempt = (who: ApiClient, unit: string) => who.code(DirectToUnitsDocument, { id: d.id, input: direction('Chuyển.', { unit }) });
    // A centre's department is the centre's to route to, not the agency's.
    expect(await attempt(c.director, 'KĐCL')).toBe('BAD_USER_INPUT');
    // Only the director routes; the centre's people do not even see the document.
    expect(await attempt(c.clerk, 'TTQHKĐ')).toBe('FORBIDDEN');
    expect(await attempt(c.centreDirector, 'TTQHKĐ')).toBe('NOT_FOUND');
    expect(await env.sql(`select count(*)::int as n from document`)).toEqual(before);
    // The centre's director routes only inside the centre: not to the agency, not to the other centre.
    const other = await receive(env, c.centreClerk, { registerNow: true, issuedDate: '2026-11-02', subject: 'V/v văn bản của Trung tâm' });
    await c.centreClerk.ok(SubmitDocumentsDocument, { ids: [other.id] });
    for (const unit of ['SXD', 'TTPTN', 'QLHĐXD']) {
      expect(await c.centreDirector.code(DirectToUnitsDocument, { id: other.id, input: direction('Chuyển.', { unit }) })).toBe('BAD_USER_INPUT');
    }
    expect(await env.sql(`select count(*)::int as n from document`)).toEqual([{ n: (before[0] as { n: number }).n + 1 }]);
  });
});

describe('internal notices to the agency’s own departments', () => {
  it('reach the department’s people (inbox, live event), and nobody else', async () => {
    const desk = { staff: c.clerk, head: c.officeHead, director: c.director, clerk: c.clerk };
    const subject = 'Thông báo lịch giao ban tháng 12/2026';
    const notice = await draft(env, desk.staff, { documentTypeCode: 'TB', subject, recipientUnitIds: [units['QLHĐXD']] });
    await toSigned(desk, notice.id);
    // Signed, not issued: the department reads nothing yet.
    expect(await c.head.ok(NoticeAsReaderDocument, { id: notice.id })).toEqual({ document: null });
    const before = await c.head.ok(ForInformationDocument);
    const ws = env.ws(c.head.token);
    const live = collect<Ev>(ws, EVENTS, { after: before.routingEventsCursor, filter: { documentId: notice.id } });

    const issued = await issue(env, c.clerk, notice.id);
    expect(issued.recipients).toEqual([expect.objectContaining({ deliveryState: 'DELIVERED', unit: expect.objectContaining({ shortName: 'QLHĐXD' }) })]);
    const [ev] = await live.waitFor(1);
    expect(ev.routingEvents).toMatchObject({ type: 'ISSUED', document: { id: notice.id } });
    live.stop();
    await ws.dispose();

    for (const reader of [c.head, c.staff]) {
      const now = await reader.ok(ForInformationDocument);
      expect(now.inbox.edges.map((e) => e.node.id)).toContain(notice.id);
      expect(now.inboxCounts.FOR_INFORMATION).toBe(now.inbox.totalCount);
      expect((await reader.ok(NoticeAsReaderDocument, { id: notice.id })).document).toMatchObject({ state: 'ISSUED', numberAndSymbol: issued.numberAndSymbol });
    }
    expect((await c.head.ok(ForInformationDocument)).inboxCounts.FOR_INFORMATION).toBe(before.inboxCounts.FOR_INFORMATION + 1);
    // No copy to register anywhere: the department reads the issued document.
    expect(await env.sql(`select 1 from document where origin_id = $1`, [keyOf(notice.id)])).toEqual([]);
    for (const outsider of [c.centreClerk, c.centreDirector, c.centreHead, c.centreStaff, c.sysadmin]) {
      expect((await outsider.ok(NoticeAsReaderDocument, { id: notice.id })).document).toBeNull();
      expect((await outsider.ok(ForInformationDocument)).inbox.edges.map((e) => e.node.id)).not.toContain(notice.id);
    }
  });

  it('refuses a centre addressing the agency’s departments, and the agency a centre’s department', async () => {
    const file = await upload(env, c.centreStaff, pdf(), 'tb.pdf');
    const fromCentre = await c.centreStaff.request(CreateDraftDocument, {
      input: { documentTypeCode: 'TB', subject: 'Thông báo', fileId: file.id, recipientUnitIds: [units['VP']] },
    });
    expect(fromCentre.errors?.[0]?.extensions?.code).toBe('INTERCONNECTION_NOT_ALLOWED');
    const toCentreDept = await c.staff.request(CreateDraftDocument, {
      input: { documentTypeCode: 'TB', subject: 'Thông báo', fileId: (await upload(env, c.staff)).id, recipientUnitIds: [units['KĐCL']] },
    });
    expect(toCentreDept.errors?.[0]?.extensions?.code).toBe('INTERCONNECTION_NOT_ALLOWED');
  });
});
