import type { EntityManager } from '@mikro-orm/postgresql';
import { OfficeDay } from '../../entities';
import type { AppServices, Context } from '../context';
import { officeDate } from '../domain/time/office-time';
import { WorkingCalendar, type DeadlineBounds } from '../domain/time/working-calendar';

/**
 * The one place that loads the working calendar. Cached per server process and reloaded when the
 * calendar version changes: the highest id of `office_day_change`, which each request reads with its
 * session (auth.service.ts) and a request without a session reads on its own. Every change is
 * written with a change row, so a change made on one process is in force on the next request on
 * every process, with no extra statement for requests that find the cache current.
 */
interface Cached {
  version: string;
  calendar: WorkingCalendar;
}

const cache = new WeakMap<AppServices, Cached>();
const loading = new WeakMap<AppServices, Map<string, Promise<WorkingCalendar>>>();

/** The version the calendar is at, read from the database. */
export async function calendarVersion(em: EntityManager): Promise<string> {
  const rows: Array<{ v: string }> = await em
    .getConnection()
    .execute(`select coalesce(max(id), 0)::text as v from office_day_change`, [], 'all', em.getTransactionContext());
  return rows[0].v;
}

async function load(em: EntityManager): Promise<WorkingCalendar> {
  const days = await em
    .getConnection()
    .execute<Array<{ date: string; kind: OfficeDay['kind'] }>>(
      `select to_char(date, 'YYYY-MM-DD') as date, kind from office_day`,
      [],
      'all',
      em.getTransactionContext(),
    );
  return new WorkingCalendar(days);
}

/** The working calendar at `version` (read it first when unknown). */
export async function calendarAt(app: AppServices, em: EntityManager, version?: string): Promise<WorkingCalendar> {
  const v = version ?? (await calendarVersion(em));
  const hit = cache.get(app);
  if (hit && hit.version === v) return hit.calendar;
  let inFlight = loading.get(app);
  if (!inFlight) loading.set(app, (inFlight = new Map()));
  let p = inFlight.get(v);
  if (!p) {
    p = load(em)
      .then((calendar) => {
        // A slower load of an older version never replaces a newer one (versions only grow).
        const now = cache.get(app);
        if (!now || BigInt(now.version) <= BigInt(v)) cache.set(app, { version: v, calendar });
        return calendar;
      })
      .finally(() => inFlight.delete(v));
    inFlight.set(v, p);
  }
  return p;
}

const perRequest = new WeakMap<Context, Promise<WorkingCalendar>>();

/** The working calendar for this request (loaded once per version per process). */
export function workingCalendar(ctx: Context): Promise<WorkingCalendar> {
  let p = perRequest.get(ctx);
  if (!p) perRequest.set(ctx, (p = calendarAt(ctx.app, ctx.em, ctx.calendarVersion)));
  return p;
}

/** Today's office day and the overdue / due-soon bounds of today, under the working calendar. */
export async function deadlineBoundsToday(ctx: Context): Promise<DeadlineBounds & { today: string }> {
  const today = officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  return { today, ...(await workingCalendar(ctx)).deadlineBounds(today) };
}

/**
 * For SQL that compares a stored deadline with a completion day: the deadlines among `deadlines` that
 * fall on a day off, each with the working day it really ends on, as two parallel arrays for
 * `unnest(?::date[], ?::date[])`, written as PostgreSQL array literals (`{2026-11-14,…}`: the query
 * builder would spread a JavaScript array into a list). Deadlines on working days are their own effective day.
 */
export function deadlineShifts(calendar: WorkingCalendar, deadlines: Iterable<string>): { from: string; to: string } {
  const from: string[] = [];
  const to: string[] = [];
  for (const d of new Set(deadlines)) {
    const effective = calendar.effectiveDeadline(d);
    if (effective !== d) {
      from.push(d);
      to.push(effective);
    }
  }
  return { from: `{${from.join(',')}}`, to: `{${to.join(',')}}` };
}
