import { MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { OfficeDayKind } from '../../src/domain/time/working-calendar';
import { DateScalar } from '../common/scalars';

@InputType({ description: 'A day of the working calendar.' })
export class OfficeDayInput {
  @Field(() => DateScalar) date!: string;
  @Field(() => OfficeDayKind, { description: 'COMPENSATORY_WORKDAY only on a Saturday or Sunday; COMPENSATORY_DAY_OFF only on a weekday.' })
  kind!: OfficeDayKind;
  @Field(() => String) @MaxLength(200) name!: string;
}
