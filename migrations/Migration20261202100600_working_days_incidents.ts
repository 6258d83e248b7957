import { Migration } from '@mikro-orm/migrations';

/** The usual public holidays and compensatory days of 2026 and 2027 (Bộ luật Lao động 2019, Điều 112 and 111.3). */
export const SEEDED_OFFICE_DAYS: ReadonlyArray<readonly [string, 'HOLIDAY' | 'COMPENSATORY_DAY_OFF' | 'COMPENSATORY_WORKDAY', string]> = [
  // 2026, as the Ministry of Home Affairs announced it for the public sector.
  ['2026-01-01', 'HOLIDAY', 'Tết Dương lịch'],
  ['2026-01-02', 'COMPENSATORY_DAY_OFF', 'Nghỉ hoán đổi dịp Tết Dương lịch (làm bù thứ Bảy 10/01/2026)'],
  ['2026-01-10', 'COMPENSATORY_WORKDAY', 'Làm bù ngày nghỉ hoán đổi 02/01/2026'],
  ['2026-02-16', 'HOLIDAY', 'Tết Nguyên đán Bính Ngọ (29 tháng Chạp)'],
  ['2026-02-17', 'HOLIDAY', 'Tết Nguyên đán Bính Ngọ (mùng 1)'],
  ['2026-02-18', 'HOLIDAY', 'Tết Nguyên đán Bính Ngọ (mùng 2)'],
  ['2026-02-19', 'HOLIDAY', 'Tết Nguyên đán Bính Ngọ (mùng 3)'],
  ['2026-02-20', 'HOLIDAY', 'Tết Nguyên đán Bính Ngọ (mùng 4)'],
  ['2026-04-26', 'HOLIDAY', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)'],
  ['2026-04-27', 'COMPENSATORY_DAY_OFF', 'Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật)'],
  ['2026-04-30', 'HOLIDAY', 'Ngày Chiến thắng'],
  ['2026-05-01', 'HOLIDAY', 'Ngày Quốc tế Lao động'],
  ['2026-09-01', 'HOLIDAY', 'Quốc khánh (ngày liền kề)'],
  ['2026-09-02', 'HOLIDAY', 'Quốc khánh'],
  // 2027: the days the Labour Code gives; the SYSADMIN adjusts them to the Government's announcement.
  ['2027-01-01', 'HOLIDAY', 'Tết Dương lịch'],
  ['2027-02-05', 'HOLIDAY', 'Tết Nguyên đán Đinh Mùi (30 tháng Chạp)'],
  ['2027-02-06', 'HOLIDAY', 'Tết Nguyên đán Đinh Mùi (mùng 1)'],
  ['2027-02-07', 'HOLIDAY', 'Tết Nguyên đán Đinh Mùi (mùng 2)'],
  ['2027-02-08', 'HOLIDAY', 'Tết Nguyên đán Đinh Mùi (mùng 3)'],
  ['2027-02-09', 'HOLIDAY', 'Tết Nguyên đán Đinh Mùi (mùng 4)'],
  ['2027-02-10', 'COMPENSATORY_DAY_OFF', 'Nghỉ bù Tết Nguyên đán (mùng 1 trùng thứ Bảy)'],
  ['2027-02-11', 'COMPENSATORY_DAY_OFF', 'Nghỉ bù Tết Nguyên đán (mùng 2 trùng Chủ nhật)'],
  ['2027-04-16', 'HOLIDAY', 'Giỗ Tổ Hùng Vương (10/3 âm lịch)'],
  ['2027-04-30', 'HOLIDAY', 'Ngày Chiến thắng'],
  ['2027-05-01', 'HOLIDAY', 'Ngày Quốc tế Lao động'],
  ['2027-05-03', 'COMPENSATORY_DAY_OFF', 'Nghỉ bù Ngày Quốc tế Lao động (trùng thứ Bảy)'],
  ['2027-09-02', 'HOLIDAY', 'Quốc khánh'],
  ['2027-09-03', 'HOLIDAY', 'Quốc khánh (ngày liền kề)'],
];

/**
 * Working days that are true (public holidays, compensatory days off and worked weekend days, as
 * data), incidents reported to the administrator (Điều 10.4), and check-ins counted per morning and
 * afternoon session (Điều 10.2). The calendar's history and the incidents' history are append-only
 * for the application role.
 */
export class Migration20261202100600_working_days_incidents extends Migration {
  override async up(): Promise<void> {
    const kind = (col: string, values: string[], nullable = false) =>
      `"${col}" text check ("${col}" in (${values.map((v) => `'${v}'`).join(', ')})) ${nullable ? 'null' : 'not null'}`;
    const dayKind = ['HOLIDAY', 'COMPENSATORY_DAY_OFF', 'COMPENSATORY_WORKDAY'];
    const states = ['REPORTED', 'IN_PROGRESS', 'CLOSED'];
    this.addSql(
      `create table "office_day" ("date" date not null, ${kind('kind', dayKind)}, "name" varchar(200) not null, "recorded_by_id" uuid null, "recorded_at" timestamptz not null default now(), constraint "office_day_pkey" primary key ("date"));`,
    );
    this.addSql(
      `create table "office_day_change" ("id" bigserial primary key, "date" date not null, "change" varchar(10) not null, ${kind('kind', dayKind)}, "name" varchar(200) not null, "actor_id" uuid not null, "at" timestamptz not null default now());`,
    );
    this.addSql(
      `alter table "office_day" add constraint "office_day_recorded_by_id_foreign" foreign key ("recorded_by_id") references "account" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "office_day_change" add constraint "office_day_change_actor_id_foreign" foreign key ("actor_id") references "account" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `create table "incident" ("id" uuid not null, "agency_id" uuid not null, "reporter_id" uuid not null, "reporter_unit_id" uuid not null, "summary" varchar(300) not null, "details" text null, "screen" varchar(200) null, "document_id" uuid null, "occurred_at" timestamptz not null, "reported_at" timestamptz not null, ${kind('state', states)}, "resolution" text null, "closed_at" timestamptz null, "closed_by_id" uuid null, "updated_at" timestamptz not null default now(), constraint "incident_pkey" primary key ("id"));`,
    );
    this.addSql(`create index "incident_reporter_id_index" on "incident" ("reporter_id");`);
    this.addSql(`create index "incident_agency_id_reported_at_index" on "incident" ("agency_id", "reported_at");`);
    this.addSql(
      `create table "incident_event" ("id" bigserial primary key, "incident_id" uuid not null, ${kind('from_state', states, true)}, ${kind('to_state', states)}, "note" text null, "actor_id" uuid not null, "at" timestamptz not null);`,
    );
    this.addSql(`create index "incident_event_incident_id_index" on "incident_event" ("incident_id");`);
    for (const [col, table] of [
      ['agency_id', 'unit'],
      ['reporter_id', 'account'],
      ['reporter_unit_id', 'unit'],
      ['document_id', 'document'],
      ['closed_by_id', 'account'],
    ]) {
      this.addSql(
        `alter table "incident" add constraint "incident_${col}_foreign" foreign key ("${col}") references "${table}" ("id") on update cascade on delete restrict;`,
      );
    }
    this.addSql(
      `alter table "incident_event" add constraint "incident_event_incident_id_foreign" foreign key ("incident_id") references "incident" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "incident_event" add constraint "incident_event_actor_id_foreign" foreign key ("actor_id") references "account" ("id") on update cascade on delete restrict;`,
    );

    // Histories the server only appends to.
    this.addSql(`do $$ begin if exists (select 1 from pg_roles where rolname = 'vpdt_app') then
      revoke update, delete, truncate on "office_day_change", "incident_event" from vpdt_app; end if; end $$;`);

    // Check-ins by session; days recorded before keep what can be told from their first and last use.
    this.addSql(`alter table "account_activity" add column "morning_at" timestamptz null, add column "afternoon_at" timestamptz null;`);
    this.addSql(`update "account_activity" set
      "morning_at" = case when ("first_at" at time zone 'Asia/Ho_Chi_Minh')::time < '12:00' then "first_at" end,
      "afternoon_at" = case when ("last_at" at time zone 'Asia/Ho_Chi_Minh')::time >= '12:00' then "last_at" end;`);
    this.addSql(`update "account_activity" set "visits" = ("morning_at" is not null)::int + ("afternoon_at" is not null)::int;`);

    const values = SEEDED_OFFICE_DAYS.map(([date, k, name]) => `('${date}', '${k}', '${name.replace(/'/g, "''")}')`).join(',\n      ');
    this.addSql(`insert into "office_day" ("date", "kind", "name") values\n      ${values}\n      on conflict ("date") do nothing;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "account_activity" drop column "morning_at", drop column "afternoon_at";`);
    this.addSql(`drop table if exists "incident_event" cascade;`);
    this.addSql(`drop table if exists "incident" cascade;`);
    this.addSql(`drop table if exists "office_day_change" cascade;`);
    this.addSql(`drop table if exists "office_day" cascade;`);
  }
}
