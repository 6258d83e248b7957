import { Migration } from '@mikro-orm/migrations';

/**
 * Full-text search of documents over a `tsvector` column with a GIN index, replacing the trigram index.
 *
 * Search finds a document when every word of the query occurs in its folded text (lower case, no
 * diacritics, đ as d) — anywhere, as today: `tinh hinh` finds "hành chính" through "chính", `9` finds
 * "9 tháng". A vector of whole words would find less than that, so the vector's lexemes are the
 * *suffixes* of the text's space-separated words (cut to 32 characters): a word occurs in the text
 * exactly when it is the beginning of one of those suffixes, which is a prefix query (`'hinh':*`) the
 * GIN index answers. The service keeps the LIKE of each word on the rows the index returns, so the
 * match is exactly today's.
 *
 * The vector is maintained by the trigger that already maintains `search_text`, in the statement that
 * writes the document's text fields. The backfill is one UPDATE through that trigger (migrations run
 * in one transaction, allOrNothing), then the index is built once over the filled column.
 */
export class Migration20261202113000_document_search_vector extends Migration {
  override async up(): Promise<void> {
    // unaccent maps đ/Đ to d/D in the rules of PostgreSQL 15 and 18 (checked); translate() first keeps it so with any rules file.
    this.addSql(`create or replace function vn_fold(t text) returns text language sql immutable parallel safe
      as $$ select lower(public.unaccent('public.unaccent'::regdictionary, translate(coalesce(t, ''), 'đĐ', 'dD'))) $$;`);
    // The suffixes of the space-separated words, at most 32 characters each; array_to_tsvector removes duplicates.
    // Splitting on the space only is safe: a word of the query holds no space, so it lies inside one piece either way.
    this.addSql(`create or replace function vn_search_lexemes(t text) returns tsvector language sql immutable parallel safe strict
      as $$ select array_to_tsvector(array(
        select left(substr(w, i), 32) from unnest(string_to_array(t, ' ')) as w, generate_series(1, length(w)) as i)) $$;`);
    this.addSql(`alter table "document" add column "search_vector" tsvector null;`);
    this.addSql(`create or replace function document_search_text() returns trigger language plpgsql as $$
      begin
        new.search_text := vn_fold(concat_ws(' ', new.subject, new.number, new.symbol, new.number || '/' || new.symbol, new.issuer, new.note));
        new.search_vector := vn_search_lexemes(new.search_text);
        return new;
      end $$;`);
    this.addSql(`drop index if exists "document_search_text_trgm";`);
    // Through the trigger: the folded text and its vector recomputed together.
    this.addSql(`update "document" set "subject" = "subject";`);
    this.addSql(`create index "document_search_vector" on "document" using gin ("search_vector");`);
    this.addSql(`analyze "document";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "document_search_vector";`);
    this.addSql(`create or replace function document_search_text() returns trigger language plpgsql as $$
      begin
        new.search_text := vn_fold(concat_ws(' ', new.subject, new.number, new.symbol, new.number || '/' || new.symbol, new.issuer, new.note));
        return new;
      end $$;`);
    this.addSql(`alter table "document" drop column "search_vector";`);
    this.addSql(`drop function if exists vn_search_lexemes(text);`);
    this.addSql(`create index "document_search_text_trgm" on "document" using gin ("search_text" gin_trgm_ops);`);
  }
}
