import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { OfficeDay } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import * as calendar from '../../src/services/office-calendar.service';
import { DateScalar } from '../common/scalars';
import { OfficeDayType } from './office-calendar.types';
import { OfficeDayInput } from './office-calendar.inputs';

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
