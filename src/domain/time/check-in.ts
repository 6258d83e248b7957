import { officeDate, officeInstant } from './office-time';

/**
 * Điều 10.2: everyone checks the system at least twice a day — once in the morning session and once
 * in the afternoon session of a working day. Noon, office time, divides the two.
 */
export enum CheckInSession {
  MORNING = 'MORNING',
  AFTERNOON = 'AFTERNOON',
}

export const AFTERNOON_STARTS_AT_HOUR = 12;

/** The session an instant falls in, and when that session started (midnight or noon, office time). */
export function checkInSession(instant: Date, timeZone: string): { day: string; session: CheckInSession; startedAt: Date } {
  const day = officeDate(instant, timeZone);
  const noon = officeInstant(day, AFTERNOON_STARTS_AT_HOUR, timeZone);
  return instant.getTime() < noon.getTime()
    ? { day, session: CheckInSession.MORNING, startedAt: officeInstant(day, 0, timeZone) }
    : { day, session: CheckInSession.AFTERNOON, startedAt: noon };
}

/** How many of the day's two sessions a person used: 0, 1 or 2; fewer than 2 is a missed check-in. */
export function sessionsUsed(morning: boolean, afternoon: boolean): number {
  return (morning ? 1 : 0) + (afternoon ? 1 : 0);
}
