import { officeTypeOf, verifiedFileType } from '../../src/domain/files/office';
import { ACCEPTED_TYPES, sanitiseFileName, sniffFileType } from '../../src/domain/files/sniff';
import { invisibleCharacter, nameCharacterProblem, normaliseText } from '../../src/domain/text/normalise';
import { docx, odt, pptx, xlsx, zip } from '../helpers/zip';

const b = (...parts: Array<number[] | string>) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('file types from bytes', () => {
  it.each([
    ['PDF', b('%PDF-1.7\n...'), ACCEPTED_TYPES.pdf],
    ['PNG', b([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), ACCEPTED_TYPES.png],
    ['JPEG', b([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]), ACCEPTED_TYPES.jpeg],
    ['TIFF little-endian', b([0x49, 0x49, 0x2a, 0x00, 8, 0]), ACCEPTED_TYPES.tiff],
    ['TIFF big-endian', b([0x4d, 0x4d, 0x00, 0x2a, 0, 8]), ACCEPTED_TYPES.tiff],
    ['DOC', b([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], Buffer.from('WordDocument', 'utf16le').toString('latin1')), ACCEPTED_TYPES.doc],
    ['XLS', b([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], Buffer.from('Workbook', 'utf16le').toString('latin1')), ACCEPTED_TYPES.xls],
    ['DOCX', b([0x50, 0x4b, 0x03, 0x04], '....[Content_Types].xml....word/document.xml'), ACCEPTED_TYPES.docx],
    ['XLSX', b([0x50, 0x4b, 0x03, 0x04], '....xl/workbook.xml'), ACCEPTED_TYPES.xlsx],
    ['ODT', b([0x50, 0x4b, 0x03, 0x04], 'x'.repeat(26), 'mimetypeapplication/vnd.oasis.opendocument.text'), ACCEPTED_TYPES.odt],
  ])('%s', (_n, bytes, type) => expect(sniffFileType(bytes)).toBe(type));

  it.each([
    ['an executable', b('MZ\x90\x00')],
    ['a plain ZIP', b([0x50, 0x4b, 0x03, 0x04], 'hello.txt')],
    ['an OLE file that is neither', b([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'nothing')],
    ['HTML', b('<html><script>')],
    ['nothing', b('')],
  ])('refuses %s', (_n, bytes) => expect(sniffFileType(bytes)).toBeNull());
});

describe('file names', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\a\\Công văn.pdf', 'Công văn.pdf'],
    ['  tờ\u0000trình  .pdf ', 'tờtrình .pdf'],
    ['.hidden', 'hidden'],
    ['', 'tep-dinh-kem'],
    ['a"b<c>.pdf', 'abc.pdf'],
  ])('%j becomes %j', (raw, clean) => expect(sanitiseFileName(raw)).toBe(clean));

  it('keeps the extension when shortening', () => {
    const long = 'x'.repeat(300) + '.pdf';
    expect(sanitiseFileName(long)).toHaveLength(200);
    expect(sanitiseFileName(long).endsWith('.pdf')).toBe(true);
  });
});

describe('office files are checked as what they claim to be (read as zips)', () => {
  const check = (bytes: Buffer) => verifiedFileType(bytes, sniffFileType(bytes));

  it.each([
    ['DOCX', docx(), ACCEPTED_TYPES.docx],
    ['XLSX', xlsx(), ACCEPTED_TYPES.xlsx],
    ['ODT', odt(), ACCEPTED_TYPES.odt],
  ])('accepts a real %s', async (_n, bytes, type) => expect(await check(bytes)).toBe(type));

  const ct =
    '<Types><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
  it.each([
    ['bytes that begin like a zip and name the parts but are not one', b([0x50, 0x4b, 0x03, 0x04], '....[Content_Types].xml....word/document.xml')],
    ['a zip cut short (no central directory)', docx().subarray(0, docx().length - 30)],
    ['a zip with word/document.xml but no [Content_Types].xml', zip({ 'word/document.xml': '<w:document/>' })],
    ['a zip with content types but no word/document.xml', zip({ '[Content_Types].xml': ct, 'word/other.xml': '<x/>' })],
    [
      'a zip whose content types declare a macro-enabled document',
      zip({
        '[Content_Types].xml': ct.replace('officedocument.wordprocessingml.document.main+xml', 'ms-word.document.macroEnabled.main+xml'),
        'word/document.xml': '<w:document/>',
      }),
    ],
    ['a PPTX (not accepted)', pptx()],
    ['a plain zip of an executable', zip({ 'setup.exe': 'MZ\x90\x00' })],
    ['an ODT claim without content.xml', zip({ mimetype: 'application/vnd.oasis.opendocument.text', 'x.txt': 'x' })],
    [
      'a zip declaring a word document whose size does not match its bytes',
      (() => {
        const z = docx();
        const at = z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
        z.writeUInt32LE(999_999, at + 24); // the central directory lies about the first entry's size
        return z;
      })(),
    ],
  ])('refuses %s', async (_n, bytes) => expect(await check(bytes)).toBeNull());

  it('tells the kind from the parts, not from the bytes', () => {
    const parts = (names: string[], contentTypes: string | null, mimetype: string | null = null) => ({ names: new Set(names), contentTypes, mimetype });
    expect(officeTypeOf(parts(['[Content_Types].xml', 'word/document.xml'], ct))).toBe(ACCEPTED_TYPES.docx);
    expect(officeTypeOf(parts(['word/document.xml'], null))).toBeNull();
    expect(officeTypeOf(parts(['xl/workbook.xml'], ct))).toBeNull();
    expect(officeTypeOf(parts(['content.xml', 'META-INF/manifest.xml'], null, 'application/vnd.oasis.opendocument.text\n'))).toBe(ACCEPTED_TYPES.odt);
    expect(officeTypeOf(parts(['content.xml', 'META-INF/manifest.xml'], null, 'application/vnd.oasis.opendocument.spreadsheet'))).toBeNull();
  });

  it('leaves other kinds to their signature', async () => {
    expect(await check(b('%PDF-1.7\n...'))).toBe(ACCEPTED_TYPES.pdf);
    expect(await check(b('MZ\x90\x00'))).toBeNull();
  });
});

describe('invisible and direction-changing characters', () => {
  it.each([
    ['\u202E', 'a\u202Efdp.exe'],
    ['\u202A', 'x\u202Ay'],
    ['\u2066', 'x\u2066y'],
    ['\u2069', 'x\u2069y'],
    ['\u200B', 'Quyết\u200Bđịnh'],
    ['\u200F', 'x\u200Fy'],
    ['\u061C', 'x\u061Cy'],
    ['\uFEFF', 'x\uFEFFy'],
    ['\u2060', 'x\u2060y'],
  ])('finds %j', (ch, text) => {
    const expected = `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    expect(invisibleCharacter(text)).toBe(expected);
    expect(nameCharacterProblem(text)).toBe(expected);
    expect(normaliseText(text)).toEqual({ problem: { kind: 'INVISIBLE_CHARACTERS', codePoint: expected } });
  });

  it('passes Vietnamese text, line breaks in text and ordinary punctuation', () => {
    for (const t of ['Quyết định số 05/QĐ-SXD', 'Dòng 1\nDòng 2\tcột', 'Công văn – “khẩn”', 'tờ trình (bản 2).pdf']) expect(invisibleCharacter(t)).toBeNull();
    expect(normaliseText('Dòng 1\nDòng 2')).toEqual({ value: 'Dòng 1\nDòng 2' });
  });

  it('refuses tabs, line breaks and other controls in a name, not only invisible characters', () => {
    expect(nameCharacterProblem('a\nb.pdf')).toBe('U+000A');
    expect(nameCharacterProblem('a\u0085b.pdf')).toBe('U+0085');
    expect(nameCharacterProblem('Công văn.pdf')).toBeNull();
  });

  it('strips them from a stored name (for names from a peer)', () => {
    expect(sanitiseFileName('a\u202Efdp.exe')).toBe('afdp.exe');
  });
});
