import type { ClientConfig } from 'pg';

/**
 * The database role the running server acts as, created by the migration `app_role`: it reads and
 * writes the tables it needs but may not UPDATE, DELETE or TRUNCATE the hash-chained history
 * (routing_event, account_event, permission_change) or write the migrations table, so a flaw in the
 * server cannot rewrite history even before the owner's triggers are reached. It cannot log in:
 * the server connects as the owner of the tables (DATABASE_URL) and every one of its connections
 * takes this role at connection start. Migrations, `audit:verify` and the bench's data generator
 * keep the owner's rights.
 *
 * The role guards against the server's own statements going wrong, not against someone who can run
 * arbitrary SQL on one of its connections: the login is still the owner's, and `SET ROLE` can go
 * back. The owner is stopped by the history's triggers, and `audit:verify` finds what got through.
 */
export const APP_ROLE = 'vpdt_app';

/** pg's `options`: settings PostgreSQL applies when the connection starts, before any statement. */
export const APP_ROLE_CONNECTION_OPTIONS = `-c role=${APP_ROLE}`;

/** A pg connection to `url` that acts as the application role. */
export function applicationConnection(url: string): ClientConfig {
  return { connectionString: url, options: APP_ROLE_CONNECTION_OPTIONS };
}
