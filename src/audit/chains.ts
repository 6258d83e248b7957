/**
 * The chains of the tamper-evident history: the table, what partitions it into chains, and how a
 * row's hash is formed (the same expression as the insert triggers of Migration20261126103448_hash_chains).
 */
export const CHAINS: ReadonlyArray<{ table: string; partition: string; content: string }> = [
  {
    table: 'routing_event',
    partition: 'document_id',
    content: `concat_ws('|', prev_hash, id, document_id, type, actor_id, from_state, to_state, note, extract(epoch from at))`,
  },
  {
    table: 'account_event',
    partition: 'account_id',
    content: `concat_ws('|', prev_hash, id, account_id, actor_id, type, detail::text, reason, extract(epoch from at))`,
  },
  { table: 'permission_change', partition: `'all'`, content: `concat_ws('|', prev_hash, id, rule_id, change, actor_id, reason, extract(epoch from at))` },
];
