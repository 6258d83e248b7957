import { LockMode } from '@mikro-orm/core';
import { IncomingDocument, OutgoingRecipient, type OutgoingDocument } from '../../entities';
import { DeliveryState } from '../../entities/OutgoingRecipient';
import type { TxContext } from '../transaction';
import { RoutingEventKind } from '../domain/documents/document-enums';
import { documentTransition } from '../domain/incoming/routing';
import { queueRecall } from '../exchange/outbox';
import { recallUnitCopies } from './centre-routing';
import { recordEvent } from './history';
import { step } from './outgoing-steps';

/** The recall of an issued document, inside the caller's transaction (the recall path, also taken by an annulment): RECALLED. */
export function recallIssued(ctx: TxContext, doc: OutgoingDocument, r: string): void {
  const { from, to } = step(doc, 'recall');
  doc.recalledAt = ctx.app.clock.now();
  doc.recallReason = r;
  recordEvent(ctx, doc, RoutingEventKind.RECALLED, from, to, r);
}

/** Withdraws the copies recipients received of a recalled document, inside the caller's transaction. */
export async function withdrawCopies(ctx: TxContext, doc: OutgoingDocument, r: string): Promise<void> {
  const { em } = ctx;
  const now = ctx.app.clock.now();
  // Peers get a recall (BussinessDocType 1) through the outbox, in order after the package: those that
  // were sent it, and those sent an .edxml file by hand that the exchange can reach now (a copy they
  // never received answers 16). Others are sent the recall's .edxml file by hand.
  const outside = await em.find(
    OutgoingRecipient,
    { document: doc.id, correspondent: { $ne: null }, deliveryState: { $ne: DeliveryState.REFUSED } },
    { populate: ['correspondent'], orderBy: { ordinal: 'asc' } },
  );
  const sentToPeers = outside.filter((x) => x.deliveryState !== DeliveryState.AWAITING_EXCHANGE || x.correspondent!.isExchangePeer());
  for (const rec of sentToPeers) queueRecall(em, doc, rec, rec.correspondent!, r, now);
  if (sentToPeers.length) ctx.afterCommit(() => ctx.app.exchange?.wake());
  const recipients = await em.find(OutgoingRecipient, { document: doc.id, incomingCopy: { $ne: null } }, { orderBy: { ordinal: 'asc' } });
  for (const rec of recipients) {
    const copy = await em.findOneOrFail(IncomingDocument, { id: rec.incomingCopy!.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const next = documentTransition(copy.state, 'recall');
    if (!next) continue;
    const before = copy.state;
    copy.state = next;
    copy.recalledAt = now;
    recordEvent(ctx, copy, RoutingEventKind.RECALLED, before, next, r);
    await recallUnitCopies(ctx, copy, r);
  }
}
