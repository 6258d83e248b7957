import { subject } from '@casl/ability';
import { Role } from '../../src/domain/accounts/account-rules';
import { defineAbilityFor } from '../../src/domain/permissions/ability';
import { ConditionKind, ruleProblem } from '../../src/domain/permissions/custom-rules';
import type { Viewer } from '../../src/domain/permissions/viewer';
import { isInWeek, isoWeekOf, parseIsoWeek, weekOfDate, weeksInYear } from '../../src/domain/schedule/iso-week';
import {
  ChangeKind,
  LinkKind,
  ScheduleState,
  byDateAndTime,
  diffEntries,
  entryProblem,
  isParticipant,
  scheduleTransition,
  type EntryFacts,
} from '../../src/domain/schedule/schedule-rules';
import { UnitKind } from '../../src/domain/units/unit-rules';

describe('ISO weeks', () => {
  it('knows the Monday and Sunday of a week, and the week of a day', () => {
    expect(parseIsoWeek('2026-W49')).toEqual({ week: '2026-W49', monday: '2026-11-30', sunday: '2026-12-06' });
    expect(parseIsoWeek('2026-W01')).toEqual({ week: '2026-W01', monday: '2025-12-29', sunday: '2026-01-04' });
    expect(weekOfDate('2026-12-06')).toBe('2026-W49');
    expect(weekOfDate('2026-12-07')).toBe('2026-W50');
    // 1 January 2027 is a Friday: it belongs to the last week of 2026, which has 53 weeks.
    expect(weeksInYear(2026)).toBe(53);
    expect(weeksInYear(2027)).toBe(52);
    expect(isoWeekOf('2027-01-01')).toEqual({ year: 2026, week: 53 });
    expect(parseIsoWeek('2026-W53')?.monday).toBe('2026-12-28');
  });

  it('refuses what is not a week', () => {
    for (const w of ['2027-W53', '2026-W00', '2026-W1', '2026W49', '2026-w49', '1999-W10', ' 2026-W49']) expect(parseIsoWeek(w)).toBeNull();
  });

  it('tells whether a day is in the week', () => {
    const w = parseIsoWeek('2026-W49')!;
    expect(isInWeek('2026-11-30', w)).toBe(true);
    expect(isInWeek('2026-12-06', w)).toBe(true);
    expect(isInWeek('2026-12-07', w)).toBe(false);
    expect(isInWeek('2026-11-31', w)).toBe(false);
  });
});

describe('schedule versions', () => {
  it('go DRAFT → SUBMITTED → PUBLISHED, returned for changes, revised after publication', () => {
    expect(scheduleTransition(ScheduleState.DRAFT, 'submit')).toBe(ScheduleState.SUBMITTED);
    expect(scheduleTransition(ScheduleState.SUBMITTED, 'approve')).toBe(ScheduleState.PUBLISHED);
    expect(scheduleTransition(ScheduleState.SUBMITTED, 'return')).toBe(ScheduleState.RETURNED);
    expect(scheduleTransition(ScheduleState.RETURNED, 'edit')).toBe(ScheduleState.RETURNED);
    expect(scheduleTransition(ScheduleState.RETURNED, 'submit')).toBe(ScheduleState.SUBMITTED);
    expect(scheduleTransition(ScheduleState.PUBLISHED, 'revise')).toBe(ScheduleState.DRAFT);
    expect(scheduleTransition(ScheduleState.DRAFT, 'approve')).toBeNull();
    expect(scheduleTransition(ScheduleState.SUBMITTED, 'edit')).toBeNull();
    expect(scheduleTransition(ScheduleState.PUBLISHED, 'edit')).toBeNull();
    expect(scheduleTransition(ScheduleState.SUPERSEDED, 'revise')).toBeNull();
    expect(scheduleTransition(ScheduleState.DRAFT, 'revise')).toBeNull();
  });
});

const week = parseIsoWeek('2026-W49')!;
const entry = (over: Partial<EntryFacts> = {}): EntryFacts => ({
  key: 'k1',
  date: '2026-12-03',
  startTime: '08:00',
  endTime: '11:00',
  place: 'Phòng họp',
  chairId: 'director',
  content: 'Giao ban',
  participantUnitIds: ['u1'],
  participantAccountIds: ['a1'],
  documents: [{ documentId: 'd1', kind: LinkKind.INVITATION }],
  ...over,
});

describe('entries', () => {
  it('are checked field by field', () => {
    expect(entryProblem(entry(), week)).toBeNull();
    expect(entryProblem(entry({ endTime: null }), week)).toBeNull();
    expect(entryProblem(entry({ date: '2026-12-07' }), week)?.field).toBe('date');
    expect(entryProblem(entry({ startTime: '8:00' }), week)?.field).toBe('startTime');
    expect(entryProblem(entry({ startTime: '24:00' }), week)?.field).toBe('startTime');
    expect(entryProblem(entry({ endTime: '08:00' }), week)?.field).toBe('endTime');
    expect(entryProblem(entry({ place: ' ' }), week)?.field).toBe('place');
    expect(entryProblem(entry({ place: 'p'.repeat(201) }), week)?.field).toBe('place');
    expect(entryProblem(entry({ content: 'c'.repeat(2001) }), week)?.field).toBe('content');
    expect(entryProblem(entry({ participantUnitIds: ['u1', 'u1'] }), week)?.field).toBe('participantUnitIds');
    expect(entryProblem(entry({ participantAccountIds: Array.from({ length: 101 }, (_, i) => `a${i}`) }), week)?.field).toBe('participants');
    expect(entryProblem(entry({ documents: [entry().documents[0], entry().documents[0]] }), week)?.field).toBe('documents');
  });

  it('sort by day, then time, then their place in the list', () => {
    const rows = [
      { date: '2026-12-03', startTime: '14:00', endTime: null, position: 0 },
      { date: '2026-12-01', startTime: '08:00', endTime: null, position: 1 },
      { date: '2026-12-03', startTime: '08:00', endTime: '10:00', position: 2 },
      { date: '2026-12-03', startTime: '08:00', endTime: '10:00', position: 3 },
    ];
    expect([...rows].sort(byDateAndTime).map((r) => r.position)).toEqual([1, 2, 3, 0]);
  });

  it('give the change list between versions, matched by key', () => {
    const before = [entry(), entry({ key: 'k2', content: 'Kiểm tra' })];
    const after = [entry({ startTime: '14:00', endTime: '16:00', participantAccountIds: ['a1', 'a2'] }), entry({ key: 'k3', content: 'Mới' })];
    expect(diffEntries(before, after)).toEqual([
      { kind: ChangeKind.CHANGED, key: 'k1', fields: ['startTime', 'endTime', 'participants'] },
      { kind: ChangeKind.ADDED, key: 'k3', fields: [] },
      { kind: ChangeKind.REMOVED, key: 'k2', fields: [] },
    ]);
    // The same participants in another order are no change.
    expect(diffEntries([entry({ participantUnitIds: ['u1', 'u2'] })], [entry({ participantUnitIds: ['u2', 'u1'] })])).toEqual([]);
  });

  it('name their participants: accounts, members of a unit, members of a keeping unit', () => {
    const facts = { participantAccounts: ['a1'], participantUnits: ['dept', 'centre'] };
    expect(isParticipant({ accountId: 'a1', unitId: 'x', keepingUnitId: 'y' }, facts)).toBe(true);
    expect(isParticipant({ accountId: 'a2', unitId: 'dept', keepingUnitId: 'agency' }, facts)).toBe(true);
    expect(isParticipant({ accountId: 'a3', unitId: 'centre-dept', keepingUnitId: 'centre' }, facts)).toBe(true);
    expect(isParticipant({ accountId: 'a4', unitId: 'other', keepingUnitId: 'agency' }, facts)).toBe(false);
  });
});

const viewer = (roles: Role[], over: Partial<Viewer> = {}): Viewer => ({
  accountId: 'me',
  roles,
  unitId: 'dept-a',
  unitKind: UnitKind.DEPARTMENT,
  keepingUnitId: 'agency',
  agencyId: 'agency',
  keepingUnitMemberIds: ['agency', 'dept-a', 'vp'],
  departmentId: 'dept-a',
  inOffice: false,
  ...over,
});
const version = (published: boolean, keepingUnit = 'agency', participantAccounts: string[] = [], participantUnits: string[] = []) =>
  subject('WorkSchedule', { keepingUnit, published, participantAccounts, participantUnits }) as unknown as Record<string, unknown>;

describe('who does what with a schedule', () => {
  it('the Office and the clerk draft; the director approves; everyone of the keeping unit reads what is published', () => {
    const office = defineAbilityFor(viewer([Role.STAFF], { unitId: 'vp', inOffice: true }));
    const clerk = defineAbilityFor(viewer([Role.CLERK], { unitId: 'vp' }));
    const director = defineAbilityFor(viewer([Role.DIRECTOR], { unitId: 'agency' }));
    const staff = defineAbilityFor(viewer([Role.STAFF]));
    for (const a of [office, clerk]) {
      for (const action of ['create', 'update', 'submit', 'revise', 'read'] as const) expect(a.can(action, version(false))).toBe(true);
      expect(a.can('approve', version(false))).toBe(false);
    }
    expect(director.can('approve', version(false))).toBe(true);
    expect(director.can('returnFromReview', version(false))).toBe(true);
    expect(director.can('update', version(false))).toBe(false);
    expect(staff.can('read', version(false))).toBe(false);
    expect(staff.can('read', version(true))).toBe(true);
    expect(staff.can('update', version(false))).toBe(false);
    // Another keeping unit's: published and naming the viewer, or the viewer's unit.
    expect(staff.can('read', version(true, 'centre'))).toBe(false);
    expect(staff.can('read', version(true, 'centre', ['me']))).toBe(true);
    expect(staff.can('read', version(true, 'centre', [], ['dept-a']))).toBe(true);
    expect(staff.can('read', version(false, 'centre', ['me']))).toBe(false);
    expect(clerk.can('update', version(false, 'centre'))).toBe(false);
  });

  it('the administrator reads no schedule and cannot be given one', () => {
    const admin = defineAbilityFor(viewer([Role.SYSADMIN], { unitId: 'vp', inOffice: true }), [
      { action: 'read', subject: 'WorkSchedule', condition: ConditionKind.ANY, inverted: false },
    ]);
    expect(admin.can('read', version(true))).toBe(false);
    expect(admin.can('create', version(false))).toBe(false);
  });

  it('rules on the schedule can be added by an administrator', () => {
    expect(ruleProblem({ action: 'update', subject: 'WorkSchedule', condition: ConditionKind.OWN_KEEPING_UNIT, inverted: false })).toBeNull();
    expect(ruleProblem({ action: 'sign', subject: 'WorkSchedule', condition: ConditionKind.ANY, inverted: false })).toMatch(/action must be one of/);
    expect(ruleProblem({ action: 'read', subject: 'WorkSchedule', condition: ConditionKind.DRAFTED_BY_ME, inverted: false })).toMatch(/does not apply/);
    const head = defineAbilityFor(viewer([Role.HEAD]), [
      { action: 'update', subject: 'WorkSchedule', condition: ConditionKind.OWN_KEEPING_UNIT, inverted: false },
    ]);
    expect(head.can('update', version(false))).toBe(true);
    const deniedClerk = defineAbilityFor(viewer([Role.CLERK], { unitId: 'vp' }), [
      { action: 'update', subject: 'WorkSchedule', condition: ConditionKind.ANY, inverted: true },
    ]);
    expect(deniedClerk.can('update', version(false))).toBe(false);
  });
});
