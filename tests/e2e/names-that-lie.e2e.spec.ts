import { readdirSync } from 'node:fs';
import { CreateAccountDocument, ReceiveDocumentDocument, UnitsDocument } from '../generated/graphql';
import { pdf, receive, upload, uploadRaw } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { snapshot } from '../helpers/snapshot';
import { docx } from '../helpers/zip';

// Issue 15, item 7: a file is what its bytes are, not what its first bytes or its name say, and no
// name or metadata holds characters that make it read differently from what it is.

let env: TestEnv;
let clerk: ApiClient;
const TABLES = ['stored_file', 'document', 'document_attachment', 'routing_event', 'account', 'account_event'];

/** Every blob in the upload folder, to prove that a refused upload left no bytes behind. */
function blobs(): string[] {
  const dir = env.config.uploadDir;
  try {
    return readdirSync(dir, { recursive: true }).map(String).sort();
  } catch {
    return [];
  }
}

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  clerk = await env.as(DEMO.clerk);
});
afterAll(() => env?.close());

describe('a file that only looks like an office document', () => {
  it('refuses bytes that begin like a DOCX but are no zip, and stores nothing; a real DOCX is taken', async () => {
    const fake = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.from('....[Content_Types].xml....word/document.xml....MZ\x90\x00 not a zip', 'latin1'),
    ]);
    const before = { rows: await snapshot(env, TABLES), blobs: blobs() };
    const r = await uploadRaw(env, clerk, fake, 'cong-van.docx');
    expect(r.status).toBe(415);
    expect(r.body).toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE' });
    expect({ rows: await snapshot(env, TABLES), blobs: blobs() }).toEqual(before);

    const real = await upload(env, clerk, docx(), 'cong-van.docx');
    expect(real.mimeType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });
});

describe('invisible and direction-changing characters', () => {
  it('refuses an upload named a\\u202Efdp.exe (it shows as aexe.pdf), storing nothing', async () => {
    const before = { rows: await snapshot(env, TABLES), blobs: blobs() };
    for (const name of ['a\u202Efdp.exe', 'to\u200Btrinh.pdf', 'x\u2066.pdf']) {
      const r = await uploadRaw(env, clerk, pdf(), name);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'BAD_USER_INPUT' });
      expect(String(r.body.message)).toMatch(/U\+(202E|200B|2066)/);
    }
    expect({ rows: await snapshot(env, TABLES), blobs: blobs() }).toEqual(before);
  });

  it('refuses a subject with U+202E naming the field, and nothing is created', async () => {
    const file = await upload(env, clerk);
    const before = await snapshot(env, TABLES);
    const r = await clerk.request(ReceiveDocumentDocument, {
      input: {
        documentTypeCode: 'CV',
        issuedDate: '2026-11-20',
        issuer: 'Ủy ban nhân dân tỉnh Bình Định',
        subject: 'V/v \u202Efdp.exe thanh toán',
        attachmentIds: [file.id],
      },
    });
    expect(r.data ?? null).toBeNull();
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.subject' });
    expect(r.errors?.[0]?.message).toMatch(/U\+202E/);
    expect(await snapshot(env, TABLES)).toEqual(before);
    // The same input without the override goes through: the refusal is about the character.
    await receive(env, clerk, { subject: 'V/v thanh toán', attachmentIds: [file.id] });
  });

  it('refuses such characters in any metadata, nested inputs included (an account’s name)', async () => {
    const admin = await env.as(ADMIN_USERNAME);
    const unitId = (await admin.ok(UnitsDocument)).units.find((u) => u.kind === 'AGENCY')!.id;
    const before = await snapshot(env, TABLES);
    for (const [fullName, field] of [
      ['Nguyễn\u200FVăn A', 'input.fullName'],
      ['\u2067Admin\u2069', 'input.fullName'],
    ] as const) {
      const r = await admin.request(CreateAccountDocument, { input: { username: 'an.danh@sxd.binhdinh.gov.vn', fullName, unitId, roles: ['STAFF'] } });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await snapshot(env, TABLES)).toEqual(before);
  });
});
