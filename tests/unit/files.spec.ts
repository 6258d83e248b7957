import { ACCEPTED_TYPES, sanitiseFileName, sniffFileType } from '../../src/domain/files/sniff';

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
