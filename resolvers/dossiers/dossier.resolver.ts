import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Account, Document, Dossier, DossierDocument, Unit } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import { perObject } from '../../src/graphql/request-memo';
import * as dossiers from '../../src/services/dossier.service';
import { dossierByKey } from '../../src/repositories/dossiers';
import { AccountType } from '../account/account.type';
import { PageArgs } from '../common/page.args';
import { DocumentInterface } from '../documents/document.types';
import { UnitType } from '../unit/unit.type';
import { DossierType, FiledDocumentType, DossierConnection } from './dossier.types';
import { OpenDossierInput, UpdateDossierInput, DossierFilter } from './dossier.inputs';

const ANYONE_WORKING = [Role.STAFF, Role.HEAD, Role.DIRECTOR, Role.CLERK] as const;

@Resolver(() => DossierType)
export class DossierResolver {
  @Allow(...ANYONE_WORKING)
  @Query(() => DossierConnection, { description: 'Dossiers the viewer may read.' })
  dossiers(
    @Ctx() ctx: Context,
    @Arg('filter', () => DossierFilter, { nullable: true }) filter: DossierFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Info() info: GraphQLResolveInfo,
  ) {
    return dossiers.listDossiers(ctx, filter, page.first, page.after, info);
  }

  @Allow(...ANYONE_WORKING)
  @Query(() => DossierType, { nullable: true, description: 'A dossier the viewer may read; null otherwise.' })
  dossier(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return dossiers.findReadableDossier(ctx, id).catch((e) => (e?.extensions?.code === 'NOT_FOUND' ? null : Promise.reject(e as Error)));
  }

  @Allow(...ANYONE_WORKING)
  @Mutation(() => DossierType, { description: 'Opens a dossier (lập hồ sơ) for the viewer’s work.' })
  openDossier(@Ctx() ctx: Context, @Arg('input', () => OpenDossierInput) input: OpenDossierInput) {
    return dossiers.openDossier(ctx, input);
  }

  @Allow(...ANYONE_WORKING)
  @Mutation(() => DossierType, { description: 'Changes the description of an open dossier (its owner, the owner’s head, a director).' })
  updateDossier(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('input', () => UpdateDossierInput) input: UpdateDossierInput) {
    return dossiers.updateDossier(ctx, id, input);
  }

  @Allow(...ANYONE_WORKING)
  @Mutation(() => DossierType, { description: 'Files a document in an open dossier as the next ordinal; a document sits in one dossier at most.' })
  fileDocument(@Ctx() ctx: Context, @Arg('dossierId', () => ID) dossierId: string, @Arg('documentId', () => ID) documentId: string) {
    return dossiers.fileDocument(ctx, dossierId, documentId);
  }

  @Allow(...ANYONE_WORKING)
  @Mutation(() => DossierType, { description: 'Takes a document out of an open dossier; the ordinals stay gapless.' })
  unfileDocument(@Ctx() ctx: Context, @Arg('dossierId', () => ID) dossierId: string, @Arg('documentId', () => ID) documentId: string) {
    return dossiers.unfileDocument(ctx, dossierId, documentId);
  }

  @Allow(...ANYONE_WORKING)
  @Mutation(() => DossierType, { description: 'Closes a dossier when the work ends (kết thúc hồ sơ).' })
  closeDossier(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return dossiers.closeDossier(ctx, id);
  }

  @Allow(Role.HEAD, Role.DIRECTOR)
  @Mutation(() => DossierType, { description: 'Reopens a closed dossier (the owner’s head or a director).' })
  reopenDossier(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return dossiers.reopenDossier(ctx, id);
  }

  @FieldResolver(() => ID)
  id(@Root() d: Dossier): string {
    return toGlobalId('Dossier', d.id);
  }

  @FieldResolver(() => String, { description: 'Thời hạn bảo quản: "PERMANENT" or a number of years.' })
  retention(@Root() d: Dossier): string {
    return d.retentionYears === null || d.retentionYears === undefined ? 'PERMANENT' : String(d.retentionYears);
  }

  @FieldResolver(() => AccountType, { description: 'Người lập hồ sơ.' })
  async creator(@Root() d: Dossier, @Ctx() ctx: Context): Promise<Account> {
    return (await ctx.loaders.account.load(d.owner.id))!;
  }

  @FieldResolver(() => UnitType)
  async keepingUnit(@Root() d: Dossier, @Ctx() ctx: Context): Promise<Unit> {
    return (await ctx.loaders.unit.load(d.keepingUnit.id))!;
  }

  @FieldResolver(() => [FiledDocumentType], { description: 'The documents the viewer may read, in filing order.' })
  async documents(@Root() d: Dossier, @Ctx() ctx: Context) {
    return (await perObject(d, 'dossier-documents', () => dossiers.dossierDocuments(ctx, d))).map(({ entry, document }) => ({
      ordinal: entry.ordinal,
      document,
    }));
  }

  @FieldResolver(() => Int, { description: 'How many documents the viewer may read in it.' })
  async documentCount(@Root() d: Dossier, @Ctx() ctx: Context): Promise<number> {
    return (await perObject(d, 'dossier-documents', () => dossiers.dossierDocuments(ctx, d))).length;
  }

  @FieldResolver(() => Int, { description: 'Pages of the documents the viewer may read in it.' })
  async pageCount(@Root() d: Dossier, @Ctx() ctx: Context): Promise<number> {
    return (await perObject(d, 'dossier-documents', () => dossiers.dossierDocuments(ctx, d))).reduce((n, { document }) => n + (document.pageCount ?? 0), 0);
  }

  @FieldResolver(() => Boolean, { description: 'Closed, and due for the agency archive (one year after closing) within 30 days.' })
  handoverDue(@Root() d: Dossier, @Ctx() ctx: Context): boolean {
    return dossiers.isHandoverDue(ctx, d);
  }
}

@Resolver(() => DocumentInterface)
export class DocumentDossierResolver {
  @FieldResolver(() => DossierType, { nullable: true, description: 'The work dossier (hồ sơ) the document is filed in, when the viewer may read it.' })
  async dossier(@Root() doc: Document, @Ctx() ctx: Context): Promise<Dossier | null> {
    const entry: DossierDocument | null = await perObject(doc, 'filed-in', () => dossiers.filedIn(ctx, doc.id));
    return entry ? dossierByKey(ctx, entry.dossier.id) : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Its ordinal in that dossier.' })
  async dossierOrdinal(@Root() doc: Document, @Ctx() ctx: Context): Promise<number | null> {
    return (await perObject(doc, 'filed-in', () => dossiers.filedIn(ctx, doc.id)))?.ordinal ?? null;
  }
}
