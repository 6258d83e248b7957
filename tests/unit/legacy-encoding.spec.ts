import legacy from '../../src/seed/data/legacy-encoding.json';
import organisation from '../../src/seed/data/organisation.json';
import subjects from '../../src/seed/data/subjects.json';
import { looksLikeLegacyVietnamese } from '../../src/domain/text/legacy-encoding';
import { foldVietnamese, normaliseText } from '../../src/domain/text/normalise';

describe('legacy Vietnamese encodings (TCVN 6909:2001)', () => {
  it.each(legacy.map((l) => [l.encoding, l.text]))('refuses %s: %s', (_enc, text) => {
    expect(looksLikeLegacyVietnamese(text)).toBe(true);
  });

  it.each(legacy.map((l) => [l.meant]))('accepts the Unicode it was meant to be: %s', (text) => {
    expect(looksLikeLegacyVietnamese(text)).toBe(false);
  });

  it('accepts every realistic subject and every name of the organisation', () => {
    const texts = [
      ...subjects.map((s) => s.subject),
      organisation.agency.name,
      ...organisation.departments.map((d) => d.name),
      ...organisation.subordinateUnits.map((d) => d.name),
      ...organisation.correspondents.map((d) => d.name),
      ...organisation.positions,
    ];
    expect(texts.filter(looksLikeLegacyVietnamese)).toEqual([]);
  });

  it('accepts text in decomposed form once normalised, and capitals such as ĐỒNG Ý', () => {
    expect(looksLikeLegacyVietnamese('QUYẾT ĐỊNH VỀ VIỆC BAN HÀNH QUY CHẾ')).toBe(false);
    expect(looksLikeLegacyVietnamese('Quyết định'.normalize('NFD').normalize('NFC'))).toBe(false);
    expect(looksLikeLegacyVietnamese('Hợp tác với Müller GmbH')).toBe(false);
    expect(looksLikeLegacyVietnamese('Nhiệt độ 30°C, «Hồ sơ» © 2026')).toBe(false);
  });

  it('catches single TCVN3 words', () => {
    expect(looksLikeLegacyVietnamese('QuyÕt ®Þnh')).toBe(true);
    expect(looksLikeLegacyVietnamese('ViÖt Nam')).toBe(true);
  });
});

describe('normaliseText', () => {
  it('stores NFC, trimmed', () => {
    expect(normaliseText('  Xây dựng \n'.normalize('NFD'))).toEqual({ value: 'Xây dựng'.normalize('NFC') });
  });
  it('refuses control characters, legacy text and very long text', () => {
    expect(normaliseText('a\u0007b')).toEqual({ problem: { kind: 'CONTROL_CHARACTERS' } });
    expect(normaliseText('Céng hoµ x· héi')).toEqual({ problem: { kind: 'LEGACY_ENCODING' } });
    expect(normaliseText('x'.repeat(100_000))).toMatchObject({ problem: { kind: 'TOO_LONG' } });
  });
  it('keeps tabs and line breaks inside text', () => {
    expect(normaliseText('dòng 1\ndòng 2\tcột')).toEqual({ value: 'dòng 1\ndòng 2\tcột' });
  });
  it('folds case and diacritics for search', () => {
    expect(foldVietnamese('Quyết định Xây dựng Đô thị')).toBe('quyet dinh xay dung do thi');
  });
});
