import {
  AccountsDocument,
  AssignDocumentDocument,
  CloseDossierDocument,
  DocumentDossierDocument,
  DossierDocument,
  DossiersDocument,
  FileDocumentDocument,
  OpenDossierDocument,
  ReopenDossierDocument,
  SearchDocument,
  SubmitDocumentsDocument,
  UnfileDocumentDocument,
  UpdateDossierDocument,
} from '../generated/graphql';
import subjects from '../../src/seed/data/subjects.json';
import { receive } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { draft } from '../helpers/outgoing';

let env: TestEnv;
let clerk: ApiClient, director: ApiClient, head: ApiClient, staff: ApiClient, centreClerk: ApiClient;
let staffId: string;

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  [clerk, director, head, staff, centreClerk] = await Promise.all([
    env.as(DEMO.clerk),
    env.as(DEMO.director),
    env.as(DEMO.head),
    env.as(DEMO.staff),
    env.as(DEMO.centreClerk),
  ]);
  staffId = (await director.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
});
afterAll(() => env?.close());

async function assignedToStaff(subject: string) {
  const d = await receive(env, clerk, { registerNow: true, subject, pageCount: 3 });
  await clerk.ok(SubmitDocumentsDocument, { ids: [d.id] });
  await director.ok(AssignDocumentDocument, { id: d.id, input: { instruction: 'Xử lý.', lead: { accountId: staffId, deadline: '2026-12-20' } } });
  return d;
}

describe('work dossiers', () => {
  it('opens, files in order, keeps ordinals gapless after unfiling, refuses changes once closed, and reopens only for the head or a director', async () => {
    const [a, b, c, d] = await Promise.all(['Văn bản A', 'Văn bản B', 'Văn bản C', 'Văn bản D'].map(assignedToStaff));
    const { openDossier } = await staff.ok(OpenDossierDocument, {
      input: { notation: '01.QLHĐXD', title: 'Hồ sơ kiểm tra chất lượng công trình năm 2026', year: 2026, retention: '10' },
    });
    expect(openDossier).toMatchObject({
      code: '000.00.00.H08.2026.01.QLHĐXD',
      retention: '10',
      state: 'OPEN',
      documentCount: 0,
      creator: { username: DEMO.staff },
    });
    const id = openDossier.id;
    expect(await staff.code(OpenDossierDocument, { input: { notation: '01.QLHĐXD', title: 'Trùng', year: 2026, retention: 'PERMANENT' } })).toBe(
      'ALREADY_EXISTS',
    );
    expect(await staff.code(OpenDossierDocument, { input: { notation: '02', title: 'Sai', year: 2026, retention: 'mãi mãi' } })).toBe('BAD_USER_INPUT');

    for (const doc of [a, b, c]) await staff.ok(FileDocumentDocument, { dossierId: id, documentId: doc.id });
    expect((await staff.ok(DocumentDossierDocument, { id: b.id })).document).toMatchObject({ dossier: { id }, dossierOrdinal: 2 });
    const { unfileDocument } = await staff.ok(UnfileDocumentDocument, { dossierId: id, documentId: a.id });
    expect(unfileDocument.documents.map((x) => [x.ordinal, x.document.id])).toEqual([
      [1, b.id],
      [2, c.id],
    ]);
    const { fileDocument } = await staff.ok(FileDocumentDocument, { dossierId: id, documentId: d.id });
    expect(fileDocument.documents.map((x) => x.ordinal)).toEqual([1, 2, 3]);
    expect(fileDocument).toMatchObject({ documentCount: 3, pageCount: 9 });
    expect((await staff.ok(DocumentDossierDocument, { id: a.id })).document).toMatchObject({ dossier: null, dossierOrdinal: null });

    // A document sits in one dossier at most.
    const other = (await staff.ok(OpenDossierDocument, { input: { notation: '02.QLHĐXD', title: 'Hồ sơ khác', year: 2026, retention: 'PERMANENT' } }))
      .openDossier;
    expect(other.retention).toBe('PERMANENT');
    expect(await staff.code(FileDocumentDocument, { dossierId: other.id, documentId: b.id })).toBe('ALREADY_EXISTS');

    const { closeDossier } = await staff.ok(CloseDossierDocument, { id });
    expect(closeDossier).toMatchObject({ state: 'CLOSED', endDate: '2026-11-26', handoverDue: false });
    expect(await staff.code(FileDocumentDocument, { dossierId: id, documentId: a.id })).toBe('DOSSIER_CLOSED');
    expect(await staff.code(UnfileDocumentDocument, { dossierId: id, documentId: b.id })).toBe('DOSSIER_CLOSED');
    expect(await staff.code(UpdateDossierDocument, { id, input: { title: 'Đổi tên' } })).toBe('DOSSIER_CLOSED');
    expect(await staff.code(ReopenDossierDocument, { id })).toBe('FORBIDDEN');
    expect((await head.ok(ReopenDossierDocument, { id })).reopenDossier.state).toBe('OPEN');
    await staff.ok(FileDocumentDocument, { dossierId: id, documentId: a.id });
    expect((await staff.ok(DossierDocument, { id })).dossier?.documents.map((x) => x.ordinal)).toEqual([1, 2, 3, 4]);
  });

  it('shows a reader only the documents it may read, and counts only those', async () => {
    const [x, y] = await Promise.all(['Hồ sơ 2 của 3 — X', 'Hồ sơ 2 của 3 — Y'].map(assignedToStaff));
    const reply = await draft(env, staff, { subject: 'Dự thảo trả lời — Z', pageCount: 2 });
    const { openDossier } = await staff.ok(OpenDossierDocument, { input: { notation: '03.QLHĐXD', title: 'Hồ sơ có dự thảo', year: 2026, retention: '5' } });
    for (const doc of [x, y, reply]) await staff.ok(FileDocumentDocument, { dossierId: openDossier.id, documentId: doc.id });
    const own = (await staff.ok(DossierDocument, { id: openDossier.id })).dossier!;
    expect(own).toMatchObject({ documentCount: 3, pageCount: 8 });
    // The clerk reads the incoming documents but not an unsigned draft: 2 of 3.
    const seen = (await clerk.ok(DossierDocument, { id: openDossier.id })).dossier!;
    expect(seen.documentCount).toBe(2);
    expect(seen.pageCount).toBe(6);
    expect(seen.documents.map((d) => d.document.id)).toEqual([x.id, y.id]);
    // Someone of another keeping unit sees no dossier at all.
    expect((await centreClerk.ok(DossierDocument, { id: openDossier.id })).dossier).toBeNull();
  });

  it('marks closed dossiers due for the archive within 30 days of a year after closing', async () => {
    const { openDossier } = await staff.ok(OpenDossierDocument, {
      input: { notation: '04.QLHĐXD', title: 'Hồ sơ lưu trữ', year: 2026, retention: 'PERMANENT' },
    });
    await staff.ok(CloseDossierDocument, { id: openDossier.id });
    env.clock.set(new Date('2027-10-20T01:30:00Z'));
    try {
      const later = await env.as(DEMO.director);
      expect((await later.ok(DossierDocument, { id: openDossier.id })).dossier?.handoverDue).toBe(false);
      env.clock.set(new Date('2027-11-01T01:30:00Z'));
      const due = await (await env.as(DEMO.director)).ok(DossiersDocument, { filter: { handoverDue: true } });
      expect(due.dossiers.edges.map((e) => e.node.id)).toContain(openDossier.id);
      expect(due.dossiers.edges.every((e) => e.node.handoverDue)).toBe(true);
    } finally {
      env.clock.set(new Date('2026-11-26T01:30:00Z'));
    }
  });

  it('finds dossiers by title and code ignoring case and diacritics', async () => {
    const found = await director.ok(DossiersDocument, { filter: { text: 'ho so kiem tra CHAT LUONG' } });
    expect(found.dossiers.edges.map((e) => e.node.code)).toEqual(['000.00.00.H08.2026.01.QLHĐXD']);
    expect((await director.ok(DossiersDocument, { filter: { text: 'h08.2026.03' } })).dossiers.totalCount).toBe(1);
  });
});

describe('search that ignores case and Vietnamese diacritics', () => {
  const PHRASES: Array<[string, number[]]> = [
    ['quyet dinh xay dung', [1, 12, 14, 29]],
    ['QUYẾT ĐỊNH phê duyệt', [10, 13]],
    ['nha o xa hoi', [9]],
    ['Nhơn Hội', [2, 19]],
    ['nhon hoi', [2, 19]],
    ['thong bao ket luan', [15, 18]],
    ['giay moi', [19, 20, 21]],
    ['GIẤY MỜI HỌP', [19]],
    ['van phong dien tu', [11, 25]],
    ['Văn phòng điện tử liên thông', [11]],
    ['chat luong cong trinh', [0, 12, 26]],
    ['Chất lượng công trình', [0, 12, 26]],
    // 23 matches through its issuer: "UBND tỉnh …" gives tinh, "hành chính" gives hinh.
    ['bao cao tinh hinh', [5, 22, 23, 24, 25]],
    ['quy hoach chung', [13, 28]],
    ['ĐÔ THỊ', [2, 7, 13, 28]],
    ['trat tu xay dung', [8, 24]],
    ['giám đốc sở', [17, 18]],
    ['tham dinh', [6, 16, 19]],
    ['chuyen doi so', [27]],
    ['bão số 9', [5, 33]],
  ];
  let ids: string[];
  let centreIds: Set<string>;

  beforeAll(async () => {
    ids = [];
    for (const s of subjects)
      ids.push((await receive(env, clerk, { subject: s.subject, documentTypeCode: s.type, number: null, symbol: null, issuer: 'UBND tỉnh Bình Định' })).id);
    // The same subjects at the centre: the agency's readers must never find these.
    centreIds = new Set();
    for (const s of subjects.slice(0, 12))
      centreIds.add(
        (await receive(env, centreClerk, { subject: s.subject, documentTypeCode: s.type, number: null, symbol: null, issuer: 'UBND tỉnh Bình Định' })).id,
      );
  });

  it.each(PHRASES)('%s', async (phrase, expected) => {
    const { documents } = await clerk.ok(SearchDocument, { text: phrase, first: 100 });
    const found = documents.edges.map((e) => e.node.id);
    expect(found.filter((id) => centreIds.has(id))).toEqual([]);
    expect(
      found
        .filter((id) => ids.includes(id))
        .map((id) => ids.indexOf(id))
        .sort((a, b) => a - b),
    ).toEqual(expected);
    expect(documents.totalCount).toBe(found.length);
    // Staff of the agency, who were assigned none of these, find none of them.
    const theirs = (await staff.ok(SearchDocument, { text: phrase, first: 100 })).documents.edges.map((e) => e.node.id);
    expect(theirs.filter((id) => ids.includes(id) || centreIds.has(id))).toEqual([]);
  });

  it('ranks the closest match first and pages through results', async () => {
    const storm = await clerk.ok(SearchDocument, { text: 'bão số 9', first: 1 });
    expect(storm.documents.edges[0].node.id).toBe(ids[33]);
    expect(storm.documents.pageInfo.hasNextPage).toBe(true);
    const next = await clerk.ok(SearchDocument, { text: 'bão số 9', first: 1, after: storm.documents.pageInfo.endCursor });
    expect(next.documents.edges[0].node.id).toBe(ids[5]);
    expect(next.documents.pageInfo.hasNextPage).toBe(false);
    const towns = await clerk.ok(SearchDocument, { text: 'đô thị', first: 3 });
    expect([ids[2], ids[13], ids[28]]).toContain(towns.documents.edges[0].node.id);
  });

  it('finds by number and symbol, and the centre finds its own copies only', async () => {
    const numbered = await receive(env, clerk, { number: '1234', symbol: 'QĐ-UBND', subject: 'Văn bản có số' });
    expect((await clerk.ok(SearchDocument, { text: '1234/qđ-ubnd' })).documents.edges.map((e) => e.node.id)).toEqual([numbered.id]);
    const centre = await centreClerk.ok(SearchDocument, { text: 'giay moi', first: 100 });
    expect(centre.documents.edges.every((e) => centreIds.has(e.node.id))).toBe(true);
  });
});
