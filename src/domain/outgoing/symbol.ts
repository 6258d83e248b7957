/**
 * Numbers and symbols of issued documents (NĐ 30/2020, Phụ lục I and III).
 * Number: consecutive in the year, written with a leading zero below 10 (`05`).
 * Symbol: the type's abbreviation and the issuer's, joined by `-` without spaces (`QĐ-SXD`);
 * for Công văn, which has no abbreviation, the issuer's and the drafting unit's (`SXD-VP`).
 */

export function formatNumber(n: number): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`A document number is a whole number from 1 (got ${n}).`);
  return n < 10 ? `0${n}` : String(n);
}

export interface SymbolParts {
  /** The type's abbreviation, null for Công văn. */
  typeAbbreviation: string | null;
  /** The short name of the issuing (records-keeping) unit: SXD. */
  issuer: string;
  /** The short name of the drafting unit: VP; used for Công văn. Null or equal to the issuer when a unit drafts itself. */
  draftingUnit: string | null;
}

export function formatSymbol(p: SymbolParts): string {
  if (p.typeAbbreviation) return `${p.typeAbbreviation}-${p.issuer}`;
  return p.draftingUnit && p.draftingUnit !== p.issuer ? `${p.issuer}-${p.draftingUnit}` : p.issuer;
}

/** `131/QĐ-SXD`, `05/SXD-VP`. */
export function formatNumberAndSymbol(n: number, p: SymbolParts): string {
  return `${formatNumber(n)}/${formatSymbol(p)}`;
}
