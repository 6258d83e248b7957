import type { EntityManager } from '@mikro-orm/postgresql';
import { PermissionChange, PermissionGrant, type Unit } from '../../entities';
import { Role } from '../domain/accounts/account-rules';
import { ConditionKind } from '../domain/permissions/custom-rules';
import { UnitKind } from '../domain/units/unit-rules';

/** The short name that marks an agency's Office (Văn phòng Sở). */
export const OFFICE_SHORT_NAME = 'VP';

export const OFFICE_OVERSIGHT_REASON =
  'Chánh Văn phòng: theo dõi, đôn đốc việc sử dụng Hệ thống của toàn Sở, kể cả các đơn vị trực thuộc (Điều 8.3, Điều 11) — ' +
  'quyền mặc định, quản trị viên có thể gỡ.';

/** Whether a unit is an agency's Office: a department with the Office's short name directly under the agency. */
export function isAgencyOffice(unit: Pick<Unit, 'kind' | 'shortName'>, parentKind: UnitKind | null): boolean {
  return unit.kind === UnitKind.DEPARTMENT && unit.shortName === OFFICE_SHORT_NAME && parentKind === UnitKind.AGENCY;
}

/**
 * The default rule that lets the head of the Office (Chánh Văn phòng) see the backlog, the overdue list
 * and the usage report of the whole agency, its subordinate units included: read Report, OWN_AGENCY,
 * for HEAD in the Office unit. It is an ordinary administrator rule (data, with its history row), so an
 * administrator may remove it or give the same to someone else. Written in the caller's transaction;
 * nothing when the Office already has such a rule in force.
 */
export async function grantOfficeOversight(em: EntityManager, office: Unit, actorId: string, at: Date): Promise<PermissionGrant | null> {
  const rule = { role: Role.HEAD, unit: office.id, action: 'read', subject: 'Report', condition: ConditionKind.OWN_AGENCY, inverted: false };
  const existing = await em.count(PermissionGrant, { ...rule, revokedAt: null });
  if (existing) return null;
  const grant = em.create(PermissionGrant, {
    role: Role.HEAD,
    account: null,
    unit: office,
    action: 'read',
    subject: 'Report',
    condition: ConditionKind.OWN_AGENCY,
    fields: null,
    inverted: false,
    reason: OFFICE_OVERSIGHT_REASON,
    createdBy: actorId,
    createdAt: at,
  });
  em.create(PermissionChange, { rule: grant, change: 'ADDED', actor: actorId, reason: OFFICE_OVERSIGHT_REASON, at });
  return grant;
}
