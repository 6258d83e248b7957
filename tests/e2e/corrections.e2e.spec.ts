import { randomBytes } from 'node:crypto';
import { print } from 'graphql';
import {
  AllDocumentTypesDocument,
  AnnulRegistrationDocument,
  AssignDocumentDocument,
  CorrectRegistrationDocument,
  CorrectionHistoryDocument,
  CorrespondentsDocument,
  CreateDocumentTypeDocument,
  CreateDraftDocument,
  CreatePeerDocument,
  DocumentDocument,
  FileDocumentDocument,
  OpenDossierDocument,
  InboxCountsChangedDocument,
  InboxCountsDocument,
  InboxDocument,
  IssueDocumentDocument,
  MeDocument,
  OutgoingDocumentDocument,
  RegisterDocumentDocument,
  RegisterEntriesDocument,
  ReinstateDocumentTypeDocument,
  RetireDocumentTypeDocument,
  StartAssignmentDocument,
  SubmitDocumentsDocument,
  UpdateDocumentTypeDocument,
  UsageReportDocument,
} from '../generated/graphql';
import { pdf, receive, unitIds, upload } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { buildPackage, postMessage, samplePackage } from '../helpers/exchange';
import { collect } from '../helpers/live';
import { draft, issue, toSigned, type Desk } from '../helpers/outgoing';

const ORGAN = '000.00.00.H08';
const PEER_ORGAN = '000.00.00.H41';
const SECRET = randomBytes(32).toString('hex');

let env: TestEnv;
let clerk: ApiClient, director: ApiClient, head: ApiClient, staff: ApiClient, admin: ApiClient, centreClerk: ApiClient;
let desk: Desk, centreDesk: Desk;
let units: Record<string, string>;

beforeAll(async () => {
  env = await startTestEnv({ env: { ORGAN_ID: ORGAN } });
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  const roles = [DEMO.clerk, DEMO.director, DEMO.head, DEMO.staff, DEMO.sysadmin, DEMO.centreClerk];
  [clerk, director, head, staff, admin, centreClerk] = await Promise.all(roles.map((u) => env.as(u)));
  desk = { staff, head, director, clerk };
  const [cs, ch, cd] = await Promise.all([DEMO.centreStaff, DEMO.centreHead, DEMO.centreDirector].map((u) => env.as(u)));
  centreDesk = { staff: cs, head: ch, director: cd, clerk: centreClerk };
  units = await unitIds(clerk);
}, 120_000);
afterAll(() => env?.close());

const incoming = async (client: ApiClient, id: string) => {
  const { document } = await client.ok(CorrectionHistoryDocument, { id });
  return document?.__typename === 'IncomingDocument' ? document : null;
};
const keyOf = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1];
const eventCount = async (id: string) =>
  (await env.sql<{ n: number }>(`select count(*)::int as n from routing_event where document_id = $1`, [keyOf(id)]))[0].n;
const incomingRegister = async () => (await clerk.ok(RegisterEntriesDocument, { year: 2026, first: 100 })).registers.find((r) => r.direction === 'INCOMING')!;
const registered = (over: Parameters<typeof receive>[2] = {}) => receive(env, clerk, { registerNow: true, ...over });

describe('correcting a registration', () => {
  it('keeps the arrival number and state, and shows each field before and after with the reason in the history', async () => {
    const doc = await registered({ number: '1234', symbol: 'UBND-KT', subject: 'V/v kiểm tra công trình nhà ở (gõ nhầm)' });
    const input = { number: '1243', symbol: 'UBND-TH', issuedDate: '2026-11-19' };
    const corrected = (await clerk.ok(CorrectRegistrationDocument, { id: doc.id, input, reason: 'Gõ nhầm số và ký hiệu khi vào sổ' })).correctRegistration;
    expect(corrected).toMatchObject({ state: 'REGISTERED', ...input, arrivalNumber: doc.arrivalNumber, arrivalDate: doc.arrivalDate, subject: doc.subject });
    const after = await incoming(clerk, doc.id);
    const last = after!.history.edges.at(-1)!.node;
    expect(last).toMatchObject({ type: 'CORRECTED', fromState: 'REGISTERED', toState: 'REGISTERED', actor: { username: DEMO.clerk } });
    expect(last.note).toContain('«1234» → «1243»');
    expect(last.note).toContain('«UBND-KT» → «UBND-TH»');
    expect(last.note).toContain('«2026-11-20» → «2026-11-19»');
    expect(last.note).toContain('Lý do: Gõ nhầm số và ký hiệu khi vào sổ');
    expect(last.note).not.toContain('subject');
    // An optional field is cleared with null; a field left out stays.
    const reason = 'Văn bản không có ký hiệu';
    const cleared = (await clerk.ok(CorrectRegistrationDocument, { id: doc.id, input: { symbol: null }, reason })).correctRegistration;
    expect(cleared).toMatchObject({ symbol: null, number: '1243' });
  });

  it('checks the result exactly as a received document is checked, and a refused correction changes nothing', async () => {
    const doc = await registered({ number: '77', subject: 'V/v báo cáo tình hình thực hiện kế hoạch năm' });
    const events = await eventCount(doc.id);
    const refused = async (input: Record<string, unknown>, reason = 'Sửa lỗi', as = clerk) =>
      as.code(CorrectRegistrationDocument, { id: doc.id, input, reason });
    expect(await refused({ issuedDate: '2026-12-01' })).toBe('BAD_USER_INPUT'); // in the future
    expect(await refused({ dueDate: '2026-11-01' })).toBe('BAD_USER_INPUT'); // before the issued date
    expect(await refused({ subject: null })).toBe('BAD_USER_INPUT'); // required
    expect(await refused({ issuer: '' })).toBe('BAD_USER_INPUT');
    expect(await refused({ documentTypeCode: 'XYZ' })).toBe('BAD_USER_INPUT');
    expect(await refused({ pageCount: 0 })).toBe('BAD_USER_INPUT');
    expect(await refused({ number: '123456789012' })).toBe('BAD_USER_INPUT');
    expect(await refused({ subject: 'QuyÕt ®Þnh vÒ viÖc' })).toBe('LEGACY_ENCODING_REFUSED');
    expect(await refused({})).toBe('BAD_USER_INPUT'); // nothing to correct
    expect(await refused({ number: '77' })).toBe('BAD_USER_INPUT'); // changes nothing
    expect(await refused({ number: '78' }, '')).toBe('BAD_USER_INPUT'); // no reason
    // Only the clerk of the unit that registered it: the director may not, another unit's clerk cannot even see it.
    expect(await refused({ number: '78' }, 'Sửa', director)).toBe('FORBIDDEN');
    expect(await refused({ number: '78' }, 'Sửa', centreClerk)).toBe('NOT_FOUND');
    expect(await eventCount(doc.id)).toBe(events);
    expect(await incoming(clerk, doc.id)).toMatchObject({ number: '77', subject: doc.subject, issuedDate: '2026-11-20' });
  });
});

describe('annulling a registration', () => {
  it('keeps the number used and shown annulled, never gives it again, and takes the document out of every inbox, live', async () => {
    const staffId = (await staff.ok(MeDocument)).me.id;
    const before = await incomingRegister();
    const first = await registered({ subject: 'V/v thẩm định thiết kế cơ sở dự án khu dân cư (bản 1)' });
    const duplicate = await registered({ subject: 'V/v thẩm định thiết kế cơ sở dự án khu dân cư (vào sổ trùng)' });
    expect(duplicate.arrivalNumber).toBe(first.arrivalNumber! + 1);
    await clerk.ok(SubmitDocumentsDocument, { ids: [duplicate.id] });
    await director.ok(AssignDocumentDocument, {
      id: duplicate.id,
      input: { instruction: 'Giao phòng QLHĐXD xử lý', lead: { accountId: staffId, deadline: '2026-12-10' }, informed: [{ unitId: units['QLHĐXD'] }] },
    });
    const staffCounts = (await staff.ok(InboxCountsDocument)).inboxCounts;
    const headCounts = (await head.ok(InboxCountsDocument)).inboxCounts;
    expect((await staff.ok(InboxDocument, { view: 'TO_PROCESS', first: 100 })).inbox.edges.map((e) => e.node.id)).toContain(duplicate.id);
    expect((await head.ok(InboxDocument, { view: 'FOR_INFORMATION', first: 100 })).inbox.edges.map((e) => e.node.id)).toContain(duplicate.id);
    const assignmentId = await leadAssignment(duplicate.id);

    const received = async () => (await director.ok(UsageReportDocument, { year: 2026 })).usageReport.units.find((u) => u.unit.shortName === 'SXD')!.received;
    const receivedBefore = await received();
    const live = collect<{ inboxCountsChanged: { TO_PROCESS: number } }>(env.ws(staff.token), print(InboxCountsChangedDocument));
    expect((await live.waitFor(1))[0].inboxCountsChanged.TO_PROCESS).toBe(staffCounts.TO_PROCESS);
    const annulled = (await clerk.ok(AnnulRegistrationDocument, { id: duplicate.id, reason: 'Vào sổ trùng với số đến trước' })).annulRegistration;
    expect(annulled).toMatchObject({
      state: 'ANNULLED',
      arrivalNumber: duplicate.arrivalNumber,
      annulmentReason: 'Vào sổ trùng với số đến trước',
      annulledAt: expect.any(String),
    });
    expect((await live.waitFor(2))[1].inboxCountsChanged.TO_PROCESS).toBe(staffCounts.TO_PROCESS - 1);
    live.stop();

    // Not counted as received in the yearly report any more.
    expect(await received()).toBe(receivedBefore - 1);
    // Out of every inbox and count.
    expect((await staff.ok(InboxCountsDocument)).inboxCounts.TO_PROCESS).toBe(staffCounts.TO_PROCESS - 1);
    expect((await head.ok(InboxCountsDocument)).inboxCounts.FOR_INFORMATION).toBe(headCounts.FOR_INFORMATION - 1);
    expect((await staff.ok(InboxDocument, { view: 'TO_PROCESS', first: 100 })).inbox.edges.map((e) => e.node.id)).not.toContain(duplicate.id);
    expect((await head.ok(InboxDocument, { view: 'FOR_INFORMATION', first: 100 })).inbox.edges.map((e) => e.node.id)).not.toContain(duplicate.id);
    // Nothing more is done with it, with a code that says why.
    expect(await staff.code(StartAssignmentDocument, { assignmentId })).toBe('NOT_FOUND');
    expect(await clerk.code(RegisterDocumentDocument, { id: duplicate.id })).toBe('DOCUMENT_ANNULLED');
    expect(await clerk.code(SubmitDocumentsDocument, { ids: [duplicate.id] })).toBe('DOCUMENT_ANNULLED');
    expect(await clerk.code(CorrectRegistrationDocument, { id: duplicate.id, input: { number: '9' }, reason: 'Sửa' })).toBe('DOCUMENT_ANNULLED');
    expect(await clerk.code(AnnulRegistrationDocument, { id: duplicate.id, reason: 'Lần nữa' })).toBe('DOCUMENT_ANNULLED');
    const dossier = (await director.ok(OpenDossierDocument, { input: { notation: '09.VP', title: 'Hồ sơ thẩm định dự án', year: 2026, retention: '10' } }))
      .openDossier;
    expect(await director.code(FileDocumentDocument, { dossierId: dossier.id, documentId: duplicate.id })).toBe('DOCUMENT_ANNULLED');
    const history = (await incoming(clerk, duplicate.id))!.history.edges.map((e) => e.node);
    expect(history.at(-1)).toMatchObject({ type: 'ANNULLED', fromState: 'ASSIGNED', toState: 'ANNULLED', actor: { username: DEMO.clerk } });

    // The number is never given again, and never missing from the register.
    const next = await registered({ subject: 'V/v cấp phép xây dựng nhà ở riêng lẻ' });
    expect(next.arrivalNumber).toBe(duplicate.arrivalNumber! + 1);
    // The same number, symbol and issuer again: the first registration is a probable duplicate, the annulled one no longer.
    expect(next.possibleDuplicates.map((d) => d.id)).toContain(first.id);
    expect(next.possibleDuplicates.map((d) => d.id)).not.toContain(duplicate.id);
    const register = await incomingRegister();
    expect(register.lastNumber).toBe(before.lastNumber + 3);
    const entries = register.entries.edges.map((e) => e.node);
    expect(register.entries.totalCount).toBe(register.lastNumber);
    expect(entries.map((e) => ('arrivalNumber' in e ? e.arrivalNumber : null))).toEqual(Array.from({ length: register.lastNumber }, (_, i) => i + 1));
    const shown = entries.find((e) => e.id === duplicate.id)!;
    expect(shown).toMatchObject({ incomingState: 'ANNULLED', annulmentReason: 'Vào sổ trùng với số đến trước', annulledAt: expect.any(String) });
    expect(entries.filter((e) => e.annulledAt).map((e) => e.id)).toEqual([duplicate.id]);
    // A staff member does not see the register at all.
    expect(await staff.code(RegisterEntriesDocument, { year: 2026 })).toBe('FORBIDDEN');
  });

  it('is refused without a reason, before registration, to anyone but the keeping unit’s clerk — and changes nothing', async () => {
    const doc = await registered({ subject: 'V/v góp ý quy hoạch chung đô thị' });
    const waiting = await receive(env, clerk, { subject: 'V/v chưa vào sổ' });
    const events = await eventCount(doc.id);
    expect(await clerk.code(AnnulRegistrationDocument, { id: doc.id, reason: '' })).toBe('BAD_USER_INPUT');
    expect(await director.code(AnnulRegistrationDocument, { id: doc.id, reason: 'Trùng' })).toBe('FORBIDDEN');
    expect(await centreClerk.code(AnnulRegistrationDocument, { id: doc.id, reason: 'Trùng' })).toBe('NOT_FOUND');
    expect(await staff.code(AnnulRegistrationDocument, { id: doc.id, reason: 'Trùng' })).toBe('FORBIDDEN');
    expect(await clerk.code(AnnulRegistrationDocument, { id: waiting.id, reason: 'Trùng' })).toBe('INVALID_TRANSITION');
    expect(await eventCount(doc.id)).toBe(events);
    expect(await incoming(clerk, doc.id)).toMatchObject({ state: 'REGISTERED', annulledAt: null });
  });
});

async function leadAssignment(id: string): Promise<string> {
  const { document } = await director.ok(DocumentDocument, { id });
  if (document?.__typename !== 'IncomingDocument') throw new Error('no incoming document');
  return document.assignments.find((a) => a.role === 'LEAD')!.id;
}

describe('the interconnection rule for outside recipients (Điều 9.2)', () => {
  it('refuses a centre’s draft to an outside correspondent, and an issue to one however it got there', async () => {
    const ubnd = (await centreDesk.staff.ok(CorrespondentsDocument, { text: 'Ủy ban nhân dân tỉnh' })).correspondents[0];
    const fileId = (await upload(env, centreDesk.staff)).id;
    const input = { documentTypeCode: 'BC', subject: 'V/v báo cáo UBND tỉnh', fileId, recipientCorrespondentIds: [ubnd.id] };
    expect(await centreDesk.staff.code(CreateDraftDocument, { input })).toBe('INTERCONNECTION_NOT_ALLOWED');
    // The agency may.
    await draft(env, staff, { subject: 'V/v báo cáo UBND tỉnh', recipientCorrespondentIds: [ubnd.id] });
    // A centre draft to its agency, then an outside recipient slipped in behind the API: issue refuses it and takes no number.
    const d = await draft(env, centreDesk.staff, { documentTypeCode: 'BC', recipientUnitIds: [units['SXD']] });
    await toSigned(centreDesk, d.id);
    await env.sql(
      `insert into outgoing_recipient (id, document_id, correspondent_id, delivery_state, ordinal)
       select gen_random_uuid(), $1, id, 'PENDING', 9 from correspondent where name = $2`,
      [keyOf(d.id), ubnd.name],
    );
    const scan = await upload(env, centreClerk, pdf(), 'ban-ky.pdf');
    const lastBefore = (await centreClerk.ok(RegisterEntriesDocument, { year: 2026 })).registers.find((r) => r.direction === 'OUTGOING')?.lastNumber ?? 0;
    const refused = await centreClerk.request(IssueDocumentDocument, { id: d.id, input: { signedFileId: scan.id } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('INTERCONNECTION_NOT_ALLOWED');
    expect((await centreClerk.ok(OutgoingDocumentDocument, { id: d.id })).document).toMatchObject({ state: 'SIGNED', number: null });
    expect((await centreClerk.ok(RegisterEntriesDocument, { year: 2026 })).registers.find((r) => r.direction === 'OUTGOING')?.lastNumber ?? 0).toBe(lastBefore);
  });
});

describe('document types as data', () => {
  const draftCode = async (documentTypeCode: string) =>
    staff.code(CreateDraftDocument, { input: { documentTypeCode, subject: 'Dự thảo thử', fileId: (await upload(env, staff)).id } });

  it('a type the SYSADMIN adds is offered for drafts and written into the issued symbol', async () => {
    const input = { code: 'TBKL', name: 'Thông báo kết luận', abbreviation: 'TBKL' };
    const created = (await admin.ok(CreateDocumentTypeDocument, { input })).createDocumentType;
    expect(created).toMatchObject({ code: 'TBKL', origin: 'ADDED', retiredAt: null });
    expect((await staff.ok(AllDocumentTypesDocument, {})).documentTypes.map((t) => t.code)).toContain('TBKL');
    const subject = 'Thông báo kết luận kiểm tra công tác quản lý chất lượng';
    const d = await draft(env, staff, { documentTypeCode: 'TBKL', subject, recipientUnitIds: [units['TTQHKĐ']] });
    await toSigned(desk, d.id);
    const issued = await issue(env, clerk, d.id);
    expect(issued.symbol).toBe('TBKL-SXD');
    // Renamed, with a new abbreviation: the issued document keeps its symbol, new issues take the new one.
    await admin.ok(UpdateDocumentTypeDocument, { code: 'TBKL', input: { name: 'Thông báo kết luận kiểm tra', abbreviation: 'TBKLKT' } });
    const d2 = await draft(env, staff, { documentTypeCode: 'TBKL', recipientUnitIds: [units['TTQHKĐ']] });
    await toSigned(desk, d2.id);
    expect((await issue(env, clerk, d2.id)).symbol).toBe('TBKLKT-SXD');
    expect((await clerk.ok(OutgoingDocumentDocument, { id: d.id })).document).toMatchObject({ symbol: 'TBKL-SXD' });
  });

  it('refuses duplicates, bad codes, unknown types and anyone but the SYSADMIN', async () => {
    const count = async () => (await env.sql<{ n: number }>(`select count(*)::int as n from document_type`))[0].n;
    const n = await count();
    const create = (input: { code: string; name: string; abbreviation?: string | null }, as = admin) => as.code(CreateDocumentTypeDocument, { input });
    expect(await create({ code: 'QĐ', name: 'Quyết định mới', abbreviation: 'QĐM' })).toBe('ALREADY_EXISTS');
    expect(await create({ code: 'QDM', name: 'quyết định', abbreviation: 'QDM' })).toBe('ALREADY_EXISTS'); // the name, whatever its case
    expect(await create({ code: 'QDM', name: 'Quyết định mới', abbreviation: 'TB' })).toBe('ALREADY_EXISTS'); // the abbreviation
    expect(await create({ code: 'Q-M', name: 'Quyết định mới' })).toBe('BAD_USER_INPUT');
    expect(await create({ code: 'QDM', name: 'Quyết định mới', abbreviation: 'Q/M' })).toBe('BAD_USER_INPUT');
    expect(await create({ code: 'QDM', name: '' })).toBe('BAD_USER_INPUT');
    expect(await create({ code: 'QDM', name: 'Quyết định mới' }, clerk)).toBe('FORBIDDEN');
    expect(await create({ code: 'QDM', name: 'Quyết định mới' }, director)).toBe('FORBIDDEN');
    expect(await count()).toBe(n);
    expect(await admin.code(UpdateDocumentTypeDocument, { code: 'KHONGCO', input: { name: 'Không có' } })).toBe('NOT_FOUND');
    expect(await admin.code(UpdateDocumentTypeDocument, { code: 'KH', input: { name: 'Thông báo' } })).toBe('ALREADY_EXISTS');
    expect(await staff.code(RetireDocumentTypeDocument, { code: 'KH' })).toBe('FORBIDDEN');
    expect(await admin.code(RetireDocumentTypeDocument, { code: 'KHONGCO' })).toBe('NOT_FOUND');
    expect(await admin.code(ReinstateDocumentTypeDocument, { code: 'KH' })).toBe('INVALID_TRANSITION');
  });

  it('a retired type is not offered or accepted for new drafts, but stays on older documents and on received ones', async () => {
    const older = await draft(env, staff, { documentTypeCode: 'PA', subject: 'Phương án phòng chống thiên tai' });
    await admin.ok(RetireDocumentTypeDocument, { code: 'PA' });
    expect(await admin.code(RetireDocumentTypeDocument, { code: 'PA' })).toBe('INVALID_TRANSITION');
    expect((await staff.ok(AllDocumentTypesDocument, {})).documentTypes.map((t) => t.code)).not.toContain('PA');
    const all = (await staff.ok(AllDocumentTypesDocument, { includeRetired: true })).documentTypes;
    expect(all.find((t) => t.code === 'PA')).toMatchObject({ retiredAt: expect.any(String) });
    expect(await draftCode('PA')).toBe('DOCUMENT_TYPE_RETIRED');
    // The draft that has it keeps it through review; a received document may carry it.
    await toSigned(desk, older.id);
    expect((await clerk.ok(OutgoingDocumentDocument, { id: older.id })).document).toMatchObject({ state: 'SIGNED', documentType: { code: 'PA' } });
    expect((await receive(env, clerk, { documentTypeCode: 'PA' })).documentType.code).toBe('PA');
    // Legal documents are known from the start, for receiving only.
    const nd = (await clerk.ok(AllDocumentTypesDocument, { includeRetired: true })).documentTypes.find((t) => t.name === 'Nghị định');
    expect(nd).toMatchObject({ code: 'NĐ', origin: 'LEGAL', retiredAt: expect.any(String) });
    expect(await draftCode('NĐ')).toBe('DOCUMENT_TYPE_RETIRED');
    await admin.ok(ReinstateDocumentTypeDocument, { code: 'PA' });
    expect((await draft(env, staff, { documentTypeCode: 'PA' })).documentType.code).toBe('PA');
  });

  it('a package of an unknown type keeps its type as received instead of becoming a Công văn', async () => {
    await clerk.ok(CreatePeerDocument, { input: { name: 'Bộ Xây dựng', organId: PEER_ORGAN, endpoint: 'http://127.0.0.1:1/edxml', secret: SECRET } });
    const url = env.server.url.replace('/graphql', '/exchange/messages');
    const send = async (code: string, name: string) => {
      const codeNumber = String(Math.floor(Math.random() * 1e6));
      const pkg = samplePackage(PEER_ORGAN, ORGAN, { documentTypeCode: code, documentTypeName: name, codeNotation: 'BXD-HĐXD', codeNumber });
      const r = await postMessage(url, PEER_ORGAN, SECRET, buildPackage({ kind: 'PACKAGE', ...pkg } as never));
      expect(r).toMatchObject({ status: 200, body: { status: 'ACCEPTED' } });
      const rows = await env.sql<{ code: string }>(`select document_type_code as code from document where exchange_document_id = $1`, [pkg.documentId]);
      return rows[0].code;
    };
    expect(await send('TT', 'Thông tư')).toBe('TT');
    const code = await send('QĐLT', 'Quyết định liên tịch');
    expect(code).toBe('QĐLT');
    const kept = (await clerk.ok(AllDocumentTypesDocument, { includeRetired: true })).documentTypes.find((t) => t.code === code);
    expect(kept).toMatchObject({ name: 'Quyết định liên tịch', origin: 'RECEIVED', retiredAt: expect.any(String) });
    // The same type again is the same type; one known only by its name is found by it.
    expect(await send('QĐLT', 'Quyết định liên tịch')).toBe('QĐLT');
    expect(await send('', 'quyết định liên tịch')).toBe('QĐLT');
    expect(await send('99', 'Chỉ thị liên tịch')).toBe('99');
    expect(await env.sql(`select code from document_type where name = 'Công văn'`)).toEqual([{ code: 'CV' }]);
    expect(await draftCode('QĐLT')).toBe('DOCUMENT_TYPE_RETIRED');
  });
});
