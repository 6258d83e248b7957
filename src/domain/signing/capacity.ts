import { POSITIONS, Position, PositionRank, titleOf } from './positions';

/**
 * The capacity in which a document is signed (thẩm quyền ký, NĐ 30/2020 Điều 13 and Phụ lục I),
 * which decides the lines written above the signature.
 */
export enum SigningCapacity {
  /** The head of a head-led body signs in their own name: "GIÁM ĐỐC". */
  HEAD = 'HEAD',
  /** The head of a collective body signs on its behalf: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH". */
  ON_BEHALF_OF_BODY = 'ON_BEHALF_OF_BODY',
  /** An acting head (cấp phó được giao quyền cấp trưởng): "Q. GIÁM ĐỐC". */
  ACTING = 'ACTING',
  /** A deputy signs for the head (ký thay): "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC". */
  DEPUTY = 'DEPUTY',
  /** The head of a unit of the body signs by order (thừa lệnh): "TL. GIÁM ĐỐC" / "CHÁNH VĂN PHÒNG". */
  BY_ORDER = 'BY_ORDER',
  /** The head of a unit signs under a written authorisation for a period (thừa ủy quyền): "TUQ. GIÁM ĐỐC" / "TRƯỞNG PHÒNG". */
  BY_AUTHORISATION = 'BY_AUTHORISATION',
}

/** How a head lets the head of one of the body's units sign for them (a signing delegation's form). */
export enum DelegationForm {
  /** Ủy quyền in writing, for a period (TUQ.); the authorised person cannot pass it on. */
  AUTHORISATION = 'AUTHORISATION',
  /** Thừa lệnh: certain kinds of documents by order of the head (TL.). */
  BY_ORDER = 'BY_ORDER',
}

const PREFIX: Readonly<Record<SigningCapacity, string | null>> = {
  [SigningCapacity.HEAD]: null,
  [SigningCapacity.ON_BEHALF_OF_BODY]: 'TM.',
  [SigningCapacity.ACTING]: 'Q.',
  [SigningCapacity.DEPUTY]: 'KT.',
  [SigningCapacity.BY_ORDER]: 'TL.',
  [SigningCapacity.BY_AUTHORISATION]: 'TUQ.',
};

/** The abbreviation a capacity writes before the title of the one signed for, or null (the head in their own name). */
export function capacityPrefix(c: SigningCapacity): string | null {
  return PREFIX[c];
}

export interface SigningFacts {
  /** The signer's position; null when none is recorded. */
  position: Position | null;
  /** Whether the signer holds the DIRECTOR role in the keeping unit of the document (lãnh đạo). */
  leads: boolean;
  /** The name written after "TM." when the keeping unit is a collective body (e.g. "Ủy ban nhân dân"); null for a head-led body. */
  collectiveBody: string | null;
  /** The signing delegation in force for the document's keeping unit, if any: its form and the delegator's position. */
  delegation: { form: DelegationForm; fromPosition: Position | null } | null;
}

export interface Signature {
  capacity: SigningCapacity;
  /** The lines above the signature, upper case as printed: ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]. */
  lines: string[];
  /** The authority part (every line but the signer's own title), or null when the head signs in their own name. */
  authority: string | null;
  /** For whom: the title of the head, or the collective body (as data, not upper case); null for the head in their own name. */
  signedFor: string | null;
  /** The signer's own title (chức vụ của người ký). */
  signerTitle: string;
  /** Whether the capacity comes from the delegation in force rather than the signer's own standing. */
  viaDelegation: boolean;
}

export type SigningOutcome = { ok: true; signature: Signature } | { ok: false; problem: string; held: SigningCapacity[] };

const upper = (s: string) => s.toLocaleUpperCase('vi-VN');

interface Held {
  capacity: SigningCapacity;
  headTitle: string | null;
  viaDelegation: boolean;
}

/** Every capacity the facts give, the one from the signer's own standing first. */
export function capacitiesHeld(f: SigningFacts): Held[] {
  const held: Held[] = [];
  const rank = f.position ? POSITIONS[f.position].rank : null;
  const headOf = (p: Position | null | undefined) => (p ? titleOf(POSITIONS[p].head ?? p) : titleOf(Position.DIRECTOR));
  if (f.leads) {
    // An account that leads the unit with no position recorded is taken as its head (the data before positions existed).
    if (rank === PositionRank.HEAD_OF_BODY || rank === null) {
      held.push({ capacity: f.collectiveBody ? SigningCapacity.ON_BEHALF_OF_BODY : SigningCapacity.HEAD, headTitle: null, viaDelegation: false });
    } else if (rank === PositionRank.ACTING_HEAD_OF_BODY) held.push({ capacity: SigningCapacity.ACTING, headTitle: headOf(f.position), viaDelegation: false });
    else if (rank === PositionRank.DEPUTY_HEAD_OF_BODY) held.push({ capacity: SigningCapacity.DEPUTY, headTitle: headOf(f.position), viaDelegation: false });
  }
  const d = f.delegation;
  const fromRank = d?.fromPosition ? POSITIONS[d.fromPosition].rank : d ? PositionRank.HEAD_OF_BODY : null;
  // Only the head of the body (or one acting as head) authorises or orders; the authorised cannot pass it on.
  if (d && (fromRank === PositionRank.HEAD_OF_BODY || fromRank === PositionRank.ACTING_HEAD_OF_BODY)) {
    const headTitle = headOf(d.fromPosition);
    if (rank === PositionRank.DEPUTY_HEAD_OF_BODY) held.push({ capacity: SigningCapacity.DEPUTY, headTitle, viaDelegation: true });
    else if (rank === PositionRank.HEAD_OF_UNIT) {
      held.push({ capacity: d.form === DelegationForm.BY_ORDER ? SigningCapacity.BY_ORDER : SigningCapacity.BY_AUTHORISATION, headTitle, viaDelegation: true });
    }
  }
  return held.filter((h, i) => held.findIndex((x) => x.capacity === h.capacity) === i);
}

function why(f: SigningFacts): string {
  const title = f.position ? titleOf(f.position) : 'an account without a recorded position';
  if (!f.leads && !f.delegation) return `${title} does not lead this unit and holds no signing delegation in force for it.`;
  const rank = f.position ? POSITIONS[f.position].rank : null;
  if (f.delegation && rank && rank !== PositionRank.HEAD_OF_UNIT && rank !== PositionRank.DEPUTY_HEAD_OF_BODY) {
    return `${title}: only a deputy of the head (KT.) or the head of one of the body's units (TL., TUQ.) signs for the head (NĐ 30/2020, Điều 13).`;
  }
  if (f.delegation && !f.position) return 'Record the signer’s position first: the capacity in which a delegate signs follows from it.';
  if (f.delegation) return 'Only the head of the body authorises or orders another to sign; an authorised person cannot pass it on.';
  return `${title} signs in no capacity of its own for this unit.`;
}

/**
 * The rule of NĐ 30/2020 Điều 13: from the signer's position, whether they lead the unit, the body's
 * form and the delegation in force, the capacity and the lines above the signature; `requested`,
 * when given, must be one the signer holds.
 */
export function signatureFor(f: SigningFacts, requested?: SigningCapacity | null): SigningOutcome {
  const held = capacitiesHeld(f);
  const caps = held.map((h) => h.capacity);
  const chosen = requested ? held.find((h) => h.capacity === requested) : held[0];
  if (!chosen) {
    const problem = requested && held.length ? `You do not sign as ${requested} here: you hold ${caps.join(', ')}.` : why(f);
    return { ok: false, problem, held: caps };
  }
  const signerTitle = f.position ? titleOf(f.position) : titleOf(Position.DIRECTOR);
  const body = f.collectiveBody;
  const lines: string[] = [];
  let signedFor: string | null = chosen.headTitle;
  switch (chosen.capacity) {
    case SigningCapacity.HEAD:
      signedFor = null;
      lines.push(upper(signerTitle));
      break;
    case SigningCapacity.ON_BEHALF_OF_BODY:
      signedFor = body;
      lines.push(`TM. ${upper(body!)}`, upper(signerTitle));
      break;
    case SigningCapacity.ACTING:
      lines.push(`Q. ${upper(chosen.headTitle!)}`);
      break;
    case SigningCapacity.DEPUTY:
      if (body) lines.push(`TM. ${upper(body)}`);
      lines.push(`KT. ${upper(chosen.headTitle!)}`, upper(signerTitle));
      break;
    case SigningCapacity.BY_ORDER:
    case SigningCapacity.BY_AUTHORISATION:
      lines.push(`${PREFIX[chosen.capacity]} ${upper(chosen.headTitle!)}`, upper(signerTitle));
      break;
  }
  const authority = chosen.capacity === SigningCapacity.HEAD ? null : chosen.capacity === SigningCapacity.ACTING ? lines[0] : lines.slice(0, -1).join(' ');
  return { ok: true, signature: { capacity: chosen.capacity, lines, authority, signedFor, signerTitle, viaDelegation: chosen.viaDelegation } };
}

/**
 * Whether signing may be delegated to someone in this position: a deputy of the head (who then signs
 * KT.) or the head of one of the body's units (TL., TUQ.). Null when it may; the reason otherwise. An
 * account without a recorded position may receive it, but signs in no capacity until one is recorded.
 */
export function mayBeDelegatedSigning(position: Position | null): string | null {
  if (!position) return null;
  const rank = POSITIONS[position].rank;
  if (rank === PositionRank.DEPUTY_HEAD_OF_BODY || rank === PositionRank.HEAD_OF_UNIT) return null;
  const who = "only a deputy of the head (KT.) or the head of one of the body's units (TL., TUQ.) can";
  return `${titleOf(position)} cannot sign for the head: ${who} (NĐ 30/2020, Điều 13).`;
}
