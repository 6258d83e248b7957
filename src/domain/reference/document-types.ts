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
