import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * Certificates and signed PDFs made at test time: a CA, leaf certificates it issues (a leader's, an
 * agency's, an expired one), and PDFs signed as a Vietnamese signing tool does it — a signature
 * dictionary with a /ByteRange and a hexadecimal /Contents placeholder, the detached CMS computed over
 * the byte range and spliced into the placeholder. Nothing is downloaded.
 */

const subtle = webcrypto.subtle;
const DAY = 24 * 3600 * 1000;

/** The private key type PKI.js signs with (WebCrypto's CryptoKey). */
type Key = Parameters<pkijs.Certificate['sign']>[0];

export interface TestCert {
  cert: pkijs.Certificate;
  key: Key;
  /** The certificate in PEM, as a SYSADMIN would put it in SIGNATURE_TRUST_ANCHORS. */
  pem: string;
}

let serial = 1000;

function name(cn: string, o?: string): pkijs.RelativeDistinguishedNames {
  const rdn = new pkijs.RelativeDistinguishedNames();
  rdn.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.6', value: new asn1js.PrintableString({ value: 'VN' }) }));
  if (o) rdn.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.10', value: new asn1js.Utf8String({ value: o }) }));
  rdn.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) }));
  return rdn;
}

function toPem(der: ArrayBuffer): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** A certificate: self-signed (a CA) when `issuer` is absent, else issued by it. */
export async function makeCertificate(opts: { cn: string; o?: string; issuer?: TestCert; ca?: boolean; notBefore?: Date; notAfter?: Date }): Promise<TestCert> {
  const keys = await subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, [
    'sign',
    'verify',
  ]);
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: ++serial });
  cert.subject = name(opts.cn, opts.o);
  cert.issuer = opts.issuer ? opts.issuer.cert.subject : cert.subject;
  cert.notBefore.value = opts.notBefore ?? new Date(Date.now() - 365 * DAY);
  cert.notAfter.value = opts.notAfter ?? new Date(Date.now() + 365 * DAY);
  const basic = new pkijs.BasicConstraints({ cA: !!opts.ca });
  cert.extensions = [new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: basic.toSchema().toBER(false), parsedValue: basic })];
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  await cert.sign(opts.issuer?.key ?? keys.privateKey, 'SHA-256');
  return { cert, key: keys.privateKey, pem: toPem(cert.toSchema(true).toBER(false)) };
}

/** A test CA with a leader's, an agency's and an expired certificate, and another CA nobody trusts. */
export async function testPki() {
  const decade = { notBefore: new Date(Date.now() - 10 * 365 * DAY), notAfter: new Date(Date.now() + 10 * 365 * DAY) };
  const ca = await makeCertificate({ cn: 'Test CA chuyên dùng Chính phủ', o: 'Ban Cơ yếu Chính phủ', ca: true, ...decade });
  const leader = await makeCertificate({ cn: 'Nguyễn Văn Giám Đốc', o: 'Sở Xây dựng tỉnh Bình Định', issuer: ca });
  const agency = await makeCertificate({ cn: 'Sở Xây dựng tỉnh Bình Định', o: 'UBND tỉnh Bình Định', issuer: ca });
  const lapsed = { notBefore: new Date(Date.now() - 3 * 365 * DAY), notAfter: new Date(Date.now() - 365 * DAY) };
  const expired = await makeCertificate({ cn: 'Trần Thị Hết Hạn', o: 'Sở Xây dựng tỉnh Bình Định', issuer: ca, ...lapsed });
  const rogueCa = await makeCertificate({ cn: 'CA không được tin cậy', o: 'Không rõ', ca: true });
  const stranger = await makeCertificate({ cn: 'Lê Văn Lạ', o: 'Không rõ', issuer: rogueCa });
  return { ca, leader, agency, expired, rogueCa, stranger };
}

/** An unsigned PDF with one page of text, its objects numbered 1 to 4. */
export function basePdf(text = 'Cong van so 123/SXD-QLHDXD'): Buffer {
  const content = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  return Buffer.from(
    [
      '%PDF-1.7',
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> endobj',
      `4 0 obj << /Length ${content.length} >> stream\n${content}\nendstream endobj`,
      'trailer << /Size 5 /Root 1 0 R >>',
      '%%EOF',
      '',
    ].join('\n'),
    'latin1',
  );
}

const PLACEHOLDER_BYTES = 8192;
const RANGE_PLACEHOLDER = '/ByteRange [0 0000000000 0000000000 0000000000]';

function pdfDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

/** The detached CMS SignedData of `signer` over `data`, with content-type, signing-time and message-digest attributes. */
export async function detachedCms(data: Uint8Array, signer: TestCert, signingTime: Date, chain: TestCert[] = []): Promise<Buffer> {
  const digest = await subtle.digest('SHA-256', data);
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.cert.issuer, serialNumber: signer.cert.serialNumber }),
  });
  signerInfo.signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })] }),
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.5', values: [new asn1js.UTCTime({ valueDate: signingTime })] }),
      new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: digest })] }),
    ],
  });
  const sd = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    signerInfos: [signerInfo],
    certificates: [signer.cert, ...chain.map((c) => c.cert)],
  });
  await sd.sign(signer.key, 0, 'SHA-256', data);
  const info = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: sd.toSchema(true) });
  return Buffer.from(info.toSchema().toBER(false));
}

/**
 * Appends a signature to `pdf` as an incremental update (a new signature dictionary after the
 * existing bytes), signed by `signer` at `signingTime` (now by default). Signing an already signed PDF
 * adds a second signature, as the clerk adds the agency's after the leader's.
 */
export async function signPdf(pdf: Buffer, signer: TestCert, opts: { signingTime?: Date; chain?: TestCert[]; insideField?: boolean } = {}): Promise<Buffer> {
  const signingTime = opts.signingTime ?? new Date();
  const numbers = [...pdf.toString('latin1').matchAll(/(\d+) 0 obj/g)].map((m) => Number(m[1]));
  const n = numbers.reduce((m, x) => Math.max(m, x), 0) + 1;
  const sig =
    `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached ${RANGE_PLACEHOLDER} ` +
    `/Contents <${'0'.repeat(PLACEHOLDER_BYTES * 2)}> /M (${pdfDate(signingTime)}) /Name (${signer.cert.serialNumber.valueBlock.valueDec}) >>`;
  // Some tools write the signature dictionary directly as the signature field's value.
  const dict = `${n} 0 obj ${opts.insideField ? `<< /FT /Sig /T (Chu ky ${n}) /V ${sig} >>` : sig} endobj\n`;
  const update = Buffer.from(`\n${dict}trailer << /Size ${n + 1} /Root 1 0 R >>\n%%EOF\n`, 'latin1');
  const out = Buffer.concat([pdf, update]);
  const gapStart = out.indexOf('/Contents <', pdf.length, 'latin1') + '/Contents '.length;
  const gapEnd = gapStart + PLACEHOLDER_BYTES * 2 + 2;
  const range = `/ByteRange [0 ${gapStart} ${gapEnd} ${out.length - gapEnd}]`;
  const at = out.indexOf(RANGE_PLACEHOLDER, pdf.length, 'latin1');
  out.write(range.padEnd(RANGE_PLACEHOLDER.length, ' '), at, 'latin1');
  const data = Buffer.concat([out.subarray(0, gapStart), out.subarray(gapEnd)]);
  const cms = await detachedCms(data, signer, signingTime, opts.chain ?? []);
  if (cms.length > PLACEHOLDER_BYTES) throw new Error('the test signature does not fit its placeholder');
  out.write(cms.toString('hex').toUpperCase(), gapStart + 1, 'latin1');
  return out;
}

/** `pdf` with one byte of its page text changed (inside what the signatures cover). */
export function alterOneByte(pdf: Buffer): Buffer {
  const copy = Buffer.from(pdf);
  const at = copy.indexOf('Cong van', 0, 'latin1');
  if (at < 0) throw new Error('no page text to alter');
  copy[at] = 'K'.charCodeAt(0);
  return copy;
}

/** `pdf` with an incremental update appended after its last signature (a changed page text). */
export function appendAfterSigning(pdf: Buffer): Buffer {
  const content = 'BT /F1 12 Tf 72 700 Td (Da sua sau khi ky) Tj ET';
  const update = `\n99 0 obj << /Length ${content.length} >> stream\n${content}\nendstream endobj\ntrailer << /Size 100 /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.concat([pdf, Buffer.from(update, 'latin1')]);
}
