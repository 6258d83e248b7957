import { Client } from 'pg';
import { verifyChains } from '../src/audit/verify';

/** `npm run audit:verify`: checks the hash chains of the history on DATABASE_URL; names the first row that does not match. */
async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('audit:verify needs DATABASE_URL (the embedded database prints its URL at start).');
    process.exit(2);
  }
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const broken = await verifyChains(pg);
    if (!broken.length) {
      console.log('audit:verify: routing events, account events and permission changes are intact');
      return;
    }
    for (const b of broken) console.log(`audit:verify: ${b.table} row ${b.id}: ${b.problem}`);
    process.exitCode = 1;
  } finally {
    await pg.end();
  }
}

main().catch((e) => {
  console.error(`audit:verify failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
