import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SignatureVerdict } from '../../src/domain/signatures/verdict';
import { DateTimeScalar } from '../common/scalars';

registerEnumType(SignatureVerdict, {
  name: 'SignatureVerdict',
  description: 'What the check of a PDF’s digital signatures found, for one signature or for the whole file.',
  valuesConfig: {
    VALID: {
      description:
        'Every signature verifies, chains to a configured trust anchor, was made while its certificate was valid, and the last covers the whole file.',
    },
    NOT_SIGNED: { description: 'A PDF without digital signatures (a scan of a paper signed by hand).' },
    MODIFIED_AFTER_SIGNING: { description: 'Bytes were added after the last signature; no signature covers them.' },
    CONTENT_ALTERED: { description: 'The signed bytes were changed: the signature does not match them.' },
    UNTRUSTED: { description: 'The signer’s certificate does not chain to a trust anchor configured on this server.' },
    CERTIFICATE_EXPIRED: { description: 'The signer’s certificate was not valid (expired or not yet valid) at the signing time.' },
    MALFORMED: { description: 'The signature or the file could not be read, or is beyond the bounds of a check (size, count, time).' },
  },
});

@ObjectType('DigitalSignature', { description: 'One digital signature (chữ ký số) in a PDF: the leader’s, or the agency’s added after it.' })
export class DigitalSignatureType {
  @Field(() => SignatureVerdict, { description: 'The verdict of this signature alone (whether it covers the whole file is in coversWholeFile).' })
  verdict!: SignatureVerdict;

  @Field(() => String, { nullable: true, description: 'The signer certificate’s common name (CN): the person, or the agency for an agency’s signature.' })
  signerName!: string | null;

  @Field(() => String, { nullable: true, description: 'The signer certificate’s organisation (O).' })
  organisation!: string | null;

  @Field(() => String, { nullable: true, description: 'The certificate’s serial number, upper-case hexadecimal.' })
  certificateSerial!: string | null;

  @Field(() => String, { nullable: true, description: 'The certification authority that issued the certificate (CN, O, C).' })
  issuer!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'The signing time the signature states (its signing-time attribute, else the dictionary’s /M).' })
  signingTime!: string | null;

  @Field(() => Boolean, { description: 'The signed byte range reaches the end of the file.' })
  coversWholeFile!: boolean;

  @Field(() => Int, { description: 'Bytes after the end of the signed range (0 when it covers the whole file).' })
  bytesAfter!: number;

  @Field(() => Boolean, { description: 'The CMS signature verifies over the signed bytes.' })
  contentIntact!: boolean;

  @Field(() => Boolean, { description: 'The certificate chains to a trust anchor configured on this server.' })
  chainTrusted!: boolean;

  @Field(() => Boolean, { description: 'The certificate was valid at the signing time (at the time of the check when none is stated).' })
  validAtSigningTime!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the signature could not be read, when it could not.' })
  problem!: string | null;
}

@ObjectType('SignatureVerification', { description: 'The check of a PDF’s digital signatures, made when the file was uploaded or received.' })
export class SignatureVerificationType {
  @Field(() => SignatureVerdict, {
    description: 'The verdict for the file: the worst of its signatures’, or MODIFIED_AFTER_SIGNING when none covers the whole file.',
  })
  verdict!: SignatureVerdict;

  @Field(() => String, { nullable: true, description: 'Why the file as a whole could not be checked, when it could not.' })
  problem!: string | null;

  @Field(() => DateTimeScalar, { description: 'When the check was made.' })
  checkedAt!: Date;

  @Field(() => [DigitalSignatureType], { description: 'Each signature, in the order they were added.' })
  signatures!: DigitalSignatureType[];
}
