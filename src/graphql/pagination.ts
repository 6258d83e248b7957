import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { RawQueryFragment, type EntityName } from '@mikro-orm/core';
import { badInput } from '../errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** Checks `first`: at most 100 a page. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0) throw badInput('first must be a whole number from 0 to 100.', 'first');
  if (first > MAX_PAGE_SIZE) throw badInput(`first may be at most ${MAX_PAGE_SIZE}; ask for the next page with after.`, 'first');
  return first;
}

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): unknown[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity && values.every((v) => typeof v === 'string' || typeof v === 'number')) return values;
  } catch {
    /* fall through */
  }
  throw badInput('after is not a cursor this list gave out. Start again from the first page.', 'after');
}

/**
 * A Relay page of `entity` under `where`, in the stable order of `key` then `id` (keyset pagination:
 * no page skips or repeats a row when rows are added meanwhile).
 */
export async function paginate<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  opts: { key: keyof T & string; first?: number | null; after?: string | null; direction?: 'asc' | 'desc' },
): Promise<Page<T>> {
  const size = pageSize(opts.first);
  const key = opts.key;
  const dir = opts.direction ?? 'asc';
  const op = dir === 'asc' ? '$gt' : '$lt';
  let pageWhere = where;
  if (opts.after) {
    const [k, id] = decodeCursor(opts.after, 2);
    pageWhere = { $and: [where, { $or: [{ [key]: { [op]: k } }, { [key]: k, id: { [op]: id } }] }] } as FilterQuery<T>;
  }
  // One filter, two statements: raw fragments in it (src/repositories/membership-filter.ts) stay known until both are built.
  const [rows, totalCount] = await RawQueryFragment.run(() =>
    Promise.all([
      size === 0 ? Promise.resolve([] as T[]) : em.find(entity, pageWhere, { orderBy: { [key]: dir, id: dir } as never, limit: size + 1 }),
      em.count(entity, where),
    ]),
  );
  const hasNextPage = rows.length > size;
  const cursorValue = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | number));
  const edges = rows.slice(0, size).map((node) => ({ node, cursor: encodeCursor([cursorValue(node[key]), node.id]) }));
  return { edges, pageInfo: { hasNextPage, endCursor: edges.length ? edges[edges.length - 1].cursor : null }, totalCount };
}
