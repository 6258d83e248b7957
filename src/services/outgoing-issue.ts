import { Account, DocumentAttachment, DocumentType, IncomingDocument, OutgoingDocument, OutgoingRecipient, StoredFile, Unit } from '../../entities';
import { DeliveryState } from '../../entities/OutgoingRecipient';
import type { Context } from '../context';
import type { TxContext } from '../transaction';
import { ArrivalChannel, Direction, RoutingEventKind } from '../domain/documents/document-enums';
import { documentIdOf } from '../domain/exchange/edxml';
import { IncomingState } from '../domain/incoming/routing';
import { deliversAsCopy, interconnectionProblem, outsideRecipientProblem } from '../domain/outgoing/interconnection';
import { OutgoingState, issueStep } from '../domain/outgoing/workflow';
import { AppError, ErrorCode, badInput } from '../errors';
import { keyOf } from '../graphql/global-id';
import { agencyIdOf, organIdOf, organIdOrNull } from './agencies';
import { queuePackage } from '../exchange/outbox';
import { recordEvent } from './history';
import { checkIssuedDate } from './outgoing-number';
import { requireIssuableSignatures } from './signature-check';

/**
 * The steps of issuing a signed document (Điều 9.2), in the order issueDocument takes them: what is
 * checked before the transaction, the recipients checked again inside it, the stamp of issue, and the
 * delivery to each recipient.
 */

export const notSigned = (state: OutgoingState) =>
  new AppError(ErrorCode.NOT_SIGNED, 'Only a document signed on the system can be issued (Điều 9.2). Ask the director to sign it first.', { state });

/** What issuing needs besides the document: the signed scan the clerk uploaded and the date of issue. */
export interface IssueInput {
  signedFileId: string;
  issuedDate?: string | null;
}

/** Before the transaction: the document can be issued, the clerk uploaded the signed scan and its signatures hold, the date is right. */
export async function checkIssuable(ctx: Context, target: OutgoingDocument, input: IssueInput): Promise<{ signedFile: StoredFile; issuedDate: string }> {
  if (!issueStep(target.state)) {
    const done = [OutgoingState.ISSUED, OutgoingState.RECALLED, OutgoingState.ANNULLED].includes(target.state);
    const details = { from: target.state, to: OutgoingState.ISSUED, step: 'issue' };
    throw done ? new AppError(ErrorCode.INVALID_TRANSITION, `The document is already ${target.state}.`, details) : notSigned(target.state);
  }
  const signedFile = await ctx.em.findOne(StoredFile, { id: keyOf('StoredFile', input.signedFileId, 'input.signedFileId'), uploadedBy: ctx.viewer!.accountId });
  if (!signedFile)
    throw new AppError(ErrorCode.NOT_FOUND, 'input.signedFileId was not found among your uploads. Upload the signed scan with POST /files first.', {
      field: 'input.signedFileId',
    });
  await requireIssuableSignatures(ctx.em, ctx.app, signedFile);
  // A document numbered beforehand (takeOutgoingNumber) keeps its number and date; otherwise they are taken now.
  const issuedDate = target.state === OutgoingState.NUMBERED ? target.issuedDate! : checkIssuedDate(ctx, input.issuedDate);
  if (input.issuedDate && input.issuedDate !== issuedDate) {
    throw badInput(`The document was numbered on ${issuedDate}: that stays its date of issue.`, 'input.issuedDate');
  }
  return { signedFile, issuedDate };
}

/** The keeping unit, the document type and the recipients of a locked document, as issuing and delivering use them. */
export interface IssueFacts {
  keepingUnit: Unit;
  type: DocumentType;
  recipients: OutgoingRecipient[];
  /** The issuing agency's identifier for the exchange's DocumentId; null for an agency that sends only inside the deployment. */
  organId: string | null;
}

/** Loads the recipients and checks the interconnection rule again: the tree may have changed since the draft. */
export async function checkedRecipients(tx: TxContext, doc: OutgoingDocument): Promise<IssueFacts> {
  const { em } = tx;
  const keepingUnit = await em.findOneOrFail(Unit, { id: doc.keepingUnit.id });
  const type = await em.findOneOrFail(DocumentType, { code: doc.documentType.code });
  const recipients = await em.find(OutgoingRecipient, { document: doc.id }, { populate: ['unit', 'correspondent'], orderBy: { ordinal: 'asc' } });
  const from = { id: keepingUnit.id, kind: keepingUnit.kind, parentId: keepingUnit.parent?.id ?? null };
  for (const r of recipients) {
    if (!r.unit) {
      const outside = outsideRecipientProblem(from);
      if (outside) throw new AppError(ErrorCode.INTERCONNECTION_NOT_ALLOWED, `${r.correspondent?.name ?? ''}: ${outside}`);
      continue;
    }
    const problem = interconnectionProblem(from, { id: r.unit.id, kind: r.unit.kind, parentId: r.unit.parent?.id ?? null });
    if (problem) throw new AppError(ErrorCode.INTERCONNECTION_NOT_ALLOWED, `${r.unit.name}: ${problem}`);
  }
  // The DocumentId carries the issuing agency's identifier; an agency without one sends only inside the deployment.
  // Looked up before the number is taken, so that the counter row is not locked across these round trips.
  const organId = recipients.some((r) => r.correspondent?.isExchangePeer())
    ? await organIdOf(em, tx.app.config, await agencyIdOf(em, keepingUnit.id))
    : await organIdOrNull(em, tx.app.config, await agencyIdOf(em, keepingUnit.id));
  return { keepingUnit, type, recipients, organId };
}

/** Stamps the issue on the document: who and when, the signed scan, and the exchange's DocumentId. */
export function stampIssue(tx: TxContext, doc: OutgoingDocument, facts: IssueFacts, signedFile: StoredFile, now: Date): void {
  const { em } = tx;
  doc.issuedAt = now;
  doc.issuedBy = em.getReference(Account, tx.viewer!.accountId);
  em.create(DocumentAttachment, { document: doc, file: signedFile, ordinal: 1 });
  doc.exchangeDocumentId = facts.organId ? documentIdOf(facts.organId, doc) : null;
}

/**
 * Delivers an issued document to each recipient, in this transaction: peers of the exchange get the
 * package through the outbox (the sender is woken once it is committed); other outside recipients wait
 * for the clerk to send the .edxml file by other means; each subordinate unit's clerk receives a copy.
 */
export function deliverIssued(tx: TxContext, doc: OutgoingDocument, facts: IssueFacts, signedFile: StoredFile, issuedDate: string, now: Date): void {
  let toPeers = false;
  for (const r of facts.recipients) {
    if (r.correspondent) {
      if (r.correspondent.isExchangePeer()) {
        toPeers = true;
        r.deliveryState = DeliveryState.QUEUED;
        queuePackage(tx.em, doc, r, r.correspondent);
      } else r.deliveryState = DeliveryState.AWAITING_EXCHANGE;
      continue;
    }
    if (!deliversAsCopy(r.unit!)) {
      // One of the unit's own departments: its people read the issued document itself (internal notice).
      r.deliveryState = DeliveryState.DELIVERED;
      continue;
    }
    r.incomingCopy = receivedCopy(tx, doc, r.unit!, facts, signedFile, issuedDate, now);
    r.deliveryState = DeliveryState.DELIVERED;
  }
  if (toPeers) tx.afterCommit(() => tx.app.exchange?.wake());
}

/** The copy a recipient unit's clerk receives of an issued document: RECEIVED, with the signed scan. */
function receivedCopy(tx: TxContext, doc: OutgoingDocument, unit: Unit, facts: IssueFacts, signedFile: StoredFile, issuedDate: string, now: Date) {
  const { em } = tx;
  const { keepingUnit } = facts;
  const copy = em.create(IncomingDocument, {
    direction: Direction.INCOMING,
    documentType: facts.type,
    number: doc.number,
    symbol: doc.symbol,
    issuedDate,
    issuer: keepingUnit.name,
    subject: doc.subject,
    pageCount: doc.pageCount,
    note: null,
    signerName: doc.signerName,
    signerPosition: doc.signerPosition,
    urgency: doc.urgency,
    dueDate: doc.dueDate,
    keepingUnit: unit,
    state: IncomingState.RECEIVED,
    createdBy: tx.viewer!.accountId,
    arrivalChannel: ArrivalChannel.INTERNAL,
    senderUnit: keepingUnit,
    origin: doc,
    receivedAt: now,
    createdAt: now,
  });
  em.create(DocumentAttachment, { document: copy, file: signedFile, ordinal: 1 });
  recordEvent(tx, copy, RoutingEventKind.RECEIVED, null, IncomingState.RECEIVED, `Từ ${keepingUnit.name}: ${doc.number}/${doc.symbol}`);
  return copy;
}
