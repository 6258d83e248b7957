import { Migration } from '@mikro-orm/migrations';

/**
 * Routing to subordinate units and agency-wide oversight (issue #18, items 3 and 5):
 * - an assignment to a subordinate unit points at the copy the unit received in its own register;
 * - a permission rule given to a role may be narrowed to the holders of that role in one unit
 *   (the head of the Office), and may use the condition OWN_AGENCY (every unit of the viewer's agency).
 */
export class Migration20261202100500_centres_oversight extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "assignment" add column "unit_copy_id" uuid null;`);
    this.addSql(
      `alter table "assignment" add constraint "assignment_unit_copy_id_foreign" foreign key ("unit_copy_id") ` +
        `references "document" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(`create index "assignment_unit_copy_id_index" on "assignment" ("unit_copy_id");`);
    this.addSql(`alter table "permission_rule" add column "unit_id" uuid null;`);
    this.addSql(
      `alter table "permission_rule" add constraint "permission_rule_unit_id_foreign" foreign key ("unit_id") ` +
        `references "unit" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(`create index "permission_rule_unit_id_index" on "permission_rule" ("unit_id");`);
    this.addSql(`alter table "permission_rule" drop constraint if exists "permission_rule_condition_check";`);
    this.addSql(
      `alter table "permission_rule" add constraint "permission_rule_condition_check" check ("condition" in ` +
        `('ANY', 'OWN_UNIT', 'OWN_DEPARTMENT', 'OWN_KEEPING_UNIT', 'OWN_AGENCY', 'ASSIGNED_TO_ME', 'DRAFTED_BY_ME'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "permission_rule" drop constraint if exists "permission_rule_condition_check";`);
    this.addSql(
      `alter table "permission_rule" add constraint "permission_rule_condition_check" check ("condition" in ` +
        `('ANY', 'OWN_UNIT', 'OWN_DEPARTMENT', 'OWN_KEEPING_UNIT', 'ASSIGNED_TO_ME', 'DRAFTED_BY_ME'));`,
    );
    this.addSql(`drop index if exists "permission_rule_unit_id_index";`);
    this.addSql(`alter table "permission_rule" drop column if exists "unit_id";`);
    this.addSql(`drop index if exists "assignment_unit_copy_id_index";`);
    this.addSql(`alter table "assignment" drop column if exists "unit_copy_id";`);
  }
}
