import yauzl from 'yauzl';
import { ACCEPTED_TYPES } from './sniff';

/** What an office file's container holds, as far as telling its kind needs. */
export interface ZipParts {
  /** Every entry name in the central directory. */
  names: ReadonlySet<string>;
  /** The text of `[Content_Types].xml` (OOXML), when present and small. */
  contentTypes: string | null;
  /** The text of `mimetype` (OpenDocument), when present and small. */
  mimetype: string | null;
}

/** The MIME type an OpenDocument or OOXML container must declare, and the part that makes it that kind. */
const OOXML = [
  { mime: ACCEPTED_TYPES.docx, part: 'word/document.xml', declared: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml' },
  { mime: ACCEPTED_TYPES.xlsx, part: 'xl/workbook.xml', declared: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml' },
  // Recognised so that a presentation is not taken for something else; not an accepted kind.
  { mime: null, part: 'ppt/presentation.xml', declared: 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml' },
] as const;

/**
 * The kind of office file a readable zip is, or null. A DOCX is a zip with `[Content_Types].xml`
 * declaring a Word main document and holding `word/document.xml`; an XLSX the same with
 * `xl/workbook.xml`; an ODT a zip whose `mimetype` says so and that holds `content.xml` and its
 * manifest. Anything else — a plain zip, a PPTX, a macro-enabled document, a zip that merely names
 * the parts somewhere in its bytes — is not accepted.
 */
export function officeTypeOf(parts: ZipParts): string | null {
  if (parts.mimetype !== null) {
    const odt = parts.mimetype.trim() === ACCEPTED_TYPES.odt && parts.names.has('content.xml') && parts.names.has('META-INF/manifest.xml');
    return odt ? ACCEPTED_TYPES.odt : null;
  }
  if (parts.contentTypes === null) return null;
  for (const kind of OOXML) {
    if (parts.names.has(kind.part) && parts.contentTypes.includes(`"${kind.declared}"`)) return kind.mime;
  }
  return null;
}

/** Zips with more entries than this are not taken for office files (a real document has a few dozen). */
export const MAX_OFFICE_ENTRIES = 10_000;
/** The largest `[Content_Types].xml` or `mimetype` read. */
const MAX_SMALL_PART_BYTES = 256 * 1024;

function readSmall(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string | null> {
  if (entry.uncompressedSize > MAX_SMALL_PART_BYTES || !entry.canDecodeFileData()) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) return reject(err);
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

/**
 * Reads a zip's central directory (and its two small descriptive parts) with yauzl, without
 * inflating anything else. Null when the bytes are not a readable zip: no end of central directory,
 * entries out of bounds, sizes that do not match, too many entries.
 */
export function readZipParts(source: Buffer | string): Promise<ZipParts | null> {
  return new Promise((resolve) => {
    const options = { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true };
    // A file on disk is read where its central directory is, never loaded whole.
    const open = (cb: (err: Error | null, zip: yauzl.ZipFile) => void) =>
      typeof source === 'string' ? yauzl.open(source, { ...options, autoClose: false }, cb) : yauzl.fromBuffer(source, options, cb);
    open((openErr, zip) => {
      if (openErr || !zip) return resolve(null);
      if (zip.entryCount > MAX_OFFICE_ENTRIES) {
        zip.close();
        return resolve(null);
      }
      const names = new Set<string>();
      let contentTypes: string | null = null;
      let mimetype: string | null = null;
      let done = false;
      const finish = (value: ZipParts | null) => {
        if (done) return;
        done = true;
        if (zip.isOpen) zip.close();
        resolve(value);
      };
      zip.on('error', () => finish(null));
      zip.on('end', () => finish({ names, contentTypes, mimetype }));
      zip.on('entry', (entry: yauzl.Entry) => {
        names.add(entry.fileName);
        const small = entry.fileName === '[Content_Types].xml' || entry.fileName === 'mimetype';
        if (!small) return zip.readEntry();
        readSmall(zip, entry).then(
          (text) => {
            if (entry.fileName === 'mimetype') mimetype = text;
            else contentTypes = text;
            zip.readEntry();
          },
          () => finish(null),
        );
      });
      zip.readEntry();
    });
  });
}

/**
 * The MIME type of uploaded bytes, checked as what they claim to be: the signature first
 * ({@link sniffFileType}), and for anything that starts like a zip, its central directory and
 * content types. Null when the file is not one of the accepted kinds.
 */
export async function verifiedFileType(bytes: Buffer, sniffed: string | null): Promise<string | null> {
  return verifiedType(bytes, bytes, sniffed);
}

/** The same check for a file on disk (a received attachment), given its first bytes. */
export function verifiedFileTypeOfFile(file: string, head: Buffer, sniffed: string | null): Promise<string | null> {
  return verifiedType(file, head, sniffed);
}

async function verifiedType(source: Buffer | string, head: Buffer, sniffed: string | null): Promise<string | null> {
  const zipLike = head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;
  if (!zipLike) return sniffed;
  const parts = await readZipParts(source);
  return parts ? officeTypeOf(parts) : null;
}
