/**
 * Reading edXML messages (QCVN 102:2016): screening, the size limits, and turning a package or a
 * status message into values, whole or streamed. Writing them is in edxml.ts.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { EdxmlScanner, ScanProblem, type AttachmentSink, type ScannedAttachment } from './edxml-scan';
import { METADATA_LIMITS } from '../documents/document-enums';
import { ORGAN_ID_PATTERN } from '../units/unit-rules';
import {
  BusinessDocType,
  EdxmlProblem,
  PRIORITIES,
  STATUS_CODES,
  fromEdxmlDate,
  malformed,
  parseDocumentId,
  type DocumentPackage,
  type ExchangeMessage,
  type Organ,
  type ReceivedAttachment,
  type StatusCode,
  type StatusMessage,
} from './edxml';

/** Bounds on what a message may be, checked before and while reading it. */
export const EDXML_LIMITS = { maxDepth: 16, maxElements: 5000, maxAttachments: 50, maxText: 2000 } as const;

/**
 * Cheap checks on the raw text before any parser sees it: no DOCTYPE or entity declarations (the
 * billion-laughs and external-entity attacks need them), no processing instructions other than the
 * XML declaration, nesting and element counts within bounds.
 */
export function screen(xml: string): void {
  if (/<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i.test(xml)) throw malformed('DOCTYPE and entity declarations are not accepted.');
  if (/<\?(?!xml[\s?])/i.test(xml)) throw malformed('processing instructions are not accepted.');
  // One pass, linear in the length: every '<' that opens an element counts, whatever its name.
  let depth = 0;
  let elements = 0;
  for (let i = xml.indexOf('<'); i !== -1; i = xml.indexOf('<', i + 1)) {
    const next = xml.charCodeAt(i + 1);
    if (next === 0x21 /* ! */) {
      // A comment or CDATA section: skip to its end so its content is not read as markup.
      const close = xml.startsWith('<!--', i) ? xml.indexOf('-->', i + 4) : xml.startsWith('<![CDATA[', i) ? xml.indexOf(']]>', i + 9) : -1;
      if (close === -1) throw malformed('a comment or CDATA section is not closed, or an unknown declaration is used.');
      i = close;
      continue;
    }
    if (next === 0x3f /* ? */) continue;
    const end = xml.indexOf('>', i + 1);
    if (end === -1) throw malformed('a tag is not closed.');
    if (next === 0x2f /* / */) depth--;
    else {
      elements++;
      if (xml.charCodeAt(end - 1) !== 0x2f) depth++;
      if (depth > EDXML_LIMITS.maxDepth) throw malformed('elements are nested too deeply.');
      if (elements > EDXML_LIMITS.maxElements) throw malformed('too many elements.');
    }
    i = end;
  }
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Only the five predefined entities and character references remain once screen() has run.
  processEntities: true,
  htmlEntities: false,
});

type Node = Record<string, unknown>;

function child(n: unknown, name: string): Node | undefined {
  const v = n && typeof n === 'object' ? (n as Node)[name] : undefined;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined;
}

function list(n: unknown, name: string): unknown[] {
  const v = n && typeof n === 'object' ? (n as Node)[name] : undefined;
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function textOf(n: unknown, name: string, field: string, opts: { required?: boolean; max?: number } = {}): string | null {
  const v = n && typeof n === 'object' ? (n as Node)[name] : undefined;
  if (v === undefined || v === '') {
    if (opts.required) throw malformed(`${field} is missing.`);
    return null;
  }
  if (typeof v !== 'string') throw malformed(`${field} must be text.`);
  const t = v.normalize('NFC');
  if (t.length > (opts.max ?? EDXML_LIMITS.maxText)) throw malformed(`${field} is longer than ${opts.max ?? EDXML_LIMITS.maxText} characters.`);
  return t;
}

function intOf(n: unknown, name: string, field: string, min: number, max: number, dflt: number | null): number | null {
  const t = textOf(n, name, field);
  if (t === null) return dflt;
  if (!/^\d{1,6}$/.test(t) || Number(t) < min || Number(t) > max) throw malformed(`${field} must be a whole number from ${min} to ${max}.`);
  return Number(t);
}

function organ(n: Node | undefined, field: string): Organ {
  if (!n) throw malformed(`${field} is missing.`);
  const organId = textOf(n, 'OrganId', `${field}/OrganId`, { required: true, max: 13 })!;
  if (!ORGAN_ID_PATTERN.test(organId)) throw malformed(`${field}/OrganId must be a 13-character identifier such as 000.00.00.H08.`);
  return { organId, organName: textOf(n, 'OrganName', `${field}/OrganName`, { max: 200 }) ?? organId };
}

/** Collects an attachment's bytes in memory (for messages that are already one string). */
class MemorySink implements AttachmentSink {
  readonly chunks: Buffer[] = [];
  write(bytes: Buffer): void {
    this.chunks.push(bytes);
  }
}

/**
 * Reads a message that is one string, defensively: see {@link readMessageStream}. Attachments come
 * back whole, as bytes.
 */
export function parseMessage(xml: string): ExchangeMessage {
  const scanner = new EdxmlScanner(() => new MemorySink());
  let skeleton: string;
  try {
    scanner.write(xml);
    skeleton = scanner.end();
  } catch (e) {
    throw e instanceof ScanProblem ? malformed(e.message) : e;
  }
  const message = readSkeleton(skeleton, scanner.attachments);
  if (message.kind === 'STATUS') return message;
  return {
    ...message,
    attachments: message.attachments.map((a) => ({ name: a.name, contentType: a.contentType, bytes: Buffer.concat(a.sink.chunks), sha256: a.sha256 })),
  };
}

/**
 * Reads a message that arrives in pieces, in memory bounded whatever its size: `write` each piece
 * of text as it comes, then `end`. Each attachment's base64 text is decoded straight into the sink
 * `openSink` gives for it (a file), hashed on the way; the rest is screened (no DOCTYPE, entities or
 * processing instructions, bounded nesting and element count), validated as well-formed XML and read
 * into a typed package or status. Every refusal is an {@link EdxmlProblem}.
 */
export function readMessageStream<S extends AttachmentSink>(
  openSink: (index: number) => S,
): { write(text: string): void; end(): ExchangeMessage<ReceivedAttachment<S>> } {
  const scanner = new EdxmlScanner(openSink);
  return {
    write(text) {
      try {
        scanner.write(text);
      } catch (e) {
        throw e instanceof ScanProblem ? malformed(e.message) : e;
      }
    },
    end() {
      let skeleton: string;
      try {
        skeleton = scanner.end();
      } catch (e) {
        throw e instanceof ScanProblem ? malformed(e.message) : e;
      }
      return readSkeleton(skeleton, scanner.attachments);
    },
  };
}

/** Reads the skeleton of a message, whose attachments' texts are references to what was scanned. */
function readSkeleton<S extends AttachmentSink>(xml: string, scanned: ScannedAttachment<S>[]): ExchangeMessage<ReceivedAttachment<S>> {
  if (xml.includes('\uFFFD')) throw malformed('it is not UTF-8 text.');
  screen(xml);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw malformed(`not well-formed XML (line ${valid.err.line}: ${valid.err.msg.slice(0, 200)}).`);
  let tree: Node;
  try {
    tree = parser.parse(xml) as Node;
  } catch {
    throw malformed('the XML could not be read.');
  }
  const env = child(tree, 'edXMLEnvelope');
  if (!env) throw malformed('the root element must be edXMLEnvelope.');
  const header = child(env, 'edXMLHeader');
  if (!header) throw malformed('edXMLHeader is missing.');
  const status = child(header, 'Status');
  if (status) return readStatus(status);
  const mh = child(header, 'MessageHeader');
  if (!mh) throw malformed('the header has neither a MessageHeader nor a Status.');
  return readPackage(mh, child(header, 'TraceHeaderList'), child(env, 'edXMLBody'), scanned);
}

function readStatus(s: Node): StatusMessage {
  const responseFor = textOf(child(s, 'ResponseFor'), 'DocumentId', 'Status/ResponseFor/DocumentId', { required: true, max: 100 })!;
  if (!parseDocumentId(responseFor)) throw malformed('Status/ResponseFor/DocumentId must read OrganId,yyyy/MM/dd,Number/Notation.');
  const code = textOf(s, 'StatusCode', 'Status/StatusCode', { required: true, max: 2 })!;
  if (!(STATUS_CODES as readonly string[]).includes(code)) throw malformed(`Status/StatusCode "${code}" is not one of ${STATUS_CODES.join(', ')}.`);
  const description = textOf(s, 'Description', 'Status/Description', { max: 1000 });
  if (code === '02' && !description) throw malformed('a refusal (02) must say why in Status/Description.');
  return {
    kind: 'STATUS',
    from: organ(child(s, 'From'), 'Status/From'),
    responseFor,
    statusCode: code as StatusCode,
    description,
    timestamp: timestamp(textOf(s, 'Timestamp', 'Status/Timestamp', { required: true, max: 40 })!, 'Status/Timestamp'),
    sequence: sequenceOf(textOf(s, 'Sequence', 'Status/Sequence', { max: 16 })),
  };
}

function sequenceOf(v: string | null): number {
  if (v === null) return 0;
  if (!/^\d{1,16}$/.test(v) || !Number.isSafeInteger(Number(v))) throw malformed('Status/Sequence must be a whole number.');
  return Number(v);
}

function timestamp(v: string, field: string): string {
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v) || Number.isNaN(d.getTime())) throw malformed(`${field} must be an ISO 8601 date and time.`);
  return d.toISOString();
}

function readPackage<S extends AttachmentSink>(
  mh: Node,
  trace: Node | undefined,
  body: Node | undefined,
  scanned: ScannedAttachment<S>[],
): DocumentPackage<ReceivedAttachment<S>> {
  const from = organ(child(mh, 'From'), 'MessageHeader/From');
  const to = list(mh, 'To').map((t, i) => organ(t as Node, `MessageHeader/To[${i + 1}]`));
  if (to.length === 0) throw malformed('MessageHeader/To is missing.');
  const documentId = textOf(mh, 'DocumentId', 'MessageHeader/DocumentId', { required: true, max: 100 })!;
  const id = parseDocumentId(documentId);
  if (!id) throw malformed('MessageHeader/DocumentId must read OrganId,yyyy/MM/dd,Number/Notation.');
  if (id.organId !== from.organId) throw malformed('MessageHeader/DocumentId must begin with the sender’s OrganId.');
  const code = child(mh, 'Code');
  const codeNumber = textOf(code, 'CodeNumber', 'MessageHeader/Code/CodeNumber', { required: true, max: 11 })!;
  const codeNotation = textOf(code, 'CodeNotation', 'MessageHeader/Code/CodeNotation', { required: true, max: 30 })!;
  const promulgation = child(mh, 'PromulgationInfo');
  const promulgationDate = fromEdxmlDate(
    textOf(promulgation, 'PromulgationDate', 'MessageHeader/PromulgationInfo/PromulgationDate', { required: true, max: 10 })!,
    'PromulgationDate',
  );
  if (id.number !== codeNumber || id.notation !== codeNotation || id.date !== promulgationDate)
    throw malformed('MessageHeader/DocumentId does not match Code and PromulgationDate.');
  const type = child(mh, 'DocumentType');
  const signer = child(mh, 'SignerInfo');
  const other = child(mh, 'OtherInfo');
  const due = textOf(mh, 'DueDate', 'MessageHeader/DueDate', { max: 10 });
  const priority = intOf(other, 'Priority', 'OtherInfo/Priority', 0, 3, 0)!;
  const bussiness = child(trace, 'Bussiness');
  const businessDocType = intOf(bussiness, 'BussinessDocType', 'TraceHeaderList/Bussiness/BussinessDocType', 0, 3, 0)! as BusinessDocType;
  const traceHeaders = list(trace, 'TraceHeader');
  const stamp = traceHeaders.length ? textOf(traceHeaders[traceHeaders.length - 1], 'Timestamp', 'TraceHeader/Timestamp', { max: 40 }) : null;
  const attachments = list(body, 'Attachment');
  if (attachments.length > EDXML_LIMITS.maxAttachments) throw malformed(`at most ${EDXML_LIMITS.maxAttachments} attachments are accepted.`);
  const pkg: DocumentPackage<ReceivedAttachment<S>> = {
    kind: 'PACKAGE',
    from,
    to,
    documentId,
    codeNumber,
    codeNotation,
    place: textOf(promulgation, 'Place', 'PromulgationInfo/Place', { max: 200 }) ?? '',
    promulgationDate,
    documentTypeCode: textOf(type, 'Type', 'DocumentType/Type', { max: 10 }) ?? '',
    documentTypeName: textOf(type, 'TypeName', 'DocumentType/TypeName', { max: 100 }) ?? '',
    subject: textOf(mh, 'Subject', 'MessageHeader/Subject', { required: true, max: METADATA_LIMITS.subject })!,
    signer: {
      competence: textOf(signer, 'Competence', 'SignerInfo/Competence', { max: 100 }) ?? '',
      position: textOf(signer, 'Position', 'SignerInfo/Position', { max: 100 }) ?? '',
      fullName: textOf(signer, 'FullName', 'SignerInfo/FullName', { max: 50 }) ?? '',
    },
    dueDate: due ? fromEdxmlDate(due, 'DueDate') : null,
    toPlaces: list(child(mh, 'ToPlaces'), 'Place').map((p, i) => {
      if (typeof p !== 'string' || p.length > 200) throw malformed(`ToPlaces/Place[${i + 1}] must be text of at most 200 characters.`);
      return p.normalize('NFC');
    }),
    priority: PRIORITIES[priority],
    securityLevel: intOf(other, 'SecurityLevel', 'OtherInfo/SecurityLevel', 0, 9, 0)!,
    pageAmount: intOf(other, 'PageAmount', 'OtherInfo/PageAmount', 0, 999, null),
    responseFor: textOf(child(mh, 'ResponseFor'), 'DocumentId', 'ResponseFor/DocumentId', { max: 100 }),
    steeringType: intOf(mh, 'SteeringType', 'MessageHeader/SteeringType', 0, 9, 0)!,
    businessDocType,
    businessDocReason: textOf(bussiness, 'BussinessDocReason', 'Bussiness/BussinessDocReason', { max: 1000 }),
    timestamp: stamp ? timestamp(stamp, 'TraceHeader/Timestamp') : new Date(0).toISOString(),
    attachments: attachments.map((a, i) => readAttachment(a as Node, i + 1, scanned)),
  };
  if (pkg.securityLevel !== 0) {
    throw new EdxmlProblem(
      'CLASSIFIED_DOCUMENT_REFUSED',
      'The package is marked as carrying state-secret content (OtherInfo/SecurityLevel); such documents may not enter the system (Điều 3.2). Send it on paper under the rules for secret documents.',
    );
  }
  if (businessDocType === BusinessDocType.NEW && pkg.attachments.length === 0) throw malformed('a new document must carry at least one attachment.');
  if (businessDocType === BusinessDocType.RECALL && !pkg.businessDocReason) throw malformed('a recall must say why in Bussiness/BussinessDocReason.');
  return pkg;
}

function readAttachment<S extends AttachmentSink>(a: Node, n: number, scanned: ScannedAttachment<S>[]): ReceivedAttachment<S> {
  const field = `edXMLBody/Attachment[${n}]`;
  // The scanner replaced the text with a reference to what it decoded.
  const ref = textOf(a, 'ContentTransferEncoded', `${field}/ContentTransferEncoded`, { required: true, max: 8 })!;
  const m = /^#(\d{1,3})$/.exec(ref);
  const got = m ? scanned[Number(m[1])] : undefined;
  if (!got) throw malformed(`${field}/ContentTransferEncoded is not base64.`);
  if (got.problem) throw malformed(`${field}/ContentTransferEncoded ${got.problem}`);
  const declared = (textOf(a, 'Sha256', `${field}/Sha256`, { required: true, max: 64 }) ?? '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(declared)) throw malformed(`${field}/Sha256 must be 64 hexadecimal digits.`);
  if (got.sha256 !== declared) {
    throw new EdxmlProblem(
      'ATTACHMENT_HASH_MISMATCH',
      `Attachment ${n} does not match its SHA-256: the package was damaged or altered on the way. Ask the sender to send it again.`,
    );
  }
  return {
    name: textOf(a, 'AttachmentName', `${field}/AttachmentName`, { max: 255 }) ?? `attachment-${n}`,
    contentType: textOf(a, 'ContentType', `${field}/ContentType`, { max: 100 }) ?? 'application/octet-stream',
    size: got.size,
    sha256: got.sha256,
    sink: got.sink,
  };
}
