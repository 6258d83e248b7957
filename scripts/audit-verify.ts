import { existsSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { readCheckpointLines } from '../src/audit/checkpoint';
import { verifyChains, verifyCheckpoints } from '../src/audit/verify';
import { auditSettings, existingTokenSecret } from '../src/config';

/** Every line of several files, in turn. */
async function* allLines(files: string[]): AsyncGenerator<string> {
  for (const f of files) yield* readCheckpointLines(f);
}

/**
 * `npm run audit:verify [-- <checkpoint file>...]`: checks the hash chains of the history on
 * DATABASE_URL and compares them with the signed checkpoints kept outside the database (the server's
 * AUDIT_CHECKPOINT_FILE, plus any files named, e.g. those of other hosts); names what does not match.
 * Exit status 0: intact; 1: tampering found; 2: could not check.
 */
async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('audit:verify needs DATABASE_URL (the embedded database prints its URL at start).');
    process.exit(2);
  }
  const dataDir = path.resolve(process.env.DATA_DIR?.trim() || '.data');
  const settings = auditSettings(process.env, dataDir, existingTokenSecret(process.env, dataDir));
  const files = [...(settings ? [settings.checkpointFile] : []), ...process.argv.slice(2).map((f) => path.resolve(f))];
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const broken = await verifyChains(pg);
    let anchored = 0;
    if (!settings) {
      console.log('audit:verify: no AUDIT_KEY or TOKEN_SECRET (nor DATA_DIR/token-secret): the checkpoints cannot be checked');
    } else if (!files.some((f) => existsSync(f))) {
      console.log(`audit:verify: no checkpoint file (${files.join(', ')}): a chain rewritten whole or cut short at its end would not be seen`);
    } else {
      const report = await verifyCheckpoints(pg, allLines(files), settings.key);
      anchored = report.lines;
      broken.push(...report.broken);
    }
    if (!broken.length) {
      console.log(
        `audit:verify: routing events, account events and permission changes are intact${anchored ? `, and agree with ${anchored} signed checkpoints` : ''}`,
      );
      return;
    }
    for (const b of broken) console.log(`audit:verify: ${b.table} ${b.id.startsWith('line ') ? '' : 'row '}${b.id}: ${b.problem}`);
    process.exitCode = 1;
  } finally {
    await pg.end();
  }
}

main().catch((e) => {
  console.error(`audit:verify failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
