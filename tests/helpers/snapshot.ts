import type { TestEnv } from './env';

/** Tables whose rows a refused operation must leave exactly as they were. */
const TABLES = ['unit', 'account', 'account_unit_period', 'account_event', 'correspondent', 'document_type'];

/**
 * A fingerprint of every row of the domain tables, to prove that a refusal changed nothing.
 * `last_seen_at` is left out: any request moves it, by design.
 */
export async function snapshot(env: TestEnv, tables: string[] = TABLES): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const rows = await env.sql<{ h: string | null; n: string }>(
      `select md5(string_agg((to_jsonb(x) - 'last_seen_at')::text, '|' order by (to_jsonb(x) - 'last_seen_at')::text)) as h, count(*)::text as n from "${t}" x`,
    );
    out[t] = `${rows[0].n}:${rows[0].h}`;
  }
  return out;
}
