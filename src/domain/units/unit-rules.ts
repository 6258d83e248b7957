/** The kinds of unit (đơn vị) in an agency's tree. */
export enum UnitKind {
  AGENCY = 'AGENCY',
  DEPARTMENT = 'DEPARTMENT',
  SUBORDINATE = 'SUBORDINATE',
}

/** The agency and its subordinate units keep records (have a clerk and registers); departments use their parent's. */
export function keepsRecords(kind: UnitKind): boolean {
  return kind !== UnitKind.DEPARTMENT;
}

/**
 * Where a unit of a kind may stand: an agency at the top; a subordinate unit under an agency;
 * a department under the agency or a subordinate unit, never under another department.
 * Returns the reason when the placement is not allowed.
 */
export function placementProblem(kind: UnitKind, parentKind: UnitKind | null): string | null {
  switch (kind) {
    case UnitKind.AGENCY:
      return parentKind === null ? null : 'An AGENCY stands at the top of the tree and has no parent unit.';
    case UnitKind.SUBORDINATE:
      return parentKind === UnitKind.AGENCY ? null : 'A SUBORDINATE unit must be placed directly under an AGENCY.';
    case UnitKind.DEPARTMENT:
      if (parentKind === null) return 'A DEPARTMENT must be placed under an AGENCY or a SUBORDINATE unit.';
      return parentKind === UnitKind.DEPARTMENT ? 'A DEPARTMENT cannot be placed under another DEPARTMENT; choose the AGENCY or a SUBORDINATE unit.' : null;
  }
}

/** The 13-character identifier of a state body (mã định danh), e.g. `000.00.00.H08`. */
export const ORGAN_ID_PATTERN = /^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/;

/** Short names appear in document symbols (`QĐ-SXD`, `SXD-VP`): letters and digits only, no separators. */
export const SHORT_NAME_PATTERN = /^[\p{Lu}\p{Ll}\d]{1,20}$/u;
