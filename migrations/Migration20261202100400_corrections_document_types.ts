import { Migration } from '@mikro-orm/migrations';
import { LEGAL_DOCUMENT_TYPES } from '../src/domain/reference/document-types';

/**
 * Corrections and annulment of registrations, and document types as data:
 * - a register entry made in error is annulled, never deleted: `annulled_at` and `annulment_reason`
 *   on the document (shared by incoming and outgoing entries; added only if another change has not);
 * - a document type knows where it comes from and whether it is retired for new drafts; names are
 *   unique whatever their case; the legal documents an agency receives but does not issue (Luật,
 *   Pháp lệnh, Nghị định, Thông tư…) are known from the start, retired for drafting.
 */
export class Migration20261202100400_corrections_document_types extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "document" add column if not exists "annulled_at" timestamptz null, ` + `add column if not exists "annulment_reason" varchar(1000) null;`,
    );
    this.addSql(
      `alter table "document_type" add column "origin" text check ("origin" in ('DECREE_30', 'LEGAL', 'ADDED', 'RECEIVED')) not null default 'DECREE_30', ` +
        `add column "retired_at" timestamptz null;`,
    );
    this.addSql(`create unique index "document_type_name_lower_unique" on "document_type" (lower("name"));`);
    for (const t of LEGAL_DOCUMENT_TYPES) {
      this.addSql(
        this.getKnex().raw(
          `insert into "document_type" ("code", "name", "abbreviation", "origin", "retired_at") values (?, ?, ?, 'LEGAL', now()) on conflict do nothing;`,
          [t.code, t.name, t.abbreviation],
        ),
      );
    }
  }

  override async down(): Promise<void> {
    this.addSql(
      `delete from "document_type" t where t."origin" in ('LEGAL', 'RECEIVED', 'ADDED') ` +
        `and not exists (select 1 from "document" d where d."document_type_code" = t."code");`,
    );
    this.addSql(`drop index if exists "document_type_name_lower_unique";`);
    this.addSql(`alter table "document_type" drop column "origin", drop column "retired_at";`);
    this.addSql(`alter table "document" drop column if exists "annulled_at", drop column if exists "annulment_reason";`);
  }
}
