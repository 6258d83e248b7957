import { Migration } from '@mikro-orm/migrations';

/**
 * Assignments returned to their assigner and not yet dealt with, by assigner: the RETURNED inbox view
 * and its count. A handful of rows. The few people who assign (director, deputies, heads) each hold a
 * large share of all assignments, so `assigned_by_id` alone does not narrow them: without this index a
 * plan made for any viewer (a generic plan of a prepared statement, src/read/count-reads.ts) reads the
 * whole table.
 */
export class Migration20261202120100_returned_assignments extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "assignment_returned_assigned_by_index" on "assignment" ("assigned_by_id", "document_id") where "state" = 'RETURNED' and not "return_handled";`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "assignment_returned_assigned_by_index";`);
  }
}
