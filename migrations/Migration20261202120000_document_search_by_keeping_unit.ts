import { Migration } from '@mikro-orm/migrations';

/**
 * Search over a keeping unit's documents without reading the table (issue 17, target 4).
 *
 * A search for common words (in most documents: the index of `search_vector` is not given them, see
 * src/services/document-search.ts) checks the folded text of every document the reader may read. For
 * a director or a clerk that is the keeping unit's documents, one arm per direction: this index holds
 * what such an arm reads (the unit and direction it is driven by, the state a clerk's outgoing rule
 * names, the creation time and id the page is ordered by, and the folded text the words are matched
 * and ranked on), so the arm is an index-only scan of one contiguous range instead of a visit to a
 * heap page per document (measured on 1,000,000 documents: about half the statement's CPU).
 *
 * A recipient unit's outgoing documents (the rule every reader of a department has) are found from
 * `outgoing_recipient` by its unit, which had no index: every search of a staff member read the whole
 * table for it.
 */
export class Migration20261202120000_document_search_by_keeping_unit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "document_keeping_search" on "document" ("keeping_unit_id", "direction") include ("state", "created_at", "id", "search_text");`);
    this.addSql(`create index "outgoing_recipient_unit_id_index" on "outgoing_recipient" ("unit_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "outgoing_recipient_unit_id_index";`);
    this.addSql(`drop index if exists "document_keeping_search";`);
  }
}
