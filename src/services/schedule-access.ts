import { subject } from '@casl/ability';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Unit, WorkSchedule, WorkScheduleEntry, WorkScheduleEntryDocument, WorkScheduleVersion } from '../../entities';
import type { Context } from '../context';
import type { Action } from '../domain/permissions/ability';
import type { Viewer } from '../domain/permissions/viewer';
import { parseIsoWeek, weekOfDate } from '../domain/schedule/iso-week';
import { ScheduleState, byDateAndTime, inProgress, isParticipant } from '../domain/schedule/schedule-rules';
import { officeDate } from '../domain/time/office-time';
import { AppError, ErrorCode, badInput, forbidden } from '../errors';
import { keyOf } from '../graphql/global-id';
import { perObject } from '../graphql/request-memo';
import { requireViewer } from './guards';
import { date as dateInput } from './input-checks';

/**
 * Who sees which version of a work schedule. The CASL rules (src/domain/permissions/ability.ts, and the
 * administrators' rules on the subject `WorkSchedule`) decide on the version's facts; on top of them,
 * whatever a rule says, a schedule never leaves its keeping unit except to its own participants.
 */
export interface ScheduleFacts {
  keepingUnit: string;
  published: boolean;
  participantAccounts: string[];
  participantUnits: string[];
}

export const NO_SCHEDULE = () => new AppError(ErrorCode.NOT_FOUND, 'No work schedule was found with this id, or you may not see it.');

/** The entries of a version in the order of the week view. */
export async function entriesOf(em: EntityManager, versionId: string): Promise<WorkScheduleEntry[]> {
  const rows = await em.find(WorkScheduleEntry, { version: versionId });
  return rows.sort(byDateAndTime);
}

/** The documents linked to entries, by entry id. */
export async function linksOf(em: EntityManager, entryIds: readonly string[]): Promise<Map<string, WorkScheduleEntryDocument[]>> {
  const out = new Map<string, WorkScheduleEntryDocument[]>();
  if (!entryIds.length) return out;
  const rows = await em.find(WorkScheduleEntryDocument, { entry: { $in: [...entryIds] } }, { orderBy: { id: 'asc' } });
  for (const r of rows) out.set(r.entry.id, [...(out.get(r.entry.id) ?? []), r]);
  return out;
}

/** The facts of a version from its entries: the chairs count as participants. */
export function factsOf(schedule: WorkSchedule, version: WorkScheduleVersion, entries: readonly WorkScheduleEntry[]): ScheduleFacts {
  const accounts = new Set<string>();
  const units = new Set<string>();
  for (const e of entries) {
    for (const a of e.participantAccountIds) accounts.add(a);
    if (e.chair) accounts.add(e.chair.id);
    for (const u of e.participantUnitIds) units.add(u);
  }
  return {
    keepingUnit: schedule.keepingUnit.id,
    published: version.state === ScheduleState.PUBLISHED || version.state === ScheduleState.SUPERSEDED,
    participantAccounts: [...accounts],
    participantUnits: [...units],
  };
}

/** Whether the viewer may take `action` on a version with these facts. */
export function allowed(ctx: Context, viewer: Viewer, action: Action, facts: ScheduleFacts): boolean {
  if (!ctx.ability.can(action, subject('WorkSchedule', { ...facts }) as never)) return false;
  if (facts.keepingUnit === viewer.keepingUnitId) return true;
  // Outside its keeping unit a schedule is only read, and only by its participants.
  return action === 'read' && facts.published && isParticipant(viewer, facts);
}

/** The facts of a version, computed once per request. */
export function versionFacts(ctx: Context, schedule: WorkSchedule, version: WorkScheduleVersion): Promise<ScheduleFacts> {
  return perObject(version, 'schedule-facts', async () => factsOf(schedule, version, await versionEntries(ctx, version)));
}

/** The entries of a version, read once per request. */
export function versionEntries(ctx: Context, version: WorkScheduleVersion): Promise<WorkScheduleEntry[]> {
  return perObject(version, 'schedule-entries', () => entriesOf(ctx.em, version.id));
}

/** Whether the viewer may read this version. */
export async function canReadVersion(ctx: Context, schedule: WorkSchedule, version: WorkScheduleVersion): Promise<boolean> {
  if (!ctx.viewer) return false;
  return allowed(ctx, ctx.viewer, 'read', await versionFacts(ctx, schedule, version));
}

/** Every version of a schedule, oldest first, read once per request. */
export function versionsOf(ctx: Context, schedule: WorkSchedule): Promise<WorkScheduleVersion[]> {
  return perObject(schedule, 'schedule-versions', () => ctx.em.find(WorkScheduleVersion, { schedule: schedule.id }, { orderBy: { number: 'asc' } }));
}

/** The versions of a schedule the viewer may read, oldest first. */
export async function readableVersions(ctx: Context, schedule: WorkSchedule): Promise<WorkScheduleVersion[]> {
  const all = await versionsOf(ctx, schedule);
  const ok = await Promise.all(all.map((v) => canReadVersion(ctx, schedule, v)));
  return all.filter((_, i) => ok[i]);
}

/** The version in force, when the viewer may read it. */
export async function publishedVersion(ctx: Context, schedule: WorkSchedule): Promise<WorkScheduleVersion | null> {
  return (await readableVersions(ctx, schedule)).find((v) => v.state === ScheduleState.PUBLISHED) ?? null;
}

/** The version being prepared (draft, submitted or returned), when the viewer may read it. */
export async function versionInProgress(ctx: Context, schedule: WorkSchedule): Promise<WorkScheduleVersion | null> {
  return (await readableVersions(ctx, schedule)).find((v) => inProgress(v.state)) ?? null;
}

/** A schedule of which the viewer may read at least one version, or NOT_FOUND. */
export async function findReadableSchedule(ctx: Context, id: string, argument = 'id'): Promise<WorkSchedule> {
  requireViewer(ctx);
  const schedule = await ctx.em.findOne(WorkSchedule, { id: keyOf('WorkSchedule', id, argument) });
  if (!schedule || !(await readableVersions(ctx, schedule)).length) throw NO_SCHEDULE();
  return schedule;
}

/** A version the viewer may read, or NOT_FOUND. */
export async function findReadableVersion(ctx: Context, id: string, argument = 'id'): Promise<WorkScheduleVersion> {
  requireViewer(ctx);
  const version = await ctx.em.findOne(WorkScheduleVersion, { id: keyOf('WorkScheduleVersion', id, argument) }, { populate: ['schedule'] });
  if (!version || !(await canReadVersion(ctx, version.schedule, version))) throw NO_SCHEDULE();
  return version;
}

/** Refuses with FORBIDDEN unless the viewer may take `action` on the version. */
export async function authorizeOn(ctx: Context, schedule: WorkSchedule, version: WorkScheduleVersion, action: Action): Promise<void> {
  const viewer = requireViewer(ctx);
  const facts = factsOf(schedule, version, await entriesOf(ctx.em, version.id));
  if (!allowed(ctx, viewer, action, facts)) throw forbidden();
}

/** The week asked for: `week` (YYYY-Www), or the week of `date`, or this week in office time. */
export function resolveWeek(ctx: Context, week: string | null | undefined, date: string | null | undefined): { week: string; monday: string; sunday: string } {
  if (week && date) throw badInput('Give either week or date, not both.', 'date');
  const raw = week ?? weekOfDate(dateInput(date, 'date') ?? officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone));
  const parsed = parseIsoWeek(raw);
  if (!parsed) throw badInput('week must be an ISO week written YYYY-Www, such as 2026-W49.', 'week');
  return parsed;
}

/** The keeping unit whose schedule is asked for: the viewer's, or a unit that keeps records. */
export async function resolveKeepingUnit(ctx: Context, unitId: string | null | undefined): Promise<string> {
  const viewer = requireViewer(ctx);
  if (!unitId) return viewer.keepingUnitId;
  const unit = await ctx.em.findOne(Unit, { id: keyOf('Unit', unitId, 'unitId') });
  if (!unit) throw new AppError(ErrorCode.NOT_FOUND, 'No unit was found with this unitId.', { field: 'unitId' });
  if (!unit.keepsRecords) throw badInput('unitId must be the agency or a subordinate unit: departments have no schedule of their own.', 'unitId');
  return unit.id;
}

/** The week view: the schedule of a keeping unit for a week, when the viewer may read a version of it; else null. */
export async function weekSchedule(ctx: Context, args: { week?: string | null; date?: string | null; unitId?: string | null }): Promise<WorkSchedule | null> {
  requireViewer(ctx);
  const week = resolveWeek(ctx, args.week, args.date);
  const keepingUnit = await resolveKeepingUnit(ctx, args.unitId);
  const schedule = await ctx.em.findOne(WorkSchedule, { keepingUnit, week: week.week });
  if (!schedule) return null;
  return (await readableVersions(ctx, schedule)).length ? schedule : null;
}
