import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { ClusterMetrics, clusterMessage } from './cluster-metrics';
import type { Config } from './config';
import type { Database } from './db/database';
import { oneLine } from './errors/one-line';
import { withServerFlags } from './node-flags';

/**
 * Several worker processes on one machine (WORKERS > 1), with node:cluster: the workers share the
 * listening port (the primary hands each new connection, HTTP or WebSocket, to the next worker in
 * turn) and each runs the whole server on a pool of its own. What happens once per deployment happens
 * in the primary before any worker starts (main.ts): the embedded PostgreSQL, the migrations, the
 * first SYSADMIN and the demo organisation; then the primary closes its own pool and only supervises.
 * What each worker runs (src/cluster-worker.ts), and why that is safe, is in docs/operations.md.
 *
 * The primary restarts a worker that exits (with a growing delay while it keeps failing) and stays up
 * itself; on SIGTERM, SIGINT or SIGHUP it asks every worker to stop as a single server does (answer
 * the requests received, close the sockets with 1001), waits for all, then stops the embedded
 * PostgreSQL last.
 */

/** The first restart of a failing worker waits this long, each further one twice as long up to RESTART_MAX_MS. */
const RESTART_BASE_MS = 500;
const RESTART_MAX_MS = 30_000;
/** A worker that served this long before exiting is restarted at once: its failures are forgotten. */
const HEALTHY_AFTER_MS = 60_000;
/** Past this the stop is forced: every worker is killed. */
export const FORCE_EXIT_MS = 30_000;
export const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;

interface Slot {
  slot: number;
  worker: Worker;
  readyAt?: number;
  failures: number;
  restart?: NodeJS.Timeout;
}

/** Runs the primary: starts the workers, prints `Server ready` once all are, restarts them, stops them. */
export async function runPrimary(opts: { config: Config; db: Database; log: Logger; demoDocuments: boolean; bootHandler: (s: NodeJS.Signals) => void }) {
  const { config, db, log } = opts;
  // The workers open pools of their own; the primary's was for the migrations and the seeding.
  await db.orm.close(true);
  const slots = new Map<number, Slot>();
  const metrics = new ClusterMetrics(() => [...slots.values()], config.workers);
  let booted = false;
  let stoppingSince = 0;
  let failedReason: string | undefined;
  /** The exit status of the primary once every worker has stopped: 1 when a worker's stop failed. */
  let status = 0;

  // The workers run with the server's V8 options even when the primary was started without them.
  cluster.setupPrimary({ execArgv: withServerFlags(process.execArgv) });
  const fork = (slot: number, failures: number, demo: boolean) => {
    const worker = cluster.fork({ VPDT_WORKER: String(slot), DATABASE_URL: db.url, VPDT_DEMO_DOCUMENTS: demo ? '1' : '' });
    const s: Slot = { slot, worker, failures };
    slots.set(slot, s);
    worker.on('message', (raw: unknown) => {
      const m = clusterMessage(raw);
      if (!m || metrics.handle(worker, slot, m)) return;
      if (m.vpdt === 'failed') failedReason ??= m.reason;
      if (m.vpdt === 'ready') {
        s.readyAt = Date.now();
        log.info({ worker: slot, pid: worker.process.pid }, 'worker ready');
        if (!booted && [...slots.values()].every((x) => x.readyAt)) {
          booted = true;
          process.stdout.write(`Server ready at http://localhost:${m.port}/graphql (WebSocket ws://localhost:${m.port}/graphql), ${config.workers} workers\n`);
        }
      }
    });
    worker.on('exit', (code, signal) => void exited(s, code, signal));
  };

  const exited = async (s: Slot, code: number | null, signal: string | null) => {
    if (stoppingSince) {
      slots.delete(s.slot);
      if (code !== 0) status = 1;
      if (!slots.size) await finish(status);
      return;
    }
    if (!booted) {
      // A worker that cannot start (the port is taken, the database refuses) fails the whole start.
      process.stderr.write(`The server could not start: ${failedReason ?? `worker ${s.slot} exited (${signal ?? code}) while starting`}\n`);
      status = 1;
      stop();
      return;
    }
    const served = s.readyAt !== undefined && Date.now() - s.readyAt >= HEALTHY_AFTER_MS;
    const failures = served ? 0 : s.failures + 1;
    const delay = served ? 0 : Math.min(RESTART_BASE_MS * 2 ** (failures - 1), RESTART_MAX_MS);
    metrics.restarts++;
    log.error({ worker: s.slot, pid: s.worker.process.pid, code, signal, restartInMs: delay }, 'a worker exited; starting another in its place');
    s.restart = setTimeout(() => fork(s.slot, failures, false), delay);
  };

  const finish = async (exitCode: number) => {
    log.info('workers stopped');
    await db.embedded?.stop().catch((err) => process.stderr.write(`The embedded PostgreSQL did not stop cleanly: ${oneLine(err)}\n`));
    log.info('database closed');
    process.exit(exitCode);
  };

  /** Asks every worker to stop; the last exit ends the primary (see `exited`). */
  const stop = () => {
    stoppingSince = Date.now();
    const force = setTimeout(() => {
      process.stderr.write(`The workers did not stop within ${FORCE_EXIT_MS / 1000} s and are stopped now.\n`);
      for (const s of slots.values()) s.worker.process.kill('SIGKILL');
      void db.embedded?.stop().finally(() => process.exit(1));
    }, FORCE_EXIT_MS);
    force.unref();
    for (const s of [...slots.values()]) {
      clearTimeout(s.restart);
      // Waiting to be started again: nothing runs in it.
      if (s.worker.isDead()) slots.delete(s.slot);
      else s.worker.process.kill('SIGTERM');
    }
    if (!slots.size) void finish(status);
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppingSince) {
      // As in one process: a second Ctrl-C more than 2 s later stops at once.
      if (signal === 'SIGINT' && Date.now() - stoppingSince > 2000) {
        process.stderr.write('Stopping at once.\n');
        for (const s of slots.values()) s.worker.process.kill('SIGKILL');
        void db.embedded?.stop().finally(() => process.exit(130));
      }
      return;
    }
    log.info({ signal }, 'shutting down: the workers answer the requests in flight');
    stop();
  };
  for (const signal of SIGNALS) {
    process.off(signal, opts.bootHandler);
    process.on(signal, onSignal);
  }
  for (let slot = 1; slot <= config.workers; slot++) fork(slot, 0, opts.demoDocuments && slot === 1);
}
