import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { SessionCache } from '../services/session-cache';
import { REVOCATION_CHANNEL, REVOCATION_LISTENER_NAME } from './revocations';

/** How long an announcement waits for the other processes to confirm they heard it (ms). */
const CONFIRM_WITHIN_MS = 2_000;

/**
 * The notices of ended sessions and changed viewers, on the revocation channel, and this process's
 * session cache that they keep true. An announcement drops this process's entries at once, tells every
 * process (NOTIFY), then sends a fence (`f:<nonce>`) that every listening process confirms (`k:<nonce>`)
 * once it has dropped what the notices before it named — notices of one sender arrive in order. The
 * announcing request answers after the confirmations (or after CONFIRM_WITHIN_MS; a process that does
 * not listen uses no cache), so the next request anywhere sees the change.
 */
export class SessionNotices {
  readonly cache: SessionCache;
  private readonly waiting = new Map<string, { needed: number; heard: number; done: () => void }>();

  constructor(
    private readonly orm: MikroORM,
    private readonly log: Logger,
    listening: () => boolean,
  ) {
    this.cache = new SessionCache(listening);
  }

  /** Drops here, tells every process, and waits until each listening process has dropped too. */
  async announce(notice: string): Promise<void> {
    this.cache.drop(notice);
    const nonce = randomUUID();
    const confirmed = new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(nonce);
        resolve();
      }, CONFIRM_WITHIN_MS);
      timer.unref();
      this.waiting.set(nonce, {
        needed: Infinity,
        heard: 0,
        done: () => {
          clearTimeout(timer);
          this.waiting.delete(nonce);
          resolve();
        },
      });
    });
    // One statement: the notice, then the fence (one transaction's notices arrive in the order sent), and the
    // listening connections of every process (this one's included) counted as they go out.
    const [row] = await this.orm.em
      .getConnection()
      .execute<Array<{ n: number }>>(
        `select pg_notify(?, ?), pg_notify(?, ?), (select count(*)::int from pg_stat_activity where datname = current_database() and application_name = ?) as n`,
        [REVOCATION_CHANNEL, notice, REVOCATION_CHANNEL, `f:${nonce}`, REVOCATION_LISTENER_NAME],
      );
    const w = this.waiting.get(nonce);
    if (w) {
      w.needed = row?.n ?? 0;
      if (w.heard >= w.needed) w.done();
    }
    await confirmed;
  }

  /** A notice heard on the revocation channel (from any process, this one included). */
  heard(notice: string): void {
    if (notice.startsWith('f:')) {
      this.notify(`k:${notice.slice(2)}`).catch((err) => this.log.warn({ err }, 'could not confirm a session notice'));
      return;
    }
    if (notice.startsWith('k:')) {
      const w = this.waiting.get(notice.slice(2));
      if (w && ++w.heard >= w.needed) w.done();
      return;
    }
    this.cache.drop(notice);
  }

  /** The listening connection was (re)made: whatever was missed meanwhile is forgotten. */
  connected(): void {
    this.cache.clear();
  }

  private notify(payload: string): Promise<void> {
    return this.orm.em
      .getConnection()
      .execute(`select pg_notify(?, ?)`, [REVOCATION_CHANNEL, payload])
      .then(() => undefined);
  }
}
