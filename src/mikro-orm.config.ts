import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ENTITIES } from '../entities';
import { MIGRATIONS } from '../migrations';
import path from 'node:path';
import { APP_ROLE_CONNECTION_OPTIONS } from './db/app-role';

const root = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

/**
 * The ORM's options for one database, connecting as DATABASE_URL's user, the owner of the tables:
 * for migrations and the MikroORM CLI. Entities and migrations are listed explicitly, not
 * discovered from folders. The running server uses `appOrmOptions`.
 */
export function ormOptions(databaseUrl: string, extra: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    forceUtcTimezone: true,
    // One identity map per request: the context forks the EntityManager.
    allowGlobalContext: false,
    pool: { min: 0, max: 10 },
    migrations: {
      path: path.join(root, 'migrations'),
      pathTs: path.join(root, 'migrations'),
      migrationsList: MIGRATIONS,
      snapshotName: '.snapshot',
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      silent: true,
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? '_' + name : ''}`,
    },
    ...extra,
  });
}

/**
 * The running server's ORM options: the same database, every connection acting as the application
 * role (src/db/app-role.ts), which may not change or empty the history tables.
 */
export function appOrmOptions(databaseUrl: string, extra: Partial<Options> = {}): Options {
  const driverOptions = (extra.driverOptions ?? {}) as { connection?: Record<string, unknown> };
  return ormOptions(databaseUrl, {
    ...extra,
    driverOptions: { ...driverOptions, connection: { ...driverOptions.connection, options: APP_ROLE_CONNECTION_OPTIONS } },
  });
}

// The MikroORM CLI (migration:create) loads this default export.
export default ormOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/vpdt_dev');
