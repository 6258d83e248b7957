import 'reflect-metadata';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './db/database';
import { createLogger } from './logger';
import { DEMO_PASSWORD, ensureFirstSysadmin, loadDemoData } from './seed/bootstrap';
import { startServer } from './server';
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
  if (!config.databaseUrl) log.info({ dataDir: config.dataDir }, 'no DATABASE_URL: starting the embedded PostgreSQL');
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: (line) => log.debug({ pg: line }) });
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
    process.stdout.write(`\nDemo accounts (password: ${DEMO_PASSWORD}):\n${accounts.map((a) => `  ${a.username.padEnd(44)} ${a.roles.join(', ')} — ${a.unit}`).join('\n')}\n\n`);
  }
  const server = await startServer({ config, orm: db.orm, databaseUrl: db.url, log });
  process.stdout.write(`Server ready at ${server.url} (WebSocket ${server.wsUrl})\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await server.stop();
      log.info('server stopped');
      await db.close();
      log.info('database closed');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`The server could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
