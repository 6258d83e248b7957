import { randomBytes } from 'node:crypto';
import { ReceiveDocumentDocument, UnitsDocument, type ReceiveDocumentInput } from '../generated/graphql';
import type { ApiClient, TestEnv } from './env';

/** A small but real PDF, different each call unless `text` is given. */
export function pdf(text = randomBytes(8).toString('hex')): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

export interface Uploaded {
  id: string;
  name: string;
  mimeType: string;
  size: number;
  sha256: string;
}

/** POST /files as the client; returns the status and the parsed body. */
export async function uploadRaw(
  env: TestEnv,
  client: ApiClient | null,
  bytes: Buffer,
  name = 'cong-van.pdf',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), name);
  const res = await fetch(env.server.url.replace('/graphql', '/files'), {
    method: 'POST',
    headers: client?.token ? { authorization: `Bearer ${client.token}` } : {},
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Uploads as a client does: a 429 (too many uploads at once) is retried after a short wait. */
export async function upload(env: TestEnv, client: ApiClient, bytes: Buffer = pdf(), name?: string): Promise<Uploaded> {
  let r = await uploadRaw(env, client, bytes, name);
  for (let attempt = 1; r.status === 429 && attempt < 50; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    r = await uploadRaw(env, client, bytes, name);
  }
  if (r.status !== 201) throw new Error(`upload failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as unknown as Uploaded;
}

/** GET /files/:id as the client. */
export async function download(env: TestEnv, client: ApiClient | null, id: string): Promise<{ status: number; bytes: Buffer; type: string | null }> {
  const res = await fetch(env.server.url.replace('/graphql', `/files/${id}`), { headers: client?.token ? { authorization: `Bearer ${client.token}` } : {} });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

/** A typical letter from the provincial People's Committee, with one scanned attachment. */
export async function receive(env: TestEnv, clerk: ApiClient, over: Partial<ReceiveDocumentInput> = {}) {
  const file = await upload(env, clerk);
  const { receiveDocument } = await clerk.ok(ReceiveDocumentDocument, {
    input: {
      documentTypeCode: 'CV',
      number: '1234',
      symbol: 'UBND-KT',
      issuedDate: '2026-11-20',
      issuer: 'Ủy ban nhân dân tỉnh Bình Định',
      subject: 'V/v triển khai thực hiện Nghị định số 06/2021/NĐ-CP về quản lý chất lượng công trình xây dựng',
      attachmentIds: [file.id],
      ...over,
    },
  });
  return receiveDocument;
}

/** The demo unit ids by short name. */
export async function unitIds(client: ApiClient): Promise<Record<string, string>> {
  const { units } = await client.ok(UnitsDocument);
  return Object.fromEntries(units.map((u) => [u.shortName, u.id]));
}
