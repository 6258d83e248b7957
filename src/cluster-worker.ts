import type { Logger } from 'pino';
import { workerMetrics, type ClusterMessage } from './cluster-metrics';
import { FORCE_EXIT_MS, SIGNALS } from './cluster';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { oneLine } from './errors/one-line';
import { loadDemoDocuments } from './seed/demo-documents';
import { startServer, type RunningServer } from './server';

/** Runs one worker: the whole server on the primary's database, with no migrations or seeding of its own. */
export async function runWorker(config: Config, baseLog: Logger): Promise<void> {
  const slot = Number(process.env.VPDT_WORKER);
  const log = baseLog.child({ worker: slot });
  const send = (m: ClusterMessage) => new Promise<void>((resolve) => (process.send ? process.send(m, undefined, {}, () => resolve()) : resolve()));
  // Stopped while starting (the primary is stopping, or the terminal's Ctrl-C reached every process): exit quietly.
  const duringBoot = () => process.exit(130);
  for (const signal of SIGNALS) process.on(signal, duringBoot);
  // The primary is gone (killed): no one hands this worker connections or restarts it.
  const orphaned = () => process.exit(1);
  process.on('disconnect', orphaned);
  let db: Database | undefined;
  let server: RunningServer;
  try {
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: false, poolMax: config.dbPoolMax });
    server = await startServer({ config, orm: db.orm, databaseUrl: db.url, log, auditCheckpoints: slot === 1, onMetrics: workerMetrics });
    if (process.env.VPDT_DEMO_DOCUMENTS === '1') {
      const documents = await loadDemoDocuments(server.app, db.orm);
      if (documents) log.info({ documents }, 'demo documents loaded');
    }
  } catch (err) {
    await db?.close().catch(() => undefined);
    await send({ vpdt: 'failed', reason: oneLine(err) });
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), FORCE_EXIT_MS).unref();
    try {
      await server.stop();
      await db.close();
      process.exit(0);
    } catch (err) {
      process.stderr.write(`Worker ${slot}: the shutdown failed: ${oneLine(err)}\n`);
      process.exit(1);
    }
  };
  for (const signal of SIGNALS) {
    process.off(signal, duringBoot);
    process.on(signal, () => void shutdown());
  }
  process.off('disconnect', orphaned);
  process.on('disconnect', () => void shutdown());
  await send({ vpdt: 'ready', port: server.port });
}
