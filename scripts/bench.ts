import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import { Client, Pool } from 'pg';
import { ensureDatabase, openDatabase } from '../src/db/database';
import { freePort } from '../src/db/embedded';
import { officeDate } from '../src/domain/time/office-time';
import { WorkingCalendar } from '../src/domain/time/working-calendar';
import { BENCH_PASSWORD, FULL, QUICK, generateProvince } from './bench-data';
import { fanoutCases, fanoutCounts } from './bench-fanout';
import { DOCUMENTS_SQL, DOCUMENT_SQL, INBOX_COUNTS_SQL, INBOX_SQL } from './bench-baselines';

/**
 * `npm run bench [-- --quick]`: prepares a province-sized database, starts the compiled server as in
 * production, runs each case and prints one table. Never part of `npm test`.
 */
const quick = process.argv.includes('--quick');
const scale = quick ? QUICK : FULL;
const SECONDS = quick ? 4 : 20;

interface Row {
  name: string;
  rate: number;
  p50: number;
  p99: number;
  p95?: number;
  note?: string;
  baseline?: number;
}
const rows: Row[] = [];
const log = (s: string) => process.stderr.write(`${s}\n`);

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `work` from `clients` concurrent loops for `seconds` (or `count` operations); returns rate and latencies. */
async function load(clients: number, seconds: number, work: (i: number, n: number) => Promise<void>, count?: number) {
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  let n = 0;
  let errors = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async (_v, i) => {
      while (count !== undefined ? n < count : Date.now() < deadline) {
        const k = n++;
        const t = process.hrtime.bigint();
        try {
          await work(i, k);
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        } catch (e) {
          errors++;
          if (errors < 3) log(`  error: ${(e as Error).message}`);
        }
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rate: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
    done: latencies.length,
  };
}

async function gql<T = unknown>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (body.errors?.length) throw new Error(body.errors[0].message);
  return body.data as T;
}

function peakRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
}
async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-bench-'));
  chmodSync(dir, 0o755);
  let url = process.env.DATABASE_URL;
  let server: ChildProcess | undefined;
  let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    if (url) {
      const name = `vpdt_bench_${process.pid}`;
      await ensureDatabase(url.replace(/\/[^/]*$/, ''), name);
      url = `${url.replace(/\/[^/]*$/, '')}/${name}`;
    }
    log(`preparing ${quick ? 'quick' : 'full'} dataset: ${scale.documents.toLocaleString()} documents, ${scale.accounts.toLocaleString()} accounts…`);
    db = await openDatabase({ databaseUrl: url, dataDir: dir });
    const pg = new Client({ connectionString: db.url });
    pg.on('error', (err) => log(`database connection error: ${err.message}`));
    await pg.connect();
    const started = Date.now();
    const hash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 });
    const who = await generateProvince(pg, scale, hash);
    const counts = (
      await pg.query(
        `select (select count(*) from document) d, (select count(*) from assignment) a, (select count(*) from routing_event) e, (select count(*) from unit) u`,
      )
    ).rows[0];
    log(`generated in ${((Date.now() - started) / 1000).toFixed(0)} s: ${counts.d} documents, ${counts.a} assignments, ${counts.e} events, ${counts.u} units`);

    const port = await freePort();
    // BENCH_NODE_ARGS passes options to the server's node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" for a profile of the run).
    const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    server = spawn(process.execPath, [...nodeArgs, path.join(__dirname, '../src/main.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: db.url,
        PORT: String(port),
        TOKEN_SECRET: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'warn',
        DATA_DIR: dir,
        LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
        WS_CONNECTIONS_PER_ACCOUNT: '20000',
        AUDIT_CHECKPOINT_SECONDS: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      server!.stdout!.on('data', (d) => String(d).includes('Server ready') && resolve());
      server!.on('exit', (c) => reject(new Error(`server exited ${c}`)));
    });
    const api = `http://127.0.0.1:${port}/graphql`;
    const login = async (username: string) =>
      (
        await gql<{ login: { token: string } }>(api, `mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}`, {
          u: username,
          p: BENCH_PASSWORD,
        })
      ).login.token;
    const [staff, director, clerk] = [await login(who.staff), await login(who.director), await login(who.clerk)];

    const pool = new Pool({ connectionString: db.url, max: 20 });
    pool.on('error', (err) => log(`database pool error: ${err.message}`));
    const staffId = (await pg.query(`select id from account where username = $1`, [who.staff])).rows[0].id;
    /**
     * One read case: the GraphQL request at 20 clients and at one client, and its SQL baseline (one statement building the
     * same JSON) the same ways; the note says how many rows the answer held, so a case measured on an empty page shows.
     */
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
      const many = await load(20, SECONDS, (_i, k) => gql(api, query, vars(k), token));
      const one = await load(1, SECONDS / 2, (_i, k) => gql(api, query, vars(k), token));
      const baseMany = await load(20, SECONDS, async (_i, k) => void (await pool.query(sql, params(k))));
      const baseOne = await load(1, SECONDS / 2, async (_i, k) => void (await pool.query(sql, params(k))));
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

    // 1. The inbox of a staff member, everything nested.
    const INBOX = `{ inbox(view: TO_PROCESS, first: 50) { totalCount edges { node { id subject keepingUnit { name } attachments { name }
      lastEvent { type at } ... on IncomingDocument { state sender { __typename } assignments { role assignee { fullName unit { name } } assigneeUnit { name } } } } } } }`;
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
    const year = new Date().getFullYear() - 1;
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

    // 4. Registrations with 32 clerks on one register; numbers must stay gapless.
    const toRegister = quick ? 600 : 3000;
    const fileId = (await pg.query(`select id from stored_file limit 1`)).rows[0].id;
    const clerkId = (await pg.query(`select id from account where username = $1`, [who.clerk])).rows[0].id;
    const fresh = (
      await pg.query(
        `insert into document (id, direction, document_type_code, issuer, subject, keeping_unit_id, state, created_by_id, received_at)
         select gen_random_uuid(), 'INCOMING', 'CV', 'UBND tỉnh', 'Đăng ký hàng loạt ' || g, $1, 'RECEIVED', $2, now() from generate_series(1, $3) g returning id`,
        [who.agencyId, clerkId, toRegister],
      )
    ).rows.map((r) => Buffer.from(`IncomingDocument:${r.id}`).toString('base64url'));
    void fileId;
    const before = Number(
      (
        await pg.query(
          `select coalesce(max(last_number), 0) as n from register where keeping_unit_id = $1 and direction = 'INCOMING' and year = extract(year from now() at time zone 'Asia/Ho_Chi_Minh')`,
          [who.agencyId],
        )
      ).rows[0].n,
    );
    const reg = await load(32, 0, (_i, k) => gql(api, `mutation($id:ID!){ registerDocument(id:$id) { arrivalNumber } }`, { id: fresh[k] }, clerk), toRegister);
    const gaps = (
      await pg.query(
        `select count(*) as n, min(arrival_number) as lo, max(arrival_number) as hi, count(distinct arrival_number) as d from document d join register r on r.id = d.register_id
          where r.keeping_unit_id = $1 and r.direction = 'INCOMING' and r.year = extract(year from now() at time zone 'Asia/Ho_Chi_Minh') and d.arrival_number > $2`,
        [who.agencyId, before],
      )
    ).rows[0];
    const gapless = Number(gaps.n) === reg.done && Number(gaps.d) === reg.done && Number(gaps.hi) - Number(gaps.lo) + 1 === reg.done;
    rows.push({
      name: 'registrations, 32 clerks on one register',
      ...reg,
      note: gapless ? `gapless: ${reg.done} numbers ${gaps.lo}..${gaps.hi}` : `GAPS: ${JSON.stringify(gaps)}`,
    });

    // 5. Logins per second (bounded by argon2id, on purpose).
    // Eight people signing in at once (one account signing in many times at once is throttled by design).
    const people = (
      await pg.query<{ username: string }>(`select username from account where username like 'nv%@bench.gov.vn' order by username limit 8`)
    ).rows.map((r) => r.username);
    rows.push({ name: 'logins (argon2id m=19 MiB t=2), 8 people', ...(await load(8, SECONDS, async (i) => void (await login(people[i])))) });

    // 6. Search as a staff member and as a director.
    const SEARCH = `query($t:String!){ documents(first: 20, filter: { text: $t }) { totalCount edges { node { id subject } } } }`;
    const terms = ['quy hoach chi tiet', 'chat luong cong trinh', 'nha o xa hoi', 'tham dinh do an', 'trat tu xay dung'];
    const found = async (token: string) => pageSize(await gql(api, SEARCH, { t: terms[0] }, token));
    const [foundStaff, foundDirector] = [await found(staff), await found(director)];
    const s1 = await load(8, SECONDS, (_i, k) => gql(api, SEARCH, { t: terms[k % terms.length] }, staff));
    const s2 = await load(8, SECONDS, (_i, k) => gql(api, SEARCH, { t: terms[k % terms.length] }, director));
    const plan = (
      await pg.query(`explain select id from document where search_text like '%quy%' and search_text like '%hoach%' and search_text like '%chi tiet%'`)
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join(' ');
    const index = /document_search_text_trgm/.test(plan) ? 'plan uses document_search_text_trgm' : 'plan does NOT use the trigram index';
    rows.push({ name: 'search as staff', ...s1, note: `p95 ${s1.p95.toFixed(1)} ms; '${terms[0]}': ${foundStaff}; ${index}` });
    rows.push({ name: 'search as director', ...s2, note: `p95 ${s2.p95.toFixed(1)} ms; '${terms[0]}': ${foundDirector}; ${index}` });

    // 7. Fan-out: N subscribers on one process, a burst of events; latency from commit to receipt (scripts/bench-fanout.ts).
    rows.push(...(await fanoutCases({ api, pg, serverPid: server.pid!, token: director, agencyId: who.agencyId, counts: fanoutCounts(quick) })));

    const peak = peakRss(server.pid!);
    await pool.end();
    await pg.end();
    const load1 = os.loadavg()[0];
    const pad = (s: string, n: number) => s.padEnd(n);
    const num = (v: number | undefined, d = 1) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(d));
    const out = [
      `Benchmark (${quick ? 'quick' : 'full'}): ${counts.d} documents, ${counts.a} assignments, ${counts.e} routing events, ${counts.u} units; ${os.cpus().length} cores; load average ${load1.toFixed(2)}; server peak RSS ${peak.toFixed(0)} MB`,
      '',
      `| ${pad('case', 50)} | ops/s    | p50 ms  | p99 ms  | vs SQL     | note`,
      `|${'-'.repeat(52)}|----------|---------|---------|------------|-----`,
      ...rows.map(
        (r) =>
          `| ${pad(r.name, 50)} | ${pad(num(r.rate), 8)} | ${pad(num(r.p50), 7)} | ${pad(num(r.p99), 7)} | ${pad(r.baseline ? num(r.rate / r.baseline, 2) : '', 10)} | ${r.note ?? ''}`,
      ),
    ];
    process.stdout.write(out.join('\n') + '\n');
  } finally {
    server?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await db?.close().catch(() => undefined);
    if (url && !process.env.BENCH_KEEP) {
      const admin = new Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
      await admin.connect();
      await admin.query(`drop database if exists "${url.split('/').pop()}" with (force)`);
      await admin.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
