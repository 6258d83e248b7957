import { subject } from '@casl/ability';
import { Role } from '../../src/domain/accounts/account-rules';
import { CORRECTABLE_STATES, IncomingState, documentTransition } from '../../src/domain/incoming/routing';
import { outsideRecipientProblem } from '../../src/domain/outgoing/interconnection';
import { defineAbilityFor } from '../../src/domain/permissions/ability';
import type { Viewer } from '../../src/domain/permissions/viewer';
import { DOCUMENT_TYPES, LEGAL_DOCUMENT_TYPES, abbreviationProblem, receivedTypeCode } from '../../src/domain/reference/document-types';
import { UnitKind } from '../../src/domain/units/unit-rules';
import { correctionNote } from '../../src/services/registration-corrections';

const viewer = (roles: Role[], over: Partial<Viewer> = {}): Viewer => ({
  accountId: 'me',
  roles,
  unitId: 'vp',
  unitKind: UnitKind.DEPARTMENT,
  keepingUnitId: 'agency',
  agencyId: 'agency',
  keepingUnitMemberIds: ['agency', 'vp'],
  departmentId: 'vp',
  inOffice: true,
  ...over,
});
const doc = (keepingUnit: string) => subject('IncomingDocument', { keepingUnit }) as never;

describe('annulling a registration', () => {
  it('annuls any registered document, never one not registered, refused, recalled or already annulled', () => {
    for (const s of [IncomingState.REGISTERED, IncomingState.SUBMITTED, IncomingState.ASSIGNED, IncomingState.IN_PROGRESS, IncomingState.COMPLETED]) {
      expect(documentTransition(s, 'annul')).toBe(IncomingState.ANNULLED);
    }
    for (const s of [IncomingState.RECEIVED, IncomingState.REJECTED, IncomingState.RECALLED, IncomingState.ANNULLED]) {
      expect(documentTransition(s, 'annul')).toBeNull();
    }
  });
  it('takes no other step once annulled, and is no longer corrected', () => {
    for (const step of ['register', 'reject', 'submit', 'assign', 'recall'] as const) expect(documentTransition(IncomingState.ANNULLED, step)).toBeNull();
    expect(CORRECTABLE_STATES).not.toContain(IncomingState.ANNULLED);
    expect(CORRECTABLE_STATES).not.toContain(IncomingState.REJECTED);
  });
  it('only the clerk of the keeping unit corrects or annuls', () => {
    const clerk = defineAbilityFor(viewer([Role.CLERK, Role.STAFF]));
    expect(clerk.can('correct', doc('agency'))).toBe(true);
    expect(clerk.can('annul', doc('agency'))).toBe(true);
    expect(clerk.can('annul', doc('centre'))).toBe(false);
    for (const roles of [[Role.DIRECTOR], [Role.HEAD, Role.STAFF], [Role.STAFF], [Role.SYSADMIN]]) {
      const a = defineAbilityFor(viewer(roles));
      expect(a.can('correct', doc('agency'))).toBe(false);
      expect(a.can('annul', doc('agency'))).toBe(false);
    }
  });
});

describe('the history note of a correction', () => {
  it('names each field with its value before and after, then the reason', () => {
    const note = correctionNote(
      [
        { field: 'number', before: '1234', after: '1243' },
        { field: 'symbol', before: 'UBND-KT', after: null },
      ],
      'Gõ nhầm',
    );
    expect(note).toBe('Đính chính số (number): «1234» → «1243»; ký hiệu (symbol): «UBND-KT» → «». Lý do: Gõ nhầm');
  });
});

describe('outside recipients (Điều 9.2)', () => {
  it('only an agency addresses correspondents and peers', () => {
    expect(outsideRecipientProblem({ id: 'a', kind: UnitKind.AGENCY, parentId: null })).toBeNull();
    expect(outsideRecipientProblem({ id: 'c', kind: UnitKind.SUBORDINATE, parentId: 'a' })).toMatch(/only to its agency/);
    expect(outsideRecipientProblem({ id: 'd', kind: UnitKind.DEPARTMENT, parentId: 'a' })).toMatch(/records-keeping/);
  });
});

describe('document types as data', () => {
  it('codes and abbreviations are letters and digits, short enough for a symbol', () => {
    for (const t of [...DOCUMENT_TYPES, ...LEGAL_DOCUMENT_TYPES]) {
      expect(abbreviationProblem(t.code, 'code')).toBeNull();
      if (t.abbreviation) expect(abbreviationProblem(t.abbreviation, 'abbreviation')).toBeNull();
    }
    expect(abbreviationProblem('QĐ-SXD', 'code')).toMatch(/letters and digits/);
    expect(abbreviationProblem('Q Đ', 'code')).toMatch(/letters and digits/);
    expect(abbreviationProblem('ABCDEFGHIJK', 'code')).toMatch(/at most 10/);
    expect(abbreviationProblem('', 'code')).toMatch(/empty/);
  });
  it('a type first met in a package keeps its code when usable, else takes its name’s initials, never an existing code', () => {
    const taken = new Set(['CV', 'QĐ', 'TT', 'TTLT']);
    const has = (c: string) => taken.has(c);
    expect(receivedTypeCode('QĐLT', 'Quyết định liên tịch', has)).toBe('QĐLT');
    expect(receivedTypeCode('', 'Quyết định liên tịch', has)).toBe('QĐLT');
    expect(receivedTypeCode('Q/LT', 'nghị quyết liên tịch', has)).toBe('NQLT');
    expect(receivedTypeCode('QĐ', 'Thông tư liên tịch', has)).toBe('TTLT2');
    expect(receivedTypeCode('', '', has)).toBe('VB');
  });
});
