import { Migration } from '@mikro-orm/migrations';

/** The hash-chained history: the application role may read and append, never change or empty it. */
const HISTORY_TABLES = ['routing_event', 'account_event', 'permission_change'];

/**
 * Creates a NOLOGIN role unless it exists, tolerating another session creating it at the same time:
 * that session's insert holds ours until it commits, then ours fails as a duplicate, which is fine.
 */
export function createRoleOnce(role: string): string {
  const ident = '"' + role.replace(/"/g, '""') + '"';
  const literal = "'" + role.replace(/'/g, "''") + "'";
  return `do $$
    begin
      if not exists (select 1 from pg_roles where rolname = ${literal}) then
        begin
          create role ${ident} nologin;
        exception
          when duplicate_object or unique_violation then
            null;
          when insufficient_privilege then
            raise exception 'Creating the role % needs CREATEROLE. As an administrator: CREATE ROLE % NOLOGIN; GRANT % TO %;', ${literal}, ${literal}, ${literal}, current_user;
        end;
      end if;
    end $$;`;
}

/**
 * The role the running server acts as (see src/db/app-role.ts): no login, the data rights it needs on
 * every table, none to UPDATE, DELETE or TRUNCATE the history, read-only on the migrations table.
 *
 * Roles belong to the whole PostgreSQL cluster, not to this database: the role may already exist
 * (another database of the cluster, a test template copied many times, an administrator), and two
 * databases may be migrated at once, so creating it tolerates losing that race. Everything else here
 * (grants, default privileges) belongs to this database.
 *
 * Tables, sequences and functions that later migrations create get the same rights through ALTER
 * DEFAULT PRIVILEGES, as long as the same owner runs them (MikroORM runs them all as DATABASE_URL's
 * user). A later migration that adds a history table must revoke UPDATE, DELETE and TRUNCATE on it
 * from vpdt_app itself, as below, and add it to the test that tries to change each history table.
 */
export class Migration20261126120000_app_role extends Migration {
  override async up(): Promise<void> {
    this.addSql(createRoleOnce('vpdt_app'));
    // The owner takes the role at connection start (`-c role=vpdt_app`), so it must be able to SET it;
    // a superuser always can. PostgreSQL 16 split SET from membership.
    this.addSql(`do $$
      declare can_set boolean;
      begin
        if current_setting('server_version_num')::int >= 160000 then
          can_set := pg_has_role(current_user, 'vpdt_app', 'SET');
        else
          can_set := pg_has_role(current_user, 'vpdt_app', 'MEMBER');
        end if;
        if not can_set then
          begin
            execute format('grant vpdt_app to %I', current_user);
          exception when insufficient_privilege then
            raise exception 'The role vpdt_app exists but % may not act as it. As an administrator: GRANT vpdt_app TO %;', current_user, current_user;
          end;
        end if;
      end $$;`);

    this.addSql(`grant usage on schema public to vpdt_app;`);
    this.addSql(`grant select, insert, update, delete on all tables in schema public to vpdt_app;`);
    this.addSql(`grant usage, select on all sequences in schema public to vpdt_app;`);
    this.addSql(`grant execute on all functions in schema public to vpdt_app;`);
    this.addSql(`revoke update, delete, truncate on ${HISTORY_TABLES.map((t) => `"${t}"`).join(', ')} from vpdt_app;`);
    // /readyz reads which migrations ran; only the owner records them.
    this.addSql(`revoke insert, update, delete, truncate on "mikro_orm_migrations" from vpdt_app;`);

    this.addSql(`alter default privileges in schema public grant select, insert, update, delete on tables to vpdt_app;`);
    this.addSql(`alter default privileges in schema public grant usage, select on sequences to vpdt_app;`);
    this.addSql(`alter default privileges in schema public grant execute on functions to vpdt_app;`);
  }

  override async down(): Promise<void> {
    // The role stays: other databases of the cluster may use it.
    this.addSql(`alter default privileges in schema public revoke select, insert, update, delete on tables from vpdt_app;`);
    this.addSql(`alter default privileges in schema public revoke usage, select on sequences from vpdt_app;`);
    this.addSql(`alter default privileges in schema public revoke execute on functions from vpdt_app;`);
    this.addSql(`revoke all on all tables in schema public from vpdt_app;`);
    this.addSql(`revoke all on all sequences in schema public from vpdt_app;`);
    this.addSql(`revoke all on all functions in schema public from vpdt_app;`);
    this.addSql(`revoke usage on schema public from vpdt_app;`);
  }
}
