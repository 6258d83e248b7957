import type { EntityManager } from '@mikro-orm/postgresql';
import { Unit } from '../../entities';
import type { Config } from '../config';
import type { Context } from '../context';
import { UnitKind } from '../domain/units/unit-rules';
import { AppError, ErrorCode } from '../errors';
import { requireViewer } from './guards';

/**
 * One deployment hosts several agencies (a province's departments on one platform): each is a unit of
 * kind AGENCY at the top of its own tree, with its own identifier (mã định danh). Exchange settings,
 * correspondents, registers, dossier codes and reports belong to one agency.
 */

/** An agency this deployment hosts, with the identifier packages and statuses are addressed to. */
export interface HostedAgency {
  unit: Unit;
  organId: string;
}

/**
 * The agencies of this deployment, oldest first, with their identifiers: the unit's own `code`, or, for
 * the first agency without one, ORGAN_ID (unless another agency took that identifier explicitly).
 * An agency without an identifier is not reachable through the exchange.
 */
export async function hostedAgencies(em: EntityManager, config: Pick<Config, 'organId'>): Promise<HostedAgency[]> {
  const units = await em.find(Unit, { kind: UnitKind.AGENCY, parent: null }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  const explicit = new Set(units.map((u) => u.code).filter(Boolean));
  return units.flatMap((unit, i) => {
    const organId = unit.code ?? (i === 0 && !explicit.has(config.organId) ? config.organId : null);
    return organId ? [{ unit, organId }] : [];
  });
}

/** The hosted agency with this identifier, or null. */
export async function agencyByOrganId(em: EntityManager, config: Pick<Config, 'organId'>, organId: string): Promise<HostedAgency | null> {
  return (await hostedAgencies(em, config)).find((a) => a.organId === organId) ?? null;
}

/** The identifier of an agency (by its unit id), or null when it has none. */
export async function organIdOrNull(em: EntityManager, config: Pick<Config, 'organId'>, agencyId: string): Promise<string | null> {
  return (await hostedAgencies(em, config)).find((a) => a.unit.id === agencyId)?.organId ?? null;
}

/** The identifier of an agency (by its unit id); refuses when it has none. */
export async function organIdOf(em: EntityManager, config: Pick<Config, 'organId'>, agencyId: string): Promise<string> {
  const organId = await organIdOrNull(em, config, agencyId);
  if (!organId)
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      'This agency has no identifier (mã định danh): an administrator must set its code (updateUnit) before it uses the exchange or dossier codes.',
      { field: 'code' },
    );
  return organId;
}

/** The agency (top of the tree) a unit belongs to. */
export async function agencyIdOf(em: EntityManager, unitId: string): Promise<string> {
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `with recursive up as (select id, parent_id, 0 as depth from unit where id = ?
                           union all select u.id, u.parent_id, up.depth + 1 from unit u join up on u.id = up.parent_id where up.depth < 10)
     select id from up where parent_id is null limit 1`,
    [unitId],
    'all',
    em.getTransactionContext(),
  );
  if (!rows[0]) throw new AppError(ErrorCode.NOT_FOUND, 'The unit belongs to no agency.');
  return rows[0].id;
}

/** Every unit of an agency's tree (the agency, its subordinate units, their departments). */
export async function unitsOfAgency(em: EntityManager, agencyId: string): Promise<string[]> {
  const rows = await em
    .getConnection()
    .execute<{ id: string }[]>(
      `with recursive down as (select id, 0 as depth from unit where id = ? union all select u.id, down.depth + 1 from unit u join down on u.parent_id = down.id where down.depth < 10) select id from down`,
      [agencyId],
      'all',
      em.getTransactionContext(),
    );
  return rows.map((r) => r.id);
}

const viewerAgencies = new WeakMap<Context, { keepingUnitId: string; agencyId: Promise<string> }>();

/** The agency of the signed-in account's unit: what its exchange settings and correspondents belong to. */
export function viewerAgencyId(ctx: Context): Promise<string> {
  const viewer = requireViewer(ctx);
  let known = viewerAgencies.get(ctx);
  if (!known || known.keepingUnitId !== viewer.keepingUnitId) {
    known = { keepingUnitId: viewer.keepingUnitId, agencyId: agencyIdOf(ctx.em, viewer.keepingUnitId) };
    viewerAgencies.set(ctx, known);
  }
  return known.agencyId;
}
