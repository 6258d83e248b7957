import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Correspondent, DocumentType } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as reference from '../../src/services/reference.service';
import { Node } from '../common/node';
import { listDocumentTypes } from '../../src/services/document-types';
import { DocumentTypeType, CorrespondentType } from './reference.types';
import { UpdateCorrespondentInput, CreateCorrespondentInput } from './reference.inputs';

@Resolver(() => DocumentTypeType)
export class DocumentTypeResolver {
  @Allow('AUTHENTICATED')
  @Query(() => [DocumentTypeType], {
    description:
      'The document types, Công văn last: those offered for new drafts, and with includeRetired the retired ones too (a received document may have one).',
  })
  documentTypes(@Ctx() ctx: Context, @Arg('includeRetired', () => Boolean, { defaultValue: false }) includeRetired: boolean): Promise<DocumentType[]> {
    return listDocumentTypes(ctx, includeRetired);
  }

  @FieldResolver(() => ID)
  id(@Root() t: DocumentType): string {
    return toGlobalId('DocumentType', t.code);
  }
}

@Resolver(() => CorrespondentType)
export class CorrespondentResolver {
  @Allow('AUTHENTICATED')
  @Query(() => [CorrespondentType], {
    description: 'The outside organisations of the viewer’s agency, by part of the name, short name or identifier (at most 100).',
  })
  correspondents(@Ctx() ctx: Context, @Arg('text', () => String, { nullable: true }) text: string | null): Promise<Correspondent[]> {
    return reference.listCorrespondents(ctx, text);
  }

  @Allow(Role.CLERK, Role.SYSADMIN)
  @Mutation(() => CorrespondentType, { description: 'Adds an outside organisation to the viewer’s agency (CLERK or SYSADMIN of that agency).' })
  createCorrespondent(@Ctx() ctx: Context, @Arg('input', () => CreateCorrespondentInput) input: CreateCorrespondentInput): Promise<Correspondent> {
    return reference.createCorrespondent(ctx, input);
  }

  @Allow(Role.CLERK, Role.SYSADMIN)
  @Mutation(() => CorrespondentType, {
    description:
      'Changes an outside organisation of the viewer’s agency, or sets its exchange endpoint and secret (CLERK or SYSADMIN of that agency; NOT_FOUND for another agency’s). In production the endpoint must lead to a public address.',
  })
  updateCorrespondent(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCorrespondentInput) input: UpdateCorrespondentInput,
  ): Promise<Correspondent> {
    return reference.updateCorrespondent(ctx, id, input);
  }

  @FieldResolver(() => Boolean, { description: 'True when the document exchange can reach it: an endpoint and a shared secret are set.' })
  exchangePeer(@Root() c: Correspondent): boolean {
    return c.isExchangePeer();
  }

  @FieldResolver(() => ID)
  id(@Root() c: Correspondent): string {
    return toGlobalId('Correspondent', c.id);
  }
}

@Resolver()
export class NodeResolver {
  @Allow('AUTHENTICATED')
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist or the viewer may not see it.' })
  node(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return reference.findNode(ctx, id);
  }
}
