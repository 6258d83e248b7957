import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { UnitKind } from '../../src/domain/units/unit-rules';
import { Node } from '../common/node';

registerEnumType(UnitKind, {
  name: 'UnitKind',
  description: 'Kind of unit (loại đơn vị).',
  valuesConfig: {
    AGENCY: { description: 'The agency (cơ quan), e.g. Sở Xây dựng; keeps records.' },
    DEPARTMENT: { description: 'A department (phòng) of the agency or of a subordinate unit; uses its parent’s records.' },
    SUBORDINATE: { description: 'A subordinate public-service unit (đơn vị trực thuộc); keeps its own records.' },
  },
});

@ObjectType('Unit', { implements: Node, description: 'A unit (đơn vị) of the agency’s tree.' })
export class UnitType extends Node {
  @Field(() => ID)
  declare id: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Used in document symbols (SXD, VP).' })
  shortName!: string;

  @Field(() => String, { nullable: true, description: 'The 13-character identifier (mã định danh), where known.' })
  code?: string | null;

  @Field(() => UnitKind)
  kind!: UnitKind;

  @Field(() => String, {
    nullable: true,
    description: 'For a collective body: the name written after "TM." above its head’s signature; null for a head-led body.',
  })
  collectiveBody?: string | null;

  @Field(() => Boolean, { description: 'True for the agency and subordinate units, which have their own clerk and registers (đơn vị có văn thư).' })
  keepsRecords!: boolean;
}
