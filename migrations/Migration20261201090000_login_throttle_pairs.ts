import { Migration } from '@mikro-orm/migrations';

/**
 * Sign-in throttling no longer locks an account for everyone: it locks an (account, address) pair,
 * locks an address, and only slows an account down. A pair's key (`pair:<address>|<user name>`) is
 * longer than the old keys, and an account's count keeps when its next slowed attempt may run. The
 * old counts (account locks among them) are transient and are dropped.
 */
export class Migration20261201090000_login_throttle_pairs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`delete from "login_throttle";`);
    this.addSql(`alter table "login_throttle" alter column "key" type varchar(400), add column "next_attempt_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`delete from "login_throttle";`);
    this.addSql(`alter table "login_throttle" drop column "next_attempt_at", alter column "key" type varchar(300);`);
  }
}
