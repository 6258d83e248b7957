import { randomUUID } from 'node:crypto';
import { ReferenceKind } from '@mikro-orm/core';
import type { EntityManager, QBFilterQuery } from '@mikro-orm/postgresql';
import { IncomingDocument, Register } from '../../entities';
import type { Context } from '../context';
import { Direction, RoutingEventKind } from '../domain/documents/document-enums';
import { DOCUMENT_WORKFLOW, IncomingState } from '../domain/incoming/routing';
import { officeDate, officeYear } from '../domain/time/office-time';
import { rendered, runRead } from '../read/run';
import { allOf, allowed } from '../repositories/where';
import { counterSql, numberingEventSql } from './registers';

/** The only state a document is registered from, and the state it takes. */
const FROM = IncomingState.RECEIVED;
const TO = DOCUMENT_WORKFLOW.step(FROM, 'register');

let columns: string | undefined;
/** The columns an incoming document is loaded from, as the ORM loads it: every persisted property but the lazy ones. */
function entityColumns(em: EntityManager): string {
  if (columns === undefined) {
    const kinds: string[] = [ReferenceKind.SCALAR, ReferenceKind.MANY_TO_ONE, ReferenceKind.ONE_TO_ONE];
    columns = em
      .getMetadata()
      .get(IncomingDocument.name)
      .props.filter((p) => kinds.includes(p.kind) && (p.kind !== ReferenceKind.ONE_TO_ONE || p.owner) && !p.lazy && p.persist !== false && !p.formula)
      .flatMap((p) => p.fieldNames)
      .map((c) => `document."${c}"`)
      .join(', ');
  }
  return columns;
}

/**
 * Whether the viewer's `register` rules name no property of a document but its keeping unit. The
 * service checks `register` on `{ keepingUnit }` alone, so only then does the same rule as a filter on
 * the document's row allow exactly the same documents.
 */
function registerRulesOnKeepingUnit(ctx: Context): boolean {
  return ctx.ability.rulesFor('register', 'IncomingDocument').every((r) => !r.conditions || Object.keys(r.conditions).every((k) => k === 'keepingUnit'));
}

/**
 * The whole registration of the document with this key in ONE statement and one round trip, when
 * everything the usual path checks holds: the viewer may read it and register it, it is RECEIVED, and
 * it is not a copy received from a peer of the national exchange (whose status report is written
 * with its registration). The statement locks the document only if so, takes the next number of its
 * register (the counter row locked from here to the commit, as with `registerAtOnce`), writes the
 * state, date and number on the document, inserts the REGISTERED event that carries the number, and
 * returns the document's row, which becomes the managed entity. No entity is loaded first and no
 * filter is rendered again (the permission filter's rendering is kept by its value).
 *
 * Returns null, having changed nothing, when any of it does not hold: the caller then takes the usual
 * path, which gives the same answer or the same coded error as before (NOT_FOUND, FORBIDDEN, the
 * illegal step), or registers through a transaction.
 */
export async function registerInOne(ctx: Context, key: string): Promise<IncomingDocument | null> {
  if (!ctx.viewer || !registerRulesOnKeepingUnit(ctx)) return null;
  const permitted = allOf<IncomingDocument>(allowed(ctx, 'read', 'IncomingDocument'), allowed(ctx, 'register', 'IncomingDocument'));
  const ids = rendered(['register-in-one', permitted], () => {
    const qb = ctx.em.createQueryBuilder(IncomingDocument);
    qb.select('id').where(permitted as QBFilterQuery<IncomingDocument>);
    const q = qb.toQuery()._sql;
    return { sql: q.sql, params: [...(q.bindings ?? [])] };
  });
  const now = ctx.app.clock.now();
  const zone = ctx.app.config.officeTimeZone;
  const at = now.toISOString();
  const rows = await runRead<Record<string, unknown>>(
    ctx.em,
    `with cur as (select d.id, d.keeping_unit_id from document as d
                   where d.id = ? and d.state = ? and d.id in (${ids.sql})
                     and not coalesce(d.exchange_status_sent <> '' and d.exchange_document_id <> '' and d.sender_correspondent_id is not null, false)
                   for update of d),
     reg as (${counterSql('cur', 'cur.keeping_unit_id')} returning id, last_number),
     doc as (update document set state = ?, arrival_date = ?, registered_at = ?::timestamptz, updated_at = ?::timestamptz,
                    register_id = reg.id, arrival_number = reg.last_number
             from reg, cur where document.id = cur.id returning ${entityColumns(ctx.em)}),
     ${numberingEventSql(`'Số đến ' || reg.last_number`)}
     select * from doc`,
    [
      key,
      FROM,
      ...ids.params,
      randomUUID(),
      Direction.INCOMING,
      officeYear(now, zone),
      TO,
      officeDate(now, zone),
      at,
      // As the entity's onUpdate writes it: the machine's time, not the office clock.
      new Date().toISOString(),
      RoutingEventKind.REGISTERED,
      ctx.viewer.accountId,
      FROM,
      TO,
      at,
    ],
  );
  if (rows.length !== 1) return null;
  // The statement wrote the row: hydrated as a find hydrates it, the unit of work takes it as the entity's persisted state.
  const data = ctx.em.getDriver().mapResult(rows[0], ctx.em.getMetadata().get<IncomingDocument>(IncomingDocument.name));
  return ctx.em.getEntityFactory().create(IncomingDocument, data!, { merge: true, refresh: true, convertCustomTypes: true });
}

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
