import { addDays, isCalendarDate } from '../time/office-time';

/**
 * ISO 8601 weeks (Monday to Sunday, week 1 holds the year's first Thursday): the period of a work
 * schedule (lịch công tác tuần). Written `2026-W49`.
 */
export const ISO_WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

/** The weekday of a calendar day, Monday 1 … Sunday 7. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/** How many ISO weeks a year has (52 or 53). */
export function weeksInYear(year: number): number {
  // A year has 53 weeks when 28 December falls in week 53: when 1 January or 31 December is a Thursday.
  const dec28 = `${year}-12-28`;
  return isoWeekOf(dec28).week;
}

/** The ISO week a calendar day belongs to. */
export function isoWeekOf(date: string): { year: number; week: number } {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = Number(thursday.slice(0, 4));
  const jan1 = `${year}-01-01`;
  const days = (Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${jan1}T00:00:00Z`)) / 86_400_000;
  return { year, week: Math.floor(days / 7) + 1 };
}

/** `2026-W49` for a year and week. */
export function formatIsoWeek(year: number, week: number): string {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The week of a day, written `YYYY-Www`. */
export function weekOfDate(date: string): string {
  const w = isoWeekOf(date);
  return formatIsoWeek(w.year, w.week);
}

/** The Monday and Sunday of a week written `YYYY-Www`, or null when it is not a real ISO week. */
export function parseIsoWeek(week: string): { week: string; monday: string; sunday: string } | null {
  const m = ISO_WEEK_PATTERN.exec(week);
  if (!m) return null;
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (year < 2000 || year > 2999 || n < 1 || n > weeksInYear(year)) return null;
  // 4 January is always in week 1.
  const jan4 = `${year}-01-04`;
  const monday = addDays(addDays(jan4, 1 - isoWeekday(jan4)), (n - 1) * 7);
  return { week, monday, sunday: addDays(monday, 6) };
}

/** Whether `date` is a calendar day inside the week. */
export function isInWeek(date: string, week: { monday: string; sunday: string }): boolean {
  return isCalendarDate(date) && date >= week.monday && date <= week.sunday;
}
