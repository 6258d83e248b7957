/** Where a document type comes from. */
export enum DocumentTypeOrigin {
  /** NĐ 30/2020 Phụ lục III, seeded with every deployment. */
  DECREE_30 = 'DECREE_30',
  /** Legal documents that arrive from outside (Luật, Nghị định, Thông tư…), seeded retired for drafting. */
  LEGAL = 'LEGAL',
  /** Added by a SYSADMIN. */
  ADDED = 'ADDED',
  /** First met in a package received through the exchange, kept as received (retired for drafting). */
  RECEIVED = 'RECEIVED',
}

/**
 * Document types and their official abbreviations (NĐ 30/2020/NĐ-CP, Phụ lục III).
 * Công văn has no abbreviation: its code here is `CV` and its symbol is issuer + drafting unit.
 */
export const DOCUMENT_TYPES: ReadonlyArray<{ code: string; name: string; abbreviation: string | null }> = [
  { code: 'NQ', name: 'Nghị quyết', abbreviation: 'NQ' },
  { code: 'QĐ', name: 'Quyết định', abbreviation: 'QĐ' },
  { code: 'CT', name: 'Chỉ thị', abbreviation: 'CT' },
  { code: 'QC', name: 'Quy chế', abbreviation: 'QC' },
  { code: 'QyĐ', name: 'Quy định', abbreviation: 'QyĐ' },
  { code: 'TC', name: 'Thông cáo', abbreviation: 'TC' },
  { code: 'TB', name: 'Thông báo', abbreviation: 'TB' },
  { code: 'HD', name: 'Hướng dẫn', abbreviation: 'HD' },
  { code: 'CTr', name: 'Chương trình', abbreviation: 'CTr' },
  { code: 'KH', name: 'Kế hoạch', abbreviation: 'KH' },
  { code: 'PA', name: 'Phương án', abbreviation: 'PA' },
  { code: 'ĐA', name: 'Đề án', abbreviation: 'ĐA' },
  { code: 'DA', name: 'Dự án', abbreviation: 'DA' },
  { code: 'BC', name: 'Báo cáo', abbreviation: 'BC' },
  { code: 'BB', name: 'Biên bản', abbreviation: 'BB' },
  { code: 'TTr', name: 'Tờ trình', abbreviation: 'TTr' },
  { code: 'HĐ', name: 'Hợp đồng', abbreviation: 'HĐ' },
  { code: 'CĐ', name: 'Công điện', abbreviation: 'CĐ' },
  { code: 'BGN', name: 'Bản ghi nhớ', abbreviation: 'BGN' },
  { code: 'BTT', name: 'Bản thỏa thuận', abbreviation: 'BTT' },
  { code: 'GUQ', name: 'Giấy ủy quyền', abbreviation: 'GUQ' },
  { code: 'GM', name: 'Giấy mời', abbreviation: 'GM' },
  { code: 'GGT', name: 'Giấy giới thiệu', abbreviation: 'GGT' },
  { code: 'GNP', name: 'Giấy nghỉ phép', abbreviation: 'GNP' },
  { code: 'PG', name: 'Phiếu gửi', abbreviation: 'PG' },
  { code: 'PC', name: 'Phiếu chuyển', abbreviation: 'PC' },
  { code: 'PB', name: 'Phiếu báo', abbreviation: 'PB' },
  { code: 'CV', name: 'Công văn', abbreviation: null },
];

/**
 * Legal documents an agency receives but does not issue (Luật ban hành văn bản quy phạm pháp luật):
 * known from the start so that they arrive with their own type, and retired for drafting.
 */
export const LEGAL_DOCUMENT_TYPES: ReadonlyArray<{ code: string; name: string; abbreviation: string | null }> = [
  { code: 'Luật', name: 'Luật', abbreviation: null },
  { code: 'PL', name: 'Pháp lệnh', abbreviation: 'PL' },
  { code: 'NĐ', name: 'Nghị định', abbreviation: 'NĐ' },
  { code: 'TT', name: 'Thông tư', abbreviation: 'TT' },
  { code: 'TTLT', name: 'Thông tư liên tịch', abbreviation: 'TTLT' },
];

/** Limits of a document type's fields. */
export const DOCUMENT_TYPE_LIMITS = { code: 10, name: 100, abbreviation: 10 } as const;

/** Why `value` cannot be a type code or abbreviation (letters and digits, no spaces or separators), or null. */
export function abbreviationProblem(value: string, field: string): string | null {
  if (!value) return `${field} cannot be empty.`;
  if (value.length > DOCUMENT_TYPE_LIMITS.abbreviation) return `${field} must be at most ${DOCUMENT_TYPE_LIMITS.abbreviation} characters.`;
  // It goes into symbols such as 131/QĐ-SXD: a '/' or '-' or a space there would make them ambiguous.
  if (!/^[\p{L}\p{N}]+$/u.test(value)) return `${field} may hold only letters and digits (no spaces, "/" or "-"): it is written into symbols such as QĐ-SXD.`;
  return null;
}

/**
 * A code for a type first met in a received package: the code it came with when that is usable,
 * else the initials of its name (Thông tư liên tịch → TTLT); `taken` says which codes exist.
 */
export function receivedTypeCode(receivedCode: string, name: string, taken: (code: string) => boolean): string {
  const candidates: string[] = [];
  const trimmed = receivedCode.trim();
  if (trimmed && !abbreviationProblem(trimmed, 'code')) candidates.push(trimmed);
  const initials = name
    .trim()
    .split(/\s+/u)
    .map((w) => w.match(/[\p{L}\p{N}]/u)?.[0]?.toUpperCase() ?? '')
    .join('')
    .slice(0, 8);
  const base = initials || 'VB';
  candidates.push(base);
  for (const c of candidates) if (!taken(c)) return c;
  for (let i = 2; ; i++) {
    const c = `${base}${i}`.slice(-DOCUMENT_TYPE_LIMITS.code);
    if (!taken(c)) return c;
  }
}
