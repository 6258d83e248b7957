import type { Account, Document, Unit } from '../../entities';
import type { Context } from '../context';
import { sessionsUsed } from '../domain/time/check-in';
import { isCalendarDate, officeDate } from '../domain/time/office-time';
import { badInput } from '../errors';
import { pageSize } from '../graphql/pagination';
import { findReadableDocuments } from '../repositories/documents';
import { idArray, oversightScope } from './oversight-scope';
import { workingCalendar } from './working-calendar';

export { usageCsv, usageReport, type UsageFigures, type UsageReport } from './usage-report';

export interface BacklogFigures {
  waiting: number;
  dueSoon: number;
  overdue: number;
}

export interface BacklogReport {
  asOf: Date;
  units: Array<BacklogFigures & { unit: Unit; notSubmittedPastCutoff: number }>;
  people: Array<BacklogFigures & { account: Account }>;
}

const OPEN_WORK = `a.active and a.state in ('PENDING', 'IN_PROGRESS') and a.role in ('LEAD', 'COOPERATE') and d.state not in ('RECALLED', 'COMPLETED')`;

type FigureRow = { k: string; waiting: number; due_soon: number; overdue: number };

/**
 * What waits, per unit and per person: open work, due within 2 working days, overdue; and registered
 * documents late for the director. Working days come from the working calendar: a deadline on a day
 * off runs to the next working day, and cut-offs fall on working days only.
 */
export async function backlog(ctx: Context, unitId?: string | null): Promise<BacklogReport> {
  const { units, people } = await oversightScope(ctx, unitId);
  const now = ctx.app.clock.now();
  const tz = ctx.app.config.officeTimeZone;
  const calendar = await workingCalendar(ctx);
  const { overdueUpTo, dueSoonUpTo } = calendar.deadlineBounds(officeDate(now, tz));
  const unitIds = idArray(units.map((u) => u.id));
  const figures = `count(*)::int as waiting,
      count(*) filter (where a.deadline > ? and a.deadline <= ?)::int as due_soon,
      count(*) filter (where a.deadline <= ?)::int as overdue`;
  const [byUnit, byPerson, late] = await Promise.all([
    ctx.em.execute<FigureRow[]>(
      `select a.scope_unit_id as k, ${figures} from assignment a join document d on d.id = a.document_id
        where ${OPEN_WORK} and a.scope_unit_id = any(?::uuid[]) group by a.scope_unit_id`,
      [overdueUpTo, dueSoonUpTo, overdueUpTo, unitIds],
    ),
    ctx.em.execute<FigureRow[]>(
      `select a.assignee_id as k, ${figures} from assignment a join document d on d.id = a.document_id
        where ${OPEN_WORK} and a.assignee_id = any(?::uuid[]) group by a.assignee_id`,
      [overdueUpTo, dueSoonUpTo, overdueUpTo, idArray(people.map((p) => p.id))],
    ),
    ctx.em.execute<Array<{ k: string; n: number }>>(
      `select keeping_unit_id as k, count(*)::int as n from document
        where direction = 'INCOMING' and state = 'REGISTERED' and (urgency <> 'NORMAL' or registered_at < ?)
          and keeping_unit_id = any(?::uuid[]) group by keeping_unit_id`,
      [calendar.lastCutoff(now, tz), unitIds],
    ),
  ]);
  const u = new Map(byUnit.map((r) => [r.k, r]));
  const p = new Map(byPerson.map((r) => [r.k, r]));
  const l = new Map(late.map((r) => [r.k, r.n]));
  const of = (r: FigureRow | undefined): BacklogFigures => ({ waiting: r?.waiting ?? 0, dueSoon: r?.due_soon ?? 0, overdue: r?.overdue ?? 0 });
  return {
    asOf: now,
    units: units.map((unit) => ({ unit, ...of(u.get(unit.id)), notSubmittedPastCutoff: l.get(unit.id) ?? 0 })),
    people: people.map((account) => ({ account, ...of(p.get(account.id)) })),
  };
}

/** One piece of overdue work (quá hạn) in the overseen units. */
export interface OverdueItem {
  assignmentId: string;
  unit: Unit;
  assigneeId: string | null;
  role: string;
  deadline: string;
  daysOverdue: number;
  /** The document, when the viewer may read it; null otherwise (the figures are theirs, the content may not be). */
  document: Document | null;
}

/**
 * The overdue list of the overseen units, most overdue first: open lead and cooperating assignments past
 * their deadline, whoever holds them. The document is shown only to someone who may read it.
 */
export async function overdueList(ctx: Context, unitId?: string | null, first?: number | null): Promise<OverdueItem[]> {
  const { units } = await oversightScope(ctx, unitId);
  const limit = pageSize(first);
  if (!units.length || limit === 0) return [];
  const today = officeDate(ctx.app.clock.now(), ctx.app.config.officeTimeZone);
  // Past its deadline on the working calendar: a deadline on a day off runs to the next working day.
  const { overdueUpTo } = (await workingCalendar(ctx)).deadlineBounds(today);
  const rows: Array<{ id: string; unit_id: string; assignee_id: string | null; role: string; deadline: string; document_id: string }> = await ctx.em.execute(
    `select a.id, a.scope_unit_id as unit_id, a.assignee_id, a.role, to_char(a.deadline, 'YYYY-MM-DD') as deadline, a.document_id
       from assignment a join document d on d.id = a.document_id
      where ${OPEN_WORK} and a.deadline <= ? and a.scope_unit_id = any(?::uuid[])
      order by a.deadline asc, a.created_at asc, a.id asc limit ?`,
    [overdueUpTo, idArray(units.map((x) => x.id)), limit],
  );
  const docIds = [...new Set(rows.map((r) => r.document_id))];
  const readable = docIds.length ? await findReadableDocuments(ctx, docIds) : [];
  const docs = new Map(readable.map((d) => [d.id, d]));
  const byId = new Map(units.map((x) => [x.id, x]));
  const dayMs = 86_400_000;
  return rows.map((r) => ({
    assignmentId: r.id,
    unit: byId.get(r.unit_id)!,
    assigneeId: r.assignee_id,
    role: r.role,
    deadline: r.deadline,
    daysOverdue: Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${r.deadline}T00:00:00Z`)) / dayMs),
    document: docs.get(r.document_id) ?? null,
  }));
}

export interface CheckInGap {
  account: Account;
  /** Sessions used: 0, 1 or 2. */
  visits: number;
  morning: boolean;
  afternoon: boolean;
}

/**
 * People who did not use the system in both the morning and the afternoon session of a working day
 * (Điều 10.2); nobody on a weekend, a holiday or a day off, and a worked Saturday counts.
 */
export async function missedCheckIns(ctx: Context, date: string, unitId?: string | null): Promise<CheckInGap[]> {
  if (!isCalendarDate(date)) throw badInput('date must be a calendar day written YYYY-MM-DD.', 'date');
  const { people } = await oversightScope(ctx, unitId);
  if (!(await workingCalendar(ctx)).isWorkingDay(date) || !people.length) return [];
  const rows: Array<{ account_id: string; morning: boolean; afternoon: boolean }> = await ctx.em.execute(
    `select account_id, morning_at is not null as morning, afternoon_at is not null as afternoon
       from account_activity where day = ? and account_id = any(?::uuid[])`,
    [date, idArray(people.map((p) => p.id))],
  );
  const used = new Map(rows.map((r) => [r.account_id, r]));
  return people
    .map((account) => {
      const morning = used.get(account.id)?.morning ?? false;
      const afternoon = used.get(account.id)?.afternoon ?? false;
      return { account, morning, afternoon, visits: sessionsUsed(morning, afternoon) };
    })
    .filter((g) => g.visits < 2);
}
