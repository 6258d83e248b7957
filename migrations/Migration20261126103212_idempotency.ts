import { Migration } from '@mikro-orm/migrations';

/** Idempotency keys: a retried mutation returns its first result and takes nothing new. */
export class Migration20261126103212_idempotency extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "idempotency_key" ("account_id" uuid not null, "key" varchar(100) not null, "operation" varchar(40) not null, "result_id" varchar(64) not null, "created_at" timestamptz not null default now(), constraint "idempotency_key_pkey" primary key ("account_id", "key"));`,
    );

    this.addSql(
      `alter table "idempotency_key" add constraint "idempotency_key_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_key" cascade;`);
  }
}
