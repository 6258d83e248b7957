import { addDays, officeDate, officeInstant } from './office-time';

/**
 * Working days (ngày làm việc): Monday to Friday, less the public holidays and compensatory days off
 * the government announces each year, plus the weekend days it declares working days in exchange
 * (làm bù). The dates change every year, so they are data: the SYSADMIN records them and this module
 * only reads the list it is given. Every working-day rule (cut-offs, "due soon", deadlines, check-ins)
 * goes through one calendar built here.
 */
export enum OfficeDayKind {
  /** A public holiday (ngày lễ, Tết); it may fall on a weekend, where it changes nothing. */
  HOLIDAY = 'HOLIDAY',
  /** A weekday off in compensation (nghỉ bù, hoán đổi). */
  COMPENSATORY_DAY_OFF = 'COMPENSATORY_DAY_OFF',
  /** A Saturday or Sunday worked in exchange for a day off (làm bù). */
  COMPENSATORY_WORKDAY = 'COMPENSATORY_WORKDAY',
}

export interface OfficeDayMark {
  /** `YYYY-MM-DD`. */
  date: string;
  kind: OfficeDayKind;
}

/** Day of the week of a calendar day, 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const wd = weekday(date);
  return wd === 0 || wd === 6;
}

/** Why a day cannot be recorded with this kind, or null. */
export function officeDayProblem(date: string, kind: OfficeDayKind): string | null {
  if (kind === OfficeDayKind.COMPENSATORY_WORKDAY && !isWeekend(date))
    return `${date} is a weekday, already a working day: a compensatory working day is a Saturday or Sunday.`;
  if (kind === OfficeDayKind.COMPENSATORY_DAY_OFF && isWeekend(date))
    return `${date} is a Saturday or Sunday, already a day off: a compensatory day off is a weekday.`;
  return null;
}

/** The cut-off hours by which registered documents go to the director (Điều 9.1), office time. */
export const SUBMISSION_CUTOFF_HOURS = [9, 15] as const;

/** Days searched at most for the next or previous working day: a year of nothing but days off is a data error. */
const SEARCH_LIMIT = 400;

/** Deadline bounds of one office day, for filters in SQL and in code alike. */
export interface DeadlineBounds {
  /** Overdue: a deadline on or before this day (the last working day before today). */
  overdueUpTo: string;
  /** Due soon: a deadline after `overdueUpTo` and on or before this day (two working days from today). */
  dueSoonUpTo: string;
}

export class WorkingCalendar {
  /** Weekends only: for code that runs before any calendar is recorded, and for tests. */
  static readonly WEEKENDS_ONLY = new WorkingCalendar([]);

  private readonly off = new Set<string>();
  private readonly worked = new Set<string>();

  constructor(marks: Iterable<OfficeDayMark>) {
    for (const m of marks) {
      if (m.kind === OfficeDayKind.COMPENSATORY_WORKDAY) this.worked.add(m.date);
      else this.off.add(m.date);
    }
  }

  /** A working day: a weekday that is no holiday or day off, or a weekend day declared worked. */
  isWorkingDay(date: string): boolean {
    if (this.worked.has(date)) return true;
    return !isWeekend(date) && !this.off.has(date);
  }

  /** The first working day on or after `date`. */
  workingDayOnOrAfter(date: string): string {
    let d = date;
    for (let i = 0; i < SEARCH_LIMIT; i++, d = addDays(d, 1)) if (this.isWorkingDay(d)) return d;
    throw new Error(`No working day within ${SEARCH_LIMIT} days after ${date}.`);
  }

  /** The last working day strictly before `date`. */
  workingDayBefore(date: string): string {
    let d = addDays(date, -1);
    for (let i = 0; i < SEARCH_LIMIT; i++, d = addDays(d, -1)) if (this.isWorkingDay(d)) return d;
    throw new Error(`No working day within ${SEARCH_LIMIT} days before ${date}.`);
  }

  /** The day `n` working days after `date` (n ≥ 0; 0 gives `date` itself). Days off are skipped. */
  addWorkingDays(date: string, n: number): string {
    let d = date;
    for (let left = n; left > 0; left--) d = this.workingDayOnOrAfter(addDays(d, 1));
    return d;
  }

  /**
   * The day a deadline really ends: a deadline that falls on a day off runs to the end of the next
   * working day (Bộ luật Dân sự 2015, Điều 148.5).
   */
  effectiveDeadline(deadline: string): string {
    return this.workingDayOnOrAfter(deadline);
  }

  /** Whether work completed on `completedOn` (office day) was late for `deadline`. */
  completedLate(deadline: string, completedOn: string): boolean {
    return completedOn > this.effectiveDeadline(deadline);
  }

  /**
   * Overdue and due-soon bounds on `today`. Overdue: the deadline's effective day is before today,
   * i.e. a working day lies between the deadline and yesterday. Due soon: not overdue, and due
   * within two working days from today.
   */
  deadlineBounds(today: string): DeadlineBounds {
    return { overdueUpTo: this.workingDayBefore(today), dueSoonUpTo: this.addWorkingDays(today, 2) };
  }

  /** Whether open work with this deadline is overdue on `today`. */
  isOverdue(deadline: string, today: string): boolean {
    return deadline <= this.deadlineBounds(today).overdueUpTo;
  }

  /**
   * The latest 9:00 or 15:00 office time of a working day, at or before `instant`: a document
   * registered on Friday after 15:00 is not late before 9:00 on the next working day.
   */
  lastCutoff(instant: Date, timeZone: string): Date {
    const today = officeDate(instant, timeZone);
    const hours = [...SUBMISSION_CUTOFF_HOURS].reverse();
    if (this.isWorkingDay(today)) {
      for (const h of hours) {
        const t = officeInstant(today, h, timeZone);
        if (t.getTime() <= instant.getTime()) return t;
      }
    }
    return officeInstant(this.workingDayBefore(today), hours[0], timeZone);
  }
}
