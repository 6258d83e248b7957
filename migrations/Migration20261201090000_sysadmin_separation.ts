import { Migration } from '@mikro-orm/migrations';

/**
 * Backstop of the separation of duties (Điều 6.3): whatever writes the roles of an account, the
 * database refuses one that holds SYSADMIN and a role that reads documents. The services refuse it
 * first, with GRANT_REFUSED; this catches a write that goes around them. A trigger on the roles
 * column rather than a CHECK constraint, so a row written before it (if any) can still be used and
 * corrected, while no write may set such a combination again.
 */
export class Migration20261201090000_sysadmin_separation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function account_roles_separated() returns trigger language plpgsql as $$
begin
  if 'SYSADMIN' = any(new.roles) and new.roles && array['DIRECTOR', 'CLERK', 'HEAD', 'STAFF']::text[] then
    raise exception 'an account holding SYSADMIN may hold no document role (separation of duties)' using errcode = 'check_violation';
  end if;
  return new;
end $$;`);
    this.addSql(
      `create trigger account_roles_separated before insert or update of roles on "account" for each row execute function account_roles_separated();`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists account_roles_separated on "account";`);
    this.addSql(`drop function if exists account_roles_separated();`);
  }
}
