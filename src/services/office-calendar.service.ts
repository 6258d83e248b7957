import { Account, OfficeDay, OfficeDayChange } from '../../entities';
import type { Context } from '../context';
import { withTransaction } from '../transaction';
import { Role } from '../domain/accounts/account-rules';
import { OfficeDayKind, officeDayProblem } from '../domain/time/working-calendar';
import { AppError, ErrorCode, badInput, forbidden } from '../errors';
import { requireViewer } from './guards';
import { date, text } from './input-checks';

/**
 * The working calendar's days, as the SYSADMIN records them each year: public holidays, compensatory
 * days off and weekend days worked in exchange (src/domain/time/working-calendar.ts). Everyone may
 * read them (deadlines are counted with them); only a SYSADMIN changes them, and every change writes
 * an `office_day_change` row — the history, and the version every process reloads its cache at.
 */

function checkYear(year: number): number {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput('year must be a year such as 2026.', 'year');
  return year;
}

/** The recorded days of a year, in date order. */
export async function officeDays(ctx: Context, year: number): Promise<OfficeDay[]> {
  requireViewer(ctx);
  checkYear(year);
  return ctx.em.find(OfficeDay, { date: { $gte: `${year}-01-01`, $lte: `${year}-12-31` } }, { orderBy: { date: 'asc' } });
}

function requireSysadmin(ctx: Context): string {
  const v = requireViewer(ctx);
  if (!v.roles.includes(Role.SYSADMIN)) throw forbidden('Only a SYSADMIN records the working calendar.');
  return v.accountId;
}

/** Changes to the calendar are made one at a time, so change ids commit in order and the version never skips one. */
const CALENDAR_LOCK = `select pg_advisory_xact_lock(hashtext('vpdt.office_day'))`;

export interface OfficeDayInput {
  date: string;
  kind: OfficeDayKind;
  name: string;
}

/** Records a day (or changes the kind or name of a recorded one). */
export async function recordOfficeDay(ctx: Context, input: OfficeDayInput): Promise<OfficeDay> {
  const actor = requireSysadmin(ctx);
  const day = date(input.date, 'input.date', true)!;
  checkYear(Number(day.slice(0, 4)));
  const name = text(input.name?.trim(), 'input.name', 200, true)!;
  if (!Object.values(OfficeDayKind).includes(input.kind))
    throw badInput('input.kind must be HOLIDAY, COMPENSATORY_DAY_OFF or COMPENSATORY_WORKDAY.', 'input.kind');
  const problem = officeDayProblem(day, input.kind);
  if (problem) throw badInput(problem, 'input.kind');
  const changed = await withTransaction(ctx, async (tx) => {
    const { em } = tx;
    await em.execute(CALENDAR_LOCK);
    let row = await em.findOne(OfficeDay, { date: day });
    if (!row) row = em.create(OfficeDay, { date: day, kind: input.kind, name });
    row.kind = input.kind;
    row.name = name;
    row.recordedBy = em.getReference(Account, actor);
    row.recordedAt = ctx.app.clock.now();
    em.persist(row);
    em.persist(
      em.create(OfficeDayChange, { date: day, change: 'RECORDED', kind: input.kind, name, actor: em.getReference(Account, actor), at: ctx.app.clock.now() }),
    );
    await em.flush();
    return row;
  });
  // Every request reads the working calendar at the version its session carries: every process reads it again.
  await ctx.app.announceViewerChange();
  return changed;
}

/** Removes a recorded day: it becomes an ordinary weekday or weekend day again. Returns what was removed. */
export async function removeOfficeDay(ctx: Context, day: string): Promise<OfficeDay> {
  const actor = requireSysadmin(ctx);
  date(day, 'date', true);
  const changed = await withTransaction(ctx, async (tx) => {
    const { em } = tx;
    await em.execute(CALENDAR_LOCK);
    const row = await em.findOne(OfficeDay, { date: day });
    if (!row) throw new AppError(ErrorCode.NOT_FOUND, `No day is recorded on ${day}.`);
    em.persist(
      em.create(OfficeDayChange, {
        date: day,
        change: 'REMOVED',
        kind: row.kind,
        name: row.name,
        actor: em.getReference(Account, actor),
        at: ctx.app.clock.now(),
      }),
    );
    em.remove(row);
    await em.flush();
    return row;
  });
  // Every request reads the working calendar at the version its session carries: every process reads it again.
  await ctx.app.announceViewerChange();
  return changed;
}
