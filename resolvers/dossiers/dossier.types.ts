import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Document } from '../../entities';
import { DossierState } from '../../src/domain/dossiers/dossier-rules';
import { Connection } from '../common/connection';
import { Node } from '../common/node';
import { DateScalar, DateTimeScalar } from '../common/scalars';
import { DocumentInterface } from '../documents/document.types';

registerEnumType(DossierState, {
  name: 'DossierState',
  description: 'Whether a dossier takes documents.',
  valuesConfig: { OPEN: { description: 'Open (đang mở).' }, CLOSED: { description: 'Closed when the work ended (đã đóng).' } },
});

@ObjectType('Dossier', { implements: Node, description: 'A work dossier (hồ sơ công việc), NĐ 30/2020 Điều 28-31.' })
export class DossierType extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => String, { description: 'Mã hồ sơ: organ identifier + year + notation (000.00.00.H08.2026.01.VP).' })
  code!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => String, { description: 'Ký hiệu hồ sơ.' })
  notation!: string;

  @Field(() => String, { description: 'Tiêu đề hồ sơ.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'Chế độ sử dụng.' })
  rights?: string | null;

  @Field(() => String)
  language!: string;

  @Field(() => DateScalar)
  startDate!: string;

  @Field(() => DateScalar, { nullable: true })
  endDate?: string | null;

  @Field(() => String, { nullable: true })
  note?: string | null;

  @Field(() => DossierState)
  state!: DossierState;

  @Field(() => DateTimeScalar, { nullable: true })
  closedAt?: Date | null;
}

@ObjectType('FiledDocument', { description: 'A document in a dossier, with its ordinal (số thứ tự trong hồ sơ).' })
export class FiledDocumentType {
  @Field(() => Int)
  ordinal!: number;

  @Field(() => DocumentInterface)
  document!: Document;
}

export const DossierConnection = Connection(DossierType, 'Dossier');
