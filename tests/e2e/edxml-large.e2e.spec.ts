import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, type WriteStream } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { CreatePeerDocument, ExchangeIncomingDocument } from '../generated/graphql';
import { DEMO, type ApiClient } from '../helpers/env';
import { buildPackage, eventually, samplePackage, startProcessPeer, type ProcessPeer } from '../helpers/exchange';

/**
 * Issue 14, item 3: a ~100 MB edXML package imported by a clerk while a client polls /healthz every
 * 100 ms. The server runs as its own process (so that what is measured is the server, not this test's
 * process): no poll may wait 500 ms or more, its peak RSS (VmHWM) may grow by at most
 * IMPORT_RSS_BOUND_MB over what it had before the import (README, Hardening), and the document and
 * its attachments must arrive byte for byte.
 */

const SENDER = '000.00.00.H41';
const HERE = '000.00.00.H08';
/** The README's bound: what importing one package may add to the server's peak RSS, whatever its size. */
const IMPORT_RSS_BOUND_MB = 160;
const MiB = 1024 * 1024;
const LIMIT = 110 * MiB;
/** Raw sizes (multiples of 3, so base64 pieces join without padding); 75 MiB in all, 100 MiB as base64. */
const SIZES = [36 * MiB + 2 * 3 * 100_000, 30 * MiB, 9 * MiB - 2 * 3 * 100_000];

let peer: ProcessPeer;
let clerk: ApiClient;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-edxml-large-'));
  // The limit sits just above the package, so that a body past it can be sent cheaply.
  peer = await startProcessPeer(HERE, { EXCHANGE_MAX_MESSAGE_BYTES: String(LIMIT) });
  clerk = await peer.as(DEMO.clerk);
  await clerk.ok(CreatePeerDocument, { input: { name: 'Sở Xây dựng tỉnh Phú Yên', organId: SENDER } });
}, 120_000);

afterAll(async () => {
  await peer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const write = async (out: WriteStream, chunk: string | Buffer) => {
  if (!out.write(chunk)) await once(out, 'drain');
};

describe('a 100 MB edXML package imported by a clerk', () => {
  it('never holds the server: /healthz answers within 500 ms throughout, memory stays bounded, and everything arrives intact', async () => {
    // The attachments' bytes, reproducible without being kept: each is an AES-CTR key stream of its own
    // seed (a PDF header first), generated once to hash it and again to write it.
    const seeds = SIZES.map(() => randomBytes(32));
    const piece = 3 * 256 * 1024;
    const zeros = Buffer.alloc(piece);
    const blocks = function* (i: number) {
      const size = SIZES[i];
      const stream = createCipheriv('aes-256-ctr', seeds[i], Buffer.alloc(16));
      for (let at = 0; at < size; at += piece) {
        const bytes = stream.update(zeros.subarray(0, Math.min(piece, size - at)));
        if (at === 0) Buffer.from(`%PDF-1.7\n% attachment ${i + 1}\n`).copy(bytes);
        yield bytes;
      }
    };
    const hashes = SIZES.map((_, i) => {
      const h = createHash('sha256');
      for (const b of blocks(i)) h.update(b);
      return h.digest('hex');
    });

    const markers = SIZES.map((_, i) => Buffer.from(`@@ATTACHMENT-${i}@@`));
    const pkg = samplePackage(SENDER, HERE, {
      subject: 'V/v gửi hồ sơ thiết kế kỹ thuật công trình cầu Thị Nại (bản quét đầy đủ)',
      attachments: SIZES.map((_, i) => ({ name: `ho-so-${i + 1}.pdf`, contentType: 'application/pdf', bytes: markers[i], sha256: hashes[i] })),
    });
    const skeleton = buildPackage(pkg);
    const file = path.join(dir, 'large.edxml');
    const out = createWriteStream(file);
    let rest = skeleton;
    for (let i = 0; i < SIZES.length; i++) {
      const at = rest.indexOf(markers[i].toString('base64'));
      expect(at).toBeGreaterThan(0);
      await write(out, rest.slice(0, at));
      // One line per piece of base64, as mail-style encoders break it.
      for (const b of blocks(i)) await write(out, `${b.toString('base64')}\n`);
      rest = rest.slice(at + markers[i].toString('base64').length);
    }
    await write(out, rest);
    out.end();
    await once(out, 'finish');
    const packageBytes = statSync(file).size;
    expect(packageBytes).toBeGreaterThan(100 * 1000 * 1000);

    const pid = peer.pid()!;
    const peakRssMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
    const before = peakRssMb();

    // The import, streamed from the file.
    let done = false;
    const imported = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: peer.port,
          path: '/exchange/import',
          method: 'POST',
          headers: { authorization: `Bearer ${clerk.token}`, 'content-type': 'application/xml', 'content-length': packageBytes },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      createReadStream(file).pipe(req);
    }).finally(() => (done = true));

    // A client polling /healthz every 100 ms, each poll with its own timeout.
    const waits: number[] = [];
    const poll = (async () => {
      while (!done) {
        const started = performance.now();
        const res = await fetch(`http://127.0.0.1:${peer.port}/healthz`, { signal: AbortSignal.timeout(5_000) }).catch(() => null);
        const took = performance.now() - started;
        waits.push(res?.ok ? took : Number.POSITIVE_INFINITY);
        await res?.arrayBuffer();
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - took)));
      }
    })();

    const result = await imported;
    await poll;
    const after = peakRssMb();
    expect(result).toMatchObject({ status: 201, body: { status: 'ACCEPTED', documentId: pkg.documentId } });

    // The import took long enough to be watched, and no poll waited.
    expect(waits.length).toBeGreaterThan(5);
    const slowest = Math.max(...waits);
    expect(slowest).toBeLessThan(500);
    // Memory did not follow the package: far less than one attachment's size added to the peak.
    expect(after - before).toBeLessThan(IMPORT_RSS_BOUND_MB);
    console.log(
      `edXML ${(packageBytes / MiB).toFixed(1)} MiB imported; ${waits.length} polls, slowest ${slowest.toFixed(0)} ms; peak RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB`,
    );

    // The document and its attachments, byte for byte.
    const { document } = await clerk.ok(ExchangeIncomingDocument, { id: String(result.body.id) });
    if (document?.__typename !== 'IncomingDocument') throw new Error('no incoming document');
    expect(document).toMatchObject({ state: 'RECEIVED', subject: pkg.subject, exchangeDocumentId: pkg.documentId });
    expect(document.attachments.map((a) => ({ name: a.name, size: a.size, sha256: a.sha256, mimeType: a.mimeType }))).toEqual(
      SIZES.map((size, i) => ({ name: `ho-so-${i + 1}.pdf`, size, sha256: hashes[i], mimeType: 'application/pdf' })),
    );
    for (const [i, a] of document.attachments.entries()) {
      const res = await fetch(`http://127.0.0.1:${peer.port}/files/${a.id}`, { headers: { authorization: `Bearer ${clerk.token}` } });
      expect(res.status).toBe(200);
      const h = createHash('sha256');
      let size = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        h.update(chunk);
        size += chunk.length;
      }
      expect({ size, sha256: h.digest('hex') }).toEqual({ size: SIZES[i], sha256: hashes[i] });
    }
    // Nothing of the import is left beside the store (it is removed just after the answer).
    await eventually(async () => readdirSync(path.join(peer.dataDir, 'files', '.incoming')).length === 0, 20_000, 'spool folder removed');
    expect(peer.output()).not.toMatch(/request failed/);
  }, 300_000);

  it('refuses a body past the limit, announced or not, and keeps nothing of it', async () => {
    const post = (headers: Record<string, string | number>, send: (req: http.ClientRequest) => void) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: peer.port,
            path: '/exchange/import',
            method: 'POST',
            headers: { authorization: `Bearer ${clerk.token}`, 'content-type': 'application/xml', ...headers },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (text += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        // The server may close the connection once it has answered.
        req.on('error', (e) => reject(e));
        send(req);
      });
    // Announced: answered before anything is read.
    const announced = await post({ 'content-length': LIMIT + 1 }, (req) => req.write('<?xml version="1.0"?>'));
    expect(announced.status).toBe(413);
    expect(JSON.parse(announced.body)).toMatchObject({ code: 'FILE_TOO_LARGE' });
    // Compressed: refused, whatever it would inflate to.
    const compressed = await post({ 'content-encoding': 'gzip', 'content-length': 10 }, (req) => req.end('0123456789'));
    expect(compressed.status).toBe(415);
    expect(JSON.parse(compressed.body)).toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE' });
    // Not announced (chunked): reading stops at the limit; the connection is dropped or refused with 413.
    const piece = Buffer.alloc(MiB, 0x41);
    const chunked = await post({ 'transfer-encoding': 'chunked' }, (req) => {
      let sent = 0;
      const more = () => {
        while (sent <= LIMIT) {
          sent += piece.length;
          if (!req.write(piece)) return void req.once('drain', more);
        }
        req.end();
      };
      req.on('error', () => undefined);
      more();
    }).catch(() => ({ status: 0, body: '' }));
    expect([0, 413]).toContain(chunked.status);
    const res = await fetch(`http://127.0.0.1:${peer.port}/healthz`);
    expect(res.status).toBe(200);
    await eventually(async () => readdirSync(path.join(peer.dataDir, 'files', '.incoming')).length === 0, 20_000, 'spool folders removed');
  }, 120_000);

  it('refuses a large package with the same codes as a small one when it is read off the main thread', async () => {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(MiB)]);
    const upload = async (xml: string) => {
      const res = await fetch(`http://127.0.0.1:${peer.port}/exchange/import`, {
        method: 'POST',
        headers: { authorization: `Bearer ${clerk.token}`, 'content-type': 'application/xml' },
        body: xml,
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const damaged = buildPackage(
      samplePackage(SENDER, HERE, { attachments: [{ name: 'a.pdf', contentType: 'application/pdf', bytes, sha256: '0'.repeat(64) }] }),
    );
    expect(damaged.length).toBeGreaterThan(MiB);
    expect(await upload(damaged)).toMatchObject({ status: 422, body: { code: 'ATTACHMENT_HASH_MISMATCH' } });
    const classified = buildPackage(
      samplePackage(SENDER, HERE, {
        securityLevel: 1,
        attachments: [{ name: 'a.pdf', contentType: 'application/pdf', bytes, sha256: createHash('sha256').update(bytes).digest('hex') }],
      }),
    );
    expect(await upload(classified)).toMatchObject({ status: 422, body: { code: 'CLASSIFIED_DOCUMENT_REFUSED' } });
    const bomb = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>${classified.replace(/<\?xml[^>]*\?>/, '')}`;
    expect(await upload(bomb)).toMatchObject({ status: 400, body: { code: 'MALFORMED_PACKAGE' } });
    expect(await upload(classified.slice(0, classified.length - 5000))).toMatchObject({ status: 400, body: { code: 'MALFORMED_PACKAGE' } });
  }, 60_000);
});
