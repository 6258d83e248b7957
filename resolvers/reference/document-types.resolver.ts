import { MaxLength } from 'class-validator';
import { Arg, Ctx, Field, InputType, Mutation, Resolver } from 'type-graphql';
import type { DocumentType } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { createDocumentType, setDocumentTypeRetired, updateDocumentType } from '../../src/services/document-types';
import { DocumentTypeType } from './reference.resolver';

@InputType({ description: 'A new document type.' })
export class CreateDocumentTypeInput {
  @Field(() => String, { description: 'The code inputs name it by (letters and digits, at most 10): usually the abbreviation. It never changes.' })
  @MaxLength(10)
  code!: string;

  @Field(() => String, { description: 'Its name: "Thông tư".' })
  @MaxLength(100)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Written into symbols (TT → 12/TT-SXD); none for a type written like Công văn (SXD-VP).' })
  @MaxLength(10)
  abbreviation?: string | null;
}

@InputType({ description: 'Changes to a document type; what is left out stays. A null abbreviation removes it.' })
export class UpdateDocumentTypeInput {
  @Field(() => String, { nullable: true })
  @MaxLength(100)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(10)
  abbreviation?: string | null;
}

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
