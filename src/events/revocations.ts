import type { ClientConfig } from 'pg';
import type { Logger } from 'pino';
import { ListenConnection } from '../db/listen-connection';

export const REVOCATION_CHANNEL = 'vpdt_session_revoked';

/**
 * The `application_name` of every process's revocation listener: how an announcement counts the
 * processes that must confirm it (src/events/session-notices.ts). `pg_stat_activity` shows every
 * session's application name to any role, but hides the query of sessions the application role did
 * not log in as (all of them: the server logs in as the owner and takes the role afterwards).
 */
export const REVOCATION_LISTENER_NAME = 'vpdt revocation listener';

/**
 * Hears, through PostgreSQL LISTEN/NOTIFY, that an account's sessions ended on any server process,
 * so each process can close that account's live connections. One connection, replaced when it drops;
 * a revocation missed while it was away still takes effect, since every live batch checks the session.
 */
export class RevocationListener {
  private readonly connection: ListenConnection;

  constructor(connection: ClientConfig, log: Logger, onRevoked: (target: string) => void, onConnected?: () => void) {
    this.connection = new ListenConnection({ ...connection, application_name: REVOCATION_LISTENER_NAME }, [REVOCATION_CHANNEL], log, {
      name: 'revocations',
      onNotification: (channel, payload) => {
        if (channel === REVOCATION_CHANNEL && payload) onRevoked(payload);
      },
      onConnected,
    });
  }

  /** Whether a listening connection is open now (the session cache is used only then). */
  get listening(): boolean {
    return this.connection.listening;
  }

  start(): Promise<void> {
    return this.connection.start();
  }

  stop(): Promise<void> {
    return this.connection.stop();
  }
}
