import { Field, ID, InputType } from 'type-graphql';
import { MaxLength } from 'class-validator';
import { UnitKind } from '../../src/domain/units/unit-rules';

@InputType({ description: 'A new unit (đơn vị).' })
export class CreateUnitInput {
  @Field(() => String)
  @MaxLength(200)
  name!: string;

  @Field(() => String, { description: 'Letters and digits, used in document symbols (SXD, VP).' })
  @MaxLength(20)
  shortName!: string;

  @Field(() => UnitKind)
  kind!: UnitKind;

  @Field(() => ID, { nullable: true })
  parentId?: string | null;

  @Field(() => String, { nullable: true, description: 'The 13-character identifier (mã định danh), e.g. 000.00.00.H08.' })
  @MaxLength(13)
  code?: string | null;
}

@InputType({ description: 'Changes to a unit; omitted fields stay as they are.' })
export class UpdateUnitInput {
  @Field(() => String, { nullable: true })
  @MaxLength(200)
  name?: string;

  @Field(() => String, { nullable: true })
  @MaxLength(20)
  shortName?: string;

  @Field(() => ID, { nullable: true, description: 'Moves the unit under another one.' })
  parentId?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(13)
  code?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'For a records-keeping unit led collectively: the body’s name written after "TM." above its head’s signature (e.g. "Ủy ban nhân dân"); ' +
      '"" for a head-led body.',
  })
  @MaxLength(200)
  collectiveBody?: string | null;
}
