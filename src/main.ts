import 'reflect-metadata';
import cluster from 'node:cluster';
import { runPrimary } from './cluster';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './db/database';
import { createLogger } from './logger';
import { DEMO_PASSWORD, ensureFirstSysadmin, loadDemoData } from './seed/bootstrap';
import type { RunningServer } from './server';
import { oneLine } from './errors/one-line';
import { PasswordHasher } from './services/passwords';

/**
 * Boots one server process: configuration, database (embedded when DATABASE_URL is not set),
 * migrations, the first SYSADMIN, demo data on a fresh embedded database, then HTTP and WebSocket.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const log = createLogger(config);
  // One of several workers (WORKERS > 1): the primary has done the once-per-deployment work below.
  if (cluster.isWorker) return (await import('./cluster-worker.js')).runWorker(config, log);
  // Interrupted while starting: exit at once; the embedded PostgreSQL, if it was started, gets a fast
  // shutdown from its exit hook (src/db/embedded.ts).
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  const duringBoot = (signal: NodeJS.Signals) => {
    process.stderr.write(`The server was interrupted (${signal}) while starting.\n`);
    process.exit(130);
  };
  for (const signal of signals) process.on(signal, duringBoot);
  if (!config.databaseUrl) log.info({ dataDir: config.dataDir }, 'no DATABASE_URL: starting the embedded PostgreSQL');
  const anchors = config.signatures.trustAnchors.length;
  if (anchors) log.info({ anchors, from: config.signatures.trustAnchorSources }, 'digital signatures: trust anchors loaded');
  // A production server without anchors cannot issue a digitally signed PDF: worth a warning there; a
  // development server starts quietly (npm start must print no warning) and says it once as information.
  else
    (config.nodeEnv === 'production' ? log.warn.bind(log) : log.info.bind(log))(
      'digital signatures: no SIGNATURE_TRUST_ANCHORS, every signed PDF will be UNTRUSTED and cannot be issued',
    );
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: config.dbPoolMax,
    log: (line) => log.debug({ pg: line }),
    // In a session of its own, a Ctrl-C or a closed terminal does not stop PostgreSQL under the requests
    // still being answered; the shutdown below stops it last. An orphan left by a crash is stopped first.
    embedded: { ownSession: true, notice: (line) => log.info(line) },
  });
  let server: RunningServer;
  try {
    const hasher = new PasswordHasher(config.login.maxHashesInFlight);
    if (config.adminUsername && config.adminPassword) {
      if (await ensureFirstSysadmin(db.orm.em.fork(), hasher, config.adminUsername, config.adminPassword)) {
        log.info({ username: config.adminUsername }, 'created the first SYSADMIN');
      }
    }
    const withDemo = config.demoData ?? (db.freshlyCreated && config.nodeEnv !== 'production');
    if (withDemo) {
      const accounts = await loadDemoData(db.orm.em.fork(), hasher);
      log.info({ accounts: accounts.map((a) => `${a.username} (${a.roles.join(', ')})`) }, 'demo data loaded');
      process.stdout.write(
        `\nDemo accounts (password: ${DEMO_PASSWORD}):\n${accounts.map((a) => `  ${a.username.padEnd(44)} ${a.roles.join(', ')} — ${a.unit}`).join('\n')}\n\n`,
      );
    }
    if (config.workers > 1) {
      // The demo documents are loaded by the first worker, through its services.
      return await runPrimary({ config, db, log, demoDocuments: withDemo && db.freshlyCreated, bootHandler: duringBoot });
    }
    // Loaded here, not at the top: the primary of several workers never runs the server itself (less memory).
    const { startServer } = await import('./server.js');
    server = await startServer({ config, orm: db.orm, databaseUrl: db.url, log });
    // The documents only on the very first start of the embedded database (a newcomer's `npm start`):
    // DEMO_DATA=1 on an existing database adds the organisation and accounts, never work into real registers.
    if (withDemo && db.freshlyCreated) {
      // Through the running server's services, so that every document has its numbers, registers and events.
      try {
        const { loadDemoDocuments } = await import('./seed/demo-documents.js');
        const documents = await loadDemoDocuments(server.app, db.orm);
        if (documents) log.info({ documents }, 'demo documents loaded');
      } catch (err) {
        await server.stop().catch(() => undefined);
        throw err;
      }
    }
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  process.stdout.write(`Server ready at ${server.url} (WebSocket ${server.wsUrl})\n`);

  let stoppingSince = 0;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stoppingSince) {
      // A Ctrl-C under `npm start` arrives twice at once (from the terminal and forwarded by npm): the
      // same request to stop. A later Ctrl-C means the operator does not want to wait any longer.
      if (signal === 'SIGINT' && Date.now() - stoppingSince > 2000) {
        process.stderr.write('Stopping at once.\n');
        await db.embedded?.stop().catch(() => undefined);
        process.exit(130);
      }
      return;
    }
    stoppingSince = Date.now();
    log.info({ signal }, 'shutting down: answering the requests in flight');
    // The drain takes at most DRAIN_MS and the WebSockets 2 s more; past this, something hangs.
    const force = setTimeout(() => {
      process.stderr.write(`The server did not stop within ${FORCE_EXIT_MS / 1000} s and stops now.\n`);
      process.exit(1);
    }, FORCE_EXIT_MS);
    force.unref();
    try {
      await server.stop();
      log.info('server stopped');
      await db.close();
      log.info('database closed');
      process.exit(0);
    } catch (err) {
      process.stderr.write(`The shutdown failed: ${oneLine(err)}\n`);
      log.debug({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  // SIGHUP: the terminal was closed. The same orderly stop as Ctrl-C (SIGINT) and SIGTERM.
  for (const signal of signals) {
    process.off(signal, duringBoot);
    process.on(signal, () => void shutdown(signal));
  }
}

const FORCE_EXIT_MS = 30_000;

main().catch((err) => {
  // One line with the cause, whatever was thrown (libraries reject with undefined, or with several lines).
  process.stderr.write(`The server could not start: ${oneLine(err)}\n`);
  process.exit(1);
});
