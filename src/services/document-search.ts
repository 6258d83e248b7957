import { raw, RawQueryFragment, type FilterQuery } from '@mikro-orm/core';
import type { QBFilterQuery, QueryBuilder } from '@mikro-orm/postgresql';
import type { GraphQLResolveInfo } from 'graphql';
import { Document } from '../../entities';
import type { Context } from '../context';
import { foldVietnamese } from '../domain/text/normalise';
import { badInput } from '../errors';
import { pageSize, type Page } from '../graphql/pagination';
import type { Compiled } from '../read/compiled';
import { compiledDocumentPage } from '../read/document-reads';
import { rendered } from '../read/run';
import { containing, escapeLike } from './input-checks';

/**
 * Searching documents by words (`documents(filter: { text })`).
 *
 * What matches (unchanged): every word of the query, folded (lower case, no diacritics, đ as d), occurs
 * somewhere in the document's folded subject, number, symbol, number/symbol, issuer and note
 * (`search_text`). How it is found: `search_vector` holds the suffixes of the text's words as lexemes
 * (migration 20261202113000), so "the word occurs" is "some lexeme begins with it", a prefix query
 * (`'hinh':*`) answered by the GIN index; the LIKE of each word is kept on the rows the index returns,
 * which makes the match exactly the LIKE's. Words of one or two letters are left to the LIKE (a prefix
 * that short begins a large part of the vocabulary: the index would read most of its lists).
 *
 * Ranking is cheap on purpose: no `ts_rank` or trigram similarity over every match. Each match scores,
 * with LIKEs on its folded text, n when it holds the whole query as a phrase, plus one per query word
 * that stands as a whole word (between spaces); ties go newest first. A page is then one statement (ids,
 * score and the total as a window count) and the page's documents by the compiled read.
 */

type Where = FilterQuery<Document>;

/** Longest query accepted, in characters (the same limit as before). */
export const MAX_SEARCH_LENGTH = 200;
/** Words taken from a query at most; the rest are ignored. */
export const MAX_SEARCH_WORDS = 20;
/** The lexemes are cut to this many characters; a longer word is looked up by its beginning, then checked by its LIKE. */
const LEXEME_CHARS = 32;
/** Words shorter than this are matched by their LIKE only. */
const INDEXED_WORD_CHARS = 3;

/** The words of a search, folded as the stored search text is (lower case, no diacritics). */
export function searchTokens(text: string): string[] {
  return foldVietnamese(text)
    .split(/[\s,;]+/)
    .filter(Boolean)
    .slice(0, MAX_SEARCH_WORDS);
}

/**
 * The words of `filter.text`, or a coded refusal: too long, or nothing to search for once folded (only
 * separators or combining accents). Empty text is no filter at all, as before.
 */
export function searchWords(text: string | null | undefined): string[] {
  if (!text) return [];
  if (text.length > MAX_SEARCH_LENGTH) throw badInput(`filter.text must be at most ${MAX_SEARCH_LENGTH} characters.`, 'filter.text');
  const words = searchTokens(text);
  if (!words.length && text.trim())
    throw badInput('filter.text has no letter, digit or sign to search for once accents and separators are set aside.', 'filter.text');
  return words;
}

/** One lexeme of a tsquery, quoted so that no character of the word is read as tsquery syntax, matched as a prefix. */
function prefixLexeme(word: string): string {
  const cut = Array.from(word).slice(0, LEXEME_CHARS).join('');
  return `'${cut.replace(/\\/g, '\\\\').replace(/'/g, "''")}':*`;
}

/** The planner's statistics of the vector (most common lexemes and their frequencies), read at most every ten minutes. */
interface VectorStats {
  at: number;
  elems: string[];
  freqs: number[];
  rows: number;
}
let cachedStats: VectorStats | undefined;
const STATS_SECONDS = 600;
/** The index is used only when its word is estimated in fewer rows than this: a common word is cheaper checked on the reader's rows. */
export const INDEX_ROWS = 20_000;

async function vectorStats(ctx: Context): Promise<VectorStats> {
  if (cachedStats && Date.now() - cachedStats.at < STATS_SECONDS * 1000) return cachedStats;
  const [row] = await ctx.em.execute<Array<{ elems: string[] | null; freqs: number[] | null; rows: number }>>(
    `select s.most_common_elems::text::text[] as elems, s.most_common_elem_freqs as freqs, greatest(c.reltuples, 0) as rows
       from pg_class c left join pg_stats s on s.schemaname = current_schema() and s.tablename = 'document' and s.attname = 'search_vector'
      where c.oid = 'document'::regclass`,
  );
  cachedStats = { at: Date.now(), elems: row?.elems ?? [], freqs: (row?.freqs ?? []).map(Number), rows: Number(row?.rows ?? 0) };
  return cachedStats;
}

/**
 * The tsquery of the one word the index should look up (`'hoach':*`), or null when none is worth it.
 *
 * A prefix query costs the GIN index the posting lists of every lexeme it matches, and the planner
 * underestimates both that cost and, for several words of one phrase, how many rows they match together
 * (it multiplies their frequencies as if independent). So the service picks the rarest word by the
 * planner's own statistics (the frequencies of the most common lexemes beginning with it) and gives
 * the index that word only, and only when it is estimated in fewer than INDEX_ROWS rows; a common word
 * is left to the LIKE on the rows the permission filter leaves (a director's keeping unit, a staff
 * member's assignments). The LIKEs make the match exact either way.
 */
export async function indexedTsquery(ctx: Context, words: string[]): Promise<string | null> {
  const candidates = words.filter((w) => Array.from(w).length >= INDEXED_WORD_CHARS).map((w) => Array.from(w).slice(0, LEXEME_CHARS).join(''));
  if (!candidates.length) return null;
  const stats = await vectorStats(ctx);
  const min = stats.freqs.length > stats.elems.length ? stats.freqs[stats.elems.length] : 0;
  const estimate = (w: string) => {
    let f = 0;
    stats.elems.forEach((e, i) => {
      if (e.startsWith(w)) f += stats.freqs[i];
    });
    // Longer words first among the unknown (rarer than any common lexeme).
    return f > 0 ? f : min / 2 - Array.from(w).length * 1e-9;
  };
  const [best] = candidates.map((w) => ({ w, f: estimate(w) })).sort((a, b) => a.f - b.f);
  if (stats.rows > 0 && best.f * stats.rows >= INDEX_ROWS) return null;
  return prefixLexeme(best.w);
}

/** The conditions of a search on top of the other filters: the index's prefix query when there is one, and each word's LIKE. */
export function searchWhere(words: string[], tsquery: string | null): Where[] {
  const w: Where[] = [];
  if (tsquery) w.push({ [raw((alias) => `${alias}.search_vector @@ cast(? as tsquery)`, [tsquery])]: [] });
  for (const word of words) w.push({ searchText: { $like: containing(word) } });
  return w;
}

/** The score of a match (see above), as SQL on the folded text, with its parameters. */
function scoreSql(alias: string, words: string[]): { sql: string; params: string[] } {
  const parts = [`(${alias}.search_text like ?)::int * ${words.length}`];
  const params = [containing(words.join(' '))];
  for (const word of words) {
    parts.push(`(' ' || ${alias}.search_text || ' ' like ?)::int`);
    params.push(`% ${escapeLike(word)} %`);
  }
  return { sql: parts.join(' + '), params };
}

const OFFSET_CURSOR = /^rank:(\d{1,7})$/;

/** At most this many arms (see `disjuncts`); a filter that spreads into more is searched as one statement. */
const MAX_ARMS = 16;

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * A filter as an OR of ANDs (its arms), each arm the list of conditions it joins; null past MAX_ARMS.
 * Only `$or`, `$and` and the keys of one object (an AND) are spread: every other condition (a column,
 * `$not`, a relation, a raw membership EXISTS) is kept whole, as the object it was in the filter, so an
 * arm holds the filter's own conditions and the OR of the arms is the filter.
 */
export function disjuncts(f: unknown): unknown[][] | null {
  if (!isPlain(f)) return [[f]];
  const entries = Object.entries(f);
  if (entries.length === 0) return [[]];
  const product = (groups: unknown[][][]): unknown[][] | null => {
    let out: unknown[][] = [[]];
    for (const g of groups) {
      if (out.length * g.length > MAX_ARMS) return null;
      out = out.flatMap((a) => g.map((b) => [...a, ...b]));
    }
    return out;
  };
  const groups: unknown[][][] = [];
  for (const [key, value] of entries) {
    if ((key === '$or' || key === '$and') && Array.isArray(value)) {
      const inner = value.map((v) => disjuncts(v));
      if (inner.some((i) => i === null)) return null;
      const parts = inner as unknown[][][];
      if (key === '$and') {
        const p = product(parts);
        if (!p) return null;
        groups.push(p);
      } else {
        // An empty $or matches nothing, as MikroORM renders it.
        if (!parts.length) return null;
        const arms = parts.flat();
        if (arms.length > MAX_ARMS) return null;
        groups.push(arms);
      }
    } else groups.push([[entries.length === 1 ? f : { [key]: value }]]);
  }
  return product(groups);
}

/** The keys of raw SQL fragments (`[raw]: …`) anywhere in a filter, as rendering one would release them. */
function rawKeys(f: unknown, out: string[] = []): string[] {
  if (Array.isArray(f)) for (const v of f) rawKeys(v, out);
  else if (isPlain(f))
    for (const [key, value] of Object.entries(f)) {
      if (key.startsWith('[raw]: ') && RawQueryFragment.isKnownFragment(key)) out.push(key);
      rawKeys(value, out);
    }
  return out;
}

interface Rendered {
  sql: string;
  params: unknown[];
}

/** SQL with `?` placeholders and its parameters in order (knex's form), so renderings compose. */
function render(ctx: Context, build: (qb: QueryBuilder<Document>) => unknown): Rendered {
  const qb = ctx.em.createQueryBuilder(Document, 'd');
  build(qb);
  const q = qb.toQuery()._sql;
  return { sql: q.sql, params: [...(q.bindings ?? [])] };
}

/** What a rendering of `select id … where <condition>` begins with when the condition needs no join. */
const ARM_PREFIX = 'select "d"."id" from "document" as "d" where ';

/**
 * One arm's condition as SQL on `d`, rendered by the ORM's QueryBuilder and kept by the filter's value
 * (src/read/run.ts: the same viewer's permission filter is rendered once, whatever he searches for);
 * null when the rendering is not a plain condition on the document (a join, no condition at all).
 */
function armCondition(ctx: Context, arm: unknown[]): Rendered | null {
  const filter = { $and: arm };
  const r = rendered(['search-arm', filter], () => render(ctx, (qb) => qb.select('id').where(filter as QBFilterQuery<Document>)));
  return r.sql.startsWith(ARM_PREFIX) ? { sql: r.sql.slice(ARM_PREFIX.length), params: r.params } : null;
}

/** The search's own conditions as SQL on `d`: the index's prefix query when there is one, and each word's LIKE (as `searchWhere`). */
function searchSql(words: string[], tsquery: string | null): Rendered {
  const parts = words.map(() => 'd.search_text like ?');
  const params: unknown[] = words.map((w) => containing(w));
  if (tsquery) {
    parts.unshift('d.search_vector @@ cast(? as tsquery)');
    params.unshift(tsquery);
  }
  return { sql: parts.join(' and '), params };
}

/**
 * The matches of a search as one SQL set of `(id, created_at, score)`: the UNION of one select per arm
 * of `where` (see `disjuncts`), or one select when it has a single arm or too many.
 *
 * Why arms: the permission filter is an OR (incoming by assignment, outgoing drafted by the reader, or
 * issued to his department…). Under an OR PostgreSQL cannot drive by a membership EXISTS or an `IN`
 * (they are joins only at the top of a WHERE), so a staff member's search read every issued outgoing
 * document of the province to test the OR on each. Alone in its arm, each condition is a join driven by
 * its own index (his assignments, his drafts, his department's recipients), and a director's arms are
 * each an index-only scan of his keeping unit's entries (migration 20261202120000). The arms are the
 * filter's own conditions (the rule of src/repositories/, never a copy), and their UNION is exactly the
 * rows of the OR.
 */
function matchSet(ctx: Context, where: () => Where, words: string[], tsquery: string | null): Rendered {
  const score = scoreSql('d', words);
  const search = searchSql(words, tsquery);
  const select = (condition: Rendered): Rendered => ({
    sql: `select d.id, d.created_at, ${score.sql} as score from "document" as "d" where (${condition.sql}) and ${search.sql}`,
    params: [...score.params, ...condition.params, ...search.params],
  });
  // A filter the arms do not suit (one arm, too many, or a condition that needs a join) is rendered whole, as one select.
  const whole = (filter: Where): Rendered =>
    render(ctx, (qb) => {
      qb.select(['id', 'createdAt', raw(`${score.sql} as score`, score.params)]).where({
        $and: [filter, ...searchWhere(words, tsquery)],
      } as QBFilterQuery<Document>);
    });
  const first = where();
  const arms = disjuncts(first);
  if (!arms || arms.length <= 1) return whole(first);
  const parts: Rendered[] = [];
  for (let i = 0; i < arms.length; i++) {
    // Each arm rendered from a filter of its own (the ORM rewrites filters in place); the raw fragments
    // of the other arms are released as rendering them would have released them.
    const own = i === 0 ? first : where();
    const arm = i === 0 ? arms[0] : disjuncts(own)![i];
    const used = new Set(rawKeys(arm));
    for (const key of rawKeys(own)) if (!used.has(key)) RawQueryFragment.remove(key);
    const condition = armCondition(ctx, arm);
    if (!condition) return whole(where());
    parts.push(select(condition));
  }
  return { sql: parts.map((p) => `(${p.sql})`).join(' union '), params: parts.flatMap((p) => p.params) };
}

/**
 * A page of search results, best first (the cursor is the offset, as before): `where` holds the permission
 * filter and the other filters, and the search's words (and the index's query, `indexedTsquery`) are
 * added to it everywhere, so nothing outside it is seen or counted.
 */
export async function searchPage(
  ctx: Context,
  where: () => Where,
  words: string[],
  tsquery: string | null,
  first: number | null | undefined,
  after: string | null | undefined,
  info?: GraphQLResolveInfo,
): Promise<Page<Document | Compiled>> {
  const size = pageSize(first);
  let offset = 0;
  if (after) {
    const m = OFFSET_CURSOR.exec(Buffer.from(after, 'base64url').toString('utf8'));
    if (!m) throw badInput('after is not a cursor this list gave out. Start again from the first page.', 'after');
    offset = Number(m[1]);
  }
  const matches = matchSet(ctx, where, words, tsquery);
  const found = await ctx.em.execute<Array<{ id: string; total: string | number }>>(
    `select m.id, count(*) over () as total from (${matches.sql}) as m order by m.score desc, m.created_at desc, m.id desc limit ? offset ?`,
    [...matches.params, Math.max(size, 1) + 1, offset],
  );
  let totalCount = found.length ? Number(found[0].total) : 0;
  // Past the end the window counted nothing: the total is counted on its own.
  if (!found.length && offset > 0) {
    const all = matchSet(ctx, where, words, tsquery);
    const [row] = await ctx.em.execute<Array<{ n: string | number }>>(`select count(*) as n from (${all.sql}) as m`, all.params);
    totalCount = Number(row.n);
  }
  const ids = found.slice(0, size).map((r) => r.id);
  const cursorAt = (i: number) => Buffer.from(`rank:${offset + i + 1}`).toString('base64url');
  const pageInfo = (n: number) => ({ hasNextPage: size > 0 && found.length > size, endCursor: n ? cursorAt(n - 1) : null });
  if (!ids.length) return { edges: [], pageInfo: pageInfo(0), totalCount };
  // The page's documents, by the compiled read when the selection allows it, under the same filter again.
  const byIds = (): Where => ({ $and: [where(), ...searchWhere(words, tsquery), { id: { $in: ids } }] });
  const compiled = info && (await compiledDocumentPage(ctx, info, byIds, 'desc', ids.length, null));
  const nodes: Array<Document | Compiled> = compiled ? compiled.edges.map((e) => e.node) : await ctx.em.find(Document, byIds());
  const byId = new Map(nodes.map((n) => [n.id as string, n]));
  const edges = ids.flatMap((id, i) => {
    const node = byId.get(id);
    return node ? [{ node, cursor: cursorAt(i) }] : [];
  });
  return { edges, pageInfo: pageInfo(edges.length), totalCount };
}
