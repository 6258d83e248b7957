import { Migration } from '@mikro-orm/migrations';

/** Outgoing documents: drafts and their versions, recipients, signing and issue; the link from a delivered copy to its origin. */
export class Migration20261126093246_outgoing_documents extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "outgoing_recipient" ("id" uuid not null, "document_id" uuid not null, "unit_id" uuid null, "correspondent_id" uuid null, "incoming_copy_id" uuid null, "delivery_state" text check ("delivery_state" in ('PENDING', 'DELIVERED', 'AWAITING_EXCHANGE')) not null, "ordinal" smallint not null, "created_at" timestamptz not null default now(), constraint "outgoing_recipient_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "outgoing_recipient_document_id_index" on "outgoing_recipient" ("document_id");`);
    this.addSql(`create index "outgoing_recipient_incoming_copy_id_index" on "outgoing_recipient" ("incoming_copy_id");`);

    this.addSql(
      `create table "draft_version" ("id" uuid not null, "document_id" uuid not null, "version" int not null, "file_id" uuid not null, "author_id" uuid not null, "subject" varchar(500) not null, "metadata" jsonb not null, "created_at" timestamptz not null default now(), constraint "draft_version_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "draft_version" add constraint "draft_version_document_id_version_unique" unique ("document_id", "version");`);

    this.addSql(
      `alter table "outgoing_recipient" add constraint "outgoing_recipient_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "outgoing_recipient" add constraint "outgoing_recipient_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "outgoing_recipient" add constraint "outgoing_recipient_correspondent_id_foreign" foreign key ("correspondent_id") references "correspondent" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "outgoing_recipient" add constraint "outgoing_recipient_incoming_copy_id_foreign" foreign key ("incoming_copy_id") references "document" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "draft_version" add constraint "draft_version_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "draft_version" add constraint "draft_version_file_id_foreign" foreign key ("file_id") references "stored_file" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "draft_version" add constraint "draft_version_author_id_foreign" foreign key ("author_id") references "account" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "document" add column "origin_id" uuid null, add column "drafting_unit_id" uuid null, add column "drafter_id" uuid null, add column "version" int null, add column "draft_file_id" uuid null, add column "signer_id" uuid null, add column "signed_at" timestamptz null, add column "issue_number" int null, add column "issued_at" timestamptz null, add column "issued_by_id" uuid null, add column "return_reason" varchar(1000) null, add column "recalled_at" timestamptz null, add column "recall_reason" varchar(1000) null;`,
    );
    this.addSql(
      `alter table "document" add constraint "document_origin_id_foreign" foreign key ("origin_id") references "document" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "document" add constraint "document_drafting_unit_id_foreign" foreign key ("drafting_unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "document" add constraint "document_drafter_id_foreign" foreign key ("drafter_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "document" add constraint "document_draft_file_id_foreign" foreign key ("draft_file_id") references "stored_file" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "document" add constraint "document_signer_id_foreign" foreign key ("signer_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "document" add constraint "document_issued_by_id_foreign" foreign key ("issued_by_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(`create index "document_origin_id_index" on "document" ("origin_id");`);
    this.addSql(`create index "document_drafting_unit_id_index" on "document" ("drafting_unit_id");`);
    this.addSql(`create index "document_drafter_id_index" on "document" ("drafter_id");`);
    this.addSql(`alter table "document" add constraint "document_register_issue_number_unique" unique ("register_id", "issue_number");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "outgoing_recipient" cascade;`);

    this.addSql(`drop table if exists "draft_version" cascade;`);

    this.addSql(`alter table "document" drop constraint "document_origin_id_foreign";`);
    this.addSql(`alter table "document" drop constraint "document_drafting_unit_id_foreign";`);
    this.addSql(`alter table "document" drop constraint "document_drafter_id_foreign";`);
    this.addSql(`alter table "document" drop constraint "document_draft_file_id_foreign";`);
    this.addSql(`alter table "document" drop constraint "document_signer_id_foreign";`);
    this.addSql(`alter table "document" drop constraint "document_issued_by_id_foreign";`);

    this.addSql(`drop index "document_origin_id_index";`);
    this.addSql(`drop index "document_drafting_unit_id_index";`);
    this.addSql(`drop index "document_drafter_id_index";`);
    this.addSql(`alter table "document" drop constraint "document_register_issue_number_unique";`);
    this.addSql(
      `alter table "document" drop column "origin_id", drop column "drafting_unit_id", drop column "drafter_id", drop column "version", drop column "draft_file_id", drop column "signer_id", drop column "signed_at", drop column "issue_number", drop column "issued_at", drop column "issued_by_id", drop column "return_reason", drop column "recalled_at", drop column "recall_reason";`,
    );
  }
}
