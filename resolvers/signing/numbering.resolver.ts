import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Account, OutgoingDocument } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { SigningCapacity } from '../../src/domain/signing/capacity';
import { Allow, AllowDelegated } from '../../src/graphql/access';
import * as numbering from '../../src/services/outgoing-numbering';
import * as outgoing from '../../src/services/outgoing.service';
import { AccountType } from '../account/account.type';
import { PageArgs } from '../common/page.args';
import { DateTimeScalar } from '../common/scalars';
import { OutgoingDocumentType } from '../documents/document.types';
import { OutgoingSignatureType, OutgoingRegisterConnection } from './signing.types';

interface SignatureView {
  signer: Account;
  capacity: SigningCapacity;
  signedFor: string | null;
  signedOnBehalfOf: Account | null;
  lines: string[];
  signerTitle: string;
  signedAt: Date;
}

/** Signing as NĐ 30/2020 writes it, and the outgoing register: the number taken before the final scan, annulments. */
@Resolver(() => OutgoingDocumentType)
export class OutgoingSigningResolver {
  @Allow(Role.DIRECTOR)
  @AllowDelegated('SIGN')
  @Mutation(() => OutgoingDocumentType, {
    description:
      'Signs on the system (ký): SIGNED. The capacity and the lines above the signature follow from the signer’s position and the delegation in force ' +
      '(GIÁM ĐỐC, TM., Q., KT., TL., TUQ.); `capacity`, when given, must be one the signer holds, else SIGNING_CAPACITY_NOT_HELD.',
  })
  signDocument(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('capacity', () => SigningCapacity, { nullable: true }) capacity: SigningCapacity | null,
  ) {
    return outgoing.signDocument(ctx, id, capacity);
  }

  @Allow(Role.CLERK)
  @Mutation(() => OutgoingDocumentType, {
    description:
      'Takes the number of a signed document (cấp số): the next number of the outgoing register and the date of issue, on the document at once, ' +
      'before the stamped scan or the digital file; NUMBERED. Then issueDocument issues it with that number (CLERK of the keeping unit).',
  })
  takeOutgoingNumber(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('issuedDate', () => String, { nullable: true, description: 'YYYY-MM-DD, this year, no later than today; today by default.' })
    issuedDate: string | null,
  ) {
    return numbering.takeOutgoingNumber(ctx, id, issuedDate);
  }

  @Allow(Role.CLERK)
  @Mutation(() => OutgoingDocumentType, {
    description:
      'Annuls a numbered document’s register entry with the reason (hủy số): ANNULLED; the number stays used and shows annulled in the register. ' +
      'An issued document is recalled first (its copies are withdrawn, peers are sent the recall) (CLERK of the keeping unit).',
  })
  annulOutgoingNumber(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('reason', () => String) reason: string) {
    return numbering.annulOutgoingNumber(ctx, id, reason);
  }

  @Allow(Role.CLERK, Role.DIRECTOR)
  @Query(() => OutgoingRegisterConnection, {
    description:
      'The outgoing register (sổ văn bản đi) of the viewer’s keeping unit for a year (this year by default), in number order, ' +
      'annulled entries marked (CLERK, DIRECTOR).',
  })
  outgoingRegister(@Ctx() ctx: Context, @Arg('year', () => Int, { nullable: true }) year: number | null, @Args(() => PageArgs) page: PageArgs) {
    return numbering.outgoingRegister(ctx, year, page.first, page.after);
  }

  @FieldResolver(() => [OutgoingSignatureType], {
    description: 'The signatures (chữ ký): who signed, in what capacity, for whom, and the lines above the signature.',
  })
  async signatures(@Root() d: OutgoingDocument, @Ctx() ctx: Context): Promise<SignatureView[]> {
    if (!d.signer || !d.signedAt) return [];
    const [signer, behalf] = await Promise.all([
      ctx.loaders.account.load(d.signer.id),
      d.signedOnBehalfOf ? ctx.loaders.account.load(d.signedOnBehalfOf.id) : null,
    ]);
    return [
      {
        signer: signer!,
        // Signed before capacities were recorded: as the director in their own name, or under the old delegation line.
        capacity: d.signingCapacity ?? (d.signatureAuthority ? SigningCapacity.DEPUTY : SigningCapacity.HEAD),
        signedFor: d.signedFor ?? null,
        signedOnBehalfOf: behalf ?? null,
        lines: d.signatureLines ?? [d.signatureAuthority ?? '', (d.signerPosition ?? '').toLocaleUpperCase('vi-VN')].filter(Boolean),
        signerTitle: d.signerPosition ?? '',
        signedAt: d.signedAt,
      },
    ];
  }

  @FieldResolver(() => Int, { nullable: true, description: 'The number in the outgoing register, once taken (số đi); `number` prints it ("05").' })
  issueNumber(@Root() d: OutgoingDocument): number | null {
    return d.issueNumber ?? null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When the clerk took the number (before issue, or at issue in one step).' })
  numberedAt(@Root() d: OutgoingDocument): Date | null {
    return d.numberedAt ?? null;
  }

  @FieldResolver(() => DateTimeScalar, { nullable: true, description: 'When the register entry was annulled (hủy số); the number stays used.' })
  annulledAt(@Root() d: OutgoingDocument): Date | null {
    return d.annulledAt ?? null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why the register entry was annulled.' })
  annulmentReason(@Root() d: OutgoingDocument): string | null {
    return d.annulmentReason ?? null;
  }

  @FieldResolver(() => AccountType, { nullable: true, description: 'The clerk who annulled the register entry.' })
  annulledBy(@Root() d: OutgoingDocument, @Ctx() ctx: Context): Promise<Account | null> | null {
    return d.annulledBy ? ctx.loaders.account.load(d.annulledBy.id) : null;
  }
}
