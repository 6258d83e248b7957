import { Migration } from '@mikro-orm/migrations';

/** Work dossiers, check-ins, and search that ignores case and Vietnamese diacritics (unaccent + pg_trgm). */
export class Migration20261126095852_dossiers_search_oversight extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists unaccent;`);
    this.addSql(`create extension if not exists pg_trgm;`);
    // unaccent() is only STABLE (its dictionary could change): this wrapper pins the dictionary so it can feed indexes.
    this.addSql(`create or replace function vn_fold(t text) returns text language sql immutable parallel safe
      as $$ select lower(public.unaccent('public.unaccent'::regdictionary, coalesce(t, ''))) $$;`);
    this.addSql(
      `create table "dossier" ("id" uuid not null, "code" varchar(40) not null, "year" int not null, "notation" varchar(20) not null, "title" varchar(500) not null, "retention_years" smallint null, "rights" varchar(200) null, "language" varchar(30) not null default 'vi', "start_date" date not null, "end_date" date null, "note" varchar(500) null, "owner_id" uuid not null, "owner_unit_id" uuid not null, "keeping_unit_id" uuid not null, "state" text check ("state" in ('OPEN', 'CLOSED')) not null, "closed_at" timestamptz null, "search_text" text null, "created_at" timestamptz not null default now(), constraint "dossier_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "dossier" add constraint "dossier_code_unique" unique ("code");`);
    this.addSql(`create index "dossier_owner_id_index" on "dossier" ("owner_id");`);
    this.addSql(`create index "dossier_owner_unit_id_index" on "dossier" ("owner_unit_id");`);
    this.addSql(`create index "dossier_keeping_unit_id_index" on "dossier" ("keeping_unit_id");`);

    this.addSql(
      `create table "dossier_document" ("id" uuid not null, "dossier_id" uuid not null, "document_id" uuid not null, "ordinal" smallint not null, "filed_by_id" uuid not null, "filed_at" timestamptz not null default now(), constraint "dossier_document_pkey" primary key ("id"));`,
    );
    this.addSql(`alter table "dossier_document" add constraint "dossier_document_dossier_id_ordinal_unique" unique ("dossier_id", "ordinal");`);
    this.addSql(`alter table "dossier_document" add constraint "dossier_document_document_id_unique" unique ("document_id");`);

    this.addSql(
      `create table "account_activity" ("account_id" uuid not null, "day" date not null, "visits" smallint not null, "first_at" timestamptz not null, "last_at" timestamptz not null, constraint "account_activity_pkey" primary key ("account_id", "day"));`,
    );

    this.addSql(
      `alter table "dossier" add constraint "dossier_owner_id_foreign" foreign key ("owner_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "dossier" add constraint "dossier_owner_unit_id_foreign" foreign key ("owner_unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "dossier" add constraint "dossier_keeping_unit_id_foreign" foreign key ("keeping_unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "dossier_document" add constraint "dossier_document_dossier_id_foreign" foreign key ("dossier_id") references "dossier" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "dossier_document" add constraint "dossier_document_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "dossier_document" add constraint "dossier_document_filed_by_id_foreign" foreign key ("filed_by_id") references "account" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "account_activity" add constraint "account_activity_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(`alter table "document" add column "search_text" text null;`);

    this.addSql(`create or replace function document_search_text() returns trigger language plpgsql as $$
      begin
        new.search_text := vn_fold(concat_ws(' ', new.subject, new.number, new.symbol, new.number || '/' || new.symbol, new.issuer, new.note));
        return new;
      end $$;`);
    this.addSql(
      `create trigger document_search_text before insert or update of subject, number, symbol, issuer, note on "document" for each row execute function document_search_text();`,
    );
    this.addSql(`update "document" set subject = subject;`);
    this.addSql(`create index document_search_text_trgm on "document" using gin (search_text gin_trgm_ops);`);
    this.addSql(`create or replace function dossier_search_text() returns trigger language plpgsql as $$
      begin
        new.search_text := vn_fold(concat_ws(' ', new.title, new.code));
        return new;
      end $$;`);
    this.addSql(`create trigger dossier_search_text before insert or update of title, code on "dossier" for each row execute function dossier_search_text();`);
    this.addSql(`create index dossier_search_text_trgm on "dossier" using gin (search_text gin_trgm_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists document_search_text on "document";`);
    this.addSql(`drop function if exists document_search_text();`);
    this.addSql(`drop index if exists document_search_text_trgm;`);
    this.addSql(`alter table "dossier_document" drop constraint "dossier_document_dossier_id_foreign";`);

    this.addSql(`drop table if exists "dossier" cascade;`);

    this.addSql(`drop table if exists "dossier_document" cascade;`);

    this.addSql(`drop table if exists "account_activity" cascade;`);

    this.addSql(`alter table "document" drop column "search_text";`);
  }
}
