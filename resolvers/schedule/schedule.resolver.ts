import { Arg, Ctx, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { WorkSchedule, WorkScheduleEvent, WorkScheduleVersion } from '../../entities';
import type { Context } from '../../src/context';
import { Role } from '../../src/domain/accounts/account-rules';
import { workScheduleEvents } from '../../src/events/schedule-stream';
import { Allow } from '../../src/graphql/access';
import * as schedules from '../../src/services/schedule.service';
import { weekSchedule } from '../../src/services/schedule-access';
import { DateScalar } from '../common/scalars';
import { WorkScheduleEntryInput, WorkScheduleEventType, WorkScheduleType, WorkScheduleVersionType } from './schedule.types';

const ANYONE_WORKING = [Role.STAFF, Role.HEAD, Role.DIRECTOR, Role.CLERK] as const;

interface SubscribeData {
  args: { after?: string | null; unitId?: string | null };
  context: Context;
}

@Resolver()
export class WorkScheduleResolver {
  @Allow(...ANYONE_WORKING)
  @Query(() => WorkScheduleType, {
    nullable: true,
    description:
      'The week view: the weekly work schedule of a keeping unit (the viewer’s by default) for an ISO week (`week: "2026-W49"`), the week of `date`, or this week. Null when there is none or the viewer may see no version of it. Select `routingEventsCursor` beside it and subscribe to `workScheduleChanged(after:)` to follow it live.',
  })
  workSchedule(
    @Ctx() ctx: Context,
    @Arg('week', () => String, { nullable: true, description: 'YYYY-Www.' }) week: string | null,
    @Arg('date', () => DateScalar, { nullable: true, description: 'A day of the week wanted, instead of `week`.' }) date: string | null,
    @Arg('unitId', () => ID, { nullable: true, description: 'The agency or subordinate unit; the viewer’s keeping unit by default.' }) unitId: string | null,
  ): Promise<WorkSchedule | null> {
    return weekSchedule(ctx, { week, date, unitId });
  }

  @Allow(...ANYONE_WORKING)
  @Mutation(() => WorkScheduleVersionType, {
    description: 'The Office opens the schedule of its keeping unit for a week (version 1, DRAFT), optionally with its entries.',
  })
  createWorkSchedule(
    @Ctx() ctx: Context,
    @Arg('week', () => String, { description: 'YYYY-Www: this week or a coming one.' }) week: string,
    @Arg('entries', () => [WorkScheduleEntryInput], { nullable: true }) entries: WorkScheduleEntryInput[] | null,
  ): Promise<WorkScheduleVersion> {
    return schedules.createWorkSchedule(ctx, week, entries);
  }

  @Allow(...ANYONE_WORKING)
  @Mutation(() => WorkScheduleVersionType, {
    description: 'The Office replaces the entries of the version being prepared (DRAFT or RETURNED); each is checked, and nothing is saved unless all pass.',
  })
  saveWorkScheduleEntries(
    @Ctx() ctx: Context,
    @Arg('scheduleId', () => ID) scheduleId: string,
    @Arg('entries', () => [WorkScheduleEntryInput]) entries: WorkScheduleEntryInput[],
  ): Promise<WorkScheduleVersion> {
    return schedules.saveWorkScheduleEntries(ctx, scheduleId, entries);
  }

  @Allow(...ANYONE_WORKING)
  @Mutation(() => WorkScheduleVersionType, { description: 'The Office sends the version being prepared to the director.' })
  submitWorkSchedule(@Ctx() ctx: Context, @Arg('scheduleId', () => ID) scheduleId: string): Promise<WorkScheduleVersion> {
    return schedules.submitWorkSchedule(ctx, scheduleId);
  }

  @Allow(...ANYONE_WORKING)
  @Mutation(() => WorkScheduleVersionType, { description: 'The director sends the submitted version back to the Office with the reason.' })
  returnWorkSchedule(
    @Ctx() ctx: Context,
    @Arg('scheduleId', () => ID) scheduleId: string,
    @Arg('reason', () => String) reason: string,
  ): Promise<WorkScheduleVersion> {
    return schedules.returnWorkSchedule(ctx, scheduleId, reason);
  }

  @Allow(...ANYONE_WORKING)
  @Mutation(() => WorkScheduleVersionType, {
    description: 'The director approves the submitted version, which publishes it to everyone concerned (the version it replaces becomes SUPERSEDED).',
  })
  approveWorkSchedule(@Ctx() ctx: Context, @Arg('scheduleId', () => ID) scheduleId: string): Promise<WorkScheduleVersion> {
    return schedules.approveWorkSchedule(ctx, scheduleId);
  }

  @Allow(...ANYONE_WORKING)
  @Mutation(() => WorkScheduleVersionType, {
    description:
      'The Office opens a change to the published schedule: a new DRAFT version with a copy of the entries in force; the published one stays in force until the new one is approved.',
  })
  reviseWorkSchedule(
    @Ctx() ctx: Context,
    @Arg('scheduleId', () => ID) scheduleId: string,
    @Arg('reason', () => String, { description: 'Why it changes; announced with the new version.' }) reason: string,
  ): Promise<WorkScheduleVersion> {
    return schedules.reviseWorkSchedule(ctx, scheduleId, reason);
  }

  @Allow(...ANYONE_WORKING)
  @Subscription(() => WorkScheduleEventType, {
    description:
      'Steps of the weekly work schedules the subscriber may read at the moment of delivery: a publication or a published revision reaches the whole keeping unit and every participant; submissions and returns reach the Office and the director. Same stream and cursors as `routingEvents`: pass `routingEventsCursor` or the last `cursor` as `after`.',
    subscribe: ({ args, context }: SubscribeData) => workScheduleEvents(context, args.after, args.unitId),
  })
  workScheduleChanged(
    @Root() event: WorkScheduleEvent,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The cursor of the last event received, or the `routingEventsCursor` of the query that loaded the data.',
    })
    _after: string | null,
    @Arg('unitId', () => ID, { nullable: true, description: 'Only the schedules of this keeping unit.' }) _unitId: string | null,
  ): WorkScheduleEvent {
    return event;
  }
}
