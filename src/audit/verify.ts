import type { Client } from 'pg';
import { CHAINS } from './chains';
import { parseCheckpoint, type Checkpoint } from './checkpoint-line';

export interface Broken {
  table: string;
  id: string;
  problem: string;
}

/**
 * Walks every chain: each row's `prev_hash` must be the hash of the row before it in its chain, and
 * its `hash` must be the SHA-256 of that and its own content. Returns the first row of each table
 * that does not match (none when the history is intact).
 *
 * This alone cannot see a chain that was rewritten whole (an edit, then every hash after it
 * recomputed) or cut short at its end: {@link verifyCheckpoints} can.
 */
export async function verifyChains(pg: Client): Promise<Broken[]> {
  const broken: Broken[] = [];
  for (const c of CHAINS) {
    const { rows } = await pg.query<{ id: string; bad_link: boolean }>(
      `select id::text, coalesce(lag(hash) over w, '') <> coalesce(prev_hash, '') as bad_link,
              hash is distinct from encode(sha256(convert_to(${c.content}, 'UTF8')), 'hex') as bad_hash
         from "${c.table}" window w as (partition by ${c.partition} order by id)
        order by id`,
    );
    const first = (rows as Array<{ id: string; bad_link: boolean; bad_hash: boolean }>).find((r) => r.bad_link || r.bad_hash);
    if (first)
      broken.push({ table: c.table, id: first.id, problem: first.bad_hash ? 'its content does not match its hash' : 'it does not follow the row before it' });
  }
  return broken;
}

export interface CheckpointReport {
  /** Lines whose signature verified. */
  lines: number;
  broken: Broken[];
}

const MAX_REPORTED = 20;

/**
 * Compares the chains with the signed checkpoints the server wrote outside the database: every
 * checkpointed row must still be in its chain, at the same position, with the same hash. A chain
 * rewritten whole changes the hash of its checkpointed rows; a chain cut short loses them. A line
 * whose signature does not verify is reported and not used.
 */
export async function verifyCheckpoints(pg: Client, lines: AsyncIterable<string>, key: string): Promise<CheckpointReport> {
  const broken: Broken[] = [];
  const seen = new Set<string>();
  const batch: Checkpoint[] = [];
  let n = 0;
  let valid = 0;
  await pg.query(`create temp table audit_checkpoint (tbl text, chain text, count bigint, last_id bigint, hash text, at text) on commit preserve rows`);
  const load = async () => {
    if (!batch.length) return;
    await pg.query(`insert into audit_checkpoint select * from unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[])`, [
      batch.map((c) => c.table),
      batch.map((c) => c.chain),
      batch.map((c) => c.count),
      batch.map((c) => c.lastId),
      batch.map((c) => c.hash),
      batch.map((c) => c.at),
    ]);
    batch.length = 0;
  };
  try {
    for await (const line of lines) {
      n++;
      const parsed = parseCheckpoint(line, key);
      if (!parsed) continue;
      if ('problem' in parsed) {
        if (broken.length < MAX_REPORTED) broken.push({ table: 'checkpoint file', id: `line ${n}`, problem: parsed.problem });
        continue;
      }
      valid++;
      const c = parsed.checkpoint;
      const k = `${c.table}\t${c.chain}\t${c.lastId}\t${c.count}\t${c.hash}`;
      if (seen.has(k)) continue;
      seen.add(k);
      batch.push(c);
      if (batch.length >= 5000) await load();
    }
    await load();
    for (const c of CHAINS) {
      const { rows } = await pg.query<{
        chain: string;
        last_id: string;
        count: string;
        at: string;
        pos: string | null;
        chain_now: string | null;
        hash_now: string | null;
        hash: string;
      }>(
        `select cp.chain, cp.last_id::text, cp.count::text, cp.at, cp.hash, r.pos::text, r.chain_now, r.hash_now
           from audit_checkpoint cp
           left join (select id, ${c.partition}::text as chain_now, hash as hash_now, row_number() over (partition by ${c.partition} order by id) as pos
                        from "${c.table}") r on r.id = cp.last_id
          where cp.tbl = $1
            and (r.id is null or r.chain_now <> cp.chain or r.pos <> cp.count or r.hash_now is distinct from cp.hash)
          order by cp.last_id
          limit ${MAX_REPORTED}`,
        [c.table],
      );
      for (const r of rows) {
        const where = `checkpoint of ${r.at} (chain ${r.chain}, row ${r.count} of it)`;
        const problem =
          r.pos === null || r.chain_now !== r.chain
            ? `it is gone from its chain since the ${where}: the chain was cut short or rows were removed`
            : r.pos !== r.count
              ? `it is row ${r.pos} of its chain, not row ${r.count} as at the ${where}: rows were removed or added before it`
              : `its hash differs from the ${where}: the chain was rewritten up to here and its hashes recomputed`;
        broken.push({ table: c.table, id: r.last_id, problem });
      }
    }
  } finally {
    await pg.query(`drop table if exists audit_checkpoint`);
  }
  return { lines: valid, broken };
}
