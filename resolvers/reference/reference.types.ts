import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { Node } from '../common/node';
import { DateTimeScalar } from '../common/scalars';
import { DocumentTypeOrigin } from '../../src/domain/reference/document-types';

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
