import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import { WorkSchedule, WorkScheduleEvent, WorkScheduleVersion } from '../../entities';
import type { Context } from '../context';
import { withTransaction, type TxContext } from '../transaction';
import type { Action } from '../domain/permissions/ability';
import { parseIsoWeek } from '../domain/schedule/iso-week';
import { LIMITS, ScheduleEventKind, ScheduleState, inProgress, SCHEDULE_WORKFLOW, stepStartsFrom, type ScheduleStep } from '../domain/schedule/schedule-rules';
import { addDays, officeDate } from '../domain/time/office-time';
import { AppError, ErrorCode, badInput, forbidden } from '../errors';
import { keyOf } from '../graphql/global-id';
import { requireViewer } from './guards';
import { text } from './input-checks';
import { NO_SCHEDULE, allowed, entriesOf, factsOf, linksOf, resolveWeek, type ScheduleFacts } from './schedule-access';
import { checkEntries, toFacts, writeEntries, type EntryInput } from './schedule-entries';

/**
 * The weekly work schedule's use cases (lịch công tác): the Office drafts it, the director approves
 * (which publishes it) or returns it, a change after publication is a new version. Each step runs in
 * one transaction with the schedule row locked, and the steps that others must hear of write their
 * event in it.
 */

/** The facts of a schedule that has no entries yet (for deciding who may create one). */
const emptyFacts = (keepingUnit: string): ScheduleFacts => ({ keepingUnit, published: false, participantAccounts: [], participantUnits: [] });

function refuseStep(step: ScheduleStep, from: ScheduleState | null): AppError {
  const starts = stepStartsFrom(step).join(' or ');
  return new AppError(
    ErrorCode.INVALID_TRANSITION,
    from
      ? `Cannot ${step} the work schedule: its newest version is ${from}, and ${step} takes a version that is ${starts}.`
      : `Cannot ${step} the work schedule now: ${step} takes a version that is ${starts}.`,
    { from, step },
  );
}

function writeEvent(ctx: TxContext, schedule: WorkSchedule, version: WorkScheduleVersion, type: ScheduleEventKind, note: string | null): void {
  const { em } = ctx;
  em.create(WorkScheduleEvent, { schedule, version, type, actor: ctx.viewer?.accountId ?? null, note, at: ctx.app.clock.now() });
}

/**
 * Runs `step` on the schedule's newest version inside a transaction, the schedule row locked: checks
 * the viewer's right (`action`) and the state, then lets `fn` change it.
 */
async function onNewestVersion<T>(
  ctx: Context,
  scheduleId: string,
  action: Action,
  step: ScheduleStep,
  fn: (tx: TxContext, schedule: WorkSchedule, version: WorkScheduleVersion) => Promise<T>,
): Promise<T> {
  const viewer = requireViewer(ctx);
  const key = keyOf('WorkSchedule', scheduleId, 'scheduleId');
  return withTransaction(ctx, async (tx) => {
    const { em } = tx;
    const schedule = await em.findOne(WorkSchedule, { id: key }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!schedule) throw NO_SCHEDULE();
    const version = await em.findOneOrFail(WorkScheduleVersion, { schedule: schedule.id, number: schedule.latestVersion });
    const facts = factsOf(schedule, version, await entriesOf(em, version.id));
    if (!allowed(ctx, viewer, action, facts)) {
      // Whoever may not even read it is not told it exists.
      if (!allowed(ctx, viewer, 'read', facts)) throw NO_SCHEDULE();
      throw forbidden();
    }
    SCHEDULE_WORKFLOW.step(version.state, step);
    return fn(tx, schedule, version);
  });
}

/** Opens the schedule of the viewer's keeping unit for a week, as version 1 in DRAFT, with its first entries. */
export async function createWorkSchedule(ctx: Context, weekArg: string, entries: readonly EntryInput[] | null | undefined): Promise<WorkScheduleVersion> {
  const viewer = requireViewer(ctx);
  if (!allowed(ctx, viewer, 'create', emptyFacts(viewer.keepingUnitId))) throw forbidden();
  const week = parseIsoWeek(weekArg);
  if (!week) throw badInput('week must be an ISO week written YYYY-Www, such as 2026-W49.', 'week');
  const today = officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  if (week.sunday < today) throw badInput(`The week ${week.week} has ended: a schedule is made for this week or a coming one.`, 'week');
  if (week.monday > addDays(today, 366)) throw badInput('A schedule is made at most a year ahead.', 'week');
  try {
    return await withTransaction(ctx, async (tx) => {
      const { em } = tx;
      const checked = await checkEntries(tx, viewer.keepingUnitId, week, entries ?? [], []);
      const schedule = em.create(WorkSchedule, {
        keepingUnit: viewer.keepingUnitId,
        week: week.week,
        weekStart: week.monday,
        latestVersion: 1,
        publishedVersion: null,
        createdBy: viewer.accountId,
        createdAt: ctx.app.clock.now(),
      });
      const version = em.create(WorkScheduleVersion, {
        schedule,
        number: 1,
        state: ScheduleState.DRAFT,
        draftedBy: viewer.accountId,
        createdAt: ctx.app.clock.now(),
      });
      await em.flush();
      await writeEntries(em, version, checked);
      return version;
    });
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException)
      throw new AppError(
        ErrorCode.ALREADY_EXISTS,
        `The schedule of ${week.week} already exists: edit it (saveWorkScheduleEntries) or revise it (reviseWorkSchedule).`,
        { field: 'week' },
      );
    throw e;
  }
}

/** Replaces the entries of the version being prepared (DRAFT or RETURNED). */
export function saveWorkScheduleEntries(ctx: Context, scheduleId: string, entries: readonly EntryInput[]): Promise<WorkScheduleVersion> {
  return onNewestVersion(ctx, scheduleId, 'update', 'edit', async (tx, schedule, version) => {
    const { em } = tx;
    const week = resolveWeek(ctx, schedule.week, null);
    const checked = await checkEntries(tx, schedule.keepingUnit.id, week, entries, await entriesOf(em, version.id));
    await writeEntries(em, version, checked);
    version.draftedBy = em.getReference('Account', ctx.viewer!.accountId) as never;
    version.updatedAt = ctx.app.clock.now();
    return version;
  });
}

/** Sends the version being prepared to the director. */
export function submitWorkSchedule(ctx: Context, scheduleId: string): Promise<WorkScheduleVersion> {
  return onNewestVersion(ctx, scheduleId, 'submit', 'submit', async (tx, schedule, version) => {
    const { em } = tx;
    if (!(await entriesOf(em, version.id)).length) throw badInput('The schedule has no entries: add at least one before submitting it.', 'scheduleId');
    version.state = ScheduleState.SUBMITTED;
    version.submittedAt = ctx.app.clock.now();
    writeEvent(tx, schedule, version, ScheduleEventKind.SUBMITTED, null);
    return version;
  });
}

/** The director sends the submitted version back to the Office, with the reason. */
export function returnWorkSchedule(ctx: Context, scheduleId: string, reasonArg: string): Promise<WorkScheduleVersion> {
  const reason = text(reasonArg?.trim(), 'reason', LIMITS.reason, true)!;
  return onNewestVersion(ctx, scheduleId, 'returnFromReview', 'return', async (tx, schedule, version) => {
    version.state = ScheduleState.RETURNED;
    version.returnReason = reason;
    writeEvent(tx, schedule, version, ScheduleEventKind.RETURNED, reason);
    return version;
  });
}

/**
 * The director approves the submitted version, which publishes it: it comes into force, the version
 * it replaces is kept as SUPERSEDED, and everyone concerned hears of it (the schedule event).
 */
export function approveWorkSchedule(ctx: Context, scheduleId: string): Promise<WorkScheduleVersion> {
  return onNewestVersion(ctx, scheduleId, 'approve', 'approve', async (tx, schedule, version) => {
    const { em } = tx;
    const previous = schedule.publishedVersion
      ? await em.findOneOrFail(WorkScheduleVersion, { schedule: schedule.id, number: schedule.publishedVersion })
      : null;
    if (previous) previous.state = ScheduleState.SUPERSEDED;
    version.state = ScheduleState.PUBLISHED;
    version.approvedBy = em.getReference('Account', ctx.viewer!.accountId) as never;
    version.publishedAt = ctx.app.clock.now();
    version.previousNumber = previous?.number ?? null;
    schedule.publishedVersion = version.number;
    writeEvent(tx, schedule, version, previous ? ScheduleEventKind.REVISED : ScheduleEventKind.PUBLISHED, version.revisionNote ?? null);
    return version;
  });
}

/**
 * Opens a change to the published schedule: a new version in DRAFT holding a copy of the entries in
 * force (each keeps its identity for the change list). The published version stays in force until the
 * new one is approved.
 */
export function reviseWorkSchedule(ctx: Context, scheduleId: string, reasonArg: string): Promise<WorkScheduleVersion> {
  const reason = text(reasonArg?.trim(), 'reason', LIMITS.reason, true)!;
  return onNewestVersion(ctx, scheduleId, 'revise', 'revise', async (tx, schedule, current) => {
    const { em } = tx;
    if (inProgress(current.state)) throw refuseStep('revise', current.state);
    const entries = await entriesOf(em, current.id);
    const facts = toFacts(
      entries,
      await linksOf(
        em,
        entries.map((e) => e.id),
      ),
    );
    const version = em.create(WorkScheduleVersion, {
      schedule,
      number: current.number + 1,
      state: ScheduleState.DRAFT,
      draftedBy: ctx.viewer!.accountId,
      revisionNote: reason,
      createdAt: ctx.app.clock.now(),
    });
    schedule.latestVersion = version.number;
    await em.flush();
    await writeEntries(em, version, facts);
    return version;
  });
}
