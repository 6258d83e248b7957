/**
 * Office time: the calendar and clock of the office's time zone (Asia/Ho_Chi_Minh by default), which
 * decide the year of a register, the wall time of the 9:00 and 15:00 submission cut-offs and what
 * "today" is — whatever zone the server's clock is in. Which days are working days is the
 * working calendar's (working-calendar.ts).
 */

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The parts of recent minutes, by zone and UTC minute: requests ask the same minutes again and again
 * (the clock's "now"; the midnight and noon of the day), and formatting one costs more than the rest
 * of the sum. Since 1980 every zone's offset is a whole number of minutes and changes on a whole
 * minute, so every instant of one UTC minute shows the same local minute; an earlier instant (a
 * local mean time's offset had seconds) is kept by its own value. The oldest go first.
 */
const recent = new Map<string, LocalParts>();
const RECENT = 256;
const WHOLE_MINUTE_OFFSETS = Date.UTC(1980, 0, 1);

function parts(instant: Date, timeZone: string): LocalParts {
  const t = instant.getTime();
  const key = t >= WHOLE_MINUTE_OFFSETS ? `${timeZone} m${Math.floor(t / 60_000)}` : `${timeZone} ${t}`;
  const hit = recent.get(key);
  if (hit) return hit;
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const { type, value } of f.formatToParts(instant)) p[type] = value;
  const made = Object.freeze({ year: +p.year, month: +p.month, day: +p.day, hour: +p.hour, minute: +p.minute });
  recent.set(key, made);
  if (recent.size > RECENT) recent.delete(recent.keys().next().value as string);
  return made;
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

/** `YYYY-MM-DD` plus `n` calendar days. */
export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** A well-formed calendar day `YYYY-MM-DD`. */
export function isCalendarDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}
