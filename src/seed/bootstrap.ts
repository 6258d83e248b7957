import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, AccountEvent, AccountUnitPeriod, Correspondent, Unit } from '../../entities';
import { AccountStatus, Role } from '../domain/accounts/account-rules';
import { positionOfTitle } from '../domain/signing/positions';
import { UnitKind, keepsRecords } from '../domain/units/unit-rules';
import { grantOfficeOversight } from '../services/office-oversight';
import type { PasswordHasher } from '../services/passwords';
import organisation from './data/organisation.json';

/** The password of every demo account, printed at start and in the README. Never used in production. */
export const DEMO_PASSWORD = 'Demo@2026vpdt';
const DOMAIN = 'sxd.binhdinh.gov.vn';

async function agency(em: EntityManager): Promise<Unit> {
  const existing = await em.findOne(Unit, { kind: UnitKind.AGENCY }, { orderBy: { createdAt: 'asc' } });
  if (existing) return existing;
  const unit = em.create(Unit, {
    name: organisation.agency.name,
    shortName: organisation.agency.shortName,
    kind: UnitKind.AGENCY,
    keepsRecords: true,
    code: null,
  });
  await em.flush();
  return unit;
}

async function addAccount(
  em: EntityManager,
  hash: string,
  unit: Unit,
  username: string,
  fullName: string,
  position: string,
  roles: Role[],
  mustChangePassword: boolean,
) {
  if (await em.count(Account, { username })) return;
  const positionCode = positionOfTitle(position);
  const account = em.create(Account, { username, fullName, position, positionCode, unit, roles, passwordHash: hash, mustChangePassword });
  em.create(AccountUnitPeriod, { account, unit, reason: 'Account created at boot' });
  em.create(AccountEvent, { account, type: 'CREATED', detail: { unitId: unit.id, roles, by: 'boot' } });
}

/**
 * Creates the first SYSADMIN from ADMIN_USERNAME / ADMIN_PASSWORD when no active SYSADMIN exists.
 * On an empty tree it also creates the agency, since every account belongs to one unit.
 */
export async function ensureFirstSysadmin(em: EntityManager, hasher: PasswordHasher, username: string, password: string): Promise<boolean> {
  return em.transactional(async (tem) => {
    await tem.execute('select pg_advisory_xact_lock(727001)');
    const admins = await tem.count(Account, { status: AccountStatus.ACTIVE, roles: { $contains: [Role.SYSADMIN] } });
    if (admins > 0) return false;
    const unit = await agency(tem);
    await addAccount(tem, await hasher.hash(password), unit, username, 'Quản trị hệ thống', 'Quản trị hệ thống', [Role.SYSADMIN], false);
    return true;
  });
}

export interface DemoAccount {
  username: string;
  roles: Role[];
  unit: string;
}

/**
 * The demo organisation: the Sở Xây dựng Bình Định tree, its correspondents, and one account per role
 * in the agency and in one centre, all with {@link DEMO_PASSWORD}. Safe to run twice.
 */
export async function loadDemoData(em: EntityManager, hasher: PasswordHasher): Promise<DemoAccount[]> {
  const hash = await hasher.hash(DEMO_PASSWORD);
  return em.transactional(async (tem) => {
    await tem.execute('select pg_advisory_xact_lock(727002)');
    const root = await agency(tem);
    const child = async (name: string, shortName: string, kind: UnitKind, parent: Unit) =>
      (await tem.findOne(Unit, { parent, shortName })) ?? tem.create(Unit, { name, shortName, kind, parent, keepsRecords: keepsRecords(kind), code: null });
    const departments: Record<string, Unit> = {};
    for (const d of organisation.departments) departments[d.shortName] = await child(d.name, d.shortName, UnitKind.DEPARTMENT, root);
    const centres: Unit[] = [];
    for (const s of organisation.subordinateUnits) centres.push(await child(s.name, s.shortName, UnitKind.SUBORDINATE, root));
    const centreDept = await child('Phòng Kiểm định chất lượng', 'KĐCL', UnitKind.DEPARTMENT, centres[0]);
    for (const c of organisation.correspondents) {
      if (!(await tem.count(Correspondent, { agency: root, name: c.name })))
        tem.create(Correspondent, { agency: root, name: c.name, shortName: c.shortName, organId: null });
    }
    await tem.flush();

    const qlhdxd = departments['QLHĐXD'];
    const vp = departments['VP'];
    const plan: Array<[string, string, string, Role[], Unit]> = [
      [`giamdoc@${DOMAIN}`, 'Nguyễn Văn Minh', 'Giám đốc', [Role.DIRECTOR], root],
      [`vanthu@${DOMAIN}`, 'Trần Thị Lan', 'Văn thư', [Role.CLERK, Role.STAFF], vp],
      [`chanhvanphong@${DOMAIN}`, 'Đỗ Thị Hạnh', 'Chánh Văn phòng', [Role.HEAD, Role.STAFF], vp],
      [`truongphong.qlhdxd@${DOMAIN}`, 'Lê Văn Hùng', 'Trưởng phòng', [Role.HEAD, Role.STAFF], qlhdxd],
      [`chuyenvien.qlhdxd@${DOMAIN}`, 'Phạm Thị Hoa', 'Chuyên viên', [Role.STAFF], qlhdxd],
      [`quantri@${DOMAIN}`, 'Võ Đức Tài', 'Quản trị hệ thống', [Role.SYSADMIN], vp],
      [`giamdoc.ttqhkd@${DOMAIN}`, 'Đặng Văn Sơn', 'Giám đốc', [Role.DIRECTOR], centres[0]],
      [`vanthu.ttqhkd@${DOMAIN}`, 'Huỳnh Thị Mai', 'Văn thư', [Role.CLERK, Role.STAFF], centres[0]],
      [`truongphong.ttqhkd@${DOMAIN}`, 'Bùi Văn Nam', 'Trưởng phòng', [Role.HEAD, Role.STAFF], centreDept],
      [`chuyenvien.ttqhkd@${DOMAIN}`, 'Ngô Thị Thu', 'Chuyên viên', [Role.STAFF], centreDept],
    ];
    for (const [username, fullName, position, roles, unit] of plan) await addAccount(tem, hash, unit, username, fullName, position, roles, false);
    // The head of the Office oversees the whole agency by default: a rule the administrator may remove.
    await tem.flush();
    const admin = await tem.findOneOrFail(Account, { username: `quantri@${DOMAIN}` });
    await grantOfficeOversight(tem, vp, admin.id, new Date());
    return plan.map(([username, , , roles, unit]) => ({ username, roles, unit: unit.name }));
  });
}
