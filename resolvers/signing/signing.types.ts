import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DelegationForm, SigningCapacity } from '../../src/domain/signing/capacity';
import { DateTimeScalar } from '../common/scalars';
import { AccountType } from '../account/account.type';
import { Connection } from '../common/connection';
import { OutgoingDocumentType } from '../documents/document.types';

registerEnumType(SigningCapacity, {
  name: 'SigningCapacity',
  description: 'The capacity in which a document is signed (NĐ 30/2020 Điều 13); it follows from the signer’s position and the delegation in force.',
  valuesConfig: {
    HEAD: { description: 'The head of a head-led body, in their own name: "GIÁM ĐỐC".' },
    ON_BEHALF_OF_BODY: { description: 'TM.: the head of a collective body on its behalf: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH".' },
    ACTING: { description: 'Q.: an acting head: "Q. GIÁM ĐỐC".' },
    DEPUTY: { description: 'KT.: a deputy for the head: "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC".' },
    BY_ORDER: { description: 'TL.: the head of a unit by order of the head: "TL. GIÁM ĐỐC" / "CHÁNH VĂN PHÒNG".' },
    BY_AUTHORISATION: { description: 'TUQ.: the head of a unit under a written authorisation for a period: "TUQ. GIÁM ĐỐC" / "TRƯỞNG PHÒNG".' },
  },
});

registerEnumType(DelegationForm, {
  name: 'DelegationForm',
  description: 'How a head lets the head of one of the body’s units sign for them.',
  valuesConfig: {
    AUTHORISATION: { description: 'Ủy quyền in writing for the period (TUQ.); it cannot be passed on.' },
    BY_ORDER: { description: 'Thừa lệnh: certain kinds of documents by order of the head (TL.).' },
  },
});

@ObjectType('OutgoingSignature', {
  description: 'A signature on an outgoing document: who signed, in what capacity, for whom, and the lines printed above it.',
})
export class OutgoingSignatureType {
  @Field(() => AccountType)
  signer!: unknown;

  @Field(() => SigningCapacity)
  capacity!: SigningCapacity;

  @Field(() => String, {
    nullable: true,
    description: 'For whom: the head’s title ("Giám đốc") or the collective body; null when the head signs in their own name.',
  })
  signedFor?: string | null;

  @Field(() => AccountType, { nullable: true, description: 'The person signed for, when known (the delegator, or the head of the unit).' })
  signedOnBehalfOf?: unknown;

  @Field(() => [String], { description: 'The lines above the signature, as printed: ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"].' })
  lines!: string[];

  @Field(() => String, { description: 'The signer’s own title (chức vụ của người ký).' })
  signerTitle!: string;

  @Field(() => DateTimeScalar)
  signedAt!: Date;
}

export const OutgoingRegisterConnection = Connection(OutgoingDocumentType, 'OutgoingRegister');
