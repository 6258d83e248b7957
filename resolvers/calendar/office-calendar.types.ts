import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { OfficeDayKind } from '../../src/domain/time/working-calendar';
import { DateScalar, DateTimeScalar } from '../common/scalars';

registerEnumType(OfficeDayKind, {
  name: 'OfficeDayKind',
  description: 'How a recorded day departs from the Monday-to-Friday week.',
  valuesConfig: {
    HOLIDAY: { description: 'A public holiday (ngày lễ, Tết); on a weekend it changes nothing.' },
    COMPENSATORY_DAY_OFF: { description: 'A weekday off in compensation (nghỉ bù, hoán đổi).' },
    COMPENSATORY_WORKDAY: { description: 'A Saturday or Sunday worked in exchange (làm bù).' },
  },
});

@ObjectType('OfficeDay', { description: 'A day of the working calendar recorded by the SYSADMIN: a holiday, a compensatory day off or a worked weekend day.' })
export class OfficeDayType {
  @Field(() => DateScalar) date!: string;
  @Field(() => OfficeDayKind) kind!: OfficeDayKind;
  @Field(() => String, { description: 'What it is, e.g. "Tết Nguyên đán Bính Ngọ (mùng 1)".' }) name!: string;
  @Field(() => DateTimeScalar) recordedAt!: Date;
}
