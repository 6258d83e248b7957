import fc from 'fast-check';
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

  it('gives what the zone’s own formatting gives, for instants asked again, in the same minute, across a change of offset and before 1980 (fast-check, fixed seed)', () => {
    const direct = (t: number, timeZone: string) =>
      new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(t));
    // Paris leaves winter time at 01:00 UTC on 29 March 2026; Saigon's local mean time (+7:06:40) ended in 1906.
    const edges = [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 11, 31, 17), Date.UTC(1906, 5, 30, 16, 53, 20), Date.UTC(1975, 5, 13, 16)];
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }),
      fc.tuple(fc.constantFrom(...edges), fc.integer({ min: -120_000, max: 120_000 })).map(([e, d]) => e + d),
    );
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 20 }), fc.constantFrom(TZ, 'Europe/Paris', 'UTC', 'America/St_Johns'), (ts, zone) => {
        for (const t of ts) {
          expect(officeDate(new Date(t), zone)).toBe(direct(t, zone));
          expect(officeYear(new Date(t), zone)).toBe(Number(direct(t, zone).slice(0, 4)));
        }
      }),
      { seed: 1717, numRuns: 300 },
    );
  });

  it('recognises calendar days', () => {
    expect(isCalendarDate('2026-02-28')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('26-02-01')).toBe(false);
  });
});
