import type { Account, Unit } from '../../entities';
import type { Context } from '../context';
import { officeDate, officeInstant } from '../domain/time/office-time';
import type { WorkingCalendar } from '../domain/time/working-calendar';
import { badInput } from '../errors';
import { incidentCount, incidentsByReporter } from './incident-report';
import { idArray, oversightScope } from './oversight-scope';
import { deadlineShifts, workingCalendar } from './working-calendar';

/** The figures of the yearly report (Điều 11), per unit and per person. */
export interface UsageFigures {
  /** Units: incoming documents registered. People: assignments received. */
  received: number;
  assigned: number;
  completedOnTime: number;
  completedLate: number;
  stillOpen: number;
  overdue: number;
  /** Outgoing documents drafted (created) in the year. */
  draftsCreated: number;
  /** Outgoing documents issued in the year. */
  draftsIssued: number;
  /** Working days on which both the morning and the afternoon session were used (Điều 10.2); for a unit, summed over its people. */
  checkInDays: number;
  /** Sessions used in the year (morning and afternoon of each day); for a unit, summed over its people. */
  visits: number;
  medianProcessingHours: number | null;
  /** Incidents (sự cố) reported in the year: a unit's from the unit, a person's by the person (Điều 8.5). */
  incidentsReported: number;
}

export interface UsageReport {
  year: number;
  /** Incidents reported in the year by the people and units of the report (Điều 8.5). */
  incidents: number;
  units: Array<UsageFigures & { unit: Unit }>;
  people: Array<UsageFigures & { account: Account }>;
}

const EMPTY: UsageFigures = {
  received: 0,
  assigned: 0,
  completedOnTime: 0,
  completedLate: 0,
  stillOpen: 0,
  overdue: 0,
  draftsCreated: 0,
  draftsIssued: 0,
  checkInDays: 0,
  visits: 0,
  medianProcessingHours: null,
  incidentsReported: 0,
};

/** What every figure source is given: the year as instants and days, and the ids in scope. */
export interface UsageQuery {
  ctx: Context;
  year: number;
  from: Date;
  to: Date;
  today: string;
  timeZone: string;
  unitIds: string[];
  people: Account[];
  /** Working days, holidays and days off: deadlines on a day off run to the next working day. */
  calendar: WorkingCalendar;
}

/** Some figures, per unit id and per account id. */
export interface FigureSet {
  byUnit: Map<string, Partial<UsageFigures>>;
  byPerson: Map<string, Partial<UsageFigures>>;
}

/**
 * Where the figures come from. To add a figure (e.g. incidents): add its field to {@link UsageFigures}
 * and {@link EMPTY}, a source here, a column in {@link USAGE_COLUMNS}, and a field in the GraphQL type.
 */
const SOURCES: Array<(q: UsageQuery) => Promise<FigureSet>> = [assignmentFigures, documentFigures, checkInFigures, incidentFigures];

type AssignmentRow = { k: string; assigned: number; on_time: number; late: number; still_open: number; overdue: number; median_hours: number | null };

/** Assignments made in the year: how many, completed on time or late, still open, overdue, median processing time. */
async function assignmentFigures(q: UsageQuery): Promise<FigureSet> {
  const { overdueUpTo } = q.calendar.deadlineBounds(q.today);
  // The deadlines of the year's completed work that fall on a day off, with the working day each ends on.
  const completedDeadlines: Array<{ d: string }> = await q.ctx.em.execute(
    `select distinct to_char(deadline, 'YYYY-MM-DD') as d from assignment
      where role in ('LEAD', 'COOPERATE') and state = 'COMPLETED' and deadline is not null and created_at >= ? and created_at < ?`,
    [q.from, q.to],
  );
  const shifts = deadlineShifts(
    q.calendar,
    completedDeadlines.map((r) => r.d),
  );
  const sql = (key: string) => `select ${key} as k,
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
    where a.role in ('LEAD', 'COOPERATE') and a.state <> 'WITHDRAWN' and a.created_at >= ? and a.created_at < ? and ${key} = any(?::uuid[])
    group by ${key}`;
  const run = async (key: string, ids: string[]): Promise<Map<string, Partial<UsageFigures>>> => {
    const params = [q.timeZone, q.timeZone, overdueUpTo, shifts.from, shifts.to, q.from, q.to, idArray(ids)];
    const rows: AssignmentRow[] = ids.length ? await q.ctx.em.execute(sql(key), params) : [];
    return new Map(
      rows.map((r) => [
        r.k,
        {
          assigned: r.assigned,
          completedOnTime: r.on_time,
          completedLate: r.late,
          stillOpen: r.still_open,
          overdue: r.overdue,
          medianProcessingHours: r.median_hours === null ? null : Math.round(Number(r.median_hours) * 10) / 10,
        },
      ]),
    );
  };
  const [byUnit, byPerson] = await Promise.all([
    run('a.scope_unit_id', q.unitIds),
    run(
      'a.assignee_id',
      q.people.map((p) => p.id),
    ),
  ]);
  // A person "receives" what is assigned to them.
  for (const f of byPerson.values()) f.received = f.assigned;
  return { byUnit, byPerson };
}

/** Incoming documents registered by a unit; outgoing documents drafted and issued by a unit or a person. */
async function documentFigures(q: UsageQuery): Promise<FigureSet> {
  const count = async (sql: string, ids: string[]): Promise<Map<string, number>> => {
    if (!ids.length) return new Map();
    const rows: Array<{ k: string; n: number }> = await q.ctx.em.execute(sql, [q.from, q.to, idArray(ids)]);
    return new Map(rows.map((r) => [r.k, r.n]));
  };
  const personIds = q.people.map((p) => p.id);
  const outgoing = (column: string, key: string) =>
    `select ${key} as k, count(*)::int as n from document
      where direction = 'OUTGOING' and ${column} >= ? and ${column} < ? and ${key} = any(?::uuid[]) group by ${key}`;
  const [received, createdByUnit, createdByPerson, issuedByUnit, issuedByPerson] = await Promise.all([
    count(
      `select keeping_unit_id as k, count(*)::int as n from document
            where direction = 'INCOMING' and state <> 'ANNULLED' and registered_at >= ? and registered_at < ? and keeping_unit_id = any(?::uuid[])
            group by keeping_unit_id`,
      q.unitIds,
    ),
    count(outgoing('created_at', 'drafting_unit_id'), q.unitIds),
    count(outgoing('created_at', 'drafter_id'), personIds),
    count(outgoing('issued_at', 'drafting_unit_id'), q.unitIds),
    count(outgoing('issued_at', 'drafter_id'), personIds),
  ]);
  const merge = (ids: string[], parts: Array<[keyof UsageFigures, Map<string, number>]>) =>
    new Map(ids.map((id) => [id, Object.fromEntries(parts.map(([field, m]) => [field, m.get(id) ?? 0])) as Partial<UsageFigures>]));
  return {
    byUnit: merge(q.unitIds, [
      ['received', received],
      ['draftsCreated', createdByUnit],
      ['draftsIssued', issuedByUnit],
    ]),
    byPerson: merge(personIds, [
      ['draftsCreated', createdByPerson],
      ['draftsIssued', issuedByPerson],
    ]),
  };
}

/** Check-ins (Điều 10.2): working days with both sessions used, and all sessions used; a unit's are its people's. */
async function checkInFigures(q: UsageQuery): Promise<FigureSet> {
  const personIds = q.people.map((p) => p.id);
  const rows: Array<{ account_id: string; day: string; visits: number }> = personIds.length
    ? await q.ctx.em.execute(
        `select account_id, to_char(day, 'YYYY-MM-DD') as day, visits from account_activity where day >= ? and day < ? and account_id = any(?::uuid[])`,
        [`${q.year}-01-01`, `${q.year + 1}-01-01`, idArray(personIds)],
      )
    : [];
  const byPerson = new Map<string, Partial<UsageFigures>>(personIds.map((id) => [id, { checkInDays: 0, visits: 0 }]));
  for (const r of rows) {
    const f = byPerson.get(r.account_id)!;
    f.visits! += r.visits;
    if (r.visits >= 2 && q.calendar.isWorkingDay(r.day)) f.checkInDays! += 1;
  }
  const byUnit = new Map<string, Partial<UsageFigures>>(q.unitIds.map((id) => [id, { checkInDays: 0, visits: 0 }]));
  for (const p of q.people) {
    const u = byUnit.get(p.unit.id);
    if (!u) continue;
    u.checkInDays! += byPerson.get(p.id)!.checkInDays!;
    u.visits! += byPerson.get(p.id)!.visits!;
  }
  return { byUnit, byPerson };
}

/**
 * The yearly use of the system per unit and per person (Điều 11), for the emulation assessment: every
 * unit and person the viewer oversees. Assignments count in the year they were made; completion is on
 * time when done on or before the deadline (office day); processing time runs from assignment to completion.
 */
export async function usageReport(ctx: Context, year: number, unitId?: string | null): Promise<UsageReport> {
  if (!Number.isInteger(year) || year < 2000 || year > 9999) throw badInput('year must be a year such as 2026.', 'year');
  const { units, people } = await oversightScope(ctx, unitId);
  const timeZone = ctx.app.config.officeTimeZone;
  const q: UsageQuery = {
    ctx,
    year,
    from: officeInstant(`${year}-01-01`, 0, timeZone),
    to: officeInstant(`${year + 1}-01-01`, 0, timeZone),
    today: officeDate(ctx.app.clock.now(), timeZone),
    timeZone,
    unitIds: units.map((u) => u.id),
    people,
    calendar: await workingCalendar(ctx),
  };
  const [sets, incidents] = await Promise.all([
    Promise.all(SOURCES.map((source) => source(q))),
    incidentCount(ctx.em, { timeZone, year, unitIds: q.unitIds, accountIds: people.map((p) => p.id) }),
  ]);
  const combine = (id: string, side: keyof FigureSet): UsageFigures => Object.assign({ ...EMPTY }, ...sets.map((s) => s[side].get(id) ?? {}));
  return {
    year,
    incidents: incidents.reported,
    units: units.map((unit) => ({ unit, ...combine(unit.id, 'byUnit') })),
    people: people.map((account) => ({ account, ...combine(account.id, 'byPerson') })),
  };
}

/** Incidents reported in the year, per reporting unit and per reporter. */
async function incidentFigures(q: UsageQuery): Promise<FigureSet> {
  const ids = { timeZone: q.timeZone, year: q.year, unitIds: q.unitIds, accountIds: q.people.map((p) => p.id) };
  const { byUnit, byPerson } = await incidentsByReporter(q.ctx.em, ids);
  const figures = (m: Map<string, number>) => new Map([...m].map(([k, n]): [string, Partial<UsageFigures>] => [k, { incidentsReported: n }]));
  return { byUnit: figures(byUnit), byPerson: figures(byPerson) };
}

/** The CSV columns, in order: a header and the figure it shows. */
export const USAGE_COLUMNS: ReadonlyArray<[string, keyof UsageFigures]> = [
  ['received', 'received'],
  ['assigned', 'assigned'],
  ['completed_on_time', 'completedOnTime'],
  ['completed_late', 'completedLate'],
  ['still_open', 'stillOpen'],
  ['overdue', 'overdue'],
  ['drafts_created', 'draftsCreated'],
  ['drafts_issued', 'draftsIssued'],
  ['check_in_days', 'checkInDays'],
  ['visits', 'visits'],
  ['median_processing_hours', 'medianProcessingHours'],
  ['incidents_reported', 'incidentsReported'],
];

/** The usage report as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese correctly). */
export function usageCsv(report: UsageReport): string {
  const q = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n;]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const header = ['kind', 'name', 'unit', ...USAGE_COLUMNS.map(([h]) => h)];
  const line = (kind: string, name: string, unit: string, f: UsageFigures) => [kind, name, unit, ...USAGE_COLUMNS.map(([, k]) => f[k])].map(q).join(',');
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
