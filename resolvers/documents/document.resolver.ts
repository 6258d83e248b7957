import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { historyPage } from '../../src/read/document-reads';
import { prepared } from '../../src/read/compiled';
import { Document, DocumentType, Register, RoutingEvent, StoredFile, Unit } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as queries from '../../src/services/document-query.service';
import { documentTypeByCode } from '../../src/repositories/records';
import { PageArgs } from '../common/page.args';
import { DocumentTypeType } from '../reference/reference.types';
import { UnitType } from '../unit/unit.type';
import { DocumentFilter } from './document.inputs';
import {
  AttachmentType,
  DocumentConnection,
  DocumentInterface,
  InboxCountsType,
  RegisterType,
  RoutingEventConnection,
  RoutingEventType,
} from './document.types';
import { DocumentOrder, InboxView } from '../../src/services/document-query.service';

// The generic document queries and the fields every document, attachment and register has.

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

/**
 * The queries over documents of either direction (one document, the filtered list, the inbox views and
 * their counts, the registers), and the fields every document has, incoming or outgoing.
 */
@Resolver(() => DocumentInterface)
export class DocumentResolver {
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
  inboxCounts(@Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return queries.inboxCounts(ctx, info);
  }

  @Allow(Role.CLERK, Role.DIRECTOR)
  @Query(() => [RegisterType], { description: 'The registers (sổ văn bản) of the viewer’s keeping unit for a year (this year by default).' })
  registers(@Ctx() ctx: Context, @Arg('year', () => Int, { nullable: true }) year: number | null) {
    return queries.registers(ctx, year);
  }

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
