import {
  DOCUMENT_ROLES,
  Role,
  generateInitialPassword,
  normaliseUsername,
  passwordProblem,
  roleCombinationProblem,
  sameRoles,
  selfGrantProblem,
} from '../../src/domain/accounts/account-rules';

describe('user names', () => {
  it.each([
    ['NguyenVanA@SXD.BinhDinh.gov.vn', 'nguyenvana@sxd.binhdinh.gov.vn'],
    ['  a.b-c@x.vn ', 'a.b-c@x.vn'],
  ])('%s is the address %s', (raw, expected) => expect(normaliseUsername(raw)).toBe(expected));

  it.each(['plain', 'a@b', '@x.vn', 'a b@x.vn', 'a..b@x.vn', 'a@-x.vn', 'x'.repeat(250) + '@x.vn'])('%s is not an e-mail address', (raw) =>
    expect(normaliseUsername(raw)).toBeNull(),
  );
});

describe('passwords', () => {
  it('needs length, letters and digits, and not the user name', () => {
    expect(passwordProblem('short1', 'a@x.vn')).toMatch(/at least/);
    expect(passwordProblem('onlyletters-here', 'a@x.vn')).toMatch(/letters and digits/);
    expect(passwordProblem('nguyenvana2026', 'nguyenvana@x.vn')).toMatch(/user name/);
    expect(passwordProblem('Mat-khau-moi-2026', 'nguyenvana@x.vn')).toBeNull();
  });

  it('generates initial passwords that pass the policy and differ each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generateInitialPassword();
      expect(p).toHaveLength(16);
      expect(passwordProblem(p, 'someone@x.vn')).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });
});

describe('separation of duties (Điều 6.3)', () => {
  it.each(DOCUMENT_ROLES.map((r) => [r]))('SYSADMIN with %s is refused, naming the role', (role) => {
    expect(roleCombinationProblem([Role.SYSADMIN, role])).toContain(role);
    expect(roleCombinationProblem([role, Role.SYSADMIN])).toContain(role);
  });

  it.each([[[Role.SYSADMIN]], [[Role.DIRECTOR]], [[Role.CLERK, Role.STAFF]], [[Role.HEAD, Role.STAFF]], [[Role.DIRECTOR, Role.CLERK, Role.HEAD, Role.STAFF]]])(
    '%j is allowed',
    (roles) => {
      expect(roleCombinationProblem(roles)).toBeNull();
    },
  );

  it('nobody changes their own roles or rights; anybody else may be changed', () => {
    expect(selfGrantProblem('a', 'a')).toMatch(/own roles/);
    expect(selfGrantProblem('a', 'b')).toBeNull();
    expect(selfGrantProblem(undefined, 'b')).toBeNull();
  });

  it('compares roles as sets', () => {
    expect(sameRoles([Role.CLERK, Role.STAFF], [Role.STAFF, Role.CLERK])).toBe(true);
    expect(sameRoles([Role.SYSADMIN], [Role.SYSADMIN, Role.DIRECTOR])).toBe(false);
    expect(sameRoles([Role.SYSADMIN, Role.DIRECTOR], [Role.SYSADMIN, Role.CLERK])).toBe(false);
  });
});
