import { randomBytes } from 'node:crypto';
import {
  AgencyOutgoingDocument,
  ChangePasswordDocument,
  CorrespondentNodeDocument,
  CreateAccountDocument,
  CreateDraftDocument,
  CreatePeerDocument,
  CreateUnitDocument,
  ExchangeOutboxDocument,
  InboxDocument,
  LoginDocument,
  PeersDocument,
  RegisterDocumentDocument,
  RetryExchangeMessageDocument,
  UnitsDocument,
  UpdatePeerDocument,
  type Role,
} from '../generated/graphql';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { upload } from '../helpers/documents';
import { buildPackage, eventually, postMessage, samplePackage, startProcessPeer, type ProcessPeer } from '../helpers/exchange';
import { draft, issue, toSigned, type Desk } from '../helpers/outgoing';

/**
 * One deployment hosting two agencies (A: the demo Sở Xây dựng, ORGAN_ID; B: a second agency created
 * by the SYSADMIN with its own identifier) and a peer deployment P that exchanges with each.
 */

const A_ORGAN = '000.00.00.H08';
const B_ORGAN = '000.00.00.H09';
const P_ORGAN = '000.00.00.H41';
const UNHOSTED = '000.00.00.H77';
const SECRET_A = randomBytes(32).toString('hex'); // agreed between A and P
const SECRET_B = randomBytes(32).toString('hex'); // agreed between B and P
const FAST = { EXCHANGE_POLL_MS: '100', EXCHANGE_RETRY_BASE_MS: '200', EXCHANGE_RETRY_MAX_MS: '800', EXCHANGE_TIMEOUT_MS: '60000' };

let env: TestEnv;
let p: ProcessPeer;
let deskA: Desk;
let deskB: Desk;
let deskP: Desk;
let agencyA: string;
let agencyB: string;
let peerPatA: string;
let peerPatB: string;
let peerAatP: string;
let peerBatP: string;

/** A SYSADMIN-made account that has changed its initial password, signed in. */
async function person(admin: ApiClient, username: string, unitId: string, roles: Role[]): Promise<ApiClient> {
  const { createAccount } = await admin.ok(CreateAccountDocument, { input: { username, fullName: 'Người Thử Nghiệm', unitId, roles } });
  const c = env.client();
  c.token = (await c.ok(LoginDocument, { username, password: createAccount.initialPassword! })).login.token;
  await c.ok(ChangePasswordDocument, { currentPassword: createAccount.initialPassword!, newPassword: 'Mat-khau-moi-2026' });
  return c;
}

const asPeerEnv = (peer: ProcessPeer) => ({ server: { url: peer.url } }) as unknown as TestEnv;
const exchangeUrl = () => env.server.url.replace('/graphql', '/exchange/messages');

beforeAll(async () => {
  [env, p] = await Promise.all([startTestEnv({ env: { ORGAN_ID: A_ORGAN, ...FAST } }), startProcessPeer(P_ORGAN, FAST)]);
  const admin = await env.as(ADMIN_USERNAME);
  agencyA = (await admin.ok(UnitsDocument)).units.find((u) => u.kind === 'AGENCY')!.id;
  const b = (await admin.ok(CreateUnitDocument, { input: { name: 'Sở Giao thông vận tải tỉnh Bình Định', shortName: 'SGTVT', kind: 'AGENCY', code: B_ORGAN } }))
    .createUnit;
  agencyB = b.id;
  const officeB = (
    await admin.ok(CreateUnitDocument, { input: { name: 'Văn phòng Sở Giao thông vận tải', shortName: 'VP', kind: 'DEPARTMENT', parentId: agencyB } })
  ).createUnit;
  deskB = {
    director: await person(admin, 'giamdoc@sgtvt.binhdinh.gov.vn', agencyB, ['DIRECTOR']),
    clerk: await person(admin, 'vanthu@sgtvt.binhdinh.gov.vn', officeB.id, ['CLERK', 'STAFF']),
    head: await person(admin, 'chanhvanphong@sgtvt.binhdinh.gov.vn', officeB.id, ['HEAD', 'STAFF']),
    staff: await person(admin, 'chuyenvien@sgtvt.binhdinh.gov.vn', officeB.id, ['STAFF']),
  };
  const [staff, head, director, clerk] = await Promise.all([env.as(DEMO.staff), env.as(DEMO.head), env.as(DEMO.director), env.as(DEMO.clerk)]);
  deskA = { staff, head, director, clerk };
  const [pStaff, pHead, pDirector, pClerk] = await Promise.all([p.as(DEMO.staff), p.as(DEMO.head), p.as(DEMO.director), p.as(DEMO.clerk)]);
  deskP = { staff: pStaff, head: pHead, director: pDirector, clerk: pClerk };

  // Each agency knows P with the secret it agreed with it; P knows each agency with the same secret.
  peerPatA = (
    await deskA.clerk.ok(CreatePeerDocument, { input: { name: 'Sở Xây dựng tỉnh Phú Yên', organId: P_ORGAN, endpoint: p.exchangeUrl, secret: SECRET_A } })
  ).createCorrespondent.id;
  peerPatB = (
    await deskB.clerk.ok(CreatePeerDocument, { input: { name: 'Sở Xây dựng tỉnh Phú Yên', organId: P_ORGAN, endpoint: p.exchangeUrl, secret: SECRET_B } })
  ).createCorrespondent.id;
  peerAatP = (
    await deskP.clerk.ok(CreatePeerDocument, { input: { name: 'Sở Xây dựng tỉnh Bình Định', organId: A_ORGAN, endpoint: exchangeUrl(), secret: SECRET_A } })
  ).createCorrespondent.id;
  peerBatP = (
    await deskP.clerk.ok(CreatePeerDocument, {
      input: { name: 'Sở Giao thông vận tải tỉnh Bình Định', organId: B_ORGAN, endpoint: exchangeUrl(), secret: SECRET_B },
    })
  ).createCorrespondent.id;
}, 180_000);

afterAll(async () => {
  await p?.close();
  await env?.close();
});

const keepingUnitOf = async (exchangeDocumentId: string) =>
  (
    await env.sql<{ keeping_unit_id: string }>(`select keeping_unit_id from document where direction = 'INCOMING' and exchange_document_id = $1`, [
      exchangeDocumentId,
    ])
  ).map((r) => r.keeping_unit_id);
const toRegister = async (clerk: ApiClient) => (await clerk.ok(InboxDocument, { view: 'TO_REGISTER', first: 100 })).inbox.edges.map((e) => e.node);

async function issueFromP(subject: string, to: string) {
  const d = await draft(asPeerEnv(p), deskP.staff, { subject, recipientCorrespondentIds: [to] });
  await toSigned(deskP, d.id);
  await issue(asPeerEnv(p), deskP.clerk, d.id);
  const { document } = await deskP.clerk.ok(AgencyOutgoingDocument, { id: d.id });
  if (document?.__typename !== 'OutgoingDocument' || !document.exchangeDocumentId) throw new Error('not issued with a DocumentId');
  return { id: d.id, exchangeDocumentId: document.exchangeDocumentId };
}

async function issueFrom(desk: Desk, over: Parameters<typeof draft>[2]) {
  const d = await draft(env, desk.staff, over);
  await toSigned(desk, d.id);
  await issue(env, desk.clerk, d.id);
  return d.id;
}

const recipientsOf = async (client: ApiClient, id: string) => {
  const { document } = await client.ok(AgencyOutgoingDocument, { id });
  if (document?.__typename !== 'OutgoingDocument') throw new Error('no outgoing document');
  return document.recipients;
};

describe('exchange settings belong to one agency (issue 15, item 2)', () => {
  it("another agency's clerk can neither see nor change a peer, its endpoint, the outbox or a retry: NOT_FOUND, and nothing changes", async () => {
    // A issues to P, so A's outbox holds a message (acknowledged once P takes it).
    const docA = await issueFrom(deskA, { subject: 'V/v trao đổi hồ sơ thẩm định dự án', recipientCorrespondentIds: [peerPatA] });
    await eventually(async () => (await recipientsOf(deskA.clerk, docA))[0].deliveryState === 'ACKNOWLEDGED', 30_000, 'A’s package acknowledged by P');
    const before = await env.sql(`select id, agency_id, organ_id, endpoint, secret_cipher from correspondent order by id`);
    const messagesBefore = await env.sql(`select id, state, attempts, next_attempt_at, correspondent_id from exchange_message order by id`);
    const outboxA = (await deskA.clerk.ok(ExchangeOutboxDocument, { first: 100 })).exchangeOutbox;
    expect(outboxA.totalCount).toBeGreaterThan(0);
    const messageOfA = outboxA.edges[0].node;

    // B's clerk tries A's peer: change it (endpoint to an outside address), read it, address a draft to it.
    expect(await deskB.clerk.code(UpdatePeerDocument, { id: peerPatA, input: { endpoint: 'https://attacker.example.com/collect' } })).toBe('NOT_FOUND');
    expect(await deskB.clerk.code(UpdatePeerDocument, { id: peerPatA, input: { secret: randomBytes(32).toString('hex') } })).toBe('NOT_FOUND');
    expect((await deskB.clerk.ok(CorrespondentNodeDocument, { id: peerPatA })).node).toBeNull();
    expect((await deskB.clerk.ok(PeersDocument, {})).correspondents.map((c) => c.id)).not.toContain(peerPatA);
    expect((await deskB.clerk.ok(PeersDocument, { text: P_ORGAN })).correspondents.map((c) => c.id)).toEqual([peerPatB]);
    const file = await upload(env, deskB.staff);
    expect(
      await deskB.staff.code(CreateDraftDocument, {
        input: { documentTypeCode: 'CV', subject: 'V/v thử gửi qua đối tác của cơ quan khác', fileId: file.id, recipientCorrespondentIds: [peerPatA] },
      }),
    ).toBe('NOT_FOUND');
    // …A's outbox and its retry.
    const outboxB = (await deskB.clerk.ok(ExchangeOutboxDocument, { first: 100 })).exchangeOutbox;
    expect(outboxB.edges.map((e) => e.node.id)).not.toContain(messageOfA.id);
    expect(outboxB.edges.every((e) => e.node.correspondent.id === peerPatB)).toBe(true);
    expect(await deskB.clerk.code(RetryExchangeMessageDocument, { id: messageOfA.id })).toBe('NOT_FOUND');
    // A SYSADMIN is scoped the same way: the demo one works in A, so A's peer is its to see, B's is not.
    const sysadmin = await env.as(DEMO.sysadmin);
    expect(await sysadmin.code(UpdatePeerDocument, { id: peerPatB, input: { endpoint: 'https://attacker.example.com/collect' } })).toBe('NOT_FOUND');

    // Nothing changed.
    expect(await env.sql(`select id, agency_id, organ_id, endpoint, secret_cipher from correspondent order by id`)).toEqual(before);
    expect(await env.sql(`select id, state, attempts, next_attempt_at, correspondent_id from exchange_message order by id`)).toEqual(messagesBefore);
    // A's own clerk still sees and manages them.
    expect((await deskA.clerk.ok(CorrespondentNodeDocument, { id: peerPatA })).node).toMatchObject({ id: peerPatA, endpoint: p.exchangeUrl });
    expect(await deskA.clerk.code(RetryExchangeMessageDocument, { id: messageOfA.id })).toBe('INVALID_TRANSITION');
  }, 90_000);
});

describe('one deployment, many agencies (issue 15, item 8)', () => {
  it('each agency carries its own identifier: ORGAN_ID for the first, its code for the second; no other unit takes them', async () => {
    const admin = await env.as(ADMIN_USERNAME);
    expect(await admin.code(CreateUnitDocument, { input: { name: 'Sở Tư pháp', shortName: 'STP', kind: 'AGENCY', code: A_ORGAN } })).toBe('ALREADY_EXISTS');
    expect(await admin.code(CreateUnitDocument, { input: { name: 'Sở Tư pháp', shortName: 'STP', kind: 'AGENCY', code: B_ORGAN } })).toBe('ALREADY_EXISTS');
    expect(await admin.code(CreateUnitDocument, { input: { name: 'Sở Tư pháp', shortName: 'STP', kind: 'AGENCY', code: '000.00.00.h1' } })).toBe(
      'BAD_USER_INPUT',
    );
    const rows = await env.sql<{ id: string; code: string | null }>(
      `select id, code from unit where kind = 'AGENCY' and parent_id is null order by created_at`,
    );
    expect(rows.map((r) => r.code)).toEqual([null, B_ORGAN]);
    const unitKey = (id: string) => Buffer.from(id, 'base64url').toString().split(':')[1];
    expect(rows.map((r) => r.id)).toEqual([unitKey(agencyA), unitKey(agencyB)]);
  });

  it('packages from the peer reach only their addressee’s clerk, and statuses go back from that agency', async () => {
    const toA = await issueFromP('V/v phối hợp quản lý chất lượng công trình xây dựng', peerAatP);
    const toB = await issueFromP('V/v phối hợp tổ chức giao thông trên tuyến liên tỉnh', peerBatP);
    const unitKey = (id: string) => Buffer.from(id, 'base64url').toString().split(':')[1];
    await eventually(
      async () => (await keepingUnitOf(toA.exchangeDocumentId)).length > 0 && (await keepingUnitOf(toB.exchangeDocumentId)).length > 0,
      30_000,
      'both packages received',
    );
    expect(await keepingUnitOf(toA.exchangeDocumentId)).toEqual([unitKey(agencyA)]);
    expect(await keepingUnitOf(toB.exchangeDocumentId)).toEqual([unitKey(agencyB)]);
    const subjectsA = (await toRegister(deskA.clerk)).map((d) => d.subject);
    const queueB = await toRegister(deskB.clerk);
    expect(subjectsA).toContain('V/v phối hợp quản lý chất lượng công trình xây dựng');
    expect(subjectsA).not.toContain('V/v phối hợp tổ chức giao thông trên tuyến liên tỉnh');
    expect(queueB.map((d) => d.subject)).toEqual(['V/v phối hợp tổ chức giao thông trên tuyến liên tỉnh']);

    // B's clerk registers: 03 goes back to P from B (P's recipient B shows it; its recipient A stays at 01).
    await deskB.clerk.ok(RegisterDocumentDocument, { id: queueB[0].id });
    await eventually(async () => (await recipientsOf(deskP.clerk, toB.id))[0].statusCode === '03', 30_000, 'P sees 03 from B');
    await eventually(async () => (await recipientsOf(deskP.clerk, toA.id))[0].statusCode === '01', 30_000, 'P sees 01 from A');
  }, 120_000);

  it('each agency sends to the peer in its own name, and the peer files each under its sender', async () => {
    const fromA = await issueFrom(deskA, { subject: 'V/v gửi từ Sở Xây dựng', recipientCorrespondentIds: [peerPatA] });
    const fromB = await issueFrom(deskB, { subject: 'V/v gửi từ Sở Giao thông vận tải', recipientCorrespondentIds: [peerPatB] });
    await eventually(
      async () =>
        (await recipientsOf(deskA.clerk, fromA))[0].deliveryState === 'ACKNOWLEDGED' &&
        (await recipientsOf(deskB.clerk, fromB))[0].deliveryState === 'ACKNOWLEDGED',
      30_000,
      'both acknowledged',
    );
    const atP = await p.sql<{ subject: string; exchange_document_id: string; organ_id: string }>(
      `select d.subject, d.exchange_document_id, c.organ_id from document d join correspondent c on c.id = d.sender_correspondent_id where d.direction = 'INCOMING' and d.subject like 'V/v gửi từ %' order by d.subject`,
    );
    expect(atP.map((r) => [r.subject, r.organ_id, r.exchange_document_id.split(',')[0]])).toEqual([
      ['V/v gửi từ Sở Giao thông vận tải', B_ORGAN, B_ORGAN],
      ['V/v gửi từ Sở Xây dựng', A_ORGAN, A_ORGAN],
    ]);
    // P's "arrived" (01) goes back to each sender: the status finds its agency by the DocumentId.
    await eventually(
      async () => (await recipientsOf(deskA.clerk, fromA))[0].statusCode === '01' && (await recipientsOf(deskB.clerk, fromB))[0].statusCode === '01',
      30_000,
      '01 back at A and at B',
    );
  }, 90_000);

  it('refuses a package for an identifier the deployment does not host (WRONG_RECIPIENT), and one signed with another agency’s secret, storing nothing', async () => {
    const count = async () => Number((await env.sql<{ n: string }>(`select count(*) as n from document`))[0].n);
    const before = await count();
    const files = Number((await env.sql<{ n: string }>(`select count(*) as n from stored_file`))[0].n);
    const unhosted = buildPackage(samplePackage(P_ORGAN, UNHOSTED));
    const r1 = await postMessage(exchangeUrl(), P_ORGAN, SECRET_A, unhosted);
    expect(r1).toMatchObject({ status: 422, body: { code: 'WRONG_RECIPIENT' } });
    // Addressed to B but signed with the secret A agreed with P: B does not know P by it.
    const toBWithA = buildPackage(samplePackage(P_ORGAN, B_ORGAN));
    const r2 = await postMessage(exchangeUrl(), P_ORGAN, SECRET_A, toBWithA);
    expect(r2).toMatchObject({ status: 401, body: { code: 'UNKNOWN_PEER' } });
    expect(await count()).toBe(before);
    expect(Number((await env.sql<{ n: string }>(`select count(*) as n from stored_file`))[0].n)).toBe(files);
  });

  it('documents between the two agencies travel inside the deployment with the same status codes', async () => {
    // Not through an exchange endpoint pointing back at this deployment.
    expect(
      await deskA.clerk.code(CreatePeerDocument, { input: { name: 'Sở Giao thông vận tải', organId: B_ORGAN, endpoint: exchangeUrl(), secret: SECRET_B } }),
    ).toBe('BAD_USER_INPUT');
    const id = await issueFrom(deskA, { subject: 'V/v đề nghị phối hợp giữa hai sở', recipientUnitIds: [agencyB] });
    expect((await recipientsOf(deskA.clerk, id))[0]).toMatchObject({ deliveryState: 'DELIVERED', statusCode: '01', unit: { id: agencyB } });
    const copy = (await toRegister(deskB.clerk)).find((d) => d.subject === 'V/v đề nghị phối hợp giữa hai sở')!;
    expect(copy).toBeDefined();
    expect((await toRegister(deskA.clerk)).map((d) => d.subject)).not.toContain('V/v đề nghị phối hợp giữa hai sở');
    await deskB.clerk.ok(RegisterDocumentDocument, { id: copy.id });
    expect((await recipientsOf(deskA.clerk, id))[0].statusCode).toBe('03');
  });
});
