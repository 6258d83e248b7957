import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { StoredFile } from '../../entities';
import type { Context } from '../../src/context';
import { SignatureVerdict, signatureVerdict } from '../../src/domain/signatures/verdict';
import { AttachmentType } from './document.types';
import { SignatureVerificationType } from './signature.types';

/** The signature check of an attachment. */
@Resolver(() => AttachmentType)
export class AttachmentSignatureResolver {
  @FieldResolver(() => SignatureVerificationType, {
    nullable: true,
    description: 'The check of the file’s digital signatures; null for a file that is not a PDF.',
  })
  async signatureVerification(@Root() f: StoredFile, @Ctx() ctx: Context): Promise<SignatureVerificationType | null> {
    const c = await ctx.loaders.signatureCheckByFile.load(f.id);
    if (!c) return null;
    return {
      verdict: c.verdict as SignatureVerdict,
      problem: c.problem ?? null,
      checkedAt: c.checkedAt,
      signatures: c.signatures.map((s) => ({ ...s, verdict: signatureVerdict(s) })),
    };
  }
}
