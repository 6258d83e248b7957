import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { DocumentType } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { createDocumentType, setDocumentTypeRetired, updateDocumentType } from '../../src/services/document-types';
import { DocumentTypeType } from './reference.types';
import { CreateDocumentTypeInput, UpdateDocumentTypeInput } from './document-types.inputs';

@Resolver(() => DocumentTypeType)
export class DocumentTypeAdminResolver {
  @Allow(Role.SYSADMIN)
  @Mutation(() => DocumentTypeType, { description: 'Adds a document type (SYSADMIN). ALREADY_EXISTS when the code, the name or the abbreviation is taken.' })
  createDocumentType(@Ctx() ctx: Context, @Arg('input', () => CreateDocumentTypeInput) input: CreateDocumentTypeInput): Promise<DocumentType> {
    return createDocumentType(ctx, input);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => DocumentTypeType, { description: 'Renames a document type or changes its abbreviation (SYSADMIN); issued documents keep their symbols.' })
  updateDocumentType(
    @Ctx() ctx: Context,
    @Arg('code', () => String) code: string,
    @Arg('input', () => UpdateDocumentTypeInput) input: UpdateDocumentTypeInput,
  ): Promise<DocumentType> {
    return updateDocumentType(ctx, code, input);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => DocumentTypeType, { description: 'Retires a document type (SYSADMIN): no longer offered or accepted for new drafts; documents keep it.' })
  retireDocumentType(@Ctx() ctx: Context, @Arg('code', () => String) code: string): Promise<DocumentType> {
    return setDocumentTypeRetired(ctx, code, true);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => DocumentTypeType, { description: 'Brings a retired document type back for new drafts (SYSADMIN).' })
  reinstateDocumentType(@Ctx() ctx: Context, @Arg('code', () => String) code: string): Promise<DocumentType> {
    return setDocumentTypeRetired(ctx, code, false);
  }
}
