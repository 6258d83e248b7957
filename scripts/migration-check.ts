import 'reflect-metadata';
import { readdirSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { MikroORM } from '@mikro-orm/postgresql';
import { ensureDatabase, openDatabase } from '../src/db/database';
import { ormOptions } from '../src/mikro-orm.config';
import { MIGRATIONS } from '../migrations';

/**
 * CI's migration check: every migration file is listed, they apply to an empty database, and the
 * entities need no migration that has not been written (MikroORM's checkMigrationNeeded).
 */
async function main() {
  const root = path.resolve(__dirname, '../..');
  const files = readdirSync(path.join(root, 'migrations'))
    .filter((f) => /^Migration\d+.*\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''));
  const listed = new Set(MIGRATIONS.map((m) => m.name));
  const missing = files.filter((f) => !listed.has(f));
  if (missing.length) throw new Error(`migrations/index.ts does not list: ${missing.join(', ')}`);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-migration-check-'));
  const url = process.env.DATABASE_URL ? `${process.env.DATABASE_URL.replace(/\/[^/]*$/, '')}/vpdt_migration_check_${process.pid}` : undefined;
  if (url) {
    await ensureDatabase(url.replace(/\/[^/]*$/, ''), `vpdt_migration_check_${process.pid}`);
  }
  const db = await openDatabase({ databaseUrl: url, dataDir });
  try {
    // Compared as the owner: the application role does not see every catalog detail of every table.
    const owner = await MikroORM.init(ormOptions(db.url));
    try {
      const needed = await owner.getMigrator().checkMigrationNeeded();
      if (needed)
        throw new Error('The entities differ from the migrations: run `npm run migration:create`, review the file and list it in migrations/index.ts.');
      // The snapshot can be merged or edited by hand: the database the migrations built is compared too.
      const drift = (await owner.schema.getUpdateSchemaSQL({ wrap: false, safe: false })).trim();
      if (drift) throw new Error(`The database the migrations build differs from the entities; a migration would need:\n${drift}`);
    } finally {
      await owner.close(true);
    }
    console.log(`migration check: ${MIGRATIONS.length} migrations apply cleanly and match the entities`);
  } finally {
    await db.close();
    if (url) {
      const c = new Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
      await c.connect();
      await c.query(`drop database if exists "vpdt_migration_check_${process.pid}"`);
      await c.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`migration check failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
