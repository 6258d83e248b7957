import { Migration } from '@mikro-orm/migrations';

/**
 * Correspondents belong to one agency of the deployment (their endpoint, secret and outbox with them):
 * existing ones go to the first agency, the one that was alone until now. An identifier is unique
 * within an agency; two agencies may each know the same outside organisation.
 */
export class Migration20261127090000_agency_correspondents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "correspondent" add column "agency_id" uuid null;`);
    this.addSql(
      `update "correspondent" set "agency_id" = (select "id" from "unit" where "kind" = 'AGENCY' and "parent_id" is null order by "created_at", "id" limit 1);`,
    );
    this.addSql(`alter table "correspondent" alter column "agency_id" set not null;`);
    this.addSql(
      `alter table "correspondent" add constraint "correspondent_agency_id_foreign" foreign key ("agency_id") references "unit" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(`create index "correspondent_agency_id_index" on "correspondent" ("agency_id");`);
    this.addSql(`alter table "correspondent" drop constraint "correspondent_organ_id_unique";`);
    this.addSql(`alter table "correspondent" add constraint "correspondent_agency_id_organ_id_unique" unique ("agency_id", "organ_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "correspondent" drop constraint "correspondent_agency_id_organ_id_unique";`);
    this.addSql(`alter table "correspondent" add constraint "correspondent_organ_id_unique" unique ("organ_id");`);
    this.addSql(`alter table "correspondent" drop constraint "correspondent_agency_id_foreign";`);
    this.addSql(`alter table "correspondent" drop column "agency_id";`);
  }
}
