import {
  AccountHistoryDocument,
  AccountsDocument,
  AddPermissionRuleDocument,
  CreateAccountDocument,
  DelegateAuthorityDocument,
  DocumentsDocument,
  MeDocument,
  UnitsDocument,
  UpdateAccountDocument,
} from '../generated/graphql';
import { download, receive } from '../helpers/documents';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';

// Issue 15, item 1: the system administrator manages accounts and rights and reads no document
// (Điều 6.3), and nobody changes their own roles or rights.

let env: TestEnv;
let admin: ApiClient;
let quantri: ApiClient;
let quantriId: string;
let fileId: string;

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  admin = await env.as(ADMIN_USERNAME);
  quantri = await env.as(DEMO.sysadmin);
  quantriId = (await quantri.ok(MeDocument)).me.id;
  const clerk = await env.as(DEMO.clerk);
  const doc = await receive(env, clerk);
  fileId = doc.attachments[0].id;
  // The clerk reads it: there is a document an administrator could try to reach.
  expect((await clerk.ok(DocumentsDocument, {})).documents.totalCount).toBeGreaterThan(0);
});
afterAll(() => env?.close());

const refusals = async (accountId: string) =>
  (await admin.ok(AccountHistoryDocument, { id: accountId, first: 100 })).accountHistory.edges.map((e) => e.node).filter((n) => n.type === 'GRANT_REFUSED');

/** What the administrator can reach of documents: nothing, whether refused or empty. */
async function readsNoDocument(client: ApiClient) {
  const r = await client.request(DocumentsDocument, {});
  if (r.errors) expect(r.errors[0].extensions?.code).toBe('FORBIDDEN');
  else expect(r.data!.documents.totalCount).toBe(0);
  expect((await download(env, client, fileId)).status).toBe(404);
}

describe('a SYSADMIN never also reads documents', () => {
  it('refuses a SYSADMIN giving itself DIRECTOR: coded, nothing changed, the attempt in its history, still no document', async () => {
    const before = await env.sql(`select roles, updated_at from account where username = $1`, [DEMO.sysadmin]);
    const r = await quantri.request(UpdateAccountDocument, { id: quantriId, input: { roles: ['SYSADMIN', 'DIRECTOR'] } });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'GRANT_REFUSED', field: 'input.roles' });
    expect(await env.sql(`select roles, updated_at from account where username = $1`, [DEMO.sysadmin])).toEqual(before);
    expect((await quantri.ok(MeDocument)).me.roles).toEqual(['SYSADMIN']);
    await readsNoDocument(quantri);

    const [refused] = await refusals(quantriId);
    expect(refused).toMatchObject({
      type: 'GRANT_REFUSED',
      actor: { username: DEMO.sysadmin },
      detail: { operation: 'updateAccount', roles: ['SYSADMIN', 'DIRECTOR'], before: ['SYSADMIN'] },
    });
    expect(refused.reason).toMatch(/own roles/);
  });

  it('refuses another SYSADMIN giving a SYSADMIN a document role, and giving SYSADMIN to a director', async () => {
    const { accounts } = await admin.ok(AccountsDocument, { filter: { text: 'giamdoc@' }, first: 5 });
    const director = accounts.edges.map((e) => e.node).find((a) => a.username === DEMO.director)!;
    const accountsBefore = await env.sql(`select id, roles from account order by id`);

    for (const roles of [
      ['SYSADMIN', 'DIRECTOR'],
      ['SYSADMIN', 'STAFF'],
      ['CLERK', 'SYSADMIN'],
    ] as const) {
      expect(await admin.code(UpdateAccountDocument, { id: quantriId, input: { roles: [...roles] } })).toBe('GRANT_REFUSED');
    }
    expect(await admin.code(UpdateAccountDocument, { id: director.id, input: { roles: ['DIRECTOR', 'SYSADMIN'] } })).toBe('GRANT_REFUSED');
    expect(await env.sql(`select id, roles from account order by id`)).toEqual(accountsBefore);
    await readsNoDocument(quantri);

    expect((await refusals(quantriId)).filter((n) => n.actor?.username === ADMIN_USERNAME)).toHaveLength(3);
    expect(await refusals(director.id)).toEqual([
      expect.objectContaining({ actor: { username: ADMIN_USERNAME }, detail: expect.objectContaining({ roles: ['DIRECTOR', 'SYSADMIN'] }) }),
    ]);
  });

  it('refuses creating an account that is both SYSADMIN and CLERK, also under an idempotency key; the attempt is kept', async () => {
    const { units } = await admin.ok(UnitsDocument);
    const unitId = units.find((u) => u.kind === 'AGENCY')!.id;
    const adminId = (await admin.ok(MeDocument)).me.id;
    for (const idempotencyKey of [null, 'create-both-roles-1']) {
      const r = await admin.request(CreateAccountDocument, {
        input: { username: 'kiemnhiem@sxd.binhdinh.gov.vn', fullName: 'Kiêm Nhiệm', unitId, roles: ['SYSADMIN', 'CLERK'] },
        idempotencyKey,
      });
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'GRANT_REFUSED', field: 'roles' });
    }
    expect(await env.sql(`select 1 from account where username = 'kiemnhiem@sxd.binhdinh.gov.vn'`)).toEqual([]);
    expect(await env.sql(`select 1 from idempotency_key where key = 'create-both-roles-1'`)).toEqual([]);
    // Kept in the history of the administrator who tried, once per attempt, although nothing was created.
    const kept = (await refusals(adminId)).filter((n) => (n.detail as { operation?: string }).operation === 'createAccount');
    expect(kept).toHaveLength(2);
  });

  it('refuses a rule or a delegation that would change one’s own rights or let a SYSADMIN read', async () => {
    const adminId = (await admin.ok(MeDocument)).me.id;
    const rulesBefore = await env.sql(`select count(*)::int as n from permission_rule`);
    // Its own account: refused whatever the rule grants.
    expect(
      await admin.code(AddPermissionRuleDocument, {
        input: { accountId: adminId, action: 'read', subject: 'Report', condition: 'ANY', inverted: false, reason: 'tự cấp quyền' },
      }),
    ).toBe('GRANT_REFUSED');
    // Another SYSADMIN: no document content.
    expect(
      await admin.code(AddPermissionRuleDocument, {
        input: { accountId: quantriId, action: 'read', subject: 'IncomingDocument', condition: 'ANY', inverted: false, reason: 'đọc văn bản' },
      }),
    ).toBe('GRANT_REFUSED');
    expect(await env.sql(`select count(*)::int as n from permission_rule`)).toEqual(rulesBefore);

    // A director delegating signing to the administrator of the same agency.
    const director = await env.as(DEMO.director);
    const delegationsBefore = await env.sql(`select count(*)::int as n from delegation`);
    expect(
      await director.code(DelegateAuthorityDocument, { input: { accountId: quantriId, right: 'SIGN', startDate: '2026-11-26', endDate: '2026-11-30' } }),
    ).toBe('GRANT_REFUSED');
    expect(await env.sql(`select count(*)::int as n from delegation`)).toEqual(delegationsBefore);
    await readsNoDocument(quantri);

    const kinds = (await refusals(quantriId)).map((n) => (n.detail as { operation?: string }).operation);
    expect(kinds).toEqual(expect.arrayContaining(['addPermissionRule', 'delegateAuthority']));
    expect((await refusals(adminId)).map((n) => (n.detail as { operation?: string }).operation)).toContain('addPermissionRule');
  });

  it('the database refuses the combination even from a write that goes around the services', async () => {
    await expect(env.sql(`update account set roles = '{SYSADMIN,DIRECTOR}' where username = $1`, [DEMO.sysadmin])).rejects.toThrow(/separation of duties/);
    expect((await quantri.ok(MeDocument)).me.roles).toEqual(['SYSADMIN']);
  });
});
