import { DelegationForm, SigningCapacity, capacitiesHeld, mayBeDelegatedSigning, signatureFor, type SigningFacts } from '../../src/domain/signing/capacity';
import { POSITIONS, Position, positionFields, positionOfTitle } from '../../src/domain/signing/positions';

const facts = (over: Partial<SigningFacts>): SigningFacts => ({ position: null, leads: false, collectiveBody: null, delegation: null, ...over });
const authorised = (form: DelegationForm, fromPosition: Position | null = Position.DIRECTOR) => ({ form, fromPosition });
const sign = (f: Partial<SigningFacts>, requested?: SigningCapacity) => {
  const r = signatureFor(facts(f), requested);
  if (!r.ok) throw new Error(`refused: ${r.problem}`);
  return r.signature;
};
const refusal = (f: Partial<SigningFacts>, requested?: SigningCapacity) => {
  const r = signatureFor(facts(f), requested);
  if (r.ok) throw new Error(`signed as ${r.signature.capacity}`);
  return r;
};

describe('signature forms (NĐ 30/2020 Điều 13)', () => {
  it('the head of a head-led body signs in their own name, without an abbreviation', () => {
    expect(sign({ position: Position.DIRECTOR, leads: true })).toEqual({
      capacity: SigningCapacity.HEAD,
      lines: ['GIÁM ĐỐC'],
      authority: null,
      signedFor: null,
      signerTitle: 'Giám đốc',
      viaDelegation: false,
    });
  });

  it('TM.: the head of a collective body signs on its behalf', () => {
    const s = sign({ position: Position.CHAIR, leads: true, collectiveBody: 'Ủy ban nhân dân' });
    expect(s).toMatchObject({
      capacity: SigningCapacity.ON_BEHALF_OF_BODY,
      lines: ['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'],
      authority: 'TM. ỦY BAN NHÂN DÂN',
      signedFor: 'Ủy ban nhân dân',
    });
  });

  it('KT.: a deputy signs for the head; in a collective body under TM.', () => {
    expect(sign({ position: Position.DEPUTY_DIRECTOR, leads: true })).toMatchObject({
      capacity: SigningCapacity.DEPUTY,
      lines: ['KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC'],
      authority: 'KT. GIÁM ĐỐC',
      signedFor: 'Giám đốc',
      signerTitle: 'Phó Giám đốc',
    });
    expect(sign({ position: Position.VICE_CHAIR, leads: true, collectiveBody: 'Ủy ban nhân dân' }).lines).toEqual([
      'TM. ỦY BAN NHÂN DÂN',
      'KT. CHỦ TỊCH',
      'PHÓ CHỦ TỊCH',
    ]);
    // A deputy who does not lead in the system but holds a delegation still signs KT., not TUQ.
    expect(sign({ position: Position.DEPUTY_DIRECTOR, delegation: authorised(DelegationForm.AUTHORISATION) })).toMatchObject({
      capacity: SigningCapacity.DEPUTY,
      viaDelegation: true,
    });
  });

  it('Q.: an acting head signs with the head’s title', () => {
    expect(sign({ position: Position.ACTING_DIRECTOR, leads: true })).toMatchObject({
      capacity: SigningCapacity.ACTING,
      lines: ['Q. GIÁM ĐỐC'],
      authority: 'Q. GIÁM ĐỐC',
      signedFor: 'Giám đốc',
      signerTitle: 'Quyền Giám đốc',
    });
  });

  it('TUQ.: a dated written authorisation to the head of a unit, not KT.', () => {
    const s = sign({ position: Position.HEAD_OF_DEPARTMENT, delegation: authorised(DelegationForm.AUTHORISATION) });
    expect(s).toMatchObject({
      capacity: SigningCapacity.BY_AUTHORISATION,
      lines: ['TUQ. GIÁM ĐỐC', 'TRƯỞNG PHÒNG'],
      authority: 'TUQ. GIÁM ĐỐC',
      signedFor: 'Giám đốc',
      viaDelegation: true,
    });
    expect(s.lines.some((l) => l.startsWith('KT.'))).toBe(false);
  });

  it('TL.: the head of the Office signs by order of the head', () => {
    expect(sign({ position: Position.OFFICE_CHIEF, delegation: authorised(DelegationForm.BY_ORDER) })).toMatchObject({
      capacity: SigningCapacity.BY_ORDER,
      lines: ['TL. GIÁM ĐỐC', 'CHÁNH VĂN PHÒNG'],
      signedFor: 'Giám đốc',
    });
    expect(sign({ position: Position.CHIEF_INSPECTOR, delegation: authorised(DelegationForm.BY_ORDER, Position.CHAIR) }).lines).toEqual([
      'TL. CHỦ TỊCH',
      'CHÁNH THANH TRA',
    ]);
  });

  it('refuses a capacity the signer does not hold, saying which they hold', () => {
    const r = refusal({ position: Position.DEPUTY_DIRECTOR, leads: true }, SigningCapacity.HEAD);
    expect(r.held).toEqual([SigningCapacity.DEPUTY]);
    expect(r.problem).toContain('DEPUTY');
    expect(refusal({ position: Position.HEAD_OF_DEPARTMENT, delegation: authorised(DelegationForm.AUTHORISATION) }, SigningCapacity.DEPUTY).held).toEqual([
      SigningCapacity.BY_AUTHORISATION,
    ]);
    expect(refusal({ position: Position.DIRECTOR, leads: true }, SigningCapacity.BY_ORDER).held).toEqual([SigningCapacity.HEAD]);
  });

  it('refuses those who may not sign for the head at all', () => {
    // A deputy head of a department, an officer, a clerk: no capacity, whatever the delegation says.
    for (const position of [Position.DEPUTY_HEAD_OF_DEPARTMENT, Position.OFFICER, Position.RECORDS_CLERK]) {
      expect(refusal({ position, delegation: authorised(DelegationForm.AUTHORISATION) }).held).toEqual([]);
    }
    // No delegation and not leading the unit.
    expect(refusal({ position: Position.HEAD_OF_DEPARTMENT }).problem).toMatch(/holds no signing delegation/);
    // An authorised person cannot pass it on: a delegation from a head of unit gives nothing.
    expect(refusal({ position: Position.HEAD_OF_DEPARTMENT, delegation: authorised(DelegationForm.AUTHORISATION, Position.OFFICE_CHIEF) }).problem).toMatch(
      /cannot pass it on/,
    );
    // A delegate whose position is not recorded signs in no capacity.
    expect(refusal({ delegation: authorised(DelegationForm.AUTHORISATION) }).problem).toMatch(/position/);
  });

  it('takes one who leads the unit without a recorded position as its head (data from before positions)', () => {
    expect(sign({ leads: true })).toMatchObject({ capacity: SigningCapacity.HEAD, lines: ['GIÁM ĐỐC'] });
  });

  it('prefers the signer’s own standing, and lists every capacity held once', () => {
    const f = facts({ position: Position.DEPUTY_DIRECTOR, leads: true, delegation: authorised(DelegationForm.AUTHORISATION) });
    expect(capacitiesHeld(f).map((h) => h.capacity)).toEqual([SigningCapacity.DEPUTY]);
    expect(sign(f)).toMatchObject({ viaDelegation: false });
  });

  it('says who may receive a signing delegation', () => {
    expect(mayBeDelegatedSigning(Position.DEPUTY_DIRECTOR)).toBeNull();
    expect(mayBeDelegatedSigning(Position.OFFICE_CHIEF)).toBeNull();
    expect(mayBeDelegatedSigning(Position.HEAD_OF_DEPARTMENT)).toBeNull();
    expect(mayBeDelegatedSigning(null)).toBeNull();
    expect(mayBeDelegatedSigning(Position.DEPUTY_HEAD_OF_DEPARTMENT)).toMatch(/cannot sign for the head/);
    expect(mayBeDelegatedSigning(Position.OFFICER)).toMatch(/cannot sign for the head/);
  });
});

describe('positions as data', () => {
  it('finds a position by its title, ignoring case and spacing, and keeps free text as no position', () => {
    expect(positionOfTitle('Phó  giám ĐỐC')).toBe(Position.DEPUTY_DIRECTOR);
    expect(positionOfTitle('Chánh Văn phòng')).toBe(Position.OFFICE_CHIEF);
    expect(positionOfTitle('Cố vấn')).toBeNull();
    expect(positionOfTitle(null)).toBeNull();
  });

  it('every title is distinct and every deputy names a head', () => {
    const titles = Object.values(POSITIONS).map((p) => p.title);
    expect(new Set(titles).size).toBe(titles.length);
    for (const p of Object.values(POSITIONS)) if (p.head) expect(POSITIONS[p.head].head).toBeUndefined();
  });

  it('a position sets its title; a title sets its position; a contradiction is a problem', () => {
    expect(positionFields(undefined, Position.DEPUTY_DIRECTOR)).toEqual({ position: 'Phó Giám đốc', positionCode: Position.DEPUTY_DIRECTOR });
    expect(positionFields('Trưởng phòng', undefined)).toEqual({ position: 'Trưởng phòng', positionCode: Position.HEAD_OF_DEPARTMENT });
    expect(positionFields('Cố vấn', null)).toEqual({ position: 'Cố vấn', positionCode: null });
    expect(positionFields('Trưởng phòng', Position.DIRECTOR)).toHaveProperty('problem');
  });
});
