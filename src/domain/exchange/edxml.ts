import { createHash } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { type AttachmentSink } from './edxml-scan';

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

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const EDXML_DAY = /^(\d{4})\/(\d{2})\/(\d{2})$/;

/** `2026-11-26` → `2026/11/26` (edXML writes dates with slashes). */
/** The refusal of a message that is not well-formed edXML (MALFORMED_PACKAGE). */
export const malformed = (why: string) => new EdxmlProblem('MALFORMED_PACKAGE', `The edXML message is malformed: ${why}`);

export function toEdxmlDate(day: string): string {
  return day.replace(ISO_DAY, '$1/$2/$3');
}

export function fromEdxmlDate(v: string, field: string): string {
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
