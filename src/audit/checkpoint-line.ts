import { createHmac, timingSafeEqual } from 'node:crypto';

/** One checkpoint: chain `chain` of `table` had `count` rows up to row `lastId`, whose hash was `hash`, at `at`. */
export interface Checkpoint {
  at: string;
  table: string;
  chain: string;
  count: string;
  lastId: string;
  hash: string;
}

const VERSION = 'v1';
const mac = (key: string, body: string) => createHmac('sha256', key).update(body).digest('hex');

/** A line of the checkpoint file: tab-separated fields, then the HMAC-SHA256 of everything before it. */
export function formatCheckpoint(c: Checkpoint, key: string): string {
  const body = [VERSION, c.at, c.table, c.chain, c.count, c.lastId, c.hash].join('\t');
  return `${body}\t${mac(key, body)}\n`;
}

/** A line read back: the checkpoint, or why it cannot be trusted. Blank lines are null. */
export function parseCheckpoint(line: string, key: string): { checkpoint: Checkpoint } | { problem: string } | null {
  if (!line.trim()) return null;
  const fields = line.replace(/\r?\n$/, '').split('\t');
  if (fields.length !== 8 || fields[0] !== VERSION) return { problem: 'it is not a checkpoint line this version writes' };
  const body = fields.slice(0, 7).join('\t');
  const expected = Buffer.from(mac(key, body), 'hex');
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(fields[7]) ? fields[7] : '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { problem: 'its signature does not match: it was forged or altered, or signed with another key' };
  }
  const [, at, table, chain, count, lastId, hash] = fields;
  if (!/^\d+$/.test(count) || !/^\d+$/.test(lastId) || !/^[0-9a-f]{64}$/.test(hash)) return { problem: 'its fields are malformed' };
  return { checkpoint: { at, table, chain, count, lastId, hash } };
}
