import { looksLikeLegacyVietnamese } from './legacy-encoding';

/** Longest string any input may carry; fields have tighter limits of their own. */
export const MAX_INPUT_STRING_LENGTH = 10_000;

export type TextProblem =
  { kind: 'LEGACY_ENCODING' } | { kind: 'TOO_LONG'; max: number } | { kind: 'CONTROL_CHARACTERS' } | { kind: 'INVISIBLE_CHARACTERS'; codePoint: string };

// C0 controls other than tab, line feed and carriage return, DEL and C1 controls.
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Characters that change how text reads without being seen: zero-width characters and marks
 * (U+200B–U+200F), bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069),
 * the Arabic letter mark (U+061C), invisible operators and deprecated format characters
 * (U+2060–U+2064, U+206A–U+206F) and the zero-width no-break space (U+FEFF). `a\u202Efdp.exe`
 * shows as `aexe.pdf`: none belongs in Vietnamese official text, a name or a file name.
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;

/** The first invisible or direction-changing character of `text`, written U+XXXX, or null. */
export function invisibleCharacter(text: string): string | null {
  const m = INVISIBLE.exec(text);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/**
 * The first character of `text` that no single-line name may hold — a control character (tab and
 * line breaks included) or an invisible or direction-changing one — written U+XXXX, or null.
 */
export function nameCharacterProblem(text: string): string | null {
  // eslint-disable-next-line no-control-regex -- control characters are what this finds
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(text);
  if (control) return `U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return invisibleCharacter(text);
}

/**
 * Brings one input string to the stored form: Unicode NFC, trimmed (TCVN 6909:2001, Điều 7.3).
 * Returns the problem instead when the text cannot be stored as it is.
 */
export function normaliseText(raw: string): { value: string } | { problem: TextProblem } {
  if (raw.length > MAX_INPUT_STRING_LENGTH * 4) return { problem: { kind: 'TOO_LONG', max: MAX_INPUT_STRING_LENGTH } };
  const value = raw.normalize('NFC').trim();
  if (value.length > MAX_INPUT_STRING_LENGTH) return { problem: { kind: 'TOO_LONG', max: MAX_INPUT_STRING_LENGTH } };
  if (CONTROL.test(value)) return { problem: { kind: 'CONTROL_CHARACTERS' } };
  const invisible = invisibleCharacter(value);
  if (invisible) return { problem: { kind: 'INVISIBLE_CHARACTERS', codePoint: invisible } };
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
