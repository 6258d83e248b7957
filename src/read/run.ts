import { createHash } from 'node:crypto';
import { RawQueryFragment } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * How a compiled read reaches PostgreSQL. Its text holds `?` placeholders and its values travel apart
 * (never formatted into the text, as `em.execute` does), under a name derived from the text: each
 * connection parses a statement once and PostgreSQL may keep its plan, so the same read with another
 * viewer, page or view costs only its execution. The text depends on the selection and the shape of
 * the filter, not on their values, so there are few of them; past `MAX_NAMED` distinct texts the rest
 * run unnamed (parsed each time), so no request can make the server prepare without bound. The
 * statement goes through the ORM's connection (its pool, its transaction when there is one, its
 * query rewrite and its query log, which the statement-count tests read).
 */

const MAX_NAMED = 300;
const names = new Map<string, string>();

function nameOf(text: string): string | undefined {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `read_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

interface LoggingConnection {
  executeQuery<T>(query: string, cb: () => Promise<T>, context?: Record<string, unknown>): Promise<T>;
}

/** A pooled connection of the `pg` driver, as the ORM's pool hands it out. */
interface PgConnection {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

interface PoolClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
  positionBindings(sql: string): string;
}

/** Statement texts with knex's `?` placeholders turned into PostgreSQL's `$n`, by knex's own rule. */
const positioned = new Map<string, string>();

export async function runRead<T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const connection = em.getConnection();
  const text = em.config.get('onQuery')(sql, params);
  const name = nameOf(text);
  const knex = connection.getKnex();
  const trx = em.getTransactionContext();
  return (connection as unknown as LoggingConnection).executeQuery(
    text,
    async () => {
      // Outside a transaction, and with only scalar values (knex spreads an array value into a list), the
      // statement goes straight to a pooled connection of the driver: knex's query runner costs more CPU
      // than the driver itself. Same pool, same connection limits, same errors.
      if (!trx && name && !params.some((p) => Array.isArray(p))) {
        const client = knex.client as unknown as PoolClient;
        let pgText = positioned.get(text);
        if (pgText === undefined) {
          pgText = client.positionBindings(text);
          if (positioned.size < MAX_NAMED) positioned.set(text, pgText);
        }
        const pg = await client.acquireConnection();
        try {
          return (await pg.query({ name, text: pgText, values: params })).rows as T[];
        } finally {
          void client.releaseConnection(pg);
        }
      }
      const query = knex.raw(text, params as never[]);
      if (name) query.options({ name });
      if (trx) query.transacting(trx);
      return ((await query) as unknown as { rows: T[] }).rows;
    },
    { query: text, params },
  );
}

/**
 * Renderings of filters by the ORM's QueryBuilder, kept by the filter's value: rendering a permission
 * filter (criteria processing, joins, aliasing) costs more CPU than the read it belongs to, and the
 * same viewer asks the same filter again and again. A filter is plain data (ids, states, dates), so
 * its JSON, with instants and `undefined` marked, identifies its rendering; the oldest go first.
 */
const MAX_RENDERINGS = 2000;
const renderings = new Map<string, { sql: string; params: unknown[] }>();

/**
 * A filter's value as a key. A raw SQL fragment in it (the membership EXISTS of
 * src/repositories/membership-filter.ts) sits under a key unique to the fragment (`[raw]: sql (#n)`):
 * it is named by its SQL and parameters instead, so that equal filters give equal keys, and the
 * fragments met are listed in `raws`.
 */
function keyOf(value: unknown, raws: string[] = []): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, k, v: unknown) {
    const original = this[k];
    if (original instanceof Date) return { $date: original.getTime() };
    if (v === undefined) return { $undefined: true };
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).some((key) => key.startsWith('[raw]: '))) {
      const named: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(v)) {
        const fragment = key.startsWith('[raw]: ') ? RawQueryFragment.getKnownFragment(key, false) : undefined;
        if (fragment) raws.push(key);
        named[fragment ? `[raw]: ${fragment.sql} ${keyOf(fragment.params)}` : key] = inner;
      }
      return named;
    }
    return v;
  });
}

export function rendered(parts: unknown[], render: () => { sql: string; params: unknown[] }): { sql: string; params: unknown[] } {
  const raws: string[] = [];
  const key = keyOf(parts, raws);
  const hit = renderings.get(key);
  if (hit) {
    renderings.delete(key);
    renderings.set(key, hit);
    // The fragments are not rendered this time: released as rendering them would have released them.
    for (const raw of raws) RawQueryFragment.remove(raw);
    return hit;
  }
  const made = render();
  renderings.set(key, made);
  if (renderings.size > MAX_RENDERINGS) renderings.delete(renderings.keys().next().value as string);
  return made;
}
