import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AccountsDocument,
  AssignDocumentDocument,
  CompleteAssignmentDocument,
  CreatePeerDocument,
  DelegateAssignmentDocument,
  ExchangeOutboxDocument,
  RetryExchangeMessageDocument,
  ExchangeIncomingDocument,
  ExchangeOutgoingDocument,
  InboxDocument,
  PeersDocument,
  RecallDocumentDocument,
  RegisterDocumentDocument,
  RejectDocumentDocument,
  RoutingEventsDocument,
  SubmitDocumentsDocument,
  UpdatePeerDocument,
} from '../generated/graphql';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { download, unitIds } from '../helpers/documents';
import { buildPackage, eventually, postMessage, samplePackage, startProcessPeer, type ProcessPeer } from '../helpers/exchange';
import { collect } from '../helpers/live';
import { draft, issue, toSigned, type Desk } from '../helpers/outgoing';
import { print, type GraphQLObjectType } from 'graphql';

const A_ORGAN = '000.00.00.H08';
const B_ORGAN = '000.00.00.H41';
const SECRET = randomBytes(32).toString('hex');

let a: TestEnv;
let b: ProcessPeer;
let deskA: Desk;
let clerkB: ApiClient, directorB: ApiClient, headB: ApiClient, staffB: ApiClient;
let peerBatA: string; // the correspondent "B" in A's database
let peerAatB: string;

// Quick polls and retries; a patient timeout, so that a peer slowed by a loaded machine is not counted as a failed attempt.
const FAST = { EXCHANGE_POLL_MS: '100', EXCHANGE_RETRY_BASE_MS: '200', EXCHANGE_RETRY_MAX_MS: '800', EXCHANGE_TIMEOUT_MS: '60000' };

beforeAll(async () => {
  [a, b] = await Promise.all([startTestEnv({ env: { ORGAN_ID: A_ORGAN, ...FAST } }), startProcessPeer(B_ORGAN, FAST)]);
  const [staff, head, director, clerk] = await Promise.all([a.as(DEMO.staff), a.as(DEMO.head), a.as(DEMO.director), a.as(DEMO.clerk)]);
  deskA = { staff, head, director, clerk };
  [clerkB, directorB, headB, staffB] = await Promise.all([b.as(DEMO.clerk), b.as(DEMO.director), b.as(DEMO.head), b.as(DEMO.staff)]);
  // B knows A as a peer from the start; A first knows B without an endpoint (documents go by hand).
  peerAatB = (
    await clerkB.ok(CreatePeerDocument, {
      input: { name: 'Sở Xây dựng tỉnh Bình Định', organId: A_ORGAN, endpoint: a.server.url.replace('/graphql', '/exchange/messages'), secret: SECRET },
    })
  ).createCorrespondent.id;
  peerBatA = (await deskA.clerk.ok(CreatePeerDocument, { input: { name: 'Sở Xây dựng tỉnh Phú Yên', organId: B_ORGAN } })).createCorrespondent.id;
}, 120_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
});

const outgoingAt = async (id: string) => {
  const { document } = await deskA.clerk.ok(ExchangeOutgoingDocument, { id });
  if (document?.__typename !== 'OutgoingDocument') throw new Error('no outgoing document');
  return document;
};
const recipientB = async (id: string) => (await outgoingAt(id)).recipients.find((r) => r.correspondent?.id === peerBatA)!;
const incomingAtB = async (id: string) => {
  const { document } = await clerkB.ok(ExchangeIncomingDocument, { id });
  if (document?.__typename !== 'IncomingDocument') throw new Error('no incoming document');
  return document;
};
const receivedAtB = async (documentId: string) =>
  (await b.sql<{ id: string }>(`select id from document where direction = 'INCOMING' and exchange_document_id = $1`, [documentId])).map((r) =>
    Buffer.from(`IncomingDocument:${r.id}`).toString('base64url'),
  );

async function issueToB(subject: string) {
  const d = await draft(a, deskA.staff, { subject, recipientCorrespondentIds: [peerBatA] });
  await toSigned(deskA, d.id);
  const issued = await issue(a, deskA.clerk, d.id);
  return { id: d.id, issued };
}

describe('correspondents reached through the exchange', () => {
  it('take an endpoint and a secret that is never readable back, from a clerk or an administrator only', async () => {
    const created = (await clerkB.ok(PeersDocument, { text: A_ORGAN })).correspondents[0];
    expect(created).toMatchObject({ organId: A_ORGAN, exchangePeer: true, endpoint: expect.stringContaining('/exchange/messages') });
    expect(JSON.stringify(created)).not.toContain(SECRET);
    // No field of the schema can give the secret back.
    const type = a.server.schema.getType('Correspondent') as GraphQLObjectType;
    expect(Object.keys(type.getFields()).filter((f) => /secret/i.test(f))).toEqual([]);
    const stored = await b.sql<{ secret_cipher: string }>(`select secret_cipher from correspondent where organ_id = $1`, [A_ORGAN]);
    expect(stored[0].secret_cipher).toBeTruthy();
    expect(stored[0].secret_cipher).not.toContain(SECRET);

    // The endpoint is for those who keep the correspondents.
    expect(await staffB.code(PeersDocument, { text: A_ORGAN })).toBe('FORBIDDEN');
    expect(
      await deskA.staff.code(CreatePeerDocument, { input: { name: 'X', organId: '000.00.00.H99', endpoint: 'http://127.0.0.1:1/x', secret: SECRET } }),
    ).toBe('FORBIDDEN');
    expect(await deskA.clerk.code(CreatePeerDocument, { input: { name: 'X', organId: '000.00.00.H98', endpoint: 'http://127.0.0.1:1/x' } })).toBe(
      'BAD_USER_INPUT',
    );
    expect(await deskA.clerk.code(CreatePeerDocument, { input: { name: 'X', organId: '000.00.00.H98', endpoint: 'not a url', secret: SECRET } })).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      await deskA.clerk.code(CreatePeerDocument, { input: { name: 'X', organId: '000.00.00.H98', endpoint: 'http://127.0.0.1:1/x', secret: 'short' } }),
    ).toBe('BAD_USER_INPUT');
    expect(await deskA.clerk.code(CreatePeerDocument, { input: { name: 'X', endpoint: 'http://127.0.0.1:1/x', secret: SECRET } })).toBe('BAD_USER_INPUT');
    expect((await a.sql(`select count(*)::int as n from correspondent where organ_id in ('000.00.00.H99', '000.00.00.H98')`))[0]).toEqual({ n: 0 });
  });
});

describe('an .edxml file by hand', () => {
  it('round-trips: the clerk downloads an issued document and the other agency’s clerk uploads it, giving the same document once', async () => {
    const { id, issued } = await issueToB('V/v đề nghị cung cấp hồ sơ thiết kế công trình cầu Thị Nại (gửi bằng tệp)');
    const before = await recipientB(id);
    expect(before).toMatchObject({ deliveryState: 'AWAITING_EXCHANGE', deliveryAttempts: 0 });

    const base = a.server.url.replace('/graphql', '');
    expect((await fetch(`${base}/exchange/documents/${id}/edxml`, { headers: { authorization: `Bearer ${deskA.staff.token}` } })).status).toBe(403);
    expect((await fetch(`${base}/exchange/documents/${id}/edxml`)).status).toBe(401);
    // A document with no outside recipient needs to be told whom the file is for.
    const internal = await draft(a, deskA.staff, {
      subject: 'V/v gửi Trung tâm Quy hoạch hồ sơ kiểm định',
      recipientUnitIds: [(await unitIds(deskA.clerk))['TTQHKĐ']],
    });
    await toSigned(deskA, internal.id);
    await issue(a, deskA.clerk, internal.id);
    const noRecipient = await fetch(`${base}/exchange/documents/${internal.id}/edxml`, { headers: { authorization: `Bearer ${deskA.clerk.token}` } });
    expect(noRecipient.status).toBe(400);
    expect(await noRecipient.json()).toMatchObject({ code: 'BAD_USER_INPUT' });
    const named = await fetch(`${base}/exchange/documents/${internal.id}/edxml?to=${peerBatA}`, { headers: { authorization: `Bearer ${deskA.clerk.token}` } });
    expect(named.status).toBe(200);
    expect(await named.text()).toContain(`<edXML:OrganId>${B_ORGAN}</edXML:OrganId>`);
    const res = await fetch(`${base}/exchange/documents/${id}/edxml`, { headers: { authorization: `Bearer ${deskA.clerk.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('.edxml');
    const xml = await res.text();
    expect(xml).toContain('edXMLEnvelope');
    expect(xml).toContain(`<edXML:OrganId>${B_ORGAN}</edXML:OrganId>`);

    const upload = (body: string, token = clerkB.token) =>
      fetch(b.url.replace('/graphql', '/exchange/import'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
        body,
      });
    expect((await upload(xml, staffB.token)).status).toBe(403);
    const first = await upload(xml);
    expect(first.status).toBe(201);
    const firstBody = (await first.json()) as { status: string; id: string; documentId: string };
    expect(firstBody).toMatchObject({
      status: 'ACCEPTED',
      documentId: issued.numberAndSymbol ? expect.stringContaining(issued.numberAndSymbol) : expect.any(String),
    });
    const again = await upload(xml);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'DUPLICATE', id: firstBody.id });

    const sent = await outgoingAt(id);
    const got = await incomingAtB(firstBody.id);
    expect(got).toMatchObject({
      state: 'RECEIVED',
      numberAndSymbol: sent.numberAndSymbol,
      subject: 'V/v đề nghị cung cấp hồ sơ thiết kế công trình cầu Thị Nại (gửi bằng tệp)',
      issuedDate: issued.issuedDate,
      arrivalChannel: 'ELECTRONIC',
      exchangeDocumentId: sent.exchangeDocumentId,
      sender: { __typename: 'Correspondent', id: peerAatB },
    });
    expect(got.attachments.map((x) => x.sha256)).toEqual(sent.attachments.map((x) => x.sha256));
    const bytes = await download({ server: { url: b.url } } as TestEnv, clerkB, got.attachments[0].id);
    expect(bytes.status).toBe(200);
    expect(await receivedAtB(sent.exchangeDocumentId!)).toHaveLength(1);

    // A tampered file is refused with its reason and stores nothing.
    const docsBefore = await b.sql(`select count(*)::int as n from document`);
    const filesBefore = await b.sql(`select count(*)::int as n from stored_file`);
    const tampered = xml.replace(
      /<edXML:ContentTransferEncoded>([A-Za-z0-9+/]{8})/,
      (_m, g: string) => `<edXML:ContentTransferEncoded>${g.split('').reverse().join('')}`,
    );
    const refused = await upload(tampered);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ code: 'ATTACHMENT_HASH_MISMATCH' });
    expect(await b.sql(`select count(*)::int as n from document`)).toEqual(docsBefore);
    expect(await b.sql(`select count(*)::int as n from stored_file`)).toEqual(filesBefore);
  });
});

describe('two deployments over the exchange', () => {
  beforeAll(async () => {
    // A's clerk makes B a peer: from now on documents to B go through the outbox.
    const updated = (await deskA.clerk.ok(UpdatePeerDocument, { id: peerBatA, input: { endpoint: b.exchangeUrl, secret: SECRET } })).updateCorrespondent;
    expect(updated).toMatchObject({ exchangePeer: true, endpoint: b.exchangeUrl });
  });

  it('delivers an issued document; the receiver registers, assigns and completes it; the sender sees 01, 03, 04, 05, 06 in order, live', async () => {
    const live = collect<{ routingEvents: { type: string; note: string | null; document: { id: string } } }>(
      a.ws(deskA.director.token),
      print(RoutingEventsDocument),
      {},
    );
    const { id } = await issueToB('V/v phối hợp thẩm định thiết kế cơ sở dự án đường ven biển');
    const queued = await recipientB(id);
    expect(['QUEUED', 'SENT', 'ACKNOWLEDGED']).toContain(queued.deliveryState);

    const delivered = await eventually(
      async () => {
        const r = await recipientB(id);
        return r.deliveryState === 'ACKNOWLEDGED' && r;
      },
      20_000,
      'acknowledgement',
    );
    expect(delivered).toMatchObject({ deliveryError: null, deliveryAttempts: 1, acknowledgedAt: expect.any(String) });
    const sent = await outgoingAt(id);
    const [copyId] = await eventually(
      async () => (await receivedAtB(sent.exchangeDocumentId!)).length === 1 && receivedAtB(sent.exchangeDocumentId!),
      10_000,
      'copy at B',
    );
    const copy = await incomingAtB(copyId);
    expect(copy).toMatchObject({ state: 'RECEIVED', numberAndSymbol: sent.numberAndSymbol, arrivalChannel: 'ELECTRONIC', sender: { id: peerAatB } });
    expect((await clerkB.ok(InboxDocument, { view: 'TO_REGISTER' })).inbox.edges.map((e) => e.node.id)).toContain(copyId);
    await eventually(async () => (await recipientB(id)).statusCode === '01', 10_000, 'status 01');

    // B works on it: register, submit, assign, pass on, complete.
    await clerkB.ok(RegisterDocumentDocument, { id: copyId });
    await clerkB.ok(SubmitDocumentsDocument, { ids: [copyId] });
    const unitsB = await unitIds(directorB);
    const { assignDocument } = await directorB.ok(AssignDocumentDocument, {
      id: copyId,
      input: { instruction: 'Phòng QLHĐXD chủ trì, trả lời trước 10/12.', lead: { unitId: unitsB['QLHĐXD'], deadline: '2026-12-28' } },
    });
    const lead = assignDocument.assignments.find((x) => x.role === 'LEAD')!;
    const accountsB = (await directorB.ok(AccountsDocument, { first: 100 })).accounts.edges.map((e) => e.node);
    const staffId = accountsB.find((x) => x.username === DEMO.staff)!.id;
    const { delegateAssignment } = await headB.ok(DelegateAssignmentDocument, { assignmentId: lead.id, input: { accountId: staffId, deadline: '2026-12-20' } });
    await staffB.ok(CompleteAssignmentDocument, {
      assignmentId: delegateAssignment.id,
      input: { result: 'Đã có ý kiến thẩm định gửi Sở Xây dựng Bình Định.' },
    });

    const done = await eventually(
      async () => {
        const r = await recipientB(id);
        return r.statusCode === '06' && r;
      },
      20_000,
      'status 06',
    ).catch(async (e) => {
      throw new Error(
        `${e.message}: ${JSON.stringify(await recipientB(id))} ${JSON.stringify(await b.sql(`select id, status_code, state, last_error, attempts from exchange_message order by id`))} ${JSON.stringify((await incomingAtB(copyId)).state)}`,
      );
    });
    expect(done.statusHistory.map((s) => s.code)).toEqual(['01', '03', '04', '05', '06']);
    // Every status reached the sender's dashboards as a routing event on the document.
    const events = await live.waitFor(1, 5_000).then(() =>
      eventually(
        async () => {
          const notes = live.items
            .filter((e) => e.routingEvents.document.id === id && e.routingEvents.type === 'EXCHANGE_STATUS')
            .map((e) => e.routingEvents.note);
          return notes.length >= 5 && notes;
        },
        10_000,
        'live statuses',
      ),
    );
    expect(events.map((n) => /: (\d\d) /.exec(n ?? '')?.[1])).toEqual(['01', '03', '04', '05', '06']);
    expect(live.items.some((e) => e.routingEvents.document.id === id && e.routingEvents.type === 'EXCHANGE_DELIVERED')).toBe(true);
    live.stop();

    // Exactly one message per status left B, each acknowledged once.
    const statuses = await b.sql<{ status_code: string; state: string; attempts: number }>(
      `select status_code, state, attempts from exchange_message where kind = 'STATUS' and exchange_document_id = $1 order by id`,
      [sent.exchangeDocumentId],
    );
    expect(statuses.map((s) => [s.status_code, s.state])).toEqual([
      ['01', 'ACKNOWLEDGED'],
      ['03', 'ACKNOWLEDGED'],
      ['04', 'ACKNOWLEDGED'],
      ['05', 'ACKNOWLEDGED'],
      ['06', 'ACKNOWLEDGED'],
    ]);
  }, 90_000);

  it('keeps trying while the receiver is down and delivers exactly once when it comes back', async () => {
    await b.stop();
    const { id } = await issueToB('V/v báo cáo tình hình cấp phép xây dựng quý IV năm 2026');
    const failing = await eventually(
      async () => {
        const r = await recipientB(id);
        return r.deliveryState === 'FAILED' && r.deliveryAttempts >= 2 && r.nextAttemptAt !== null && r;
      },
      20_000,
      'failed attempts',
    );
    expect(failing.deliveryError).toMatch(/could not be reached|did not answer/);
    const sent = await outgoingAt(id);
    expect(sent.history.edges.filter((e) => e.node.type === 'EXCHANGE_FAILED')).toHaveLength(1);

    await b.start();
    await eventually(async () => (await recipientB(id)).deliveryState === 'ACKNOWLEDGED', 30_000, 'delivery after restart');
    await eventually(async () => (await recipientB(id)).statusCode === '01', 10_000, 'status 01 after restart');
    expect(await receivedAtB(sent.exchangeDocumentId!)).toHaveLength(1);
    const messages = await a.sql<{ state: string; attempts: number }>(
      `select state, attempts from exchange_message where kind = 'PACKAGE' and exchange_document_id = $1`,
      [sent.exchangeDocumentId],
    );
    expect(messages).toHaveLength(1);
    expect(messages[0].state).toBe('ACKNOWLEDGED');
    expect(messages[0].attempts).toBeGreaterThanOrEqual(3);
    // Nothing is sent again once acknowledged.
    await new Promise((r) => setTimeout(r, 600));
    expect(
      (
        await a.sql<{ attempts: number }>(`select attempts from exchange_message where kind = 'PACKAGE' and exchange_document_id = $1`, [
          sent.exchangeDocumentId,
        ])
      )[0].attempts,
    ).toBe(messages[0].attempts);
  }, 90_000);

  it('sends each message once when two processes of the sender share the outbox', async () => {
    await a.startPeer();
    const issued = [];
    for (let i = 1; i <= 6; i++) issued.push(await issueToB(`V/v đề nghị phối hợp kiểm tra công trình số ${i} trên tuyến Quốc lộ 1D`));
    for (const { id } of issued) await eventually(async () => (await recipientB(id)).deliveryState === 'ACKNOWLEDGED', 30_000, 'acknowledgement');
    for (const { id } of issued) {
      const sent = await outgoingAt(id);
      expect(await receivedAtB(sent.exchangeDocumentId!)).toHaveLength(1);
      const rows = await a.sql<{ attempts: number; state: string }>(
        `select attempts, state from exchange_message where kind = 'PACKAGE' and exchange_document_id = $1`,
        [sent.exchangeDocumentId],
      );
      expect(rows).toEqual([{ attempts: 1, state: 'ACKNOWLEDGED' }]);
    }
  }, 90_000);

  it('carries a refusal (02) with its reason, and a recall across: the copy is RECALLED with the sender’s reason and answers 15', async () => {
    const refusedDoc = await issueToB('V/v gửi nhầm hồ sơ, đề nghị trả lại');
    const refusedSent = await outgoingAt(refusedDoc.id);
    const [refusedCopy] = await eventually(
      async () => (await receivedAtB(refusedSent.exchangeDocumentId!)).length === 1 && receivedAtB(refusedSent.exchangeDocumentId!),
      20_000,
      'copy at B',
    );
    await clerkB.ok(RejectDocumentDocument, { id: refusedCopy, reason: 'Văn bản không thuộc thẩm quyền giải quyết của Sở.' });
    const refused = await eventually(
      async () => {
        const r = await recipientB(refusedDoc.id);
        return r.statusCode === '02' && r;
      },
      20_000,
      'status 02',
    );
    expect(refused.statusNote).toBe('Văn bản không thuộc thẩm quyền giải quyết của Sở.');

    const { id } = await issueToB('V/v tạm dừng triển khai kế hoạch kiểm tra công trình (sẽ thu hồi)');
    const sent = await outgoingAt(id);
    const [copyId] = await eventually(
      async () => (await receivedAtB(sent.exchangeDocumentId!)).length === 1 && receivedAtB(sent.exchangeDocumentId!),
      20_000,
      'copy at B',
    );
    await clerkB.ok(RegisterDocumentDocument, { id: copyId });
    await eventually(async () => (await recipientB(id)).statusCode === '03', 20_000, 'status 03');

    // A reason as long as the rules allow (1,000 characters) still crosses and is answered.
    const reason = 'Ban hành sai thẩm quyền, thu hồi để ban hành lại.'.padEnd(1000, ' Đề nghị hủy bỏ văn bản đã nhận.');
    await deskA.clerk.ok(RecallDocumentDocument, { id, reason });
    expect((await recipientB(id)).statusCode).toBe('13');
    const recalled = await eventually(
      async () => {
        const d = await incomingAtB(copyId);
        return d.state === 'RECALLED' && d;
      },
      20_000,
      'recall at B',
    );
    expect(recalled.history.edges.at(-1)!.node).toMatchObject({
      type: 'RECALLED',
      fromState: 'REGISTERED',
      toState: 'RECALLED',
      note: expect.stringContaining('Ban hành sai thẩm quyền, thu hồi để ban hành lại.'),
    });
    const answered = await eventually(
      async () => {
        const r = await recipientB(id);
        return r.statusCode === '15' && r;
      },
      20_000,
      'status 15',
    );
    expect(answered.statusHistory.map((s) => s.code)).toEqual(['01', '03', '13', '15']);

    // By hand, a recall does not reach a copy that arrived online: only the sender’s own recall does.
    const base = a.server.url.replace('/graphql', '');
    const recallFile = await (await fetch(`${base}/exchange/documents/${id}/edxml`, { headers: { authorization: `Bearer ${deskA.clerk.token}` } })).text();
    expect(recallFile).toContain('<edXML:BussinessDocType>1</edXML:BussinessDocType>');
    const byHand = await fetch(b.url.replace('/graphql', '/exchange/import'), {
      method: 'POST',
      headers: { authorization: `Bearer ${clerkB.token}`, 'content-type': 'application/xml' },
      body: recallFile,
    });
    expect(byHand.status).toBe(422);
    expect(await byHand.json()).toMatchObject({ code: 'FORBIDDEN' });
  }, 90_000);
});

describe('what a peer answers', () => {
  it('is kept only as an exchange server says it: an HTTP status and a coded reason, never a page of its own', async () => {
    // A server that is no exchange server: it answers 500 with an internal page, then 422 with a coded refusal.
    let answer: { status: number; body: string; type: string } = {
      status: 500,
      body: '<html>internal admin console: db password hunter2</html>',
      type: 'text/html',
    };
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'content-type': answer.type });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (server.address() as AddressInfo).port;
      const odd = (
        await deskA.clerk.ok(CreatePeerDocument, {
          input: {
            name: 'Máy chủ không phải trục liên thông',
            organId: '000.00.00.H77',
            endpoint: `http://127.0.0.1:${port}/exchange/messages`,
            secret: SECRET,
          },
        })
      ).createCorrespondent.id;
      const d = await draft(a, deskA.staff, { subject: 'V/v gửi thử đến máy chủ không đúng', recipientCorrespondentIds: [odd] });
      await toSigned(deskA, d.id);
      await issue(a, deskA.clerk, d.id);
      const recipient = async () => (await outgoingAt(d.id)).recipients.find((r) => r.correspondent?.id === odd)!;
      const failed = await eventually(
        async () => {
          const r = await recipient();
          return r.deliveryState === 'FAILED' && r;
        },
        20_000,
        'failed delivery',
      );
      expect(failed.deliveryError).toBe('The peer answered HTTP 500');

      answer = { status: 422, body: JSON.stringify({ code: 'CLASSIFIED_DOCUMENT_REFUSED', message: 'Không nhận văn bản mật.' }), type: 'application/json' };
      const refused = await eventually(
        async () => {
          const r = await recipient();
          return r.deliveryState === 'REFUSED' && r;
        },
        20_000,
        'refusal',
      );
      expect(refused.deliveryError).toBe('The peer answered HTTP 422 — CLASSIFIED_DOCUMENT_REFUSED: Không nhận văn bản mật.');
      expect((await outgoingAt(d.id)).history.edges.map((e) => e.node.type)).toEqual(expect.arrayContaining(['EXCHANGE_FAILED', 'EXCHANGE_REFUSED']));

      // The outbox shows it to those who keep the exchange running, and they can send it again once the cause is fixed.
      expect(await deskA.staff.code(ExchangeOutboxDocument, { state: 'REFUSED' })).toBe('FORBIDDEN');
      const admin = await a.as(ADMIN_USERNAME);
      const outbox = (await admin.ok(ExchangeOutboxDocument, { state: 'REFUSED' })).exchangeOutbox.edges.map((e) => e.node);
      const stuck = outbox.find((m) => m.correspondent.id === odd)!;
      expect(stuck).toMatchObject({ kind: 'PACKAGE', businessDocType: 0, state: 'REFUSED', lastError: expect.stringContaining('CLASSIFIED_DOCUMENT_REFUSED') });
      expect(stuck.attempts).toBeGreaterThanOrEqual(2);
      answer = { status: 200, body: JSON.stringify({ status: 'ACCEPTED' }), type: 'application/json' };
      expect((await deskA.clerk.ok(RetryExchangeMessageDocument, { id: stuck.id })).retryExchangeMessage.state).toBe('QUEUED');
      expect((await recipient()).deliveryState).not.toBe('REFUSED');
      await eventually(async () => (await recipient()).deliveryState === 'ACKNOWLEDGED', 20_000, 'delivery after retry');
      expect(await deskA.clerk.code(RetryExchangeMessageDocument, { id: stuck.id })).toBe('INVALID_TRANSITION');
    } finally {
      server.close();
    }
  }, 60_000);
});

describe('what POST /exchange/messages refuses', () => {
  let url: string;
  const counts = async () => ({
    documents: (await b.sql<{ n: number }>(`select count(*)::int as n from document`))[0].n,
    files: (await b.sql<{ n: number }>(`select count(*)::int as n from stored_file`))[0].n,
    events: (await b.sql<{ n: number }>(`select count(*)::int as n from routing_event`))[0].n,
    outbox: (await b.sql<{ n: number }>(`select count(*)::int as n from exchange_message`))[0].n,
  });
  beforeAll(() => {
    url = b.exchangeUrl;
  });

  it('takes the same package twice (even at once) as one incoming document', async () => {
    const xml = buildPackage(samplePackage(A_ORGAN, B_ORGAN));
    const before = await counts();
    const [r1, r2] = await Promise.all([postMessage(url, A_ORGAN, SECRET, xml), postMessage(url, A_ORGAN, SECRET, xml)]);
    expect([r1.status, r2.status]).toEqual([200, 200]);
    expect([r1.body.status, r2.body.status].sort()).toEqual(['ACCEPTED', 'DUPLICATE']);
    const r3 = await postMessage(url, A_ORGAN, SECRET, xml);
    expect(r3).toMatchObject({ status: 200, body: { status: 'DUPLICATE' } });
    const after = await counts();
    expect(after.documents).toBe(before.documents + 1);
    expect(after.files).toBe(before.files + 1);
  });

  it('refuses unknown peers, bad signatures, damaged attachments, classified packages, malformed XML and XML bombs, storing nothing', async () => {
    const before = await counts();
    const good = buildPackage(samplePackage(A_ORGAN, B_ORGAN));

    const unknown = await postMessage(url, '000.00.00.G01', SECRET, buildPackage(samplePackage('000.00.00.G01', B_ORGAN)));
    expect(unknown).toMatchObject({ status: 401, body: { code: 'UNKNOWN_PEER' } });
    expect(await postMessage(url, A_ORGAN, 'another secret that is long enough to look real', good)).toMatchObject({
      status: 401,
      body: { code: 'UNKNOWN_PEER' },
    });
    expect(await postMessage(url, A_ORGAN, SECRET, good, { timestamp: Date.now() - 60 * 60 * 1000 })).toMatchObject({
      status: 401,
      body: { code: 'UNKNOWN_PEER' },
    });

    const pkg = samplePackage(A_ORGAN, B_ORGAN);
    const damaged = buildPackage({ ...pkg, attachments: [{ ...pkg.attachments[0], sha256: '0'.repeat(64) }] });
    const hash = await postMessage(url, A_ORGAN, SECRET, damaged);
    expect(hash).toMatchObject({ status: 422, body: { code: 'ATTACHMENT_HASH_MISMATCH' } });
    expect(String(hash.body.message)).toMatch(/SHA-256/);

    const classified = await postMessage(url, A_ORGAN, SECRET, buildPackage(samplePackage(A_ORGAN, B_ORGAN, { securityLevel: 1 })));
    expect(classified).toMatchObject({ status: 422, body: { code: 'CLASSIFIED_DOCUMENT_REFUSED' } });

    const elsewhere = await postMessage(url, A_ORGAN, SECRET, buildPackage(samplePackage(A_ORGAN, '000.00.00.H99')));
    expect(elsewhere).toMatchObject({ status: 422, body: { code: 'WRONG_RECIPIENT' } });

    const spoofed = await postMessage(url, A_ORGAN, SECRET, buildPackage(samplePackage('000.00.00.G01', B_ORGAN)));
    expect(spoofed).toMatchObject({ status: 400, body: { code: 'MALFORMED_PACKAGE' } });

    for (const bad of ['not xml at all', '<edXMLEnvelope><edXMLHeader><MessageHeader>', good.replace(/<edXML:Subject>[^<]*<\/edXML:Subject>/, '')]) {
      const r = await postMessage(url, A_ORGAN, SECRET, bad);
      expect(r).toMatchObject({ status: 400, body: { code: 'MALFORMED_PACKAGE' } });
    }

    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>${good.replace(/<\?xml[^>]*\?>/, '').replace('V/v phối hợp', '&lol9;')}`;
    const started = Date.now();
    const bombed = await postMessage(url, A_ORGAN, SECRET, bomb);
    expect(bombed).toMatchObject({ status: 400, body: { code: 'MALFORMED_PACKAGE' } });
    expect(String(bombed.body.message)).toMatch(/DOCTYPE/);
    expect(Date.now() - started).toBeLessThan(5_000);
    const external = good
      .replace(/<\?xml[^>]*\?>/, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
      .replace('V/v phối hợp', '&xxe;');
    expect(await postMessage(url, A_ORGAN, SECRET, external)).toMatchObject({ status: 400, body: { code: 'MALFORMED_PACKAGE' } });
    const deep = `<edXMLEnvelope>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</edXMLEnvelope>`;
    expect(await postMessage(url, A_ORGAN, SECRET, deep)).toMatchObject({ status: 400, body: { code: 'MALFORMED_PACKAGE' } });

    expect(await counts()).toEqual(before);
    // The peer is still served after all that.
    expect((await postMessage(url, A_ORGAN, SECRET, good)).status).toBe(200);
  });

  it('refuses an anonymous upload before reading it, and the same DocumentId with other files', async () => {
    const anonymous = await fetch(b.url.replace('/graphql', '/exchange/import'), {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: 'x'.repeat(1024 * 1024),
    });
    expect(anonymous.status).toBe(401);
    const pkg = samplePackage(A_ORGAN, B_ORGAN);
    expect((await postMessage(url, A_ORGAN, SECRET, buildPackage(pkg))).body).toMatchObject({ status: 'ACCEPTED' });
    const other = samplePackage(A_ORGAN, B_ORGAN, { documentId: pkg.documentId, codeNumber: pkg.codeNumber, codeNotation: pkg.codeNotation });
    const before = await counts();
    expect(await postMessage(url, A_ORGAN, SECRET, buildPackage(other))).toMatchObject({ status: 422, body: { code: 'ALREADY_EXISTS' } });
    expect((await counts()).documents).toBe(before.documents);
  });

  it('answers a recall of a document that never arrived with 16', async () => {
    const pkg = samplePackage(A_ORGAN, B_ORGAN, { businessDocType: 1, businessDocReason: 'Thu hồi do sai sót', attachments: [] });
    const r = await postMessage(url, A_ORGAN, SECRET, buildPackage(pkg));
    expect(r).toMatchObject({ status: 200, body: { status: 'ACCEPTED' } });
    const queued = await b.sql<{ status_code: string; document_id: string | null }>(
      `select status_code, document_id from exchange_message where kind = 'STATUS' and exchange_document_id = $1`,
      [pkg.documentId],
    );
    expect(queued).toEqual([{ status_code: '16', document_id: null }]);
  });
});
