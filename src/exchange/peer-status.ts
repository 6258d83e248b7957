/**
 * What a peer tells about documents already exchanged: a sender's recall of a copy received here, and
 * a recipient's status for a document sent from here (TT 10/2016 codes).
 */
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Correspondent, IncomingDocument, OutgoingDocument, OutgoingRecipient, Unit } from '../../entities';
import { ExchangeStatus } from '../../entities/ExchangeStatus';
import type { AppServices } from '../context';
import { Direction, RoutingEventKind } from '../domain/documents/document-enums';
import { parseDocumentId, type DocumentPackage, type StatusMessage } from '../domain/exchange/edxml';
import { DOCUMENT_WORKFLOW } from '../domain/incoming/routing';
import { ErrorCode } from '../errors';
import { withTransaction } from '../transaction';
import { recallUnitCopies } from '../services/centre-routing';
import { recordEvent } from '../services/history';
import { NOTHING_REPORTED_YET, queueStatusAbout } from './outbox';
import { agencyByOrganId, unitsOfAgency } from '../services/agencies';
import { checkedText, refuse } from './refusal';

/** What a message did, for the peer's acknowledgement. */
export interface Acceptance {
  status: 'ACCEPTED' | 'DUPLICATE';
  documentId: string;
  /** The incoming document created or found (for a package by hand). */
  incomingId?: string;
}

/** A sender recalls what it sent (BussinessDocType 1): the copy moves to RECALLED and 15 goes back; 16 when there is nothing to recall. */
export async function acceptRecall(app: AppServices, em: EntityManager, peer: Correspondent, p: DocumentPackage<unknown>, agency: Unit): Promise<Acceptance> {
  const reason = checkedText(p.businessDocReason ?? '', 'BussinessDocReason');
  return withTransaction({ app, em, viewer: undefined }, async (tx) => {
    const { em } = tx;
    const copy = await em.findOne(
      IncomingDocument,
      { direction: Direction.INCOMING, keepingUnit: agency.id, exchangeDocumentId: p.documentId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!copy || copy.senderCorrespondent?.id !== peer.id) {
      queueStatusAbout(em, peer, p.documentId, '16', 'Không thể thu hồi: văn bản chưa được tiếp nhận tại cơ quan nhận.');
      tx.afterCommit(() => app.exchange?.wake());
      return { status: 'ACCEPTED' as const, documentId: p.documentId };
    }
    const next = DOCUMENT_WORKFLOW.next(copy.state, 'recall');
    if (!next) return { status: 'DUPLICATE' as const, documentId: p.documentId, incomingId: copy.id };
    const before = copy.state;
    copy.state = next;
    copy.recalledAt = app.clock.now();
    // A copy received by hand from a peer answers the recall too.
    copy.exchangeStatusSent ??= peer.isExchangePeer() ? NOTHING_REPORTED_YET : null;
    const note = `Thu hồi theo yêu cầu của ${p.from.organName}: ${reason}`;
    recordEvent(tx, copy, RoutingEventKind.RECALLED, before, next, note);
    await recallUnitCopies(tx, copy, note);
    return { status: 'ACCEPTED' as const, documentId: p.documentId, incomingId: copy.id };
  });
}

const STATUS_LABELS: Record<string, string> = {
  '01': 'đã đến',
  '02': 'từ chối tiếp nhận',
  '03': 'đã tiếp nhận',
  '04': 'đã phân công',
  '05': 'đang xử lý',
  '06': 'hoàn thành',
  '13': 'yêu cầu thu hồi',
  '15': 'đồng ý thu hồi',
  '16': 'từ chối thu hồi',
};

/** A recipient's status for a document this system sent: kept per recipient, shown live as a routing event. */
export async function acceptStatus(app: AppServices, em: EntityManager, signedFor: Correspondent[], s: StatusMessage): Promise<Acceptance> {
  // The DocumentId names the agency that sent the document: the status goes to it, from its own correspondent.
  const id = parseDocumentId(s.responseFor);
  const sender = id ? await agencyByOrganId(em, app.config, id.organId) : null;
  const peer = sender ? signedFor.find((c) => c.agency.id === sender.unit.id) : undefined;
  if (!sender || !peer) throw refuse(422, ErrorCode.NOT_FOUND, 'The status is about a document this agency did not send.');
  return withTransaction({ app, em, viewer: undefined }, async (tx) => {
    const { em } = tx;
    const doc = await em.findOne(OutgoingDocument, {
      direction: Direction.OUTGOING,
      exchangeDocumentId: s.responseFor,
      keepingUnit: { $in: await unitsOfAgency(em, sender.unit.id) },
    });
    const recipient = doc ? await em.findOne(OutgoingRecipient, { document: doc.id, correspondent: peer.id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
    if (!doc || !recipient) throw refuse(422, ErrorCode.NOT_FOUND, 'The status is about a document this agency did not send to you.');
    // A repeated or late status is taken once: by its sequence, or (from a peer that numbers none) by code and time.
    const seen =
      s.sequence > 0
        ? await em.count(ExchangeStatus, { recipient: recipient.id, sequence: { $gte: s.sequence } })
        : await em.count(ExchangeStatus, { recipient: recipient.id, code: s.statusCode, at: new Date(s.timestamp) });
    if (seen) return { status: 'DUPLICATE' as const, documentId: s.responseFor };
    em.create(ExchangeStatus, { recipient, code: s.statusCode, description: s.description, at: new Date(s.timestamp), sequence: s.sequence });
    const label = `${s.statusCode} ${STATUS_LABELS[s.statusCode] ?? ''}`.trim();
    recordEvent(tx, doc, RoutingEventKind.EXCHANGE_STATUS, doc.state, doc.state, `${peer.name}: ${label}${s.description ? ` — ${s.description}` : ''}`);
    return { status: 'ACCEPTED' as const, documentId: s.responseFor };
  });
}

// ---------------------------------------------------------------------------------------------
// The outbox, for those who keep the exchange running.
