import type { ResolvedSession } from './auth.service';

/**
 * The sessions this process checked recently, kept so that a request need not ask the session table
 * again. Correct only because every change to a session or a viewer is announced on the revocation
 * channel and dropped here (src/events/session-notices.ts); hence three safety rules:
 *
 * - **No listener, no cache.** While the LISTEN connection is down a notice may be missed: the cache is
 *   emptied and bypassed, and emptied again when the connection is back (nothing missed survives).
 * - **A read that raced a notice is not kept**: every drop bumps an epoch; a database read that began
 *   under an older epoch is answered but not stored.
 * - **Short life**: an entry is used at most `maxAgeMs` (a net for a notice lost without the
 *   connection dropping), only on the office day it was read on (delegations begin and end with the
 *   day) and never past the session's expiry. At most `maxEntries`, the least recently used leaving first.
 */
export interface SessionCacheOptions {
  maxEntries: number;
  maxAgeMs: number;
}

interface Entry {
  session: ResolvedSession;
  accountId: string;
  /** The office day the session was read on. */
  day: string;
  expiresAt: number;
  /** performance.now() when read from the database. */
  readAt: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byAccount = new Map<string, Set<string>>();
  private epoch = 0;
  private readonly opts: SessionCacheOptions;
  /** Hits, misses and bypasses since the start, for tests and metrics. */
  readonly stats = { hits: 0, misses: 0, bypassed: 0, dropped: 0 };

  constructor(
    private readonly listening: () => boolean,
    opts: Partial<SessionCacheOptions> = {},
  ) {
    this.opts = { maxEntries: opts.maxEntries ?? 10_000, maxAgeMs: opts.maxAgeMs ?? 30_000 };
  }

  /** Whether the cache may be used now: only while the revocation listener is connected. */
  get usable(): boolean {
    if (this.listening()) return true;
    if (this.entries.size) this.clear();
    return false;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The session `sessionId` as read earlier, if still good at `now` on office day `day`. */
  get(sessionId: string, day: string, now: Date): ResolvedSession | undefined {
    if (!this.usable) {
      this.stats.bypassed++;
      return undefined;
    }
    const e = this.entries.get(sessionId);
    if (!e || e.day !== day || e.expiresAt <= now.getTime() || performance.now() - e.readAt > this.opts.maxAgeMs) {
      if (e) this.remove(sessionId);
      this.stats.misses++;
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(sessionId);
    this.entries.set(sessionId, e);
    this.stats.hits++;
    return copy(e.session);
  }

  /** The epoch a database read begins under; pass it to `set`. */
  begin(): number {
    return this.epoch;
  }

  /** Keeps a session read from the database under `epoch`, unless something was dropped meanwhile or the listener is down. */
  set(epoch: number, session: ResolvedSession, day: string, expiresAt: Date): void {
    if (epoch !== this.epoch || !this.usable) return;
    const id = session.sessionId;
    this.remove(id);
    // Copies handed out share the entry's key: what is built from the session is kept under it (context-factory.ts).
    this.entries.set(id, {
      session: { ...copy(session), cacheKey: {} },
      accountId: session.viewer.accountId,
      day,
      expiresAt: expiresAt.getTime(),
      readAt: performance.now(),
    });
    let ids = this.byAccount.get(session.viewer.accountId);
    if (!ids) this.byAccount.set(session.viewer.accountId, (ids = new Set()));
    ids.add(id);
    while (this.entries.size > this.opts.maxEntries) this.remove(this.entries.keys().next().value as string);
  }

  /**
   * A notice from the revocation channel: `s:<session>` (one session ended), `a:<account>` (an
   * account's sessions ended), `v:<account>` (the account's viewer changed), `v:*` (something every
   * viewer depends on changed: units, permission rules, the working calendar). Other notices are ignored.
   */
  drop(notice: string): void {
    const kind = notice.slice(0, 2);
    const target = notice.slice(2);
    if (kind !== 's:' && kind !== 'a:' && kind !== 'v:') return;
    this.epoch++;
    this.stats.dropped++;
    if (kind === 's:') this.remove(target);
    else if (target === '*') this.clear();
    else for (const id of [...(this.byAccount.get(target) ?? [])]) this.remove(id);
  }

  /** Forgets everything (the listener was lost or is back). */
  clear(): void {
    this.epoch++;
    this.entries.clear();
    this.byAccount.clear();
  }

  private remove(sessionId: string): void {
    const e = this.entries.get(sessionId);
    if (!e) return;
    this.entries.delete(sessionId);
    const ids = this.byAccount.get(e.accountId);
    ids?.delete(sessionId);
    if (ids && ids.size === 0) this.byAccount.delete(e.accountId);
  }
}

/** Each request gets its own objects: nothing a request does to its viewer reaches another. */
function copy(s: ResolvedSession): ResolvedSession {
  const v = s.viewer;
  return { ...s, viewer: { ...v, roles: [...v.roles], keepingUnitMemberIds: [...v.keepingUnitMemberIds], delegations: v.delegations?.map((d) => ({ ...d })) } };
}
