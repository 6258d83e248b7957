import { subject } from '@casl/ability';
import { Account, Unit } from '../../entities';
import type { Context } from '../context';
import { AccountStatus } from '../domain/accounts/account-rules';
import { sessionsUsed } from '../domain/time/check-in';
import { isCalendarDate, officeDate, officeInstant } from '../domain/time/office-time';
import { badInput, forbidden } from '../errors';
import { keyOf } from '../graphql/global-id';
import { requireViewer } from './guards';
import { unitsOfAgency, viewerAgencyId } from './agencies';
import { incidentCount } from './incident-report';
import { deadlineShifts, workingCalendar } from './working-calendar';

/** The units and people whose figures the viewer may see (Điều 8.3, 11). */
interface Scope {
  units: Unit[];
  people: Account[];
}

/**
 * Directors (and the head of the Office) see their keeping unit, heads their department, staff
 * themselves; SYSADMIN sees figures of every unit of its agency but never document content.
 * Reports never cross agencies.
 */
async function scopeOf(ctx: Context, unitId?: string | null): Promise<Scope> {
  const viewer = requireViewer(ctx);
  const all = await ctx.em.find(Unit, { id: { $in: await unitsOfAgency(ctx.em, await viewerAgencyId(ctx)) } }, { orderBy: { name: 'asc' } });
  const canUnit = (u: Unit) => ctx.ability.can('read', subject('Report', { unit: u.id, account: null }) as never);
  let units = all.filter(canUnit);
  if (unitId) {
    const wanted = keyOf('Unit', unitId, 'unitId');
    // A unit and its departments.
    const target = all.find((u) => u.id === wanted);
    if (!target || (!canUnit(target) && target.id !== viewer.unitId)) throw forbidden('You may not see the figures of this unit.');
    // The unit and its departments, as far as the viewer may see them.
    units = all.filter((u) => (u.id === wanted || u.parent?.id === wanted) && canUnit(u));
  }
  const unitIds = units.map((u) => u.id);
  const people = await ctx.em.find(
    Account,
    { status: AccountStatus.ACTIVE, $or: [{ unit: { $in: unitIds } }, ...(ctx.ability.can('read', subject('Report', { unit: null, account: viewer.accountId }) as never) ? [{ id: viewer.accountId }] : [])] },
    { orderBy: { fullName: 'asc' } },
  );
  return { units, people };
}

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

/**
 * What waits, per unit and per person: open work, due within 2 working days, overdue; and registered
 * documents late for the director. Working days come from the working calendar: a deadline on a day
 * off runs to the next working day, and cut-offs fall on working days only.
 */
export async function backlog(ctx: Context, unitId?: string | null): Promise<BacklogReport> {
  const { units, people } = await scopeOf(ctx, unitId);
  const now = ctx.app.clock.now();
  const tz = ctx.app.config.officeTimeZone;
  const calendar = await workingCalendar(ctx);
  const { overdueUpTo, dueSoonUpTo } = calendar.deadlineBounds(officeDate(now, tz));
  const figures = `count(*)::int as waiting,
      count(*) filter (where a.deadline > ? and a.deadline <= ?)::int as due_soon,
      count(*) filter (where a.deadline <= ?)::int as overdue`;
  const byUnit: Array<{ k: string } & { waiting: number; due_soon: number; overdue: number }> = units.length
    ? await ctx.em.execute(
        `select a.scope_unit_id as k, ${figures} from assignment a join document d on d.id = a.document_id
          where ${OPEN_WORK} and a.scope_unit_id in (${units.map(() => '?').join(',')}) group by a.scope_unit_id`,
        [overdueUpTo, dueSoonUpTo, overdueUpTo, ...units.map((u) => u.id)],
      )
    : [];
  const byPerson: Array<{ k: string } & { waiting: number; due_soon: number; overdue: number }> = people.length
    ? await ctx.em.execute(
        `select a.assignee_id as k, ${figures} from assignment a join document d on d.id = a.document_id
          where ${OPEN_WORK} and a.assignee_id in (${people.map(() => '?').join(',')}) group by a.assignee_id`,
        [overdueUpTo, dueSoonUpTo, overdueUpTo, ...people.map((p) => p.id)],
      )
    : [];
  const cutoff = calendar.lastCutoff(now, tz);
  const late: Array<{ k: string; n: number }> = units.length
    ? await ctx.em.execute(
        `select keeping_unit_id as k, count(*)::int as n from document
          where direction = 'INCOMING' and state = 'REGISTERED' and (urgency <> 'NORMAL' or registered_at < ?)
            and keeping_unit_id in (${units.map(() => '?').join(',')}) group by keeping_unit_id`,
        [cutoff, ...units.map((u) => u.id)],
      )
    : [];
  const u = new Map(byUnit.map((r) => [r.k, r]));
  const p = new Map(byPerson.map((r) => [r.k, r]));
  const l = new Map(late.map((r) => [r.k, r.n]));
  return {
    asOf: now,
    units: units.map((unit) => ({ unit, waiting: u.get(unit.id)?.waiting ?? 0, dueSoon: u.get(unit.id)?.due_soon ?? 0, overdue: u.get(unit.id)?.overdue ?? 0, notSubmittedPastCutoff: l.get(unit.id) ?? 0 })),
    people: people.map((account) => ({ account, waiting: p.get(account.id)?.waiting ?? 0, dueSoon: p.get(account.id)?.due_soon ?? 0, overdue: p.get(account.id)?.overdue ?? 0 })),
  };
}

export interface UsageFigures {
  received: number;
  assigned: number;
  completedOnTime: number;
  completedLate: number;
  stillOpen: number;
  overdue: number;
  draftsIssued: number;
  medianProcessingHours: number | null;
}

export interface UsageReport {
  year: number;
  /** Incidents reported in the year by the people and units of the report (Điều 8.5). */
  incidents: number;
  units: Array<UsageFigures & { unit: Unit }>;
  people: Array<UsageFigures & { account: Account }>;
}

const EMPTY: UsageFigures = { received: 0, assigned: 0, completedOnTime: 0, completedLate: 0, stillOpen: 0, overdue: 0, draftsIssued: 0, medianProcessingHours: null };

/**
 * The yearly use of the system per unit and per person (Điều 11), for the emulation assessment.
 * Assignments count in the year they were made; completion is on time when done on or before the
 * deadline (office day; a deadline on a day off runs to the next working day, as in the backlog);
 * processing time runs from assignment to completion.
 */
export async function usageReport(ctx: Context, year: number, unitId?: string | null): Promise<UsageReport> {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw badInput('year must be a year such as 2026.', 'year');
  const { units, people } = await scopeOf(ctx, unitId);
  const tz = ctx.app.config.officeTimeZone;
  const from = officeInstant(`${year}-01-01`, 0, tz);
  const to = officeInstant(`${year + 1}-01-01`, 0, tz);
  const calendar = await workingCalendar(ctx);
  const { overdueUpTo } = calendar.deadlineBounds(officeDate(ctx.app.clock.now(), tz));
  // The deadlines of the year's completed work that fall on a day off, with the working day each ends on.
  const completedDeadlines: Array<{ d: string }> = await ctx.em.execute(
    `select distinct to_char(deadline, 'YYYY-MM-DD') as d from assignment
      where role in ('LEAD', 'COOPERATE') and state = 'COMPLETED' and deadline is not null and created_at >= ? and created_at < ?`,
    [from, to],
  );
  const shifts = deadlineShifts(calendar, completedDeadlines.map((r) => r.d));
  const assignmentFigures = (key: string) => `select ${key} as k,
      count(*)::int as assigned,
      count(*) filter (where a.state = 'COMPLETED'
        and (a.deadline is null or (a.completed_at at time zone ?)::date <= coalesce(s.effective, a.deadline)))::int as on_time,
      count(*) filter (where a.state = 'COMPLETED'
        and a.deadline is not null and (a.completed_at at time zone ?)::date > coalesce(s.effective, a.deadline))::int as late,
      count(*) filter (where a.state in ('PENDING', 'IN_PROGRESS') and a.active)::int as still_open,
      count(*) filter (where a.state in ('PENDING', 'IN_PROGRESS') and a.active and a.deadline <= ?)::int as overdue,
      percentile_cont(0.5) within group (order by extract(epoch from (a.completed_at - a.created_at)) / 3600.0)
        filter (where a.state = 'COMPLETED') as median_hours
    from assignment a
    left join unnest(?::date[], ?::date[]) as s(deadline, effective) on s.deadline = a.deadline
    where a.role in ('LEAD', 'COOPERATE') and a.state <> 'WITHDRAWN' and a.created_at >= ? and a.created_at < ? and ${key} in (%IDS%)
    group by ${key}`;
  type Row = { k: string; assigned: number; on_time: number; late: number; still_open: number; overdue: number; median_hours: number | null };
  const run = async (key: string, ids: string[]): Promise<Map<string, Row>> => {
    if (!ids.length) return new Map();
    const sql = assignmentFigures(key).replace('%IDS%', ids.map(() => '?').join(','));
    const rows: Row[] = await ctx.em.execute(sql, [tz, tz, overdueUpTo, shifts.from, shifts.to, from, to, ...ids]);
    return new Map(rows.map((r) => [r.k, r]));
  };
  const unitIds = units.map((u) => u.id);
  const personIds = people.map((p) => p.id);
  const [byUnit, byPerson] = await Promise.all([run('a.scope_unit_id', unitIds), run('a.assignee_id', personIds)]);
  const count = async (sql: string, ids: string[]): Promise<Map<string, number>> => {
    if (!ids.length) return new Map();
    const rows: Array<{ k: string; n: number }> = await ctx.em.execute(sql.replace('%IDS%', ids.map(() => '?').join(',')), [from, to, ...ids]);
    return new Map(rows.map((r) => [r.k, r.n]));
  };
  const [received, issuedByUnit, issuedByPerson] = await Promise.all([
    // A registration annulled as made in error was never really received.
    count(
      `select keeping_unit_id as k, count(*)::int as n from document where direction = 'INCOMING' and state <> 'ANNULLED' ` +
        `and registered_at >= ? and registered_at < ? and keeping_unit_id in (%IDS%) group by keeping_unit_id`,
      unitIds,
    ),
    count(`select drafting_unit_id as k, count(*)::int as n from document where direction = 'OUTGOING' and issued_at >= ? and issued_at < ? and drafting_unit_id in (%IDS%) group by drafting_unit_id`, unitIds),
    count(`select drafter_id as k, count(*)::int as n from document where direction = 'OUTGOING' and issued_at >= ? and issued_at < ? and drafter_id in (%IDS%) group by drafter_id`, personIds),
  ]);
  const figures = (r: Row | undefined, receivedN: number, issued: number): UsageFigures => ({
    ...EMPTY,
    received: receivedN,
    assigned: r?.assigned ?? 0,
    completedOnTime: r?.on_time ?? 0,
    completedLate: r?.late ?? 0,
    stillOpen: r?.still_open ?? 0,
    overdue: r?.overdue ?? 0,
    draftsIssued: issued,
    medianProcessingHours: r?.median_hours === null || r?.median_hours === undefined ? null : Math.round(Number(r.median_hours) * 10) / 10,
  });
  const incidents = await incidentCount(ctx.em, { timeZone: tz, year, unitIds, accountIds: personIds });
  return {
    year,
    incidents: incidents.reported,
    units: units.map((unit) => ({ unit, ...figures(byUnit.get(unit.id), received.get(unit.id) ?? 0, issuedByUnit.get(unit.id) ?? 0) })),
    // A person "receives" what is assigned to them.
    people: people.map((account) => {
      const r = byPerson.get(account.id);
      return { account, ...figures(r, r?.assigned ?? 0, issuedByPerson.get(account.id) ?? 0) };
    }),
  };
}

/** The usage report as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese correctly). */
export function usageCsv(report: UsageReport): string {
  const q = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n;]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const header = ['kind', 'name', 'unit', 'received', 'assigned', 'completed_on_time', 'completed_late', 'still_open', 'overdue', 'drafts_issued', 'median_processing_hours'];
  const line = (kind: string, name: string, unit: string, f: UsageFigures) =>
    [kind, name, unit, f.received, f.assigned, f.completedOnTime, f.completedLate, f.stillOpen, f.overdue, f.draftsIssued, f.medianProcessingHours].map(q).join(',');
  const unitName = new Map(report.units.map((u) => [u.unit.id, u.unit.name]));
  return (
    '\ufeff' +
    [
      header.join(','),
      ...report.units.map((u) => line('unit', u.unit.name, u.unit.shortName, u)),
      ...report.people.map((p) => line('person', `${p.account.fullName} <${p.account.username}>`, unitName.get(p.account.unit.id) ?? '', p)),
    ].join('\r\n') +
    '\r\n'
  );
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
  const { people } = await scopeOf(ctx, unitId);
  if (!(await workingCalendar(ctx)).isWorkingDay(date) || !people.length) return [];
  const rows: Array<{ account_id: string; morning: boolean; afternoon: boolean }> = await ctx.em.execute(
    `select account_id, morning_at is not null as morning, afternoon_at is not null as afternoon
       from account_activity where day = ? and account_id in (${people.map(() => '?').join(',')})`,
    [date, ...people.map((p) => p.id)],
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
