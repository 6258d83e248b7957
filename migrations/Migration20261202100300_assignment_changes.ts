import { Migration } from '@mikro-orm/migrations';

/**
 * Issue #18, items 1 and 4: an assignment may be withdrawn (thu hồi phân công) — a new state, with
 * when and why — and an informed reader's "read" completes it (no new column: COMPLETED).
 */
export class Migration20261202100300_assignment_changes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "assignment" drop constraint if exists "assignment_state_check";`);
    this.addSql(
      `alter table "assignment" add constraint "assignment_state_check" check ("state" in ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'RETURNED', 'WITHDRAWN'));`,
    );
    this.addSql(`alter table "assignment" add column "withdrawn_at" timestamptz null, add column "withdrawal_reason" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "assignment" drop column "withdrawn_at", drop column "withdrawal_reason";`);
    this.addSql(`alter table "assignment" drop constraint if exists "assignment_state_check";`);
    this.addSql(`alter table "assignment" add constraint "assignment_state_check" check ("state" in ('PENDING', 'IN_PROGRESS', 'COMPLETED', 'RETURNED'));`);
  }
}
