import { randomUUID } from 'node:crypto';
import { Register, type IncomingDocument } from '../../entities';
import type { Context } from '../context';
import { Direction, RoutingEventKind } from '../domain/documents/document-enums';
import type { IncomingState } from '../domain/incoming/routing';
import { officeDate, officeYear } from '../domain/time/office-time';
import { counterSql, numberingEventSql } from './registers';

/**
 * Registers a document in ONE statement: it locks the document if it is still in the state the
 * caller read, takes the next number of its register, writes the state, date and number on the
 * document and inserts the REGISTERED event that carries the number. Outside a transaction the
 * statement is its own transaction, so the register's counter row is locked from this statement to
 * its commit and by nothing else; inside one (an idempotent call), it is the transaction's last write
 * but the idempotency record.
 *
 * `step` is the caller's state machine, applied to the document as read (it refuses an illegal
 * step as usual). Returns false, having changed nothing, when the document needs the transaction
 * path: one received from a peer of the national exchange, whose status report is written with its
 * registration, or one whose state changed since it was read.
 */
export async function registerAtOnce(
  ctx: Context,
  doc: IncomingDocument,
  step: (doc: IncomingDocument) => { from: IncomingState; to: IncomingState },
): Promise<boolean> {
  if (doc.exchangeStatusSent && doc.exchangeDocumentId && doc.senderCorrespondent) return false;
  const now = ctx.app.clock.now();
  const zone = ctx.app.config.officeTimeZone;
  const { from, to } = step(doc);
  const arrivalDate = officeDate(now, zone);
  const at = now.toISOString();
  // As the entity's onUpdate writes it: the machine's time, not the office clock.
  const updatedAt = new Date();
  const rows = await ctx.em
    .execute<Array<{ id: string; last_number: number }>>(
      `with cur as (select id from document where id = ? and state = ? for update),
     reg as (${counterSql('cur')} returning id, last_number),
     doc as (update document set state = ?, arrival_date = ?, registered_at = ?::timestamptz, updated_at = ?::timestamptz,
                    register_id = reg.id, arrival_number = reg.last_number
             from reg where document.id = ? returning document.id),
     ${numberingEventSql(`'Số đến ' || reg.last_number`)}
     select reg.id, reg.last_number from reg, doc`,
      [
        doc.id,
        from,
        randomUUID(),
        doc.keepingUnit.id,
        Direction.INCOMING,
        officeYear(now, zone),
        to,
        arrivalDate,
        at,
        updatedAt.toISOString(),
        doc.id,
        RoutingEventKind.REGISTERED,
        ctx.viewer?.accountId ?? null,
        from,
        to,
        at,
      ],
    )
    .catch((e: unknown) => {
      doc.state = from;
      throw e;
    });
  if (rows.length !== 1) {
    // Changed since it was read: the transaction path locks it and applies the step to what it is now.
    doc.state = from;
    return false;
  }
  doc.register = ctx.em.getReference(Register, rows[0].id);
  doc.arrivalNumber = rows[0].last_number;
  doc.arrivalDate = arrivalDate;
  doc.registeredAt = now;
  doc.updatedAt = updatedAt;
  // The statement wrote these: the unit of work takes the entity's present values as its persisted state.
  ctx.em.getUnitOfWork().merge(doc);
  return true;
}
