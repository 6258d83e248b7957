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
 * The role is a guard against mistakes and injected statements that stay within SQL's data
 * statements, not against someone who can run arbitrary SQL on a connection: the session user is
 * still the owner, who may `SET ROLE` back. A deployment that wants that boundary too gives the
 * server a login of its own that is a member of this role only.
 */
export const APP_ROLE = 'vpdt_app';

/** pg's `options`: settings PostgreSQL applies when the connection starts, before any statement. */
export const APP_ROLE_CONNECTION_OPTIONS = `-c role=${APP_ROLE}`;

/** A pg connection to `url` that acts as the application role. */
export function applicationConnection(url: string): ClientConfig {
  return { connectionString: url, options: APP_ROLE_CONNECTION_OPTIONS };
}
