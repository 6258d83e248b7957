import { Account, DocumentType, Unit, type OutgoingDocument } from '../../entities';
import type { Context } from '../context';
import type { TxContext } from '../transaction';
import { Direction } from '../domain/documents/document-enums';
import { formatNumber, formatSymbol } from '../domain/outgoing/symbol';
import { isCalendarDate, officeDate, officeYear } from '../domain/time/office-time';
import { badInput } from '../errors';
import { numberLast, takeNumber, type NumberingEvent } from './registers';

/** The date of issue the clerk gives (today by default): a day of this office year, no later than today. */
export function checkIssuedDate(ctx: Context, issuedDate: string | null | undefined, field = 'input.issuedDate'): string {
  const today = officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  const d = issuedDate ?? today;
  if (!isCalendarDate(d)) throw badInput(`${field} must be a calendar day written YYYY-MM-DD.`, field);
  if (d > today || d.slice(0, 4) !== today.slice(0, 4)) throw badInput(`${field} must be a day of this year, no later than today.`, field);
  return d;
}

/** What numbering writes besides the number: the symbol, the date of issue, who numbered it and when. */
async function prepareNumbering(ctx: TxContext, doc: OutgoingDocument, issuedDate: string): Promise<void> {
  const { em } = ctx;
  const keepingUnit = await em.findOneOrFail(Unit, { id: doc.keepingUnit.id });
  const draftingUnit = await em.findOneOrFail(Unit, { id: doc.draftingUnit.id });
  const type = await em.findOneOrFail(DocumentType, { code: doc.documentType.code });
  doc.symbol = formatSymbol({ typeAbbreviation: type.abbreviation ?? null, issuer: keepingUnit.shortName, draftingUnit: draftingUnit.shortName });
  doc.issuedDate = issuedDate;
  doc.numberedAt = ctx.app.clock.now();
  doc.numberedBy = em.getReference(Account, ctx.viewer!.accountId);
}

/**
 * Gives a document the next number of its keeping unit's outgoing register (inside the caller's
 * transaction, whose lock on the counter row keeps numbers gapless), its symbol and date of issue.
 * For a path whose later work needs the number (issue); otherwise `numberOutgoingLast`.
 */
export async function assignNumber(ctx: TxContext, doc: OutgoingDocument, issuedDate: string): Promise<void> {
  const { em } = ctx;
  await prepareNumbering(ctx, doc, issuedDate);
  const year = officeYear(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  const { registerId, number } = await takeNumber(em, doc.keepingUnit.id, Direction.OUTGOING, year);
  doc.register = em.getReference('Register', registerId) as never;
  doc.issueNumber = number;
  doc.number = formatNumber(number);
}

/**
 * As assignNumber, as the last statement of the caller's transaction (numberLast): the symbol, date
 * and numbering clerk are written first, then one statement takes the number, writes it on the
 * document and records the event `type` whose note is `number/symbol`.
 */
export async function numberOutgoingLast(
  ctx: TxContext,
  doc: OutgoingDocument,
  issuedDate: string,
  event: Pick<NumberingEvent, 'type' | 'from' | 'to'>,
): Promise<void> {
  await prepareNumbering(ctx, doc, issuedDate);
  const year = officeYear(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  await numberLast(ctx, doc, year, { ...event, noteSuffix: `/${doc.symbol}` });
}
