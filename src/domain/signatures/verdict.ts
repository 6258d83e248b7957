/**
 * What the check of a PDF's digital signatures found (chữ ký số trên văn bản điện tử): one verdict per
 * signature and one for the file. Pure: the facts come from `pdf-signatures.ts` and `cms.ts`.
 */

/** The verdict of one signature, or of the whole file. */
export enum SignatureVerdict {
  /** Every signature verifies, chains to a trust anchor, was made while its certificate was valid, and the last covers the whole file. */
  VALID = 'VALID',
  /** A PDF with no signature dictionary: a scan, or a file signed by other means. */
  NOT_SIGNED = 'NOT_SIGNED',
  /** Bytes were added after the last signature: nothing signed covers them. */
  MODIFIED_AFTER_SIGNING = 'MODIFIED_AFTER_SIGNING',
  /** The signed bytes are not those the signature was made over (the digest does not match, or the signature value is wrong). */
  CONTENT_ALTERED = 'CONTENT_ALTERED',
  /** The signer's certificate does not chain to a trust anchor the SYSADMIN configured. */
  UNTRUSTED = 'UNTRUSTED',
  /** The signer's certificate was not valid (expired, or not yet valid) at the signing time. */
  CERTIFICATE_EXPIRED = 'CERTIFICATE_EXPIRED',
  /** The signature could not be read, or the file is beyond the bounds of the check (size, count, time). */
  MALFORMED = 'MALFORMED',
}

/** The verdicts that allow issuing the file: a valid signature, or none at all (a scan signed on paper). */
export const ISSUABLE_VERDICTS: readonly SignatureVerdict[] = [SignatureVerdict.VALID, SignatureVerdict.NOT_SIGNED];

/** One signature, as stored with the file and shown in the API. */
export interface SignatureFacts {
  /** The signer certificate's common name (CN): the leader, or the agency for an agency's signature. */
  signerName: string | null;
  /** The signer certificate's organisation (O). */
  organisation: string | null;
  /** The certificate's serial number, in upper-case hexadecimal. */
  certificateSerial: string | null;
  /** The issuing CA, as its distinguished name (CN, O, C). */
  issuer: string | null;
  /** When it was signed: the signing-time attribute, else the signature dictionary's /M; ISO 8601. */
  signingTime: string | null;
  /** The byte range reaches the end of the file. */
  coversWholeFile: boolean;
  /** How many bytes follow the end of the signed range (0 when it covers the whole file). */
  bytesAfter: number;
  /** The CMS signature verifies over the signed bytes. */
  contentIntact: boolean;
  /** The certificate chains to a configured trust anchor. */
  chainTrusted: boolean;
  /** The certificate was valid at the signing time (at the time of the check when there is no signing time). */
  validAtSigningTime: boolean;
  /** Why it could not be read, when it could not. */
  problem: string | null;
}

/** The verdict of one signature, from its facts; `coversWholeFile` is judged for the file, not here. */
export function signatureVerdict(s: SignatureFacts): SignatureVerdict {
  if (s.problem !== null) return SignatureVerdict.MALFORMED;
  if (!s.contentIntact) return SignatureVerdict.CONTENT_ALTERED;
  if (!s.chainTrusted) return SignatureVerdict.UNTRUSTED;
  if (!s.validAtSigningTime) return SignatureVerdict.CERTIFICATE_EXPIRED;
  return SignatureVerdict.VALID;
}

/** The order in which verdicts win when a file has several: the first found here is the file's. */
const SEVERITY: readonly SignatureVerdict[] = [
  SignatureVerdict.CONTENT_ALTERED,
  SignatureVerdict.MALFORMED,
  SignatureVerdict.MODIFIED_AFTER_SIGNING,
  SignatureVerdict.UNTRUSTED,
  SignatureVerdict.CERTIFICATE_EXPIRED,
];

/**
 * The file's verdict: the worst of its signatures' (in the order of {@link SEVERITY}); then, when every
 * signature is valid, MODIFIED_AFTER_SIGNING unless one of them covers the whole file. An earlier signature
 * that does not reach the end is normal when a later one does (the leader signs, then the clerk adds the
 * agency's signature as an incremental update): what follows it is covered by the later signature.
 */
export function fileVerdict(signatures: readonly SignatureFacts[]): SignatureVerdict {
  if (signatures.length === 0) return SignatureVerdict.NOT_SIGNED;
  const verdicts = new Set(signatures.map(signatureVerdict));
  if (!signatures.some((s) => s.coversWholeFile)) verdicts.add(SignatureVerdict.MODIFIED_AFTER_SIGNING);
  return SEVERITY.find((v) => verdicts.has(v)) ?? SignatureVerdict.VALID;
}

/** The whole result of one check, as stored with the file. */
export interface SignatureReport {
  verdict: SignatureVerdict;
  /** Why the file as a whole could not be checked (too many signatures, unreadable, too slow), or null. */
  problem: string | null;
  signatures: SignatureFacts[];
}

/** A report for a file that could not be checked at all. */
export function malformedReport(problem: string): SignatureReport {
  return { verdict: SignatureVerdict.MALFORMED, problem, signatures: [] };
}

/** A problem that makes one signature, or the file, unreadable; its message is shown to users. */
export class SignatureProblem extends Error {}
