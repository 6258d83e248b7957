import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Direction } from '../domain/documents/document-enums';

/**
 * Takes the next number of a register inside the caller's transaction. The register's counter row
 * stays locked until that transaction ends: concurrent registrations queue on it, and a transaction
 * that fails half-way gives its number back by rolling back. No sequence is used, since a sequence
 * keeps the numbers of failed transactions and leaves gaps.
 */
export async function takeNumber(
  em: EntityManager,
  keepingUnitId: string,
  direction: Direction,
  year: number,
): Promise<{ registerId: string; number: number }> {
  await em.execute(
    `insert into register (id, keeping_unit_id, direction, year, last_number, created_at)
     values (?, ?, ?, ?, 0, now()) on conflict (keeping_unit_id, direction, year) do nothing`,
    [randomUUID(), keepingUnitId, direction, year],
  );
  const rows: Array<{ id: string; last_number: number }> = await em.execute(
    `update register set last_number = last_number + 1 where keeping_unit_id = ? and direction = ? and year = ? returning id, last_number`,
    [keepingUnitId, direction, year],
  );
  return { registerId: rows[0].id, number: rows[0].last_number };
}
