import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { IncomingDocument, Register, type OutgoingDocument } from '../../entities';
import type { Context } from '../context';
import { Direction, type RoutingEventKind } from '../domain/documents/document-enums';
import { formatNumber } from '../domain/outgoing/symbol';
import { reportStatusIfDue } from '../exchange/outbox';
import type { EventState } from './history';
import type { Tx } from '../transaction';

/**
 * Takes the next number of a register inside the caller's transaction. The register's counter row
 * stays locked until that transaction ends: concurrent registrations queue on it, and a transaction
 * that fails half-way gives its number back by rolling back. No sequence is used, since a sequence
 * keeps the numbers of failed transactions and leaves gaps.
 *
 * Everything the caller writes after this call is written while the counter row is locked; a path
 * that can write its other work first takes the number with `numberLast` instead.
 */
export async function takeNumber(
  em: EntityManager,
  keepingUnitId: string,
  direction: Direction,
  year: number,
): Promise<{ registerId: string; number: number }> {
  const rows: Array<{ id: string; last_number: number }> = await em.execute(`${COUNTER} returning id, last_number`, [
    randomUUID(),
    keepingUnitId,
    direction,
    year,
  ]);
  return { registerId: rows[0].id, number: rows[0].last_number };
}

/**
 * The register's counter, taken in one statement: the register of the year is created at 1 by the
 * first number, and later numbers increment it. Both forms lock the row until the transaction ends.
 * One number is taken per row of `source` (a statement may make it conditional on a row it locked).
 * Parameters: the new register's id, keeping unit (unless `keepingUnit` names a column of `source`),
 * direction, year.
 */
export const counterSql = (
  source = '(values (1)) as one',
  keepingUnit = '?',
) => `insert into register (id, keeping_unit_id, direction, year, last_number, created_at)
  select ?, ${keepingUnit}, ?, ?, 1, now() from ${source}
  on conflict (keeping_unit_id, direction, year) do update set last_number = register.last_number + 1`;
const COUNTER = counterSql();

/**
 * The numbering statement's routing event (CTEs `doc` and `reg` before it): the event the number is
 * recorded with, its `note` an SQL expression that may name `reg.last_number`. Parameters: type,
 * actor, from, to, the note's own, at.
 */
export const numberingEventSql = (note: string) => `ev as (insert into routing_event (document_id, type, actor_id, from_state, to_state, note, at)
            select doc.id, ?, ?, ?, ?, ${note}, ?::timestamptz from doc, reg)`;

/** The number as it is written on an outgoing document: a leading zero below 10 (formatNumber in src/domain/outgoing/symbol.ts). */
const WRITTEN = `(case when reg.last_number < 10 then '0' || reg.last_number else reg.last_number::text end)`;

/** The routing event that records the numbering; its note holds the number, so it is written by the numbering statement. */
export interface NumberingEvent {
  type: RoutingEventKind;
  from: EventState | null;
  to: EventState | null;
  /** The whole note, when the caller gives one; otherwise `notePrefix` + the number + `noteSuffix`. */
  note?: string | null;
  notePrefix?: string;
  noteSuffix?: string;
}

/**
 * Gives a document the next number of its register as the LAST statement of the caller's
 * transaction, so that the counter row is locked from this statement until COMMIT and never across
 * the transaction's other round trips: the caller's pending changes are flushed first, then one
 * statement increments the counter, writes the number into the document (`arrival_number` for an
 * incoming document; `issue_number` and the written `number` for an outgoing one) and inserts the
 * routing event that carries it. The document entity is updated to match, with nothing left for the
 * unit of work to write. The caller must not write anything after it (the ORM's commit-time flush
 * finds nothing to do). Gapless as before: a failure rolls back the number with everything else.
 */
export async function numberLast(
  tx: Tx<Pick<Context, 'viewer' | 'app' | 'em'>>,
  doc: IncomingDocument | OutgoingDocument,
  year: number,
  event: NumberingEvent,
): Promise<number> {
  const { em } = tx;
  // As recordEvent does: a document received from a peer reports its new status back (03 carries no note); the sender is woken after the commit.
  if (doc instanceof IncomingDocument && reportStatusIfDue(em, doc, event.to, event.note ?? null)) tx.afterCommit(() => tx.app.exchange?.wake());
  await em.flush();
  const incoming = doc instanceof IncomingDocument;
  const number = incoming ? 'arrival_number = reg.last_number' : `issue_number = reg.last_number, number = ${WRITTEN}`;
  const note = event.note != null ? '?' : `? || ${incoming ? 'reg.last_number::text' : WRITTEN} || ?`;
  const noteParams = event.note != null ? [event.note] : [event.notePrefix ?? '', event.noteSuffix ?? ''];
  const rows: Array<{ id: string; last_number: number }> = await em.execute(
    `with reg as (${COUNTER} returning id, last_number),
     doc as (update document set register_id = reg.id, ${number} from reg where document.id = ? returning document.id),
     ${numberingEventSql(note)}
     select reg.id, reg.last_number from reg, doc`,
    [
      randomUUID(),
      doc.keepingUnit.id,
      doc.direction,
      year,
      doc.id,
      event.type,
      tx.viewer?.accountId ?? null,
      event.from,
      event.to,
      ...noteParams,
      tx.app.clock.now().toISOString(),
    ],
  );
  if (rows.length !== 1) throw new Error(`The document ${doc.id} to number was not found.`);
  const [{ id, last_number }] = rows;
  doc.register = em.getReference(Register, id);
  if (doc instanceof IncomingDocument) doc.arrivalNumber = last_number;
  else {
    doc.issueNumber = last_number;
    doc.number = formatNumber(last_number);
  }
  // The statement wrote these: the unit of work takes the entity's present values as its persisted state.
  em.getUnitOfWork().merge(doc);
  return last_number;
}
