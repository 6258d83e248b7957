import { DocumentDocument, ReceiveDocumentDocument, RegisterDocumentDocument } from '../generated/graphql';
import { download, pdf, receive, upload, uploadRaw } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { snapshot } from '../helpers/snapshot';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

let env: TestEnv;
let clerk: ApiClient;

beforeAll(async () => {
  env = await startTestEnv({ env: { MAX_UPLOAD_BYTES: String(64 * 1024) } });
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  clerk = await env.as(DEMO.clerk);
});
afterAll(() => env?.close());

const blobs = () => {
  const dir = env.config.uploadDir;
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((d) => readdirSync(path.join(dir, d)));
};

describe('files', () => {
  it('stores the same bytes once, sniffs the type from the bytes and sanitises the name', async () => {
    const bytes = pdf('same bytes');
    const a = await upload(env, clerk, bytes, '../../etc/Công văn số 1.pdf');
    const b = await upload(env, clerk, bytes, 'copy.exe');
    expect(a).toMatchObject({ name: 'Công văn số 1.pdf', mimeType: 'application/pdf', size: bytes.length });
    expect(b.mimeType).toBe('application/pdf');
    expect(a.sha256).toBe(b.sha256);
    expect(a.id).not.toBe(b.id);
    expect(blobs().filter((f) => f === a.sha256)).toHaveLength(1);
    const png = await upload(env, clerk, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]), 'scan.pdf');
    expect(png.mimeType).toBe('image/png');
  });

  it('refuses what is not an accepted type, what is too large, and anonymous uploads', async () => {
    const exe = await uploadRaw(env, clerk, Buffer.from('MZ\x90\x00 this is a program'), 'hop-dong.pdf');
    expect(exe).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_FILE_TYPE' } });
    const big = await uploadRaw(env, clerk, Buffer.concat([pdf(), Buffer.alloc(65 * 1024)]), 'big.pdf');
    expect(big).toMatchObject({ status: 413, body: { code: 'FILE_TOO_LARGE' } });
    const anon = await uploadRaw(env, null, pdf(), 'x.pdf');
    expect(anon).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
  });

  it('limits the uploads one account has in flight', async () => {
    const big = Buffer.concat([pdf('big'), Buffer.alloc(60 * 1024)]);
    const results = await Promise.all(Array.from({ length: 12 }, () => uploadRaw(env, clerk, big, 'scan.pdf')));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(4);
    for (const r of results.filter((x) => x.status === 429)) expect(r.body.code).toBe('TOO_MANY_UPLOADS');
    // Once they are done, uploading works again.
    expect((await uploadRaw(env, clerk, pdf('after'), 'x.pdf')).status).toBe(201);
  });

  it('serves an unattached upload only to its uploader, and an attached one to readers of its document', async () => {
    const f = await upload(env, clerk, pdf('private'));
    const other = await env.as(DEMO.centreClerk);
    expect((await download(env, clerk, f.id)).status).toBe(200);
    expect((await download(env, other, f.id)).status).toBe(404);
    expect((await download(env, null, f.id)).status).toBe(401);
    expect((await download(env, clerk, 'not-an-id')).status).toBe(404);
    const director = await env.as(DEMO.director);
    expect((await download(env, director, f.id)).status).toBe(404);
    const doc = await receive(env, clerk, { attachmentIds: [f.id] });
    const got = await download(env, director, f.id);
    expect(got.status).toBe(200);
    expect(got.type).toBe('application/pdf');
    expect(got.bytes.equals(pdf('private'))).toBe(true);
    expect(doc.attachments[0]).toMatchObject({ id: f.id, url: `/files/${f.id}` });
  });

  it('refuses someone else’s upload as an attachment', async () => {
    const other = await env.as(DEMO.centreClerk);
    const theirs = await upload(env, other);
    expect(
      await clerk.code(ReceiveDocumentDocument, {
        input: { documentTypeCode: 'CV', issuedDate: '2026-11-20', issuer: 'UBND tỉnh', subject: 'Thử', attachmentIds: [theirs.id] },
      }),
    ).toBe('NOT_FOUND');
  });
});

describe('classified documents (Điều 3.2)', () => {
  it.each(['SECRET', 'TOP_SECRET', 'ABSOLUTE_SECRET'] as const)('%s is refused and leaves no row and no attached file behind', async (confidentiality) => {
    const f = await upload(env, clerk, pdf(`secret ${confidentiality}`));
    expect(blobs()).toContain(f.sha256);
    const before = await snapshot(env, ['document', 'document_attachment', 'routing_event', 'register']);
    const r = await clerk.request(ReceiveDocumentDocument, {
      input: {
        documentTypeCode: 'QĐ',
        issuedDate: '2026-11-20',
        issuer: 'Bộ Quốc phòng',
        subject: 'Tài liệu mật',
        confidentiality,
        attachmentIds: [f.id],
        registerNow: true,
      },
    });
    expect(r.errors?.[0]?.extensions?.code).toBe('CLASSIFIED_DOCUMENT_REFUSED');
    expect(await snapshot(env, ['document', 'document_attachment', 'routing_event', 'register'])).toEqual(before);
    expect(await env.sql(`select id from stored_file where id = $1`, [Buffer.from(f.id, 'base64url').toString().split(':')[1]])).toEqual([]);
    expect(blobs()).not.toContain(f.sha256);
    expect((await download(env, clerk, f.id)).status).toBe(404);
  });
});

describe('metadata and warnings', () => {
  const base = { documentTypeCode: 'CV', issuedDate: '2026-11-20', issuer: 'UBND tỉnh Bình Định', subject: 'V/v kiểm tra' };
  it.each([
    ['a subject over 500 characters', { subject: 'x'.repeat(501) }, 'BAD_USER_INPUT'],
    ['a symbol over 30 characters', { symbol: 'S'.repeat(31) }, 'BAD_USER_INPUT'],
    ['a number over 11 characters', { number: '1'.repeat(12) }, 'BAD_USER_INPUT'],
    ['an unknown document type', { documentTypeCode: 'XX' }, 'BAD_USER_INPUT'],
    ['an issued date in the future', { issuedDate: '2027-01-01' }, 'BAD_USER_INPUT'],
    ['a malformed date', { issuedDate: '2026-02-30' }, 'BAD_USER_INPUT'],
    ['a due date before the issued date', { dueDate: '2026-11-01' }, 'BAD_USER_INPUT'],
    ['a page count of 0', { pageCount: 0 }, 'BAD_USER_INPUT'],
    ['no attachment', { attachmentIds: [] }, 'BAD_USER_INPUT'],
    ['an empty subject', { subject: '   ' }, 'BAD_USER_INPUT'],
    ['TCVN3 text in the subject', { subject: 'QuyÕt ®Þnh vÒ viÖc' }, 'LEGACY_ENCODING_REFUSED'],
    ['an unknown sender', { senderId: Buffer.from('Correspondent:00000000-0000-4000-8000-000000000000').toString('base64url') }, 'NOT_FOUND'],
  ])('refuses %s and stores nothing', async (_name, over, code) => {
    const f = await upload(env, clerk);
    const before = await snapshot(env, ['document', 'document_attachment', 'routing_event']);
    expect(await clerk.code(ReceiveDocumentDocument, { input: { ...base, attachmentIds: [f.id], ...over } })).toBe(code);
    expect(await snapshot(env, ['document', 'document_attachment', 'routing_event'])).toEqual(before);
  });

  it('warns of a probable duplicate (same number, symbol and issuer already registered) without refusing it', async () => {
    const first = await receive(env, clerk, { number: '555', symbol: 'UBND-XD', issuer: 'UBND tỉnh Bình Định', registerNow: true });
    const second = await receive(env, clerk, { number: '555', symbol: 'ubnd-xd', issuer: 'UBND tỉnh Bình Định' });
    expect(second.possibleDuplicates.map((d) => d.id)).toEqual([first.id]);
    const registered = (await clerk.ok(RegisterDocumentDocument, { id: second.id })).registerDocument;
    expect(registered.possibleDuplicates).toEqual([{ id: first.id, arrivalNumber: first.arrivalNumber }]);
    expect((await clerk.ok(DocumentDocument, { id: first.id })).document).toBeTruthy();
  });
});
