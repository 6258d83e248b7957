/** The file types the office accepts, recognised from their bytes rather than from their names. */
export const ACCEPTED_TYPES = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
} as const;

const starts = (b: Buffer, sig: number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x);
const contains = (b: Buffer, s: string) => b.indexOf(Buffer.from(s, 'latin1')) >= 0;

/**
 * The MIME type the bytes claim, or null when they are none of the accepted types. Office formats in an
 * OLE container (DOC, XLS) are told apart by their stream names; the ZIP-based ones by their parts'
 * names — a claim only: `verifiedFileType` (office.ts) reads the zip to check it.
 */
export function sniffFileType(bytes: Buffer): string | null {
  if (starts(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return ACCEPTED_TYPES.pdf; // %PDF-
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return ACCEPTED_TYPES.png;
  if (starts(bytes, [0xff, 0xd8, 0xff])) return ACCEPTED_TYPES.jpeg;
  if (starts(bytes, [0x49, 0x49, 0x2a, 0x00]) || starts(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return ACCEPTED_TYPES.tiff;
  if (starts(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
    // Directory entries are UTF-16LE names.
    const utf16 = (s: string) => Buffer.from(s, 'utf16le');
    if (bytes.indexOf(utf16('WordDocument')) >= 0) return ACCEPTED_TYPES.doc;
    if (bytes.indexOf(utf16('Workbook')) >= 0 || bytes.indexOf(utf16('Book')) >= 0) return ACCEPTED_TYPES.xls;
    return null;
  }
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    if (contains(bytes.subarray(30, 100), 'mimetypeapplication/vnd.oasis.opendocument.text')) return ACCEPTED_TYPES.odt;
    if (contains(bytes, 'word/document.xml')) return ACCEPTED_TYPES.docx;
    if (contains(bytes, 'xl/workbook.xml')) return ACCEPTED_TYPES.xlsx;
    return null;
  }
  return null;
}

/**
 * A file name safe to store and to send back: no folders, no control, invisible or direction-changing
 * characters, NFC, at most 200 characters. (Uploads with such characters are refused before this.)
 */
export function sanitiseFileName(raw: string | undefined): string {
  const base = (raw ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f-\u009f"<>:|?*\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g, '')
    .replace(/^\.+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!clean) return 'tep-dinh-kem';
  if (clean.length <= 200) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : '';
  return clean.slice(0, 200 - ext.length) + ext;
}
