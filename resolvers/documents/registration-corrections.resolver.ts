import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Register } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { registerEntries } from '../../src/services/register-entries';
import { annulRegistration, correctRegistration } from '../../src/services/registration-corrections';
import { PageArgs } from '../common/page.args';
import { DocumentConnection, IncomingDocumentType, RegisterType } from './document.types';
import { CorrectRegistrationInput } from './registration-corrections.inputs';

@Resolver(() => IncomingDocumentType)
export class RegistrationCorrectionResolver {
  @Allow(Role.CLERK)
  @Mutation(() => IncomingDocumentType, {
    description:
      'Corrects the metadata of a received or registered document (đính chính): the state and arrival number stay; ' +
      'each field before and after and the reason go into the history as a CORRECTED event (CLERK of the keeping unit).',
  })
  correctRegistration(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => CorrectRegistrationInput) input: CorrectRegistrationInput,
    @Arg('reason', () => String, { description: 'Why: required, kept in the history.' }) reason: string,
  ) {
    return correctRegistration(ctx, id, input, reason);
  }

  @Allow(Role.CLERK)
  @Mutation(() => IncomingDocumentType, {
    description:
      'Annuls a registration made in error (a duplicate, a wrong document): ANNULLED; the arrival number stays used and shows annulled in the register, ' +
      'the document leaves every inbox, and no further step is taken on it (DOCUMENT_ANNULLED) (CLERK of the keeping unit).',
  })
  annulRegistration(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason', () => String, { description: 'Why: required.' }) reason: string) {
    return annulRegistration(ctx, id, reason);
  }
}

@Resolver(() => RegisterType)
export class RegisterEntriesResolver {
  @FieldResolver(() => DocumentConnection, {
    description:
      'The entries of the register in number order, the annulled ones included (annulledAt set): ' +
      'every number from 1 to lastNumber, none missing, none twice. Only documents the viewer may read.',
  })
  entries(@Root() r: Register, @Ctx() ctx: Context, @Args(() => PageArgs) page: PageArgs) {
    return registerEntries(ctx, r, page.first, page.after);
  }
}
