import { Migration } from '@mikro-orm/migrations';

export class Migration20261126115623_exchange extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "exchange_status" ("id" uuid not null, "recipient_id" uuid not null, "code" varchar(2) not null, "description" varchar(1000) null, "at" timestamptz not null, "sequence" int not null, "received_at" timestamptz not null default now(), constraint "exchange_status_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "exchange_status_recipient_id_received_at_index" on "exchange_status" ("recipient_id", "received_at");`);

    this.addSql(
      `create table "exchange_message" ("id" bigserial primary key, "kind" text check ("kind" in ('PACKAGE', 'STATUS')) not null, "correspondent_id" uuid not null, "document_id" uuid null, "recipient_id" uuid null, "business_doc_type" smallint null, "status_code" varchar(2) null, "reason" varchar(1000) null, "exchange_document_id" varchar(100) not null, "state" text check ("state" in ('QUEUED', 'SENT', 'FAILED', 'ACKNOWLEDGED', 'REFUSED')) not null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "claimed_until" timestamptz null, "last_attempt_at" timestamptz null, "last_error" varchar(1000) null, "prepare_failures" smallint not null default 0, "acknowledged_at" timestamptz null, "created_at" timestamptz not null default now());`,
    );
    this.addSql(`create index "exchange_message_document_id_index" on "exchange_message" ("document_id");`);
    this.addSql(`create index "exchange_message_recipient_id_index" on "exchange_message" ("recipient_id");`);
    this.addSql(`create index exchange_message_open on exchange_message (correspondent_id, id) where state not in ('ACKNOWLEDGED', 'REFUSED');`);
    this.addSql(`create index "exchange_message_due" on "exchange_message" ("state", "next_attempt_at");`);

    this.addSql(
      `alter table "exchange_status" add constraint "exchange_status_recipient_id_foreign" foreign key ("recipient_id") references "outgoing_recipient" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "exchange_message" add constraint "exchange_message_correspondent_id_foreign" foreign key ("correspondent_id") references "correspondent" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "exchange_message" add constraint "exchange_message_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "exchange_message" add constraint "exchange_message_recipient_id_foreign" foreign key ("recipient_id") references "outgoing_recipient" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(`alter table "outgoing_recipient" drop constraint if exists "outgoing_recipient_delivery_state_check";`);

    this.addSql(`alter table "correspondent" add column "endpoint" varchar(500) null, add column "secret_cipher" text null;`);

    this.addSql(`alter table "stored_file" alter column "uploaded_by_id" drop default;`);
    this.addSql(`alter table "stored_file" alter column "uploaded_by_id" type uuid using ("uploaded_by_id"::text::uuid);`);
    this.addSql(`alter table "stored_file" alter column "uploaded_by_id" drop not null;`);

    this.addSql(`alter table "document" add column "exchange_document_id" varchar(100) null, add column "exchange_status_sent" varchar(2) null;`);
    this.addSql(`alter table "document" alter column "created_by_id" drop not null;`);
    this.addSql(
      `alter table "document" add constraint "document_exchange_document_id_unique" unique ("direction", "keeping_unit_id", "exchange_document_id");`,
    );

    this.addSql(`alter table "outgoing_recipient" add column "delivery_error" varchar(1000) null;`);
    this.addSql(
      `alter table "outgoing_recipient" add constraint "outgoing_recipient_delivery_state_check" check("delivery_state" in ('PENDING', 'DELIVERED', 'AWAITING_EXCHANGE', 'QUEUED', 'SENT', 'FAILED', 'ACKNOWLEDGED', 'REFUSED'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "exchange_status" cascade;`);

    this.addSql(`drop table if exists "exchange_message" cascade;`);

    this.addSql(`alter table "outgoing_recipient" drop constraint if exists "outgoing_recipient_delivery_state_check";`);

    this.addSql(`alter table "correspondent" drop column "endpoint", drop column "secret_cipher";`);

    this.addSql(`alter table "document" drop constraint "document_exchange_document_id_unique";`);
    this.addSql(`alter table "document" drop column "exchange_document_id", drop column "exchange_status_sent";`);
    this.addSql(`alter table "document" alter column "created_by_id" set not null;`);

    this.addSql(`alter table "outgoing_recipient" drop column "delivery_error";`);

    this.addSql(
      `alter table "outgoing_recipient" add constraint "outgoing_recipient_delivery_state_check" check("delivery_state" in ('PENDING', 'DELIVERED', 'AWAITING_EXCHANGE'));`,
    );

    this.addSql(`alter table "stored_file" alter column "uploaded_by_id" drop default;`);
    this.addSql(`alter table "stored_file" alter column "uploaded_by_id" type uuid using ("uploaded_by_id"::text::uuid);`);
    this.addSql(`alter table "stored_file" alter column "uploaded_by_id" set not null;`);
  }
}
