import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import argon2 from 'argon2';
import { Client } from 'pg';
import { openDatabase } from '../src/db/database';
import { startFanoutBaseline } from './bench-fanout-baseline';
import { percentile, startBenchServer } from './bench-server';
import { BENCH_PASSWORD, QUICK, generateProvince } from './bench-data';
import type { ClientMessage } from './bench-fanout-client';

/**
 * The fan-out case of the bench: N subscribers to `routingEvents` on the one server process, opened by
 * several load-generator processes (scripts/bench-fanout-client.ts, at most 2,500 sockets each) so
 * that the generator's own event loop does not hold the events up; then a burst of events, each
 * timed from just before its insert (autocommit) to its arrival in a client. It reports how many
 * events arrived, the server's RSS with the subscriptions open and the growth per idle connection.
 *
 * Run alone (`node dist/scripts/bench-fanout.js --fanout=1000,5000`) it prepares the quick dataset and
 * a server of its own; `npm run bench` calls {@link fanoutCases} with its own.
 */
export interface FanoutRow {
  name: string;
  rate: number;
  p50: number;
  p99: number;
  note?: string;
  /** The baseline's p99 over this row's (bench.ts shows it in the "vs SQL" column). */
  vsBaseline?: number;
}

const log = (s: string) => process.stderr.write(`${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SOCKETS_PER_PROCESS = 2500;
const QUERY = `subscription { routingEvents(filter: { types: [PROGRESS] }) { note } }`;

function rss(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return NaN;
  }
}

/** CPU time the process has used so far, in ms (user + system, from /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** The subscriber counts asked for by `--fanout=1000,5000`, or the defaults. */
export function fanoutCounts(quick: boolean, argv = process.argv): number[] {
  const arg = argv.find((a) => a.startsWith('--fanout='));
  return arg ? arg.slice(9).split(',').map(Number) : quick ? [1000] : [1000, 5000, 10000];
}

/**
 * A load-generator process. Started through the shell so that its file-descriptor limit is raised
 * to the hard limit first (`ulimit -n`): 2,500 sockets pass the usual soft limit of 1,024.
 */
function generator(): ChildProcess {
  const script = path.join(__dirname, 'bench-fanout-client.js');
  return spawn('/bin/sh', ['-c', `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "${process.execPath}" "${script}"`], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function next<T extends ClientMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ClientMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const on = (m: ClientMessage) => {
      if (m.type !== type) return;
      child.off('message', on);
      resolve(m as Extract<ClientMessage, { type: T }>);
    };
    child.on('message', on);
    child.once('exit', (c) => reject(new Error(`load generator exited ${c}`)));
  });
}

let measurements = 0;

/** One fan-out measurement: subscribers opened, a burst sent, what arrived and what the serving process spent. */
interface Fanout {
  latencies: number[];
  connected: number;
  refused: number;
  closed: string;
  processes: number;
  kBPerIdle: number;
  rssOpen: number;
  cpu: number;
  load: number;
}

/**
 * Opens subscribers to `url` (a graphql-ws endpoint) from several generator processes, `groups` of them
 * each signed in with its own token, sends a burst of `burst` events through `publish` (each timed from
 * just before it is called), waits until `expectedPerEvent` subscribers have each one (by default all
 * that connected; at most 60 s) and collects the latencies. `pid` is the serving process, whose RSS and
 * CPU time are read from /proc.
 */
async function measureFanout(o: {
  url: string;
  groups: Array<{ token: string; count: number }>;
  pid: number;
  burst: number;
  publish: (note: string) => Promise<unknown>;
  expectedPerEvent?: number;
}): Promise<Fanout> {
  // At most SOCKETS_PER_PROCESS sockets per process, and at least two processes for a group of several hundred.
  const shares = o.groups.flatMap((g) => {
    const k = Math.max(g.count >= 500 ? 2 : 1, Math.ceil(g.count / SOCKETS_PER_PROCESS));
    return Array.from({ length: k }, (_, i) => ({ token: g.token, count: Math.floor(g.count / k) + (i < g.count % k ? 1 : 0) }));
  });
  const processes = shares.length;
  const children = shares.map(() => generator());
  try {
    const idleBefore = rss(o.pid);
    const ready = children.map((c) => next(c, 'ready'));
    children.forEach((c, i) => c.send({ type: 'start', url: o.url, token: shares[i].token, count: shares[i].count, query: QUERY }));
    const started = await Promise.all(ready);
    const connected = started.reduce((s, r) => s + r.connected, 0);
    const refused = started.reduce((s, r) => s + r.refused, 0);
    await sleep(1500);
    const idleAfter = rss(o.pid);
    const received = new Array<number>(processes).fill(0);
    children.forEach((c, i) => c.on('message', (m: ClientMessage) => m.type === 'progress' && (received[i] = m.received)));

    const sentAt = new Map<string, number>();
    const load = os.loadavg()[0];
    const cpuBefore = cpuMs(o.pid);
    for (let b = 0; b < o.burst; b++) {
      const note = `m${++measurements}b${b}`;
      sentAt.set(note, Date.now());
      await o.publish(note);
    }
    const expected = (o.expectedPerEvent ?? connected) * o.burst;
    for (let i = 0; i < 600 && received.reduce((s, r) => s + r, 0) < expected; i++) await sleep(100);
    const rssOpen = rss(o.pid);
    // The serving process's own CPU time for the burst: what the delivery cost, whatever else the machine was doing.
    const cpu = cpuMs(o.pid) - cpuBefore;
    const reports = await Promise.all(
      children.map((c) => {
        const r = next(c, 'report');
        c.send({ type: 'report' });
        return r;
      }),
    );
    const latencies: number[] = [];
    const closes: Record<string, number> = {};
    for (const r of reports) {
      for (const [note, times] of Object.entries(r.receipts)) {
        const t = sentAt.get(note);
        if (t !== undefined) for (const at of times) latencies.push(at - t);
      }
      for (const [code, k] of Object.entries(r.closes)) closes[code] = (closes[code] ?? 0) + k;
      if (r.errors.length) log(`  subscription refused: ${r.errors[0]}`);
    }
    latencies.sort((a, b) => a - b);
    const closed = Object.entries(closes)
      .map(([c, k]) => `${k}×${c}`)
      .join(' ');
    return { latencies, connected, refused, closed, processes, kBPerIdle: ((idleAfter - idleBefore) * 1024) / Math.max(connected, 1), rssOpen, cpu, load };
  } finally {
    for (const c of children) if (c.connected) c.send({ type: 'stop' });
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : Promise.resolve())));
    await sleep(1000);
  }
}

/** A row's figures from a measurement: rate, p50, p99, and the first part of its note (delivered and connected). */
function fanoutRow(name: string, f: Fanout, n: number, burst: number, opened = n): FanoutRow & { note: string } {
  const { latencies: l } = f;
  return {
    name,
    rate: l.length / ((l[l.length - 1] ?? 1) / 1000),
    p50: percentile(l, 50),
    p99: percentile(l, 99),
    note:
      `${l.length}/${n * burst} delivered${opened === n ? ` (${f.connected * burst} to connected clients)` : ''}; ${f.connected}/${opened} connected, ${f.refused} refused` +
      `${f.closed ? `, closed ${f.closed}` : ''}; ${f.processes} generator processes; `,
  };
}

const cpuNote = (f: Fanout, who: string) =>
  `${who} CPU ${f.cpu} ms for the burst (${((f.cpu * 1000) / Math.max(f.latencies.length, 1)).toFixed(0)} µs per event delivered); load ${f.load.toFixed(2)}`;

/**
 * Two rows per subscriber count: the server, then the same load against the bare graphql-ws server fed
 * by LISTEN (scripts/bench-fanout-baseline.ts), its events sent by `pg_notify` instead of the insert.
 * The server's row carries `vsBaseline`, the baseline's p99 over the server's (1 = as fast, lower = slower).
 */
export async function fanoutCases(o: {
  api: string;
  pg: Client;
  databaseUrl: string;
  serverPid: number;
  token: string;
  agencyId: string;
  counts: number[];
  /** Signs a generated account in (for the audience case's subscribers of other agencies). */
  login: (username: string) => Promise<string>;
}): Promise<FanoutRow[]> {
  const rows: FanoutRow[] = [];
  const burst = 20;
  const channel = `bench_fanout_${process.pid}`;
  const docId = (await o.pg.query(`select id from document where keeping_unit_id = $1 limit 1`, [o.agencyId])).rows[0].id;
  const baseline = await startFanoutBaseline(o.databaseUrl, channel);
  try {
    for (const n of o.counts) {
      const insert = (note: string) => o.pg.query(`insert into routing_event (document_id, type, note, at) values ($1, 'PROGRESS', $2, now())`, [docId, note]);
      const server = await measureFanout({
        url: o.api.replace('http', 'ws'),
        groups: [{ token: o.token, count: n }],
        pid: o.serverPid,
        burst,
        publish: insert,
      });
      const notify = (note: string) => o.pg.query(`select pg_notify($1, $2)`, [channel, JSON.stringify({ type: 'PROGRESS', note })]);
      const bare = await measureFanout({ url: baseline.url, groups: [{ token: o.token, count: n }], pid: baseline.child.pid!, burst, publish: notify });
      const serverRow = fanoutRow(`fan-out to ${n} subscribers, burst of ${burst}`, server, n, burst);
      const bareRow = fanoutRow(`  bare graphql-ws fed by LISTEN, ${n} subscribers`, bare, n, burst);
      serverRow.vsBaseline = bareRow.p99 / serverRow.p99;
      serverRow.note +=
        `${server.kBPerIdle.toFixed(1)} kB per idle connection; server RSS ${server.rssOpen.toFixed(0)} MB with ${server.connected} open; ` +
        `${cpuNote(server, 'server')}; ratio: bare graphql-ws p99 / this p99 (1 = as fast, lower = slower)`;
      bareRow.note += `baseline RSS ${bare.rssOpen.toFixed(0)} MB with ${bare.connected} open; ${cpuNote(bare, 'baseline')}`;
      rows.push(serverRow, bareRow);
      for (const r of [serverRow, bareRow]) log(`  ${r.name.trim()}: p99 ${r.p99} ms; ${r.note}`);
    }
    rows.push(await audienceCase(o, docId, Math.max(...o.counts), burst));
  } finally {
    const exited = new Promise((r) => baseline.child.once('exit', r));
    baseline.child.kill('SIGTERM');
    await exited;
  }
  return rows;
}

/**
 * The audience case: `n` subscribers of whom 1 % (the director, who reads the document) are concerned
 * by the burst, the others staff members of other agencies, who may read nothing of it. The server
 * wakes only the concerned (src/events/audience-index.ts), so the burst should cost it about what
 * delivering to the 1 % costs, not what waking `n` subscribers would. Latencies are the concerned
 * subscribers'; the note gives the server's CPU per event of the burst.
 */
async function audienceCase(
  o: { api: string; pg: Client; serverPid: number; token: string; agencyId: string; login: (username: string) => Promise<string> },
  docId: string,
  n: number,
  burst: number,
): Promise<FanoutRow> {
  const concerned = Math.max(1, Math.round(n / 100));
  const others = (
    await o.pg.query<{ username: string }>(
      `select a.username from account a join unit u on u.id = a.unit_id
        where a.username like 'nv%@bench.gov.vn' and coalesce(u.parent_id, u.id) <> $1 and u.id <> $1 order by a.username limit 4`,
      [o.agencyId],
    )
  ).rows;
  const tokens = await Promise.all(others.map((r) => o.login(r.username)));
  const outside = n - concerned;
  const groups = [
    { token: o.token, count: concerned },
    ...tokens.map((token, i) => ({ token, count: Math.floor(outside / tokens.length) + (i < outside % tokens.length ? 1 : 0) })),
  ];
  const insert = (note: string) => o.pg.query(`insert into routing_event (document_id, type, note, at) values ($1, 'PROGRESS', $2, now())`, [docId, note]);
  const f = await measureFanout({ url: o.api.replace('http', 'ws'), groups, pid: o.serverPid, burst, publish: insert, expectedPerEvent: concerned });
  const row = fanoutRow(`fan-out to ${concerned} concerned among ${n} subscribers, burst of ${burst}`, f, concerned, burst, n);
  row.note +=
    `${n - concerned} subscribers of ${tokens.length} staff members of other agencies, who may read nothing of it; ` +
    `server CPU ${f.cpu} ms for the burst (${(f.cpu / burst).toFixed(1)} ms per event); load ${f.load.toFixed(2)}`;
  log(`  ${row.name}: p99 ${row.p99} ms; ${row.note}`);
  return row;
}

/** Alone: the quick dataset, a production-mode server, the director's token, the fan-out cases. */
async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-fanout-'));
  chmodSync(dir, 0o755);
  let server: ChildProcess | undefined;
  const db = await openDatabase({ dataDir: dir });
  try {
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const hash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 });
    const who = await generateProvince(pg, QUICK, hash);
    const started = await startBenchServer({ databaseUrl: db.url, dataDir: dir });
    server = started.child;
    const { api } = started;
    const token = await started.login(who.director);
    const rows = await fanoutCases({
      api,
      pg,
      databaseUrl: db.url,
      serverPid: server.pid!,
      token,
      agencyId: who.agencyId,
      counts: fanoutCounts(true),
      login: started.login,
    });
    await pg.end();
    process.stdout.write(
      [
        `Fan-out (quick dataset); ${os.cpus().length} cores; load average ${os.loadavg()[0].toFixed(2)}`,
        ...rows.map((r) => `| ${r.name} | p50 ${r.p50.toFixed(1)} ms | p99 ${r.p99.toFixed(1)} ms | ${r.vsBaseline?.toFixed(2) ?? ''} | ${r.note}`),
      ].join('\n') + '\n',
    );
  } finally {
    server?.kill('SIGTERM');
    await sleep(500);
    await db.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
