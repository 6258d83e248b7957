import type { EntityManager } from '@mikro-orm/postgresql';
import { DocumentType } from '../../entities';
import { METADATA_LIMITS, Urgency } from '../domain/documents/document-enums';
import { officeDate } from '../domain/time/office-time';
import { badInput } from '../errors';
import type { Context } from '../context';
import { date, text } from './input-checks';

/**
 * The metadata of an incoming document as the clerk records it (NĐ 30/2020 Phụ lục VI): one set of
 * checks for receiving and for correcting a registration, so a corrected document meets exactly the
 * rules a received one does.
 */
export interface IncomingMetadataInput {
  documentTypeCode?: string | null;
  number?: string | null;
  symbol?: string | null;
  issuedDate?: string | null;
  issuer?: string | null;
  subject?: string | null;
  pageCount?: number | null;
  signerName?: string | null;
  signerPosition?: string | null;
  note?: string | null;
  urgency?: Urgency | null;
  dueDate?: string | null;
}

export interface IncomingMetadata {
  documentType: DocumentType;
  number: string | null;
  symbol: string | null;
  issuedDate: string;
  issuer: string;
  subject: string;
  pageCount: number | null;
  signerName: string | null;
  signerPosition: string | null;
  note: string | null;
  urgency: Urgency;
  dueDate: string | null;
}

/** The fields a correction may change, in the order the history lists them. */
export const METADATA_FIELDS = [
  'documentTypeCode',
  'number',
  'symbol',
  'issuedDate',
  'issuer',
  'subject',
  'pageCount',
  'signerName',
  'signerPosition',
  'note',
  'urgency',
  'dueDate',
] as const satisfies ReadonlyArray<keyof IncomingMetadataInput>;

/** A type any incoming document may carry, retired for drafting or not (documents arrive with types we do not issue). */
export async function incomingDocumentType(em: EntityManager, code: string | null | undefined, field: string): Promise<DocumentType> {
  const type = await em.findOne(DocumentType, { code: text(code, field, 10, true)! });
  if (!type) throw badInput(`${field} is not a known document type (QĐ, TB, GM, BC… or CV for Công văn; see documentTypes).`, field);
  return type;
}

/**
 * Checks complete metadata: required fields present, lengths within Phụ lục VI, the issued date not
 * in the future, the due date not before it. `prefix` names the fields in messages ("input.").
 */
export async function checkIncomingMetadata(ctx: Context, input: IncomingMetadataInput, prefix = ''): Promise<IncomingMetadata> {
  const L = METADATA_LIMITS;
  const f = (name: string) => `${prefix}${name}`;
  const documentType = await incomingDocumentType(ctx.em, input.documentTypeCode, f('documentTypeCode'));
  const subject = text(input.subject, f('subject'), L.subject, true)!;
  const issuer = text(input.issuer, f('issuer'), L.issuer, true)!;
  const number = text(input.number, f('number'), L.number);
  const symbol = text(input.symbol, f('symbol'), L.symbol);
  const issuedDate = date(input.issuedDate, f('issuedDate'), true)!;
  const today = officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  if (issuedDate > today) throw badInput(`${f('issuedDate')} cannot be in the future.`, f('issuedDate'));
  const dueDate = date(input.dueDate, f('dueDate'));
  if (dueDate && dueDate < issuedDate) throw badInput(`${f('dueDate')} cannot be before issuedDate.`, f('dueDate'));
  const pages = input.pageCount;
  if (pages !== null && pages !== undefined && (!Number.isInteger(pages) || pages < 1 || pages > L.pageCount)) {
    throw badInput(`${f('pageCount')} must be a whole number from 1 to ${L.pageCount}.`, f('pageCount'));
  }
  return {
    documentType,
    number,
    symbol,
    issuedDate,
    issuer,
    subject,
    pageCount: input.pageCount ?? null,
    signerName: text(input.signerName, f('signerName'), L.signerName),
    signerPosition: text(input.signerPosition, f('signerPosition'), L.signerPosition),
    note: text(input.note, f('note'), L.note),
    urgency: input.urgency ?? Urgency.NORMAL,
    dueDate,
  };
}
