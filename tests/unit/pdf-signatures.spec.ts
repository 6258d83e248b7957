import { checkPdfSignatures, SIGNATURE_LIMITS } from '../../src/domain/signatures/pdf-signatures';
import { SignatureVerdict, fileVerdict, type SignatureFacts } from '../../src/domain/signatures/verdict';
import { alterOneByte, appendAfterSigning, basePdf, signPdf, testPki } from '../helpers/signed-pdf';

let pki: Awaited<ReturnType<typeof testPki>>;
const der = (c: { cert: { toSchema(b: boolean): { toBER(b: boolean): ArrayBuffer } } }) => new Uint8Array(c.cert.toSchema(true).toBER(false));
let anchors: Uint8Array[];
const check = (bytes: Buffer, trust = anchors) => checkPdfSignatures(bytes, trust, new Date());

beforeAll(async () => {
  // pdf-lib notes damaged objects of the hostile files on the console; the verdicts are what is tested.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  pki = await testPki();
  anchors = [der(pki.ca)];
}, 60_000);

describe('PDF signatures (test CA made here)', () => {
  it('a correctly signed PDF verifies, with its signer, organisation, serial, issuer and time', async () => {
    const at = new Date(Date.now() - 3600_000);
    const r = await check(await signPdf(basePdf(), pki.leader, { signingTime: at }));
    expect(r.verdict).toBe(SignatureVerdict.VALID);
    expect(r.signatures).toHaveLength(1);
    const s = r.signatures[0];
    expect(s).toMatchObject({ signerName: 'Nguyễn Văn Giám Đốc', organisation: 'Sở Xây dựng tỉnh Bình Định', coversWholeFile: true, bytesAfter: 0 });
    expect(s).toMatchObject({ contentIntact: true, chainTrusted: true, validAtSigningTime: true, problem: null });
    expect(s.issuer).toBe('CN=Test CA chuyên dùng Chính phủ, O=Ban Cơ yếu Chính phủ, C=VN');
    expect(s.certificateSerial).toMatch(/^[0-9A-F]+$/);
    expect(new Date(s.signingTime!).getTime()).toBe(Math.floor(at.getTime() / 1000) * 1000);
  });

  it('the leader’s signature and the agency’s added after it both show; the file is valid', async () => {
    const signed = await signPdf(await signPdf(basePdf(), pki.leader), pki.agency);
    const r = await check(signed);
    expect(r.verdict).toBe(SignatureVerdict.VALID);
    expect(r.signatures.map((s) => [s.signerName, s.coversWholeFile])).toEqual([
      ['Nguyễn Văn Giám Đốc', false],
      ['Sở Xây dựng tỉnh Bình Định', true],
    ]);
    expect(r.signatures[0].bytesAfter).toBeGreaterThan(0);
  });

  it('a signature dictionary written inside its field (not as an object of its own) is found too', async () => {
    const r = await check(await signPdf(basePdf(), pki.leader, { insideField: true }));
    expect(r.verdict).toBe(SignatureVerdict.VALID);
    expect(r.signatures.map((s) => s.signerName)).toEqual(['Nguyễn Văn Giám Đốc']);
  });

  it('bytes appended after signing: MODIFIED_AFTER_SIGNING, with how many', async () => {
    const signed = await signPdf(basePdf(), pki.leader);
    const changed = appendAfterSigning(signed);
    const r = await check(changed);
    expect(r.verdict).toBe(SignatureVerdict.MODIFIED_AFTER_SIGNING);
    expect(r.signatures[0]).toMatchObject({ coversWholeFile: false, bytesAfter: changed.length - signed.length, contentIntact: true });
  });

  it('one byte of the content changed: CONTENT_ALTERED', async () => {
    const r = await check(alterOneByte(await signPdf(basePdf(), pki.leader)));
    expect(r.verdict).toBe(SignatureVerdict.CONTENT_ALTERED);
    expect(r.signatures[0].contentIntact).toBe(false);
  });

  it('signed under a CA nobody configured: UNTRUSTED; with no anchors at all too', async () => {
    const r = await check(await signPdf(basePdf(), pki.stranger, { chain: [pki.rogueCa] }));
    expect(r.verdict).toBe(SignatureVerdict.UNTRUSTED);
    expect(r.signatures[0]).toMatchObject({ contentIntact: true, chainTrusted: false });
    expect((await check(await signPdf(basePdf(), pki.leader), [])).verdict).toBe(SignatureVerdict.UNTRUSTED);
  });

  it('signed with a certificate that had expired at the signing time: CERTIFICATE_EXPIRED', async () => {
    const r = await check(await signPdf(basePdf(), pki.expired));
    expect(r.verdict).toBe(SignatureVerdict.CERTIFICATE_EXPIRED);
    expect(r.signatures[0]).toMatchObject({ contentIntact: true, chainTrusted: true, validAtSigningTime: false });
    // Signed while it was valid: still valid today.
    const r2 = await check(await signPdf(basePdf(), pki.expired, { signingTime: new Date(Date.now() - 2 * 365 * 24 * 3600_000) }));
    expect(r2.verdict).toBe(SignatureVerdict.VALID);
  });

  it('a PDF without signatures is NOT_SIGNED; hostile ones get MALFORMED, never an exception', async () => {
    expect((await check(basePdf())).verdict).toBe(SignatureVerdict.NOT_SIGNED);
    const signed = await signPdf(basePdf(), pki.leader);
    const pastTheEnd = (_m: string, b: string, c: string) => `/ByteRange [0 ${b} ${c} 99999999]`;
    const outside = Buffer.from(signed.toString('latin1').replace(/\/ByteRange \[0 (\d+) (\d+) (\d+)\]/, pastTheEnd), 'latin1');
    expect((await check(outside)).verdict).toBe(SignatureVerdict.MALFORMED);
    const garbage = Buffer.from(signed.toString('latin1').replace(/\/Contents <30/, '/Contents <31'), 'latin1');
    expect((await check(garbage)).verdict).toMatch(/MALFORMED|CONTENT_ALTERED/);
    const many = Buffer.concat([basePdf(), Buffer.from('/ByteRange [0 1 2 3]\n'.repeat(SIGNATURE_LIMITS.maxSignatures * 4 + 1), 'latin1')]);
    const r = await check(many);
    expect(r).toMatchObject({ verdict: SignatureVerdict.MALFORMED });
    expect(r.problem).toMatch(/more than 16 signatures/);
    const deep = Buffer.from(`%PDF-1.7\n1 0 obj << /ByteRange ${'['.repeat(200_000)} >> endobj\n%%EOF\n`, 'latin1');
    expect((await check(deep)).verdict).toBe(SignatureVerdict.MALFORMED);
    expect((await check(Buffer.from('%PDF-1.7\n/ByteRange nonsense', 'latin1'))).verdict).toBe(SignatureVerdict.MALFORMED);
    // A signature dictionary without its signature claims one all the same.
    const noContents = Buffer.concat([basePdf(), Buffer.from('5 0 obj << /Type /Sig /ByteRange [0 10 20 30] >> endobj\n%%EOF\n', 'latin1')]);
    expect(await check(noContents)).toMatchObject({ verdict: SignatureVerdict.MALFORMED, problem: 'A signature dictionary has no /Contents string.' });
  });
});

describe('the file verdict', () => {
  const ok: SignatureFacts = {
    signerName: 'A',
    organisation: null,
    certificateSerial: '01',
    issuer: null,
    signingTime: null,
    coversWholeFile: true,
    bytesAfter: 0,
    contentIntact: true,
    chainTrusted: true,
    validAtSigningTime: true,
    problem: null,
  };
  it('is the worst of its signatures, and MODIFIED_AFTER_SIGNING when none reaches the end', () => {
    expect(fileVerdict([])).toBe(SignatureVerdict.NOT_SIGNED);
    expect(fileVerdict([ok])).toBe(SignatureVerdict.VALID);
    expect(fileVerdict([{ ...ok, coversWholeFile: false }])).toBe(SignatureVerdict.MODIFIED_AFTER_SIGNING);
    expect(fileVerdict([{ ...ok, coversWholeFile: false }, ok])).toBe(SignatureVerdict.VALID);
    expect(
      fileVerdict([
        { ...ok, chainTrusted: false },
        { ...ok, contentIntact: false },
      ]),
    ).toBe(SignatureVerdict.CONTENT_ALTERED);
    expect(
      fileVerdict([
        { ...ok, validAtSigningTime: false },
        { ...ok, chainTrusted: false },
      ]),
    ).toBe(SignatureVerdict.UNTRUSTED);
    expect(fileVerdict([{ ...ok, problem: 'x' }])).toBe(SignatureVerdict.MALFORMED);
  });
});
