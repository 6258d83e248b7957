import { RawQueryFragment } from '@mikro-orm/core';
import { Document } from '../../entities';
import { buildContext } from '../../src/server';
import { readableWhere } from '../../src/services/document-query.service';
import { disjuncts, indexedTsquery, searchPage, searchWhere, searchWords } from '../../src/services/document-search';
import type { Context } from '../../src/context';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';

/**
 * A search is the UNION of one select per arm of the permission filter (src/services/document-search.ts):
 * the same rows, the same order and the same total as the filter's OR in one statement, for every demo
 * account, and no raw SQL fragment left behind by the arms that were not rendered.
 */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv({ demoDocuments: true });
}, 300_000);
afterAll(() => env?.close());

const WORDS = ['xay dung', 'quy hoach', 'ubnd', 'so', 'van ban tra loi', 'cong trinh', 'a', 'bao cao', 'khong co tu nay'];

/** The matches as the filter's OR answers them in one statement, ranked as the search ranks (score, newest, id). */
async function reference(ctx: Context, where: () => unknown, words: string[], tsquery: string | null): Promise<string[]> {
  const rows = await ctx.em
    .fork()
    .createQueryBuilder(Document, 'd')
    .select(['id', 'createdAt', 'searchText'])
    .where({ $and: [where(), ...searchWhere(words, tsquery)] } as never)
    .execute<Array<{ id: string; createdAt: Date; searchText: string }>>('all', true);
  const score = (text: string) => (text.includes(words.join(' ')) ? words.length : 0) + words.filter((w) => ` ${text} `.includes(` ${w} `)).length;
  return rows
    .map((r) => ({ id: r.id, at: new Date(r.createdAt).getTime(), s: score(r.searchText) }))
    .sort((a, b) => b.s - a.s || b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((r) => r.id);
}

describe('search by the arms of the permission filter', () => {
  it('spreads a filter into its arms: the OR of ANDs of its own conditions', () => {
    const leaf = { keepingUnit: 'k' };
    expect(disjuncts({ $or: [{ a: 1 }, { $and: [{ b: 2 }, { $or: [{ c: 3 }, leaf] }] }] })).toEqual([[{ a: 1 }], [{ b: 2 }, { c: 3 }], [{ b: 2 }, leaf]]);
    expect(disjuncts({ $and: [{ x: 1 }, { $or: [{ a: 1 }, { b: 1 }] }], y: { $in: [1] } })).toEqual([
      [{ x: 1 }, { a: 1 }, { y: { $in: [1] } }],
      [{ x: 1 }, { b: 1 }, { y: { $in: [1] } }],
    ]);
    expect(disjuncts({ $not: { $or: [{ a: 1 }, { b: 1 }] } })).toEqual([[{ $not: { $or: [{ a: 1 }, { b: 1 }] } }]]);
    // Past 16 arms: not spread (searched as one statement).
    const wide = { $and: Array.from({ length: 5 }, (_v, i) => ({ $or: [{ a: i }, { b: i }] })) };
    expect(disjuncts(wide)).toBeNull();
  });

  it('finds, ranks and counts exactly what the filter in one statement finds, for every demo account', async () => {
    let nonEmpty = 0;
    let spread = 0;
    let unions = 0;
    for (const username of Object.values(DEMO)) {
      const token = (await env.as(username)).token!;
      const ctx = await buildContext(env.server.app, env.orm, token, '127.0.0.1', `search-arms-${username}`);
      if ((disjuncts(readableWhere(ctx))?.length ?? 0) > 1) spread++;
      // The readable documents, and with a filter that needs a join (searched as one statement).
      const wheres = [() => readableWhere(ctx), () => ({ $and: [readableWhere(ctx), { direction: 'INCOMING' }, { register: { year: 2026 } }] })];
      for (const text of WORDS)
        for (const [k, where] of wheres.entries()) {
          const words = searchWords(text);
          const tsquery = await indexedTsquery(ctx, words);
          const expected = await reference(ctx, where, words, tsquery);
          const before = RawQueryFragment.checkCacheSize();
          const sent = env.statements();
          const page = await searchPage(ctx, where as () => never, words, tsquery, 100, null);
          expect(RawQueryFragment.checkCacheSize()).toBe(before);
          const got = page.edges.map((e) => e.node.id as string);
          expect({ username, text, k, got, total: page.totalCount }).toEqual({ username, text, k, got: expected.slice(0, 100), total: expected.length });
          if (expected.length) nonEmpty++;
          if (env.statementsSince(sent).some((q) => q.includes('from ((select d.id, d.created_at'))) unions++;
        }
    }
    expect(nonEmpty).toBeGreaterThan(20);
    // The readable filter of most accounts is an OR of several arms.
    expect(spread).toBeGreaterThan(5);
    expect(unions).toBeGreaterThan(5 * WORDS.length);
  }, 300_000);
});
