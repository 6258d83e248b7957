import { subject } from '@casl/ability';
import { Role } from '../../src/domain/accounts/account-rules';
import { ConditionKind } from '../../src/domain/permissions/custom-rules';
import { defineAbilityFor, emptyAbility } from '../../src/domain/permissions/ability';
import { noRows, accessibleWhere } from '../../src/domain/permissions/to-filter';
import type { Viewer } from '../../src/domain/permissions/viewer';
import { UnitKind } from '../../src/domain/units/unit-rules';

const viewer = (roles: Role[], over: Partial<Viewer> = {}): Viewer => ({
  accountId: 'me',
  roles,
  unitId: 'dept-a',
  unitKind: UnitKind.DEPARTMENT,
  keepingUnitId: 'agency',
  keepingUnitMemberIds: ['agency', 'dept-a', 'dept-b'],
  departmentId: 'dept-a',
  agencyId: 'agency',
  inOffice: false,
  ...over,
});
const account = (id: string, unit: string) => subject('Account', { id, unit });

describe('role abilities', () => {
  it('SYSADMIN manages units and accounts; nobody else does', () => {
    expect(defineAbilityFor(viewer([Role.SYSADMIN])).can('create', 'Account')).toBe(true);
    expect(defineAbilityFor(viewer([Role.SYSADMIN])).can('update', 'Unit')).toBe(true);
    for (const role of [Role.DIRECTOR, Role.CLERK, Role.HEAD, Role.STAFF]) {
      const a = defineAbilityFor(viewer([role]));
      expect(a.can('create', 'Account')).toBe(false);
      expect(a.can('disable', 'Account')).toBe(false);
      expect(a.can('create', 'Unit')).toBe(false);
    }
  });

  it('everyone reads the directory, but an account’s last activity only where allowed', () => {
    const staff = defineAbilityFor(viewer([Role.STAFF]));
    expect(staff.can('read', account('other', 'dept-a') as never, 'fullName')).toBe(true);
    expect(staff.can('read', account('other', 'dept-a') as never, 'lastSeenAt')).toBe(false);
    expect(staff.can('read', account('me', 'dept-a') as never, 'lastSeenAt')).toBe(true);
    const head = defineAbilityFor(viewer([Role.HEAD, Role.STAFF]));
    expect(head.can('read', account('other', 'dept-a') as never, 'lastSeenAt')).toBe(true);
    expect(head.can('read', account('other', 'dept-b') as never, 'lastSeenAt')).toBe(false);
    const director = defineAbilityFor(viewer([Role.DIRECTOR], { unitId: 'agency', unitKind: UnitKind.AGENCY, departmentId: null }));
    expect(director.can('read', account('other', 'dept-b') as never, 'lastSeenAt')).toBe(true);
    expect(director.can('read', account('other', 'centre') as never, 'lastSeenAt')).toBe(false);
  });

  it('only CLERK and SYSADMIN add correspondents', () => {
    expect(defineAbilityFor(viewer([Role.CLERK])).can('create', 'Correspondent')).toBe(true);
    expect(defineAbilityFor(viewer([Role.STAFF])).can('create', 'Correspondent')).toBe(false);
  });
});

describe('ability to filter', () => {
  it('turns "nothing allowed" into a filter matching no row, never into no filter', () => {
    expect(accessibleWhere(emptyAbility(), 'read', 'Account')).toEqual(noRows());
    expect(accessibleWhere(defineAbilityFor(viewer([Role.STAFF])), 'update', 'Account')).toEqual(noRows());
  });

  it('turns an unconditional rule into an empty filter (all rows)', () => {
    expect(accessibleWhere(defineAbilityFor(viewer([Role.STAFF])), 'read', 'Unit')).toEqual({});
  });

  it('keeps conditions and renames $elemMatch to MikroORM’s $some', () => {
    const a = defineAbilityFor(viewer([Role.STAFF]));
    a.update([...a.rules, { action: 'read', subject: 'Correspondent', conditions: { tags: { $elemMatch: { name: 'x' } } } } as never]);
    expect(JSON.stringify(accessibleWhere(a, 'read', 'Correspondent'))).not.toContain('$elemMatch');
  });
});

describe('a SYSADMIN reads no document, whatever the stored data says', () => {
  const doc = (type: 'IncomingDocument' | 'OutgoingDocument') =>
    subject(type, { keepingUnit: 'agency', state: 'SIGNED', draftingUnit: 'dept-a', drafter: 'me', assignments: [] });

  it('a document role held with SYSADMIN gives nothing; the same role alone does', () => {
    expect(defineAbilityFor(viewer([Role.DIRECTOR])).can('read', doc('IncomingDocument') as never)).toBe(true);
    const both = defineAbilityFor(viewer([Role.SYSADMIN, Role.DIRECTOR]));
    expect(both.can('read', doc('IncomingDocument') as never)).toBe(false);
    expect(both.can('read', doc('OutgoingDocument') as never)).toBe(false);
    expect(both.can('create', 'Account')).toBe(true);
  });

  it('a delegation or a custom rule granting document content to a SYSADMIN gives nothing; a deny still applies', () => {
    const delegations = [{ right: 'SIGN' as const, scopeUnitId: 'agency', delegationId: 'd', fromAccountId: 'dir' }];
    expect(defineAbilityFor(viewer([Role.STAFF], { delegations })).can('sign', doc('OutgoingDocument') as never)).toBe(true);
    expect(defineAbilityFor(viewer([Role.SYSADMIN], { delegations })).can('sign', doc('OutgoingDocument') as never)).toBe(false);
    const grant = { action: 'read' as const, subject: 'IncomingDocument' as const, condition: ConditionKind.ANY, inverted: false };
    expect(defineAbilityFor(viewer([Role.STAFF]), [grant]).can('read', doc('IncomingDocument') as never)).toBe(true);
    expect(defineAbilityFor(viewer([Role.SYSADMIN]), [grant]).can('read', doc('IncomingDocument') as never)).toBe(false);
    const deny = { action: 'create' as const, subject: 'Unit' as const, condition: ConditionKind.ANY, inverted: true };
    expect(defineAbilityFor(viewer([Role.SYSADMIN]), [deny]).can('create', 'Unit')).toBe(false);
  });
});
