import { isCalendarDate, officeDate, officeInstant, officeYear } from '../../src/domain/time/office-time';

const TZ = 'Asia/Ho_Chi_Minh';

describe('office time', () => {
  it('takes the year and day from the office’s zone, not UTC', () => {
    expect(officeYear(new Date('2026-12-31T16:59:59Z'), TZ)).toBe(2026);
    expect(officeYear(new Date('2026-12-31T17:00:00Z'), TZ)).toBe(2027);
    expect(officeDate(new Date('2026-12-31T17:00:00Z'), TZ)).toBe('2027-01-01');
    expect(officeDate(new Date('2026-12-31T17:00:00Z'), 'UTC')).toBe('2026-12-31');
  });

  it('converts office wall time to instants, also in zones with daylight saving', () => {
    expect(officeInstant('2026-11-26', 9, TZ).toISOString()).toBe('2026-11-26T02:00:00.000Z');
    expect(officeInstant('2026-07-01', 9, 'Europe/Paris').toISOString()).toBe('2026-07-01T07:00:00.000Z');
    expect(officeInstant('2026-01-01', 9, 'Europe/Paris').toISOString()).toBe('2026-01-01T08:00:00.000Z');
  });

  it('recognises calendar days', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('26-02-01')).toBe(false);
  });
});
