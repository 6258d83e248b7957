import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { subject } from '@casl/ability';
import { Assignment, IncomingDocument } from '../../entities';
import type { Context } from '../context';
import { withTransaction } from '../transaction';
import { METADATA_LIMITS, RoutingEventKind } from '../domain/documents/document-enums';
import { CORRECTABLE_STATES, DOCUMENT_WORKFLOW, IncomingState } from '../domain/incoming/routing';
import { AppError, ErrorCode, annulled, badInput, forbidden } from '../errors';
import { recordEvent } from './history';
import { findReadable } from './incoming.service';
import { METADATA_FIELDS, checkIncomingMetadata, type IncomingMetadata, type IncomingMetadataInput } from './incoming-metadata';
import { text } from './input-checks';

/** The Vietnamese label of each field in the history's note. */
const LABELS: Record<(typeof METADATA_FIELDS)[number], string> = {
  documentTypeCode: 'loại văn bản',
  number: 'số',
  symbol: 'ký hiệu',
  issuedDate: 'ngày ban hành',
  issuer: 'cơ quan ban hành',
  subject: 'trích yếu',
  pageCount: 'số trang',
  signerName: 'người ký',
  signerPosition: 'chức vụ người ký',
  note: 'ghi chú',
  urgency: 'độ khẩn',
  dueDate: 'hạn giải quyết',
};

/** One corrected field: its name and its values before and after (null for empty). */
export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

/** A readable incoming document on which the viewer may take `action`: NOT_FOUND when unreadable, FORBIDDEN when only the action is refused. */
async function findFor(ctx: Context, id: string, action: 'correct' | 'annul'): Promise<IncomingDocument> {
  const found = await findReadable(ctx, id);
  if (!ctx.ability.can(action, subject('IncomingDocument', { keepingUnit: found.keepingUnit.id }) as never)) {
    throw forbidden('Only the clerk of the unit that registered the document corrects or annuls its registration.');
  }
  return found;
}

function lock(em: EntityManager, key: string): Promise<IncomingDocument> {
  return em.findOneOrFail(IncomingDocument, { id: key }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** The document's metadata as the correction input sees it. */
function currentOf(doc: IncomingDocument): Required<IncomingMetadataInput> {
  return {
    documentTypeCode: doc.documentType.code,
    number: doc.number ?? null,
    symbol: doc.symbol ?? null,
    issuedDate: doc.issuedDate ?? null,
    issuer: doc.issuer,
    subject: doc.subject,
    pageCount: doc.pageCount ?? null,
    signerName: doc.signerName ?? null,
    signerPosition: doc.signerPosition ?? null,
    note: doc.note ?? null,
    urgency: doc.urgency,
    dueDate: doc.dueDate ?? null,
  };
}

const shown = (v: unknown): string | null => {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? null;
};

/** The history's note of a correction: «before» → «after» per field, then the reason. */
export function correctionNote(changes: readonly FieldChange[], reason: string): string {
  const parts = changes.map((c) => `${LABELS[c.field as keyof typeof LABELS] ?? c.field} (${c.field}): «${c.before ?? ''}» → «${c.after ?? ''}»`);
  return `Đính chính ${parts.join('; ')}. Lý do: ${reason}`;
}

/**
 * The clerk of the keeping unit corrects the metadata of a document it received or registered (a
 * typo in the number, symbol, date, issuer or subject): fields left out stay as they are, a null
 * clears an optional one. The result is checked exactly as a received document is; the arrival
 * number, date and state do not change. Each field's value before and after and the reason go into
 * the history (a CORRECTED routing event) in the same transaction.
 */
export async function correctRegistration(ctx: Context, id: string, input: IncomingMetadataInput, reason: string): Promise<IncomingDocument> {
  const why = text(reason, 'reason', METADATA_LIMITS.reason, true)!;
  const given = METADATA_FIELDS.filter((f) => input[f] !== undefined);
  if (!given.length) throw badInput('Give at least one field to correct.', 'input');
  const found = await findFor(ctx, id, 'correct');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const doc = await lock(em, found.id);
    if (doc.state === IncomingState.ANNULLED) throw annulled();
    if (!CORRECTABLE_STATES.includes(doc.state)) {
      throw new AppError(ErrorCode.INVALID_TRANSITION, `A document that is ${doc.state} is not corrected.`, { from: doc.state, step: 'correct' });
    }
    const before = currentOf(doc);
    const merged: IncomingMetadataInput = { ...before };
    for (const f of given) (merged as Record<string, unknown>)[f] = input[f];
    const checked: IncomingMetadata = await checkIncomingMetadata(tx, merged, 'input.');
    const after: Record<(typeof METADATA_FIELDS)[number], unknown> = { ...checked, documentTypeCode: checked.documentType.code };
    const changes: FieldChange[] = METADATA_FIELDS.filter((f) => shown(before[f]) !== shown(after[f])).map((f) => ({
      field: f,
      before: shown(before[f]),
      after: shown(after[f]),
    }));
    if (!changes.length) throw badInput('The correction changes nothing: every field given already has that value.', 'input');
    const { documentType, ...rest } = checked;
    Object.assign(doc, rest);
    doc.documentType = documentType;
    recordEvent(tx, doc, RoutingEventKind.CORRECTED, doc.state, doc.state, correctionNote(changes, why));
    return doc;
  });
}

/**
 * The clerk annuls a registration made in error (a duplicate, a wrong document): the document moves
 * to ANNULLED, keeps its arrival number (never given again, shown annulled in the register), and
 * leaves every inbox: its assignments close, so no one holds it as work, is informed of it or has it
 * returned. The reason goes into the document and its history in the same transaction.
 */
export async function annulRegistration(ctx: Context, id: string, reason: string): Promise<IncomingDocument> {
  const why = text(reason, 'reason', METADATA_LIMITS.reason, true)!;
  const found = await findFor(ctx, id, 'annul');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const doc = await lock(em, found.id);
    const from = doc.state;
    if (from === IncomingState.ANNULLED) throw annulled();
    if (!DOCUMENT_WORKFLOW.can(from, 'annul')) {
      const legal = DOCUMENT_WORKFLOW.transitions.annul.from.join(' or ');
      const hint = from === IncomingState.RECEIVED ? ' Reject it instead.' : '';
      throw DOCUMENT_WORKFLOW.refusal(from, 'annul', `Cannot annul a document that is ${from}: only a registration is annulled (${legal}).${hint}`);
    }
    const to = DOCUMENT_WORKFLOW.step(from, 'annul');
    doc.state = to;
    doc.annulledAt = ctx.app.clock.now();
    doc.annulmentReason = why;
    await em.nativeUpdate(Assignment, { document: doc.id }, { active: false, returnHandled: true });
    recordEvent(tx, doc, RoutingEventKind.ANNULLED, from, to, `Hủy đăng ký số đến ${doc.arrivalNumber}. Lý do: ${why}`);
    return doc;
  });
}
