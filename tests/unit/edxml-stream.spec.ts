import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { BusinessDocType, EdxmlProblem, buildPackage, buildStatus, sha256Hex, type DocumentPackage } from '../../src/domain/exchange/edxml';
import { parseMessage, readMessageStream } from '../../src/domain/exchange/edxml-read';
import { EdxmlScanner, SCAN_LIMITS } from '../../src/domain/exchange/edxml-scan';

/** Issue 14, item 3: a message read in pieces, each attachment decoded as it goes by, in bounded memory. */

class Sink {
  chunks: Buffer[] = [];
  write(b: Buffer) {
    this.chunks.push(b);
  }
  bytes() {
    return Buffer.concat(this.chunks);
  }
}

const pdf = (n: number, seed = 1) => {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  Buffer.from('%PDF-1.4\n').copy(b);
  return b;
};

const sample = (over: Partial<DocumentPackage> = {}): Omit<DocumentPackage, 'kind'> => {
  const a = pdf(5000, 1);
  const b = pdf(7, 2);
  return {
    from: { organId: '000.00.00.H08', organName: 'Sở Xây dựng tỉnh Bình Định' },
    to: [{ organId: '000.00.00.H41', organName: 'Sở Xây dựng tỉnh Phú Yên' }],
    documentId: '000.00.00.H08,2026/11/26,05/SXD-VP',
    codeNumber: '05',
    codeNotation: 'SXD-VP',
    place: 'Quy Nhơn',
    promulgationDate: '2026-11-26',
    documentTypeCode: 'CV',
    documentTypeName: 'Công văn',
    subject: 'V/v góp ý dự thảo "Quy định" <phân cấp> & quản lý quy hoạch — ổn định, ưu tiên',
    signer: { competence: 'KT. GIÁM ĐỐC', position: 'Phó Giám đốc', fullName: 'Trần Văn Bình' },
    dueDate: '2026-12-10',
    toPlaces: ['Như trên', 'Lưu: VT, VP'],
    priority: 'URGENT',
    securityLevel: 0,
    pageAmount: 3,
    responseFor: null,
    steeringType: 0,
    businessDocType: BusinessDocType.NEW,
    businessDocReason: null,
    timestamp: '2026-11-26T03:00:00.000Z',
    attachments: [
      { name: 'công văn.pdf', contentType: 'application/pdf', bytes: a, sha256: sha256Hex(a) },
      { name: 'phụ lục.pdf', contentType: 'application/pdf', bytes: b, sha256: sha256Hex(b) },
    ],
    ...over,
  };
};

/** Reads `xml` in the given pieces; attachments come back with their bytes. */
function readInPieces(xml: string, cuts: number[]) {
  const reader = readMessageStream(() => new Sink());
  let at = 0;
  for (const cut of [...cuts].sort((x, y) => x - y)) {
    reader.write(xml.slice(at, cut));
    at = cut;
  }
  reader.write(xml.slice(at));
  const m = reader.end();
  if (m.kind !== 'PACKAGE') return m;
  return { ...m, attachments: m.attachments.map((a) => ({ name: a.name, contentType: a.contentType, bytes: a.sink.bytes(), sha256: a.sha256 })) };
}

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof EdxmlProblem) return `${e.code}: ${e.message}`;
    throw e;
  }
  return null;
};

describe('an edXML message read in pieces', () => {
  it('reads the same whatever the pieces: cut inside tags, names, entities, base64 and multi-byte text (fast-check, fixed seed)', () => {
    // Base64 broken in lines, a comment and a CDATA section in the header.
    const xml = buildPackage(sample())
      .replace(/(<edXML:ContentTransferEncoded>)([^<]+)/g, (_m, open: string, b64: string) => `${open}\n${b64.replace(/.{1,76}/g, '$&\r\n  ')}`)
      .replace('<edXML:Subject>', '<!-- ghi chú <edXML:ContentTransferEncoded> --><edXML:Subject>');
    const whole = parseMessage(xml);
    expect(whole).toMatchObject({ kind: 'PACKAGE', subject: sample().subject });
    fc.assert(
      fc.property(fc.array(fc.nat(xml.length), { maxLength: 40 }), (cuts) => {
        expect(readInPieces(xml, cuts)).toEqual(whole);
      }),
      { numRuns: 100, seed: 20261127 },
    );
    // One character at a time.
    expect(
      readInPieces(
        xml,
        Array.from({ length: xml.length }, (_, i) => i),
      ),
    ).toEqual(whole);
    const status = buildStatus({
      from: sample().from,
      responseFor: sample().documentId,
      statusCode: '03',
      description: null,
      timestamp: '2026-11-26T04:00:00.000Z',
      sequence: 1,
    });
    expect(readInPieces(status, [10, 200, 201])).toEqual(parseMessage(status));
  });

  it('hands each attachment to its sink as it is decoded, keeping only the rest of the message', () => {
    const big = pdf(3 * 1024 * 1024, 3);
    const xml = buildPackage(sample({ attachments: [{ name: 'lớn.pdf', contentType: 'application/pdf', bytes: big, sha256: sha256Hex(big) }] }));
    const sinks: Sink[] = [];
    const scanner = new EdxmlScanner(() => {
      const s = new Sink();
      sinks.push(s);
      return s;
    });
    const piece = 64 * 1024;
    let delivered = 0;
    for (let at = 0; at < xml.length; at += piece) {
      scanner.write(xml.slice(at, at + piece));
      if (at > xml.length / 2 && !delivered) delivered = sinks[0]?.bytes().length ?? 0;
    }
    const skeleton = scanner.end();
    // Half-way, most of the first half was already decoded and handed on.
    expect(delivered).toBeGreaterThan(big.length / 3);
    expect(skeleton.length).toBeLessThan(5_000);
    expect(skeleton).toContain('<edXML:ContentTransferEncoded>#0</edXML:ContentTransferEncoded>');
    expect(sinks[0].bytes().equals(big)).toBe(true);
    expect(scanner.attachments[0]).toMatchObject({ size: big.length, sha256: createHash('sha256').update(big).digest('hex'), problem: null });
  });

  it('refuses what does not belong: markup or entities in an attachment, bad padding, a DOCTYPE late in the stream, too many attachments, an oversized header', () => {
    const good = buildPackage(sample());
    const b64 = /<edXML:ContentTransferEncoded>([^<]+)</.exec(good)![1];
    const withText = (t: string) => good.replace(b64, t);
    expect(codeOf(() => readInPieces(withText(`${b64.slice(0, 8)}<x/>${b64.slice(8)}`), [3000]))).toMatch(/^MALFORMED_PACKAGE: .*base64 text only/);
    expect(codeOf(() => readInPieces(withText(`${b64.slice(0, 8)}&#65;${b64.slice(13)}`), []))).toMatch(
      /^MALFORMED_PACKAGE: .*ContentTransferEncoded is not base64/,
    );
    expect(codeOf(() => readInPieces(withText(`${b64.slice(0, 8)}=${b64.slice(9)}`), []))).toMatch(/^MALFORMED_PACKAGE: .*not base64/);
    expect(codeOf(() => readInPieces(withText(`${b64.slice(0, -4)}A===`), []))).toMatch(/^MALFORMED_PACKAGE: .*not base64/);
    expect(codeOf(() => readInPieces(withText(b64.slice(0, -1)), []))).toMatch(/^MALFORMED_PACKAGE: .*not base64/);
    // A damaged attachment is told apart from a malformed one, as before.
    expect(codeOf(() => readInPieces(withText(`${b64.slice(0, 8).split('').reverse().join('')}${b64.slice(8)}`), [500, 4000]))).toMatch(
      /^ATTACHMENT_HASH_MISMATCH/,
    );
    // A DOCTYPE after megabytes of attachment is still refused, and so is one cut in two.
    const late = `${good.replace('</edXML:edXMLEnvelope>', '')}<!DOCTYPE x [<!ENTITY a "b">]></edXML:edXMLEnvelope>`;
    const at = late.indexOf('<!DOCTYPE');
    expect(codeOf(() => readInPieces(late, [at + 3]))).toMatch(/^MALFORMED_PACKAGE: .*DOCTYPE/);
    const many = good.replace(
      '</edXML:edXMLBody>',
      `${'<edXML:Attachment><edXML:ContentTransferEncoded>QUFB</edXML:ContentTransferEncoded></edXML:Attachment>'.repeat(SCAN_LIMITS.maxAttachments)}</edXML:edXMLBody>`,
    );
    expect(codeOf(() => readInPieces(many, []))).toMatch(/^MALFORMED_PACKAGE: .*at most 50 attachments/);
    const huge = good.replace('<edXML:Subject>', `<edXML:Subject>${'Đề nghị '.repeat(600_000)}`);
    expect(codeOf(() => readInPieces(huge, [1_000_000, 2_000_000]))).toMatch(/^MALFORMED_PACKAGE: .*too large/);
    expect(codeOf(() => readInPieces(good.slice(0, good.indexOf(b64) + 100), []))).toMatch(/^MALFORMED_PACKAGE/);
    // A tag that never ends is not kept waiting for beyond its bound, however it is cut.
    const endless = `<edXMLEnvelope><a b="${'x'.repeat(SCAN_LIMITS.maxConstruct + 10)}`;
    const started = Date.now();
    expect(
      codeOf(() =>
        readInPieces(
          endless,
          Array.from({ length: Math.ceil(endless.length / 1000) }, (_, i) => i * 1000),
        ),
      ),
    ).toMatch(/^MALFORMED_PACKAGE: .*too long/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
