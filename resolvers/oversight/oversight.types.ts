import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { Account, Document, Unit } from '../../entities';
import { AssignmentRole } from '../../src/domain/incoming/routing';
import { AccountType } from '../account/account.type';
import { DateScalar, DateTimeScalar } from '../common/scalars';
import { DocumentInterface } from '../documents/document.types';
import { UnitType } from '../unit/unit.type';

@ObjectType('UnitBacklog', { description: 'What waits in one unit (tồn đọng).' })
export class UnitBacklogType {
  @Field(() => UnitType) unit!: Unit;
  @Field(() => Int, { description: 'Open lead and cooperating assignments.' }) waiting!: number;
  @Field(() => Int, { description: 'Of those, due within 2 working days.' }) dueSoon!: number;
  @Field(() => Int, { description: 'Of those, past their deadline.' }) overdue!: number;
  @Field(() => Int, { description: 'Registered but not submitted by the last 9:00 / 15:00 cut-off (urgent ones at once).' }) notSubmittedPastCutoff!: number;
}

@ObjectType('PersonBacklog', { description: 'What waits for one person.' })
export class PersonBacklogType {
  @Field(() => AccountType) account!: Account;
  @Field(() => Int) waiting!: number;
  @Field(() => Int) dueSoon!: number;
  @Field(() => Int) overdue!: number;
}

@ObjectType('BacklogReport', { description: 'Backlog per unit and per person (Điều 8.3), as of now.' })
export class BacklogReportType {
  @Field(() => DateTimeScalar) asOf!: Date;
  @Field(() => [UnitBacklogType]) units!: UnitBacklogType[];
  @Field(() => [PersonBacklogType]) people!: PersonBacklogType[];
}

@ObjectType('UsageFigures', { description: 'Use of the system in a year (Điều 11).' })
export class UsageFiguresType {
  @Field(() => Int, { description: 'Units: incoming documents registered. People: assignments received.' }) received!: number;
  @Field(() => Int, { description: 'Lead and cooperating assignments made in the year.' }) assigned!: number;
  @Field(() => Int) completedOnTime!: number;
  @Field(() => Int) completedLate!: number;
  @Field(() => Int) stillOpen!: number;
  @Field(() => Int) overdue!: number;
  @Field(() => Int, { description: 'Outgoing documents drafted (created) in the year.' }) draftsCreated!: number;
  @Field(() => Int, { description: 'Outgoing documents drafted and issued in the year.' }) draftsIssued!: number;
  @Field(() => Int, { description: 'Working days with at least two uses of the system (Điều 10.2); for a unit, summed over its people.' }) checkInDays!: number;
  @Field(() => Int, { description: 'Visits in the year (back after an hour away); for a unit, summed over its people.' }) visits!: number;
  @Field(() => Float, { nullable: true, description: 'Median hours from assignment to completion.' }) medianProcessingHours!: number | null;
  @Field(() => Int, { description: 'Incidents (sự cố) reported in the year: a unit’s from the unit, a person’s by the person (Điều 8.5, 10.4).' })
  incidentsReported!: number;
}

@ObjectType('UnitUsage')
export class UnitUsageType extends UsageFiguresType {
  @Field(() => UnitType) unit!: Unit;
}

@ObjectType('PersonUsage')
export class PersonUsageType extends UsageFiguresType {
  @Field(() => AccountType) account!: Account;
}

@ObjectType('UsageReport', {
  description: 'The yearly report on the use of the system per unit and per person (Điều 11). Also at GET /reports/usage.csv?year=YYYY.',
})
export class UsageReportType {
  @Field(() => Int) year!: number;
  @Field(() => Int, { description: 'Incidents (sự cố) reported in the year by the people and units of the report (Điều 8.5, 10.4).' }) incidents!: number;
  @Field(() => [UnitUsageType]) units!: UnitUsageType[];
  @Field(() => [PersonUsageType]) people!: PersonUsageType[];
}

@ObjectType('OverdueItem', { description: 'One piece of overdue work (quá hạn) in an overseen unit.' })
export class OverdueItemType {
  @Field(() => ID, { description: 'The assignment.' }) assignmentId!: string;
  @Field(() => UnitType, { description: 'The unit the work belongs to.' }) unit!: Unit;
  @Field(() => AccountType, { nullable: true, description: 'The person holding it, when it was given to a person.' }) assignee!: Account | null;
  @Field(() => AssignmentRole) role!: AssignmentRole;
  @Field(() => DateScalar) deadline!: string;
  @Field(() => Int, { description: 'Calendar days past the deadline.' }) daysOverdue!: number;
  @Field(() => DocumentInterface, {
    nullable: true,
    description: 'The document; null when the viewer may not read it (an overseer sees the figures, not always the content).',
  })
  document!: Document | null;
}

@ObjectType('CheckInGap', { description: 'A person who did not use the system in both the morning and the afternoon of a working day (Điều 10.2).' })
export class CheckInGapType {
  @Field(() => AccountType) account!: Account;
  @Field(() => Int, { description: 'Sessions used that day: 0 or 1 (a person who used both is not listed).' }) visits!: number;
  @Field(() => Boolean, { description: 'Used the system in the morning session (before noon, office time).' }) morning!: boolean;
  @Field(() => Boolean, { description: 'Used the system in the afternoon session (from noon, office time).' }) afternoon!: boolean;
}
