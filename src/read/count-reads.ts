import type { Context } from '../context';
import { countOf, type Where } from './document-reads';
import { runRead } from './run';

/** Several counts of documents in one statement, one sub-select each. */
export async function compiledCounts<K extends string>(ctx: Context, wheres: Array<[K, () => Where]>): Promise<Record<K, number>> {
  const parts = wheres.map(([key, where]) => [key, countOf(ctx, where())] as const);
  const sql = `select ${parts.map(([key, c]) => `(${c.sql}) as "${key}"`).join(', ')}`;
  const [row] = await runRead<Record<K, string | number>>(
    ctx.em,
    sql,
    parts.flatMap(([, c]) => c.params),
  );
  return Object.fromEntries(parts.map(([key]) => [key, Number(row[key])])) as Record<K, number>;
}
