import { createReadStream, existsSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import type { AuditSettings } from '../config';
import type { Clock } from '../context';
import { CHAINS } from './chains';
import { formatCheckpoint, parseCheckpoint } from './checkpoint-line';

type Execute = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** The most one append() carries: whole lines only, so lines of several processes never interleave. */
const CHUNK_BYTES = 32 * 1024;
/** How many ids of a history table one checkpoint statement looks at. */
const CHECKPOINT_WINDOW = 20_000n;

/** Every line of a checkpoint file, one at a time (none when there is no file). */
export async function* readCheckpointLines(file: string): AsyncGenerator<string> {
  if (!existsSync(file)) return;
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) yield line;
}

/**
 * Anchors the history's hash chains outside the database. Every interval (and at shutdown) it appends
 * one signed line per chain that has grown since it last looked: the chain's row count, its last row
 * and that row's hash. The table owner can rewrite rows and recompute every hash after them, or cut a
 * chain short, but cannot make the chain agree with a line it cannot sign; `audit:verify` compares.
 *
 * Several processes may share one file: each append is one write of whole lines to a file opened
 * with O_APPEND. A line written twice (two processes, or the look-back below) does no harm.
 */
export class AuditCheckpointer {
  /** Per table: rows above this id are looked at on the next run. */
  private since = new Map<string, string>();
  /** Per table: the largest id seen on the previous run, which becomes `since` on the next. */
  private seen = new Map<string, string>();
  /** What the previous run wrote per chain (`table\tchain` → `lastId/count`), so the look-back does not repeat it. */
  private previous = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;
  private started = false;

  constructor(
    private readonly execute: Execute,
    private readonly settings: AuditSettings,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Starts the periodic checkpoints (none when the interval is 0). */
  start(): void {
    if (this.settings.checkpointSeconds <= 0) return;
    this.timer = setInterval(
      () => void this.checkpoint().catch((err) => this.log.error({ err }, 'audit checkpoint failed')),
      this.settings.checkpointSeconds * 1000,
    );
    this.timer.unref();
  }

  /** Stops the timer and writes a last checkpoint (when checkpoints are periodic). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
    if (this.settings.checkpointSeconds > 0) await this.checkpoint().catch((err) => this.log.error({ err }, 'audit checkpoint at shutdown failed'));
  }

  /** Writes the checkpoints due now; resolves to the number of lines written. One run at a time. */
  checkpoint(): Promise<number> {
    const run = (this.running ?? Promise.resolve(0)).catch(() => 0).then(() => this.run());
    this.running = run;
    return run;
  }

  private async run(): Promise<number> {
    if (!this.started) {
      await this.resumeFromFile();
      this.started = true;
    }
    const at = this.clock.now().toISOString();
    let lines: string[] = [];
    let written = 0;
    const flush = async () => {
      if (!lines.length) return;
      await appendFile(this.settings.checkpointFile, lines.join(''), { mode: 0o600 });
      written += lines.length;
      lines = [];
    };
    await mkdir(path.dirname(this.settings.checkpointFile), { recursive: true });
    const current = new Map<string, string>();
    for (const c of CHAINS) {
      const first = !this.seen.has(c.table);
      const since = this.since.get(c.table) ?? '0';
      const [{ max }] = (await this.execute(`select coalesce(max(id), 0)::text as max from "${c.table}"`, [])) as Array<{ max: string }>;
      // Chains with a row above `since`: their count, last row and its hash. Read window by window of ids,
      // so that a first run over a whole existing history (a million chains) never holds it all in memory:
      // a window writes the chains whose last row falls in it, so each chain is written once per run. A
      // chain that grew past `max` meanwhile is left to the next run, which starts below `max`.
      let size = 0;
      for (let lo = BigInt(since), top = BigInt(max); lo < top; lo += CHECKPOINT_WINDOW) {
        const hi = lo + CHECKPOINT_WINDOW < top ? lo + CHECKPOINT_WINDOW : top;
        const heads = (await this.execute(
          `with touched as (select distinct ${c.partition} as p from "${c.table}" where id > ? and id <= ?),
                heads as (select ${c.partition}::text as chain, count(*)::text as count, max(id) as last_id
                            from "${c.table}" where ${c.partition} in (select p from touched) group by 1)
           select h.chain, h.count, h.last_id::text as last_id, r.hash from heads h join "${c.table}" r on r.id = h.last_id
            where h.last_id <= ? order by h.last_id`,
          [lo.toString(), hi.toString(), hi.toString()],
        )) as Array<{ chain: string; count: string; last_id: string; hash: string | null }>;
        for (const h of heads) {
          if (!h.hash) continue;
          const state = `${h.last_id}/${h.count}`;
          if (this.previous.get(`${c.table}\t${h.chain}`) === state) continue;
          if (!first) current.set(`${c.table}\t${h.chain}`, state);
          const line = formatCheckpoint({ at, table: c.table, chain: h.chain, count: h.count, lastId: h.last_id, hash: h.hash }, this.settings.key);
          lines.push(line);
          size += line.length;
          if (size >= CHUNK_BYTES) {
            await flush();
            size = 0;
          }
        }
      }
      await flush();
      // Look back one run: a row committed late with an id below the previous maximum is still picked up.
      // (The first run, which may cover a whole existing history, is not looked back on.)
      this.since.set(c.table, first ? max : this.seen.get(c.table)!);
      this.seen.set(c.table, max);
    }
    this.previous = current;
    return written;
  }

  /** A restarted process goes on from the largest row the file already anchors in each table. */
  private async resumeFromFile(): Promise<void> {
    for await (const line of readCheckpointLines(this.settings.checkpointFile)) {
      const parsed = parseCheckpoint(line, this.settings.key);
      if (!parsed || !('checkpoint' in parsed)) continue;
      const { table, lastId } = parsed.checkpoint;
      const known = this.since.get(table);
      if (known === undefined || BigInt(lastId) > BigInt(known)) this.since.set(table, lastId);
    }
  }
}
