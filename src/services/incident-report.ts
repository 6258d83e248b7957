import type { EntityManager } from '@mikro-orm/postgresql';
import { officeInstant } from '../domain/time/office-time';
import { idArray } from './oversight-scope';

/** The instants an office year starts and ends at. */
export function officeYearBounds(timeZone: string, year: number): { from: Date; to: Date } {
  return { from: officeInstant(`${year}-01-01`, 0, timeZone), to: officeInstant(`${year + 1}-01-01`, 0, timeZone) };
}

/**
 * How many incidents were reported in an office year (Điều 8.5: the Office gathers the problems met),
 * for the annual usage report: those reported by the given people or from the given units (the
 * report's scope). Also how many of them are closed.
 */
export async function incidentCount(
  em: EntityManager,
  opts: { timeZone: string; year: number; unitIds: readonly string[]; accountIds: readonly string[] },
): Promise<{ reported: number; closed: number }> {
  if (!opts.unitIds.length && !opts.accountIds.length) return { reported: 0, closed: 0 };
  const { from, to } = officeYearBounds(opts.timeZone, opts.year);
  // The id lists travel as two array parameters: the statement's text is the same whatever the scope.
  const rows: Array<{ reported: number; closed: number }> = await em.execute(
    `select count(*)::int as reported, count(*) filter (where state = 'CLOSED')::int as closed
       from incident where reported_at >= ? and reported_at < ? and (reporter_unit_id = any(?::uuid[]) or reporter_id = any(?::uuid[]))`,
    [from, to, idArray(opts.unitIds), idArray(opts.accountIds)],
  );
  return rows[0] ?? { reported: 0, closed: 0 };
}

/**
 * The year's incidents per reporting unit and per reporter, for the usage report's rows (the report's
 * total is {@link incidentCount}): a unit counts what was reported from it, a person what they reported.
 */
export async function incidentsByReporter(
  em: EntityManager,
  opts: { timeZone: string; year: number; unitIds: readonly string[]; accountIds: readonly string[] },
): Promise<{ byUnit: Map<string, number>; byPerson: Map<string, number> }> {
  const { from, to } = officeYearBounds(opts.timeZone, opts.year);
  const count = async (key: 'reporter_unit_id' | 'reporter_id', ids: readonly string[]): Promise<Map<string, number>> => {
    if (!ids.length) return new Map();
    const rows: Array<{ k: string; n: number }> = await em.execute(
      `select ${key} as k, count(*)::int as n from incident where reported_at >= ? and reported_at < ? and ${key} = any(?::uuid[]) group by ${key}`,
      [from, to, idArray(ids)],
    );
    return new Map(rows.map((r) => [r.k, r.n]));
  };
  const [byUnit, byPerson] = await Promise.all([count('reporter_unit_id', opts.unitIds), count('reporter_id', opts.accountIds)]);
  return { byUnit, byPerson };
}
