import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { historyPage } from '../../src/read/document-reads';
import { prepared } from '../../src/read/compiled';
import {
  Assignment,
  Correspondent,
  Document,
  DocumentType,
  IncomingDocument,
  OutgoingDocument,
  Register,
  RoutingEvent,
  StoredFile,
  Unit,
} from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as queries from '../../src/services/document-query.service';
import * as incoming from '../../src/services/incoming.service';
import { readableOutgoingOrNull } from '../../src/services/outgoing-access';
import { documentTypeByCode } from '../../src/repositories/records';
import { PageArgs } from '../common/page.args';
import { DocumentTypeType } from '../reference/reference.resolver';
import { UnitType } from '../unit/unit.type';
import { AssignDocumentInput, DocumentFilter, ReceiveDocumentInput } from './document.inputs';
import {
  AssignmentType,
  AttachmentType,
  DocumentConnection,
  DocumentInterface,
  InboxCountsType,
  IncomingDocumentType,
  OutgoingDocumentType,
  RegisterType,
  RoutingEventConnection,
  RoutingEventType,
  SenderUnion,
} from './document.types';
import { DocumentOrder, InboxView } from '../../src/services/document-query.service';

@Resolver(() => IncomingDocumentType)
export class IncomingDocumentResolver {
  @Allow('AUTHENTICATED')
  @Query(() => DocumentInterface, { nullable: true, description: 'A document the viewer may read; null otherwise (whether or not it exists).' })
  document(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Info() info: GraphQLResolveInfo) {
    return queries.findDocument(ctx, id, info);
  }

  @Allow('AUTHENTICATED')
  @Query(() => DocumentConnection, { description: 'The documents the viewer may read, filtered; totalCount counts only those.' })
  documents(
    @Ctx() ctx: Context,
    @Arg('filter', () => DocumentFilter, { nullable: true }) filter: DocumentFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('orderBy', () => DocumentOrder, { nullable: true, defaultValue: DocumentOrder.NEWEST_FIRST }) orderBy: DocumentOrder,
    @Info() info: GraphQLResolveInfo,
  ) {
    return queries.listDocuments(ctx, filter, page.first, page.after, orderBy, info);
  }

  @Allow('AUTHENTICATED')
  @Query(() => DocumentConnection, { description: 'One view of the viewer’s work.' })
  inbox(@Ctx() ctx: Context, @Arg('view', () => InboxView) view: InboxView, @Args(() => PageArgs) page: PageArgs, @Info() info: GraphQLResolveInfo) {
    return queries.inbox(ctx, view, page.first, page.after, info);
  }

  @Allow('AUTHENTICATED')
  @Query(() => InboxCountsType, { description: 'One count per inbox view.' })
  inboxCounts(@Ctx() ctx: Context) {
    return queries.inboxCounts(ctx);
  }

  @Allow(Role.CLERK, Role.DIRECTOR)
  @Query(() => [RegisterType], { description: 'The registers (sổ văn bản) of the viewer’s keeping unit for a year (this year by default).' })
  registers(@Ctx() ctx: Context, @Arg('year', () => Int, { nullable: true }) year: number | null) {
    return queries.registers(ctx, year);
  }

  @Allow(Role.CLERK)
  @Mutation(() => IncomingDocumentType, {
    description: 'Receives a document (tiếp nhận): metadata and uploaded files; RECEIVED, or REGISTERED with registerNow (CLERK).',
  })
  receiveDocument(
    @Ctx() ctx: Context,
    @Arg('input', () => ReceiveDocumentInput) input: ReceiveDocumentInput,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: 'Send the same key when retrying: the first result comes back and nothing is taken twice.',
    })
    idempotencyKey: string | null,
  ) {
    return incoming.receiveDocumentOnce(ctx, input, idempotencyKey);
  }

  @Allow(Role.CLERK)
  @Mutation(() => IncomingDocumentType, { description: 'Registers (vào sổ): the next arrival number of the register; REGISTERED (CLERK).' })
  registerDocument(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: 'Send the same key when retrying: the first result comes back and nothing is taken twice.',
    })
    idempotencyKey: string | null,
  ) {
    return incoming.registerDocumentOnce(ctx, id, idempotencyKey);
  }

  @Allow(Role.CLERK)
  @Mutation(() => IncomingDocumentType, { description: 'Refuses a wrong or invalid document back to its sender (từ chối), with the reason (CLERK).' })
  rejectDocument(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string) {
    return incoming.rejectDocument(ctx, id, reason);
  }

  @Allow(Role.CLERK)
  @Mutation(() => [IncomingDocumentType], { description: 'Submits registered documents to the director (trình), all or none (CLERK).' })
  submitDocuments(@Ctx() ctx: Context, @Arg('ids', () => [ID]) ids: string[]) {
    return incoming.submitDocuments(ctx, ids);
  }

  @Allow(Role.DIRECTOR)
  @Mutation(() => IncomingDocumentType, {
    description: 'Directs a submitted document (phân công): instruction, lead, cooperating and informed, deadlines (DIRECTOR).',
  })
  assignDocument(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('input', () => AssignDocumentInput) input: AssignDocumentInput) {
    return incoming.assignDocument(ctx, id, input);
  }

  @FieldResolver(() => ID)
  id(@Root() d: IncomingDocument): string {
    return toGlobalId('IncomingDocument', d.id);
  }

  @FieldResolver(() => SenderUnion, { nullable: true })
  async sender(@Root() d: IncomingDocument, @Ctx() ctx: Context): Promise<Correspondent | Unit | null> {
    const ready = prepared<Correspondent | Unit | null>(d, 'sender');
    if (ready !== undefined) return ready;
    if (d.senderCorrespondent) return ctx.loaders.correspondent.load(d.senderCorrespondent.id);
    if (d.senderUnit) return ctx.loaders.unit.load(d.senderUnit.id);
    return null;
  }

  @FieldResolver(() => [AssignmentType], { description: 'Every assignment, in the order made, including delegations and returned ones.' })
  assignments(@Root() d: IncomingDocument, @Ctx() ctx: Context): Promise<Assignment[]> | Assignment[] {
    return prepared<Assignment[]>(d, 'assignments') ?? ctx.loaders.assignmentsByDocument.load(d.id);
  }

  @FieldResolver(() => [IncomingDocumentType], {
    description: 'Registered documents with the same number, symbol and issuer: a probable duplicate (warning, not a refusal).',
  })
  possibleDuplicates(@Root() d: IncomingDocument, @Ctx() ctx: Context): Promise<IncomingDocument[]> {
    return queries.possibleDuplicates(ctx, d);
  }

  @FieldResolver(() => OutgoingDocumentType, {
    nullable: true,
    description: 'The outgoing document of a unit of this system that this copy came from, when the viewer may read it.',
  })
  origin(@Root() d: IncomingDocument, @Ctx() ctx: Context): Promise<OutgoingDocument | null> | null {
    return d.origin ? readableOutgoingOrNull(ctx, d.origin.id) : null;
  }

  @FieldResolver(() => Boolean, {
    description: 'Registered and late for the director: urgent, or registered before the last 9:00 / 15:00 cut-off of a working day.',
  })
  submissionOverdue(@Root() d: IncomingDocument, @Ctx() ctx: Context): Promise<boolean> {
    return queries.submissionOverdue(ctx, d);
  }
}

@Resolver(() => AttachmentType)
export class AttachmentResolver {
  @FieldResolver(() => ID)
  id(@Root() f: StoredFile): string {
    return toGlobalId('StoredFile', f.id);
  }

  @FieldResolver(() => String)
  url(@Root() f: StoredFile): string {
    return `/files/${toGlobalId('StoredFile', f.id)}`;
  }

  @FieldResolver(() => Int)
  size(@Root() f: StoredFile): number {
    return Number(f.size);
  }
}

@Resolver(() => RegisterType)
export class RegisterResolver {
  @FieldResolver(() => ID)
  id(@Root() r: Register): string {
    return toGlobalId('Register', r.id);
  }

  @FieldResolver(() => UnitType)
  async keepingUnit(@Root() r: Register, @Ctx() ctx: Context): Promise<Unit> {
    return prepared<Unit>(r, 'keepingUnit') ?? (await ctx.loaders.unit.load(r.keepingUnit.id))!;
  }
}

/** Fields every document has, incoming or outgoing. */
@Resolver(() => DocumentInterface)
export class DocumentResolver {
  @FieldResolver(() => DocumentTypeType)
  documentType(@Root() d: Document, @Ctx() ctx: Context): Promise<DocumentType> | DocumentType {
    return prepared<DocumentType>(d, 'documentType') ?? documentTypeByCode(ctx, d.documentType.code);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Số, ký hiệu: "131/QĐ-UBND".' })
  numberAndSymbol(@Root() d: Document): string | null {
    if (!d.number && !d.symbol) return null;
    return [d.number, d.symbol].filter(Boolean).join('/');
  }

  @FieldResolver(() => UnitType, { description: 'The records-keeping unit whose register holds the document.' })
  async keepingUnit(@Root() d: Document, @Ctx() ctx: Context): Promise<Unit> {
    return prepared<Unit>(d, 'keepingUnit') ?? (await ctx.loaders.unit.load(d.keepingUnit.id))!;
  }

  @FieldResolver(() => RegisterType, { nullable: true, description: 'The register (sổ) that numbered it: incoming on registration, outgoing on issue.' })
  register(@Root() d: Document, @Ctx() ctx: Context): Promise<Register | null> | Register | null {
    const ready = prepared<Register | null>(d, 'register');
    if (ready !== undefined) return ready;
    return d.register ? ctx.loaders.register.load(d.register.id) : null;
  }

  @FieldResolver(() => [AttachmentType])
  attachments(@Root() d: Document, @Ctx() ctx: Context): Promise<StoredFile[]> | StoredFile[] {
    return prepared<StoredFile[]>(d, 'attachments') ?? ctx.loaders.attachmentsByDocument.load(d.id);
  }

  @FieldResolver(() => RoutingEventType, { nullable: true, description: 'The latest routing event.' })
  lastEvent(@Root() d: Document, @Ctx() ctx: Context): Promise<RoutingEvent | null> | RoutingEvent | null {
    const ready = prepared<RoutingEvent | null>(d, 'lastEvent');
    if (ready !== undefined) return ready;
    return ctx.loaders.lastEventByDocument.load(d.id);
  }

  @FieldResolver(() => RoutingEventConnection, { description: 'The full history (lịch sử luân chuyển), oldest first.' })
  history(@Root() d: Document, @Ctx() ctx: Context, @Args(() => PageArgs) page: PageArgs) {
    const ready = prepared<Parameters<typeof historyPage>[0]>(d, 'history');
    if (ready !== undefined) return historyPage(ready);
    return queries.history(ctx, d.id, page.first, page.after);
  }
}
