import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { MaxLength } from 'class-validator';
import { Correspondent, DocumentType } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as reference from '../../src/services/reference.service';
import { Node } from '../common/node';
import { DateTimeScalar } from '../common/scalars';
import { DocumentTypeOrigin } from '../../src/domain/reference/document-types';
import { listDocumentTypes } from '../../src/services/document-types';

registerEnumType(DocumentTypeOrigin, {
  name: 'DocumentTypeOrigin',
  description: 'Where a document type comes from.',
  valuesConfig: {
    DECREE_30: { description: 'NĐ 30/2020 Phụ lục III, seeded with every deployment.' },
    LEGAL: { description: 'A legal document received from outside (Luật, Nghị định, Thông tư…), seeded retired for drafting.' },
    ADDED: { description: 'Added by a SYSADMIN.' },
    RECEIVED: { description: 'First met in a package received through the exchange and kept as received (retired for drafting).' },
  },
});

@ObjectType('DocumentType', { implements: Node, description: 'A document type (loại văn bản) of NĐ 30/2020 Phụ lục III.' })
export class DocumentTypeType extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => String, { description: 'The abbreviation, or CV for Công văn.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Used in symbols (QĐ, TB); none for Công văn.' })
  abbreviation?: string | null;

  @Field(() => DocumentTypeOrigin, { description: 'Where the type comes from: the national list, a SYSADMIN, or a received package.' })
  origin!: DocumentTypeOrigin;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When it was retired: no longer offered or accepted for new drafts; documents that have it keep it. Null when in use.',
  })
  retiredAt?: Date | null;
}

@ObjectType('Correspondent', { implements: Node, description: 'An outside organisation (cơ quan gửi, nhận), as one agency of the deployment knows it.' })
export class CorrespondentType extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  shortName?: string | null;

  @Field(() => String, { nullable: true, description: 'The 13-character identifier (mã định danh).' })
  organId?: string | null;

  @Allow(Role.CLERK, Role.SYSADMIN)
  @Field(() => String, {
    nullable: true,
    description: 'Where its exchange server takes edXML messages, for a peer reached through the document exchange (CLERK or SYSADMIN).',
  })
  endpoint?: string | null;
}

@InputType({ description: 'Changes to an outside organisation; what is left out stays as it is. An empty endpoint or secret removes it.' })
export class UpdateCorrespondentInput {
  @Field(() => String, { nullable: true })
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(30)
  shortName?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(13)
  organId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'For a peer of the document exchange: the URL its server takes edXML messages at (https; http only outside production).',
  })
  @MaxLength(500)
  endpoint?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'For a peer of the document exchange: the secret shared with it (32 to 200 characters). Never readable back.',
  })
  @MaxLength(200)
  secret?: string | null;
}

@InputType({ description: 'A new outside organisation.' })
export class CreateCorrespondentInput extends UpdateCorrespondentInput {
  @Field(() => String)
  @MaxLength(200)
  declare name: string;
}

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
