import { Account, DocumentType, Unit, type OutgoingDocument } from '../../entities';
import type { Context } from '../context';
import type { TxContext } from '../transaction';
import { Direction } from '../domain/documents/document-enums';
import { formatNumber, formatSymbol } from '../domain/outgoing/symbol';
import { isCalendarDate, officeDate, officeYear } from '../domain/time/office-time';
import { badInput } from '../errors';
import { takeNumber } from './registers';

/** The date of issue the clerk gives (today by default): a day of this office year, no later than today. */
export function checkIssuedDate(ctx: Context, issuedDate: string | null | undefined, field = 'input.issuedDate'): string {
  const today = officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  const d = issuedDate ?? today;
  if (!isCalendarDate(d)) throw badInput(`${field} must be a calendar day written YYYY-MM-DD.`, field);
  if (d > today || d.slice(0, 4) !== today.slice(0, 4)) throw badInput(`${field} must be a day of this year, no later than today.`, field);
  return d;
}

/**
 * Gives a document the next number of its keeping unit's outgoing register (inside the caller's
 * transaction, whose lock on the counter row keeps numbers gapless), its symbol and date of issue.
 */
export async function assignNumber(ctx: TxContext, doc: OutgoingDocument, issuedDate: string): Promise<void> {
  const { em } = ctx;
  const now = ctx.app.clock.now();
  const keepingUnit = await em.findOneOrFail(Unit, { id: doc.keepingUnit.id });
  const draftingUnit = await em.findOneOrFail(Unit, { id: doc.draftingUnit.id });
  const type = await em.findOneOrFail(DocumentType, { code: doc.documentType.code });
  const { registerId, number } = await takeNumber(em, keepingUnit.id, Direction.OUTGOING, officeYear(now, ctx.app.config.officeTimeZone));
  doc.register = em.getReference('Register', registerId) as never;
  doc.issueNumber = number;
  doc.number = formatNumber(number);
  doc.symbol = formatSymbol({ typeAbbreviation: type.abbreviation ?? null, issuer: keepingUnit.shortName, draftingUnit: draftingUnit.shortName });
  doc.issuedDate = issuedDate;
  doc.numberedAt = now;
  doc.numberedBy = em.getReference(Account, ctx.viewer!.accountId);
}
