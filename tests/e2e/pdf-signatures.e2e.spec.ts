import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signatureSettings } from '../../src/config-signatures';
import { CreatePeerDocument, IssueDocumentDocument, SignedAttachmentsDocument } from '../generated/graphql';
import { pdf, unitIds, uploadRaw, type Uploaded } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { buildPackage, eventually, postMessage, samplePackage } from '../helpers/exchange';
import { draft, toSigned, type Desk } from '../helpers/outgoing';
import { alterOneByte, appendAfterSigning, basePdf, signPdf, testPki } from '../helpers/signed-pdf';
import { sha256Hex } from '../../src/domain/exchange/edxml';

const A_ORGAN = '000.00.00.H08';
const B_ORGAN = '000.00.00.H41';
const SECRET = randomBytes(32).toString('hex');
const FAST = { EXCHANGE_POLL_MS: '100', EXCHANGE_RETRY_BASE_MS: '200', EXCHANGE_RETRY_MAX_MS: '800', EXCHANGE_TIMEOUT_MS: '60000' };

let pki: Awaited<ReturnType<typeof testPki>>;
let dir: string;
let a: TestEnv;
let b: TestEnv;
let desk: Desk;
let clerkB: ApiClient;
let units: Record<string, string>;
let peerBatA: string;

type Verification = { verdict: string; problem?: string | null; signatures: Array<Record<string, unknown>> } | null;

async function uploadAs(env: TestEnv, client: ApiClient, bytes: Buffer, name = 'ban-ky.pdf'): Promise<Uploaded & { signatureVerification: Verification }> {
  const r = await uploadRaw(env, client, bytes, name);
  if (r.status !== 201) throw new Error(`upload failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as unknown as Uploaded & { signatureVerification: Verification };
}

beforeAll(async () => {
  pki = await testPki();
  dir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-anchors-'));
  // The SYSADMIN's trust anchors: a folder with the test CA (made above, not downloaded).
  mkdirSync(path.join(dir, 'anchors'), { recursive: true });
  writeFileSync(path.join(dir, 'anchors', 'test-ca.pem'), pki.ca.pem);
  writeFileSync(path.join(dir, 'rogue-ca.pem'), pki.rogueCa.pem);
  const env = { SIGNATURE_TRUST_ANCHORS: path.join(dir, 'anchors'), ...FAST };
  [a, b] = await Promise.all([startTestEnv({ env: { ORGAN_ID: A_ORGAN, ...env } }), startTestEnv({ env: { ORGAN_ID: B_ORGAN, ...env } })]);
  const [staff, head, director, clerk] = await Promise.all([a.as(DEMO.staff), a.as(DEMO.head), a.as(DEMO.director), a.as(DEMO.clerk)]);
  desk = { staff, head, director, clerk };
  clerkB = await b.as(DEMO.clerk);
  units = await unitIds(director);
  const endpointOf = (e: TestEnv) => e.server.url.replace('/graphql', '/exchange/messages');
  await clerkB.ok(CreatePeerDocument, { input: { name: 'Sở Xây dựng tỉnh Bình Định', organId: A_ORGAN, endpoint: endpointOf(a), secret: SECRET } });
  const peer = await clerk.ok(CreatePeerDocument, { input: { name: 'Sở Xây dựng tỉnh Phú Yên', organId: B_ORGAN, endpoint: endpointOf(b), secret: SECRET } });
  peerBatA = peer.createCorrespondent.id;
}, 180_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const signedByLeaderAndAgency = async (text?: string) => signPdf(await signPdf(basePdf(text), pki.leader), pki.agency);

describe('digital signatures checked on upload', () => {
  it('a correctly signed PDF verifies: both signatures with signer, organisation, serial, issuer and time', async () => {
    const up = await uploadAs(a, desk.clerk, await signedByLeaderAndAgency());
    expect(up.signatureVerification?.verdict).toBe('VALID');
    const [leader, agency] = up.signatureVerification!.signatures;
    expect(leader).toMatchObject({ signerName: 'Nguyễn Văn Giám Đốc', organisation: 'Sở Xây dựng tỉnh Bình Định', coversWholeFile: false });
    expect(leader).toMatchObject({ contentIntact: true, chainTrusted: true, validAtSigningTime: true });
    expect(agency).toMatchObject({ signerName: 'Sở Xây dựng tỉnh Bình Định', organisation: 'UBND tỉnh Bình Định' });
    expect(agency).toMatchObject({ coversWholeFile: true, bytesAfter: 0, chainTrusted: true });
    expect(agency.issuer).toBe('CN=Test CA chuyên dùng Chính phủ, O=Ban Cơ yếu Chính phủ, C=VN');
    expect(agency.certificateSerial).toBe(Buffer.from(pki.agency.cert.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase());
    expect(typeof agency.signingTime).toBe('string');
  });

  it('each fault gets its own verdict: appended, one byte changed, untrusted CA, expired certificate', async () => {
    const signed = await signPdf(basePdf(), pki.leader);
    const cases: Array<[Buffer, string]> = [
      [appendAfterSigning(signed), 'MODIFIED_AFTER_SIGNING'],
      [alterOneByte(signed), 'CONTENT_ALTERED'],
      [await signPdf(basePdf(), pki.stranger, { chain: [pki.rogueCa] }), 'UNTRUSTED'],
      [await signPdf(basePdf(), pki.expired), 'CERTIFICATE_EXPIRED'],
      [pdf(), 'NOT_SIGNED'],
    ];
    for (const [bytes, verdict] of cases) expect([verdict, (await uploadAs(a, desk.clerk, bytes)).signatureVerification?.verdict]).toEqual([verdict, verdict]);
    const appended = (await uploadAs(a, desk.clerk, appendAfterSigning(signed))).signatureVerification!.signatures[0];
    expect(appended).toMatchObject({ coversWholeFile: false, contentIntact: true });
    expect(appended.bytesAfter).toBeGreaterThan(0);
    // Not a PDF: nothing to check.
    const png = await uploadAs(a, desk.clerk, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]), 'anh.png');
    expect(png.mimeType).toBe('image/png');
    expect(png.signatureVerification).toBeNull();
  });

  it('a hostile PDF (signature dictionaries by the thousand, deep nesting) gets MALFORMED, and the server goes on', async () => {
    const many = Buffer.concat([basePdf(), Buffer.from('1 0 obj << /ByteRange [0 1 2 3] /Contents <00> >> endobj\n'.repeat(5000), 'latin1')]);
    expect((await uploadAs(a, desk.clerk, many)).signatureVerification?.verdict).toBe('MALFORMED');
    const deep = Buffer.from(`%PDF-1.7\n1 0 obj << /ByteRange ${'['.repeat(300_000)} >> endobj\n%%EOF\n`, 'latin1');
    expect((await uploadAs(a, desk.clerk, deep)).signatureVerification?.verdict).toBe('MALFORMED');
    expect((await uploadAs(a, desk.clerk, await signPdf(basePdf(), pki.leader))).signatureVerification?.verdict).toBe('VALID');
    expect(a.serverErrors()).toEqual([]);
  });

  it('a check that takes longer than SIGNATURE_CHECK_TIMEOUT_MS is given up: MALFORMED, saying why', async () => {
    // Two hundred thousand objects before the signature: far more than 100 ms of parsing on any machine.
    const body = Array.from({ length: 200_000 }, (_, i) => `${i + 10} 0 obj << /Kind /Filler /N ${i} >> endobj`).join('\n');
    const slow = await signPdf(Buffer.concat([basePdf(), Buffer.from(body + '\n', 'latin1')]), pki.leader);
    const before = a.config.signatures;
    a.config.signatures = { ...before, checkTimeoutMs: 100 };
    try {
      const v = (await uploadAs(a, desk.clerk, slow)).signatureVerification;
      expect(v).toMatchObject({ verdict: 'MALFORMED', problem: 'The signatures could not be checked within 100 ms.', signatures: [] });
    } finally {
      a.config.signatures = before;
    }
    expect((await uploadAs(a, desk.clerk, slow)).signatureVerification?.verdict).toBe('VALID');
  });
});

describe('issuing requires a signature that verifies', () => {
  const stateOf = async (id: string) =>
    (
      await a.sql<{ state: string; number: string | null; events: number; attachments: number }>(
        `select d.state, d.number, (select count(*)::int from routing_event e where e.document_id = d.id) as events,
              (select count(*)::int from document_attachment x where x.document_id = d.id) as attachments
         from document d where d.id = $1`,
        [Buffer.from(id, 'base64url').toString().split(':')[1]],
      )
    )[0];
  const lastNumber = async () => (await a.sql<{ n: number | null }>(`select max(last_number) as n from register where direction = 'OUTGOING'`))[0].n;

  it('refuses every invalid verdict with SIGNATURE_INVALID and changes nothing; a valid file then issues', async () => {
    const d = await draft(a, desk.staff, { recipientUnitIds: [units['TTQHKĐ']] });
    await toSigned(desk, d.id);
    const before = await stateOf(d.id);
    const numberBefore = await lastNumber();
    const signed = await signPdf(basePdf(), pki.leader);
    for (const [bytes, verdict] of [
      [appendAfterSigning(signed), 'MODIFIED_AFTER_SIGNING'],
      [alterOneByte(signed), 'CONTENT_ALTERED'],
      [await signPdf(basePdf(), pki.stranger, { chain: [pki.rogueCa] }), 'UNTRUSTED'],
      [await signPdf(basePdf(), pki.expired), 'CERTIFICATE_EXPIRED'],
    ] as Array<[Buffer, string]>) {
      const file = await uploadAs(a, desk.clerk, bytes);
      const r = await desk.clerk.request(IssueDocumentDocument, { id: d.id, input: { signedFileId: file.id } });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'SIGNATURE_INVALID', verdict });
      expect(r.errors?.[0]?.message).toMatch(/does not verify/);
    }
    expect(await stateOf(d.id)).toEqual(before);
    expect(before.state).toBe('SIGNED');
    expect(await lastNumber()).toBe(numberBefore);

    const good = await uploadAs(a, desk.clerk, await signedByLeaderAndAgency('Cong van da ky so'));
    const issued = (await desk.clerk.ok(IssueDocumentDocument, { id: d.id, input: { signedFileId: good.id } })).issueDocument;
    expect(issued.state).toBe('ISSUED');
    // Shown on the issued document and on the centre's copy: the agency's and the leader's signature.
    const { document } = await desk.clerk.ok(SignedAttachmentsDocument, { id: d.id });
    const v = document!.attachments[0].signatureVerification!;
    expect(v.verdict).toBe('VALID');
    expect(v.signatures.map((s) => [s.signerName, s.verdict])).toEqual([
      ['Nguyễn Văn Giám Đốc', 'VALID'],
      ['Sở Xây dựng tỉnh Bình Định', 'VALID'],
    ]);
    const centreClerk = await a.as(DEMO.centreClerk);
    const copyId = (
      await a.sql<{ id: string }>(`select incoming_copy_id as id from outgoing_recipient where document_id = $1 and incoming_copy_id is not null`, [
        Buffer.from(d.id, 'base64url').toString().split(':')[1],
      ])
    )[0].id;
    const copy = (await centreClerk.ok(SignedAttachmentsDocument, { id: Buffer.from(`IncomingDocument:${copyId}`).toString('base64url') })).document!;
    expect(copy.attachments[0].signatureVerification?.verdict).toBe('VALID');
  });

  it('a scan without a digital signature still issues (signed on paper)', async () => {
    const d = await draft(a, desk.staff, { recipientUnitIds: [units['TTQHKĐ']] });
    await toSigned(desk, d.id);
    const scan = await uploadAs(a, desk.clerk, pdf());
    expect(scan.signatureVerification?.verdict).toBe('NOT_SIGNED');
    expect((await desk.clerk.ok(IssueDocumentDocument, { id: d.id, input: { signedFileId: scan.id } })).issueDocument.state).toBe('ISSUED');
  });

  it('a check made under other trust anchors is made again at issue time', async () => {
    const d = await draft(a, desk.staff, { recipientUnitIds: [units['TTQHKĐ']] });
    await toSigned(desk, d.id);
    const file = await uploadAs(a, desk.clerk, await signPdf(basePdf(), pki.stranger, { chain: [pki.rogueCa] }));
    expect(file.signatureVerification?.verdict).toBe('UNTRUSTED');
    const before = a.config.signatures;
    // As after a restart with the other CA added to SIGNATURE_TRUST_ANCHORS.
    const anchors = `${path.join(dir, 'anchors')},${path.join(dir, 'rogue-ca.pem')}`;
    a.config.signatures = signatureSettings({ SIGNATURE_TRUST_ANCHORS: anchors }, dir, before.checkTimeoutMs);
    try {
      expect((await desk.clerk.ok(IssueDocumentDocument, { id: d.id, input: { signedFileId: file.id } })).issueDocument.state).toBe('ISSUED');
      const { document } = await desk.clerk.ok(SignedAttachmentsDocument, { id: d.id });
      expect(document!.attachments[0].signatureVerification).toMatchObject({ verdict: 'VALID', signatures: [{ signerName: 'Lê Văn Lạ', chainTrusted: true }] });
    } finally {
      a.config.signatures = before;
    }
  });
});

describe('received through the exchange', () => {
  it('an issued document’s signed file reaches the peer with its verdict', async () => {
    const d = await draft(a, desk.staff, { subject: 'V/v phối hợp thẩm định (ký số)', recipientCorrespondentIds: [peerBatA] });
    await toSigned(desk, d.id);
    const good = await uploadAs(a, desk.clerk, await signedByLeaderAndAgency('Cong van gui lien thong'));
    await desk.clerk.ok(IssueDocumentDocument, { id: d.id, input: { signedFileId: good.id } });
    const incomingId = await eventually(
      async () => {
        const rows = await b.sql<{ id: string }>(
          `select d.id from document d join document_attachment x on x.document_id = d.id join stored_file f on f.id = x.file_id
          where d.direction = 'INCOMING' and f.sha256 = $1`,
          [good.sha256],
        );
        return rows[0]?.id;
      },
      60_000,
      'the package at B',
    );
    const { document } = await clerkB.ok(SignedAttachmentsDocument, { id: Buffer.from(`IncomingDocument:${incomingId}`).toString('base64url') });
    const v = document!.attachments[0].signatureVerification!;
    expect(v.verdict).toBe('VALID');
    expect(v.signatures.map((s) => s.signerName)).toEqual(['Nguyễn Văn Giám Đốc', 'Sở Xây dựng tỉnh Bình Định']);
  });

  it('a package whose attachment was altered after signing is received, its verdict with it', async () => {
    const bytes = alterOneByte(await signPdf(basePdf(), pki.leader));
    const pkg = samplePackage(A_ORGAN, B_ORGAN, { attachments: [{ name: 'cong-van.pdf', contentType: 'application/pdf', bytes, sha256: sha256Hex(bytes) }] });
    const r = await postMessage(b.server.url.replace('/graphql', '/exchange/messages'), A_ORGAN, SECRET, buildPackage(pkg));
    expect(r.status).toBeLessThan(300);
    const id = (await b.sql<{ id: string }>(`select id from document where direction = 'INCOMING' and exchange_document_id = $1`, [pkg.documentId]))[0].id;
    const { document } = await clerkB.ok(SignedAttachmentsDocument, { id: Buffer.from(`IncomingDocument:${id}`).toString('base64url') });
    expect(document!.attachments[0].signatureVerification).toMatchObject({
      verdict: 'CONTENT_ALTERED',
      signatures: [{ contentIntact: false, signerName: 'Nguyễn Văn Giám Đốc' }],
    });
  });
});
