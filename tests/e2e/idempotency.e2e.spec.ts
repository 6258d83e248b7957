import { CreateAccountDocument, ReceiveOnceDocument, RegisterOnceDocument, UnitsDocument } from '../generated/graphql';
import { pdf, receive, upload } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type TestEnv } from '../helpers/env';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
});
afterAll(() => env?.close());

const lastNumber = async () => (await env.sql<{ n: number }>(`select coalesce(max(last_number), 0) as n from register where direction = 'INCOMING'`))[0].n;

describe('idempotent retries', () => {
  it('a retried registration with the same key returns the same number and the register takes nothing more', async () => {
    const clerk = await env.as(DEMO.clerk);
    const d = await receive(env, clerk);
    const key = 'dang-ky-8f3b2a10-retry';
    const first = (await clerk.ok(RegisterOnceDocument, { id: d.id, key })).registerDocument;
    const before = await lastNumber();
    // The answer was lost; the client retries, twice at once.
    const retries = await Promise.all([clerk.ok(RegisterOnceDocument, { id: d.id, key }), clerk.ok(RegisterOnceDocument, { id: d.id, key })]);
    expect(retries.map((r) => r.registerDocument.arrivalNumber)).toEqual([first.arrivalNumber, first.arrivalNumber]);
    expect(await lastNumber()).toBe(before);
    const events = await env.sql<{ n: string }>(`select count(*)::text as n from routing_event where type = 'REGISTERED'`);
    expect(events[0].n).toBe('1');
    // Without the key the same call is a second registration, refused as such.
    expect(await clerk.code(RegisterOnceDocument, { id: d.id })).toBe('INVALID_TRANSITION');
  });

  it('parallel first calls with one key receive one document', async () => {
    const clerk = await env.as(DEMO.clerk);
    const file = await upload(env, clerk, pdf('once'));
    const input = { documentTypeCode: 'CV', issuedDate: '2026-11-20', issuer: 'UBND tỉnh', subject: 'Gửi lại do mất kết nối', attachmentIds: [file.id] };
    const before = await env.sql<{ n: string }>(`select count(*)::text as n from document`);
    const results = await Promise.all(Array.from({ length: 5 }, () => clerk.ok(ReceiveOnceDocument, { input, key: 'tiep-nhan-5c1d7e22' })));
    expect(new Set(results.map((r) => r.receiveDocument.id)).size).toBe(1);
    const after = await env.sql<{ n: string }>(`select count(*)::text as n from document`);
    expect(Number(after[0].n) - Number(before[0].n)).toBe(1);
    expect(await clerk.code(RegisterOnceDocument, { id: results[0].receiveDocument.id, key: 'tiep-nhan-5c1d7e22' })).toBe('BAD_USER_INPUT');
    expect(await clerk.code(ReceiveOnceDocument, { input, key: 'short' })).toBe('BAD_USER_INPUT');
  });

  it('a retried createAccount returns the same account and does not show the password again', async () => {
    const admin = await env.as(ADMIN_USERNAME);
    const unitId = (await admin.ok(UnitsDocument)).units[0].id;
    const input = { username: 'lan.thu@sxd.binhdinh.gov.vn', fullName: 'Lan Thư', unitId, roles: ['STAFF' as const] };
    const first = (await admin.ok(CreateAccountDocument, { input, idempotencyKey: 'tao-tai-khoan-0001' })).createAccount;
    const again = (await admin.ok(CreateAccountDocument, { input, idempotencyKey: 'tao-tai-khoan-0001' })).createAccount;
    expect(again.account.id).toBe(first.account.id);
    expect(first.initialPassword).toMatch(/^\S{16}$/);
    expect(again.initialPassword).toBeNull();
  });
});
