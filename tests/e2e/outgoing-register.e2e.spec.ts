import { IssueDocumentDocument } from '../generated/graphql';
import { pdf, upload } from '../helpers/documents';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';
import { draft, toSigned, type Desk } from '../helpers/outgoing';

let env: TestEnv;
let desk: Desk;

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  const [staff, head, director, clerk] = await Promise.all([env.as(DEMO.staff), env.as(DEMO.head), env.as(DEMO.director), env.as(DEMO.clerk)]);
  desk = { staff, head, director, clerk };
});
afterAll(() => env?.close());

describe('the outgoing register', () => {
  it('gives 50 parallel issues on two server processes the numbers 01..50 with unique symbols', async () => {
    const types = ['QĐ', 'CV', 'TB', 'BC', 'KH'];
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const d = await draft(env, desk.staff, { documentTypeCode: types[i % types.length], subject: `Văn bản đi số ${i}` });
      await toSigned(desk, d.id);
      ids.push(d.id);
    }
    const scans = await Promise.all(ids.map(() => upload(env, desk.clerk, pdf())));
    const peer = (await env.startPeer()).client(desk.clerk.token);
    const results = await Promise.all(
      ids.map((id, i) => (i % 2 ? peer : desk.clerk).request(IssueDocumentDocument, { id, input: { signedFileId: scans[i].id } })),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const issued = results.map((r) => r.data!.issueDocument);
    const numbers = issued.map((d) => Number(d.number)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(issued.map((d) => d.numberAndSymbol)).size).toBe(50);
    for (const d of issued) {
      expect(d.number).toMatch(/^\d{2}$/);
      expect(d.numberAndSymbol).toMatch(d.documentType.code === 'CV' ? /^\d{2}\/SXD-QLHĐXD$/ : new RegExp(`^\\d{2}/${d.documentType.code}-SXD$`));
    }
    const rows = await env.sql<{ n: number }>(`select issue_number as n from document where direction = 'OUTGOING' and issue_number is not null order by 1`);
    expect(rows.map((r) => r.n)).toEqual(numbers);
    const register = await env.sql<{ last_number: number }>(`select last_number from register where direction = 'OUTGOING' and year = 2026`);
    expect(register[0].last_number).toBe(50);
  });
});
