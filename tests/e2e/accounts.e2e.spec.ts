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
import { ADMIN_USERNAME, ApiClient, DEMO, DEMO_PASSWORD, startTestEnv, type TestEnv } from '../helpers/env';

let env: TestEnv;
let admin: ApiClient;
let agencyId: string;

beforeAll(async () => {
  env = await startTestEnv();
  admin = await env.as(ADMIN_USERNAME);
  const { units } = await admin.ok(UnitsDocument);
  agencyId = units.find((u) => u.kind === 'AGENCY')!.id;
});
afterAll(() => env?.close());

describe('the bootstrap SYSADMIN and a new account', () => {
  it('creates a unit and an account; the account can only change its password until it does, then me works', async () => {
    const { createUnit } = await admin.ok(CreateUnitDocument, {
      input: { name: 'Phòng Thử nghiệm', shortName: 'PTN', kind: 'DEPARTMENT', parentId: agencyId },
    });
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
    const { createAccount } = await admin.ok(CreateAccountDocument, {
      input: { username: 'cho.doi@sxd.binhdinh.gov.vn', fullName: 'Chờ Đợi', unitId: agencyId, roles: ['STAFF'] },
    });
    const person = await env.as('cho.doi@sxd.binhdinh.gov.vn', createAccount.initialPassword!);
    expect((await person.ok(LogoutDocument)).logout).toBe(true);
    expect(await person.code(ChangePasswordDocument, { currentPassword: createAccount.initialPassword!, newPassword: 'Mat-khau-moi-2026' })).toBe(
      'UNAUTHENTICATED',
    );
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
  it('20 wrong passwords for one account from one address lock that pair, while another account still logs in', async () => {
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 20; i++) codes.push(await env.client().code(LoginDocument, { username: DEMO.centreDirector, password: `wrong-${i}` }));
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('UNAUTHENTICATED'));
    expect(codes.slice(5)).toEqual(Array(15).fill('TOO_MANY_ATTEMPTS'));
    // Even the right password is refused from this address while the pair is locked.
    expect(await env.client().code(LoginDocument, { username: DEMO.centreDirector, password: 'Demo@2026vpdt' })).toBe('TOO_MANY_ATTEMPTS');
    // Another account from the same address signs in.
    await env.as(DEMO.centreClerk);
    // The state is in PostgreSQL, shared by every server process.
    const rows = await env.sql<{ failures: number }>(`select failures from login_throttle where key = $1`, [`pair:127.0.0.1|${DEMO.centreDirector}`]);
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
    const results = await Promise.all(
      Array.from({ length: 10 }, () => env.client().request(LoginDocument, { username: DEMO.clerk, password: 'Demo@2026vpdt' })),
    );
    const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.filter((c) => c !== 'OK' && c !== 'TOO_MANY_ATTEMPTS')).toEqual([]);
    expect(codes).toContain('OK');
    const rows = await env.sql<{ locked_until: Date | null }>(`select locked_until from login_throttle where key = $1`, [`pair:127.0.0.1|${DEMO.clerk}`]);
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
      const res = await fetch(env.server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `mutation { ${fields} }` }),
      });
      const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
      codes.push(body.errors[0].extensions.code);
    }
    // login returns a non-null payload, so a refused login ends the request: one attempt each, counted.
    const rows = await env.sql<{ failures: number }>(`select failures from login_throttle where key = $1`, [`pair:127.0.0.1|${DEMO.centreHead}`]);
    expect(rows[0].failures).toBe(6);
    expect(codes).toEqual([...Array(5).fill('UNAUTHENTICATED'), 'TOO_MANY_ATTEMPTS']);
  });
});

describe('a stranger who knows a user name cannot keep its owner out', () => {
  // A server of its own, with limits small enough to reach: three failures lock an (account, address)
  // pair, four failures on an account (from any address) start the slow-down with turns far apart
  // (10 min, then doubling), a turn at most 5 s away is waited for, and one address may make 20
  // attempts in the window.
  let own: TestEnv;
  beforeAll(async () => {
    own = await startTestEnv({
      env: {
        LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '3',
        LOGIN_MAX_FAILURES_PER_ACCOUNT: '4',
        LOGIN_MAX_FAILURES_PER_ADDRESS: '20',
        LOGIN_SLOWDOWN_MS: '600000',
        LOGIN_SLOWDOWN_MAX_MS: '3600000',
        LOGIN_MAX_WAIT_MS: '5000',
      },
    });
  });
  afterAll(() => own?.close());

  // The server trusts X-Forwarded-For from loopback (a reverse proxy on the same host): the tests act
  // as different clients through it.
  const from = (address: string) => new ApiClient(own.server.url, undefined, { 'x-forwarded-for': address });
  const login = (address: string, username: string, password: string) => from(address).request(LoginDocument, { username, password });
  const codeOf = (r: Awaited<ReturnType<typeof login>>) => (r.errors?.[0]?.extensions?.code as string | undefined) ?? 'OK';

  it('the owner signs in from another address while an attacker keeps guessing; the attacker stays refused, even with the right password', async () => {
    const attacker = '198.51.100.10';
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(codeOf(await login(attacker, DEMO.sysadmin, `wrong-${i}`)));
    expect(codes).toEqual([...Array(3).fill('UNAUTHENTICATED'), 'TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS']);

    // The attacker goes on guessing while the owner signs in from the office.
    const guessing = (async () => {
      const more: string[] = [];
      for (let i = 0; i < 6; i++) more.push(codeOf(await login(attacker, DEMO.sysadmin, `again-${i}`)));
      return more;
    })();
    const owner = await login('203.0.113.20', DEMO.sysadmin, DEMO_PASSWORD);
    expect(owner.errors).toBeUndefined();
    const me = await new ApiClient(own.server.url, owner.data!.login.token).ok(MeDocument);
    expect(me.me.username).toBe(DEMO.sysadmin);
    expect(await guessing).toEqual(Array(6).fill('TOO_MANY_ATTEMPTS'));

    // From the address that failed, even the right password is refused while its lock lasts.
    expect(codeOf(await login(attacker, DEMO.sysadmin, DEMO_PASSWORD))).toBe('TOO_MANY_ATTEMPTS');
    // The account itself is never locked.
    const rows = await own.sql<{ key: string; locked_until: Date | null }>(`select key, locked_until from login_throttle where key like $1`, [
      `%${DEMO.sysadmin}`,
    ]);
    expect(rows.find((r) => r.key === `account:${DEMO.sysadmin}`)?.locked_until ?? null).toBeNull();
    expect(rows.find((r) => r.key === `pair:${attacker}|${DEMO.sysadmin}`)?.locked_until).not.toBeNull();
  });

  it('guessing one account from many addresses is slowed to one attempt per turn, and the owner still gets in from a clean address', async () => {
    const target = DEMO.centreStaff;
    // Four addresses fail once each: each is an address that had not failed, so none waits.
    for (let i = 1; i <= 4; i++) expect(codeOf(await login(`198.51.100.${30 + i}`, target, `guess-${i}`))).toBe('UNAUTHENTICATED');
    // Past the threshold, addresses that have failed take turns: the first takes the turn that is due now...
    expect(codeOf(await login('198.51.100.31', target, 'guess-5'))).toBe('UNAUTHENTICATED');
    // ...and the next turn is far away, so another address that failed is refused, even with the right password.
    expect(codeOf(await login('198.51.100.32', target, DEMO_PASSWORD))).toBe('TOO_MANY_ATTEMPTS');
    expect(codeOf(await login('198.51.100.33', target, 'guess-6'))).toBe('TOO_MANY_ATTEMPTS');
    // The owner, from an address that has not failed on the account, signs in at once.
    const owner = await login('203.0.113.21', target, DEMO_PASSWORD);
    expect(owner.errors).toBeUndefined();
    expect(owner.data?.login.token).toBeTruthy();
    const [account] = await own.sql<{ failures: number; locked_until: Date | null; next_attempt_at: Date | null }>(
      `select failures, locked_until, next_attempt_at from login_throttle where key = $1`,
      [`account:${target}`],
    );
    expect(account).toMatchObject({ failures: 5, locked_until: null });
    expect(account.next_attempt_at!.getTime()).toBeGreaterThan(Date.now() + 5 * 60_000);
  });

  it('guessing across many accounts from one address is bounded by the address limit', async () => {
    const sprayer = '198.51.100.50';
    const codes: string[] = [];
    for (let i = 0; i < 20; i++) codes.push(codeOf(await login(sprayer, `nguoi${i}@sxd.binhdinh.gov.vn`, 'Matkhau@2026')));
    expect(codes).toEqual(Array(20).fill('UNAUTHENTICATED'));
    // The 21st attempt from that address is refused whatever the account, even with its right password...
    expect(codeOf(await login(sprayer, DEMO.clerk, DEMO_PASSWORD))).toBe('TOO_MANY_ATTEMPTS');
    // ...while the same account signs in from anywhere else.
    expect(codeOf(await login('203.0.113.22', DEMO.clerk, DEMO_PASSWORD))).toBe('OK');
  });

  it('an IPv6 client cannot get fresh attempts by changing the address inside its /64', async () => {
    const codes: string[] = [];
    for (let i = 1; i <= 4; i++) codes.push(codeOf(await login(`2001:db8:5:6::${i.toString(16)}`, DEMO.centreClerk, `wrong-${i}`)));
    expect(codes).toEqual([...Array(3).fill('UNAUTHENTICATED'), 'TOO_MANY_ATTEMPTS']);
    expect(codeOf(await login('2001:db8:5:7::1', DEMO.centreClerk, DEMO_PASSWORD))).toBe('OK');
  });
});

describe('administering accounts', () => {
  it('updates roles, transfers with history, and keeps the last SYSADMIN', async () => {
    const { createAccount } = await admin.ok(CreateAccountDocument, {
      input: { username: 'dieuchuyen@sxd.binhdinh.gov.vn', fullName: 'Điều Chuyển', unitId: agencyId, roles: ['STAFF'] },
    });
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
    let total: number;
    for (;;) {
      const {
        accounts,
      }: { accounts: { totalCount: number; edges: { node: { username: string } }[]; pageInfo: { hasNextPage: boolean; endCursor?: string | null } } } =
        await staff.ok(AccountsDocument, { first: 3, after });
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
    const centreDirector = await env.as(DEMO.centreDirector);
    expect((await centreDirector.ok(AccountsDocument, { filter })).accounts.edges[0].node.lastSeenAt).toBeNull();
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
