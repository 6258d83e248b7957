import type { Account, Document, Unit } from '../../entities';
import { Document as DocumentEntity } from '../../entities';
import type { Context } from '../context';
import { addWorkingDays, isCalendarDate, isWorkingDay, lastCutoff, officeDate } from '../domain/time/office-time';
import { badInput } from '../errors';
import { pageSize } from '../graphql/pagination';
import { readableWhere } from './document-query.service';
import { idArray, oversightScope } from './oversight-scope';

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

/** What waits, per unit and per person: open work, due within 2 working days, overdue; and registered documents late for the director. */
export async function backlog(ctx: Context, unitId?: string | null): Promise<BacklogReport> {
  const { units, people } = await oversightScope(ctx, unitId);
  const now = ctx.app.clock.now();
  const tz = ctx.app.config.officeTimeZone;
  const today = officeDate(now, tz);
  const soon = addWorkingDays(today, 2);
  const unitIds = idArray(units.map((u) => u.id));
  const figures = `count(*)::int as waiting,
      count(*) filter (where a.deadline >= ? and a.deadline <= ?)::int as due_soon,
      count(*) filter (where a.deadline < ?)::int as overdue`;
  const [byUnit, byPerson, late] = await Promise.all([
    ctx.em.execute<FigureRow[]>(
      `select a.scope_unit_id as k, ${figures} from assignment a join document d on d.id = a.document_id
        where ${OPEN_WORK} and a.scope_unit_id = any(?::uuid[]) group by a.scope_unit_id`,
      [today, soon, today, unitIds],
    ),
    ctx.em.execute<FigureRow[]>(
      `select a.assignee_id as k, ${figures} from assignment a join document d on d.id = a.document_id
        where ${OPEN_WORK} and a.assignee_id = any(?::uuid[]) group by a.assignee_id`,
      [today, soon, today, idArray(people.map((p) => p.id))],
    ),
    ctx.em.execute<Array<{ k: string; n: number }>>(
      `select keeping_unit_id as k, count(*)::int as n from document
        where direction = 'INCOMING' and state = 'REGISTERED' and (urgency <> 'NORMAL' or registered_at < ?)
          and keeping_unit_id = any(?::uuid[]) group by keeping_unit_id`,
      [lastCutoff(now, tz), unitIds],
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
  const rows: Array<{ id: string; unit_id: string; assignee_id: string | null; role: string; deadline: string; document_id: string }> = await ctx.em.execute(
    `select a.id, a.scope_unit_id as unit_id, a.assignee_id, a.role, to_char(a.deadline, 'YYYY-MM-DD') as deadline, a.document_id
       from assignment a join document d on d.id = a.document_id
      where ${OPEN_WORK} and a.deadline < ? and a.scope_unit_id = any(?::uuid[])
      order by a.deadline asc, a.created_at asc, a.id asc limit ?`,
    [today, idArray(units.map((x) => x.id)), limit],
  );
  const docIds = [...new Set(rows.map((r) => r.document_id))];
  const readable = docIds.length ? await ctx.em.find(DocumentEntity, { $and: [{ id: { $in: docIds } }, readableWhere(ctx)] } as never) : [];
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
  visits: number;
}

/** People who used the system fewer than two times on a working day (Điều 10.2); nobody on a weekend. */
export async function missedCheckIns(ctx: Context, date: string, unitId?: string | null): Promise<CheckInGap[]> {
  if (!isCalendarDate(date)) throw badInput('date must be a calendar day written YYYY-MM-DD.', 'date');
  const { people } = await oversightScope(ctx, unitId);
  if (!isWorkingDay(date) || !people.length) return [];
  const rows: Array<{ account_id: string; visits: number }> = await ctx.em.execute(
    `select account_id, visits from account_activity where day = ? and account_id = any(?::uuid[])`,
    [date, idArray(people.map((p) => p.id))],
  );
  const visits = new Map(rows.map((r) => [r.account_id, r.visits]));
  return people.map((account) => ({ account, visits: visits.get(account.id) ?? 0 })).filter((g) => g.visits < 2);
}
