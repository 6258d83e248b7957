import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import { toGlobalId } from '../../src/graphql/global-id';
import * as oversight from '../../src/services/oversight.service';
import { DateScalar } from '../common/scalars';
import { BacklogReportType, UsageReportType, OverdueItemType, CheckInGapType } from './oversight.types';

const OVERSEERS = [Role.DIRECTOR, Role.HEAD, Role.STAFF, Role.CLERK, Role.SYSADMIN] as const;

@Resolver()
export class OversightResolver {
  @Allow(...OVERSEERS)
  @Query(() => BacklogReportType, {
    description:
      'Backlog per unit and per person: the agency director and the head of the Office the whole agency with its subordinate units, ' +
      'a subordinate unit’s director that unit, heads their department, staff themselves.',
  })
  backlog(@Ctx() ctx: Context, @Arg('unitId', () => ID, { nullable: true }) unitId: string | null) {
    return oversight.backlog(ctx, unitId);
  }

  @Allow(...OVERSEERS)
  @Query(() => UsageReportType, { description: 'Use of the system in a year, per unit and per person (Điều 11).' })
  usageReport(@Ctx() ctx: Context, @Arg('year', () => Int) year: number, @Arg('unitId', () => ID, { nullable: true }) unitId: string | null) {
    return oversight.usageReport(ctx, year, unitId);
  }

  @Allow(...OVERSEERS)
  @Query(() => [OverdueItemType], {
    description:
      'The overdue list (Điều 8.3): open work past its deadline in the units the viewer oversees, most overdue first, ' +
      'at most `first` (20 by default, 100 at most).',
  })
  async overdueList(
    @Ctx() ctx: Context,
    @Arg('unitId', () => ID, { nullable: true }) unitId: string | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
  ) {
    const items = await oversight.overdueList(ctx, unitId, first);
    return Promise.all(
      items.map(async (i) => ({
        ...i,
        assignmentId: toGlobalId('Assignment', i.assignmentId),
        assignee: i.assigneeId ? await ctx.loaders.account.load(i.assigneeId) : null,
      })),
    );
  }

  @Allow(...OVERSEERS)
  @Query(() => [CheckInGapType], {
    description: 'Who did not use the system both in the morning and in the afternoon of a working day (none on weekends, holidays and days off).',
  })
  missedCheckIns(@Ctx() ctx: Context, @Arg('date', () => DateScalar) date: string, @Arg('unitId', () => ID, { nullable: true }) unitId: string | null) {
    return oversight.missedCheckIns(ctx, date, unitId);
  }
}
