import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Account, Assignment, Correspondent, DraftVersion, IncomingDocument, OutgoingDocument, OutgoingRecipient, StoredFile, Unit } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { exchangeStatusCode } from '../../src/domain/outgoing/interconnection';
import { Allow, AllowDelegated } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import { readableWhere } from '../../src/services/document-query.service';
import * as outgoing from '../../src/services/outgoing.service';
import { AccountType } from '../account/account.type';
import { CorrespondentType } from '../reference/reference.resolver';
import { UnitType } from '../unit/unit.type';
import { DraftInput, IssueInput } from './document.inputs';
import { AttachmentType, DraftVersionType, ExchangeStatusEntryType, IncomingDocumentType, OutgoingDocumentType, RecipientType } from './document.types';
import { ExchangeMessage } from '../../entities/ExchangeMessage';
import type { ExchangeStatus } from '../../entities/ExchangeStatus';
import { latestStatus, statusHistory } from '../../src/exchange/exchange.service';
import { perObject } from '../../src/graphql/request-memo';
import { DateTimeScalar } from '../common/scalars';

@Resolver(() => OutgoingDocumentType)
export class OutgoingDocumentResolver {
  @Allow(Role.STAFF, Role.HEAD)
  @Mutation(() => OutgoingDocumentType, { description: 'Drafts a document (soạn dự thảo) in the viewer’s department: DRAFT, version 1 (STAFF or HEAD).' })
  createDraft(
    @Ctx() ctx: Context,
    @Arg('input', () => DraftInput) input: DraftInput,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: 'Send the same key when retrying: the first result comes back and nothing is taken twice.',
    })
    idempotencyKey: string | null,
  ) {
    return outgoing.createDraftOnce(ctx, input, idempotencyKey);
  }

  @Allow(Role.STAFF, Role.HEAD)
  @Mutation(() => OutgoingDocumentType, { description: 'Revises a draft: a new version; earlier ones are kept (the drafter).' })
  reviseDraft(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('input', () => DraftInput) input: DraftInput) {
    return outgoing.reviseDraft(ctx, id, input);
  }

  @Allow(Role.STAFF, Role.HEAD)
  @Mutation(() => OutgoingDocumentType, { description: 'Sends the draft to the head of the drafting department (trình duyệt): IN_REVIEW (the drafter).' })
  submitDraft(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return outgoing.submitDraft(ctx, id);
  }

  @Allow(Role.HEAD)
  @AllowDelegated('REVIEW')
  @Mutation(() => OutgoingDocumentType, { description: 'Approves the draft for signature (duyệt): AWAITING_SIGNATURE (HEAD of the drafting department).' })
  approveDraft(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('comment', () => String, { nullable: true }) comment: string | null) {
    return outgoing.approveDraft(ctx, id, comment);
  }

  @Allow(Role.HEAD, Role.DIRECTOR)
  @AllowDelegated('REVIEW', 'SIGN')
  @Mutation(() => OutgoingDocumentType, {
    description: 'Sends the draft back to its drafter with the reason: DRAFT (HEAD from review, DIRECTOR from signature).',
  })
  returnDraft(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string) {
    return outgoing.returnDraft(ctx, id, reason);
  }

  @Allow(Role.CLERK)
  @Mutation(() => OutgoingDocumentType, {
    description:
      'Issues a signed document (phát hành) with the signed scan or file and delivers it; takes the number and date now unless takeOutgoingNumber ' +
      'took them. NOT_SIGNED for anything not signed (CLERK).',
  })
  issueDocument(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => IssueInput) input: IssueInput,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: 'Send the same key when retrying: the first result comes back and nothing is taken twice.',
    })
    idempotencyKey: string | null,
  ) {
    return outgoing.issueDocumentOnce(ctx, id, input, idempotencyKey);
  }

  @Allow(Role.CLERK, Role.DIRECTOR)
  @Mutation(() => OutgoingDocumentType, {
    description: 'Recalls an issued document (thu hồi) with the reason; every recipient’s copy is recalled (CLERK or DIRECTOR of the keeping unit).',
  })
  recallDocument(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string) {
    return outgoing.recallDocument(ctx, id, reason);
  }

  @FieldResolver(() => ID)
  id(@Root() d: OutgoingDocument): string {
    return toGlobalId('OutgoingDocument', d.id);
  }

  @FieldResolver(() => UnitType, { description: 'The department that drafted it.' })
  async draftingUnit(@Root() d: OutgoingDocument, @Ctx() ctx: Context): Promise<Unit> {
    return (await ctx.loaders.unit.load(d.draftingUnit.id))!;
  }

  @FieldResolver(() => AccountType)
  async drafter(@Root() d: OutgoingDocument, @Ctx() ctx: Context): Promise<Account> {
    return (await ctx.loaders.account.load(d.drafter.id))!;
  }

  @FieldResolver(() => AccountType, { nullable: true })
  signer(@Root() d: OutgoingDocument, @Ctx() ctx: Context): Promise<Account | null> | null {
    return d.signer ? ctx.loaders.account.load(d.signer.id) : null;
  }

  @FieldResolver(() => AccountType, { nullable: true, description: 'The person signed for, when known: the delegator, or the head a deputy signed for.' })
  signedOnBehalfOf(@Root() d: OutgoingDocument, @Ctx() ctx: Context): Promise<Account | null> | null {
    return d.signedOnBehalfOf ? ctx.loaders.account.load(d.signedOnBehalfOf.id) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The authority part of the lines above the signature, e.g. "KT. GIÁM ĐỐC", "TUQ. GIÁM ĐỐC"; null when the head signed in their own name.',
  })
  signatureAuthority(@Root() d: OutgoingDocument): string | null {
    return d.signatureAuthority ?? null;
  }

  @FieldResolver(() => [DraftVersionType], { description: 'Every version of the draft, oldest first.' })
  versions(@Root() d: OutgoingDocument, @Ctx() ctx: Context): Promise<DraftVersion[]> {
    return ctx.em.find(DraftVersion, { document: d.id }, { orderBy: { version: 'asc' } });
  }

  @FieldResolver(() => [RecipientType], { description: 'Nơi nhận, with the exchange status of each copy.' })
  recipients(@Root() d: OutgoingDocument, @Ctx() ctx: Context): Promise<OutgoingRecipient[]> {
    return ctx.em.find(OutgoingRecipient, { document: d.id }, { orderBy: { ordinal: 'asc' }, populate: ['incomingCopy'] });
  }

  @FieldResolver(() => [IncomingDocumentType], {
    description: 'The incoming documents this one answers (văn bản trả lời cho), as far as the viewer may read them.',
  })
  async inReplyTo(@Root() d: OutgoingDocument, @Ctx() ctx: Context): Promise<IncomingDocument[]> {
    const links = await ctx.em.find(Assignment, { replyDocument: d.id }, { fields: ['document'] });
    if (!links.length) return [];
    return await ctx.em.find(IncomingDocument, { $and: [{ id: { $in: links.map((l) => l.document.id) } }, readableWhere(ctx)] } as never);
  }
}

@Resolver(() => DraftVersionType)
export class DraftVersionResolver {
  @FieldResolver(() => AttachmentType)
  file(@Root() v: DraftVersion, @Ctx() ctx: Context): Promise<StoredFile> {
    return ctx.em.findOneOrFail(StoredFile, { id: v.file.id });
  }

  @FieldResolver(() => AccountType)
  async author(@Root() v: DraftVersion, @Ctx() ctx: Context): Promise<Account> {
    return (await ctx.loaders.account.load(v.author.id))!;
  }
}

@Resolver(() => RecipientType)
export class RecipientResolver {
  @FieldResolver(() => UnitType, { nullable: true })
  unit(@Root() r: OutgoingRecipient, @Ctx() ctx: Context): Promise<Unit | null> | null {
    return r.unit ? ctx.loaders.unit.load(r.unit.id) : null;
  }

  @FieldResolver(() => CorrespondentType, { nullable: true })
  correspondent(@Root() r: OutgoingRecipient, @Ctx() ctx: Context): Promise<Correspondent | null> | null {
    return r.correspondent ? ctx.loaders.correspondent.load(r.correspondent.id) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Exchange status of the copy (TT 10/2016): 01 arrived, 02 refused, 03 registered, 04 assigned, 05 in progress, 06 completed, 13 recall requested, 15 recall accepted, 16 recall refused. For a unit of this system it follows its copy; for a peer it is the last status the peer reported. Null before anything is known.',
  })
  async statusCode(@Root() r: OutgoingRecipient, @Ctx() ctx: Context): Promise<string | null> {
    if (r.incomingCopy) return exchangeStatusCode(r.incomingCopy.state);
    if (!r.correspondent) return null;
    return (await perObject(r, 'latestStatus', () => latestStatus(ctx.em, r.id)))?.code ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'The recipient’s reason, when it refused the copy (02) or answered a recall (15, 16).' })
  async statusNote(@Root() r: OutgoingRecipient, @Ctx() ctx: Context): Promise<string | null> {
    const copy = r.incomingCopy;
    if (copy) return copy.state === 'REJECTED' ? (copy.rejectionReason ?? null) : null;
    if (!r.correspondent) return null;
    return (await perObject(r, 'latestStatus', () => latestStatus(ctx.em, r.id)))?.description ?? null;
  }

  @FieldResolver(() => [ExchangeStatusEntryType], { description: 'For a peer: every status it reported, oldest first.' })
  statusHistory(@Root() r: OutgoingRecipient, @Ctx() ctx: Context): Promise<ExchangeStatus[]> | ExchangeStatus[] {
    return r.correspondent ? statusHistory(ctx.em, r.id) : [];
  }

  @FieldResolver(() => Int, { description: 'For a peer: how many times the package was handed to it.' })
  async deliveryAttempts(@Root() r: OutgoingRecipient, @Ctx() ctx: Context): Promise<number> {
    return (await perObject(r, 'packageMessage', () => packageMessage(ctx, r)))?.attempts ?? 0;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'For a peer whose last attempt failed: when it is tried again.' })
  async nextAttemptAt(@Root() r: OutgoingRecipient, @Ctx() ctx: Context): Promise<Date | null> {
    const m = await perObject(r, 'packageMessage', () => packageMessage(ctx, r));
    return m && (m.state === 'FAILED' || m.state === 'QUEUED') ? m.nextAttemptAt : null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'For a peer: when it acknowledged the package.' })
  async acknowledgedAt(@Root() r: OutgoingRecipient, @Ctx() ctx: Context): Promise<Date | null> {
    return (await perObject(r, 'packageMessage', () => packageMessage(ctx, r)))?.acknowledgedAt ?? null;
  }
}

function packageMessage(ctx: Context, r: OutgoingRecipient): Promise<ExchangeMessage | null> {
  return ctx.em.findOne(ExchangeMessage, { recipient: r.id, businessDocType: 0 }, { orderBy: { id: 'desc' } });
}
