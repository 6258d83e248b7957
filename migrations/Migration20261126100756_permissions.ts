import { Migration } from '@mikro-orm/migrations';

/** Permissions administrators manage: rules as data with their history, and delegations (ủy quyền) with the signature they leave. */
export class Migration20261126100756_permissions extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "permission_rule" ("id" uuid not null, "role" text check ("role" in ('DIRECTOR', 'CLERK', 'HEAD', 'STAFF', 'SYSADMIN')) null, "account_id" uuid null, "action" varchar(40) not null, "subject" varchar(40) not null, "condition" text check ("condition" in ('ANY', 'OWN_UNIT', 'OWN_DEPARTMENT', 'OWN_KEEPING_UNIT', 'ASSIGNED_TO_ME', 'DRAFTED_BY_ME')) not null, "fields" text[] null, "inverted" boolean not null, "reason" varchar(500) not null, "created_by_id" uuid not null, "created_at" timestamptz not null default now(), "revoked_at" timestamptz null, "revoked_by_id" uuid null, constraint "permission_rule_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "permission_rule_account_id_index" on "permission_rule" ("account_id");`);

    this.addSql(
      `create table "permission_change" ("id" bigserial primary key, "rule_id" uuid not null, "change" varchar(10) not null, "actor_id" uuid not null, "reason" varchar(500) not null, "at" timestamptz not null default now());`,
    );

    this.addSql(
      `create table "delegation" ("id" uuid not null, "from_account_id" uuid not null, "to_account_id" uuid not null, "right" text check ("right" in ('SIGN', 'REVIEW')) not null, "scope_unit_id" uuid not null, "start_date" date not null, "end_date" date not null, "reason" varchar(500) null, "created_at" timestamptz not null default now(), "revoked_at" timestamptz null, constraint "delegation_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "delegation_to_account_id_index" on "delegation" ("to_account_id");`);

    this.addSql(
      `alter table "permission_rule" add constraint "permission_rule_account_id_foreign" foreign key ("account_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "permission_rule" add constraint "permission_rule_created_by_id_foreign" foreign key ("created_by_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "permission_rule" add constraint "permission_rule_revoked_by_id_foreign" foreign key ("revoked_by_id") references "account" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "permission_change" add constraint "permission_change_rule_id_foreign" foreign key ("rule_id") references "permission_rule" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "permission_change" add constraint "permission_change_actor_id_foreign" foreign key ("actor_id") references "account" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "delegation" add constraint "delegation_from_account_id_foreign" foreign key ("from_account_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "delegation" add constraint "delegation_to_account_id_foreign" foreign key ("to_account_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "delegation" add constraint "delegation_scope_unit_id_foreign" foreign key ("scope_unit_id") references "unit" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(`alter table "document" add column "signed_on_behalf_of_id" uuid null, add column "signature_authority" varchar(100) null;`);
    this.addSql(
      `alter table "document" add constraint "document_signed_on_behalf_of_id_foreign" foreign key ("signed_on_behalf_of_id") references "account" ("id") on update cascade on delete restrict;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "permission_change" drop constraint "permission_change_rule_id_foreign";`);

    this.addSql(`drop table if exists "permission_rule" cascade;`);

    this.addSql(`drop table if exists "permission_change" cascade;`);

    this.addSql(`drop table if exists "delegation" cascade;`);

    this.addSql(`alter table "document" drop constraint "document_signed_on_behalf_of_id_foreign";`);

    this.addSql(`alter table "document" drop column "signed_on_behalf_of_id", drop column "signature_authority";`);
  }
}
