import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'pg';

/** What `scripts/bench.ts` hands a write case: its load loop, a GraphQL call and the bench's row shape. */
export interface WriteBench {
  pg: Client;
  api: string;
  quick: boolean;
  agencyId: string;
  clerkUsername: string;
  clerkToken: string;
  /** The server's process, whose CPU time the row reports per registration. */
  serverPid?: number;
  load: (
    clients: number,
    seconds: number,
    work: (i: number, n: number) => Promise<void>,
    count?: number,
  ) => Promise<{ rate: number; p50: number; p95: number; p99: number; errors: number; done: number }>;
  gql: (url: string, query: string, variables?: Record<string, unknown>, token?: string) => Promise<unknown>;
}

/** CPU time a process has used so far, in ms (user + system, from /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** The PostgreSQL postmaster serving `pg` and its children (backends, WAL writer…), by its data directory and /proc. */
async function postgresPids(pg: Client): Promise<number[]> {
  try {
    const dir = (await pg.query(`select setting from pg_settings where name = 'data_directory'`)).rows[0].setting as string;
    const postmaster = Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const pids = [postmaster];
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) pids.push(Number(e));
      } catch {
        /* gone */
      }
    }
    return pids;
  } catch {
    return []; // not readable from here (another user's data directory): the row says so
  }
}

/**
 * Registrations with 32 clerks on one register: `toRegister` RECEIVED documents of the agency are
 * registered through the API, 32 at a time; afterwards the numbers they took must run without gap or
 * repeat. The row reports the rate, the latencies and the gap check.
 */
export async function benchRegistrations(b: WriteBench) {
  const { pg, api } = b;
  // BENCH_REGISTRATIONS overrides the count (a longer run for steadier CPU figures).
  const toRegister = Number(process.env.BENCH_REGISTRATIONS) || (b.quick ? 600 : 3000);
  const clerkId = (await pg.query(`select id from account where username = $1`, [b.clerkUsername])).rows[0].id;
  const fresh = (
    await pg.query(
      `insert into document (id, direction, document_type_code, issuer, subject, keeping_unit_id, state, created_by_id, received_at)
       select gen_random_uuid(), 'INCOMING', 'CV', 'UBND tỉnh', 'Đăng ký hàng loạt ' || g, $1, 'RECEIVED', $2, now() from generate_series(1, $3) g returning id`,
      [b.agencyId, clerkId, toRegister],
    )
  ).rows.map((r) => Buffer.from(`IncomingDocument:${r.id}`).toString('base64url'));
  const year = `extract(year from now() at time zone 'Asia/Ho_Chi_Minh')`;
  const before = Number(
    (
      await pg.query(`select coalesce(max(last_number), 0) as n from register where keeping_unit_id = $1 and direction = 'INCOMING' and year = ${year}`, [
        b.agencyId,
      ])
    ).rows[0].n,
  );
  const MUTATION = `mutation($id:ID!){ registerDocument(id:$id) { arrivalNumber } }`;
  // CPU per registration (server, PostgreSQL, this load generator): on a shared machine a steadier measure than the rate.
  // PostgreSQL's processes come and go (autovacuum workers, connections): each one's CPU is counted from
  // when it was first seen; one that ended during the run takes what it used then with it (a lower bound).
  const pgBefore = new Map((await postgresPids(pg)).map((p) => [p, cpuMs(p)]));
  const cpu = () => ({
    server: b.serverPid ? cpuMs(b.serverPid) : NaN,
    bench: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
  });
  // The bench's client (scripts/bench-server.ts): node:http with kept-alive connections.
  const register = (id: string) => b.gql(api, MUTATION, { id }, b.clerkToken);
  const cpuBefore = cpu();
  const reg = await b.load(32, 0, async (_i, k) => void (await register(fresh[k])), toRegister);
  const cpuAfter = cpu();
  const pgAfter = await postgresPids(pg);
  const postgres = pgAfter.length ? pgAfter.reduce((sum, p) => sum + Math.max(0, cpuMs(p) - (pgBefore.get(p) ?? 0)), 0) : NaN;
  const spent = { server: cpuAfter.server - cpuBefore.server, bench: cpuAfter.bench - cpuBefore.bench, postgres };
  const per = (k: 'server' | 'postgres' | 'bench') => (spent[k] / Math.max(reg.done, 1)).toFixed(2);
  const gaps = (
    await pg.query(
      `select count(*) as n, min(arrival_number) as lo, max(arrival_number) as hi, count(distinct arrival_number) as d from document d join register r on r.id = d.register_id
        where r.keeping_unit_id = $1 and r.direction = 'INCOMING' and r.year = ${year} and d.arrival_number > $2`,
      [b.agencyId, before],
    )
  ).rows[0];
  const gapless = Number(gaps.n) === reg.done && Number(gaps.d) === reg.done && Number(gaps.hi) - Number(gaps.lo) + 1 === reg.done;
  return {
    name: 'registrations, 32 clerks on one register',
    ...reg,
    note:
      (gapless ? `gapless: ${reg.done} numbers ${gaps.lo}..${gaps.hi}` : `GAPS: ${JSON.stringify(gaps)}`) +
      `; CPU ms per registration: server ${per('server')}, PostgreSQL ${per('postgres')}, load generator ${per('bench')}`,
  };
}
