import { Migration } from '@mikro-orm/migrations';

/**
 * What peers reported about the copies of our documents is history: the server's role may add to
 * exchange_status but never change or remove what is there (see Migration20261126120000_app_role).
 */
export class Migration20261126133000_exchange_status_append_only extends Migration {
  override async up(): Promise<void> {
    this.addSql(`revoke update, delete, truncate on "exchange_status" from vpdt_app;`);
  }

  override async down(): Promise<void> {
    this.addSql(`grant update, delete on "exchange_status" to vpdt_app;`);
  }
}
