/** What the nested fields of an outgoing document load: versions, recipients and their exchange status, the documents it answers. */
import { Assignment, DraftVersion, ExchangeMessage, ExchangeStatus, IncomingDocument, OutgoingRecipient } from '../../entities';
import type { Context } from '../context';
import { findReadableIncomingAmong } from '../repositories/documents';
import { latestStatus, statusHistory } from '../exchange/exchange.service';

/** Every version of a draft, oldest first. */
export function draftVersions(ctx: Context, documentKey: string): Promise<DraftVersion[]> {
  return ctx.em.find(DraftVersion, { document: documentKey }, { orderBy: { version: 'asc' } });
}

/** The recipients (nơi nhận) of a document in their order, with the incoming copy of each unit of this system. */
export function recipientsOf(ctx: Context, documentKey: string): Promise<OutgoingRecipient[]> {
  return ctx.em.find(OutgoingRecipient, { document: documentKey }, { orderBy: { ordinal: 'asc' }, populate: ['incomingCopy'] });
}

/** The incoming documents an outgoing one answers (văn bản trả lời cho), as far as the viewer may read them. */
export async function answeredDocuments(ctx: Context, documentKey: string): Promise<IncomingDocument[]> {
  const links = await ctx.em.find(Assignment, { replyDocument: documentKey }, { fields: ['document'] });
  if (!links.length) return [];
  return findReadableIncomingAmong(
    ctx,
    links.map((l) => l.document.id),
  );
}

/** The latest status a peer reported for its copy, or null. */
export function recipientLatestStatus(ctx: Context, recipientKey: string): Promise<ExchangeStatus | null> {
  return latestStatus(ctx.em, recipientKey);
}

/** Every status a peer reported for its copy, oldest first. */
export function recipientStatusHistory(ctx: Context, recipientKey: string): Promise<ExchangeStatus[]> {
  return statusHistory(ctx.em, recipientKey);
}

/** The latest document package sent to a recipient, or null. */
export function packageMessage(ctx: Context, recipientKey: string): Promise<ExchangeMessage | null> {
  return ctx.em.findOne(ExchangeMessage, { recipient: recipientKey, businessDocType: 0 }, { orderBy: { id: 'desc' } });
}
