import 'reflect-metadata';
import { type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import { Client, Pool } from 'pg';
import { openDatabase } from '../src/db/database';
import { officeDate } from '../src/domain/time/office-time';
import { WorkingCalendar } from '../src/domain/time/working-calendar';
import { DOCUMENTS_SQL, DOCUMENT_SQL, DOSSIERS_SQL, INBOX_COUNTS_SQL, INBOX_SQL } from './bench-baselines';
import { gql, load, startBenchServer } from './bench-server';
import { BENCH_PASSWORD, QUICK, FULL, generateProvince } from './bench-data';

/**
 * The read cases of `npm run bench` (each GraphQL read at 20 clients and at one client, beside its SQL
 * baseline, one statement building the same JSON, measured the same ways in the same run), and a
 * reads-only run of them: `node dist/scripts/bench-reads.js [--quick]`, for profiling the read path
 * without the other cases (BENCH_NODE_ARGS as in bench.ts).
 */

export interface ReadRow {
  name: string;
  rate: number;
  p50: number;
  p99: number;
  note?: string;
  baseline?: number;
}

type Load = (
  clients: number,
  seconds: number,
  work: (i: number, n: number) => Promise<void>,
) => Promise<{ rate: number; p50: number; p99: number; p95: number; errors: number; done: number }>;

export interface ReadHarness {
  api: string;
  pool: Pool;
  pg: Client;
  who: { staff: string; director: string; clerk: string; agencyId: string };
  tokens: { staff: string; director: string };
  seconds: number;
  load: Load;
  gql: <T = unknown>(url: string, query: string, variables?: Record<string, unknown>, token?: string) => Promise<T>;
}

/** Dossiers of the director's keeping unit for the dossiers case: 120 in the year, each with up to 6 of its documents filed. */
export async function generateDossiers(pg: Client, agencyId: string, year: number): Promise<void> {
  const owner = (await pg.query<{ id: string }>(`select id from account where unit_id = $1 and username like 'director.%' limit 1`, [agencyId])).rows[0].id;
  await pg.query(
    `insert into dossier (id, code, year, notation, title, retention_years, language, start_date, owner_id, owner_unit_id, keeping_unit_id, state, closed_at)
     select md5('dossier-' || g)::uuid, '000.00.00.H08.' || $3::int || '.' || lpad(g::text, 3, '0') || '.VP', $3, lpad(g::text, 3, '0') || '.VP',
            'Hồ sơ công việc số ' || g, case when g % 4 = 0 then null else 10 end, 'vi', make_date($3::int, 1, 1), $2, $1, $1,
            case when g % 3 = 0 then 'CLOSED' else 'OPEN' end, case when g % 3 = 0 then make_date($3::int, 6, 1)::timestamptz end
       from generate_series(1, 120) g on conflict do nothing`,
    [agencyId, owner, year],
  );
  await pg.query(
    `insert into dossier_document (id, dossier_id, document_id, ordinal, filed_by_id)
     select md5('filed-' || d.id)::uuid, md5('dossier-' || (d.n / 6 + 1))::uuid, d.id, d.n % 6 + 1, $2
       from (select id, row_number() over (order by created_at, id) - 1 as n from document where keeping_unit_id = $1) d
      where d.n < 720 on conflict do nothing`,
    [agencyId, owner],
  );
  await pg.query(`analyze dossier, dossier_document`);
}

/** The inbox page every read comparison measures: a staff member's TO_PROCESS, everything nested. */
export const INBOX = `{ inbox(view: TO_PROCESS, first: 50) { totalCount edges { node { id subject keepingUnit { name } attachments { name }
      lastEvent { type at } ... on IncomingDocument { state sender { __typename } assignments { role assignee { fullName unit { name } } assigneeUnit { name } } } } } } }`;

export async function readCases(h: ReadHarness): Promise<ReadRow[]> {
  const { api, pool, pg, who, load, gql, seconds } = h;
  const rows: ReadRow[] = [];
  const staffId = (await pg.query(`select id from account where username = $1`, [who.staff])).rows[0].id;
  const readCase = async (
    name: string,
    query: string,
    vars: (k: number) => Record<string, unknown>,
    token: string,
    sql: string,
    params: (k: number) => unknown[],
    size: (data: unknown) => string,
  ) => {
    const first = await gql(api, query, vars(0), token);
    const base = ((await pool.query(sql, params(0))).rows[0] as { data: unknown }).data;
    const [gqlSize, sqlSize] = [size(first), size(base)];
    const many = await load(20, seconds, (_i, k) => gql(api, query, vars(k), token));
    const one = await load(1, seconds / 2, (_i, k) => gql(api, query, vars(k), token));
    const baseMany = await load(20, seconds, async (_i, k) => void (await pool.query(sql, params(k))));
    const baseOne = await load(1, seconds / 2, async (_i, k) => void (await pool.query(sql, params(k))));
    const same = gqlSize === sqlSize ? '' : ` (SQL baseline: ${sqlSize})`;
    rows.push({ name: `${name}, 20 clients`, ...many, baseline: baseMany.rate, note: `${gqlSize}${same}; p99 ${many.p99.toFixed(1)} ms` });
    rows.push({ name: `  SQL baseline, 20 clients`, ...baseMany });
    rows.push({ name: `${name}, 1 client`, ...one, note: `p50 ${(one.p50 / baseOne.p50).toFixed(2)}× the statement's` });
    rows.push({ name: `  SQL baseline, 1 client`, ...baseOne });
  };
  const pageSize = (d: unknown) => {
    const c = (d && typeof d === 'object' && 'edges' in d ? d : Object.values(d as Record<string, unknown>)[0]) as { edges: unknown[]; totalCount: number };
    return `${c.edges.length} rows of ${c.totalCount}`;
  };
  const { staff, director } = h.tokens;

  // 1. The inbox of a staff member, everything nested.

  process.stderr.write('reads…\n');
  await readCase(
    'inbox TO_PROCESS first:50, nested',
    INBOX,
    () => ({}),
    staff,
    INBOX_SQL,
    () => [staffId],
    pageSize,
  );

  // 2. documents(first: 50) as a director over a year, with filters.
  const DOCS = `query($y:Int){ documents(first: 50, filter: { registerYear: $y, urgency: [NORMAL, URGENT] }) { totalCount edges { node { id subject numberAndSymbol } } } }`;
  // The director's busiest register year: with last year, the full run of 02/12/2026 read 0 rows of 0 (and so did its baseline).
  const busiest = await pg.query<{ year: number }>(
    `select r.year from document d join register r on r.id = d.register_id where d.keeping_unit_id = $1 group by r.year order by count(*) desc, r.year desc limit 1`,
    [who.agencyId],
  );
  const year = busiest.rows[0]?.year ?? new Date().getFullYear() - 1;
  await readCase(
    'documents first:50 as director, one year',
    DOCS,
    () => ({ y: year }),
    director,
    DOCUMENTS_SQL,
    () => [who.agencyId, year],
    pageSize,
  );

  // 3. document(id) with its full history.
  // Completed documents of the agency (the quick dataset may have none: then any of its incoming documents).
  const sampleKeys = (
    await pg.query(`select id from document where keeping_unit_id = $1 and direction = 'INCOMING' order by (state = 'COMPLETED') desc, id limit 200`, [
      who.agencyId,
    ])
  ).rows.map((r) => r.id as string);
  const sample = sampleKeys.map((id) => Buffer.from(`IncomingDocument:${id}`).toString('base64url'));
  const ONE = `query($id:ID!){ document(id:$id) { id subject history(first: 100) { totalCount edges { node { type fromState toState at actor { fullName } } } } } }`;
  const historySize = (d: unknown) => {
    const doc = (d as { document?: unknown }).document ?? d;
    return `history ${pageSize((doc as { history: unknown }).history)}`;
  };
  await readCase(
    'document(id) with full history',
    ONE,
    (k) => ({ id: sample[k % sample.length] }),
    director,
    DOCUMENT_SQL,
    (k) => [sampleKeys[k % sampleKeys.length], who.agencyId],
    historySize,
  );

  // 3b. The inbox counts of the staff member.
  const COUNTS = `{ inboxCounts { TO_REGISTER TO_SUBMIT AWAITING_DIRECTION TO_PROCESS DUE_SOON OVERDUE RETURNED FOR_INFORMATION DRAFTS TO_REVIEW TO_SIGN TO_ISSUE } }`;
  // The generated province records no holidays: its calendar is weekends only.
  const { overdueUpTo, dueSoonUpTo } = WorkingCalendar.WEEKENDS_ONLY.deadlineBounds(officeDate(new Date(), 'Asia/Ho_Chi_Minh'));
  const countsSize = (d: unknown) => {
    const c = ((d as { inboxCounts?: unknown }).inboxCounts ?? d) as Record<string, number>;
    return `TO_PROCESS ${c.TO_PROCESS}, DUE_SOON ${c.DUE_SOON}, OVERDUE ${c.OVERDUE}, DRAFTS ${c.DRAFTS}`;
  };
  await readCase(
    'inboxCounts as staff',
    COUNTS,
    () => ({}),
    staff,
    INBOX_COUNTS_SQL,
    () => [staffId, overdueUpTo, dueSoonUpTo],
    countsSize,
  );

  // 3c. A page of the director's dossiers with their documents.
  await generateDossiers(pg, who.agencyId, year);
  const DOSSIERS = `query($y:Int){ dossiers(first: 50, filter: { year: $y }) { totalCount edges { node { id code title state closedAt creator { fullName }
      keepingUnit { name } documentCount documents { ordinal document { id subject } } } } } }`;
  const dossierSize = (d: unknown) => {
    const c = ((d as { dossiers?: unknown }).dossiers ?? d) as { edges: Array<{ node: { documents: unknown[] } }>; totalCount: number };
    return `${c.edges.length} rows of ${c.totalCount}, ${c.edges.reduce((n, e) => n + e.node.documents.length, 0)} documents`;
  };
  await readCase(
    'dossiers first:50 as director, with documents',
    DOSSIERS,
    () => ({ y: year }),
    director,
    DOSSIERS_SQL,
    () => [who.agencyId, year],
    dossierSize,
  );
  return rows;
}

/** The reads-only run: a fresh database, the compiled server, the read cases, one table. */
async function main() {
  const quick = process.argv.includes('--quick');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-bench-reads-'));
  chmodSync(dir, 0o755);
  let server: ChildProcess | undefined;
  // BENCH_SQL_LOG=file: PostgreSQL logs every statement of the run there (for EXPLAIN); BENCH_KEEP: the data directory stays.
  const sqlLog = process.env.BENCH_SQL_LOG ? createWriteStream(process.env.BENCH_SQL_LOG) : undefined;
  const db = await openDatabase({ dataDir: dir, log: sqlLog && ((line) => sqlLog.write(`${line}\n`)) });
  try {
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    pg.on('error', (err) => process.stderr.write(`database connection error: ${err.message}\n`));
    const hash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 });
    const who = await generateProvince(pg, quick ? QUICK : FULL, hash);
    if (sqlLog) await pg.query(`alter database vpdt set log_min_duration_statement = 0`);
    const started = await startBenchServer({ databaseUrl: db.url, dataDir: dir });
    server = started.child;
    const { api, login } = started;
    const pool = new Pool({ connectionString: db.url, max: 20 });
    pool.on('error', (err) => process.stderr.write(`database pool error: ${err.message}\n`));
    const tokens = { staff: await login(who.staff), director: await login(who.director) };
    const rows = await readCases({ api, pool, pg, who, tokens, seconds: quick ? 4 : 20, load, gql });
    await pool.end();
    await pg.end();
    const num = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(1));
    process.stdout.write(
      [
        `Reads (${quick ? 'quick' : 'full'}); load average ${os.loadavg()[0].toFixed(2)}`,
        ...rows.map(
          (r) =>
            `| ${r.name.padEnd(50)} | ${num(r.rate).padEnd(8)} | ${num(r.p50).padEnd(7)} | ${num(r.p99).padEnd(7)} | ${r.baseline ? (r.rate / r.baseline).toFixed(2).padEnd(5) : '     '} | ${r.note ?? ''}`,
        ),
      ].join('\n') + '\n',
    );
  } finally {
    server?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await db.close().catch(() => undefined);
    if (process.env.BENCH_KEEP) process.stderr.write(`data directory kept: ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
