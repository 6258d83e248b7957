import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import path from 'node:path';
import { appOrmOptions, ormOptions } from '../mikro-orm.config';
import { startEmbeddedPostgres, type EmbeddedDatabase, type EmbeddedOptions } from './embedded';

/** Creates `name` on the server at `serverUrl` when it does not exist yet. */
export async function ensureDatabase(serverUrl: string, name: string, template?: string): Promise<void> {
  const client = new Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      const ident = (s: string) => '"' + s.replace(/"/g, '""') + '"';
      await client.query(`create database ${ident(name)}${template ? ` template ${ident(template)}` : ''}`);
    }
  } finally {
    await client.end();
  }
}

export interface Database {
  /** The server's ORM: its connections act as the application role (src/db/app-role.ts). */
  orm: MikroORM;
  /** The owner's URL (DATABASE_URL, or the embedded database's). */
  url: string;
  embedded?: EmbeddedDatabase;
  /** True when this start created the embedded cluster (first start on a fresh machine). */
  freshlyCreated: boolean;
  close(): Promise<void>;
}

/** Applies pending migrations as the owner of the tables, with an ORM of its own closed afterwards. */
export async function migrate(url: string, log?: (line: string) => void): Promise<void> {
  const owner = await MikroORM.init(ormOptions(url));
  try {
    const applied = await owner.getMigrator().up();
    if (applied.length) log?.(`applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`);
  } finally {
    await owner.close(true);
  }
}

/**
 * Opens the database: the given URL, or an embedded PostgreSQL under `dataDir/pg` when there is none.
 * Applies pending migrations as the owner before returning the server's ORM, which acts as the
 * application role.
 */
export async function openDatabase(opts: {
  databaseUrl?: string;
  dataDir: string;
  log?: (line: string) => void;
  migrate?: boolean;
  embedded?: EmbeddedOptions;
  /** The most connections the server's pool opens (DB_POOL_MAX); 10 when not given. */
  poolMax?: number;
}): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let url = opts.databaseUrl;
  if (!url) embedded = await startEmbeddedPostgres(path.join(opts.dataDir, 'pg'), opts.log, opts.embedded);
  let orm: MikroORM;
  try {
    if (embedded) {
      await ensureDatabase(embedded.serverUrl, 'vpdt');
      url = `${embedded.serverUrl}/vpdt`;
    }
    if (opts.migrate !== false) await migrate(url!, opts.log);
    orm = await MikroORM.init(appOrmOptions(url!, { pool: { min: 0, max: opts.poolMax ?? 10 } }));
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
  return {
    orm,
    url: url!,
    embedded,
    freshlyCreated: embedded?.created ?? false,
    async close() {
      await orm.close(true);
      await embedded?.stop();
    },
  };
}
