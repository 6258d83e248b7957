import { AccountsDocument, AssignDocumentDocument, SearchDocument, SubmitDocumentsDocument } from '../generated/graphql';
import { receive } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';

/**
 * Full-text search over the word-suffix vector (src/services/document-search.ts): diacritics and case,
 * the letter đ, numbers and symbols, input that is tsquery or LIKE syntax, long words, and the
 * permission filter on what is found and counted.
 */
let env: TestEnv;
let clerk: ApiClient, director: ApiClient, staff: ApiClient, centreClerk: ApiClient;
let staffId: string;
const ids: Record<string, string> = {};

const found = async (who: ApiClient, text: string) => {
  const { documents } = await who.ok(SearchDocument, { text, first: 100 });
  return { ids: documents.edges.map((e) => e.node.id), total: documents.totalCount };
};

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  [clerk, director, staff, centreClerk] = await Promise.all([env.as(DEMO.clerk), env.as(DEMO.director), env.as(DEMO.staff), env.as(DEMO.centreClerk)]);
  staffId = (await director.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
  const docs: Array<[string, Parameters<typeof receive>[2]]> = [
    ['decision', { subject: 'Quyết định phê duyệt đề án phát triển Khu kinh tế Đông Hải', number: '123', symbol: 'QĐ-UBND' }],
    ['hostile', { subject: `Báo cáo (tổng hợp) 'đặc biệt' & "khẩn": 50%*_ | !quan\\trọng`, number: null, symbol: null }],
    ['long', { subject: 'Mã hồ sơ HOSOTHUNGHIEMCHUOIKYTUDAIHONBAMUOIHAIKYTU09 lưu trữ', number: null, symbol: null }],
    ['secret', { subject: 'Thẩm định hồ sơ Xyzzyquark riêng của văn thư', number: null, symbol: null, registerNow: true }],
    // Both words, whole, but not side by side: ranked after the phrase although newer.
    ['scattered', { subject: 'Hải đăng phía đông', number: null, symbol: null }],
  ];
  for (const [key, over] of docs) ids[key] = (await receive(env, clerk, over)).id;
});
afterAll(() => env?.close());

describe('full-text search', () => {
  it('ignores diacritics and case: quyết định, quyet dinh and QUYẾT ĐỊNH find the same documents', async () => {
    const [a, b, c] = await Promise.all(['quyết định phê duyệt đề án', 'quyet dinh phe duyet de an', 'QUYẾT ĐỊNH PHÊ DUYỆT ĐỀ ÁN'].map((t) => found(clerk, t)));
    expect(a.ids).toContain(ids.decision);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('folds đ and Đ to d both ways', async () => {
    for (const t of ['Đông Hải', 'đông hải', 'dong hai', 'DONG HAI', 'ĐỀ ÁN', 'de an']) expect((await found(clerk, t)).ids).toContain(ids.decision);
  });

  it('finds by number and symbol, with or without diacritics, and by part of a word (as before)', async () => {
    for (const t of ['123/QĐ-UBND', '123/qd-ubnd', 'QĐ-UBND', 'qd-ubnd 123', 'ubnd', 'hai', 'uyet'])
      expect({ t, found: (await found(clerk, t)).ids.includes(ids.decision) }).toEqual({ t, found: true });
    expect((await found(clerk, '124/QĐ-UBND')).ids).not.toContain(ids.decision);
  });

  it('finds a word longer than the indexed 32 characters, from its middle too', async () => {
    expect((await found(clerk, 'hosothunghiemchuoikytudaihonbamuoihaikytu09')).ids).toEqual([ids.long]);
    expect((await found(clerk, 'THUNGHIEMCHUOIKYTUDAIHONBAMUOIHAIKYTU09')).ids).toEqual([ids.long]);
    expect((await found(clerk, 'thunghiemchuoikytudaihonbamuoihaikytu10')).ids).toEqual([]);
  });

  it('reads quotes, backslashes and tsquery or LIKE operators as text, never as syntax', async () => {
    const hostile = [`'dac`, `"khan":`, '(tong', '&', '50%*_', '|', '!quan\\trong', `biet'`, 'tong hop) & "khan"'];
    for (const t of hostile) expect({ t, found: (await found(clerk, t)).ids }).toEqual({ t, found: [ids.hostile] });
    const nothing = [`'`, `''`, `\\`, '!', ':*', '&|!():*', `' | 'a`, `a:* & !b`, '%', '_', '<->', `x' & 'y`, '(((', '\\\\'];
    for (const t of nothing) {
      const r = await clerk.request(SearchDocument, { text: t, first: 5 });
      expect({ t, errors: r.errors }).toEqual({ t, errors: undefined });
      expect(r.data!.documents.totalCount).toBeGreaterThanOrEqual(r.data!.documents.edges.length);
    }
    expect(env.serverErrors()).toEqual([]);
  });

  it('refuses, coded, what it cannot search for: only separators or accents, and text over 200 characters (10,000 too)', async () => {
    for (const t of [',;', ' , ; ', '\u0301\u0300', 'a'.repeat(201), 'quyết định '.repeat(1000).slice(0, 10_000)])
      expect(await clerk.code(SearchDocument, { text: t })).toBe('BAD_USER_INPUT');
    expect(await clerk.code(SearchDocument, { text: 'x'.repeat(10_001) })).toBe('BAD_USER_INPUT');
    expect(env.serverErrors()).toEqual([]);
  });

  it('never lets a reader find or count a document it may not read', async () => {
    // Staff of the agency, not assigned: nothing found, nothing counted; the centre's clerk neither.
    for (const who of [staff, centreClerk]) expect(await found(who, 'xyzzyquark')).toEqual({ ids: [], total: 0 });
    expect(await found(clerk, 'xyzzyquark')).toEqual({ ids: [ids.secret], total: 1 });
    // Once assigned to the staff member, he finds it; the centre still does not.
    await clerk.ok(SubmitDocumentsDocument, { ids: [ids.secret] });
    await director.ok(AssignDocumentDocument, { id: ids.secret, input: { instruction: 'Xử lý.', lead: { accountId: staffId, deadline: '2026-12-20' } } });
    expect(await found(staff, 'xyzzyquark')).toEqual({ ids: [ids.secret], total: 1 });
    expect(await found(centreClerk, 'xyzzyquark')).toEqual({ ids: [], total: 0 });
  });

  it('answers a page in two statements after the session check: the ids with their total, then the page', async () => {
    await clerk.ok(SearchDocument, { text: 'đông hải' }); // the once-a-minute activity record happens here, not below
    env.server.app.sessions!.clear(); // the session checked anew (held in memory, it costs none: session-cache.e2e.spec.ts)
    const before = env.statements();
    expect((await clerk.ok(SearchDocument, { text: 'đông hải' })).documents.totalCount).toBeGreaterThan(0);
    const sent = env.statementsSince(before).filter((q) => !q.includes('exchange_message'));
    expect(sent).toHaveLength(3);
    expect(sent[1]).toContain('count(*) over () as total');
  });

  it('ranks the whole phrase first, then pages to the end with a total that does not change', async () => {
    const first = await clerk.ok(SearchDocument, { text: 'đông hải', first: 1 });
    expect(first.documents.edges[0].node.id).toBe(ids.decision);
    let after = first.documents.pageInfo.endCursor;
    const seen = [ids.decision];
    while (after) {
      const next = await clerk.ok(SearchDocument, { text: 'đông hải', first: 1, after });
      expect(next.documents.totalCount).toBe(first.documents.totalCount);
      seen.push(...next.documents.edges.map((e) => e.node.id));
      after = next.documents.pageInfo.hasNextPage ? next.documents.pageInfo.endCursor : null;
    }
    expect(seen[1]).toBe(ids.scattered);
    expect(new Set(seen).size).toBe(first.documents.totalCount);
    const past = await clerk.ok(SearchDocument, { text: 'đông hải', first: 5, after: Buffer.from('rank:1000').toString('base64url') });
    expect(past.documents).toMatchObject({ edges: [], totalCount: first.documents.totalCount, pageInfo: { hasNextPage: false } });
  });
});
