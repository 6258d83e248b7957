/**
 * A draft's input checked for its keeping unit (type, recipients and the interconnection rule, the
 * file) and written as a new version: what creating and revising a draft share.
 */
import { Correspondent, DocumentType, DraftVersion, OutgoingDocument, OutgoingRecipient, StoredFile, Unit } from '../../entities';
import { DeliveryState } from '../../entities/OutgoingRecipient';
import { agencyIdOf } from './agencies';
import type { Context } from '../context';
import type { TxContext } from '../transaction';
import { Confidentiality, METADATA_LIMITS, Urgency } from '../domain/documents/document-enums';
import { interconnectionProblem, outsideRecipientProblem } from '../domain/outgoing/interconnection';
import { draftableType } from './document-types';
import { UnitKind } from '../domain/units/unit-rules';
import { isCalendarDate } from '../domain/time/office-time';
import { AppError, ErrorCode, badInput } from '../errors';
import { keyOf } from '../graphql/global-id';
import { text } from './input-checks';

export interface DraftInput {
  documentTypeCode: string;
  subject: string;
  urgency?: Urgency | null;
  confidentiality?: Confidentiality | null;
  recipientUnitIds?: string[] | null;
  recipientCorrespondentIds?: string[] | null;
  signerPosition?: string | null;
  pageCount?: number | null;
  note?: string | null;
  dueDate?: string | null;
  fileId: string;
}

/** The records-keeping unit of a unit: itself, or the parent of a department. */
export function keepingUnitOf(unit: Unit): string {
  return unit.kind === UnitKind.DEPARTMENT && unit.parent ? unit.parent.id : unit.id;
}

export interface CheckedDraft {
  type: DocumentType;
  subject: string;
  urgency: Urgency;
  recipientUnits: Unit[];
  recipientCorrespondents: Correspondent[];
  signerPosition: string | null;
  pageCount: number | null;
  note: string | null;
  dueDate: string | null;
  file: StoredFile;
}

/** Validates a draft's input for a keeping unit, including the interconnection rule for internal recipients. */
export async function checkDraft(ctx: Context, input: DraftInput, keepingUnit: Unit, fileOwner: string, currentType?: string): Promise<CheckedDraft> {
  const L = METADATA_LIMITS;
  const type = await draftableType(ctx.em, input.documentTypeCode, 'input.documentTypeCode', currentType);
  const subjectText = text(input.subject, 'input.subject', L.subject, true)!;
  if (
    input.pageCount !== null &&
    input.pageCount !== undefined &&
    (!Number.isInteger(input.pageCount) || input.pageCount < 1 || input.pageCount > L.pageCount)
  ) {
    throw badInput(`input.pageCount must be a whole number from 1 to ${L.pageCount}.`, 'input.pageCount');
  }
  if (input.dueDate !== null && input.dueDate !== undefined && !isCalendarDate(input.dueDate))
    throw badInput('input.dueDate must be a calendar day written YYYY-MM-DD.', 'input.dueDate');
  const unitIds = [...new Set((input.recipientUnitIds ?? []).map((id, i) => keyOf('Unit', id, `input.recipientUnitIds[${i}]`)))];
  const corrIds = [...new Set((input.recipientCorrespondentIds ?? []).map((id, i) => keyOf('Correspondent', id, `input.recipientCorrespondentIds[${i}]`)))];
  if (unitIds.length + corrIds.length > 200) throw badInput('At most 200 recipients.', 'input');
  const recipientUnits = unitIds.length ? await ctx.em.find(Unit, { id: { $in: unitIds } }) : [];
  if (recipientUnits.length !== unitIds.length) throw new AppError(ErrorCode.NOT_FOUND, 'A recipient unit was not found.', { field: 'input.recipientUnitIds' });
  const from = { id: keepingUnit.id, kind: keepingUnit.kind, parentId: keepingUnit.parent?.id ?? null };
  for (const u of recipientUnits) {
    const problem = interconnectionProblem(from, { id: u.id, kind: u.kind, parentId: u.parent?.id ?? null });
    if (problem) throw new AppError(ErrorCode.INTERCONNECTION_NOT_ALLOWED, `${u.name}: ${problem}`, { field: 'input.recipientUnitIds' });
  }
  const outside = corrIds.length ? outsideRecipientProblem(from) : null;
  if (outside) throw new AppError(ErrorCode.INTERCONNECTION_NOT_ALLOWED, outside, { field: 'input.recipientCorrespondentIds' });
  // Only the drafting agency's own correspondents: another agency's peers and endpoints are not there for it.
  const recipientCorrespondents = corrIds.length
    ? await ctx.em.find(Correspondent, { id: { $in: corrIds }, agency: await agencyIdOf(ctx.em, keepingUnit.id) })
    : [];
  if (recipientCorrespondents.length !== corrIds.length)
    throw new AppError(ErrorCode.NOT_FOUND, 'A recipient correspondent was not found.', { field: 'input.recipientCorrespondentIds' });
  const fileKey = keyOf('StoredFile', input.fileId, 'input.fileId');
  const file = await ctx.em.findOne(StoredFile, { id: fileKey, uploadedBy: fileOwner });
  if (!file)
    throw new AppError(ErrorCode.NOT_FOUND, 'input.fileId was not found among your uploads. Upload the draft with POST /files first.', {
      field: 'input.fileId',
    });
  return {
    type,
    subject: subjectText,
    urgency: input.urgency ?? Urgency.NORMAL,
    recipientUnits,
    recipientCorrespondents,
    signerPosition: text(input.signerPosition, 'input.signerPosition', L.signerPosition),
    pageCount: input.pageCount ?? null,
    note: text(input.note, 'input.note', L.note),
    dueDate: input.dueDate ?? null,
    file,
  };
}

/** Writes a draft's fields, its recipients and a new version row. */
export async function writeVersion(ctx: TxContext, doc: OutgoingDocument, d: CheckedDraft, version: number): Promise<void> {
  const { em } = ctx;
  doc.documentType = d.type;
  doc.subject = d.subject;
  doc.urgency = d.urgency;
  doc.signerPosition = d.signerPosition;
  doc.pageCount = d.pageCount;
  doc.note = d.note;
  doc.dueDate = d.dueDate;
  doc.draftFile = d.file;
  doc.version = version;
  await em.nativeDelete(OutgoingRecipient, { document: doc.id });
  let ordinal = 0;
  for (const u of d.recipientUnits) em.create(OutgoingRecipient, { document: doc, unit: u, deliveryState: DeliveryState.PENDING, ordinal: ++ordinal });
  for (const c of d.recipientCorrespondents)
    em.create(OutgoingRecipient, { document: doc, correspondent: c, deliveryState: DeliveryState.PENDING, ordinal: ++ordinal });
  em.create(DraftVersion, {
    document: doc,
    version,
    file: d.file,
    author: ctx.viewer!.accountId,
    subject: d.subject,
    metadata: {
      documentTypeCode: d.type.code,
      urgency: d.urgency,
      signerPosition: d.signerPosition,
      pageCount: d.pageCount,
      note: d.note,
      dueDate: d.dueDate,
      recipientUnitIds: d.recipientUnits.map((u) => u.id),
      recipientCorrespondentIds: d.recipientCorrespondents.map((c) => c.id),
    },
    createdAt: ctx.app.clock.now(),
  });
}
