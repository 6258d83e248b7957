import {
  AddPermissionRuleDocument,
  DocumentDocument,
  RegisterDocumentDocument,
  RegisterOnceDocument,
  RegistersDocument,
  RemovePermissionRuleDocument,
} from '../generated/graphql';
import { receive } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';

/**
 * A registration is one statement (src/services/registration.ts: registerInOne): the permission and
 * state checks, the number, the document and its REGISTERED event. Counted here so that its round
 * trips cannot quietly grow; and every case the statement does not cover still takes the usual path,
 * with the same coded errors and no number taken.
 */
let env: TestEnv;
let clerk: ApiClient;
let admin: ApiClient;
beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  clerk = await env.as(DEMO.clerk);
  admin = await env.as(ADMIN_USERNAME);
});
afterAll(() => env?.close());

const lastNumber = async () => (await clerk.ok(RegistersDocument, { year: 2026 })).registers[0]?.lastNumber ?? 0;
const state = async (id: string) => {
  const { document } = await clerk.ok(DocumentDocument, { id });
  return document?.__typename === 'IncomingDocument' ? document.state : null;
};

/** The beginning of registerInOne's statement. */
const ONE_STATEMENT = /^with cur as \(select d\.id, d\.keeping_unit_id from document/;

describe('one registration', () => {
  it('sends one statement after the session check', async () => {
    const warm = await receive(env, clerk, { subject: 'Văn bản làm nóng' });
    await clerk.ok(RegisterOnceDocument, { id: warm.id });
    const d = await receive(env, clerk, { subject: 'Văn bản đếm câu lệnh' });
    // The session checked anew (held in memory it costs none: session-cache.e2e.spec.ts).
    env.server.app.sessions!.clear();
    const before = env.statements();
    // The bench's registration (scripts/bench-writes.ts): the number asked back, nothing a field resolver reads.
    const { registerDocument } = await clerk.ok(RegisterOnceDocument, { id: d.id });
    // The exchange sender polls on its own meanwhile: not this request's.
    const used = env.statementsSince(before).filter((q) => !q.includes('exchange_message'));
    expect(used).toHaveLength(2);
    expect(used[0]).toContain('select a.id as account_id');
    expect(used[1]).toMatch(ONE_STATEMENT);
    expect(registerDocument.arrivalNumber).toBe(2);
  });

  it('answers what a later read of the document shows, field for field', async () => {
    const d = await receive(env, clerk, { subject: 'Văn bản so sánh', number: '7788' });
    const { registerDocument } = await clerk.ok(RegisterDocumentDocument, { id: d.id });
    expect(registerDocument.state).toBe('REGISTERED');
    expect(registerDocument.arrivalDate).toBe('2026-11-26');
    expect(registerDocument.register).toEqual(expect.objectContaining({ year: 2026, direction: 'INCOMING', lastNumber: registerDocument.arrivalNumber }));
    const { document } = await clerk.ok(DocumentDocument, { id: d.id });
    const { possibleDuplicates, ...answered } = registerDocument;
    expect(possibleDuplicates).toEqual([]);
    expect(document).toEqual(expect.objectContaining(answered));
    const history = document?.__typename === 'IncomingDocument' ? document.history.edges.map((e) => [e.node.type, e.node.note]) : [];
    expect(history).toEqual([
      ['RECEIVED', null],
      ['REGISTERED', `Số đến ${registerDocument.arrivalNumber}`],
    ]);
  });

  it('takes the usual path with its coded errors, and takes no number, where the statement does not apply', async () => {
    const d = await receive(env, clerk, { subject: 'Văn bản đăng ký hai lần' });
    await clerk.ok(RegisterDocumentDocument, { id: d.id });
    const n = await lastNumber();
    // Not RECEIVED any more.
    expect(await clerk.code(RegisterDocumentDocument, { id: d.id })).toBe('INVALID_TRANSITION');
    // Another keeping unit's document: not found, as for any document the viewer may not read.
    const centreClerk = await env.as(DEMO.centreClerk);
    const other = await receive(env, clerk, { subject: 'Văn bản của Sở' });
    expect(await centreClerk.code(RegisterDocumentDocument, { id: other.id })).toBe('NOT_FOUND');
    expect(await clerk.code(RegisterDocumentDocument, { id: 'not-an-id' })).toBe('BAD_USER_INPUT');
    expect(await lastNumber()).toBe(n);
    expect(await state(other.id)).toBe('RECEIVED');

    // A rule that denies the clerks registering in their keeping unit: readable, so FORBIDDEN.
    const { addPermissionRule: deny } = await admin.ok(AddPermissionRuleDocument, {
      input: { role: 'CLERK', action: 'register', subject: 'IncomingDocument', condition: 'OWN_KEEPING_UNIT', inverted: true, reason: 'Thử: tạm dừng vào sổ' },
    });
    expect(await clerk.code(RegisterDocumentDocument, { id: other.id })).toBe('FORBIDDEN');
    expect(await lastNumber()).toBe(n);
    expect(await state(other.id)).toBe('RECEIVED');
    await admin.ok(RemovePermissionRuleDocument, { id: deny.id, reason: 'Kết thúc thử' });

    // A rule on more than the keeping unit (assignments): the usual path decides, with the same answer.
    const { addPermissionRule: wider } = await admin.ok(AddPermissionRuleDocument, {
      input: { role: 'CLERK', action: 'register', subject: 'IncomingDocument', condition: 'ASSIGNED_TO_ME', reason: 'Thử: điều kiện theo phân công' },
    });
    const before = env.statements();
    expect((await clerk.ok(RegisterDocumentDocument, { id: other.id })).registerDocument.arrivalNumber).toBe(n + 1);
    expect(env.statementsSince(before).some((q) => ONE_STATEMENT.test(q))).toBe(false);
    await admin.ok(RemovePermissionRuleDocument, { id: wider.id, reason: 'Kết thúc thử' });

    // With an idempotency key the same statement runs inside the key's transaction; a retry takes no other number.
    const k = await receive(env, clerk, { subject: 'Văn bản có khoá' });
    const first = await clerk.ok(RegisterOnceDocument, { id: k.id, key: 'vao-so-9f2c4e1a' });
    const again = await clerk.ok(RegisterOnceDocument, { id: k.id, key: 'vao-so-9f2c4e1a' });
    expect(first.registerDocument.arrivalNumber).toBe(n + 2);
    expect(again.registerDocument.arrivalNumber).toBe(n + 2);
    expect(await lastNumber()).toBe(n + 2);
  });
});
