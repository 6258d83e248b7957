import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString, ParseSpeeds } from 'pdf-lib';
import { checkCms, parseAnchors, type CmsFacts } from './cms';
import { SignatureProblem, fileVerdict, malformedReport, type SignatureFacts, type SignatureReport } from './verdict';

/**
 * Finds the signature dictionaries of a PDF (with pdf-lib, which reads every revision, incremental
 * updates included) and checks each one: its /ByteRange against the file, its /Contents as a CMS
 * signature (cms.ts). The bounds below keep a hostile file from costing more than a verdict.
 */
export const SIGNATURE_LIMITS = {
  /** More signature dictionaries than this: MALFORMED, none is checked. */
  maxSignatures: 16,
  /** The largest /Contents (the CMS, decoded): real ones are a few KiB, with a timestamp tens of KiB. */
  maxCmsBytes: 512 * 1024,
  /** Certificates carried in one CMS. */
  maxCertificates: 32,
};

const BYTE_RANGE = Buffer.from('/ByteRange', 'latin1');

export interface FoundSignature {
  byteRange: [number, number, number, number];
  cms: Buffer;
  /** The dictionary's /M, when it has a readable one. */
  claimedTime: Date | null;
}

function rawOccurrences(bytes: Buffer, needle: Buffer, atMost: number): number {
  let n = 0;
  for (let i = bytes.indexOf(needle); i !== -1 && n <= atMost; i = bytes.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * Checks that a byte range is [0, gapStart, gapEnd, rest] inside the file, with exactly the /Contents
 * hexadecimal string `<…>` in the gap. Returns the CMS bytes read from the gap.
 */
function cmsInGap(bytes: Buffer, range: number[], contents: Uint8Array): Buffer {
  const [a, b, c, d] = range;
  if (!range.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new SignatureProblem('The /ByteRange holds something other than four whole numbers.');
  if (a !== 0) throw new SignatureProblem('The /ByteRange does not start at the beginning of the file.');
  if (c < a + b + 2 || c + d > bytes.length) throw new SignatureProblem('The /ByteRange points outside the file.');
  if (bytes[b] !== 0x3c || bytes[c - 1] !== 0x3e) throw new SignatureProblem('The gap of the /ByteRange is not the hexadecimal /Contents string.');
  if ((c - b - 2) / 2 > SIGNATURE_LIMITS.maxCmsBytes) throw new SignatureProblem(`The signature is larger than ${SIGNATURE_LIMITS.maxCmsBytes} bytes.`);
  const hex = bytes
    .subarray(b + 1, c - 1)
    .toString('latin1')
    .replace(/[\s]/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new SignatureProblem('The gap of the /ByteRange is not hexadecimal.');
  const cms = Buffer.from(hex, 'hex');
  if (!cms.equals(Buffer.from(contents))) {
    throw new SignatureProblem('The /Contents of the signature dictionary is not the string in the gap of its /ByteRange.');
  }
  return cms;
}

/**
 * The signature dictionaries of `bytes` (any dictionary with a /ByteRange array and a /Contents
 * string: /Sig and /DocTimeStamp alike), in the order of their byte ranges' ends. A PDF without the
 * token /ByteRange anywhere has none and is not parsed at all.
 */
export async function findSignatures(bytes: Buffer): Promise<FoundSignature[]> {
  const raw = rawOccurrences(bytes, BYTE_RANGE, SIGNATURE_LIMITS.maxSignatures * 4);
  if (raw === 0) return [];
  if (raw > SIGNATURE_LIMITS.maxSignatures * 4) throw new SignatureProblem(`The file names more than ${SIGNATURE_LIMITS.maxSignatures} signatures.`);
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes, { ignoreEncryption: true, throwOnInvalidObject: false, updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
  } catch (e) {
    throw new SignatureProblem(`The PDF could not be read: ${e instanceof RangeError ? 'it is nested too deeply' : 'it is damaged'}.`);
  }
  const found: FoundSignature[] = [];
  const seen = new Set<string>();
  let dictionaries = 0;
  for (const dict of signatureDictionaries(pdf)) {
    if (++dictionaries > SIGNATURE_LIMITS.maxSignatures) throw new SignatureProblem(`The file holds more than ${SIGNATURE_LIMITS.maxSignatures} signatures.`);
    const range = dict.lookup(PDFName.of('ByteRange'));
    const contents = dict.lookup(PDFName.of('Contents'));
    if (!(range instanceof PDFArray)) throw new SignatureProblem('A signature dictionary’s /ByteRange is not an array.');
    if (!(contents instanceof PDFHexString || contents instanceof PDFString)) throw new SignatureProblem('A signature dictionary has no /Contents string.');
    const numbers = range.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN));
    if (numbers.length !== 4) throw new SignatureProblem('A /ByteRange does not hold four numbers.');
    const key = numbers.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    const cms = cmsInGap(bytes, numbers, contents.asBytes());
    found.push({ byteRange: numbers as FoundSignature['byteRange'], cms, claimedTime: dateOf(dict.lookup(PDFName.of('M'))) });
  }
  // The token is in the file, but no dictionary holds it: a signature pdf-lib had to skip as damaged.
  if (!dictionaries) throw new SignatureProblem('The file names a /ByteRange, but no readable signature dictionary holds it.');
  return found.sort((x, y) => x.byteRange[2] + x.byteRange[3] - (y.byteRange[2] + y.byteRange[3]));
}

/**
 * The dictionaries with a /ByteRange: indirect objects, and dictionaries written directly inside one
 * (a field's /V, one level down).
 */
function* signatureDictionaries(pdf: PDFDocument): Generator<PDFDict> {
  const key = PDFName.of('ByteRange');
  for (const [, obj] of pdf.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict)) continue;
    if (obj.has(key)) yield obj;
    for (const value of obj.values()) if (value instanceof PDFDict && value.has(key)) yield value;
  }
}

function dateOf(m: unknown): Date | null {
  if (!(m instanceof PDFString || m instanceof PDFHexString)) return null;
  try {
    const d = m.decodeDate();
    return Number.isNaN(d.getTime()) ? null : d;
  } catch {
    return null;
  }
}

/** The bytes a byte range covers, in one buffer. */
function signedBytes(bytes: Buffer, [a, b, c, d]: FoundSignature['byteRange']): Uint8Array {
  const out = new Uint8Array(b + d);
  out.set(bytes.subarray(a, a + b), 0);
  out.set(bytes.subarray(c, c + d), b);
  return out;
}

const UNREAD: CmsFacts = {
  signerName: null,
  organisation: null,
  certificateSerial: null,
  issuer: null,
  signingTime: null,
  contentIntact: false,
  chainTrusted: false,
  validAtSigningTime: false,
  problem: null,
};

/**
 * Checks every signature of a PDF against the trust anchors (DER certificates) at `now` (used as the
 * signing time of a signature that states none). Never throws: what cannot be read is MALFORMED.
 */
export async function checkPdfSignatures(bytes: Buffer, anchorsDer: readonly Uint8Array[], now: Date): Promise<SignatureReport> {
  let found: FoundSignature[];
  try {
    found = await findSignatures(bytes);
  } catch (e) {
    return malformedReport(e instanceof SignatureProblem ? e.message : 'The PDF could not be read.');
  }
  if (!found.length) return fileVerdictReport([]);
  const anchors = parseAnchors(anchorsDer);
  const signatures: SignatureFacts[] = [];
  for (const s of found) {
    const end = s.byteRange[2] + s.byteRange[3];
    const extent = { coversWholeFile: end === bytes.length, bytesAfter: bytes.length - end };
    let facts: CmsFacts;
    try {
      facts = await checkCms(s.cms, signedBytes(bytes, s.byteRange), anchors, s.claimedTime, now, SIGNATURE_LIMITS.maxCertificates);
    } catch (e) {
      facts = { ...UNREAD, problem: e instanceof SignatureProblem ? e.message : 'The signature could not be read.' };
    }
    signatures.push({ ...facts, ...extent });
  }
  return fileVerdictReport(signatures);
}

function fileVerdictReport(signatures: SignatureFacts[]): SignatureReport {
  return { verdict: fileVerdict(signatures), problem: null, signatures };
}
