import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Correspondent, DocumentAttachment, DocumentType, OutgoingDocument, OutgoingRecipient, Unit } from '../../entities';
import { ExchangeStatus } from '../../entities/ExchangeStatus';
import { ExchangeMessage } from '../../entities/ExchangeMessage';
import { DeliveryState } from '../../entities/OutgoingRecipient';
import { paginate, type Page } from '../graphql/pagination';
import type { AppServices, Context } from '../context';
import { withTransaction } from '../transaction';
import { Role } from '../domain/accounts/account-rules';
import { BusinessDocType, buildPackage, documentIdOf, sha256Hex } from '../domain/exchange/edxml';
import { OutboxState } from '../domain/exchange/delivery';
import { OutgoingState } from '../domain/outgoing/workflow';
import { AppError, ErrorCode } from '../errors';
import { keyOf } from '../graphql/global-id';
import { readStoredBytes } from '../services/file.service';
import { requireViewer } from '../services/guards';
import { findReadableOutgoing } from '../services/outgoing-access';
import { agencyIdOf, organIdOf, viewerAgencyId } from '../services/agencies';

/**
 * The document exchange between deployments (liên thông; QĐ 28/2018/QĐ-TTg, TT 10/2016/TT-BTTTT):
 * peers' credentials, the packages this system writes, and what it does with messages it receives
 * (over POST /exchange/messages from a peer, or as an .edxml file a clerk uploads).
 */

// ---------------------------------------------------------------------------------------------
// Peer secrets: kept encrypted with a key derived from this deployment's secret, never sent back.

function secretKey(app: Pick<AppServices, 'config'>): Buffer {
  return createHash('sha256').update(`vpdt exchange secrets\n${app.config.tokenSecret}`).digest();
}

export function sealSecret(app: Pick<AppServices, 'config'>, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secretKey(app), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** The peer's secret, or null when it cannot be read (the deployment's secret changed: set it again). */
export function openSecret(app: Pick<AppServices, 'config'>, sealed: string): string | null {
  try {
    const raw = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', secretKey(app), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing packages.

/** The DocumentId an issued document travels under. */
/**
 * The edXML package of an issued document: to the given peers (or to every outside recipient), with
 * the signed scan and any other attachment base64-encoded and hashed.
 */
export async function packageOf(
  em: EntityManager,
  app: Pick<AppServices, 'config' | 'clock'>,
  doc: OutgoingDocument,
  opts: { to?: Correspondent[]; businessDocType?: BusinessDocType; reason?: string | null } = {},
): Promise<string> {
  const keepingUnit = await em.findOneOrFail(Unit, { id: doc.keepingUnit.id });
  const organId = await organIdOf(em, app.config, await agencyIdOf(em, keepingUnit.id));
  const type = await em.findOneOrFail(DocumentType, { code: doc.documentType.code });
  const recipients = await em.find(OutgoingRecipient, { document: doc.id }, { populate: ['unit', 'correspondent'], orderBy: { ordinal: 'asc' } });
  const to = opts.to ?? recipients.filter((r) => r.correspondent?.organId).map((r) => r.correspondent!);
  const attachments = await em.find(DocumentAttachment, { document: doc.id }, { populate: ['file'], orderBy: { ordinal: 'asc' } });
  const replyTo = await em
    .getConnection()
    .execute<{ exchange_document_id: string }[]>(
      `select d.exchange_document_id from assignment a join document d on d.id = a.document_id where a.reply_document_id = ? and d.exchange_document_id is not null limit 1`,
      [doc.id],
    );
  return buildPackage({
    from: { organId, organName: keepingUnit.name },
    to: to.map((c) => ({ organId: c.organId ?? '', organName: c.name })),
    documentId: doc.exchangeDocumentId ?? documentIdOf(organId, doc),
    codeNumber: doc.number!,
    codeNotation: doc.symbol!,
    place: keepingUnit.name,
    promulgationDate: doc.issuedDate!,
    documentTypeCode: type.code,
    documentTypeName: type.name,
    subject: doc.subject,
    signer: { competence: doc.signatureAuthority ?? '', position: doc.signerPosition ?? '', fullName: doc.signerName ?? '' },
    dueDate: doc.dueDate ?? null,
    toPlaces: recipients.map((r) => (r.unit ? r.unit.name : r.correspondent!.name)),
    priority: doc.urgency,
    securityLevel: 0,
    pageAmount: doc.pageCount ?? null,
    responseFor: replyTo[0]?.exchange_document_id ?? null,
    steeringType: 0,
    businessDocType: opts.businessDocType ?? BusinessDocType.NEW,
    businessDocReason: opts.reason ?? null,
    timestamp: app.clock.now().toISOString(),
    attachments: attachments.map((a) => {
      const bytes = readStoredBytes(app.config.uploadDir, a.file.sha256);
      return { name: a.file.name, contentType: a.file.mimeType, bytes, sha256: sha256Hex(bytes) };
    }),
  });
}

/** `GET /exchange/documents/:id/edxml`: a clerk downloads an issued document as an .edxml file. */
export async function exportEdxml(ctx: Context, id: string, toCorrespondentId?: string | null): Promise<{ fileName: string; xml: string }> {
  const viewer = requireViewer(ctx);
  if (!viewer.roles.includes(Role.CLERK)) throw new AppError(ErrorCode.FORBIDDEN, 'Only a clerk (văn thư) downloads documents as .edxml files.');
  const doc = await findReadableOutgoing(ctx, id);
  // An annulled document that had been issued travels as its recall, like a recalled one.
  const withdrawn = doc.state === OutgoingState.RECALLED || (doc.state === OutgoingState.ANNULLED && Boolean(doc.recalledAt));
  if (doc.state !== OutgoingState.ISSUED && !withdrawn) {
    throw new AppError(ErrorCode.INVALID_TRANSITION, 'Only an issued (or recalled) document can be sent as an .edxml file.', { state: doc.state });
  }
  let to: Correspondent[] | undefined;
  if (toCorrespondentId) {
    const c = await ctx.em.findOne(Correspondent, { id: keyOf('Correspondent', toCorrespondentId, 'to'), agency: await viewerAgencyId(ctx) });
    if (!c) throw new AppError(ErrorCode.NOT_FOUND, 'No correspondent was found with this id (?to=).', { field: 'to' });
    to = [c];
  } else {
    const outside = await ctx.em.count(OutgoingRecipient, { document: doc.id, correspondent: { organId: { $ne: null } } });
    if (!outside)
      throw new AppError(
        ErrorCode.BAD_USER_INPUT,
        'This document has no outside recipient with an identifier (organId): say whom the file is for with ?to=<correspondent id>.',
        { field: 'to' },
      );
  }
  if (to?.some((c) => !c.organId))
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'The correspondent has no identifier (organId): set it before sending an .edxml file.', { field: 'to' });
  // A recalled document travels as its recall (BussinessDocType 1, with the reason).
  const recall = withdrawn;
  const xml = await packageOf(ctx.em, ctx.app, doc, { to, ...(recall ? { businessDocType: BusinessDocType.RECALL, reason: doc.recallReason ?? null } : {}) });
  const fileName = `${recall ? 'thu-hoi-' : ''}${doc.number}-${doc.symbol}`.replace(/[^\p{L}\p{N}._-]+/gu, '-') + '.edxml';
  return { fileName, xml };
}

// ---------------------------------------------------------------------------------------------
// Receiving.

/** The outbox, newest first, optionally in one state (CLERK or SYSADMIN: metadata only, no content). */
export async function listOutbox(ctx: Context, state: OutboxState | null, first?: number | null, after?: string | null): Promise<Page<ExchangeMessage>> {
  requireViewer(ctx);
  // Only the viewer's agency's messages: those to its own correspondents.
  const agency = await viewerAgencyId(ctx);
  return paginate(ctx.em, ExchangeMessage, state ? { state, correspondent: { agency } } : { correspondent: { agency } }, {
    key: 'id',
    first,
    after,
    direction: 'desc',
  });
}

/** Sends a failed or refused message again now; its recipient shows QUEUED again. */
export async function retryMessage(ctx: Context, id: string): Promise<ExchangeMessage> {
  requireViewer(ctx);
  const key = keyOf('ExchangeMessage', id, 'id');
  const agency = await viewerAgencyId(ctx);
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const own = await em.count(ExchangeMessage, { id: key, correspondent: { agency } });
    const msg = own ? await em.findOne(ExchangeMessage, { id: key }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
    if (!msg) throw new AppError(ErrorCode.NOT_FOUND, 'No exchange message was found with this id.');
    if (msg.state !== OutboxState.FAILED && msg.state !== OutboxState.REFUSED) {
      throw new AppError(
        ErrorCode.INVALID_TRANSITION,
        msg.state === OutboxState.ACKNOWLEDGED ? 'The peer acknowledged this message: it is never sent again.' : 'This message is already waiting to be sent.',
        { from: msg.state, to: OutboxState.QUEUED },
      );
    }
    msg.state = OutboxState.QUEUED;
    msg.nextAttemptAt = new Date();
    msg.claimedUntil = null;
    msg.prepareFailures = 0;
    if (msg.recipient && msg.businessDocType === BusinessDocType.NEW) {
      const recipient = await em.findOneOrFail(OutgoingRecipient, { id: msg.recipient.id });
      recipient.deliveryState = DeliveryState.QUEUED;
      recipient.deliveryError = null;
    }
    tx.afterCommit(() => ctx.app.exchange?.wake());
    return msg;
  });
}

// ---------------------------------------------------------------------------------------------
// What the sender shows per recipient.

/** The latest status a peer reported for its copy, or null. */
export async function latestStatus(em: EntityManager, recipientId: string): Promise<ExchangeStatus | null> {
  return em.findOne(ExchangeStatus, { recipient: recipientId }, { orderBy: { receivedAt: 'desc', sequence: 'desc' } });
}

export function statusHistory(em: EntityManager, recipientId: string): Promise<ExchangeStatus[]> {
  return em.find(ExchangeStatus, { recipient: recipientId }, { orderBy: { receivedAt: 'asc', sequence: 'asc' } });
}

/** A message of the outbox of the viewer's agency, by its key, for its clerk or SYSADMIN (as listOutbox), or null. */
export async function findOutboxMessage(ctx: Context, key: string): Promise<ExchangeMessage | null> {
  const v = requireViewer(ctx);
  if (!v.roles.some((r) => r === Role.CLERK || r === Role.SYSADMIN)) return null;
  return ctx.em.findOne(ExchangeMessage, { id: key, correspondent: { agency: await viewerAgencyId(ctx) } });
}
