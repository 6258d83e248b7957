/** Whether a dossier takes documents. */
export enum DossierState {
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}

/** Notation of a dossier (ký hiệu hồ sơ), e.g. `01.VP`: letters, digits, dots and hyphens, at most 20. */
export const NOTATION_PATTERN = /^[\p{L}\d.-]{1,20}$/u;

/** The dossier code (mã hồ sơ): organ identifier + year + notation, `000.00.00.H08.2026.01.VP`. */
export function dossierCode(organId: string, year: number, notation: string): string {
  return `${organId}.${year}.${notation}`;
}

/** Retention (thời hạn bảo quản): "PERMANENT" or a whole number of years. Returns years, null for permanent, or undefined when invalid. */
export function parseRetention(raw: string): number | null | undefined {
  const v = raw.trim().toUpperCase();
  if (v === 'PERMANENT' || v === 'VĨNH VIỄN') return null;
  if (!/^\d{1,3}$/.test(v)) return undefined;
  const n = Number(v);
  return n >= 1 && n <= 100 ? n : undefined;
}

export const HANDOVER_AFTER_DAYS = 365;
export const HANDOVER_WARNING_DAYS = 30;

/** A closed dossier is due for the archive within a year of closing; the system warns 30 days before. */
export function handoverDue(closedAt: Date | null | undefined, now: Date): boolean {
  if (!closedAt) return false;
  const due = closedAt.getTime() + HANDOVER_AFTER_DAYS * 86_400_000;
  return due - now.getTime() <= HANDOVER_WARNING_DAYS * 86_400_000;
}
