import { createHash } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SignatureProblem, type SignatureFacts } from './verdict';

/**
 * One CMS (PKCS #7) signature of a PDF checked with PKI.js: the signature over the signed bytes, the
 * signer's certificate chain to the trust anchors, and the certificate's validity at the signing time.
 */

/** What the CMS tells about a signature; the byte range's extent is added by the caller. */
export type CmsFacts = Omit<SignatureFacts, 'coversWholeFile' | 'bytesAfter'>;

const OID = {
  commonName: '2.5.4.3',
  organisation: '2.5.4.10',
  country: '2.5.4.6',
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  signingTime: '1.2.840.113549.1.9.5',
};

/** The trust anchors as PKI.js certificates; one that cannot be read is left out (config.ts refuses those at boot). */
export function parseAnchors(ders: readonly Uint8Array[]): pkijs.Certificate[] {
  const out: pkijs.Certificate[] = [];
  for (const der of ders) {
    try {
      out.push(pkijs.Certificate.fromBER(new Uint8Array(der)));
    } catch {
      /* refused at boot */
    }
  }
  return out;
}

function attribute(name: pkijs.RelativeDistinguishedNames, oid: string): string | null {
  const found = name.typesAndValues.find((t) => t.type === oid);
  const v = found?.value?.valueBlock?.value;
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

function distinguishedName(name: pkijs.RelativeDistinguishedNames): string | null {
  const parts = [
    ['CN', OID.commonName],
    ['O', OID.organisation],
    ['C', OID.country],
  ]
    .map(([label, oid]) => [label, attribute(name, oid)])
    .filter(([, v]) => v !== null)
    .map(([label, v]) => `${label}=${v}`);
  return parts.length ? parts.join(', ') : null;
}

function signedData(cms: Buffer): pkijs.SignedData {
  let info: pkijs.ContentInfo;
  try {
    const asn = asn1js.fromBER(new Uint8Array(cms));
    if (asn.offset === -1) throw new Error(asn.result.error);
    info = new pkijs.ContentInfo({ schema: asn.result });
  } catch {
    throw new SignatureProblem('The signature is not a CMS (PKCS #7) structure.');
  }
  if (info.contentType !== OID.signedData) throw new SignatureProblem('The signature is not CMS SignedData.');
  try {
    return new pkijs.SignedData({ schema: info.content });
  } catch {
    throw new SignatureProblem('The CMS SignedData could not be read.');
  }
}

function signerCertificate(sd: pkijs.SignedData, maxCertificates: number): { signer: pkijs.Certificate; others: pkijs.Certificate[] } {
  if (sd.signerInfos.length !== 1) throw new SignatureProblem(`A PDF signature has one signer; this one has ${sd.signerInfos.length}.`);
  const certs = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  if (certs.length > maxCertificates) throw new SignatureProblem(`The signature carries more than ${maxCertificates} certificates.`);
  const sid = sd.signerInfos[0].sid;
  const signer =
    sid instanceof pkijs.IssuerAndSerialNumber ? certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber)) : undefined;
  if (!signer) throw new SignatureProblem('The signer’s certificate is not in the signature.');
  return { signer, others: certs.filter((c) => c !== signer) };
}

function signingTimeOf(sd: pkijs.SignedData): Date | null {
  const attr = sd.signerInfos[0].signedAttrs?.attributes.find((a) => a.type === OID.signingTime);
  const v = attr?.values?.[0] as { toDate?: () => Date } | undefined;
  const d = v?.toDate?.();
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d : null;
}

/** Whether the signature over `data` verifies: the message digest, then the signature value. */
async function contentIntact(sd: pkijs.SignedData, data: Uint8Array): Promise<boolean> {
  const e = sd.encapContentInfo;
  // An enveloping signature (adbe.pkcs7.sha1) signs the SHA-1 of the byte range as its content.
  if (e.eContent) {
    if (e.eContentType !== OID.data) throw new SignatureProblem('The signature encloses content of an unexpected type.');
    const enclosed = Buffer.from(e.eContent.getValue());
    if (!enclosed.equals(createHash('sha1').update(data).digest())) return false;
  }
  try {
    const detached = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    const r = await sd.verify({ signer: 0, data: detached, checkChain: false, extendedMode: true });
    return r.signatureVerified === true;
  } catch (err) {
    if (err instanceof pkijs.SignedDataVerifyError && /digest doesn't match/i.test(err.message)) return false;
    if (err instanceof pkijs.SignedDataVerifyError && err.code === 7) {
      throw new SignatureProblem('The signature uses an algorithm this system does not support.');
    }
    throw new SignatureProblem('The signature could not be verified: it is incomplete or uses an unsupported algorithm.');
  }
}

/** Whether `signer` chains to one of `anchors`, judged at a moment inside its own validity (expiry is judged apart). */
async function chainTrusted(signer: pkijs.Certificate, others: pkijs.Certificate[], anchors: pkijs.Certificate[], at: Date): Promise<boolean> {
  if (!anchors.length) return false;
  const from = signer.notBefore.value.getTime();
  const to = signer.notAfter.value.getTime();
  const checkDate = new Date(Math.min(Math.max(at.getTime(), from), to));
  const certs = [...others.filter((c) => pkijs.checkCA(c, signer)), signer];
  const engine = new pkijs.CertificateChainValidationEngine({ trustedCerts: anchors, certs, checkDate });
  try {
    return (await engine.verify()).result === true;
  } catch {
    return false;
  }
}

/**
 * Checks one CMS signature over `data` (the bytes its byte range covers). `claimedTime` is the
 * signature dictionary's /M, used when the CMS has no signing-time attribute; `now` when neither says.
 */
export async function checkCms(
  cms: Buffer,
  data: Uint8Array,
  anchors: pkijs.Certificate[],
  claimedTime: Date | null,
  now: Date,
  maxCertificates: number,
): Promise<CmsFacts> {
  const sd = signedData(cms);
  const { signer, others } = signerCertificate(sd, maxCertificates);
  const signingTime = signingTimeOf(sd) ?? claimedTime;
  const at = signingTime ?? now;
  const intact = await contentIntact(sd, data);
  return {
    signerName: attribute(signer.subject, OID.commonName),
    organisation: attribute(signer.subject, OID.organisation),
    certificateSerial: Buffer.from(signer.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase(),
    issuer: distinguishedName(signer.issuer),
    signingTime: signingTime?.toISOString() ?? null,
    contentIntact: intact,
    chainTrusted: await chainTrusted(signer, others, anchors, at),
    validAtSigningTime: signer.notBefore.value <= at && at <= signer.notAfter.value,
    problem: null,
  };
}
