import {
  AccountsDocument,
  ChangePasswordDocument,
  CreateAccountDocument,
  CreateUnitDocument,
  DisableAccountDocument,
  EnableAccountDocument,
  LoginDocument,
  LogoutDocument,
  MeDocument,
  MyPermissionsDocument,
  NodeDocument,
  ResetPasswordDocument,
  TransferAccountDocument,
  UnitsDocument,
  UpdateAccountDocument,
} from '../generated/graphql';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';

let env: TestEnv;
let admin: ApiClient;
let agencyId: string;

beforeAll(async () => {
  env = await startTestEnv();
  admin = await env.as(ADMIN_USERNAME);
  const { units } = await admin.ok(UnitsDocument);
  agencyId = units.find((u) => u.kind === 'AGENCY')!.id;
});
afterAll(() => env.close());

describe('the bootstrap SYSADMIN and a new account', () => {
  it('creates a unit and an account; the account can only change its password until it does, then me works', async () => {
    const { createUnit } = await admin.ok(CreateUnitDocument, { input: { name: 'Phòng Thử nghiệm', shortName: 'PTN', kind: 'DEPARTMENT', parentId: agencyId } });
    expect(createUnit).toMatchObject({ kind: 'DEPARTMENT', keepsRecords: false, parent: { id: agencyId } });

    const { createAccount } = await admin.ok(CreateAccountDocument, {
      input: { username: '  NguyenVanB@SXD.binhdinh.gov.vn ', fullName: 'Nguyễn Văn B', unitId: createUnit.id, roles: ['STAFF'] },
    });
    expect(createAccount.account).toMatchObject({ username: 'nguyenvanb@sxd.binhdinh.gov.vn', mustChangePassword: true, status: 'ACTIVE' });
    expect(createAccount.initialPassword!).toMatch(/^\S{16}$/);

    const person = env.client();
    const { login } = await person.ok(LoginDocument, { username: 'nguyenvanb@sxd.binhdinh.gov.vn', password: createAccount.initialPassword! });
    person.token = login.token;
    expect(login.account.mustChangePassword).toBe(true);
    expect(await person.code(MeDocument)).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(await person.code(UnitsDocument)).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(await person.code(ChangePasswordDocument, { currentPassword: 'wrong-one-1', newPassword: 'Mat-khau-moi-2026' })).toBe('BAD_USER_INPUT');
    expect(await person.code(ChangePasswordDocument, { currentPassword: createAccount.initialPassword!, newPassword: 'short1' })).toBe('BAD_USER_INPUT');
    await person.ok(ChangePasswordDocument, { currentPassword: createAccount.initialPassword!, newPassword: 'Mat-khau-moi-2026' });

    const { me } = await person.ok(MeDocument);
    expect(me).toMatchObject({ username: 'nguyenvanb@sxd.binhdinh.gov.vn', mustChangePassword: false, roles: ['STAFF'], unit: { id: createUnit.id } });
    // The new password works; the initial one does not.
    expect(await env.client().code(LoginDocument, { username: me.username, password: createAccount.initialPassword! })).toBe('UNAUTHENTICATED');
    await env.client().ok(LoginDocument, { username: me.username, password: 'Mat-khau-moi-2026' });
  });

  it('an account made to wait for a password change may still log out', async () => {
    const { createAccount } = await admin.ok(CreateAccountDocument, { input: { username: 'cho.doi@sxd.binhdinh.gov.vn', fullName: 'Chờ Đợi', unitId: agencyId, roles: ['STAFF'] } });
    const person = await env.as('cho.doi@sxd.binhdinh.gov.vn', createAccount.initialPassword!);
    expect((await person.ok(LogoutDocument)).logout).toBe(true);
    expect(await person.code(ChangePasswordDocument, { currentPassword: createAccount.initialPassword!, newPassword: 'Mat-khau-moi-2026' })).toBe('UNAUTHENTICATED');
  });
});

describe('sessions end at once', () => {
  it('disableAccount makes the account’s token fail on the next request, and enableAccount lets it sign in again', async () => {
    const staff = await env.as(DEMO.centreStaff);
    const { me } = await staff.ok(MeDocument);
    const { disableAccount } = await admin.ok(DisableAccountDocument, { id: me.id, reason: 'RESIGNATION' });
    expect(disableAccount).toMatchObject({ status: 'DISABLED', endReason: 'RESIGNATION' });
    const r = await staff.request(MeDocument);
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await env.client().code(LoginDocument, { username: DEMO.centreStaff, password: 'Demo@2026vpdt' })).toBe('UNAUTHENTICATED');
    expect(await admin.code(DisableAccountDocument, { id: me.id, reason: 'OTHER' })).toBe('INVALID_TRANSITION');
    await admin.ok(EnableAccountDocument, { id: me.id });
    const again = await env.as(DEMO.centreStaff);
    await again.ok(MeDocument);
    // The old token stays dead.
    expect(await staff.code(MeDocument)).toBe('UNAUTHENTICATED');
  });

  it('logout ends only the session it was called with', async () => {
    const a = await env.as(DEMO.head);
    const b = await env.as(DEMO.head);
    await a.ok(LogoutDocument);
    expect(await a.code(MeDocument)).toBe('UNAUTHENTICATED');
    await b.ok(MeDocument);
  });

  it('resetPassword ends every session and requires a new password', async () => {
    const staff = await env.as(DEMO.centreHead);
    const { me } = await staff.ok(MeDocument);
    const { resetPassword } = await admin.ok(ResetPasswordDocument, { id: me.id });
    expect(await staff.code(MeDocument)).toBe('UNAUTHENTICATED');
    const fresh = await env.as(DEMO.centreHead, resetPassword);
    expect(await fresh.code(MeDocument)).toBe('PASSWORD_CHANGE_REQUIRED');
  });

  it('a forged or tampered token is refused', async () => {
    const staff = await env.as(DEMO.staff);
    const tampered = staff.token!.slice(0, -2) + (staff.token!.endsWith('AA') ? 'BB' : 'AA');
    expect(await env.client(tampered).code(MeDocument)).toBe('UNAUTHENTICATED');
    expect(await env.client('v1.e30.abc').code(MeDocument)).toBe('UNAUTHENTICATED');
    expect(await env.client().code(MeDocument)).toBe('UNAUTHENTICATED');
  });
});

describe('failed sign-ins are throttled', () => {
  it('20 wrong passwords for one account are throttled while another account still logs in', async () => {
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 20; i++) codes.push(await env.client().code(LoginDocument, { username: DEMO.centreDirector, password: `wrong-${i}` }));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect(codes.slice(5)).toEqual(Array(15).fill('TOO_MANY_ATTEMPTS'));
    // Even the right password is refused while the account is locked.
    expect(await env.client().code(LoginDocument, { username: DEMO.centreDirector, password: 'Demo@2026vpdt' })).toBe('TOO_MANY_ATTEMPTS');
    // Another account from the same address signs in.
    await env.as(DEMO.centreClerk);
    // The state is in PostgreSQL, shared by every server process.
    const rows = await env.sql<{ failures: number }>(`select failures from login_throttle where key = $1`, [`account:${DEMO.centreDirector}`]);
    expect(rows[0].failures).toBeGreaterThanOrEqual(20);
    // When the lock has passed, the right password works again.
    env.clock.set(new Date(Date.now() + 31 * 60_000));
    try {
      const c = env.client();
      expect((await c.request(LoginDocument, { username: DEMO.centreDirector, password: 'Demo@2026vpdt' })).data?.login.token).toBeTruthy();
    } finally {
      env.clock.reset();
    }
  });

  it('a burst of correct sign-ins never locks the account', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => env.client().request(LoginDocument, { username: DEMO.clerk, password: 'Demo@2026vpdt' })));
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((c) => c !== 'OK' && c !== 'TOO_MANY_ATTEMPTS')).toEqual([]);
    expect(codes).toContain('OK');
    const rows = await env.sql<{ locked_until: Date | null }>(`select locked_until from login_throttle where key = $1`, [`account:${DEMO.clerk}`]);
    expect(rows[0]?.locked_until ?? null).toBeNull();
    await env.as(DEMO.clerk);
  });

  it('does not say whether the user name exists', async () => {
    const unknown = await env.client().request(LoginDocument, { username: 'nobody@sxd.binhdinh.gov.vn', password: 'whatever-123' });
    const wrong = await env.client().request(LoginDocument, { username: DEMO.clerk, password: 'whatever-123' });
    expect(unknown.errors?.[0]).toEqual({ ...wrong.errors?.[0] });
  });

  it('aliased logins in one request give no extra tries: every login executed is counted', async () => {
    const fields = Array.from({ length: 8 }, (_, i) => `a${i}: login(username: "${DEMO.centreHead}", password: "bad-${i}") { token }`).join('\n');
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(env.server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `mutation { ${fields} }` }) });
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      codes.push(body.errors[0].extensions.code);
    }
    // login returns a non-null payload, so a refused login ends the request: one attempt each, counted.
    const rows = await env.sql<{ failures: number }>(`select failures from login_throttle where key = $1`, [`account:${DEMO.centreHead}`]);
    expect(rows[0].failures).toBe(6);
    expect(codes).toEqual([...Array(5).fill('UNAUTHENTICATED'), 'TOO_MANY_ATTEMPTS']);
  });
});

describe('administering accounts', () => {
  it('updates roles, transfers with history, and keeps the last SYSADMIN', async () => {
    const { createAccount } = await admin.ok(CreateAccountDocument, { input: { username: 'dieuchuyen@sxd.binhdinh.gov.vn', fullName: 'Điều Chuyển', unitId: agencyId, roles: ['STAFF'] } });
    const id = createAccount.account.id;
    const { updateAccount } = await admin.ok(UpdateAccountDocument, { id, input: { roles: ['STAFF', 'HEAD'], position: 'Phó Trưởng phòng' } });
    expect(updateAccount).toMatchObject({ roles: ['STAFF', 'HEAD'], position: 'Phó Trưởng phòng' });

    const { units } = await admin.ok(UnitsDocument);
    const vp = units.find((u) => u.shortName === 'VP')!;
    await admin.ok(TransferAccountDocument, { id, unitId: vp.id, reason: 'Điều động theo Quyết định số 12/QĐ-SXD' });
    expect(await admin.code(TransferAccountDocument, { id, unitId: vp.id, reason: 'again' })).toBe('BAD_USER_INPUT');
    const periods = await env.sql<{ unit_id: string; ended_at: Date | null }>(
      `select p.unit_id, p.ended_at from account_unit_period p join account a on a.id = p.account_id where a.username = $1 order by p.started_at, p.ended_at nulls last`,
      ['dieuchuyen@sxd.binhdinh.gov.vn'],
    );
    expect(periods).toHaveLength(2);
    expect(periods[0].ended_at).not.toBeNull();
    expect(periods[1].ended_at).toBeNull();

    // Two SYSADMINs exist (the bootstrap one and the demo one): disable one, and the other is the last.
    const { accounts } = await admin.ok(AccountsDocument, { filter: { role: 'SYSADMIN' } });
    expect(accounts.totalCount).toBe(2);
    const demoAdmin = accounts.edges.find((e) => e.node.username === DEMO.sysadmin)!.node;
    const me = (await admin.ok(MeDocument)).me;
    await admin.ok(DisableAccountDocument, { id: demoAdmin.id, reason: 'OTHER' });
    expect(await admin.code(DisableAccountDocument, { id: me.id, reason: 'OTHER' })).toBe('LAST_SYSADMIN');
    // Nobody changes their own roles (GRANT_REFUSED, before the last-SYSADMIN check): the last one stays one either way.
    expect(await admin.code(UpdateAccountDocument, { id: me.id, input: { roles: ['STAFF'] } })).toBe('GRANT_REFUSED');
    expect((await admin.ok(MeDocument)).me.roles).toEqual(['SYSADMIN']);
    await admin.ok(EnableAccountDocument, { id: demoAdmin.id });
    await admin.ok(MeDocument);
  });

  it('pages through the directory with stable cursors and filters', async () => {
    const staff = await env.as(DEMO.staff);
    const seen: string[] = [];
    let after: string | null | undefined = null;
    let total = 0;
    for (;;) {
      const { accounts }: { accounts: { totalCount: number; edges: { node: { username: string } }[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } } } = await staff.ok(
        AccountsDocument,
        { first: 3, after },
      );
      total = accounts.totalCount;
      seen.push(...accounts.edges.map((e) => e.node.username));
      if (!accounts.pageInfo.hasNextPage) break;
      after = accounts.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    expect(await staff.code(AccountsDocument, { first: 101 })).toBe('BAD_USER_INPUT');
    expect(await staff.code(AccountsDocument, { after: 'not-a-cursor' })).toBe('BAD_USER_INPUT');
    const { accounts } = await staff.ok(AccountsDocument, { filter: { text: 'giamdoc' } });
    expect(accounts.edges.map((e) => e.node.username).sort()).toEqual([DEMO.director, DEMO.centreDirector].sort());
  });

  it('shows an account’s last activity only to those who may see it', async () => {
    const staff = await env.as(DEMO.staff);
    const director = await env.as(DEMO.director);
    const filter = { text: DEMO.head };
    await env.as(DEMO.head);
    expect((await staff.ok(AccountsDocument, { filter })).accounts.edges[0].node.lastSeenAt).toBeNull();
    expect((await director.ok(AccountsDocument, { filter })).accounts.edges[0].node.lastSeenAt).not.toBeNull();
    expect((await admin.ok(AccountsDocument, { filter })).accounts.edges[0].node.lastSeenAt).not.toBeNull();
    expect((await staff.ok(MeDocument)).me.lastSeenAt).not.toBeNull();
    // Another keeping unit's director does not see it.
    const centreDirector = await env.as(DEMO.centreDirector).catch(() => null);
    if (centreDirector) expect((await centreDirector.ok(AccountsDocument, { filter })).accounts.edges[0].node.lastSeenAt).toBeNull();
  });

  it('node(id) resolves units and accounts and nothing malformed', async () => {
    const staff = await env.as(DEMO.staff);
    const { me } = await staff.ok(MeDocument);
    expect((await staff.ok(NodeDocument, { id: me.id })).node).toMatchObject({ __typename: 'Account', username: DEMO.staff });
    expect((await staff.ok(NodeDocument, { id: me.unit.id })).node).toMatchObject({ __typename: 'Unit', shortName: 'QLHĐXD' });
    expect((await staff.ok(NodeDocument, { id: 'garbage' })).node).toBeNull();
  });

  it('myPermissions gives the viewer’s rules: SYSADMIN manages accounts, staff does not', async () => {
    const staff = await env.as(DEMO.staff);
    const adminRules = (await admin.ok(MyPermissionsDocument)).myPermissions;
    const staffRules = (await staff.ok(MyPermissionsDocument)).myPermissions;
    expect(adminRules).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'manage', subject: 'Account', inverted: false })]));
    expect(staffRules.some((r) => r.action === 'manage')).toBe(false);
  });
});
