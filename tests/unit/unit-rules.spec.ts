import { ORGAN_ID_PATTERN, SHORT_NAME_PATTERN, UnitKind, keepsRecords, placementProblem } from '../../src/domain/units/unit-rules';

describe('unit placement', () => {
  const { AGENCY, DEPARTMENT, SUBORDINATE } = UnitKind;
  const allowed: Array<[UnitKind, UnitKind | null]> = [
    [AGENCY, null],
    [SUBORDINATE, AGENCY],
    [DEPARTMENT, AGENCY],
    [DEPARTMENT, SUBORDINATE],
  ];
  const refused: Array<[UnitKind, UnitKind | null]> = [
    [AGENCY, AGENCY],
    [AGENCY, DEPARTMENT],
    [AGENCY, SUBORDINATE],
    [SUBORDINATE, null],
    [SUBORDINATE, SUBORDINATE],
    [SUBORDINATE, DEPARTMENT],
    [DEPARTMENT, null],
    [DEPARTMENT, DEPARTMENT],
  ];
  it.each(allowed)('a %s under %s is allowed', (kind, parent) => expect(placementProblem(kind, parent)).toBeNull());
  it.each(refused)('a %s under %s is refused with a reason', (kind, parent) => expect(placementProblem(kind, parent)).toMatch(/\w/));

  it('the agency and subordinate units keep records; departments do not', () => {
    expect(keepsRecords(AGENCY)).toBe(true);
    expect(keepsRecords(SUBORDINATE)).toBe(true);
    expect(keepsRecords(DEPARTMENT)).toBe(false);
  });

  it('recognises agency identifiers and short names', () => {
    expect(ORGAN_ID_PATTERN.test('000.00.00.H08')).toBe(true);
    expect(ORGAN_ID_PATTERN.test('000.00.00.h08')).toBe(false);
    expect(ORGAN_ID_PATTERN.test('00.00.00.H08')).toBe(false);
    expect(SHORT_NAME_PATTERN.test('QLHĐXD')).toBe(true);
    expect(SHORT_NAME_PATTERN.test('TTr')).toBe(true);
    expect(SHORT_NAME_PATTERN.test('SXD-VP')).toBe(false);
    expect(SHORT_NAME_PATTERN.test('S X D')).toBe(false);
  });
});
