import 'reflect-metadata';
import os from 'node:os';
import { Pool } from 'pg';
import { foldVietnamese } from '../src/domain/text/normalise';
import { gql, load, startBenchServer } from './bench-server';

/**
 * The search case of `npm run bench`: the `documents(filter: { text })` query as a staff member and as a
 * director at 8 clients and at one (p95 is the target: < 150 ms for a director on the full dataset), the same
 * match counted in hand-written SQL as a baseline, and EXPLAIN of the director's statement so the
 * report shows which index serves it.
 *
 * Standalone, on a database the bench already generated (`BENCH_KEEP=1 npm run bench` keeps it):
 * `node dist/scripts/bench-search.js postgres://…/vpdt_bench_123 [seconds]` starts the compiled server on it
 * and runs only this case.
 */

export interface SearchRow {
  name: string;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  note?: string;
  baseline?: number;
}

type Load = (
  clients: number,
  seconds: number,
  work: (i: number, n: number) => Promise<void>,
) => Promise<{ rate: number; p50: number; p95: number; p99: number; errors: number; done: number }>;
type Gql = <T = unknown>(url: string, query: string, variables?: Record<string, unknown>, token?: string) => Promise<T>;

export const SEARCH_TERMS = ['quy hoach chi tiet', 'chat luong cong trinh', 'nha o xa hoi', 'tham dinh do an', 'trat tu xay dung'];
const SEARCH = `query($t:String!){ documents(first: 20, filter: { text: $t }) { totalCount edges { node { id subject } } } }`;

/**
 * The match written by hand for the director's common words: his keeping unit's documents, every word a
 * substring of the folded text (words this common are not given to the index: document-search.ts).
 */
const MATCH_SQL = `select count(*) from document d where d.keeping_unit_id = $1 and d.search_text like all($2)`;
/** A number and symbol over the whole table: a rare word, which the index serves. */
const NUMBER_SQL = `select count(*) from document d where d.search_vector @@ cast($1 as tsquery) and d.search_text like $2`;

export async function searchCases(opts: {
  api: string;
  pg: { query: Pool['query'] };
  staff: string;
  director: string;
  agencyId: string;
  seconds: number;
  load: Load;
  gql: Gql;
}): Promise<SearchRow[]> {
  const { api, pg, staff, director, agencyId, seconds, load, gql } = opts;
  const rows: SearchRow[] = [];
  const found = async (token: string) => {
    const d = await gql<{ documents: { totalCount: number; edges: unknown[] } }>(api, SEARCH, { t: SEARCH_TERMS[0] }, token);
    return `${d.documents.edges.length} rows of ${d.documents.totalCount}`;
  };
  // A freshly generated table is not yet vacuumed (autovacuum takes it up soon after the bulk load and the
  // numbering update): until then no page is all-visible and a keeping unit's search arm, an index-only scan
  // in steady state (migration 20261202120000), visits the table instead.
  await pg.query(`vacuum (analyze) document`);
  const [foundStaff, foundDirector] = [await found(staff), await found(director)];
  const s1 = await load(8, seconds, (_i, k) => gql(api, SEARCH, { t: SEARCH_TERMS[k % SEARCH_TERMS.length] }, staff));
  const s1one = await load(1, seconds / 2, (_i, k) => gql(api, SEARCH, { t: SEARCH_TERMS[k % SEARCH_TERMS.length] }, staff));
  const s2 = await load(8, seconds, (_i, k) => gql(api, SEARCH, { t: SEARCH_TERMS[k % SEARCH_TERMS.length] }, director));
  const s3 = await load(1, seconds / 2, (_i, k) => gql(api, SEARCH, { t: SEARCH_TERMS[k % SEARCH_TERMS.length] }, director));
  // The baseline: the director's match counted in SQL (his keeping unit's documents), the same words.
  const params = (k: number) => [
    agencyId,
    foldVietnamese(SEARCH_TERMS[k % SEARCH_TERMS.length])
      .split(/\s+/)
      .map((w) => `%${w}%`),
  ];
  const base = await load(8, seconds, async (_i, k) => void (await pg.query(MATCH_SQL, params(k))));
  const plan = (await pg.query(`explain ${MATCH_SQL}`, params(0))).rows.map((r) => r['QUERY PLAN'] as string);
  // A number and symbol of the director's unit, as a clerk would type it.
  const numbered = (
    await pg.query(`select number || '/' || symbol as t from document where keeping_unit_id = $1 and number is not null and symbol is not null limit 1`, [
      agencyId,
    ])
  ).rows[0]?.t as string | undefined;
  const s4 = numbered ? await load(1, seconds / 2, () => gql(api, SEARCH, { t: numbered }, director)) : undefined;
  const folded = numbered ? foldVietnamese(numbered) : '';
  const lexeme = `'${folded.slice(0, 32).replace(/\\/g, '\\\\').replace(/'/g, "''")}':*`;
  const numberPlan = numbered ? (await pg.query(`explain analyze ${NUMBER_SQL}`, [lexeme, `%${folded}%`])).rows.map((r) => r['QUERY PLAN'] as string) : [];
  const index = numberPlan.some((l) => l.includes('document_search_vector')) ? 'uses document_search_vector' : 'does NOT use document_search_vector';
  rows.push({ name: 'search as staff, 8 clients', ...s1, note: `p95 ${s1.p95.toFixed(1)} ms; '${SEARCH_TERMS[0]}': ${foundStaff}` });
  rows.push({ name: 'search as staff, 1 client', ...s1one, note: `p95 ${s1one.p95.toFixed(1)} ms` });
  rows.push({
    name: 'search as director, 8 clients',
    ...s2,
    baseline: base.rate,
    note: `p95 ${s2.p95.toFixed(1)} ms; '${SEARCH_TERMS[0]}': ${foundDirector}`,
  });
  rows.push({ name: '  SQL baseline (count of the match), 8 clients', ...base, note: `p95 ${base.p95.toFixed(1)} ms` });
  rows.push({ name: 'search as director, 1 client', ...s3, note: `p95 ${s3.p95.toFixed(1)} ms` });
  if (s4) rows.push({ name: `search '${numbered}' as director, 1 client`, ...s4, note: `p95 ${s4.p95.toFixed(1)} ms; the number's plan ${index}` });
  process.stderr.write(`EXPLAIN of the director's match:\n${plan.map((l) => `  ${l}`).join('\n')}\n`);
  process.stderr.write(`EXPLAIN ANALYZE of a number over the whole table:\n${numberPlan.map((l) => `  ${l}`).join('\n')}\n`);
  return rows;
}

/* Standalone: the search case alone, on an already generated database. */
if (require.main === module) {
  const url = process.argv[2];
  const seconds = Number(process.argv[3] ?? 10);
  if (!url) {
    process.stderr.write('usage: node dist/scripts/bench-search.js <database url of a generated bench database> [seconds]\n');
    process.exit(2);
  }
  void (async () => {
    const pg = new Pool({ connectionString: url, max: 8 });
    const staffRow = (
      await pg.query(
        `select a.username, coalesce(case when u.kind = 'DEPARTMENT' then u.parent_id end, u.id) as keeping_id
           from account a join unit u on u.id = a.unit_id where a.username like 'nv%@bench.gov.vn' order by a.username limit 1`,
      )
    ).rows[0];
    const director = (await pg.query(`select username from account where username like 'director.%' and unit_id = $1`, [staffRow.keeping_id])).rows[0].username;
    const running = await startBenchServer({ databaseUrl: url, dataDir: os.tmpdir() });
    const server = running.child;
    try {
      const { api, login } = running;
      const rows = await searchCases({
        api,
        pg,
        staff: await login(staffRow.username),
        director: await login(director),
        agencyId: staffRow.keeping_id,
        seconds,
        load,
        gql,
      });
      const count = (await pg.query(`select count(*) from document`)).rows[0].count;
      process.stdout.write(`search bench: ${count} documents; ${os.cpus().length} cores; load average ${os.loadavg()[0].toFixed(2)}\n`);
      for (const r of rows)
        process.stdout.write(
          `| ${r.name.padEnd(48)} | ${r.rate.toFixed(1).padStart(7)}/s | p50 ${r.p50.toFixed(1)} | p95 ${r.p95.toFixed(1)} | p99 ${r.p99.toFixed(1)} | ${r.note ?? ''}\n`,
        );
    } finally {
      server.kill('SIGTERM');
      await pg.end();
    }
  })().catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(1);
  });
}
