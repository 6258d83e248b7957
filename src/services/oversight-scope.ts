import { subject } from '@casl/ability';
import { Account, Unit } from '../../entities';
import type { Context } from '../context';
import { AccountStatus } from '../domain/accounts/account-rules';
import { forbidden } from '../errors';
import { keyOf } from '../graphql/global-id';
import { requireViewer } from './guards';
import { unitsOfAgency, viewerAgencyId } from './agencies';

/** The units and people whose figures the viewer may see (Điều 7.2, 8.3, 11). */
export interface OversightScope {
  units: Unit[];
  people: Account[];
}

/** A list of ids as one PostgreSQL array parameter (`= any(?::uuid[])`): no SQL is built from the ids. */
export function idArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}

/**
 * Whose figures the viewer may see, from the Report rules: the agency's director and (by a default rule
 * an administrator may change) the head of the Office see every unit of the agency, subordinate units
 * and their departments included; a subordinate unit's director its unit; heads their department; staff
 * themselves; SYSADMIN figures of its agency but never document content. Reports never cross agencies.
 * With `unitId`: that unit and the units under it, as far as the viewer may see them.
 */
export async function oversightScope(ctx: Context, unitId?: string | null): Promise<OversightScope> {
  const viewer = requireViewer(ctx);
  const agencyId = await viewerAgencyId(ctx);
  const all = await ctx.em.find(Unit, { id: { $in: await unitsOfAgency(ctx.em, agencyId) } }, { orderBy: { name: 'asc' } });
  const canUnit = (u: Unit) => ctx.ability.can('read', subject('Report', { unit: u.id, agency: agencyId, account: null }) as never);
  let units = all.filter(canUnit);
  if (unitId) {
    const wanted = keyOf('Unit', unitId, 'unitId');
    const target = all.find((u) => u.id === wanted);
    if (!target || (!canUnit(target) && target.id !== viewer.unitId)) throw forbidden('You may not see the figures of this unit.');
    const under = new Set([wanted]);
    // Up to two levels below (a subordinate unit and its departments).
    for (let grew = true; grew;) {
      grew = false;
      for (const u of all) {
        if (u.parent && under.has(u.parent.id) && !under.has(u.id)) {
          under.add(u.id);
          grew = true;
        }
      }
    }
    units = all.filter((u) => under.has(u.id) && canUnit(u));
  }
  const unitIds = units.map((u) => u.id);
  const self = ctx.ability.can('read', subject('Report', { unit: null, agency: null, account: viewer.accountId }) as never);
  const people = await ctx.em.find(
    Account,
    { status: AccountStatus.ACTIVE, $or: [{ unit: { $in: unitIds } }, ...(self ? [{ id: viewer.accountId }] : [])] },
    { orderBy: { fullName: 'asc' } },
  );
  return { units, people };
}
