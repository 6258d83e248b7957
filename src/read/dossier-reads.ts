import type { FilterQuery } from '@mikro-orm/core';
import type { QBFilterQuery } from '@mikro-orm/postgresql';
import type { GraphQLResolveInfo } from 'graphql';
import { Document, Dossier } from '../../entities';
import type { Context } from '../context';
import { decodeCursor, encodeCursor, pageSize, type Page } from '../graphql/pagination';
import { parseCompiled, type Compiled } from './compiled';
import { connectionCompiles } from './document-reads';
import { accountBy, Aliases, documentJson, objectOf, unitBy, type TypeSpec } from './document-sql';
import { NotAnsweredInSql, RawJson, connectionAsked, planned, rawStatement } from './raw';
import { connectionJson, objectJson } from './response-sql';
import { base64url } from './response-values';
import { rendered, runRead } from './run';
import { at, type Selection } from './selection';
import { selectionOf } from './selection';

/**
 * `dossiers` compiled into one statement, as the document reads are (src/read/document-reads.ts): the
 * page of dossiers under the services' own filter, each with its creator, keeping unit and the
 * documents filed in it that the viewer may read (the services' `readableWhere`, rendered by the ORM,
 * tested per filed document), their count and pages, and the total. A selection asking anything else
 * takes the ORM path.
 */

type Rendered = { sql: string; params: unknown[] };

/** The filed documents the viewer may read, per dossier row `x`: `f.docs`, `f.n`, `f.pages`. */
function filedLateral(docJson: string, readable: Rendered): string {
  return (
    `left join lateral (select coalesce(json_agg(json_build_object('ordinal', dd.ordinal, 'document', ${docJson}) order by dd.ordinal), '[]'::json) as docs,` +
    ` count(*)::int as n, coalesce(sum(d.page_count), 0)::int as pages` +
    ` from dossier_document as dd join document as d on d.id = dd.document_id` +
    ` where dd.dossier_id = x.id and exists (${readable.sql})) as f on true`
  );
}

const DOSSIER = (filed: { asked: boolean }): TypeSpec => {
  const lateral = (expr: string) => () => {
    filed.asked = true;
    return expr;
  };
  return {
    kind: 'Dossier',
    columns: ['code', 'year', 'notation', 'title', 'rights', 'language', 'startDate', 'endDate', 'note', 'state', 'closedAt'],
    instants: ['closedAt'],
    derived: { retention: ['retentionYears'], handoverDue: ['closedAt'] },
    relations: {
      creator: accountBy((x) => `${x}.owner_id`),
      keepingUnit: unitBy((x) => `${x}.keeping_unit_id`),
      documents: lateral('f.docs'),
      documentCount: lateral('f.n'),
      pageCount: lateral('f.pages'),
    },
  };
};

/** The JSON of a filed document's `document`, when `documents` asks only `ordinal` and `document`. */
function filedDocumentJson(sel: Selection | null, a: Aliases): string | null {
  for (const [name, f] of sel?.fields ?? []) if (f.conflict || !['ordinal', 'document', '__typename'].includes(name)) return null;
  return documentJson('d', at(sel, 'document'), a);
}

function dossierCount(ctx: Context, where: () => FilterQuery<Dossier>): Rendered {
  return rendered(['dossier-count', where()], () => {
    const w = where();
    const q = ctx.em
      .createQueryBuilder(Dossier)
      .count()
      .where(w as QBFilterQuery<Dossier>)
      .toQuery()._sql;
    return { sql: q.sql, params: [...(q.bindings ?? [])] };
  });
}

function dossierIds(ctx: Context, where: () => FilterQuery<Dossier>, size: number, after: string | null | undefined): Rendered {
  let pageWhere = where();
  if (after) {
    const [k, id] = decodeCursor(after, 2);
    pageWhere = { $and: [pageWhere, { $or: [{ code: { $gt: k } }, { code: k, id: { $gt: id } }] }] } as FilterQuery<Dossier>;
  }
  return rendered(['dossier-page', pageWhere, size], () => {
    const q = ctx.em
      .createQueryBuilder(Dossier)
      .select('id')
      .where(pageWhere as QBFilterQuery<Dossier>)
      .orderBy({ code: 'asc', id: 'asc' })
      .limit(size + 1)
      .toQuery()._sql;
    return { sql: q.sql, params: [...(q.bindings ?? [])] };
  });
}

/** Each filed document tested against the viewer's filter, correlated (`rd.id = <document>`), never the whole readable set. */
function mayReadFiled(ctx: Context, readable: () => FilterQuery<Document>, document: string): Rendered {
  return rendered(['dossier-readable', readable(), document], () => {
    const q = ctx.em
      .createQueryBuilder(Document, 'rd')
      .select('id')
      .where(readable() as QBFilterQuery<Document>)
      .andWhere(`rd.id = ${document}`)
      .toQuery()._sql;
    return { sql: q.sql, params: [...(q.bindings ?? [])] };
  });
}

/**
 * A page of dossiers as the response itself (src/read/response-sql.ts): the page's ids, its total and
 * the filed documents of the page the viewer may read (`f`) in common table expressions, the
 * connection's JSON around them. `shape` is what `where` depends on besides the viewer.
 */
export async function rawDossierPage(
  ctx: Context,
  info: GraphQLResolveInfo,
  where: () => FilterQuery<Dossier>,
  readable: () => FilterQuery<Document>,
  first: number | null | undefined,
  after: string | null | undefined,
  shape: unknown,
): Promise<RawJson> {
  const { sql, params } = planned(ctx, info, [shape, first, after], () => {
    const { s, type, asked } = connectionAsked(info);
    const size = pageSize(first);
    const count = asked.has('totalCount') ? dossierCount(ctx, where) : null;
    const ids = size > 0 && (asked.has('edges') || asked.has('pageInfo')) ? dossierIds(ctx, where, size, after) : null;
    const filed = ids ? mayReadFiled(ctx, readable, 'dd.document_id') : null;
    // encodeCursor([code, id]): the code written as JSON writes a string.
    const cursor = (r: string) => base64url(`'[' || to_json(${r}.code)::text || ',"' || ${r}.id || '"]'`);
    const json = connectionJson(s, type.name, info.fieldNodes, {
      rows: ids && `select x.* from p join dossier as x on x.id = p.id`,
      size,
      order: (r) => `${r}.code, ${r}.id`,
      reverse: (r) => `${r}.code desc, ${r}.id desc`,
      cursor,
      node: (r, nodes) => objectJson(s, 'Dossier', r, nodes),
      total: count && `select total from n`,
    });
    if (json === null) throw new NotAnsweredInSql(info.fieldName);
    const filedSql = (f: Rendered) =>
      `materialized (select dd.dossier_id, dd.ordinal, dd.document_id from dossier_document as dd where dd.dossier_id in (select id from p) and exists (${f.sql}))`;
    return rawStatement(
      [
        ids && ['p', `materialized (${ids.sql})`, ids.params],
        filed && ['f', filedSql(filed), filed.params],
        count && ['n', `(select (${count.sql}) as total)`, count.params],
      ],
      json,
    );
  });
  const [row] = await runRead<{ data: string }>(ctx.em, sql, params);
  return new RawJson(row.data);
}

export async function compiledDossierPage(
  ctx: Context,
  info: GraphQLResolveInfo,
  where: () => FilterQuery<Dossier>,
  readable: () => FilterQuery<Document>,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<Page<Compiled> | null> {
  const sel = selectionOf(info);
  if (!sel || !connectionCompiles(sel)) return null;
  const size = pageSize(first);
  const node = at(sel, 'edges', 'node');
  const a = new Aliases();
  const filed = { asked: false };
  const docs = node?.fields.has('documents') ? filedDocumentJson(at(node, 'documents'), a) : 'null';
  if (docs === null) return null;
  const json = objectOf(DOSSIER(filed), 'x', node, a);
  if (!json) return null;

  const count = sel.fields.has('totalCount') ? dossierCount(ctx, where) : null;
  const ids = size > 0 ? dossierIds(ctx, where, size, after) : null;
  const mayRead = filed.asked ? mayReadFiled(ctx, readable, 'd.id') : null;
  const lateral = mayRead ? filedLateral(docs, mayRead) : '';
  const sql = `select ${count ? `(${count.sql})` : 'null'} as total, ${
    ids
      ? `(select coalesce(json_agg(${json} order by x.code, x.id), '[]'::json) from (${ids.sql}) as p join dossier as x on x.id = p.id ${lateral})::text`
      : `'[]'`
  } as rows`;
  const params = [...(count?.params ?? []), ...(ids?.params ?? []), ...(ids ? (mayRead?.params ?? []) : [])];
  const [row] = await runRead<{ total: string | number | null; rows: string }>(ctx.em, sql, params);
  const nodes = parseCompiled<Compiled[]>(row.rows) ?? [];
  const edges = nodes.slice(0, size).map((n) => ({ node: n, cursor: encodeCursor([n.code as string, n.id]) }));
  return {
    edges,
    pageInfo: { hasNextPage: nodes.length > size, endCursor: edges.length ? edges[edges.length - 1].cursor : null },
    totalCount: row.total === null ? (undefined as unknown as number) : Number(row.total),
  };
}
