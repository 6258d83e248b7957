import { SEEDED_OFFICE_DAYS } from '../../migrations/Migration20261202100600_working_days_incidents';
import { CheckInSession, checkInSession, sessionsUsed } from '../../src/domain/time/check-in';
import { OfficeDayKind, WorkingCalendar, isWeekend, officeDayProblem, weekday } from '../../src/domain/time/working-calendar';

const TZ = 'Asia/Ho_Chi_Minh';
const at = (local: string) => new Date(`${local}+07:00`);
const iso = (d: Date) => d.toISOString();

/** The 2026 days off and the worked Saturday the migration seeds, as the SYSADMIN would record them. */
const Y2026 = new WorkingCalendar(SEEDED_OFFICE_DAYS.map(([date, kind]) => ({ date, kind: kind as OfficeDayKind })));
const WEEKENDS = WorkingCalendar.WEEKENDS_ONLY;

describe('the working calendar', () => {
  it('knows weekdays and weekends', () => {
    expect(weekday('2026-11-27')).toBe(5);
    expect(isWeekend('2026-11-28')).toBe(true);
    expect(isWeekend('2026-11-29')).toBe(true);
    expect(isWeekend('2026-11-30')).toBe(false);
  });

  it('skips weekends, holidays and compensatory days off, and counts a worked Saturday', () => {
    expect(WEEKENDS.isWorkingDay('2026-11-27')).toBe(true);
    expect(WEEKENDS.isWorkingDay('2026-11-28')).toBe(false);
    expect(Y2026.isWorkingDay('2026-04-30')).toBe(false); // holiday on a Thursday
    expect(Y2026.isWorkingDay('2026-04-27')).toBe(false); // compensatory day off for Giỗ Tổ on Sunday 26/4
    expect(Y2026.isWorkingDay('2026-01-02')).toBe(false); // swapped day off
    expect(Y2026.isWorkingDay('2026-01-10')).toBe(true); // the Saturday worked in exchange
    expect(WEEKENDS.isWorkingDay('2026-01-10')).toBe(false);
    expect(Y2026.isWorkingDay('2026-04-29')).toBe(true);
  });

  it('adds working days across weekends and holidays', () => {
    expect(WEEKENDS.addWorkingDays('2026-11-26', 2)).toBe('2026-11-30'); // Thursday + 2 → Monday
    expect(WEEKENDS.addWorkingDays('2026-11-23', 2)).toBe('2026-11-25');
    expect(WEEKENDS.addWorkingDays('2026-11-26', 0)).toBe('2026-11-26');
    expect(Y2026.addWorkingDays('2026-04-29', 1)).toBe('2026-05-04'); // Wed → Thu 30/4, Fri 1/5 off → Mon 4/5
    expect(Y2026.addWorkingDays('2026-04-24', 1)).toBe('2026-04-28'); // Fri → Mon 27/4 is off → Tue
    expect(Y2026.addWorkingDays('2026-02-13', 1)).toBe('2026-02-23'); // the Friday before Tết → the Monday after
    expect(Y2026.addWorkingDays('2026-01-09', 1)).toBe('2026-01-10'); // Friday → the worked Saturday
    expect(Y2026.addWorkingDays('2025-12-31', 1)).toBe('2026-01-05'); // 1/1 holiday, 2/1 swapped off
  });

  it('finds the working day before and the one on or after', () => {
    expect(WEEKENDS.workingDayBefore('2026-11-30')).toBe('2026-11-27');
    expect(Y2026.workingDayBefore('2026-05-04')).toBe('2026-04-29');
    expect(Y2026.workingDayOnOrAfter('2026-05-01')).toBe('2026-05-04');
    expect(Y2026.workingDayOnOrAfter('2026-05-04')).toBe('2026-05-04');
    expect(() =>
      new WorkingCalendar(
        Array.from({ length: 500 }, (_, i) => ({ date: new Date(Date.UTC(2030, 0, 1 + i)).toISOString().slice(0, 10), kind: OfficeDayKind.HOLIDAY })),
      ).workingDayOnOrAfter('2030-01-01'),
    ).toThrow(/No working day/);
  });

  it('runs a deadline that falls on a day off to the next working day', () => {
    expect(WEEKENDS.effectiveDeadline('2026-11-28')).toBe('2026-11-30');
    expect(Y2026.effectiveDeadline('2026-04-30')).toBe('2026-05-04');
    expect(WEEKENDS.completedLate('2026-11-28', '2026-11-30')).toBe(false); // Saturday deadline, done Monday
    expect(WEEKENDS.completedLate('2026-11-27', '2026-11-30')).toBe(true); // Friday deadline, done Monday
    expect(WEEKENDS.completedLate('2026-11-27', '2026-11-28')).toBe(true);
    expect(WEEKENDS.completedLate('2026-11-27', '2026-11-27')).toBe(false);
  });

  it('says what is overdue and due soon from Friday to Monday', () => {
    // Friday 27/11: due soon up to Tuesday 1/12; overdue up to Thursday.
    expect(WEEKENDS.deadlineBounds('2026-11-27')).toEqual({ overdueUpTo: '2026-11-26', dueSoonUpTo: '2026-12-01' });
    // Monday 30/11: a Friday deadline is overdue; a Saturday or Sunday one is due today.
    expect(WEEKENDS.deadlineBounds('2026-11-30')).toEqual({ overdueUpTo: '2026-11-27', dueSoonUpTo: '2026-12-02' });
    expect(WEEKENDS.isOverdue('2026-11-27', '2026-11-30')).toBe(true);
    expect(WEEKENDS.isOverdue('2026-11-29', '2026-11-30')).toBe(false);
    // On Saturday a Friday deadline is already past; Saturday's own is not.
    expect(WEEKENDS.isOverdue('2026-11-27', '2026-11-28')).toBe(true);
    expect(WEEKENDS.isOverdue('2026-11-28', '2026-11-28')).toBe(false);
  });

  it('says what is overdue and due soon across the 30/4 – 1/5 holidays', () => {
    // Wednesday 29/4: due soon runs to Tuesday 5/5 (Mon 4/5 and Tue 5/5 are the next two working days).
    expect(Y2026.deadlineBounds('2026-04-29')).toEqual({ overdueUpTo: '2026-04-28', dueSoonUpTo: '2026-05-05' });
    // Monday 4/5: a deadline on the holiday 30/4 ends today, so it is not overdue yet; Wednesday 29/4 is.
    expect(Y2026.isOverdue('2026-04-30', '2026-05-04')).toBe(false);
    expect(Y2026.isOverdue('2026-04-29', '2026-05-04')).toBe(true);
    expect(Y2026.isOverdue('2026-04-30', '2026-05-05')).toBe(true);
    expect(WEEKENDS.isOverdue('2026-04-30', '2026-05-04')).toBe(true); // without the holidays it would be
  });

  it('puts the submission cut-off on working days only', () => {
    // Friday 27/11 after 15:00 → Friday 15:00; Saturday, Sunday and Monday 08:00 → still Friday 15:00.
    expect(iso(WEEKENDS.lastCutoff(at('2026-11-27T16:00:00'), TZ))).toBe(iso(at('2026-11-27T15:00:00')));
    expect(iso(WEEKENDS.lastCutoff(at('2026-11-29T20:00:00'), TZ))).toBe(iso(at('2026-11-27T15:00:00')));
    expect(iso(WEEKENDS.lastCutoff(at('2026-11-30T08:00:00'), TZ))).toBe(iso(at('2026-11-27T15:00:00')));
    expect(iso(WEEKENDS.lastCutoff(at('2026-11-30T09:00:00'), TZ))).toBe(iso(at('2026-11-30T09:00:00')));
    // Within a working day, as before.
    expect(iso(WEEKENDS.lastCutoff(at('2026-11-26T08:30:00'), TZ))).toBe(iso(at('2026-11-25T15:00:00')));
    expect(iso(WEEKENDS.lastCutoff(at('2026-11-26T14:59:00'), TZ))).toBe(iso(at('2026-11-26T09:00:00')));
    expect(iso(WEEKENDS.lastCutoff(at('2026-11-26T17:00:00'), TZ))).toBe(iso(at('2026-11-26T15:00:00')));
    // Over the holidays: Monday 4/5 at 08:00, the last cut-off was Wednesday 29/4 at 15:00.
    expect(iso(Y2026.lastCutoff(at('2026-05-04T08:00:00'), TZ))).toBe(iso(at('2026-04-29T15:00:00')));
    // A worked Saturday has its cut-offs.
    expect(iso(Y2026.lastCutoff(at('2026-01-10T10:00:00'), TZ))).toBe(iso(at('2026-01-10T09:00:00')));
    expect(iso(Y2026.lastCutoff(at('2026-01-05T08:00:00'), TZ))).toBe(iso(at('2025-12-31T15:00:00')));
  });

  it('refuses a compensatory working day on a weekday and a compensatory day off on a weekend', () => {
    expect(officeDayProblem('2026-01-10', OfficeDayKind.COMPENSATORY_WORKDAY)).toBeNull();
    expect(officeDayProblem('2026-01-09', OfficeDayKind.COMPENSATORY_WORKDAY)).toMatch(/weekday/);
    expect(officeDayProblem('2026-04-27', OfficeDayKind.COMPENSATORY_DAY_OFF)).toBeNull();
    expect(officeDayProblem('2026-04-26', OfficeDayKind.COMPENSATORY_DAY_OFF)).toMatch(/Saturday or Sunday/);
    expect(officeDayProblem('2026-04-26', OfficeDayKind.HOLIDAY)).toBeNull();
  });

  it('seeds days that are what they say: holidays, weekday days off, weekend days worked, each once', () => {
    const dates = SEEDED_OFFICE_DAYS.map(([d]) => d);
    expect(new Set(dates).size).toBe(dates.length);
    for (const [date, kind] of SEEDED_OFFICE_DAYS) expect(officeDayProblem(date, kind as OfficeDayKind)).toBeNull();
    // Tết Bính Ngọ: mùng 1 is Tuesday 17/2/2026; Giỗ Tổ 2026 is Sunday 26/4, 2027 Friday 16/4; Tết Đinh Mùi Saturday 6/2/2027.
    expect(weekday('2026-02-17')).toBe(2);
    expect(weekday('2026-04-26')).toBe(0);
    expect(weekday('2027-04-16')).toBe(5);
    expect(weekday('2027-02-06')).toBe(6);
  });
});

describe('check-in sessions (Điều 10.2)', () => {
  it('splits the day at noon, office time', () => {
    expect(checkInSession(at('2026-11-27T11:59:59'), TZ)).toEqual({ day: '2026-11-27', session: CheckInSession.MORNING, startedAt: at('2026-11-27T00:00:00') });
    expect(checkInSession(at('2026-11-27T12:00:00'), TZ)).toEqual({
      day: '2026-11-27',
      session: CheckInSession.AFTERNOON,
      startedAt: at('2026-11-27T12:00:00'),
    });
    expect(checkInSession(new Date('2026-11-27T17:30:00Z'), TZ).day).toBe('2026-11-28'); // 00:30 the next day
  });

  it('counts the sessions used', () => {
    expect(sessionsUsed(true, true)).toBe(2);
    expect(sessionsUsed(true, false)).toBe(1);
    expect(sessionsUsed(false, false)).toBe(0);
  });
});
