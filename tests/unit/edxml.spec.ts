import fc from 'fast-check';
import {
  BusinessDocType,
  EdxmlProblem,
  buildPackage,
  buildStatus,
  formatDocumentId,
  parseDocumentId,
  sha256Hex,
  type DocumentPackage,
} from '../../src/domain/exchange/edxml';
import { parseMessage, screen } from '../../src/domain/exchange/edxml-read';
import { OutboxState, outcomeOf, retryDelayMs, signMessage, signatureProblem } from '../../src/domain/exchange/delivery';
import { exchangeStatusCode } from '../../src/domain/outgoing/interconnection';

const bytes = Buffer.from('%PDF-1.4\n% Nghị định 30/2020\n%%EOF\n', 'utf8');
const sample = (over: Partial<DocumentPackage> = {}): Omit<DocumentPackage, 'kind'> => ({
  from: { organId: '000.00.00.H08', organName: 'Sở Xây dựng tỉnh Bình Định' },
  to: [
    { organId: '000.00.00.H41', organName: 'Sở Xây dựng tỉnh Phú Yên' },
    { organId: '000.00.00.H39', organName: 'Sở Xây dựng tỉnh Gia Lai' },
  ],
  documentId: '000.00.00.H08,2026/11/26,05/SXD-VP',
  codeNumber: '05',
  codeNotation: 'SXD-VP',
  place: 'Quy Nhơn',
  promulgationDate: '2026-11-26',
  documentTypeCode: 'CV',
  documentTypeName: 'Công văn',
  subject: 'V/v góp ý dự thảo "Quy định" <phân cấp> & quản lý quy hoạch',
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
  attachments: [{ name: 'công văn 05.pdf', contentType: 'application/pdf', bytes, sha256: sha256Hex(bytes) }],
  ...over,
});

const problem = (xml: string) => {
  try {
    parseMessage(xml);
  } catch (e) {
    if (e instanceof EdxmlProblem) return e.code;
    throw e;
  }
  return null;
};

describe('edXML packages (TT 10/2016)', () => {
  it('read back what was written: header, trace, attachments with their hashes, text with markup characters', () => {
    const written = sample();
    const read = parseMessage(buildPackage(written));
    expect(read).toEqual({ kind: 'PACKAGE', ...written, attachments: [{ ...written.attachments[0], bytes }] });
  });

  it('write the parts the exchange expects, in the edXML namespace', () => {
    const xml = buildPackage(sample());
    expect(xml).toContain('<edXML:edXMLEnvelope xmlns:edXML=');
    for (const tag of [
      'MessageHeader',
      'TraceHeaderList',
      'BussinessDocType',
      'CodeNumber',
      'CodeNotation',
      'PromulgationDate',
      'SignerInfo',
      'ToPlaces',
      'OtherInfo',
      'SteeringType',
      'DocumentId',
      'ContentTransferEncoded',
    ]) {
      expect(xml).toContain(`<edXML:${tag}>`);
    }
    expect(xml).toContain('xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"');
    expect(xml).toContain('<edXML:PromulgationDate>2026/11/26</edXML:PromulgationDate>');
  });

  it('DocumentId is OrganId,yyyy/MM/dd,Number/Notation', () => {
    expect(formatDocumentId('000.00.00.H08', '2026-01-05', '05', 'QĐ-SXD')).toBe('000.00.00.H08,2026/01/05,05/QĐ-SXD');
    expect(parseDocumentId('000.00.00.H08,2026/01/05,05/QĐ-SXD')).toEqual({ organId: '000.00.00.H08', date: '2026-01-05', number: '05', notation: 'QĐ-SXD' });
    expect(parseDocumentId('000.00.00.H08,2026-01-05,05/QĐ-SXD')).toBeNull();
    expect(parseDocumentId('H08,2026/01/05,05/QĐ-SXD')).toBeNull();
  });

  it('refuse a damaged attachment, a classified document, a recall without reason and a DocumentId that does not match', () => {
    const s = sample();
    expect(problem(buildPackage({ ...s, attachments: [{ ...s.attachments[0], sha256: sha256Hex(Buffer.from('other')) }] }))).toBe('ATTACHMENT_HASH_MISMATCH');
    expect(problem(buildPackage(sample({ securityLevel: 2 })))).toBe('CLASSIFIED_DOCUMENT_REFUSED');
    expect(problem(buildPackage(sample({ businessDocType: BusinessDocType.RECALL, businessDocReason: null, attachments: [] })))).toBe('MALFORMED_PACKAGE');
    expect(problem(buildPackage(sample({ documentId: '000.00.00.H08,2026/11/26,06/SXD-VP' })))).toBe('MALFORMED_PACKAGE');
    expect(problem(buildPackage(sample({ documentId: '000.00.00.H09,2026/11/26,05/SXD-VP' })))).toBe('MALFORMED_PACKAGE');
    expect(problem(buildPackage(sample({ attachments: [] })))).toBe('MALFORMED_PACKAGE');
    expect(parseMessage(buildPackage(sample({ businessDocType: BusinessDocType.RECALL, businessDocReason: 'Sai thẩm quyền', attachments: [] })))).toMatchObject(
      { businessDocType: 1, businessDocReason: 'Sai thẩm quyền' },
    );
  });

  it('refuse DOCTYPEs, entities, processing instructions, deep nesting and ill-formed XML before reading them', () => {
    const good = buildPackage(sample());
    expect(problem(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]>${good.replace(/<\?xml[^>]*\?>/, '')}`)).toBe('MALFORMED_PACKAGE');
    expect(problem(good.replace('<edXML:edXMLHeader>', '<?php echo 1 ?><edXML:edXMLHeader>'))).toBe('MALFORMED_PACKAGE');
    expect(problem(`<edXMLEnvelope>${'<x>'.repeat(100)}${'</x>'.repeat(100)}</edXMLEnvelope>`)).toBe('MALFORMED_PACKAGE');
    expect(problem(good.replace('</edXML:Subject>', ''))).toBe('MALFORMED_PACKAGE');
    expect(problem('<other/>')).toBe('MALFORMED_PACKAGE');
  });

  it('screen in time linear in the length, counting every element whatever its name', () => {
    const started = Date.now();
    expect(problem(`<edXMLEnvelope>${'<a'.repeat(500_000)}`)).toBe('MALFORMED_PACKAGE');
    expect(problem(`<edXMLEnvelope>${'<a<'.repeat(300_000)}></edXMLEnvelope>`)).toBe('MALFORMED_PACKAGE');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(() => screen(`<edXMLEnvelope>${'<é/>'.repeat(6_000)}</edXMLEnvelope>`)).toThrow(/too many elements/);
    expect(() => screen(`<edXMLEnvelope>${'<ệ>'.repeat(40)}${'</ệ>'.repeat(40)}</edXMLEnvelope>`)).toThrow(/nested too deeply/);
    expect(() => screen(`<x><!-- <a><a><a> --><![CDATA[<b><b>]]></x>`)).not.toThrow();
    expect(() => screen(`<x><!-- not closed </x>`)).toThrow(/not closed/);
  });

  it('never fail other than with a coded problem, whatever is changed in a package (fast-check, fixed seed)', () => {
    const good = buildPackage(sample());
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.nat(40), fc.string({ maxLength: 30 }), (at, cut, insert) => {
        const mutated = good.slice(0, at) + insert + good.slice(at + cut);
        try {
          parseMessage(mutated);
        } catch (e) {
          expect(e).toBeInstanceOf(EdxmlProblem);
        }
      }),
      { numRuns: 500, seed: 20261126 },
    );
  });
});

describe('status messages', () => {
  it('read back and refuse a refusal without its reason or an unknown code', () => {
    const s = {
      from: { organId: '000.00.00.H41', organName: 'Sở Xây dựng tỉnh Phú Yên' },
      responseFor: '000.00.00.H08,2026/11/26,05/SXD-VP',
      statusCode: '02' as const,
      description: 'Không đúng thẩm quyền',
      timestamp: '2026-11-26T04:00:00.000Z',
      sequence: 7,
    };
    expect(parseMessage(buildStatus(s))).toEqual({ kind: 'STATUS', ...s });
    expect(problem(buildStatus({ ...s, description: null }))).toBe('MALFORMED_PACKAGE');
    expect(problem(buildStatus({ ...s, statusCode: '99' as never }))).toBe('MALFORMED_PACKAGE');
    // Sequences are the sender's outbox ids: they grow without bound.
    expect(parseMessage(buildStatus({ ...s, sequence: 12_345_678_901 }))).toMatchObject({ sequence: 12_345_678_901 });
  });

  it('follow the copy’s state: 01 arrived … 06 completed, 02 refused, 15 recalled', () => {
    expect(['RECEIVED', 'REGISTERED', 'SUBMITTED', 'ASSIGNED', 'IN_PROGRESS', 'COMPLETED', 'REJECTED', 'RECALLED'].map(exchangeStatusCode)).toEqual([
      '01',
      '03',
      '03',
      '04',
      '05',
      '06',
      '02',
      '15',
    ]);
  });
});

describe('delivery rules', () => {
  it('retry with doubling waits, capped, with bounded jitter', () => {
    expect([1, 2, 3, 4, 10, 50].map((n) => retryDelayMs(n, 1000, 60_000, () => 0))).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000]);
    expect(retryDelayMs(2, 1000, 60_000, () => 1)).toBe(2400);
    expect(retryDelayMs(20, 1000, 60_000, () => 1)).toBe(60_000);
  });

  it('read a peer’s answer: 2xx acknowledged, a refusal final, credentials and outages retried', () => {
    expect([200, 201, 400, 422, 413, 401, 403, 404, 429, 500, 503].map(outcomeOf)).toEqual([
      'ACKNOWLEDGED',
      'ACKNOWLEDGED',
      'REFUSED',
      'REFUSED',
      'REFUSED',
      'RETRY',
      'RETRY',
      'RETRY',
      'RETRY',
      'RETRY',
      'RETRY',
    ]);
    expect(OutboxState.ACKNOWLEDGED).toBe('ACKNOWLEDGED');
  });

  it('sign over sender, time and body; refuse another secret, another body, an old time', () => {
    const body = Buffer.from('<x/>');
    const now = Date.parse('2026-11-26T03:00:00Z');
    const sig = signMessage('s'.repeat(32), '000.00.00.H08', now, body);
    expect(signatureProblem('s'.repeat(32), '000.00.00.H08', String(now), sig, body, now + 1000)).toBeNull();
    expect(signatureProblem('t'.repeat(32), '000.00.00.H08', String(now), sig, body, now)).toMatch(/does not match/);
    expect(signatureProblem('s'.repeat(32), '000.00.00.H08', String(now), sig, Buffer.from('<y/>'), now)).toMatch(/does not match/);
    expect(signatureProblem('s'.repeat(32), '000.00.00.H09', String(now), sig, body, now)).toMatch(/does not match/);
    expect(signatureProblem('s'.repeat(32), '000.00.00.H08', String(now), sig, body, now + 10 * 60 * 1000)).toMatch(/too long ago/);
    expect(signatureProblem('s'.repeat(32), '000.00.00.H08', undefined, sig, body, now)).toMatch(/signing time/);
    expect(signatureProblem('s'.repeat(32), '000.00.00.H08', String(now), 'zz', body, now)).toMatch(/no valid signature/);
  });
});
