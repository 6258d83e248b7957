import { DOCUMENT_TYPES } from '../../src/domain/reference/document-types';
import { deliversAsCopy, exchangeStatusCode, interconnectionProblem } from '../../src/domain/outgoing/interconnection';
import { formatNumber, formatNumberAndSymbol, formatSymbol } from '../../src/domain/outgoing/symbol';
import { OUTGOING_WORKFLOW, OutgoingState, annulSteps, issueStep, outgoingTransition, returnStep, type OutgoingStep } from '../../src/domain/outgoing/workflow';
import { UnitKind } from '../../src/domain/units/unit-rules';

describe('numbers', () => {
  it.each([
    [1, '01'],
    [9, '09'],
    [10, '10'],
    [131, '131'],
    [1000, '1000'],
  ])('%i is written %s', (n, s) => expect(formatNumber(n)).toBe(s));
  it.each([0, -1, 1.5])('%p is not a document number', (n) => expect(() => formatNumber(n)).toThrow(RangeError));
});

describe('symbols for every document type (NĐ 30/2020 Phụ lục III)', () => {
  const expected: Record<string, string> = {
    NQ: 'NQ-SXD',
    QĐ: 'QĐ-SXD',
    CT: 'CT-SXD',
    QC: 'QC-SXD',
    QyĐ: 'QyĐ-SXD',
    TC: 'TC-SXD',
    TB: 'TB-SXD',
    HD: 'HD-SXD',
    CTr: 'CTr-SXD',
    KH: 'KH-SXD',
    PA: 'PA-SXD',
    ĐA: 'ĐA-SXD',
    DA: 'DA-SXD',
    BC: 'BC-SXD',
    BB: 'BB-SXD',
    TTr: 'TTr-SXD',
    HĐ: 'HĐ-SXD',
    CĐ: 'CĐ-SXD',
    BGN: 'BGN-SXD',
    BTT: 'BTT-SXD',
    GUQ: 'GUQ-SXD',
    GM: 'GM-SXD',
    GGT: 'GGT-SXD',
    GNP: 'GNP-SXD',
    PG: 'PG-SXD',
    PC: 'PC-SXD',
    PB: 'PB-SXD',
    CV: 'SXD-VP',
  };
  it('covers every type', () => expect(Object.keys(expected).sort()).toEqual(DOCUMENT_TYPES.map((t) => t.code).sort()));
  it.each(DOCUMENT_TYPES.map((t) => [t.name, t]))('%s', (_name, t) => {
    expect(formatSymbol({ typeAbbreviation: t.abbreviation, issuer: 'SXD', draftingUnit: 'VP' })).toBe(expected[t.code]);
  });
  it.each([
    [1, 'QĐ', '01/QĐ-SXD'],
    [9, 'QĐ', '09/QĐ-SXD'],
    [10, 'QĐ', '10/QĐ-SXD'],
    [131, 'QĐ', '131/QĐ-SXD'],
    [5, null, '05/SXD-VP'],
    [131, null, '131/SXD-VP'],
  ])('number %i of %s is %s', (n, abbr, full) => expect(formatNumberAndSymbol(n, { typeAbbreviation: abbr, issuer: 'SXD', draftingUnit: 'VP' })).toBe(full));
  it('a Công văn drafted by the keeping unit itself carries the issuer alone', () => {
    expect(formatSymbol({ typeAbbreviation: null, issuer: 'TTQHKĐ', draftingUnit: 'TTQHKĐ' })).toBe('TTQHKĐ');
  });
});

describe('the outgoing workflow', () => {
  const legal: Array<[OutgoingStep, OutgoingState, OutgoingState]> = [
    ['revise', OutgoingState.DRAFT, OutgoingState.DRAFT],
    ['submit', OutgoingState.DRAFT, OutgoingState.IN_REVIEW],
    ['approve', OutgoingState.IN_REVIEW, OutgoingState.AWAITING_SIGNATURE],
    ['returnFromReview', OutgoingState.IN_REVIEW, OutgoingState.DRAFT],
    ['returnFromSignature', OutgoingState.AWAITING_SIGNATURE, OutgoingState.DRAFT],
    ['sign', OutgoingState.AWAITING_SIGNATURE, OutgoingState.SIGNED],
    ['issue', OutgoingState.SIGNED, OutgoingState.ISSUED],
    ['recall', OutgoingState.ISSUED, OutgoingState.RECALLED],
    ['number', OutgoingState.SIGNED, OutgoingState.NUMBERED],
    ['issueNumbered', OutgoingState.NUMBERED, OutgoingState.ISSUED],
    ['annulNumbered', OutgoingState.NUMBERED, OutgoingState.ANNULLED],
    ['annulRecalled', OutgoingState.RECALLED, OutgoingState.ANNULLED],
  ];
  it.each(legal)('%s from %s goes to %s', (step, from, to) => expect(outgoingTransition(from, step)).toBe(to));
  const illegal: Array<[OutgoingStep, OutgoingState]> = [];
  for (const step of Object.keys(OUTGOING_WORKFLOW.transitions) as OutgoingStep[]) {
    for (const from of Object.values(OutgoingState)) if (!legal.some(([s, f]) => s === step && f === from)) illegal.push([step, from]);
  }
  it.each(illegal)('%s from %s is refused', (step, from) => expect(outgoingTransition(from, step)).toBeNull());
  it('issues only what is signed (Điều 9.2)', () => {
    for (const s of Object.values(OutgoingState)) expect(outgoingTransition(s, 'issue') !== null).toBe(s === OutgoingState.SIGNED);
  });
  it('issues a signed document (taking its number) or a numbered one (keeping it), nothing else', () => {
    expect(issueStep(OutgoingState.SIGNED)).toBe('issue');
    expect(issueStep(OutgoingState.NUMBERED)).toBe('issueNumbered');
    for (const s of Object.values(OutgoingState)) if (s !== OutgoingState.SIGNED && s !== OutgoingState.NUMBERED) expect(issueStep(s)).toBeNull();
  });
  it('annuls only a register entry: numbered, issued (through the recall) or recalled; an annulled one stays annulled', () => {
    expect(annulSteps(OutgoingState.NUMBERED)).toEqual(['annulNumbered']);
    expect(annulSteps(OutgoingState.ISSUED)).toEqual(['recall', 'annulRecalled']);
    expect(annulSteps(OutgoingState.RECALLED)).toEqual(['annulRecalled']);
    const none = [OutgoingState.DRAFT, OutgoingState.IN_REVIEW, OutgoingState.AWAITING_SIGNATURE, OutgoingState.SIGNED, OutgoingState.ANNULLED];
    for (const s of none) expect(annulSteps(s)).toBeNull();
    // Each chain is legal step by step, and ends ANNULLED.
    for (const from of [OutgoingState.NUMBERED, OutgoingState.ISSUED, OutgoingState.RECALLED]) {
      const end = annulSteps(from)!.reduce<OutgoingState | null>((st, step) => (st ? outgoingTransition(st, step) : null), from);
      expect(end).toBe(OutgoingState.ANNULLED);
    }
  });
  it('returns from review or from signature only', () => {
    expect(returnStep(OutgoingState.IN_REVIEW)).toBe('returnFromReview');
    expect(returnStep(OutgoingState.AWAITING_SIGNATURE)).toBe('returnFromSignature');
    for (const s of [OutgoingState.DRAFT, OutgoingState.SIGNED, OutgoingState.ISSUED, OutgoingState.RECALLED]) expect(returnStep(s)).toBeNull();
  });
});

describe('the interconnection rule', () => {
  const agency = { id: 'a', kind: UnitKind.AGENCY, parentId: null };
  const c1 = { id: 'c1', kind: UnitKind.SUBORDINATE, parentId: 'a' };
  const c2 = { id: 'c2', kind: UnitKind.SUBORDINATE, parentId: 'a' };
  const foreignCentre = { id: 'x', kind: UnitKind.SUBORDINATE, parentId: 'other' };
  const dept = { id: 'd', kind: UnitKind.DEPARTMENT, parentId: 'a' };
  const centreDept = { id: 'cd', kind: UnitKind.DEPARTMENT, parentId: 'c1' };
  const otherAgency = { id: 'b', kind: UnitKind.AGENCY, parentId: null };
  it('allows the agency and its subordinate units to exchange', () => {
    expect(interconnectionProblem(agency, c1)).toBeNull();
    expect(interconnectionProblem(c1, agency)).toBeNull();
  });
  it('refuses a subordinate unit sending to another, a unit to itself, anyone to a department, and other agencies’ units', () => {
    expect(interconnectionProblem(c1, c2)).toMatch(/only to its agency/);
    expect(interconnectionProblem(agency, agency)).toMatch(/itself/);
    expect(interconnectionProblem(agency, centreDept)).toMatch(/own departments/);
    expect(interconnectionProblem(c2, centreDept)).toMatch(/own departments/);
    expect(interconnectionProblem(dept, dept)).toMatch(/department/);
    expect(interconnectionProblem(agency, foreignCentre)).toMatch(/own subordinate/);
    expect(interconnectionProblem(c1, otherAgency)).toMatch(/only to its agency/);
  });
  it('lets a records-keeping unit send internal notices to its own departments, which read the issued document (no copy)', () => {
    expect(interconnectionProblem(agency, dept)).toBeNull();
    expect(interconnectionProblem(c1, centreDept)).toBeNull();
    expect(deliversAsCopy(dept)).toBe(false);
    expect(deliversAsCopy(c1)).toBe(true);
  });
  it('lets the agencies of one deployment send to one another, agency to agency', () => {
    expect(interconnectionProblem(agency, otherAgency)).toBeNull();
    expect(interconnectionProblem(otherAgency, agency)).toBeNull();
  });
});

describe('exchange status codes of a copy', () => {
  it.each([
    ['RECEIVED', '01'],
    ['REJECTED', '02'],
    ['REGISTERED', '03'],
    ['SUBMITTED', '03'],
    ['ASSIGNED', '04'],
    ['IN_PROGRESS', '05'],
    ['COMPLETED', '06'],
    ['RECALLED', '15'],
  ])('%s is %s', (state, code) => expect(exchangeStatusCode(state)).toBe(code));
});
