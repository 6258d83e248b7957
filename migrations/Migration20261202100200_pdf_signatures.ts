import { Migration } from '@mikro-orm/migrations';

/**
 * The check of a stored PDF's digital signatures (issue #19, items 3–4): one row per stored file
 * that is a PDF, with the file's verdict, each signature's facts (jsonb) and the trust anchors it was
 * made under. Removed with its file.
 */
export class Migration20261202100200_pdf_signatures extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "file_signature_check" ("id" uuid not null, "file_id" uuid not null, "verdict" varchar(30) not null, ` +
        `"problem" varchar(500) null, "signatures" jsonb not null, "anchors_digest" varchar(64) not null, "checked_at" timestamptz not null, ` +
        `constraint "file_signature_check_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "file_signature_check" add constraint "file_signature_check_file_id_unique" unique ("file_id");`);
    this.addSql(
      `alter table "file_signature_check" add constraint "file_signature_check_file_id_foreign" foreign key ("file_id") ` +
        `references "stored_file" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "file_signature_check" cascade;`);
  }
}
