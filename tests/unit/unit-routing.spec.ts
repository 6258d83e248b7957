import { subject } from '@casl/ability';
import { Role } from '../../src/domain/accounts/account-rules';
import { AssignmentState, IncomingState } from '../../src/domain/incoming/routing';
import { assignmentStateFromCopy, routedUnitProblem, routesThroughCopy } from '../../src/domain/incoming/unit-routing';
import { defineAbilityFor } from '../../src/domain/permissions/ability';
import { ConditionKind, ruleAppliesTo, ruleProblem } from '../../src/domain/permissions/custom-rules';
import type { Viewer } from '../../src/domain/permissions/viewer';
import { UnitKind } from '../../src/domain/units/unit-rules';

describe('routing to the units of a keeping unit (Điều 7.1)', () => {
  it('names the keeping unit’s departments and subordinate units, nothing else', () => {
    expect(routedUnitProblem({ kind: UnitKind.DEPARTMENT, parentId: 'agency' }, 'agency')).toBeNull();
    expect(routedUnitProblem({ kind: UnitKind.SUBORDINATE, parentId: 'agency' }, 'agency')).toBeNull();
    // A centre's department belongs to the centre; another agency's units to that agency.
    expect(routedUnitProblem({ kind: UnitKind.DEPARTMENT, parentId: 'centre' }, 'agency')).toMatch(/department of the unit that keeps/);
    expect(routedUnitProblem({ kind: UnitKind.SUBORDINATE, parentId: 'other' }, 'agency')).toMatch(/subordinate units/);
    expect(routedUnitProblem({ kind: UnitKind.AGENCY, parentId: null }, 'agency')).not.toBeNull();
    // The centre routes inside itself only.
    expect(routedUnitProblem({ kind: UnitKind.DEPARTMENT, parentId: 'centre' }, 'centre')).toBeNull();
    expect(routedUnitProblem({ kind: UnitKind.SUBORDINATE, parentId: 'agency' }, 'centre')).not.toBeNull();
  });

  it('carries out a subordinate unit’s assignment through a copy, a department’s directly', () => {
    expect(routesThroughCopy({ kind: UnitKind.SUBORDINATE })).toBe(true);
    expect(routesThroughCopy({ kind: UnitKind.DEPARTMENT })).toBe(false);
  });

  it('moves the agency’s assignment with the copy, never reopening a closed one', () => {
    expect(assignmentStateFromCopy(IncomingState.IN_PROGRESS, AssignmentState.PENDING)).toBe(AssignmentState.IN_PROGRESS);
    expect(assignmentStateFromCopy(IncomingState.IN_PROGRESS, AssignmentState.IN_PROGRESS)).toBeNull();
    expect(assignmentStateFromCopy(IncomingState.COMPLETED, AssignmentState.IN_PROGRESS)).toBe(AssignmentState.COMPLETED);
    expect(assignmentStateFromCopy(IncomingState.COMPLETED, AssignmentState.PENDING)).toBe(AssignmentState.COMPLETED);
    expect(assignmentStateFromCopy(IncomingState.REJECTED, AssignmentState.PENDING)).toBe(AssignmentState.RETURNED);
    for (const waiting of [IncomingState.RECEIVED, IncomingState.REGISTERED, IncomingState.SUBMITTED, IncomingState.ASSIGNED]) {
      expect(assignmentStateFromCopy(waiting, AssignmentState.PENDING)).toBeNull();
    }
    for (const closed of [AssignmentState.COMPLETED, AssignmentState.RETURNED]) expect(assignmentStateFromCopy(IncomingState.COMPLETED, closed)).toBeNull();
  });
});

describe('agency-wide reports (Điều 7.2, 8.3)', () => {
  const viewer = (over: Partial<Viewer>): Viewer => ({
    accountId: 'me',
    roles: [Role.DIRECTOR],
    unitId: 'agency',
    unitKind: UnitKind.AGENCY,
    keepingUnitId: 'agency',
    keepingUnitMemberIds: ['agency', 'vp'],
    departmentId: null,
    agencyId: 'agency',
    inOffice: false,
    ...over,
  });
  const report = (unit: string, agency: string) => subject('Report', { unit, agency, account: null });

  it('gives the agency’s director the whole agency and a centre’s director the centre', () => {
    expect(defineAbilityFor(viewer({})).can('read', report('centre-dept', 'agency') as never)).toBe(true);
    expect(defineAbilityFor(viewer({})).can('read', report('x', 'other-agency') as never)).toBe(false);
    const centre = viewer({ unitId: 'centre', unitKind: UnitKind.SUBORDINATE, keepingUnitId: 'centre', keepingUnitMemberIds: ['centre', 'kdcl'] });
    expect(defineAbilityFor(centre).can('read', report('kdcl', 'agency') as never)).toBe(true);
    expect(defineAbilityFor(centre).can('read', report('vp', 'agency') as never)).toBe(false);
  });

  it('OWN_AGENCY is a report condition; a role rule narrowed to a unit holds for that unit’s holders only', () => {
    expect(ruleProblem({ action: 'read', subject: 'Report', condition: ConditionKind.OWN_AGENCY, inverted: false })).toBeNull();
    expect(ruleProblem({ action: 'read', subject: 'IncomingDocument', condition: ConditionKind.OWN_AGENCY, inverted: false })).toMatch(/does not apply/);
    const officeHead = viewer({ roles: [Role.HEAD], unitId: 'vp', unitKind: UnitKind.DEPARTMENT, departmentId: 'vp', inOffice: true });
    const rule = { accountId: null, role: Role.HEAD, unitId: 'vp' };
    expect(ruleAppliesTo(rule, officeHead)).toBe(true);
    expect(ruleAppliesTo(rule, { ...officeHead, unitId: 'qlhdxd' })).toBe(false);
    expect(ruleAppliesTo(rule, { ...officeHead, roles: [Role.STAFF] })).toBe(false);
    expect(ruleAppliesTo({ accountId: 'me', role: null, unitId: null }, officeHead)).toBe(true);
    const granted = defineAbilityFor(officeHead, [{ action: 'read', subject: 'Report', condition: ConditionKind.OWN_AGENCY, inverted: false }]);
    expect(granted.can('read', report('centre', 'agency') as never)).toBe(true);
    expect(defineAbilityFor(officeHead).can('read', report('centre', 'agency') as never)).toBe(false);
  });
});
