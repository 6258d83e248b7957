import type { EntityManager } from '@mikro-orm/postgresql';
import { ExchangeMessage, ExchangeMessageKind } from '../../entities/ExchangeMessage';
import { ExchangeStatus } from '../../entities/ExchangeStatus';
import type { Correspondent, IncomingDocument, OutgoingDocument, OutgoingRecipient } from '../../entities';
import { BusinessDocType } from '../domain/exchange/edxml';
import { OutboxState } from '../domain/exchange/delivery';
import { exchangeStatusCode } from '../domain/outgoing/interconnection';

/**
 * Writes messages to the exchange outbox in the caller's transaction: a message exists exactly when
 * the change that caused it committed. The sender (sender.ts) delivers them.
 */

/** `exchangeStatusSent` of a document received from a peer before any status went back. */
export const NOTHING_REPORTED_YET = '00';

/** An issued document's package to one peer recipient. */
export function queuePackage(em: EntityManager, doc: OutgoingDocument, recipient: OutgoingRecipient, peer: Correspondent): ExchangeMessage {
  return em.create(ExchangeMessage, {
    kind: ExchangeMessageKind.PACKAGE,
    correspondent: peer,
    document: doc,
    recipient,
    businessDocType: BusinessDocType.NEW,
    exchangeDocumentId: doc.exchangeDocumentId!,
    state: OutboxState.QUEUED,
  });
}

/** A recall (BussinessDocType 1) of an issued document to one peer recipient; the sender shows 13 until the answer. */
export function queueRecall(
  em: EntityManager,
  doc: OutgoingDocument,
  recipient: OutgoingRecipient,
  peer: Correspondent,
  reason: string,
  at: Date,
): ExchangeMessage {
  em.create(ExchangeStatus, { recipient, code: '13', description: reason, at, sequence: 0 });
  return em.create(ExchangeMessage, {
    kind: ExchangeMessageKind.PACKAGE,
    correspondent: peer,
    document: doc,
    recipient,
    businessDocType: BusinessDocType.RECALL,
    reason,
    exchangeDocumentId: doc.exchangeDocumentId!,
    state: OutboxState.QUEUED,
  });
}

/** A status about a DocumentId this system does not hold (16: a recall of a document that never arrived). */
export function queueStatusAbout(em: EntityManager, peer: Correspondent, exchangeDocumentId: string, code: string, description: string): ExchangeMessage {
  return em.create(ExchangeMessage, {
    kind: ExchangeMessageKind.STATUS,
    correspondent: peer,
    document: null,
    exchangeDocumentId,
    statusCode: code,
    reason: description.slice(0, 1000),
    state: OutboxState.QUEUED,
  });
}

/**
 * Called with every routing event: when a document received from a peer reaches a state with a new
 * exchange status code (01 arrived, 02 refused, 03 registered, 04 assigned, 05 in progress,
 * 06 completed, 15 recalled), the status goes back to the sender. The same code is never sent twice.
 */
export function reportStatusIfDue(em: EntityManager, doc: IncomingDocument, toState: string | null, note: string | null): ExchangeMessage | null {
  if (!toState || !doc.exchangeStatusSent || !doc.exchangeDocumentId || !doc.senderCorrespondent) return null;
  // An annulled registration is this office's own bookkeeping: the national status codes have no word for it.
  if (toState === 'ANNULLED') return null;
  const code = exchangeStatusCode(toState);
  if (code === doc.exchangeStatusSent) return null;
  doc.exchangeStatusSent = code;
  return em.create(ExchangeMessage, {
    kind: ExchangeMessageKind.STATUS,
    correspondent: doc.senderCorrespondent,
    document: doc,
    exchangeDocumentId: doc.exchangeDocumentId,
    statusCode: code,
    reason: code === '02' || code === '15' ? (note?.slice(0, 1000) ?? null) : null,
    state: OutboxState.QUEUED,
  });
}
