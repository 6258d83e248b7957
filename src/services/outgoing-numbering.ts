import type { FilterQuery } from '@mikro-orm/core';
import { OutgoingDocument } from '../../entities';
import type { Context } from '../context';
import { Role } from '../domain/accounts/account-rules';
import { METADATA_LIMITS, RoutingEventKind } from '../domain/documents/document-enums';
import { OutgoingState, annulSteps } from '../domain/outgoing/workflow';
import { accessibleWhere } from './membership-filter';
import { officeYear } from '../domain/time/office-time';
import { AppError, ErrorCode, badInput, forbidden } from '../errors';
import { keyOf } from '../graphql/global-id';
import { paginate, type Page } from '../graphql/pagination';
import { requireViewer } from './guards';
import { recordEvent } from './history';
import { text } from './input-checks';
import { assignNumber, checkIssuedDate } from './outgoing-number';
import { recallIssued, withdrawCopies } from './outgoing-recall';
import { lock, step } from './outgoing-steps';
import { findFor } from './outgoing-access';

const SIGNING_STATES: readonly string[] = [OutgoingState.DRAFT, OutgoingState.IN_REVIEW, OutgoingState.AWAITING_SIGNATURE];

/** The clerk's view of a document for a numbering step: NOT_FOUND (another unit), NOT_SIGNED (not signed yet), FORBIDDEN, or the document. */
async function forNumbering(ctx: Context, id: string, action: 'number' | 'annul'): Promise<OutgoingDocument> {
  const v = requireViewer(ctx);
  if (!v.roles.includes(Role.CLERK)) throw forbidden('Only the clerk (văn thư) of the keeping unit numbers documents and annuls register entries.');
  // As for issue: the clerk is told why a document not yet signed cannot be numbered.
  const key = keyOf('OutgoingDocument', id, 'id');
  const where = { $and: [{ id: key }, accessibleWhere(ctx.ability, action, 'OutgoingDocument')] } as FilterQuery<OutgoingDocument>;
  const target = await ctx.em.findOne(OutgoingDocument, where);
  if (!target) throw new AppError(ErrorCode.NOT_FOUND, 'No document was found with this id, or you may not see it.');
  if (SIGNING_STATES.includes(target.state)) {
    const message = 'Only a document signed on the system gets a number (Điều 9.2). Ask the director to sign it first.';
    throw new AppError(ErrorCode.NOT_SIGNED, message, { state: target.state });
  }
  return findFor(ctx, id, action);
}

/**
 * The clerk takes the number of a signed document (cấp số): the next number of the outgoing register
 * and the date of issue, at once on the document, so that the stamped scan (or the digital file)
 * carries them; then issues it with the final file. Gapless like every number: the counter row is
 * locked until the transaction ends. NUMBERED.
 */
export async function takeOutgoingNumber(ctx: Context, id: string, issuedDate?: string | null): Promise<OutgoingDocument> {
  const found = await forNumbering(ctx, id, 'number');
  const already = () =>
    new AppError(ErrorCode.NUMBER_ALREADY_TAKEN, `The document already has number ${found.number}/${found.symbol}: it keeps it.`, { state: found.state });
  if (found.issueNumber) throw already();
  const date = checkIssuedDate(ctx, issuedDate, 'issuedDate');
  return ctx.em.transactional(async (em) => {
    const doc = await lock(em, found.id);
    if (doc.issueNumber) throw already();
    const { from, to } = step(doc, 'number');
    await assignNumber(em, ctx, doc, date);
    recordEvent(em, ctx, doc, RoutingEventKind.NUMBERED, from, to, `${doc.number}/${doc.symbol}`);
    return doc;
  });
}

/**
 * The clerk annuls a numbered document's register entry with the reason (hủy số): the number stays
 * used and shows annulled in the register; it is never given again. A document already issued is
 * recalled first through the recall path (its recipients' copies are withdrawn). ANNULLED.
 */
export async function annulOutgoingNumber(ctx: Context, id: string, reason: string): Promise<OutgoingDocument> {
  const r = text(reason, 'reason', METADATA_LIMITS.reason, true)!;
  const found = await forNumbering(ctx, id, 'annul');
  const refuse = (state: string) =>
    new AppError(ErrorCode.INVALID_TRANSITION, `Cannot annul a document that is ${state}: only a numbered, issued or recalled one has a register entry.`, {
      from: state,
      to: OutgoingState.ANNULLED,
      step: 'annul',
    });
  if (!annulSteps(found.state)) throw refuse(found.state);
  return ctx.em.transactional(async (em) => {
    const doc = await lock(em, found.id);
    const steps = annulSteps(doc.state);
    if (!steps) throw refuse(doc.state);
    if (steps[0] === 'recall') {
      recallIssued(em, ctx, doc, r);
      await withdrawCopies(em, ctx, doc, r);
    }
    const { from, to } = step(doc, steps[steps.length - 1]);
    doc.annulledAt = ctx.app.clock.now();
    doc.annulmentReason = r;
    doc.annulledBy = em.getReference('Account', ctx.viewer!.accountId) as never;
    recordEvent(em, ctx, doc, RoutingEventKind.ANNULLED, from, to, `${doc.number}/${doc.symbol}: ${r}`);
    return doc;
  });
}

/**
 * The outgoing register (sổ văn bản đi) of the viewer's keeping unit for a year, in number order:
 * every number taken, annulled ones included and marked (CLERK and DIRECTOR).
 */
export async function outgoingRegister(ctx: Context, year?: number | null, first?: number | null, after?: string | null): Promise<Page<OutgoingDocument>> {
  const v = requireViewer(ctx);
  if (!v.roles.some((x) => x === Role.CLERK || x === Role.DIRECTOR)) throw forbidden('The outgoing register is kept by the clerk and read by the director.');
  const y = year ?? officeYear(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  if (!Number.isInteger(y) || y < 1900 || y > 9999) throw badInput('year must be a year such as 2026.', 'year');
  const where = {
    $and: [{ keepingUnit: v.keepingUnitId, issueNumber: { $ne: null }, register: { year: y } }, accessibleWhere(ctx.ability, 'read', 'OutgoingDocument')],
  } as FilterQuery<OutgoingDocument>;
  return paginate(ctx.em, OutgoingDocument, where, { key: 'issueNumber', first, after, direction: 'asc' });
}
