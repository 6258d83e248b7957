import { Migration } from '@mikro-orm/migrations';

const POSITIONS = [
  'DIRECTOR',
  'ACTING_DIRECTOR',
  'DEPUTY_DIRECTOR',
  'CHAIR',
  'VICE_CHAIR',
  'OFFICE_CHIEF',
  'DEPUTY_OFFICE_CHIEF',
  'CHIEF_INSPECTOR',
  'DEPUTY_CHIEF_INSPECTOR',
  'HEAD_OF_DEPARTMENT',
  'DEPUTY_HEAD_OF_DEPARTMENT',
  'PRINCIPAL_OFFICER',
  'OFFICER',
  'RECORDS_CLERK',
  'SYSTEM_ADMINISTRATOR',
];
const CAPACITIES = ['HEAD', 'ON_BEHALF_OF_BODY', 'ACTING', 'DEPUTY', 'BY_ORDER', 'BY_AUTHORISATION'];
const list = (xs: string[]) => xs.map((x) => `'${x}'`).join(', ');

/**
 * Signing as NĐ 30/2020 writes it (Điều 13) and the number taken before the final scan:
 * - account.position_code: the position (chức vụ), distinct from roles; filled from the printed title where it is one of them;
 * - unit.collective_body: the name after "TM." for a collective body;
 * - delegation.form: a SIGN delegation is a written authorisation (TUQ.) or signing by order (TL.);
 * - document: the capacity, for whom and the lines of a signature; when and by whom the number was taken;
 *   the annulment of a register entry (shareable with incoming registrations, hence "if not exists").
 */
export class Migration20261202100100_signing_forms_numbering extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "account" add column if not exists "position_code" text check ("position_code" in (${list(POSITIONS)})) null;`);
    this.addSql(`update "account" set "position_code" = case lower(trim("position"))
      when 'giám đốc' then 'DIRECTOR' when 'quyền giám đốc' then 'ACTING_DIRECTOR' when 'phó giám đốc' then 'DEPUTY_DIRECTOR'
      when 'chủ tịch' then 'CHAIR' when 'phó chủ tịch' then 'VICE_CHAIR'
      when 'chánh văn phòng' then 'OFFICE_CHIEF' when 'phó chánh văn phòng' then 'DEPUTY_OFFICE_CHIEF'
      when 'chánh thanh tra' then 'CHIEF_INSPECTOR' when 'phó chánh thanh tra' then 'DEPUTY_CHIEF_INSPECTOR'
      when 'trưởng phòng' then 'HEAD_OF_DEPARTMENT' when 'phó trưởng phòng' then 'DEPUTY_HEAD_OF_DEPARTMENT'
      when 'chuyên viên chính' then 'PRINCIPAL_OFFICER' when 'chuyên viên' then 'OFFICER' when 'văn thư' then 'RECORDS_CLERK'
      when 'quản trị hệ thống' then 'SYSTEM_ADMINISTRATOR' else null end where "position_code" is null;`);
    this.addSql(`alter table "unit" add column if not exists "collective_body" varchar(200) null;`);
    this.addSql(`alter table "delegation" add column if not exists "form" text check ("form" in ('AUTHORISATION', 'BY_ORDER')) null;`);
    this.addSql(`update "delegation" set "form" = 'AUTHORISATION' where "right" = 'SIGN' and "form" is null;`);
    this.addSql(`alter table "document" add column if not exists "signing_capacity" text check ("signing_capacity" in (${list(CAPACITIES)})) null,
      add column if not exists "signed_for" varchar(200) null,
      add column if not exists "signature_lines" text[] null,
      add column if not exists "numbered_at" timestamptz null,
      add column if not exists "numbered_by_id" uuid null,
      add column if not exists "annulled_at" timestamptz null,
      add column if not exists "annulment_reason" varchar(1000) null,
      add column if not exists "annulled_by_id" uuid null;`);
    for (const c of ['numbered_by_id', 'annulled_by_id']) {
      this.addSql(`alter table "document" drop constraint if exists "document_${c}_foreign";`);
      this.addSql(
        `alter table "document" add constraint "document_${c}_foreign" foreign key ("${c}") references "account" ("id") on update cascade on delete restrict;`,
      );
    }
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "document" drop constraint if exists "document_numbered_by_id_foreign",
      drop constraint if exists "document_annulled_by_id_foreign";`);
    this.addSql(`alter table "document" drop column if exists "signing_capacity", drop column if exists "signed_for", drop column if exists "signature_lines",
      drop column if exists "numbered_at", drop column if exists "numbered_by_id", drop column if exists "annulled_at",
      drop column if exists "annulment_reason", drop column if exists "annulled_by_id";`);
    this.addSql(`alter table "delegation" drop column if exists "form";`);
    this.addSql(`alter table "unit" drop column if exists "collective_body";`);
    this.addSql(`alter table "account" drop column if exists "position_code";`);
  }
}
