import { Migration } from '@mikro-orm/migrations';

/** Incoming documents: files, registers, documents, assignments, progress and the append-only routing history. */
export class Migration20261126091826_incoming_documents extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "register" ("id" uuid not null, "keeping_unit_id" uuid not null, "direction" text check ("direction" in ('INCOMING', 'OUTGOING')) not null, "year" int not null, "last_number" int not null default 0, "created_at" timestamptz not null default now(), constraint "register_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "register" add constraint "register_keeping_unit_id_direction_year_unique" unique ("keeping_unit_id", "direction", "year");`);

    this.addSql(
      `create table "stored_file" ("id" uuid not null, "sha256" varchar(64) not null, "size" bigint not null, "mime_type" varchar(100) not null, "name" varchar(255) not null, "uploaded_by_id" uuid not null, "created_at" timestamptz not null default now(), constraint "stored_file_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "stored_file_sha256_index" on "stored_file" ("sha256");`);
    this.addSql(`create index "stored_file_uploaded_by_id_index" on "stored_file" ("uploaded_by_id");`);

    this.addSql(
      `create table "document" ("id" uuid not null, "direction" text check ("direction" in ('INCOMING', 'OUTGOING')) not null, "document_type_code" varchar(10) not null, "number" varchar(11) null, "symbol" varchar(30) null, "issued_date" date null, "issuer" varchar(200) not null, "subject" varchar(500) not null, "language" varchar(30) not null default 'vi', "page_count" smallint null, "note" varchar(500) null, "signer_name" varchar(50) null, "signer_position" varchar(100) null, "urgency" text check ("urgency" in ('NORMAL', 'URGENT', 'VERY_URGENT', 'FLASH')) not null default 'NORMAL', "due_date" date null, "keeping_unit_id" uuid not null, "state" varchar(30) not null, "created_by_id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "arrival_channel" text check ("arrival_channel" in ('PAPER', 'ELECTRONIC', 'INTERNAL')) null, "arrival_number" int null, "arrival_date" date null, "registered_at" timestamptz null, "register_id" uuid null, "sender_correspondent_id" uuid null, "sender_unit_id" uuid null, "received_at" timestamptz null, "submitted_at" timestamptz null, "rejection_reason" varchar(1000) null, constraint "document_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "document_direction_index" on "document" ("direction");`);
    this.addSql(`create index "document_keeping_unit_id_index" on "document" ("keeping_unit_id");`);
    this.addSql(`create index "document_sender_correspondent_id_index" on "document" ("sender_correspondent_id");`);
    this.addSql(`create index "document_sender_unit_id_index" on "document" ("sender_unit_id");`);
    this.addSql(`create index "document_created_at_id_index" on "document" ("created_at", "id");`);
    this.addSql(`create index "document_keeping_unit_id_state_index" on "document" ("keeping_unit_id", "state");`);
    this.addSql(`alter table "document" add constraint "document_register_arrival_number_unique" unique ("register_id", "arrival_number");`);

    this.addSql(
      `create table "document_attachment" ("id" uuid not null, "document_id" uuid not null, "file_id" uuid not null, "ordinal" smallint not null, constraint "document_attachment_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "document_attachment_document_id_index" on "document_attachment" ("document_id");`);
    this.addSql(`create index "document_attachment_file_id_index" on "document_attachment" ("file_id");`);
    this.addSql(`alter table "document_attachment" add constraint "document_attachment_document_id_file_id_unique" unique ("document_id", "file_id");`);

    this.addSql(
      `create table "assignment" ("id" uuid not null, "document_id" uuid not null, "role" text check ("role" in ('LEAD', 'COOPERATE', 'INFORM')) not null, "assignee_unit_id" uuid null, "assignee_id" uuid null, "scope_unit_id" uuid not null, "assigned_by_id" uuid not null, "instruction" text null, "deadline" date null, "state" text check ("state" in ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'RETURNED')) not null, "parent_id" uuid null, "active" boolean not null default true, "return_handled" boolean not null default false, "created_at" timestamptz not null default now(), "started_at" timestamptz null, "completed_at" timestamptz null, "result" text null, "reply_document_id" uuid null, "return_reason" text null, constraint "assignment_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "assignment_document_id_index" on "assignment" ("document_id");`);
    this.addSql(`create index "assignment_assignee_unit_id_index" on "assignment" ("assignee_unit_id");`);
    this.addSql(`create index "assignment_assignee_id_index" on "assignment" ("assignee_id");`);
    this.addSql(`create index "assignment_scope_unit_id_index" on "assignment" ("scope_unit_id");`);
    this.addSql(`create index "assignment_assigned_by_id_index" on "assignment" ("assigned_by_id");`);
    this.addSql(`create index "assignment_parent_id_index" on "assignment" ("parent_id");`);

    this.addSql(
      `create table "routing_event" ("id" bigserial primary key, "document_id" uuid not null, "assignment_id" uuid null, "type" varchar(30) not null, "actor_id" uuid null, "from_state" varchar(30) null, "to_state" varchar(30) null, "note" text null, "at" timestamptz not null default now());`,
    );
    this.addSql(`create index "routing_event_document_id_id_index" on "routing_event" ("document_id", "id");`);

    this.addSql(
      `create table "assignment_progress" ("id" uuid not null, "assignment_id" uuid not null, "author_id" uuid not null, "note" text not null, "at" timestamptz not null default now(), constraint "assignment_progress_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "assignment_progress_assignment_id_index" on "assignment_progress" ("assignment_id");`);

    this.addSql(
      `alter table "register" add constraint "register_keeping_unit_id_foreign" foreign key ("keeping_unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "stored_file" add constraint "stored_file_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "account" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "document" add constraint "document_document_type_code_foreign" foreign key ("document_type_code") references "document_type" ("code") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "document" add constraint "document_keeping_unit_id_foreign" foreign key ("keeping_unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "document" add constraint "document_created_by_id_foreign" foreign key ("created_by_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "document" add constraint "document_register_id_foreign" foreign key ("register_id") references "register" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "document" add constraint "document_sender_correspondent_id_foreign" foreign key ("sender_correspondent_id") references "correspondent" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "document" add constraint "document_sender_unit_id_foreign" foreign key ("sender_unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "document_attachment" add constraint "document_attachment_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "document_attachment" add constraint "document_attachment_file_id_foreign" foreign key ("file_id") references "stored_file" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "assignment" add constraint "assignment_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "assignment" add constraint "assignment_assignee_unit_id_foreign" foreign key ("assignee_unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "assignment" add constraint "assignment_assignee_id_foreign" foreign key ("assignee_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "assignment" add constraint "assignment_scope_unit_id_foreign" foreign key ("scope_unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "assignment" add constraint "assignment_assigned_by_id_foreign" foreign key ("assigned_by_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "assignment" add constraint "assignment_parent_id_foreign" foreign key ("parent_id") references "assignment" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "assignment" add constraint "assignment_reply_document_id_foreign" foreign key ("reply_document_id") references "document" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "routing_event" add constraint "routing_event_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "routing_event" add constraint "routing_event_assignment_id_foreign" foreign key ("assignment_id") references "assignment" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "routing_event" add constraint "routing_event_actor_id_foreign" foreign key ("actor_id") references "account" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "assignment_progress" add constraint "assignment_progress_assignment_id_foreign" foreign key ("assignment_id") references "assignment" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "assignment_progress" add constraint "assignment_progress_author_id_foreign" foreign key ("author_id") references "account" ("id") on update cascade on delete restrict;`,
    );

    // The routing history is append-only: the database itself refuses to change or delete it.
    this.addSql(`create or replace function "forbid_history_change"() returns trigger language plpgsql as $$
      begin
        raise exception 'the history table % is append-only', tg_table_name using errcode = 'P0001';
      end $$;`);
    this.addSql(
      `create trigger "routing_event_append_only" before update or delete on "routing_event" for each row execute function "forbid_history_change"();`,
    );
    this.addSql(`create trigger "routing_event_no_truncate" before truncate on "routing_event" for each statement execute function "forbid_history_change"();`);
    // The access filters of heads and staff look assignments up by person and by unit among the active ones.
    this.addSql(`create index "assignment_active_assignee_index" on "assignment" ("assignee_id", "document_id") where "active";`);
    this.addSql(`create index "assignment_active_scope_unit_index" on "assignment" ("scope_unit_id", "document_id") where "active";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "routing_event_append_only" on "routing_event";`);
    this.addSql(`drop trigger if exists "routing_event_no_truncate" on "routing_event";`);
    this.addSql(`drop function if exists "forbid_history_change"();`);
    this.addSql(`alter table "document" drop constraint "document_register_id_foreign";`);

    this.addSql(`alter table "document_attachment" drop constraint "document_attachment_file_id_foreign";`);

    this.addSql(`alter table "document_attachment" drop constraint "document_attachment_document_id_foreign";`);

    this.addSql(`alter table "assignment" drop constraint "assignment_document_id_foreign";`);

    this.addSql(`alter table "assignment" drop constraint "assignment_reply_document_id_foreign";`);

    this.addSql(`alter table "routing_event" drop constraint "routing_event_document_id_foreign";`);

    this.addSql(`alter table "assignment" drop constraint "assignment_parent_id_foreign";`);

    this.addSql(`alter table "routing_event" drop constraint "routing_event_assignment_id_foreign";`);

    this.addSql(`alter table "assignment_progress" drop constraint "assignment_progress_assignment_id_foreign";`);

    this.addSql(`drop table if exists "register" cascade;`);

    this.addSql(`drop table if exists "stored_file" cascade;`);

    this.addSql(`drop table if exists "document" cascade;`);

    this.addSql(`drop table if exists "document_attachment" cascade;`);

    this.addSql(`drop table if exists "assignment" cascade;`);

    this.addSql(`drop table if exists "routing_event" cascade;`);

    this.addSql(`drop table if exists "assignment_progress" cascade;`);
  }
}
