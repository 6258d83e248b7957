import { MaxLength } from 'class-validator';
import { Arg, Ctx, Field, InputType, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { OfficeDay } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { OfficeDayKind } from '../../src/domain/time/working-calendar';
import { Allow } from '../../src/graphql/access';
import * as calendar from '../../src/services/office-calendar.service';
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

@InputType({ description: 'A day of the working calendar.' })
export class OfficeDayInput {
  @Field(() => DateScalar) date!: string;
  @Field(() => OfficeDayKind, { description: 'COMPENSATORY_WORKDAY only on a Saturday or Sunday; COMPENSATORY_DAY_OFF only on a weekday.' })
  kind!: OfficeDayKind;
  @Field(() => String) @MaxLength(200) name!: string;
}

@Resolver(() => OfficeDayType)
export class OfficeCalendarResolver {
  @Allow('AUTHENTICATED')
  @Query(() => [OfficeDayType], {
    description: 'The holidays, compensatory days off and worked weekend days recorded for a year: with weekends, they decide every working-day count.',
  })
  officeDays(@Ctx() ctx: Context, @Arg('year', () => Int) year: number): Promise<OfficeDay[]> {
    return calendar.officeDays(ctx, year);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => OfficeDayType, {
    description: 'Records a day of the working calendar, or changes the one recorded on that date (SYSADMIN). In force at once on every server process.',
  })
  recordOfficeDay(@Ctx() ctx: Context, @Arg('input', () => OfficeDayInput) input: OfficeDayInput): Promise<OfficeDay> {
    return calendar.recordOfficeDay(ctx, input);
  }

  @Allow(Role.SYSADMIN)
  @Mutation(() => OfficeDayType, {
    description: 'Removes the day recorded on a date, which becomes an ordinary day again; returns what was removed (SYSADMIN).',
  })
  removeOfficeDay(@Ctx() ctx: Context, @Arg('date', () => DateScalar) date: string): Promise<OfficeDay> {
    return calendar.removeOfficeDay(ctx, date);
  }
}
