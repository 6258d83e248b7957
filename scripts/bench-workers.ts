import { type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import type { Client } from 'pg';
import { startBenchServer } from './bench-server';

/**
 * Issue 17, target 6 (several cores): the same cases against the production build started with
 * WORKERS=1 and WORKERS=2 (`--workers=1,2`, the default; `--workers=` skips), one server after the
 * other on the bench's database, with the memory of all the server's processes summed (the primary
 * and its workers). `--worker-rounds=2` runs the counts twice, the second time in reverse order
 * (1, 2, 2, 1), so that a change in the machine's load shows.
 */

interface Result {
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  done: number;
}
export interface WorkerRow extends Result {
  name: string;
  note?: string;
}

export interface WorkerBenchOptions {
  databaseUrl: string;
  dataDir: string;
  seconds: number;
  /** How many registrations each run makes. */
  registrations: number;
  inboxQuery: string;
  staff: string;
  clerk: string;
  password: string;
  agencyId: string;
  pg: Client;
  load: (clients: number, seconds: number, work: (i: number, n: number) => Promise<void>, count?: number) => Promise<Result>;
  gql: <T = unknown>(url: string, query: string, variables?: Record<string, unknown>, token?: string) => Promise<T>;
  log: (s: string) => void;
}

/** The counts of workers asked for on the command line; [] to skip. */
export function workerCounts(argv: string[]): number[] {
  const arg = argv.find((a) => a.startsWith('--workers='));
  const counts = arg === undefined ? [1, 2] : arg.slice(10).split(',').filter(Boolean).map(Number);
  const rounds = Number(argv.find((a) => a.startsWith('--worker-rounds='))?.slice(16) ?? 1);
  const order: number[] = [];
  for (let r = 0; r < rounds; r++) order.push(...(r % 2 ? [...counts].reverse() : counts));
  return order;
}

/** The server's process and its children (the workers), by /proc. */
function tree(root: number): number[] {
  const pids = [root];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === root) pids.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return pids;
}

function kb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Samples the summed RSS of the server's processes while `run` runs; the largest sum in MB. */
async function sampledRss<T>(root: number, run: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = 0;
  const sample = () =>
    (peak = Math.max(
      peak,
      tree(root).reduce((s, pid) => s + kb(pid, 'VmRSS'), 0),
    ));
  const timer = setInterval(sample, 250);
  try {
    const value = await run();
    sample();
    return { value, peakMb: peak / 1024 };
  } finally {
    clearInterval(timer);
  }
}

async function start(o: WorkerBenchOptions, workers: number): Promise<{ child: ChildProcess; api: string }> {
  const { child, api } = await startBenchServer({ databaseUrl: o.databaseUrl, dataDir: o.dataDir, env: { WORKERS: String(workers) } });
  return { child, api };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Runs the inbox read at 20 clients and the registrations at 32 clerks against 1, 2, … workers. */
export async function compareWorkers(o: WorkerBenchOptions, counts: number[]): Promise<WorkerRow[]> {
  const rows: WorkerRow[] = [];
  const clerkId = (await o.pg.query(`select id from account where username = $1`, [o.clerk])).rows[0].id as string;
  for (const workers of counts) {
    o.log(`several cores: WORKERS=${workers}…`);
    const { child, api } = await start(o, workers);
    try {
      const login = async (u: string) =>
        (await o.gql<{ login: { token: string } }>(api, `mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}`, { u, p: o.password })).login
          .token;
      const [staff, clerk] = [await login(o.staff), await login(o.clerk)];
      const label = `${workers} worker${workers > 1 ? 's' : ''}`;
      const procs = () => `${tree(child.pid!).length} processes`;

      await o.gql(api, o.inboxQuery, {}, staff);
      const inbox = await sampledRss(child.pid!, () => o.load(20, o.seconds, () => o.gql(api, o.inboxQuery, {}, staff)));
      rows.push({
        name: `inbox first:50, 20 clients, ${label}`,
        ...inbox.value,
        note: `RSS ${inbox.peakMb.toFixed(0)} MB summed over ${procs()}; ${inbox.value.errors} errors`,
      });

      const fresh = (
        await o.pg.query(
          `insert into document (id, direction, document_type_code, issuer, subject, keeping_unit_id, state, created_by_id, received_at)
           select gen_random_uuid(), 'INCOMING', 'CV', 'UBND tỉnh', 'Đăng ký, ${label} ' || g, $1, 'RECEIVED', $2, now() from generate_series(1, $3) g returning id`,
          [o.agencyId, clerkId, o.registrations],
        )
      ).rows.map((r) => Buffer.from(`IncomingDocument:${r.id as string}`).toString('base64url'));
      const reg = await sampledRss(child.pid!, () =>
        o.load(32, 0, (_i, k) => o.gql(api, `mutation($id:ID!){ registerDocument(id:$id) { arrivalNumber } }`, { id: fresh[k] }, clerk), o.registrations),
      );
      const numbers = (
        await o.pg.query(
          `select count(*)::int as n, count(distinct arrival_number)::int as d, (max(arrival_number) - min(arrival_number) + 1)::int as span
             from document where id = any($1::uuid[])`,
          [fresh.map((g) => Buffer.from(g, 'base64url').toString().split(':')[1])],
        )
      ).rows[0] as { n: number; d: number; span: number };
      const gapless = numbers.d === reg.value.done && numbers.span === reg.value.done;
      rows.push({
        name: `registrations, 32 clerks, ${label}`,
        ...reg.value,
        note: `${gapless ? 'gapless' : `GAPS: ${JSON.stringify(numbers)}`}; RSS ${reg.peakMb.toFixed(0)} MB summed over ${procs()}`,
      });
      // The largest each process reached, summed (an upper bound: the peaks need not have coincided).
      const hwm = tree(child.pid!).reduce((s, pid) => s + kb(pid, 'VmHWM'), 0) / 1024;
      rows[rows.length - 1].note += `; peak RSS per process summed ${hwm.toFixed(0)} MB`;
    } finally {
      await stop(child);
    }
  }
  return rows;
}
