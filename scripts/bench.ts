import 'reflect-metadata';
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import { Client, Pool } from 'pg';
import { ensureDatabase, openDatabase } from '../src/db/database';
import { BENCH_PASSWORD, FULL, QUICK, generateProvince } from './bench-data';
import { gql, load, startBenchServer } from './bench-server';
import { INBOX, readCases } from './bench-reads';
import { fanoutCases, fanoutCounts } from './bench-fanout';
import { searchCases } from './bench-search';
import { compareWorkers, workerCounts } from './bench-workers';
import { benchRegistrations } from './bench-writes';

/**
 * `npm run bench [-- --quick]`: prepares a province-sized database, starts the compiled server as in
 * production, runs each case and prints one table. Never part of `npm test`.
 */
const quick = process.argv.includes('--quick');
const scale = quick ? QUICK : FULL;
const SECONDS = quick ? 4 : 20;
// `--only=registrations,reads` runs only the named cases (reads, registrations, logins, search, fanout).
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const runs = (name: string) => !only || only.includes(name);

interface Row {
  name: string;
  rate: number;
  p50: number;
  p99: number;
  p95?: number;
  note?: string;
  baseline?: number;
  /** A ratio against a baseline other than a rate (the fan-out's: the bare server's p99 over this one's). */
  vsBaseline?: number;
}
const rows: Row[] = [];
const log = (s: string) => process.stderr.write(`${s}\n`);

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

    const running = await startBenchServer({ databaseUrl: db.url, dataDir: dir });
    server = running.child;
    const { api, login } = running;
    const [staff, director, clerk] = [await login(who.staff), await login(who.director), await login(who.clerk)];

    const pool = new Pool({ connectionString: db.url, max: 20 });
    pool.on('error', (err) => log(`database pool error: ${err.message}`));
    // 1–3. The read cases, each beside its SQL baseline (scripts/bench-reads.ts).
    if (runs('reads')) rows.push(...(await readCases({ api, pool, pg, who, tokens: { staff, director }, seconds: SECONDS, load, gql })));

    // 4. Registrations with 32 clerks on one register; numbers must stay gapless (scripts/bench-writes.ts).
    if (runs('registrations'))
      rows.push(
        await benchRegistrations({ pg, api, quick, agencyId: who.agencyId, clerkUsername: who.clerk, clerkToken: clerk, serverPid: server.pid, load, gql }),
      );

    // 5. Logins per second (bounded by argon2id, on purpose).
    // Eight people signing in at once (one account signing in many times at once is throttled by design).
    const people = (
      await pg.query<{ username: string }>(`select username from account where username like 'nv%@bench.gov.vn' order by username limit 8`)
    ).rows.map((r) => r.username);
    if (runs('logins'))
      rows.push({ name: 'logins (argon2id m=19 MiB t=2), 8 people', ...(await load(8, SECONDS, async (i) => void (await login(people[i])))) });

    // 6. Search as a staff member and as a director, with its SQL baseline and plan (scripts/bench-search.ts).
    if (runs('search')) rows.push(...(await searchCases({ api, pg: pool, staff, director, agencyId: who.agencyId, seconds: SECONDS, load, gql })));

    // 7. Fan-out: N subscribers on one process, a burst of events; latency from commit to receipt (scripts/bench-fanout.ts).
    if (runs('fanout'))
      rows.push(
        ...(await fanoutCases({
          api,
          pg,
          databaseUrl: db.url,
          serverPid: server.pid!,
          token: director,
          agencyId: who.agencyId,
          counts: fanoutCounts(quick),
          login,
        })),
      );

    const peak = peakRss(server.pid!);
    // 8. Several cores: the inbox and the registrations against WORKERS=1 and WORKERS=2 (scripts/bench-workers.ts), this server stopped first.
    const counts2 = workerCounts(process.argv);
    if (counts2.length) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
      const opts = { databaseUrl: db.url, dataDir: dir, seconds: SECONDS, registrations: quick ? 600 : 3000, inboxQuery: INBOX, password: BENCH_PASSWORD };
      rows.push(...(await compareWorkers({ ...opts, staff: who.staff, clerk: who.clerk, agencyId: who.agencyId, pg, load, gql, log }, counts2)));
    }
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
          `| ${pad(r.name, 50)} | ${pad(num(r.rate), 8)} | ${pad(num(r.p50), 7)} | ${pad(num(r.p99), 7)} | ${pad(r.vsBaseline !== undefined ? num(r.vsBaseline, 2) : r.baseline ? num(r.rate / r.baseline, 2) : '', 10)} | ${r.note ?? ''}`,
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
