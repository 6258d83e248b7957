import { OutgoingDocument, Unit } from '../../entities';
import type { Context } from '../context';
import { withTransaction } from '../transaction';
import { Confidentiality, Direction, METADATA_LIMITS, RoutingEventKind } from '../domain/documents/document-enums';
import { OutgoingState, issueStep, returnStep } from '../domain/outgoing/workflow';
import type { Action } from '../domain/permissions/ability';
import { findOutgoingFor } from '../repositories/outgoing-documents';
import type { SigningCapacity } from '../domain/signing/capacity';
import { AppError, ErrorCode, forbidden } from '../errors';
import { keyOf, toGlobalId } from '../graphql/global-id';
import { once } from './idempotency';
import { discardUnattached } from './file.service';
import { requireViewer } from './guards';
import { text } from './input-checks';
import { recordEvent } from './history';
import { assignNumber } from './outgoing-number';
import { recordSignature } from './signing';
import { lock, step } from './outgoing-steps';
import { recallIssued, withdrawCopies } from './outgoing-recall';
import { checkIssuable, checkedRecipients, deliverIssued, notSigned, stampIssue, type IssueInput } from './outgoing-issue';
import { NOT_FOUND, findFor, findReadableOutgoing } from './outgoing-access';
import { checkDraft, keepingUnitOf, writeVersion, type DraftInput } from './outgoing-draft';

export type { DraftInput };

/** A staff member or head drafts a document (dự thảo) in their department: DRAFT, version 1. */
export async function createDraft(ctx: Context, input: DraftInput): Promise<OutgoingDocument> {
  const viewer = requireViewer(ctx);
  if ((input.confidentiality ?? Confidentiality.NORMAL) !== Confidentiality.NORMAL) {
    const fileKey = keyOf('StoredFile', input.fileId, 'input.fileId');
    await discardUnattached(ctx.em, ctx.app.config.uploadDir, [fileKey], viewer.accountId);
    throw new AppError(ErrorCode.CLASSIFIED_DOCUMENT_REFUSED);
  }
  if (!ctx.ability.can('create', 'OutgoingDocument')) throw forbidden('Staff members and heads draft documents.');
  const draftingUnit = await ctx.em.findOneOrFail(Unit, { id: viewer.unitId });
  const keepingUnit = await ctx.em.findOneOrFail(Unit, { id: keepingUnitOf(draftingUnit) });
  const d = await checkDraft(ctx, input, keepingUnit, viewer.accountId);
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const now = ctx.app.clock.now();
    const doc = em.create(OutgoingDocument, {
      direction: Direction.OUTGOING,
      documentType: d.type,
      issuer: keepingUnit.name,
      subject: d.subject,
      keepingUnit,
      state: OutgoingState.DRAFT,
      createdBy: viewer.accountId,
      draftingUnit,
      drafter: viewer.accountId,
      version: 1,
      draftFile: d.file,
      createdAt: now,
    });
    await writeVersion(tx, doc, d, 1);
    recordEvent(tx, doc, RoutingEventKind.DRAFTED, null, OutgoingState.DRAFT, 'Phiên bản 1');
    return doc;
  });
}

/** The drafter revises a draft: a new version; every earlier version stays readable. */
export async function reviseDraft(ctx: Context, id: string, input: DraftInput): Promise<OutgoingDocument> {
  const found = await findFor(ctx, id, 'revise');
  if ((input.confidentiality ?? Confidentiality.NORMAL) !== Confidentiality.NORMAL) throw new AppError(ErrorCode.CLASSIFIED_DOCUMENT_REFUSED);
  const keepingUnit = await ctx.em.findOneOrFail(Unit, { id: found.keepingUnit.id });
  const d = await checkDraft(ctx, input, keepingUnit, ctx.viewer!.accountId, found.documentType.code);
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const doc = await lock(em, found.id);
    const { from, to } = step(doc, 'revise');
    const version = doc.version + 1;
    await writeVersion(tx, doc, d, version);
    recordEvent(tx, doc, RoutingEventKind.REVISED, from, to, `Phiên bản ${version}`);
    return doc;
  });
}

/** The drafter sends the draft to the head of the drafting department: IN_REVIEW. */
export async function submitDraft(ctx: Context, id: string): Promise<OutgoingDocument> {
  const found = await findFor(ctx, id, 'submit');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const doc = await lock(em, found.id);
    const { from, to } = step(doc, 'submit');
    doc.returnReason = null;
    recordEvent(tx, doc, RoutingEventKind.SUBMITTED_FOR_REVIEW, from, to, null);
    return doc;
  });
}

/** The head approves the draft for signature: AWAITING_SIGNATURE. */
export async function approveDraft(ctx: Context, id: string, comment?: string | null): Promise<OutgoingDocument> {
  const note = text(comment, 'comment', METADATA_LIMITS.reason);
  const found = await findFor(ctx, id, 'approve');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const doc = await lock(em, found.id);
    const { from, to } = step(doc, 'approve');
    recordEvent(tx, doc, RoutingEventKind.APPROVED, from, to, note);
    return doc;
  });
}

/** The head (from review) or the director (from signature) sends the draft back to its drafter with the reason: DRAFT. */
export async function returnDraft(ctx: Context, id: string, reason: string): Promise<OutgoingDocument> {
  const r = text(reason, 'reason', METADATA_LIMITS.reason, true)!;
  const peek = await findReadableOutgoing(ctx, id);
  const s = returnStep(peek.state);
  if (!s)
    throw new AppError(
      ErrorCode.INVALID_TRANSITION,
      `Cannot return a document that is ${peek.state}: only drafts in review or awaiting signature go back to DRAFT.`,
      { from: peek.state, to: OutgoingState.DRAFT, step: 'return' },
    );
  const found = await findFor(ctx, id, s as Action);
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const doc = await lock(em, found.id);
    const { from, to } = step(doc, s);
    doc.returnReason = r;
    recordEvent(tx, doc, RoutingEventKind.RETURNED, from, to, r);
    return doc;
  });
}

/**
 * The director of the keeping unit, a deputy, or the head of a unit under a delegation signs on the
 * system: SIGNED, with the capacity and the lines above the signature the rule gives (signing.ts).
 */
export async function signDocument(ctx: Context, id: string, capacity?: SigningCapacity | null): Promise<OutgoingDocument> {
  const found = await findFor(ctx, id, 'sign');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const doc = await lock(em, found.id);
    const { from, to } = step(doc, 'sign');
    const s = await recordSignature(tx, doc, capacity);
    recordEvent(tx, doc, RoutingEventKind.SIGNED, from, to, `${s.lines.join(' / ')} — ${doc.signerName}`);
    return doc;
  });
}

/**
 * The clerk issues a signed document (Điều 9.2): the next number of the outgoing register, the date,
 * the symbol, the signed scan; then delivers it to each internal recipient's clerk as an incoming
 * document, and records outside recipients as awaiting the exchange. All in one transaction.
 */
export async function issueDocument(ctx: Context, id: string, input: IssueInput): Promise<OutgoingDocument> {
  requireViewer(ctx);
  const key = keyOf('OutgoingDocument', id, 'id');
  // The clerk may not read a draft before it is signed, but must be told why it cannot be issued.
  const target = await findOutgoingFor(ctx, key, 'issue');
  if (!target) throw NOT_FOUND();
  const { signedFile, issuedDate } = await checkIssuable(ctx, target, input);
  const now = ctx.app.clock.now();

  return withTransaction(ctx, async (tx) => {
    const doc = await lock(tx.em, target.id);
    const issuing = issueStep(doc.state);
    if (!issuing) throw notSigned(target.state);
    const facts = await checkedRecipients(tx, doc);
    const { from: before, to } = step(doc, issuing);
    if (issuing === 'issue') await assignNumber(tx, doc, issuedDate);
    stampIssue(tx, doc, facts, signedFile, now);
    recordEvent(tx, doc, RoutingEventKind.ISSUED, before, to, `${doc.number}/${doc.symbol}`);
    deliverIssued(tx, doc, facts, signedFile, issuedDate, now);
    return doc;
  });
}

/**
 * Recalls an issued document (thu hồi): it is frozen, and every recipient's copy moves to RECALLED
 * with its own event, whatever state it was in. The reason is kept on both sides.
 */
export async function recallDocument(ctx: Context, id: string, reason: string): Promise<OutgoingDocument> {
  const r = text(reason, 'reason', METADATA_LIMITS.reason, true)!;
  const found = await findFor(ctx, id, 'recall');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const doc = await lock(em, found.id);
    recallIssued(tx, doc, r);
    await withdrawCopies(tx, doc, r);
    return doc;
  });
}

/** createDraft with an idempotency key. */
export function createDraftOnce(ctx: Context, input: DraftInput, key?: string | null): Promise<OutgoingDocument> {
  return once(
    ctx,
    key,
    'createDraft',
    (c) => createDraft(c, input),
    (c, id) => findReadableOutgoing(c, toGlobalId('OutgoingDocument', id)),
  );
}

/** issueDocument with an idempotency key: a retry returns the number the first call took. */
export function issueDocumentOnce(
  ctx: Context,
  id: string,
  input: { signedFileId: string; issuedDate?: string | null },
  key?: string | null,
): Promise<OutgoingDocument> {
  return once(
    ctx,
    key,
    'issueDocument',
    (c) => issueDocument(c, id, input),
    (c, docId) => findReadableOutgoing(c, toGlobalId('OutgoingDocument', docId)),
  );
}
