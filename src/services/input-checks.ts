import { isCalendarDate } from '../domain/time/office-time';
import { badInput } from '../errors';

/** An optional (or required) text argument within its length limit; empty counts as absent. */
export function text(value: string | null | undefined, field: string, max: number, required = false): string | null {
  if (value === null || value === undefined || value === '') {
    if (required) throw badInput(`${field} is required.`, field);
    return null;
  }
  if (value.length > max) throw badInput(`${field} must be at most ${max} characters.`, field);
  return value;
}

/** An optional (or required) calendar day written YYYY-MM-DD. */
export function date(value: string | null | undefined, field: string, required = false): string | null {
  if (value === null || value === undefined) {
    if (required) throw badInput(`${field} is required (YYYY-MM-DD).`, field);
    return null;
  }
  if (!isCalendarDate(value)) throw badInput(`${field} must be a calendar day written YYYY-MM-DD.`, field);
  return value;
}

/** Escapes LIKE wildcards so user text matches literally. */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

/** `%text%` with the text matched literally. */
export const containing = (s: string) => `%${escapeLike(s)}%`;
