/** What the nested fields of a work schedule load: a version's schedule, an earlier version, an entry's linked documents. */
import { WorkSchedule, WorkScheduleVersion, type WorkScheduleEntryDocument } from '../../entities';
import type { Context } from '../context';
import { linksOf } from './schedule-access';

/** The schedule of a version (loaded when only its reference is at hand). */
export function scheduleOfVersion(ctx: Context, v: WorkScheduleVersion): WorkSchedule | Promise<WorkSchedule> {
  return v.schedule.week ? v.schedule : ctx.em.findOneOrFail(WorkSchedule, { id: v.schedule.id });
}

/** One version of a schedule by its number, or null. */
export function versionByNumber(ctx: Context, scheduleKey: string, n: number): Promise<WorkScheduleVersion | null> {
  return ctx.em.findOne(WorkScheduleVersion, { schedule: scheduleKey, number: n });
}

/** The documents linked to entries, by entry id. */
export function entryLinks(ctx: Context, entryIds: readonly string[]): Promise<Map<string, WorkScheduleEntryDocument[]>> {
  return linksOf(ctx.em, entryIds);
}
