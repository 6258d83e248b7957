import { MaxLength } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { METADATA_LIMITS, Urgency } from '../../src/domain/documents/document-enums';
import { DateScalar } from '../common/scalars';

@InputType({
  description:
    'The metadata to correct on a received or registered document: a field left out stays as it is; null clears an optional one. ' +
    'The result is checked as receiveDocument checks its input.',
})
export class CorrectRegistrationInput {
  @Field(() => String, { nullable: true, description: 'DocumentType.code.' })
  @MaxLength(10)
  documentTypeCode?: string | null;

  @Field(() => String, { nullable: true, description: 'As printed: "131".' })
  @MaxLength(METADATA_LIMITS.number)
  number?: string | null;

  @Field(() => String, { nullable: true, description: 'As printed: "QĐ-UBND".' })
  @MaxLength(METADATA_LIMITS.symbol)
  symbol?: string | null;

  @Field(() => DateScalar, { nullable: true })
  issuedDate?: string | null;

  @Field(() => String, { nullable: true, description: 'The issuing body, as printed.' })
  @MaxLength(METADATA_LIMITS.issuer)
  issuer?: string | null;

  @Field(() => String, { nullable: true, description: 'Trích yếu nội dung.' })
  @MaxLength(METADATA_LIMITS.subject)
  subject?: string | null;

  @Field(() => Int, { nullable: true })
  pageCount?: number | null;

  @Field(() => String, { nullable: true })
  @MaxLength(METADATA_LIMITS.signerName)
  signerName?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(METADATA_LIMITS.signerPosition)
  signerPosition?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(METADATA_LIMITS.note)
  note?: string | null;

  @Field(() => Urgency, { nullable: true })
  urgency?: Urgency | null;

  @Field(() => DateScalar, { nullable: true, description: 'Thời hạn giải quyết the sender asks for.' })
  dueDate?: string | null;
}
