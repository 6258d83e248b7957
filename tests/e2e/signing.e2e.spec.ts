import {
  AnnulOutgoingNumberDocument,
  ApproveDraftDocument,
  ChangePasswordDocument,
  CreateAccountDocument,
  DelegateSigningDocument,
  InboxDocument,
  IssueNumberedDocument,
  LoginDocument,
  MeDocument,
  MakeCollectiveDocument,
  OutgoingRegisterDocument,
  RevokeSigningDocument,
  SignInDocument,
  SetPositionDocument,
  SignedOutgoingDocument,
  SubmitDraftDocument,
  TakeOutgoingNumberDocument,
  type Position,
  type Role,
  type SignedDocumentFragment,
} from '../generated/graphql';
import { pdf, unitIds, upload } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { draft, toSigned, type Desk } from '../helpers/outgoing';

let env: TestEnv;
let desk: Desk;
let admin: ApiClient;
let units: Record<string, string>;
let deputy: ApiClient;
let acting: ApiClient;
let officeChief: ApiClient;
const ids: Record<string, string> = {};

async function person(username: string, unitId: string, roles: Role[], positionCode: Position): Promise<ApiClient> {
  const { createAccount } = await admin.ok(CreateAccountDocument, { input: { username, fullName: 'Người Thử Nghiệm', unitId, roles, positionCode } });
  ids[username] = createAccount.account.id;
  const c = env.client();
  c.token = (await c.ok(LoginDocument, { username, password: createAccount.initialPassword! })).login.token;
  await c.ok(ChangePasswordDocument, { currentPassword: createAccount.initialPassword!, newPassword: 'Mat-khau-moi-2026' });
  return c;
}

/** A draft of the agency taken to AWAITING_SIGNATURE. */
async function awaitingSignature(subject = 'V/v góp ý dự thảo quy định phân cấp') {
  const d = await draft(env, desk.staff, { subject });
  await desk.staff.ok(SubmitDraftDocument, { id: d.id });
  await desk.head.ok(ApproveDraftDocument, { id: d.id });
  return d.id;
}

const signature = (d: SignedDocumentFragment) => d.signatures[0];
/** The primary key behind a global id. */
const key = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':').pop()!;
const stateOf = async (id: string) => (await env.sql<{ state: string }>('select state from document where id = $1', [key(id)]))[0]?.state;

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  const [staff, head, director, clerk] = await Promise.all([env.as(DEMO.staff), env.as(DEMO.head), env.as(DEMO.director), env.as(DEMO.clerk)]);
  desk = { staff, head, director, clerk };
  admin = await env.as(ADMIN_USERNAME);
  units = await unitIds(admin);
  deputy = await person('phogiamdoc@sxd.binhdinh.gov.vn', units['SXD'], ['DIRECTOR'], 'DEPUTY_DIRECTOR');
  acting = await person('quyengiamdoc@sxd.binhdinh.gov.vn', units['SXD'], ['DIRECTOR'], 'ACTING_DIRECTOR');
  officeChief = await person('chanhvanphong.thunghiem@sxd.binhdinh.gov.vn', units['VP'], ['HEAD', 'STAFF'], 'OFFICE_CHIEF');
}, 120_000);
afterAll(() => env?.close());

describe('signature forms (NĐ 30/2020 Điều 13)', () => {
  it('the director signs in their own name: "GIÁM ĐỐC", no abbreviation', async () => {
    const s = (await desk.director.ok(SignInDocument, { id: await awaitingSignature() })).signDocument;
    expect(s.signatureAuthority).toBeNull();
    expect(signature(s)).toEqual({
      signer: { username: DEMO.director },
      capacity: 'HEAD',
      signedFor: null,
      signedOnBehalfOf: null,
      lines: ['GIÁM ĐỐC'],
      signerTitle: 'Giám đốc',
    });
  });

  it('a deputy director signs "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC" for the director, and may not sign as the head', async () => {
    const id = await awaitingSignature();
    expect(await deputy.code(SignInDocument, { id, capacity: 'HEAD' })).toBe('SIGNING_CAPACITY_NOT_HELD');
    expect(await stateOf(id)).toBe('AWAITING_SIGNATURE');
    const s = (await deputy.ok(SignInDocument, { id })).signDocument;
    expect(s).toMatchObject({
      state: 'SIGNED',
      signatureAuthority: 'KT. GIÁM ĐỐC',
      signerPosition: 'Phó Giám đốc',
      signedOnBehalfOf: { username: DEMO.director },
    });
    expect(signature(s)).toMatchObject({ capacity: 'DEPUTY', signedFor: 'Giám đốc', lines: ['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'] });
  });

  it('an acting director signs "Q. GIÁM ĐỐC"', async () => {
    const s = (await acting.ok(SignInDocument, { id: await awaitingSignature() })).signDocument;
    expect(signature(s)).toMatchObject({ capacity: 'ACTING', signedFor: 'Giám đốc', lines: ['Q. GIÁM ĐỐC'], signerTitle: 'Quyền Giám đốc' });
  });

  it('a head of department under a dated written authorisation signs "TUQ. GIÁM ĐỐC", not "KT."; not once it is revoked', async () => {
    const id = await awaitingSignature();
    expect(await desk.head.code(SignInDocument, { id })).toBe('FORBIDDEN');
    const input = { accountId: (await desk.head.ok(MeDocument)).me.id, right: 'SIGN' as const, startDate: '2026-11-26', endDate: '2026-11-26' };
    const { delegateAuthority } = await desk.director.ok(DelegateSigningDocument, { input });
    expect(delegateAuthority.form).toBe('AUTHORISATION');
    const head = await env.as(DEMO.head);
    expect(await head.code(SignInDocument, { id, capacity: 'DEPUTY' })).toBe('SIGNING_CAPACITY_NOT_HELD');
    const s = (await head.ok(SignInDocument, { id })).signDocument;
    expect(s).toMatchObject({ signatureAuthority: 'TUQ. GIÁM ĐỐC', signerPosition: 'Trưởng phòng', signedOnBehalfOf: { username: DEMO.director } });
    expect(signature(s)).toMatchObject({ capacity: 'BY_AUTHORISATION', signedFor: 'Giám đốc', lines: ['TUQ. GIÁM ĐỐC', 'TRƯỞNG PHÒNG'] });
    await desk.director.ok(RevokeSigningDocument, { id: delegateAuthority.id });
    expect(await (await env.as(DEMO.head)).code(SignInDocument, { id: await awaitingSignature() })).toBe('FORBIDDEN');
  });

  it('the head of the Office signs by order: "TL. GIÁM ĐỐC" / "CHÁNH VĂN PHÒNG"', async () => {
    const chiefId = ids['chanhvanphong.thunghiem@sxd.binhdinh.gov.vn'];
    const input = { accountId: chiefId, right: 'SIGN' as const, form: 'BY_ORDER' as const, startDate: '2026-11-26', endDate: '2026-12-31' };
    const { delegateAuthority } = await desk.director.ok(DelegateSigningDocument, { input });
    // The delegation is in force at once (every request reads the delegations of the day); TL. is not TUQ.
    expect(await officeChief.code(SignInDocument, { id: await awaitingSignature(), capacity: 'BY_AUTHORISATION' })).toBe('SIGNING_CAPACITY_NOT_HELD');
    const s = (await officeChief.ok(SignInDocument, { id: await awaitingSignature() })).signDocument;
    expect(signature(s)).toMatchObject({
      capacity: 'BY_ORDER',
      signedFor: 'Giám đốc',
      lines: ['TL. GIÁM ĐỐC', 'CHÁNH VĂN PHÒNG'],
      signedOnBehalfOf: { username: DEMO.director },
    });
    await desk.director.ok(RevokeSigningDocument, { id: delegateAuthority.id });
    expect(await officeChief.code(SignInDocument, { id: await awaitingSignature() })).toBe('FORBIDDEN');
  });

  it('a collective body: its head signs "TM. <BODY>", a deputy "TM." then "KT."', async () => {
    await admin.ok(MakeCollectiveDocument, { id: units['SXD'], input: { collectiveBody: 'Hội đồng quản lý' } });
    try {
      const head = (await desk.director.ok(SignInDocument, { id: await awaitingSignature() })).signDocument;
      expect(signature(head)).toMatchObject({ capacity: 'ON_BEHALF_OF_BODY', signedFor: 'Hội đồng quản lý', lines: ['TM. HỘI ĐỒNG QUẢN LÝ', 'GIÁM ĐỐC'] });
      const dep = (await deputy.ok(SignInDocument, { id: await awaitingSignature() })).signDocument;
      expect(signature(dep).lines).toEqual(['TM. HỘI ĐỒNG QUẢN LÝ', 'KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC']);
    } finally {
      await admin.ok(MakeCollectiveDocument, { id: units['SXD'], input: { collectiveBody: '' } });
    }
    // A department is no collective body.
    expect(await admin.code(MakeCollectiveDocument, { id: units['VP'], input: { collectiveBody: 'Hội đồng' } })).toBe('BAD_USER_INPUT');
  });

  it('refuses a signing delegation to someone who may not sign for the head, and a capacity asked of the wrong person', async () => {
    const staffId = (await desk.staff.ok(MeDocument)).me.id;
    const input = { accountId: staffId, right: 'SIGN' as const, startDate: '2026-11-26', endDate: '2026-11-27' };
    expect(await desk.director.code(DelegateSigningDocument, { input })).toBe('SIGNING_CAPACITY_NOT_HELD');
    const rows = await env.sql<{ n: number }>(`select count(*)::int as n from delegation where to_account_id = $1`, [key(staffId)]);
    expect(rows[0].n).toBe(0);
    expect(await desk.director.code(SignInDocument, { id: await awaitingSignature(), capacity: 'DEPUTY' })).toBe('SIGNING_CAPACITY_NOT_HELD');
  });
});

describe('positions (chức vụ) as account data', () => {
  it('the demo accounts carry their positions, and only SYSADMIN sets one; a title that contradicts the position is refused', async () => {
    const me = async (c: ApiClient) => (await c.ok(MeDocument)).me.id;
    const staffId = await me(desk.staff);
    expect(await desk.director.code(SetPositionDocument, { id: staffId, input: { positionCode: 'DEPUTY_HEAD_OF_DEPARTMENT' } })).toBe('FORBIDDEN');
    expect(await admin.code(SetPositionDocument, { id: staffId, input: { positionCode: 'DEPUTY_HEAD_OF_DEPARTMENT', position: 'Trưởng phòng' } })).toBe(
      'BAD_USER_INPUT',
    );
    type Row = { username: string; position: string; position_code: string };
    const rows = await env.sql<Row>(`select username, position, position_code from account where username = any($1)`, [
      [DEMO.director, DEMO.head, DEMO.staff, DEMO.clerk, DEMO.centreDirector],
    ]);
    expect(Object.fromEntries(rows.map((r) => [r.username, [r.position, r.position_code]]))).toEqual({
      [DEMO.staff]: ['Chuyên viên', 'OFFICER'],
      [DEMO.director]: ['Giám đốc', 'DIRECTOR'],
      [DEMO.centreDirector]: ['Giám đốc', 'DIRECTOR'],
      [DEMO.head]: ['Trưởng phòng', 'HEAD_OF_DEPARTMENT'],
      [DEMO.clerk]: ['Văn thư', 'RECORDS_CLERK'],
    });
    const { updateAccount } = await admin.ok(SetPositionDocument, { id: staffId, input: { positionCode: 'PRINCIPAL_OFFICER' } });
    expect(updateAccount).toMatchObject({ position: 'Chuyên viên chính', positionCode: 'PRINCIPAL_OFFICER' });
    const byTitle = (await admin.ok(SetPositionDocument, { id: staffId, input: { position: 'Chuyên viên' } })).updateAccount;
    expect(byTitle).toMatchObject({ position: 'Chuyên viên', positionCode: 'OFFICER' });
  });
});

describe('the number before the final scan (cấp số), and annulled register entries', () => {
  it('shows the number on the document as soon as it is taken, before issue; issue keeps it', async () => {
    const d = await draft(env, desk.staff, { subject: 'V/v cấp số trước khi quét bản ký', recipientUnitIds: [units['TTQHKĐ']] });
    await toSigned(desk, d.id);
    const before = await env.sql<{ last_number: number }>(`select last_number from register where direction = 'OUTGOING' and year = 2026`);
    const { takeOutgoingNumber: n } = await desk.clerk.ok(TakeOutgoingNumberDocument, { id: d.id });
    expect(n).toMatchObject({ state: 'NUMBERED', issueNumber: (before[0]?.last_number ?? 0) + 1, issuedDate: '2026-11-26' });
    expect(n.numberAndSymbol).toMatch(/^\d{2}\/SXD-QLHĐXD$/);
    // The director sees it at once, before any scan exists.
    const seen = (await desk.director.ok(SignedOutgoingDocument, { id: d.id })).document;
    if (seen?.__typename !== 'OutgoingDocument') throw new Error('not readable');
    expect(seen).toMatchObject({ state: 'NUMBERED', numberAndSymbol: n.numberAndSymbol, numberedAt: expect.any(String) });
    expect(seen.history.edges.map((e) => e.node.type)).toContain('NUMBERED');
    // It waits in the clerk's TO_ISSUE view for its final file.
    expect((await desk.clerk.ok(InboxDocument, { view: 'TO_ISSUE', first: 100 })).inbox.edges.map((e) => e.node.id)).toContain(d.id);
    // A second take keeps the number; a different date at issue is refused; nothing moved.
    expect(await desk.clerk.code(TakeOutgoingNumberDocument, { id: d.id })).toBe('NUMBER_ALREADY_TAKEN');
    const scan = await upload(env, desk.clerk, pdf(), 'ban-ky-co-so.pdf');
    expect(await desk.clerk.code(IssueNumberedDocument, { id: d.id, input: { signedFileId: scan.id, issuedDate: '2026-11-25' } })).toBe('BAD_USER_INPUT');
    const issued = (await desk.clerk.ok(IssueNumberedDocument, { id: d.id, input: { signedFileId: scan.id } })).issueDocument;
    expect(issued).toMatchObject({ state: 'ISSUED', numberAndSymbol: n.numberAndSymbol, issueNumber: n.issueNumber });
    expect(issued.attachments).toHaveLength(1);
    const after = await env.sql<{ last_number: number }>(`select last_number from register where direction = 'OUTGOING' and year = 2026`);
    expect(after[0].last_number).toBe(n.issueNumber);
  });

  it('refuses other roles, another unit, an unsigned document and a bad reason, changing nothing', async () => {
    const unsigned = await awaitingSignature();
    expect(await desk.clerk.code(TakeOutgoingNumberDocument, { id: unsigned })).toBe('NOT_SIGNED');
    const d = await draft(env, desk.staff);
    await toSigned(desk, d.id);
    expect(await desk.director.code(TakeOutgoingNumberDocument, { id: d.id })).toBe('FORBIDDEN');
    expect(await desk.staff.code(TakeOutgoingNumberDocument, { id: d.id })).toBe('FORBIDDEN');
    expect(await (await env.as(DEMO.centreClerk)).code(TakeOutgoingNumberDocument, { id: d.id })).toBe('NOT_FOUND');
    expect(await admin.code(TakeOutgoingNumberDocument, { id: d.id })).toBe('FORBIDDEN');
    expect(await desk.clerk.code(TakeOutgoingNumberDocument, { id: d.id, issuedDate: '2026-11-27' })).toBe('BAD_USER_INPUT');
    // A signed document without a number has no register entry to annul.
    expect(await desk.clerk.code(AnnulOutgoingNumberDocument, { id: d.id, reason: 'Nhầm' })).toBe('INVALID_TRANSITION');
    await desk.clerk.ok(TakeOutgoingNumberDocument, { id: d.id });
    expect(await desk.clerk.code(AnnulOutgoingNumberDocument, { id: d.id, reason: '   ' })).toBe('BAD_USER_INPUT');
    expect(await desk.director.code(AnnulOutgoingNumberDocument, { id: d.id, reason: 'Nhầm' })).toBe('FORBIDDEN');
    expect(await (await env.as(DEMO.centreClerk)).code(AnnulOutgoingNumberDocument, { id: d.id, reason: 'Nhầm' })).toBe('NOT_FOUND');
    expect(await stateOf(d.id)).toBe('NUMBERED');
    expect(await desk.staff.code(OutgoingRegisterDocument, {})).toBe('FORBIDDEN');
  });

  it('annuls an issued, delivered document through the recall path: its copy is recalled, the number stays used and marked', async () => {
    const d = await draft(env, desk.staff, { subject: 'V/v văn bản phát hành nhầm', recipientUnitIds: [units['TTQHKĐ']] });
    await toSigned(desk, d.id);
    const scan = await upload(env, desk.clerk, pdf(), 'ban-ky.pdf');
    const issued = (await desk.clerk.ok(IssueNumberedDocument, { id: d.id, input: { signedFileId: scan.id } })).issueDocument;
    const { annulOutgoingNumber: a } = await desk.clerk.ok(AnnulOutgoingNumberDocument, { id: d.id, reason: 'Phát hành nhầm đối tượng' });
    expect(a).toMatchObject({
      state: 'ANNULLED',
      numberAndSymbol: issued.numberAndSymbol,
      annulmentReason: 'Phát hành nhầm đối tượng',
      annulledBy: { username: DEMO.clerk },
    });
    expect(a.recalledAt).not.toBeNull();
    const copies = await env.sql<{ state: string }>(`select state from document where direction = 'INCOMING' and origin_id = $1`, [key(d.id)]);
    expect(copies.map((c) => c.state)).toEqual(['RECALLED']);
    const seen = (await desk.director.ok(SignedOutgoingDocument, { id: d.id })).document;
    if (seen?.__typename !== 'OutgoingDocument') throw new Error('not readable');
    expect(seen.history.edges.map((e) => [e.node.type, e.node.fromState, e.node.toState])).toEqual(
      expect.arrayContaining([
        ['RECALLED', 'ISSUED', 'RECALLED'],
        ['ANNULLED', 'RECALLED', 'ANNULLED'],
      ]),
    );
    expect(await desk.clerk.code(AnnulOutgoingNumberDocument, { id: d.id, reason: 'Lần nữa' })).toBe('INVALID_TRANSITION');
    expect(await desk.clerk.code(TakeOutgoingNumberDocument, { id: d.id })).toBe('NUMBER_ALREADY_TAKEN');
  });

  it('fifty numbers taken in parallel on two processes, some annulled: the register shows 1..N, annulled marked, no gap, no duplicate', async () => {
    const docs: string[] = [];
    for (let i = 0; i < 50; i++) {
      const d = await draft(env, desk.staff, { documentTypeCode: ['QĐ', 'CV', 'TB'][i % 3], subject: `Văn bản cấp số song song ${i}` });
      await toSigned(desk, d.id);
      docs.push(d.id);
    }
    const peer = await env.startPeer();
    try {
      const other = peer.client(desk.clerk.token);
      const results = await Promise.all(docs.map((id, i) => (i % 2 ? other : desk.clerk).request(TakeOutgoingNumberDocument, { id })));
      expect(results.filter((r) => r.errors)).toEqual([]);
      const taken = results.map((r) => r.data!.takeOutgoingNumber.issueNumber!);
      expect(new Set(taken).size).toBe(50);
      const annulled = docs.filter((_, i) => i % 7 === 3);
      await Promise.all(annulled.map((id, i) => (i % 2 ? other : desk.clerk).ok(AnnulOutgoingNumberDocument, { id, reason: `Hủy số do sai sót ${i}` })));
    } finally {
      await peer.close();
    }
    type Entry = { id: string; issueNumber?: number | null; state: string; annulledAt?: unknown; annulmentReason?: string | null; number?: string | null };
    const entries: Entry[] = [];
    let after: string | null | undefined = null;
    do {
      const page: Awaited<ReturnType<typeof registerPage>> = await registerPage(after);
      entries.push(...page.edges.map((e) => e.node));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    const last = (await env.sql<{ last_number: number }>(`select last_number from register where direction = 'OUTGOING' and year = 2026`))[0].last_number;
    expect(entries.map((e) => e.issueNumber)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    const annulledEntries = entries.filter((e) => e.annulledAt);
    expect(annulledEntries.length).toBeGreaterThanOrEqual(7);
    for (const e of annulledEntries) expect(e).toMatchObject({ state: 'ANNULLED', annulmentReason: expect.stringMatching(/\S/) });
    for (const e of entries.filter((x) => !x.annulledAt)) expect(e.annulmentReason).toBeNull();
    expect(new Set(entries.map((e) => e.number)).size).toBe(entries.length);
  });
});

async function registerPage(after: string | null | undefined) {
  return (await desk.clerk.ok(OutgoingRegisterDocument, { year: 2026, first: 100, after })).outgoingRegister;
}
