import { looksLikeLegacyVietnamese } from './legacy-encoding';

/** Longest string any input may carry; fields have tighter limits of their own. */
export const MAX_INPUT_STRING_LENGTH = 10_000;

export type TextProblem = { kind: 'LEGACY_ENCODING' } | { kind: 'TOO_LONG'; max: number } | { kind: 'CONTROL_CHARACTERS' };

// C0 controls other than tab, line feed and carriage return, DEL and C1 controls.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Brings one input string to the stored form: Unicode NFC, trimmed (TCVN 6909:2001, Điều 7.3).
 * Returns the problem instead when the text cannot be stored as it is.
 */
export function normaliseText(raw: string): { value: string } | { problem: TextProblem } {
  if (raw.length > MAX_INPUT_STRING_LENGTH * 4) return { problem: { kind: 'TOO_LONG', max: MAX_INPUT_STRING_LENGTH } };
  const value = raw.normalize('NFC').trim();
  if (value.length > MAX_INPUT_STRING_LENGTH) return { problem: { kind: 'TOO_LONG', max: MAX_INPUT_STRING_LENGTH } };
  if (CONTROL.test(value)) return { problem: { kind: 'CONTROL_CHARACTERS' } };
  if (looksLikeLegacyVietnamese(value)) return { problem: { kind: 'LEGACY_ENCODING' } };
  return { value };
}

/** Lower case, without diacritics, đ as d: the form search compares. */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}
