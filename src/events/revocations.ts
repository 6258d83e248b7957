import { Client, type ClientConfig } from 'pg';
import type { Logger } from 'pino';

export const REVOCATION_CHANNEL = 'vpdt_session_revoked';

/**
 * Hears, through PostgreSQL LISTEN/NOTIFY, that an account's sessions ended on any server process,
 * so each process can close that account's live connections. Reconnects when the connection drops.
 */
export class RevocationListener {
  private client?: Client;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly connection: ClientConfig,
    private readonly log: Logger,
    private readonly onRevoked: (accountId: string) => void,
  ) {}

  async start(): Promise<void> {
    const client = new Client(this.connection);
    client.on('error', (err) => {
      this.log.warn({ err }, 'revocation listener lost its connection; reconnecting');
      this.reconnectLater();
    });
    client.on('notification', (msg) => {
      if (msg.channel === REVOCATION_CHANNEL && msg.payload) this.onRevoked(msg.payload);
    });
    await client.connect();
    await client.query(`listen ${REVOCATION_CHANNEL}`);
    this.client = client;
  }

  private reconnectLater() {
    if (this.stopped || this.retry) return;
    const old = this.client;
    this.client = undefined;
    old?.end().catch(() => undefined);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.start().catch(() => this.reconnectLater());
    }, 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }
}
