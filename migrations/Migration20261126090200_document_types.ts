import { Migration } from '@mikro-orm/migrations';
import { DOCUMENT_TYPES } from '../src/domain/reference/document-types';

/** Seeds the document types of NĐ 30/2020 Phụ lục III: reference data every deployment needs. */
export class Migration20261126090200_document_types extends Migration {
  override async up(): Promise<void> {
    for (const t of DOCUMENT_TYPES) {
      this.addSql(
        this.getKnex().raw(
          `insert into "document_type" ("code", "name", "abbreviation") values (?, ?, ?) on conflict ("code") do update set "name" = excluded."name", "abbreviation" = excluded."abbreviation";`,
          [t.code, t.name, t.abbreviation],
        ),
      );
    }
  }
}
