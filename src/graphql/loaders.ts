import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, Unit } from '../../entities';

/** Per-request batching of the lookups nested fields make, so a page of 50 costs what a page of 5 does. */
export interface Loaders {
  unit: DataLoader<string, Unit | null>;
  account: DataLoader<string, Account | null>;
  childUnits: DataLoader<string, Unit[]>;
}

function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

export function createLoaders(em: EntityManager): Loaders {
  return {
    unit: new DataLoader(async (ids) => byId(await em.find(Unit, { id: { $in: [...ids] } }), ids)),
    account: new DataLoader(async (ids) => byId(await em.find(Account, { id: { $in: [...ids] } }), ids)),
    childUnits: new DataLoader(async (ids) => {
      const rows = await em.find(Unit, { parent: { $in: [...ids] } }, { orderBy: { name: 'asc' } });
      return ids.map((id) => rows.filter((u) => u.parent?.id === id));
    }),
  };
}
