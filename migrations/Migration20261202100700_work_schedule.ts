import { Migration } from '@mikro-orm/migrations';

/**
 * The weekly work schedule (lịch công tác): schedules per keeping unit and ISO week, their versions,
 * entries and linked documents, and the schedule events. Those share the routing events' id sequence
 * and are ordered by transaction id like them, so the one event stream carries both; a NOTIFY on the
 * same channel wakes the stream. The application role may append events, never change or delete them.
 */
export class Migration20261202100700_work_schedule extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "work_schedule" ("id" uuid not null, "keeping_unit_id" uuid not null, "week" varchar(8) not null, "week_start" date not null, "latest_version" smallint not null, "published_version" smallint null, "created_by_id" uuid not null, "created_at" timestamptz not null default now(), constraint "work_schedule_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "work_schedule" add constraint "work_schedule_keeping_unit_id_week_unique" unique ("keeping_unit_id", "week");`);
    this.addSql(
      `create table "work_schedule_version" ("id" uuid not null, "schedule_id" uuid not null, "number" smallint not null, "state" text check ("state" in ('DRAFT', 'SUBMITTED', 'RETURNED', 'PUBLISHED', 'SUPERSEDED')) not null, "drafted_by_id" uuid not null, "revision_note" varchar(1000) null, "return_reason" varchar(1000) null, "submitted_at" timestamptz null, "approved_by_id" uuid null, "published_at" timestamptz null, "previous_number" smallint null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "work_schedule_version_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "work_schedule_version" add constraint "work_schedule_version_schedule_id_number_unique" unique ("schedule_id", "number");`);
    this.addSql(
      `create table "work_schedule_event" ("id" bigint not null default nextval('routing_event_id_seq'::regclass), "txid" xid8 not null default pg_current_xact_id(), "schedule_id" uuid not null, "version_id" uuid not null, "type" varchar(30) not null, "actor_id" uuid null, "note" varchar(1000) null, "at" timestamptz not null default now(), constraint "work_schedule_event_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "work_schedule_event_position_index" on "work_schedule_event" ("txid", "id");`);
    this.addSql(
      `create table "work_schedule_entry" ("id" uuid not null, "version_id" uuid not null, "key" uuid not null, "position" smallint not null, "date" date not null, "start_time" varchar(5) not null, "end_time" varchar(5) null, "place" varchar(200) not null, "chair_id" uuid null, "content" varchar(2000) not null, "participant_unit_ids" text[] not null, "participant_account_ids" text[] not null, constraint "work_schedule_entry_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "work_schedule_entry_version_id_date_start_time_index" on "work_schedule_entry" ("version_id", "date", "start_time");`);
    this.addSql(
      `create table "work_schedule_entry_document" ("id" uuid not null, "entry_id" uuid not null, "document_id" uuid not null, "kind" varchar(20) not null, constraint "work_schedule_entry_document_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "work_schedule_entry_document" add constraint "work_schedule_entry_document_entry_id_document_id_unique" unique ("entry_id", "document_id");`,
    );
    this.addSql(
      `alter table "work_schedule" add constraint "work_schedule_keeping_unit_id_foreign" foreign key ("keeping_unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "work_schedule" add constraint "work_schedule_created_by_id_foreign" foreign key ("created_by_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "work_schedule_version" add constraint "work_schedule_version_schedule_id_foreign" foreign key ("schedule_id") references "work_schedule" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "work_schedule_version" add constraint "work_schedule_version_drafted_by_id_foreign" foreign key ("drafted_by_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "work_schedule_version" add constraint "work_schedule_version_approved_by_id_foreign" foreign key ("approved_by_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "work_schedule_event" add constraint "work_schedule_event_schedule_id_foreign" foreign key ("schedule_id") references "work_schedule" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "work_schedule_event" add constraint "work_schedule_event_version_id_foreign" foreign key ("version_id") references "work_schedule_version" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "work_schedule_event" add constraint "work_schedule_event_actor_id_foreign" foreign key ("actor_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "work_schedule_entry" add constraint "work_schedule_entry_version_id_foreign" foreign key ("version_id") references "work_schedule_version" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "work_schedule_entry" add constraint "work_schedule_entry_chair_id_foreign" foreign key ("chair_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "work_schedule_entry_document" add constraint "work_schedule_entry_document_entry_id_foreign" foreign key ("entry_id") references "work_schedule_entry" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "work_schedule_entry_document" add constraint "work_schedule_entry_document_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `create trigger "work_schedule_event_notify" after insert on "work_schedule_event" for each statement execute function "notify_routing_event"();`,
    );
    this.addSql(
      `create trigger "work_schedule_event_append_only" before update or delete on "work_schedule_event" for each row execute function "forbid_history_change"();`,
    );
    this.addSql(
      `create trigger "work_schedule_event_no_truncate" before truncate on "work_schedule_event" for each statement execute function "forbid_history_change"();`,
    );
    this.addSql(`revoke update, delete, truncate on "work_schedule_event" from vpdt_app;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "work_schedule_event" cascade;`);
    this.addSql(`drop table if exists "work_schedule_entry_document" cascade;`);
    this.addSql(`drop table if exists "work_schedule_entry" cascade;`);
    this.addSql(`drop table if exists "work_schedule_version" cascade;`);
    this.addSql(`drop table if exists "work_schedule" cascade;`);
  }
}
