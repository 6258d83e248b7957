import {
  AccountsDocument,
  CreateAccountDocument,
  CreateCorrespondentDocument,
  CreateUnitDocument,
  DisableAccountDocument,
  EnableAccountDocument,
  MeDocument,
  ResetPasswordDocument,
  TransferAccountDocument,
  UnitsDocument,
  UpdateAccountDocument,
  UpdateUnitDocument,
} from '../generated/graphql';
import { ADMIN_USERNAME, DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { snapshot } from '../helpers/snapshot';
import legacy from '../../src/seed/data/legacy-encoding.json';

let env: TestEnv;
let admin: ApiClient;
let units: { id: string; shortName: string; kind: string }[];
let someAccountId: string;

beforeAll(async () => {
  env = await startTestEnv();
  admin = await env.as(ADMIN_USERNAME);
  units = (await admin.ok(UnitsDocument)).units;
  someAccountId = (await admin.ok(AccountsDocument, { filter: { text: DEMO.staff } })).accounts.edges[0].node.id;
});
afterAll(() => env?.close());

const unit = (shortName: string) => units.find((u) => u.shortName === shortName)!.id;

describe('SYSADMIN-only mutations', () => {
  const roles = [
    ['DIRECTOR', DEMO.director],
    ['CLERK', DEMO.clerk],
    ['HEAD', DEMO.head],
    ['STAFF', DEMO.staff],
    ['centre DIRECTOR', DEMO.centreDirector],
  ] as const;

  it.each(roles)('answer FORBIDDEN to %s and change nothing', async (_role, username) => {
    const c = await env.as(username);
    const before = await snapshot(env);
    const attempts = [
      c.code(CreateUnitDocument, { input: { name: 'Phòng Mới', shortName: 'PM', kind: 'DEPARTMENT', parentId: unit('SXD') } }),
      c.code(UpdateUnitDocument, { id: unit('VP'), input: { name: 'Đổi tên' } }),
      c.code(CreateAccountDocument, { input: { username: 'moi@sxd.binhdinh.gov.vn', fullName: 'Người Mới', unitId: unit('VP'), roles: ['STAFF'] } }),
      c.code(UpdateAccountDocument, { id: someAccountId, input: { roles: ['DIRECTOR'] } }),
      c.code(TransferAccountDocument, { id: someAccountId, unitId: unit('VP'), reason: 'thử' }),
      c.code(DisableAccountDocument, { id: someAccountId, reason: 'OTHER' }),
      c.code(EnableAccountDocument, { id: someAccountId }),
      c.code(ResetPasswordDocument, { id: someAccountId }),
    ];
    expect(await Promise.all(attempts)).toEqual(Array(attempts.length).fill('FORBIDDEN'));
    expect(await snapshot(env)).toEqual(before);
  });

  it('answer UNAUTHENTICATED without a token', async () => {
    const before = await snapshot(env);
    expect(await env.client().code(CreateUnitDocument, { input: { name: 'Phòng Mới', shortName: 'PM', kind: 'DEPARTMENT', parentId: unit('SXD') } })).toBe(
      'UNAUTHENTICATED',
    );
    expect(await env.client().code(ResetPasswordDocument, { id: someAccountId })).toBe('UNAUTHENTICATED');
    expect(await snapshot(env)).toEqual(before);
  });

  it('createCorrespondent is for CLERK and SYSADMIN only', async () => {
    const staff = await env.as(DEMO.staff);
    expect(await staff.code(CreateCorrespondentDocument, { input: { name: 'Sở Y tế tỉnh Bình Định' } })).toBe('FORBIDDEN');
    const clerk = await env.as(DEMO.clerk);
    await clerk.ok(CreateCorrespondentDocument, { input: { name: 'Sở Y tế tỉnh Bình Định', organId: '000.00.21.H08' } });
    expect(await admin.code(CreateCorrespondentDocument, { input: { name: 'Trùng mã', organId: '000.00.21.H08' } })).toBe('ALREADY_EXISTS');
  });
});

describe('bad inputs are refused with their code and store nothing', () => {
  const cases: Array<[string, () => Promise<string | undefined>, string]> = [
    [
      'a malformed e-mail',
      () => admin.code(CreateAccountDocument, { input: { username: 'not-an-email', fullName: 'A', unitId: unit('VP'), roles: ['STAFF'] } }),
      'BAD_USER_INPUT',
    ],
    [
      'an e-mail with spaces inside',
      () => admin.code(CreateAccountDocument, { input: { username: 'a b@sxd.binhdinh.gov.vn', fullName: 'A', unitId: unit('VP'), roles: ['STAFF'] } }),
      'BAD_USER_INPUT',
    ],
    [
      'a duplicate user name in another case',
      () => admin.code(CreateAccountDocument, { input: { username: DEMO.staff.toUpperCase(), fullName: 'Trùng', unitId: unit('VP'), roles: ['STAFF'] } }),
      'ALREADY_EXISTS',
    ],
    [
      'an unknown unit',
      () =>
        admin.code(CreateAccountDocument, {
          input: {
            username: 'x1@sxd.binhdinh.gov.vn',
            fullName: 'X',
            unitId: Buffer.from('Unit:00000000-0000-4000-8000-000000000000').toString('base64url'),
            roles: ['STAFF'],
          },
        }),
      'NOT_FOUND',
    ],
    [
      'a malformed unit id',
      () => admin.code(CreateAccountDocument, { input: { username: 'x2@sxd.binhdinh.gov.vn', fullName: 'X', unitId: 'zzz', roles: ['STAFF'] } }),
      'BAD_USER_INPUT',
    ],
    [
      'an account id given as a unit id',
      () => admin.code(CreateAccountDocument, { input: { username: 'x3@sxd.binhdinh.gov.vn', fullName: 'X', unitId: someAccountId, roles: ['STAFF'] } }),
      'BAD_USER_INPUT',
    ],
    [
      'no roles',
      () => admin.code(CreateAccountDocument, { input: { username: 'x4@sxd.binhdinh.gov.vn', fullName: 'X', unitId: unit('VP'), roles: [] } }),
      'BAD_USER_INPUT',
    ],
    [
      'a DEPARTMENT placed under a DEPARTMENT',
      () => admin.code(CreateUnitDocument, { input: { name: 'Tổ con', shortName: 'TC', kind: 'DEPARTMENT', parentId: unit('VP') } }),
      'BAD_USER_INPUT',
    ],
    ['a DEPARTMENT with no parent', () => admin.code(CreateUnitDocument, { input: { name: 'Mồ côi', shortName: 'MC', kind: 'DEPARTMENT' } }), 'BAD_USER_INPUT'],
    [
      'a SUBORDINATE under a SUBORDINATE',
      () => admin.code(CreateUnitDocument, { input: { name: 'Trung tâm con', shortName: 'TTC', kind: 'SUBORDINATE', parentId: unit('TTQHKĐ') } }),
      'BAD_USER_INPUT',
    ],
    [
      'a short name with a separator',
      () => admin.code(CreateUnitDocument, { input: { name: 'Phòng A', shortName: 'P-A', kind: 'DEPARTMENT', parentId: unit('SXD') } }),
      'BAD_USER_INPUT',
    ],
    [
      'a malformed agency identifier',
      () => admin.code(CreateUnitDocument, { input: { name: 'Phòng A', shortName: 'PA', kind: 'DEPARTMENT', parentId: unit('SXD'), code: '123' } }),
      'BAD_USER_INPUT',
    ],
    ['a unit moved under itself', () => admin.code(UpdateUnitDocument, { id: unit('TTQHKĐ'), input: { parentId: unit('TTQHKĐ') } }), 'BAD_USER_INPUT'],
    [
      'TCVN3 text in a name',
      () =>
        admin.code(CreateAccountDocument, { input: { username: 'x5@sxd.binhdinh.gov.vn', fullName: legacy[0].text, unitId: unit('VP'), roles: ['STAFF'] } }),
      'LEGACY_ENCODING_REFUSED',
    ],
    [
      'VNI text in a unit name',
      () => admin.code(CreateUnitDocument, { input: { name: legacy[3].text, shortName: 'VNI', kind: 'DEPARTMENT', parentId: unit('SXD') } }),
      'LEGACY_ENCODING_REFUSED',
    ],
    [
      'TCVN3 text in a transfer reason',
      () => admin.code(TransferAccountDocument, { id: someAccountId, unitId: unit('VP'), reason: legacy[2].text }),
      'LEGACY_ENCODING_REFUSED',
    ],
    [
      'a 100 kB full name',
      () =>
        admin.code(CreateAccountDocument, {
          input: { username: 'x6@sxd.binhdinh.gov.vn', fullName: 'Nguyễn '.repeat(15000), unitId: unit('VP'), roles: ['STAFF'] },
        }),
      'BAD_USER_INPUT',
    ],
    ['a 100 kB reason', () => admin.code(TransferAccountDocument, { id: someAccountId, unitId: unit('VP'), reason: 'x'.repeat(100_000) }), 'BAD_USER_INPUT'],
    [
      'a 100 kB user name',
      () => admin.code(CreateAccountDocument, { input: { username: 'a'.repeat(100_000) + '@x.vn', fullName: 'X', unitId: unit('VP'), roles: ['STAFF'] } }),
      'BAD_USER_INPUT',
    ],
    [
      'control characters',
      () => admin.code(CreateUnitDocument, { input: { name: 'Phòng\u0000A', shortName: 'PA', kind: 'DEPARTMENT', parentId: unit('SXD') } }),
      'BAD_USER_INPUT',
    ],
    [
      'an unknown account',
      () => admin.code(DisableAccountDocument, { id: Buffer.from('Account:00000000-0000-4000-8000-000000000000').toString('base64url'), reason: 'OTHER' }),
      'NOT_FOUND',
    ],
  ];

  it.each(cases)('%s', async (_name, attempt, code) => {
    const before = await snapshot(env);
    expect(await attempt()).toBe(code);
    expect(await snapshot(env)).toEqual(before);
  });

  it('stores text as trimmed NFC', async () => {
    const decomposed = '  Phòng Thí nghiệm  '.normalize('NFD');
    const { createUnit } = await admin.ok(CreateUnitDocument, { input: { name: decomposed, shortName: 'PTN', kind: 'DEPARTMENT', parentId: unit('SXD') } });
    expect(createUnit.name).toBe('Phòng Thí nghiệm'.normalize('NFC'));
    const rows = await env.sql<{ name: string }>(`select name from unit where short_name = 'PTN'`);
    expect(rows[0].name).toBe('Phòng Thí nghiệm'.normalize('NFC'));
  });

  it('errors carry no stack trace or SQL', async () => {
    const r = await admin.request(CreateAccountDocument, { input: { username: DEMO.staff, fullName: 'Trùng', unitId: unit('VP'), roles: ['STAFF'] } });
    const text = JSON.stringify(r.errors);
    expect(text).not.toMatch(/stacktrace|select |insert |constraint|unique|\.ts:|node_modules/i);
    const me = await admin.ok(MeDocument);
    expect(me.me.username).toBe(ADMIN_USERNAME);
  });
});
