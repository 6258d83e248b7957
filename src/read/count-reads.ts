import { RawQueryFragment } from '@mikro-orm/core';
import type { QBFilterQuery } from '@mikro-orm/postgresql';
import type { GraphQLResolveInfo } from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields';
import type { Document } from '../../entities';
import type { Context } from '../context';
import { countOf, render, type Rendered, type Where } from './document-reads';
import { buildObject, lit } from './document-sql';
import { NotAnsweredInSql, RawJson, connectionAsked, planned } from './raw';
import { rendered, runRead } from './run';

/**
 * Several counts of documents in one statement: how many rows the viewer may read (`readable`, the
 * permission filter) fall in each view, the same rows the views list. The filters are the services'
 * own FilterQuery rendered by MikroORM's QueryBuilder (one rule, never a copy); before rendering they
 * are only rewritten in ways that keep their rows:
 *
 * - a view that can hold no row (a permission the viewer lacks is CASL's "nothing": `noRows()`) is 0
 *   without asking PostgreSQL; a branch of an `$or` that holds none is left out. Such a sub-select
 *   cost planning time for nothing, and its `1 = ?` (a parameter) kept PostgreSQL from reusing a plan;
 * - a view that is an `$or` of several conditions (FOR_INFORMATION: informed of it, or an internal
 *   notice to the department) is counted as the UNION of the rows of each branch (by primary key, so a
 *   row in both counts once). PostgreSQL cannot turn an EXISTS under an OR into a semi-join: it walked
 *   every document the permission filter's index conditions reach (all incoming ones) and probed each;
 *   each branch alone is driven by its own index.
 *
 * The filters are functions: the ORM rewrites filters in place and consumes the raw fragments of the
 * membership EXISTS when it renders them, so each rendering gets filters of its own.
 */
/** Each view's count as SQL (a sub-select, or 0 when the view can hold no row), with its parameters. */
function countsOf<K extends string>(ctx: Context, readable: () => Where, views: Array<[K, () => Where]>): Array<[K, Rendered | null]> {
  return views.map(([key, view]) => {
    const branches = viewBranches(readable, view);
    return [key, branches && withConstants(branches.length === 1 ? countOf(ctx, branches[0]) : unionCount(ctx, branches))];
  });
}

export async function compiledCounts<K extends string>(ctx: Context, readable: () => Where, views: Array<[K, () => Where]>): Promise<Record<K, number>> {
  const counts = {} as Record<K, number>;
  const parts: Array<[K, Rendered]> = [];
  for (const [key, c] of countsOf(ctx, readable, views)) {
    if (!c) counts[key] = 0;
    else parts.push([key, c]);
  }
  if (!parts.length) return counts;
  const sql = `select ${parts.map(([key, c]) => `(${c.sql}) as "${key}"`).join(', ')}`;
  const [row] = await runRead<Record<K, string | number>>(
    ctx.em,
    sql,
    parts.flatMap(([, c]) => c.params),
  );
  for (const [key] of parts) counts[key] = Number(row[key]);
  return counts;
}

/**
 * The counts as the response itself (src/read/fast-operation.ts): only the views the request asks,
 * under its own keys and in its order, written by PostgreSQL; no statement when none can hold a row.
 * `shape` is what the views depend on besides the viewer (the deadline bounds).
 */
export async function rawCounts<K extends string>(
  ctx: Context,
  info: GraphQLResolveInfo,
  readable: () => Where,
  views: Array<[K, () => Where]>,
  shape: unknown,
): Promise<RawJson> {
  const plan = planned(ctx, info, shape, () => {
    const { s, type } = connectionAsked(info);
    const fields = [...collectSubfields(s.schema, s.fragments, s.variables, type, info.fieldNodes)].map(([key, nodes]) => [key, nodes[0].name.value]);
    const asked = new Set(fields.map(([, name]) => name));
    const sql = new Map(
      countsOf(
        ctx,
        readable,
        views.filter(([view]) => asked.has(view)),
      ),
    );
    const pairs: Array<[string, string]> = [];
    const params: unknown[] = [];
    for (const [key, name] of fields) {
      if (name === '__typename') pairs.push([key, lit(type.name)]);
      else if (!views.some(([view]) => view === name)) throw new NotAnsweredInSql(`inboxCounts.${name}`);
      else {
        const c = sql.get(name as K);
        pairs.push([key, c ? `(${c.sql})::int` : '0']);
        if (c) params.push(...c.params);
      }
    }
    return { sql: `select (${pairs.length ? buildObject(pairs) : `'{}'::json`})::text as data`, params };
  });
  const [row] = await runRead<{ data: string }>(ctx.em, plan.sql, plan.params);
  return new RawJson(row.data);
}

/** A value the same for every viewer, written into the text: a boolean, or a constant of the code's enums (a state, a role, a direction). */
const CONSTANT = /^[A-Z][A-Z0-9_]*$/;

function constantSql(value: unknown): string | null {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return typeof value === 'string' && CONSTANT.test(value) ? `'${value}'` : null;
}

/**
 * The rendering with its constants (booleans, enum constants) in the text and only the viewer's values
 * (ids, dates) as parameters. PostgreSQL plans a prepared statement for its parameters' values (a
 * custom plan, ~6 ms of planning for these sub-selects) until a plan for any value (generic) looks as
 * cheap; with `active = $n` it could not use the partial indexes `where active`, nor tell a state's
 * rows, so it never looked as cheap. The text still depends only on the filters' shape and constants
 * (the same for everyone with the same rules), so the statements stay few.
 */
export function withConstants(r: Rendered): Rendered {
  const pieces = r.sql.split('?');
  if (pieces.length - 1 !== r.params.length || r.sql.includes('??')) return r;
  let sql = pieces[0];
  const params: unknown[] = [];
  r.params.forEach((value, i) => {
    const constant = constantSql(value);
    if (constant === null) {
      sql += '?';
      params.push(value);
    } else sql += constant;
    sql += pieces[i + 1];
  });
  return { sql, params };
}

/** `count(*)` of the union of the ids of each filter. */
function unionCount(ctx: Context, branches: Where[]): Rendered {
  const ids = branches.map((where) => rendered(['ids', where], () => render(ctx, (qb) => qb.select('id').where(where as QBFilterQuery<Document>))));
  return { sql: `select count(*) from (${ids.map((r) => `(${r.sql})`).join(' union ')}) as u`, params: ids.flatMap((r) => r.params) };
}

/**
 * The filters whose rows together (a union) are the rows of `readable` and `view`: one, or one per
 * branch of the view's top `$or`; null when there can be none.
 */
export function viewBranches(readable: () => Where, view: () => Where): Where[] | null {
  const first = pair(readable, view);
  if (!first) return null;
  const n = orBranches(first[1]).length;
  if (n === 1) return [{ $and: first }];
  const out: Where[] = [];
  for (let i = 0; i < n; i++) {
    // A filter of its own for each branch (the first pair serves the first): the other branches are released.
    const [p, v] = i === 0 ? first : pair(readable, view)!;
    const branches = orBranches(v);
    out.push({ $and: [p, keep(v, branches[i])] });
  }
  return out;
}

/** The readable filter and the view's, each without what holds no row; null (fragments released) when either holds none. */
function pair(readable: () => Where, view: () => Where): [Where, Where] | null {
  const p = withoutNothing(readable());
  const v = withoutNothing(view());
  if (p === NOTHING || v === NOTHING) {
    if (p !== NOTHING) release(p, null);
    if (v !== NOTHING) release(v, null);
    return null;
  }
  return [p, v];
}

/** The branches of a filter's top `$or` (through `$and`s of one element), or the filter itself. */
function orBranches(where: Where): Where[] {
  let w: unknown = where;
  while (isPlain(w) && Object.keys(w).length === 1 && Array.isArray(w.$and) && w.$and.length === 1) w = w.$and[0];
  if (isPlain(w) && Object.keys(w).length === 1 && Array.isArray(w.$or) && w.$or.length > 1) return w.$or as Where[];
  return [where];
}

/** `branch` of `whole`, the raw fragments of the rest of `whole` released. */
function keep(whole: Where, branch: Where): Where {
  release(whole, branch);
  return branch;
}

export const NOTHING = Symbol('nothing');

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && Object.getPrototypeOf(v) === Object.prototype;

/** `noRows()` of src/domain/permissions/to-filter.ts, and any `id: { $in: [] }`: a condition no row meets. */
function isNoIds(value: unknown): boolean {
  return isPlain(value) && Object.keys(value).length === 1 && Array.isArray(value.$in) && value.$in.length === 0;
}

/**
 * The filter without what holds no row: an `$and` with such a member, or an object with `id: { $in: [] }`,
 * holds none; an `$or` loses such branches and holds none without any. NOTHING when the whole filter
 * holds none. Nothing else changes (a `$not` and a relation's condition are left as they are), and
 * the raw fragments of what is left out are released (never rendered, they would stay registered).
 */
export function withoutNothing(where: Where): Where | typeof NOTHING {
  const out = simplify(where);
  release(where, out === NOTHING ? null : out);
  return out;
}

function simplify(where: unknown): Where | typeof NOTHING {
  if (!isPlain(where)) return where as Where;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(where)) {
    if (key === '$and' && Array.isArray(value)) {
      const members = value.map(simplify);
      if (members.includes(NOTHING)) return NOTHING;
      out.$and = members;
    } else if (key === '$or' && Array.isArray(value)) {
      const branches = value.map(simplify).filter((b) => b !== NOTHING);
      if (!branches.length) return NOTHING;
      out.$or = branches;
    } else if (key === 'id' && isNoIds(value)) return NOTHING;
    else out[key] = value;
  }
  return out;
}

/** The raw fragment keys anywhere in `value`. */
function rawKeys(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) rawKeys(v, into);
  else if (isPlain(value))
    for (const [k, v] of Object.entries(value)) {
      if (k.startsWith('[raw]: ')) into.add(k);
      rawKeys(v, into);
    }
  return into;
}

/** Releases the raw fragments of `whole` that `kept` does not hold. */
function release(whole: unknown, kept: unknown): void {
  const left = rawKeys(kept, new Set());
  for (const key of rawKeys(whole, new Set())) if (!left.has(key)) RawQueryFragment.remove(key);
}
