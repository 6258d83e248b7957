import {
  AccountsDocument,
  ApproveDraftDocument,
  AssignDocumentDocument,
  CompleteAssignmentDocument,
  CreateDraftDocument,
  IncomingCopyDocument,
  InboxCountsDocument,
  InboxDocument,
  IssueDocumentDocument,
  OutgoingDocumentDocument,
  RecallDocumentDocument,
  RegisterDocumentDocument,
  ReturnDraftDocument,
  ReviseDraftDocument,
  SignDocumentDocument,
  StartAssignmentDocument,
  SubmitDocumentsDocument,
  SubmitDraftDocument,
} from '../generated/graphql';
import { download, pdf, receive, unitIds, upload } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { draft, issue, toSigned, type Desk } from '../helpers/outgoing';
import { snapshot } from '../helpers/snapshot';

let env: TestEnv;
let desk: Desk;
let centre: Desk;
let units: Record<string, string>;
let bxd: string;

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  const [staff, head, director, clerk] = await Promise.all([env.as(DEMO.staff), env.as(DEMO.head), env.as(DEMO.director), env.as(DEMO.clerk)]);
  desk = { staff, head, director, clerk };
  const [cs, ch, cd, cc] = await Promise.all([env.as(DEMO.centreStaff), env.as(DEMO.centreHead), env.as(DEMO.centreDirector), env.as(DEMO.centreClerk)]);
  centre = { staff: cs, head: ch, director: cd, clerk: cc };
  units = await unitIds(director);
  const rows = await env.sql<{ id: string }>(`select id from correspondent where short_name = 'BXD'`);
  bxd = Buffer.from(`Correspondent:${rows[0].id}`).toString('base64url');
});
afterAll(() => env?.close());

const outgoingDoc = async (c: ApiClient, id: string) => {
  const { document } = await c.ok(OutgoingDocumentDocument, { id });
  return document?.__typename === 'OutgoingDocument' ? document : null;
};
const incomingCopy = async (c: ApiClient, id: string) => {
  const { document } = await c.ok(IncomingCopyDocument, { id });
  return document?.__typename === 'IncomingDocument' ? document : null;
};

describe('an outgoing document from draft to the recipient’s register', () => {
  it('is drafted, returned once, revised, approved, signed, issued as NN/SXD-QLHĐXD and arrives in the centre’s TO_REGISTER; the sender follows 01 → 06', async () => {
    const d = await draft(env, desk.staff, { recipientUnitIds: [units['TTQHKĐ']], recipientCorrespondentIds: [bxd], signerPosition: 'Giám đốc' });
    expect(d).toMatchObject({
      state: 'DRAFT',
      version: 1,
      number: null,
      keepingUnit: { shortName: 'SXD' },
      draftingUnit: { shortName: 'QLHĐXD' },
      drafter: { username: DEMO.staff },
    });
    expect(d.recipients.map((r) => r.deliveryState)).toEqual(['PENDING', 'PENDING']);
    expect((await desk.staff.ok(InboxDocument, { view: 'DRAFTS' })).inbox.totalCount).toBe(1);
    // Before signature the clerk does not see it.
    expect(await outgoingDoc(desk.clerk, d.id)).toBeNull();

    await desk.staff.ok(SubmitDraftDocument, { id: d.id });
    expect((await desk.head.ok(InboxCountsDocument)).inboxCounts.TO_REVIEW).toBe(1);
    expect(await desk.head.code(ReturnDraftDocument, { id: d.id, reason: '' })).toBe('BAD_USER_INPUT');
    expect((await desk.head.ok(ReturnDraftDocument, { id: d.id, reason: 'Bổ sung căn cứ pháp lý.' })).returnDraft).toMatchObject({
      state: 'DRAFT',
      returnReason: 'Bổ sung căn cứ pháp lý.',
    });

    const file2 = await upload(env, desk.staff, pdf('v2'), 'du-thao-v2.pdf');
    const revised = (
      await desk.staff.ok(ReviseDraftDocument, {
        id: d.id,
        input: {
          documentTypeCode: 'CV',
          subject: 'V/v góp ý dự thảo quy định phân cấp (bổ sung căn cứ)',
          fileId: file2.id,
          recipientUnitIds: [units['TTQHKĐ']],
          recipientCorrespondentIds: [bxd],
          signerPosition: 'Giám đốc',
        },
      })
    ).reviseDraft;
    expect(revised.version).toBe(2);
    expect(revised.versions.map((v) => [v.version, v.author.username, v.file.name])).toEqual([
      [1, DEMO.staff, 'du-thao.pdf'],
      [2, DEMO.staff, 'du-thao-v2.pdf'],
    ]);
    // Every version's file stays readable to those who may read the draft.
    expect((await download(env, desk.head, revised.versions[0].file.id)).status).toBe(200);

    await desk.staff.ok(SubmitDraftDocument, { id: d.id });
    await desk.head.ok(ApproveDraftDocument, { id: d.id, comment: 'Đồng ý trình ký.' });
    expect((await desk.director.ok(InboxCountsDocument)).inboxCounts.TO_SIGN).toBe(1);
    const signed = (await desk.director.ok(SignDocumentDocument, { id: d.id })).signDocument;
    expect(signed).toMatchObject({ state: 'SIGNED', signer: { username: DEMO.director }, signerName: 'Nguyễn Văn Minh' });
    expect((await desk.clerk.ok(InboxCountsDocument)).inboxCounts.TO_ISSUE).toBe(1);

    const issued = await issue(env, desk.clerk, d.id);
    expect(issued).toMatchObject({
      state: 'ISSUED',
      number: '01',
      symbol: 'SXD-QLHĐXD',
      numberAndSymbol: '01/SXD-QLHĐXD',
      issuedDate: '2026-11-26',
      register: { year: 2026, direction: 'OUTGOING', lastNumber: 1 },
    });
    const [toCentre, toBxd] = issued.recipients;
    expect(toCentre).toMatchObject({ deliveryState: 'DELIVERED', statusCode: '01', unit: { shortName: 'TTQHKĐ' } });
    expect(toBxd).toMatchObject({ deliveryState: 'AWAITING_EXCHANGE', statusCode: null, correspondent: { name: 'Bộ Xây dựng' } });
    expect((await desk.clerk.ok(InboxCountsDocument)).inboxCounts.TO_ISSUE).toBe(0);

    // The centre's clerk finds it waiting to be registered, with the same bytes attached.
    const waiting = (await centre.clerk.ok(InboxDocument, { view: 'TO_REGISTER' })).inbox.edges.map((e) => e.node.id);
    expect(waiting).toHaveLength(1);
    const copy = (await incomingCopy(centre.clerk, waiting[0]))!;
    expect(copy).toMatchObject({
      state: 'RECEIVED',
      numberAndSymbol: '01/SXD-QLHĐXD',
      arrivalChannel: 'INTERNAL',
      sender: { __typename: 'Unit', shortName: 'SXD' },
    });
    expect(copy.attachments.map((a) => a.sha256)).toEqual(issued.attachments.map((a) => a.sha256));
    // The centre does not read the sender's draft history.
    expect(copy.origin).toBeNull();

    const status = async () => (await outgoingDoc(desk.clerk, d.id))!.recipients[0].statusCode;
    await centre.clerk.ok(RegisterDocumentDocument, { id: copy.id });
    expect(await status()).toBe('03');
    await centre.clerk.ok(SubmitDocumentsDocument, { ids: [copy.id] });
    expect(await status()).toBe('03');
    const staffId = (await centre.director.ok(AccountsDocument, { filter: { text: DEMO.centreStaff } })).accounts.edges[0].node.id;
    const { assignDocument } = await centre.director.ok(AssignDocumentDocument, {
      id: copy.id,
      input: { instruction: 'Giao đ/c Thu.', lead: { accountId: staffId, deadline: '2026-12-10' } },
    });
    expect(await status()).toBe('04');
    await centre.staff.ok(StartAssignmentDocument, { assignmentId: assignDocument.assignments[0].id });
    expect(await status()).toBe('05');
    await centre.staff.ok(CompleteAssignmentDocument, { assignmentId: assignDocument.assignments[0].id, input: { result: 'Đã góp ý.' } });
    expect(await status()).toBe('06');

    const full = (await outgoingDoc(desk.director, d.id))!;
    expect(full.history.edges.map((e) => e.node.type)).toEqual([
      'DRAFTED',
      'SUBMITTED_FOR_REVIEW',
      'RETURNED',
      'REVISED',
      'SUBMITTED_FOR_REVIEW',
      'APPROVED',
      'SIGNED',
      'ISSUED',
    ]);
  });

  it('refuses to issue what was not signed on the system, from every earlier state, and leaves the register untouched', async () => {
    const d = await draft(env, desk.staff);
    const scan = await upload(env, desk.clerk, pdf(), 'scan.pdf');
    const before = await snapshot(env, ['document', 'register', 'routing_event', 'document_attachment', 'outgoing_recipient']);
    const attempt = async () => (await desk.clerk.request(IssueDocumentDocument, { id: d.id, input: { signedFileId: scan.id } })).errors?.[0]?.extensions?.code;
    expect(await attempt()).toBe('NOT_SIGNED'); // DRAFT
    await desk.staff.ok(SubmitDraftDocument, { id: d.id });
    const mid = await snapshot(env, ['register', 'document_attachment', 'outgoing_recipient']);
    expect(await attempt()).toBe('NOT_SIGNED'); // IN_REVIEW
    await desk.head.ok(ApproveDraftDocument, { id: d.id });
    expect(await attempt()).toBe('NOT_SIGNED'); // AWAITING_SIGNATURE
    expect(await snapshot(env, ['register', 'document_attachment', 'outgoing_recipient'])).toEqual(mid);
    expect(before.register).toBe(mid.register);
    // Only the steps themselves were recorded.
    const events = await env.sql<{ type: string }>(`select type from routing_event e join document d on d.id = e.document_id where d.id = $1 order by e.id`, [
      Buffer.from(d.id, 'base64url').toString().split(':')[1],
    ]);
    expect(events.map((e) => e.type)).toEqual(['DRAFTED', 'SUBMITTED_FOR_REVIEW', 'APPROVED']);
    // Other roles are refused at the gate.
    expect(await desk.director.code(IssueDocumentDocument, { id: d.id, input: { signedFileId: scan.id } })).toBe('FORBIDDEN');
  });

  it('keeps drafts from everybody but the drafter, the department’s heads, the keeping unit’s directors, and the clerk once signed', async () => {
    const d = await draft(env, desk.staff);
    for (const c of [centre.staff, centre.head, centre.director, centre.clerk, desk.clerk, await env.as('admin@sxd.binhdinh.gov.vn', 'Admin-secret-2026')]) {
      expect(await outgoingDoc(c, d.id)).toBeNull();
    }
    for (const c of [desk.staff, desk.head, desk.director]) expect(await outgoingDoc(c, d.id)).toMatchObject({ id: d.id });
    // A version file is not readable outside that circle.
    expect((await download(env, centre.clerk, d.versions[0].file.id)).status).toBe(404);
  });

  it('links a reply to the incoming document it answers, both ways', async () => {
    const incoming = await receive(env, desk.clerk, { registerNow: true });
    await desk.clerk.ok(SubmitDocumentsDocument, { ids: [incoming.id] });
    const staffId = (await desk.director.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
    const { assignDocument } = await desk.director.ok(AssignDocumentDocument, {
      id: incoming.id,
      input: { instruction: 'Dự thảo trả lời.', lead: { accountId: staffId, deadline: '2026-12-10' } },
    });
    const reply = await draft(env, desk.staff, { recipientUnitIds: [units['TTQHKĐ']] });
    await desk.staff.ok(CompleteAssignmentDocument, {
      assignmentId: assignDocument.assignments[0].id,
      input: { result: 'Đã dự thảo văn bản trả lời.', replyDocumentId: reply.id },
    });
    const inc = (await incomingCopy(desk.director, incoming.id))!;
    expect(inc.assignments[0].replyDocument?.id).toBe(reply.id);
    expect((await outgoingDoc(desk.director, reply.id))!.inReplyTo.map((x) => x.id)).toEqual([incoming.id]);
  });
});

describe('the interconnection rule (Điều 9.2)', () => {
  it('refuses a centre addressing the other centre, or the agency’s department, at draft', async () => {
    expect(await centre.staff.code(OutgoingDocumentDocument, { id: 'x' })).toBe('BAD_USER_INPUT');
    const file = await upload(env, centre.staff);
    const r = await centre.staff.request(CreateDraftDocument, {
      input: { documentTypeCode: 'BC', subject: 'Báo cáo', fileId: file.id, recipientUnitIds: [units['TTPTN']] },
    });
    expect(r.errors?.[0]?.extensions?.code).toBe('INTERCONNECTION_NOT_ALLOWED');
    expect(r.errors?.[0]?.message).toContain('Trung tâm Phát triển nhà');
    // A unit sends internal notices to its own departments only: not the centre to the agency's Office.
    const toDept = await centre.staff.request(CreateDraftDocument, {
      input: { documentTypeCode: 'BC', subject: 'Báo cáo', fileId: (await upload(env, centre.staff)).id, recipientUnitIds: [units['VP']] },
    });
    expect(toDept.errors?.[0]?.extensions?.code).toBe('INTERCONNECTION_NOT_ALLOWED');
  });

  it('lets a centre address its agency, and the agency both centres; the recall reaches every copy', async () => {
    const up = await draft(env, centre.staff, { documentTypeCode: 'BC', subject: 'Báo cáo kết quả kiểm định quý IV', recipientUnitIds: [units['SXD']] });
    await toSigned(centre, up.id);
    const upIssued = await issue(env, centre.clerk, up.id);
    expect(upIssued).toMatchObject({ numberAndSymbol: '01/BC-TTQHKĐ', recipients: [{ deliveryState: 'DELIVERED', statusCode: '01' }] });

    const down = await draft(env, desk.staff, {
      documentTypeCode: 'TB',
      subject: 'Thông báo lịch họp giao ban tháng 12',
      recipientUnitIds: [units['TTQHKĐ'], units['TTPTN']],
    });
    await toSigned(desk, down.id);
    const issued = await issue(env, desk.clerk, down.id);
    expect(issued.numberAndSymbol).toMatch(/^\d{2}\/TB-SXD$/);
    expect(issued.recipients.map((r) => [r.unit?.shortName, r.deliveryState])).toEqual([
      ['TTQHKĐ', 'DELIVERED'],
      ['TTPTN', 'DELIVERED'],
    ]);
    // One copy is registered and assigned before the recall; the other is untouched.
    const copyId = (await centre.clerk.ok(InboxDocument, { view: 'TO_REGISTER' })).inbox.edges.map((e) => e.node.id).find(Boolean)!;
    const other = await env.sql<{ id: string; state: string }>(`select id, state from document where origin_id = $1 order by id`, [
      Buffer.from(down.id, 'base64url').toString().split(':')[1],
    ]);
    expect(other).toHaveLength(2);
    await centre.clerk.ok(RegisterDocumentDocument, { id: copyId });
    expect(await desk.clerk.code(RecallDocumentDocument, { id: down.id, reason: '' })).toBe('BAD_USER_INPUT');
    const recalled = (await desk.clerk.ok(RecallDocumentDocument, { id: down.id, reason: 'Thay đổi thời gian họp.' })).recallDocument;
    expect(recalled).toMatchObject({ state: 'RECALLED', recallReason: 'Thay đổi thời gian họp.' });
    expect(recalled.recipients.map((r) => r.statusCode)).toEqual(['15', '15']);
    const copies = await env.sql<{ state: string; n: string }>(
      `select d.state, (select count(*) from routing_event e where e.document_id = d.id and e.type = 'RECALLED')::text as n from document d where d.origin_id = $1`,
      [Buffer.from(down.id, 'base64url').toString().split(':')[1]],
    );
    expect(copies).toEqual([
      { state: 'RECALLED', n: '1' },
      { state: 'RECALLED', n: '1' },
    ]);
    const copy = (await incomingCopy(centre.clerk, copyId))!;
    expect(copy.history.edges.map((e) => [e.node.type, e.node.fromState, e.node.toState])).toEqual([
      ['RECEIVED', null, 'RECEIVED'],
      ['REGISTERED', 'RECEIVED', 'REGISTERED'],
      ['RECALLED', 'REGISTERED', 'RECALLED'],
    ]);
    // A recalled document is frozen.
    expect(await centre.clerk.code(SubmitDocumentsDocument, { ids: [copyId] })).toBe('INVALID_TRANSITION');
    expect(await desk.clerk.code(RecallDocumentDocument, { id: down.id, reason: 'again' })).toBe('INVALID_TRANSITION');
  });
});
