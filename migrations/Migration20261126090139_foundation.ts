import { Migration } from '@mikro-orm/migrations';

export class Migration20261126090139_foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "correspondent" ("id" uuid not null, "name" varchar(200) not null, "short_name" varchar(30) null, "organ_id" varchar(13) null, "created_at" timestamptz not null default now(), constraint "correspondent_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "correspondent" add constraint "correspondent_organ_id_unique" unique ("organ_id");`);

    this.addSql(
      `create table "document_type" ("code" varchar(10) not null, "name" varchar(100) not null, "abbreviation" varchar(10) null, constraint "document_type_pkey" primary key ("code"));`,
    );

    this.addSql(
      `create table "login_throttle" ("key" varchar(300) not null, "failures" int not null, "window_started_at" timestamptz not null, "locked_until" timestamptz null, constraint "login_throttle_pkey" primary key ("key"));`,
    );

    this.addSql(
      `create table "unit" ("id" uuid not null, "name" varchar(200) not null, "short_name" varchar(20) not null, "code" varchar(13) null, "kind" text check ("kind" in ('AGENCY', 'DEPARTMENT', 'SUBORDINATE')) not null, "parent_id" uuid null, "keeps_records" boolean not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "unit_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "unit" add constraint "unit_code_unique" unique ("code");`);
    this.addSql(`create index "unit_parent_id_index" on "unit" ("parent_id");`);

    this.addSql(
      `create table "account" ("id" uuid not null, "username" varchar(254) not null, "full_name" varchar(100) not null, "position" varchar(100) null, "unit_id" uuid not null, "roles" text[] not null, "status" text check ("status" in ('ACTIVE', 'DISABLED')) not null default 'ACTIVE', "end_reason" text check ("end_reason" in ('RETIREMENT', 'RESIGNATION', 'TRANSFER_OUT', 'OTHER')) null, "must_change_password" boolean not null default true, "password_hash" text not null, "last_seen_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "account_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "account" add constraint "account_username_unique" unique ("username");`);
    this.addSql(`create index "account_unit_id_index" on "account" ("unit_id");`);

    this.addSql(
      `create table "session" ("id" uuid not null, "account_id" uuid not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "revoked_at" timestamptz null, "client_address" varchar(64) null, constraint "session_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "session_account_id_index" on "session" ("account_id");`);

    this.addSql(
      `create table "account_unit_period" ("id" uuid not null, "account_id" uuid not null, "unit_id" uuid not null, "started_at" timestamptz not null default now(), "ended_at" timestamptz null, "reason" varchar(500) null, constraint "account_unit_period_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "account_unit_period_account_id_index" on "account_unit_period" ("account_id");`);

    this.addSql(
      `create table "account_event" ("id" bigserial primary key, "account_id" uuid not null, "actor_id" uuid null, "type" varchar(40) not null, "detail" jsonb null, "reason" varchar(500) null, "at" timestamptz not null default now());`,
    );
    this.addSql(`create index "account_event_account_id_index" on "account_event" ("account_id");`);

    this.addSql(
      `alter table "unit" add constraint "unit_parent_id_foreign" foreign key ("parent_id") references "unit" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "account" add constraint "account_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "session" add constraint "session_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "account_unit_period" add constraint "account_unit_period_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "account_unit_period" add constraint "account_unit_period_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "account_event" add constraint "account_event_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "account_event" add constraint "account_event_actor_id_foreign" foreign key ("actor_id") references "account" ("id") on update cascade on delete restrict;`,
    );
  }
}
