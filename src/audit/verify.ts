import type { Client } from 'pg';

/** A chain of the tamper-evident history: the table, what partitions it into chains, and how a row's hash is formed. */
const CHAINS: Array<{ table: string; partition: string; content: string }> = [
  { table: 'routing_event', partition: 'document_id', content: `concat_ws('|', prev_hash, id, document_id, type, actor_id, from_state, to_state, note, extract(epoch from at))` },
  { table: 'account_event', partition: 'account_id', content: `concat_ws('|', prev_hash, id, account_id, actor_id, type, detail::text, reason, extract(epoch from at))` },
  { table: 'permission_change', partition: `'all'`, content: `concat_ws('|', prev_hash, id, rule_id, change, actor_id, reason, extract(epoch from at))` },
];

export interface Broken {
  table: string;
  id: string;
  problem: string;
}

/**
 * Walks every chain: each row's `prev_hash` must be the hash of the row before it in its chain, and
 * its `hash` must be the SHA-256 of that and its own content. Returns the first row of each table
 * that does not match (none when the history is intact).
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
    if (first) broken.push({ table: c.table, id: first.id, problem: first.bad_hash ? 'its content does not match its hash' : 'it does not follow the row before it' });
  }
  return broken;
}
