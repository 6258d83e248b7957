import { createHash } from 'node:crypto';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { EdxmlScanner, ScanProblem, type AttachmentSink, type ScannedAttachment } from './edxml-scan';
import { METADATA_LIMITS } from '../documents/document-enums';

/**
 * The edXML messages of the national document exchange (Thông tư 10/2016/TT-BTTTT, QCVN 102:2016):
 * a document package (an `edXMLEnvelope` whose header is a `MessageHeader` and a `TraceHeaderList`,
 * whose body carries the attachments base64-encoded with their SHA-256) and a status message (a
 * `Status` header reporting 01–06, 15 or 16 back to the sender). Pure: no database, no network.
 */

export const EDXML_NAMESPACE = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';

/** TraceHeaderList/Bussiness/BussinessDocType. */
export enum BusinessDocType {
  NEW = 0,
  RECALL = 1,
  UPDATE = 2,
  REPLACE = 3,
}

/** OtherInfo/Priority: 0 normal, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc. */
export const PRIORITIES = ['NORMAL', 'URGENT', 'VERY_URGENT', 'FLASH'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** The status codes a receiver reports to the sender. */
export const STATUS_CODES = ['01', '02', '03', '04', '05', '06', '13', '15', '16'] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

export interface Organ {
  organId: string;
  organName: string;
}

export interface PackageAttachment {
  name: string;
  contentType: string;
  bytes: Buffer;
  sha256: string;
}

/** An attachment as read from a message: its bytes went to `sink` as they were decoded. */
export interface ReceivedAttachment<S = AttachmentSink> {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  sink: S;
}

export interface DocumentPackage<A = PackageAttachment> {
  kind: 'PACKAGE';
  from: Organ;
  to: Organ[];
  documentId: string;
  codeNumber: string;
  codeNotation: string;
  place: string;
  /** YYYY-MM-DD. */
  promulgationDate: string;
  documentTypeCode: string;
  documentTypeName: string;
  subject: string;
  signer: { competence: string; position: string; fullName: string };
  /** YYYY-MM-DD or null. */
  dueDate: string | null;
  toPlaces: string[];
  priority: Priority;
  /** 0 when the document carries no state secret; anything else is refused on arrival. */
  securityLevel: number;
  pageAmount: number | null;
  responseFor: string | null;
  steeringType: number;
  businessDocType: BusinessDocType;
  businessDocReason: string | null;
  /** When the sender produced the message (ISO 8601). */
  timestamp: string;
  attachments: A[];
}

export interface StatusMessage {
  kind: 'STATUS';
  from: Organ;
  /** The DocumentId of the package the status is about. */
  responseFor: string;
  statusCode: StatusCode;
  description: string | null;
  timestamp: string;
  /** Increases with every status the receiver sends, so the sender can ignore one that arrives late. */
  sequence: number;
}

export type ExchangeMessage<A = PackageAttachment> = DocumentPackage<A> | StatusMessage;

/** Why a message cannot be taken: a stable code and a sentence for the sending clerk. */
export class EdxmlProblem extends Error {
  constructor(
    readonly code: 'MALFORMED_PACKAGE' | 'ATTACHMENT_HASH_MISMATCH' | 'CLASSIFIED_DOCUMENT_REFUSED',
    message: string,
  ) {
    super(message);
    this.name = 'EdxmlProblem';
  }
}

const ORGAN_ID = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EDXML_DAY = /^(\d{4})\/(\d{2})\/(\d{2})$/;

/** `2026-11-26` → `2026/11/26` (edXML writes dates with slashes). */
export function toEdxmlDate(day: string): string {
  return day.replace(ISO_DAY, '$1/$2/$3');
}

function fromEdxmlDate(v: string, field: string): string {
  const m = EDXML_DAY.exec(v) ?? ISO_DAY.exec(v);
  if (!m) throw malformed(`${field} must be a date written yyyy/MM/dd.`);
  const day = `${m[1]}-${m[2]}-${m[3]}`;
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) throw malformed(`${field} is not a calendar day.`);
  return day;
}

/** The DocumentId of TT 10/2016: `OrganId,yyyy/MM/dd,Number/Notation`. */
export function formatDocumentId(organId: string, promulgationDate: string, number: string, notation: string): string {
  return `${organId},${toEdxmlDate(promulgationDate)},${number}/${notation}`;
}

/** The edXML DocumentId of an issued document (its number, symbol and date of issue are set). */
export function documentIdOf(organId: string, doc: { issuedDate?: string | null; number?: string | null; symbol?: string | null }): string {
  return formatDocumentId(organId, doc.issuedDate!, doc.number!, doc.symbol!);
}

export function parseDocumentId(id: string): { organId: string; date: string; number: string; notation: string } | null {
  const m = /^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}),(\d{4}\/\d{2}\/\d{2}),([^/,]{1,11})\/([^,]{1,30})$/.exec(id);
  if (!m) return null;
  return { organId: m[1], date: m[2].replace(/\//g, '-'), number: m[3], notation: m[4] };
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: false, ignoreAttributes: false, attributeNamePrefix: '@_' });

/** Prefixes every element name with `edXML:`. */
function ns(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ns);
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k.startsWith('@_') ? k : `edXML:${k}`] = ns(v);
  return out;
}

function envelope(header: Record<string, unknown>, body?: Record<string, unknown>): string {
  const root: Record<string, unknown> = { edXMLHeader: header };
  if (body) root.edXMLBody = body;
  const doc = { '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' }, 'edXML:edXMLEnvelope': { '@_xmlns:edXML': EDXML_NAMESPACE, ...(ns(root) as object) } };
  return builder.build(doc);
}

/** Writes a document package. */
export function buildPackage(p: Omit<DocumentPackage, 'kind'>): string {
  return envelope(
    {
      MessageHeader: {
        From: { OrganId: p.from.organId, OrganName: p.from.organName },
        To: p.to.map((t) => ({ OrganId: t.organId, OrganName: t.organName })),
        DocumentId: p.documentId,
        Code: { CodeNumber: p.codeNumber, CodeNotation: p.codeNotation },
        PromulgationInfo: { Place: p.place, PromulgationDate: toEdxmlDate(p.promulgationDate) },
        DocumentType: { Type: p.documentTypeCode, TypeName: p.documentTypeName },
        Subject: p.subject,
        SignerInfo: { Competence: p.signer.competence, Position: p.signer.position, FullName: p.signer.fullName },
        DueDate: p.dueDate ? toEdxmlDate(p.dueDate) : '',
        ToPlaces: { Place: p.toPlaces },
        OtherInfo: {
          Priority: PRIORITIES.indexOf(p.priority),
          SecurityLevel: p.securityLevel,
          PageAmount: p.pageAmount ?? '',
          PromulgationAmount: 1,
        },
        ...(p.responseFor ? { ResponseFor: { DocumentId: p.responseFor } } : {}),
        SteeringType: p.steeringType,
      },
      TraceHeaderList: {
        TraceHeader: [{ OrganId: p.from.organId, Timestamp: p.timestamp }],
        Bussiness: { BussinessDocType: p.businessDocType, BussinessDocReason: p.businessDocReason ?? '' },
      },
    },
    {
      Attachment: p.attachments.map((a, i) => ({
        ContentId: `attachment-${i + 1}`,
        ContentType: a.contentType,
        AttachmentName: a.name,
        Sha256: a.sha256,
        ContentTransferEncoded: a.bytes.toString('base64'),
      })),
    },
  );
}

/** Writes a status message. */
export function buildStatus(s: Omit<StatusMessage, 'kind'>): string {
  return envelope({
    Status: {
      ResponseFor: { DocumentId: s.responseFor },
      From: { OrganId: s.from.organId, OrganName: s.from.organName },
      StatusCode: s.statusCode,
      Description: s.description ?? '',
      Timestamp: s.timestamp,
      Sequence: s.sequence,
    },
  });
}

/** Bounds on what a message may be, checked before and while reading it. */
export const EDXML_LIMITS = { maxDepth: 16, maxElements: 5000, maxAttachments: 50, maxText: 2000 } as const;

const malformed = (why: string) => new EdxmlProblem('MALFORMED_PACKAGE', `The edXML message is malformed: ${why}`);

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
  if (!ORGAN_ID.test(organId)) throw malformed(`${field}/OrganId must be a 13-character identifier such as 000.00.00.H08.`);
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
  return { ...message, attachments: message.attachments.map((a) => ({ name: a.name, contentType: a.contentType, bytes: Buffer.concat(a.sink.chunks), sha256: a.sha256 })) };
}

/**
 * Reads a message that arrives in pieces, in memory bounded whatever its size: `write` each piece
 * of text as it comes, then `end`. Each attachment's base64 text is decoded straight into the sink
 * `openSink` gives for it (a file), hashed on the way; the rest is screened (no DOCTYPE, entities or
 * processing instructions, bounded nesting and element count), validated as well-formed XML and read
 * into a typed package or status. Every refusal is an {@link EdxmlProblem}.
 */
export function readMessageStream<S extends AttachmentSink>(openSink: (index: number) => S): { write(text: string): void; end(): ExchangeMessage<ReceivedAttachment<S>> } {
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

function readPackage<S extends AttachmentSink>(mh: Node, trace: Node | undefined, body: Node | undefined, scanned: ScannedAttachment<S>[]): DocumentPackage<ReceivedAttachment<S>> {
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
  const promulgationDate = fromEdxmlDate(textOf(promulgation, 'PromulgationDate', 'MessageHeader/PromulgationInfo/PromulgationDate', { required: true, max: 10 })!, 'PromulgationDate');
  if (id.number !== codeNumber || id.notation !== codeNotation || id.date !== promulgationDate) throw malformed('MessageHeader/DocumentId does not match Code and PromulgationDate.');
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
    throw new EdxmlProblem('ATTACHMENT_HASH_MISMATCH', `Attachment ${n} does not match its SHA-256: the package was damaged or altered on the way. Ask the sender to send it again.`);
  }
  return {
    name: textOf(a, 'AttachmentName', `${field}/AttachmentName`, { max: 255 }) ?? `attachment-${n}`,
    contentType: textOf(a, 'ContentType', `${field}/ContentType`, { max: 100 }) ?? 'application/octet-stream',
    size: got.size,
    sha256: got.sha256,
    sink: got.sink,
  };
}
