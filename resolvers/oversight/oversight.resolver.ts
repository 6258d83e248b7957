import { Arg, Ctx, Field, Float, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import type { Account, Unit } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { Allow } from '../../src/graphql/access';
import * as oversight from '../../src/services/oversight.service';
import { AccountType } from '../account/account.type';
import { DateScalar, DateTimeScalar } from '../common/scalars';
import { UnitType } from '../unit/unit.type';

@ObjectType('UnitBacklog', { description: 'What waits in one unit (tồn đọng).' })
class UnitBacklogType {
  @Field(() => UnitType) unit!: Unit;
  @Field(() => Int, { description: 'Open lead and cooperating assignments.' }) waiting!: number;
  @Field(() => Int, { description: 'Of those, due within 2 working days.' }) dueSoon!: number;
  @Field(() => Int, { description: 'Of those, past their deadline.' }) overdue!: number;
  @Field(() => Int, { description: 'Registered but not submitted by the last 9:00 / 15:00 cut-off (urgent ones at once).' }) notSubmittedPastCutoff!: number;
}

@ObjectType('PersonBacklog', { description: 'What waits for one person.' })
class PersonBacklogType {
  @Field(() => AccountType) account!: Account;
  @Field(() => Int) waiting!: number;
  @Field(() => Int) dueSoon!: number;
  @Field(() => Int) overdue!: number;
}

@ObjectType('BacklogReport', { description: 'Backlog per unit and per person (Điều 8.3), as of now.' })
class BacklogReportType {
  @Field(() => DateTimeScalar) asOf!: Date;
  @Field(() => [UnitBacklogType]) units!: UnitBacklogType[];
  @Field(() => [PersonBacklogType]) people!: PersonBacklogType[];
}

@ObjectType('UsageFigures', { description: 'Use of the system in a year (Điều 11).' })
class UsageFiguresType {
  @Field(() => Int, { description: 'Units: incoming documents registered. People: assignments received.' }) received!: number;
  @Field(() => Int, { description: 'Lead and cooperating assignments made in the year.' }) assigned!: number;
  @Field(() => Int) completedOnTime!: number;
  @Field(() => Int) completedLate!: number;
  @Field(() => Int) stillOpen!: number;
  @Field(() => Int) overdue!: number;
  @Field(() => Int, { description: 'Outgoing documents drafted and issued.' }) draftsIssued!: number;
  @Field(() => Float, { nullable: true, description: 'Median hours from assignment to completion.' }) medianProcessingHours!: number | null;
}

@ObjectType('UnitUsage')
class UnitUsageType extends UsageFiguresType {
  @Field(() => UnitType) unit!: Unit;
}

@ObjectType('PersonUsage')
class PersonUsageType extends UsageFiguresType {
  @Field(() => AccountType) account!: Account;
}

@ObjectType('UsageReport', { description: 'The yearly report on the use of the system per unit and per person (Điều 11). Also at GET /reports/usage.csv?year=YYYY.' })
class UsageReportType {
  @Field(() => Int) year!: number;
  @Field(() => Int, { description: 'Incidents (sự cố) reported in the year by the people and units of the report (Điều 8.5, 10.4).' }) incidents!: number;
  @Field(() => [UnitUsageType]) units!: UnitUsageType[];
  @Field(() => [PersonUsageType]) people!: PersonUsageType[];
}

@ObjectType('CheckInGap', { description: 'A person who did not use the system in both the morning and the afternoon of a working day (Điều 10.2).' })
class CheckInGapType {
  @Field(() => AccountType) account!: Account;
  @Field(() => Int, { description: 'Sessions used that day: 0 or 1 (a person who used both is not listed).' }) visits!: number;
  @Field(() => Boolean, { description: 'Used the system in the morning session (before noon, office time).' }) morning!: boolean;
  @Field(() => Boolean, { description: 'Used the system in the afternoon session (from noon, office time).' }) afternoon!: boolean;
}

const OVERSEERS = [Role.DIRECTOR, Role.HEAD, Role.STAFF, Role.CLERK, Role.SYSADMIN] as const;

@Resolver()
export class OversightResolver {
  @Allow(...OVERSEERS)
  @Query(() => BacklogReportType, { description: 'Backlog per unit and per person: directors see their keeping unit, heads their department, staff themselves.' })
  backlog(@Ctx() ctx: Context, @Arg('unitId', () => ID, { nullable: true }) unitId: string | null) {
    return oversight.backlog(ctx, unitId);
  }

  @Allow(...OVERSEERS)
  @Query(() => UsageReportType, { description: 'Use of the system in a year, per unit and per person (Điều 11).' })
  usageReport(@Ctx() ctx: Context, @Arg('year', () => Int) year: number, @Arg('unitId', () => ID, { nullable: true }) unitId: string | null) {
    return oversight.usageReport(ctx, year, unitId);
  }

  @Allow(...OVERSEERS)
  @Query(() => [CheckInGapType], {
    description: 'Who did not use the system both in the morning and in the afternoon of a working day (none on weekends, holidays and days off).',
  })
  missedCheckIns(@Ctx() ctx: Context, @Arg('date', () => DateScalar) date: string, @Arg('unitId', () => ID, { nullable: true }) unitId: string | null) {
    return oversight.missedCheckIns(ctx, date, unitId);
  }
}
