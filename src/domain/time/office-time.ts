/**
 * Office time: the calendar and clock of the office's time zone (Asia/Ho_Chi_Minh by default), which
 * decide the year of a register, the 9:00 and 15:00 submission cut-offs and what "today" is —
 * whatever zone the server's clock is in.
 */

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(instant: Date, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const { type, value } of f.formatToParts(instant)) p[type] = value;
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour, minute: +p.minute };
}

/** The office's calendar year at an instant: registers restart at 1 on 1 January office time. */
export function officeYear(instant: Date, timeZone: string): number {
  return parts(instant, timeZone).year;
}

/** The office's calendar day at an instant, as `YYYY-MM-DD`. */
export function officeDate(instant: Date, timeZone: string): string {
  const p = parts(instant, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The instant at which the office's clock shows `date` `hour`:00. */
export function officeInstant(date: string, hour: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  // Start from the same wall time in UTC, then correct by the zone's offset at that moment (twice, for DST edges).
  let guess = Date.UTC(y, m - 1, d, hour, 0, 0);
  for (let i = 0; i < 2; i++) {
    const p = parts(new Date(guess), timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += Date.UTC(y, m - 1, d, hour, 0, 0) - shown;
  }
  return new Date(guess);
}

/** The cut-off hours by which registered documents go to the director (Điều 9.1). */
export const SUBMISSION_CUTOFF_HOURS = [9, 15] as const;

/** The latest 9:00 or 15:00 office time at or before `instant`. */
export function lastCutoff(instant: Date, timeZone: string): Date {
  const today = officeDate(instant, timeZone);
  for (const h of [...SUBMISSION_CUTOFF_HOURS].reverse()) {
    const t = officeInstant(today, h, timeZone);
    if (t.getTime() <= instant.getTime()) return t;
  }
  return officeInstant(addDays(today, -1), SUBMISSION_CUTOFF_HOURS[SUBMISSION_CUTOFF_HOURS.length - 1], timeZone);
}

/** `YYYY-MM-DD` plus `n` calendar days. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** Saturday and Sunday are not working days. */
export function isWorkingDay(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number);
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return wd !== 0 && wd !== 6;
}

/** The day `n` working days after `date` (weekends skipped). */
export function addWorkingDays(date: string, n: number): string {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** A well-formed calendar day `YYYY-MM-DD`. */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}
