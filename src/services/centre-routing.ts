import { LockMode } from '@mikro-orm/core';
import { Assignment, DocumentAttachment, IncomingDocument, Unit } from '../../entities';
import type { Context } from '../context';
import type { Tx, TxContext } from '../transaction';
import { ArrivalChannel, Direction, RoutingEventKind } from '../domain/documents/document-enums';
import { AssignmentRole, AssignmentState, DOCUMENT_WORKFLOW, IncomingState, deriveDocumentState } from '../domain/incoming/routing';
import { assignmentStateFromCopy, routesThroughCopy } from '../domain/incoming/unit-routing';
import { recordEvent } from './history';

/**
 * Routing to a subordinate unit (Điều 7.1). When the agency's director names a subordinate unit in a
 * direction, the unit's clerk receives a copy of the document in the unit's own queue (RECEIVED, to be
 * numbered in the unit's own register), with the same files; the unit's director then routes it inside
 * the unit. The agency's assignment follows the copy: started, completed, or returned when the unit's
 * clerk refuses it. Everything happens in the caller's transaction, each change with its routing event.
 */

/** Creates the copies for the assignments of a direction that name subordinate units; in the direction's transaction. */
export async function sendUnitCopies(ctx: TxContext, doc: IncomingDocument, created: Assignment[]): Promise<void> {
  const { em } = ctx;
  const toUnits = created.filter((a) => a.assigneeUnit && routesThroughCopy(a.assigneeUnit));
  if (!toUnits.length) return;
  const keepingUnit = await em.findOneOrFail(Unit, { id: doc.keepingUnit.id });
  const attachments = await em.find(DocumentAttachment, { document: doc.id }, { orderBy: { ordinal: 'asc' } });
  const now = ctx.app.clock.now();
  for (const a of toUnits) {
    const forInformation = a.role === AssignmentRole.INFORM;
    const copy = em.create(IncomingDocument, {
      direction: Direction.INCOMING,
      documentType: doc.documentType,
      number: doc.number,
      symbol: doc.symbol,
      issuedDate: doc.issuedDate,
      issuer: doc.issuer,
      subject: doc.subject,
      pageCount: doc.pageCount,
      note: a.instruction ? `${keepingUnit.shortName} chuyển${forInformation ? ' để biết' : ''}: ${a.instruction}` : null,
      signerName: doc.signerName,
      signerPosition: doc.signerPosition,
      urgency: doc.urgency,
      dueDate: a.deadline ?? doc.dueDate ?? null,
      keepingUnit: a.assigneeUnit!,
      state: IncomingState.RECEIVED,
      createdBy: ctx.viewer!.accountId,
      arrivalChannel: ArrivalChannel.INTERNAL,
      senderUnit: keepingUnit,
      receivedAt: now,
      createdAt: now,
    });
    for (const att of attachments) em.create(DocumentAttachment, { document: copy, file: att.file, ordinal: att.ordinal });
    a.unitCopy = copy;
    const from = [doc.number, doc.symbol].filter(Boolean).join('/');
    const note = `Từ ${keepingUnit.name}${from ? `: ${from}` : ''} — chuyển theo chỉ đạo`;
    recordEvent(ctx, copy, RoutingEventKind.RECEIVED, null, IncomingState.RECEIVED, note);
  }
  await em.flush();
}

/**
 * After a subordinate unit's copy moved (in the same transaction): the agency's assignment to the unit
 * follows it, and the agency's document is derived again, with a routing event on the agency's document.
 */
export async function followUnitCopy(ctx: TxContext, copy: IncomingDocument, note: string | null): Promise<void> {
  const { em } = ctx;
  const peek = await em.findOne(Assignment, { unitCopy: copy.id });
  if (!peek) return;
  const original = await em.findOneOrFail(IncomingDocument, { id: peek.document.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const a = await em.findOneOrFail(Assignment, { id: peek.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (original.state === IncomingState.RECALLED) return;
  const next = assignmentStateFromCopy(copy.state, a.state);
  if (!next) return;
  const now = ctx.app.clock.now();
  a.state = next;
  let type = RoutingEventKind.STARTED;
  if (next === AssignmentState.IN_PROGRESS) a.startedAt ??= now;
  if (next === AssignmentState.COMPLETED) {
    type = RoutingEventKind.COMPLETED;
    a.startedAt ??= now;
    a.completedAt = now;
    a.result = note;
  }
  if (next === AssignmentState.RETURNED) {
    type = RoutingEventKind.RETURNED;
    a.active = false;
    a.returnReason = note;
  }
  await em.flush();
  const from = original.state;
  const all = await em.find(Assignment, { document: original.id });
  original.state = deriveDocumentState(all.map((x) => ({ role: x.role, state: x.state, topLevel: !x.parent })));
  const unit = await em.findOneOrFail(Unit, { id: copy.keepingUnit.id });
  recordEvent(ctx, original, type, from, original.state, `${unit.shortName}${note ? `: ${note}` : ''}`, a);
}

/**
 * When the agency's document is recalled by its sender (over the exchange, or from a unit of this
 * deployment): the copies its direction sent to subordinate units are recalled with it, in the same
 * transaction, each with its RECALLED event — a centre does not go on working a document its sender
 * withdrew. A copy already recalled stays as it is; copies the copies sent on are followed too.
 */
export async function recallUnitCopies(tx: Tx<Pick<Context, 'viewer' | 'app' | 'em'>>, doc: IncomingDocument, note: string): Promise<number> {
  const { em } = tx;
  let recalled = 0;
  const withCopies = await em.find(Assignment, { document: doc.id, unitCopy: { $ne: null } }, { orderBy: { id: 'asc' } });
  for (const a of withCopies) {
    const copy = await em.findOneOrFail(IncomingDocument, { id: a.unitCopy!.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    const next = DOCUMENT_WORKFLOW.next(copy.state, 'recall');
    if (!next) continue;
    const before = copy.state;
    copy.state = next;
    copy.recalledAt = tx.app.clock.now();
    recordEvent(tx, copy, RoutingEventKind.RECALLED, before, next, note);
    recalled += 1 + (await recallUnitCopies(tx, copy, note));
  }
  return recalled;
}
