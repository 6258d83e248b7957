import type { FilterQuery } from '@mikro-orm/core';
import type { QBFilterQuery, QueryBuilder } from '@mikro-orm/postgresql';
import type { GraphQLResolveInfo } from 'graphql';
import { Document } from '../../entities';
import type { Context } from '../context';
import { decodeCursor, encodeCursor, pageSize, type Page } from '../graphql/pagination';
import { parseCompiled, type Compiled } from './compiled';
import { documentJson } from './document-sql';
import { NotAnsweredInSql, RawJson, connectionAsked, planned, rawStatement, responseScope } from './raw';
import { connectionJson, documentObjectJson } from './response-sql';
import { documentCursor } from './response-values';
import { rendered, runRead } from './run';
import { at, selectionOf, type Selection } from './selection';

/**
 * Reads of documents compiled into SQL: the page, its nested data and its total in ONE statement
 * (json built in PostgreSQL), no entity hydrated. The rows' filter is the services' own FilterQuery
 * (the CASL-derived permission filter and the view's filter), rendered by MikroORM's QueryBuilder: one
 * rule, never a second copy. Each function returns null when the selection asks a field the compiler
 * does not know, and the caller takes the ORM path.
 */

export type Where = FilterQuery<Document>;

export interface Rendered {
  sql: string;
  params: unknown[];
}

export function render(ctx: Context, build: (qb: QueryBuilder<Document>) => unknown): Rendered {
  const qb = ctx.em.createQueryBuilder(Document);
  build(qb);
  // `?` placeholders (knex's form), so renderings compose into one statement with their parameters in order.
  const q = qb.toQuery()._sql;
  return { sql: q.sql, params: [...(q.bindings ?? [])] };
}

/** The ids of the rows of `where`, in page order (keyset after a cursor). */
function pageIds(ctx: Context, where: Where, dir: 'asc' | 'desc', size: number, after: string | null | undefined): Rendered {
  let pageWhere = where;
  if (after) {
    const [k, id] = decodeCursor(after, 2);
    const op = dir === 'asc' ? '$gt' : '$lt';
    pageWhere = { $and: [where, { $or: [{ createdAt: { [op]: k } }, { createdAt: k, id: { [op]: id } }] }] } as Where;
  }
  return rendered(['page', pageWhere, dir, size], () =>
    render(ctx, (qb) =>
      qb
        .select('id')
        .where(pageWhere as QBFilterQuery<Document>)
        .orderBy({ createdAt: dir, id: dir })
        .limit(size + 1),
    ),
  );
}

export function countOf(ctx: Context, where: Where): Rendered {
  return rendered(['count', where], () => render(ctx, (qb) => qb.count().where(where as QBFilterQuery<Document>)));
}

const CONNECTION_FIELDS: Record<string, string[]> = { edges: ['node', 'cursor'], pageInfo: ['hasNextPage', 'endCursor'], totalCount: [] };

/** Whether a connection's selection asks only what a compiled page answers. */
export function connectionCompiles(sel: Selection): boolean {
  for (const [name, f] of sel.fields) {
    if (name === '__typename') continue;
    if (!(name in CONNECTION_FIELDS) || f.conflict) return false;
    for (const [sub, g] of f.selection?.fields ?? [])
      if (sub !== '__typename' && (!CONNECTION_FIELDS[name].includes(sub) || (sub === 'node' && g.conflict))) return false;
  }
  return true;
}

/**
 * A page of documents under `where` (a function: the ORM rewrites filters in place, so each rendering
 * gets its own), newest or oldest first by creation, as `paginate` pages them (same cursors).
 */
export async function compiledDocumentPage(
  ctx: Context,
  info: GraphQLResolveInfo,
  where: () => Where,
  dir: 'asc' | 'desc',
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Page<Compiled> | null> {
  const sel = selectionOf(info);
  if (!sel || !connectionCompiles(sel)) return null;
  const size = pageSize(first);
  const json = documentJson('d', at(sel, 'edges', 'node'));
  if (!json) return null;
  const count = sel.fields.has('totalCount') ? countOf(ctx, where()) : null;
  const ids = size > 0 ? pageIds(ctx, where(), dir, size, after) : null;
  const sql = `select ${count ? `(${count.sql})` : 'null'} as total, ${
    ids
      ? `(select coalesce(json_agg(${json} order by d.created_at ${dir}, d.id ${dir}), '[]'::json)` +
        ` from (${ids.sql}) as p join document as d on d.id = p.id)::text`
      : `'[]'`
  } as rows`;
  const [row] = await runRead<{ total: string | number | null; rows: string }>(ctx.em, sql, [...(count?.params ?? []), ...(ids?.params ?? [])]);
  const nodes = parseCompiled<Compiled[]>(row.rows) ?? [];
  const edges = nodes.slice(0, size).map((node) => ({ node, cursor: encodeCursor([(node.createdAt as Date).toISOString(), node.id]) }));
  return {
    edges,
    pageInfo: { hasNextPage: nodes.length > size, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount: row.total === null ? (undefined as unknown as number) : Number(row.total),
  };
}

/**
 * The same page as the response itself (src/read/response-sql.ts): the page's ids (and its total) in
 * common table expressions, each rendered once, and the connection's JSON around them. `shape` is what
 * `where` depends on besides the viewer.
 */
export async function rawDocumentPage(
  ctx: Context,
  info: GraphQLResolveInfo,
  where: () => Where,
  dir: 'asc' | 'desc',
  first: number | null | undefined,
  after: string | null | undefined,
  shape: unknown,
): Promise<RawJson> {
  const plan = planned(ctx, info, [shape, dir, first, after], () => {
    const { s, type, asked } = connectionAsked(info);
    const size = pageSize(first);
    const count = asked.has('totalCount') ? countOf(ctx, where()) : null;
    const ids = size > 0 && (asked.has('edges') || asked.has('pageInfo')) ? pageIds(ctx, where(), dir, size, after) : null;
    const rev = dir === 'asc' ? 'desc' : 'asc';
    const json = connectionJson(s, type.name, info.fieldNodes, {
      rows: ids && `select d.* from p join document as d on d.id = p.id`,
      size,
      order: (r) => `${r}.created_at ${dir}, ${r}.id ${dir}`,
      reverse: (r) => `${r}.created_at ${rev}, ${r}.id ${rev}`,
      cursor: documentCursor,
      node: (r, nodes) => documentObjectJson(s, r, nodes),
      total: count && `select total from n`,
    });
    if (json === null) throw new NotAnsweredInSql(info.fieldName);
    return rawStatement([ids && ['p', `materialized (${ids.sql})`, ids.params], count && ['n', `(select (${count.sql}) as total)`, count.params]], json);
  });
  const [row] = await runRead<{ data: string }>(ctx.em, plan.sql, plan.params);
  return new RawJson(row.data);
}

/** One document under `where` (its key and the permission filter) as the response itself; `null` when there is none the viewer may read. */
export async function rawDocument(ctx: Context, info: GraphQLResolveInfo, where: () => Where, shape: unknown): Promise<RawJson> {
  const plan = planned(ctx, info, shape, () => {
    const json = documentObjectJson(responseScope(info), 'd', info.fieldNodes);
    if (json === null) throw new NotAnsweredInSql(info.fieldName);
    const w = where();
    const ids = rendered(['one', w], () => render(ctx, (qb) => qb.select('id').where(w as QBFilterQuery<Document>)));
    return { sql: `select coalesce((select (${json})::text from document as d where d.id in (${ids.sql})), 'null') as data`, params: ids.params };
  });
  const [row] = await runRead<{ data: string }>(ctx.em, plan.sql, plan.params);
  return new RawJson(row.data);
}

/** One document under `where` (its key and the permission filter), compiled; undefined when the selection does not compile. */
export async function compiledDocument(ctx: Context, info: GraphQLResolveInfo, where: Where): Promise<Compiled | null | undefined> {
  const sel = selectionOf(info);
  if (!sel) return undefined;
  const json = documentJson('d', sel);
  if (!json) return undefined;
  const ids = rendered(['one', where], () => render(ctx, (qb) => qb.select('id').where(where as QBFilterQuery<Document>)));
  const rows = await runRead<{ doc: string }>(ctx.em, `select (${json})::text as doc from document as d where d.id in (${ids.sql})`, ids.params);
  return rows.length ? parseCompiled<Compiled>(rows[0].doc) : null;
}

/** The page of history a compiled document carries (its first page; later pages take the ORM path). */
export function historyPage(prepared: { first: number; totalCount?: number; rows?: Compiled[] }): Page<Compiled> {
  const rows = prepared.rows ?? [];
  const edges = rows.slice(0, prepared.first).map((node) => ({ node, cursor: encodeCursor([node.id, node.id]) }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > prepared.first, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount: prepared.totalCount as number,
  };
}
