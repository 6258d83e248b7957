import { Client, type ClientConfig } from 'pg';
import type { Logger } from 'pino';

/** How long a connection attempt or a statement of the process's own connections may take (ms). */
export const OWN_CONNECTION_TIMEOUTS = { connectionTimeoutMillis: 10_000, query_timeout: 30_000, keepAlive: true } as const;

/** The wait before the n-th attempt to connect again: doubling from 250 ms, at most 5 s. */
export function reconnectDelay(attempt: number): number {
  return Math.min(250 * 2 ** Math.min(attempt, 10), 5_000);
}

/**
 * One LISTEN connection that stays one. PostgreSQL dropping it (a killed backend, a restart) reports
 * the loss more than once — the server's FATAL message, then the socket's end — so every report of the
 * same client is taken once: the old client is ended and exactly one replacement is made, tried again
 * with a growing wait until it succeeds. `onConnected` runs after every (re)connection, so the owner
 * can pick up what was committed while nobody listened.
 */
export class ListenConnection {
  private client?: Client;
  private retry?: NodeJS.Timeout;
  private attempts = 0;
  private stopped = false;

  constructor(
    private readonly connection: ClientConfig,
    private readonly channels: readonly string[],
    private readonly log: Logger,
    private readonly handlers: { onNotification(channel: string, payload: string | undefined): void; onConnected?(): void; name: string },
  ) {}

  /** Connects the first time; fails when the database cannot be reached (the caller decides). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Whether a listening connection is open now. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  private async connect(): Promise<void> {
    const client = new Client({ ...OWN_CONNECTION_TIMEOUTS, ...this.connection });
    let gone = false;
    const lost = (err: unknown) => {
      if (gone) return;
      gone = true;
      client.end().catch(() => undefined);
      if (this.client !== client) return;
      this.client = undefined;
      if (this.stopped) return;
      this.log.warn({ err, listener: this.handlers.name }, 'listening connection lost; connecting again');
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost(new Error('connection ended')));
    client.on('notification', (msg) => this.handlers.onNotification(msg.channel, msg.payload));
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`listen ${channel}`);
    } catch (err) {
      gone = true;
      await client.end().catch(() => undefined);
      throw err;
    }
    if (gone) throw new Error('the listening connection was lost while it was being set up');
    if (this.stopped) {
      gone = true;
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempts = 0;
    this.handlers.onConnected?.();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retry || this.client) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect().catch((err) => {
        this.attempts++;
        if (this.attempts === 1 || this.attempts % 20 === 0)
          this.log.warn({ err, listener: this.handlers.name, attempts: this.attempts }, 'cannot listen yet; trying again');
        this.scheduleReconnect();
      });
    }, reconnectDelay(this.attempts));
    this.retry.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
