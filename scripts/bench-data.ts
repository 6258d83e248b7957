import type { Client } from 'pg';

/** The size of a generated province. */
export interface Scale {
  agencies: number;
  departmentsPerAgency: number;
  centresPerAgency: number;
  accounts: number;
  documents: number;
  years: number;
}

export const FULL: Scale = { agencies: 20, departmentsPerAgency: 12, centresPerAgency: 2, accounts: 5000, documents: 1_000_000, years: 5 };
export const QUICK: Scale = { agencies: 3, departmentsPerAgency: 6, centresPerAgency: 2, accounts: 300, documents: 20_000, years: 2 };

/** One bcrypt-free password for every generated account: its argon2id hash is computed once by the caller. */
export const BENCH_PASSWORD = 'Bench@2026pass';

/**
 * Generates a province in the database with `generate_series`, the same rows on every run (ids are
 * derived from what each row is; random() is seeded and runs without parallel workers): units,
 * accounts, documents over several years in both directions with realistic proportions of states,
 * urgency and overdue work, their assignments, routing events (about five per document) and
 * attachment metadata. Returns the accounts the benchmark speaks as.
 */
export async function generateProvince(
  pg: Client,
  scale: Scale,
  passwordHash: string,
  seed = 0.42,
): Promise<{ staff: string; director: string; clerk: string; agencyId: string }> {
  // Repeatable: ids are derived from what each row is, random() is seeded, and no parallel worker
  // draws from its own sequence.
  await pg.query(`set max_parallel_workers_per_gather = 0`);
  await pg.query(`select setseed($1)`, [seed]);
  await pg.query(`set synchronous_commit = off`);
  // Units: agencies, their departments and centres (the first agency is the demo one if present).
  await pg.query(
    `insert into unit (id, name, short_name, kind, keeps_records, parent_id)
     select md5('agency-' || a)::uuid, 'Sở thứ ' || a, 'S' || a, 'AGENCY', true, null from generate_series(1, $1) a`,
    [scale.agencies],
  );
  await pg.query(
    `insert into unit (id, name, short_name, kind, keeps_records, parent_id)
     select md5('department-' || u.id || '-' || d)::uuid, 'Phòng ' || d || ' của ' || u.name, 'P' || d, 'DEPARTMENT', false, u.id
       from unit u cross join generate_series(1, $1) d where u.kind = 'AGENCY' and u.name like 'Sở thứ %'`,
    [scale.departmentsPerAgency],
  );
  await pg.query(
    `insert into unit (id, name, short_name, kind, keeps_records, parent_id)
     select md5('centre-' || u.id || '-' || c)::uuid, 'Trung tâm ' || c || ' của ' || u.name, 'TT' || c, 'SUBORDINATE', true, u.id
       from unit u cross join generate_series(1, $1) c where u.kind = 'AGENCY' and u.name like 'Sở thứ %'`,
    [scale.centresPerAgency],
  );
  // Accounts spread over the generated units; in each keeping unit one director and one clerk.
  await pg.query(
    `with units as (select id, row_number() over (order by name) - 1 as n, count(*) over () as total from unit where name like '%Sở thứ %')
     insert into account (id, username, full_name, position, unit_id, roles, status, must_change_password, password_hash)
     select md5('staff-' || g)::uuid, 'nv' || g || '@bench.gov.vn', 'Nhân viên ' || g, 'Chuyên viên',
            (select id from units where n = g % total), array['STAFF'], 'ACTIVE', false, $2
       from generate_series(1, $1) g`,
    [scale.accounts, passwordHash],
  );
  await pg.query(
    `insert into account (id, username, full_name, position, unit_id, roles, status, must_change_password, password_hash)
     select md5(role || '-' || u.id)::uuid, role || '.' || replace(u.id::text, '-', '') || '@bench.gov.vn', initcap(role) || ' ' || u.name, initcap(role), u.id, array[upper(role)], 'ACTIVE', false, $1
       from unit u cross join (values ('director'), ('clerk')) r(role)
      where u.keeps_records and u.name like '%Sở thứ %'`,
    [passwordHash],
  );
  await pg.query(
    `insert into account (id, username, full_name, position, unit_id, roles, status, must_change_password, password_hash)
     select md5('head-' || u.id)::uuid, 'head.' || replace(u.id::text, '-', '') || '@bench.gov.vn', 'Trưởng ' || u.name, 'Trưởng phòng', u.id, array['HEAD', 'STAFF'], 'ACTIVE', false, $1
       from unit u where u.kind = 'DEPARTMENT' and u.name like '%Sở thứ %'`,
    [passwordHash],
  );
  await pg.query(
    `create temp table keeping as select u.id, row_number() over (order by u.name) - 1 as n from unit u where u.keeps_records and u.name like '%Sở thứ %'`,
  );
  await pg.query(`create temp table people as select a.id, a.unit_id, coalesce(case when u.kind = 'DEPARTMENT' then u.parent_id end, u.id) as keeping_id, row_number() over (partition by coalesce(case when u.kind = 'DEPARTMENT' then u.parent_id end, u.id) order by a.id) as k
                   from account a join unit u on u.id = a.unit_id where a.username like 'nv%@bench.gov.vn'`);
  await pg.query(`create index on people (keeping_id, k)`);
  await pg.query(`alter table keeping add column cnt int`);
  await pg.query(`update keeping set cnt = (select count(*) from people where keeping_id = keeping.id)`);
  await pg.query(`delete from keeping where cnt = 0`);
  await pg.query(`update keeping set n = x.n from (select id, row_number() over (order by id) - 1 as n from keeping) x where x.id = keeping.id`);
  await pg.query(`analyze keeping; analyze people`);
  const [{ uploader }] = (await pg.query<{ uploader: string }>(`select id as uploader from account where username like 'clerk.%@bench.gov.vn' limit 1`)).rows;
  await pg.query(
    `insert into stored_file (id, sha256, size, mime_type, name, uploaded_by_id) select md5('file-' || g)::uuid, md5(g::text) || md5((g * 7)::text), 120000 + g, 'application/pdf', 'scan-' || g || '.pdf', $1 from generate_series(1, 1000) g`,
    [uploader],
  );
  await pg.query(`create temp table files as select id, row_number() over (order by id) as n from stored_file`);

  // Documents: 2/3 incoming, 1/3 outgoing, over `years` years; most of them finished, a tail open and some overdue.
  const keepingCount = Number((await pg.query(`select count(*) from keeping`)).rows[0].count);
  await pg.query(
    `insert into document (id, direction, document_type_code, number, symbol, issued_date, issuer, subject, keeping_unit_id, state, created_by_id,
                           urgency, due_date, arrival_number, arrival_date, registered_at, received_at, created_at, drafting_unit_id, drafter_id, version, draft_file_id, issue_number, issued_at)
     select md5('document-' || g)::uuid,
            case when g % 3 = 0 then 'OUTGOING' else 'INCOMING' end,
            (array['CV','CV','CV','QĐ','TB','GM','BC','KH','TTr'])[1 + (g % 9)],
            (g % 999 + 1)::text, 'UBND-' || (g % 50), (t.at at time zone 'Asia/Ho_Chi_Minh')::date, 'Ủy ban nhân dân tỉnh',
            (array['V/v triển khai thực hiện quy định quản lý chất lượng công trình xây dựng','Quyết định phê duyệt quy hoạch chi tiết khu dân cư','Thông báo kết luận thanh tra trật tự xây dựng','Giấy mời họp thẩm định đồ án quy hoạch','Báo cáo tình hình phát triển nhà ở xã hội','Kế hoạch kiểm tra công tác nghiệm thu công trình','Tờ trình đề nghị phê duyệt giá vật liệu xây dựng'])[1 + (g % 7)] || ' số ' || g,
            k.id,
            case when g % 3 = 0 then (case when random() < 0.85 then 'ISSUED' else (array['DRAFT','IN_REVIEW','AWAITING_SIGNATURE','SIGNED'])[1 + (g % 4)] end)
                 else (case when random() < 0.8 then 'COMPLETED' else (array['RECEIVED','REGISTERED','SUBMITTED','ASSIGNED','IN_PROGRESS'])[1 + (g % 5)] end) end,
            $2,
            (array['NORMAL','NORMAL','NORMAL','NORMAL','URGENT','VERY_URGENT','FLASH'])[1 + (g % 7)],
            (t.at at time zone 'Asia/Ho_Chi_Minh')::date + 15,
            null, null, null, t.at, t.at,
            case when g % 3 = 0 then p.unit_id end, case when g % 3 = 0 then p.id end, case when g % 3 = 0 then 1 end, case when g % 3 = 0 then f.id end,
            null, null
       from generate_series(1, $1) g
       cross join lateral (select now() - random() * $4 * interval '365 days' as at) t
       -- The keeping unit from a hash of g, not g % units: with 60 units (a multiple of 3, 5 and 4) g % 60 fixed direction and
       -- state per unit, so a unit held documents of one direction and one open state only.
       join keeping k on k.n = abs(hashtext('keeping-' || g)) % $3
       join lateral (select id, unit_id from people where keeping_id = k.id and people.k = 1 + (g / $3) % k.cnt limit 1) p on true
       join files f on f.n = 1 + g % 1000`,
    [scale.documents, uploader, keepingCount, scale.years],
  );
  // Arrival numbers: gapless per keeping unit and year, in order of receipt, for everything past RECEIVED.
  await pg.query(
    `insert into register (id, keeping_unit_id, direction, year, last_number)
     select md5('register-' || keeping_unit_id || direction || year)::uuid, keeping_unit_id, direction, year, 0
       from (select distinct keeping_unit_id, direction, extract(year from created_at at time zone 'Asia/Ho_Chi_Minh')::int as year from document) x`,
  );
  await pg.query(
    `with numbered as (
       select d.id, r.id as register_id, row_number() over (partition by r.id order by d.created_at, d.id) as n
         from document d join register r on r.keeping_unit_id = d.keeping_unit_id and r.direction = d.direction
                                        and r.year = extract(year from d.created_at at time zone 'Asia/Ho_Chi_Minh')::int
        where (d.direction = 'INCOMING' and d.state <> 'RECEIVED') or (d.direction = 'OUTGOING' and d.state = 'ISSUED'))
     update document d set register_id = numbered.register_id,
            arrival_number = case when d.direction = 'INCOMING' then numbered.n end,
            arrival_date = case when d.direction = 'INCOMING' then (d.created_at at time zone 'Asia/Ho_Chi_Minh')::date end,
            registered_at = case when d.direction = 'INCOMING' then d.created_at + interval '1 hour' end,
            issue_number = case when d.direction = 'OUTGOING' then numbered.n end,
            number = case when d.direction = 'OUTGOING' then lpad(numbered.n::text, 2, '0') else d.number end,
            issued_at = case when d.direction = 'OUTGOING' then d.created_at + interval '2 days' end
       from numbered where numbered.id = d.id`,
  );
  await pg.query(
    `update register r set last_number = coalesce((select max(coalesce(arrival_number, issue_number)) from document d where d.register_id = r.id), 0)`,
  );
  // Assignments of assigned incoming documents: a lead to a person, and for a third a cooperating department.
  await pg.query(
    `insert into assignment (id, document_id, role, assignee_id, scope_unit_id, assigned_by_id, instruction, deadline, state, active, created_at, completed_at)
     select md5('lead-' || d.id)::uuid, d.id, 'LEAD', p.id, p.unit_id, d.created_by_id, 'Giao xử lý', d.due_date,
            case d.state when 'COMPLETED' then 'COMPLETED' when 'IN_PROGRESS' then 'IN_PROGRESS' else 'PENDING' end, true,
            d.created_at + interval '3 hours', case when d.state = 'COMPLETED' then d.created_at + random() * interval '20 days' end
       from document d
       join keeping k on k.id = d.keeping_unit_id
       join lateral (select id, unit_id from people where keeping_id = d.keeping_unit_id and people.k = 1 + (abs(hashtext(d.id::text)) % k.cnt) limit 1) p on true
      where d.direction = 'INCOMING' and d.state in ('ASSIGNED', 'IN_PROGRESS', 'COMPLETED')`,
  );
  await pg.query(
    `insert into assignment (id, document_id, role, assignee_unit_id, scope_unit_id, assigned_by_id, instruction, deadline, state, active, created_at)
     select md5('cooperate-' || d.id)::uuid, d.id, 'COOPERATE', u.id, u.id, d.created_by_id, 'Phối hợp', d.due_date, case when d.state = 'COMPLETED' then 'COMPLETED' else 'PENDING' end, true, d.created_at + interval '3 hours'
       from document d join unit u on u.parent_id = d.keeping_unit_id and u.kind = 'DEPARTMENT' and u.short_name = 'P' || (1 + abs(hashtext(d.id::text)) % 3)
      where d.direction = 'INCOMING' and d.state in ('ASSIGNED', 'IN_PROGRESS', 'COMPLETED') and abs(hashtext(d.id::text)) % 3 = 0`,
  );
  await pg.query(
    `insert into document_attachment (id, document_id, file_id, ordinal) select md5('attachment-' || d.id)::uuid, d.id, f.id, 1 from document d join files f on f.n = 1 + abs(hashtext(d.id::text)) % 1000`,
  );
  // About five routing events per document, in the order they happened.
  await pg.query(
    `insert into routing_event (document_id, type, actor_id, from_state, to_state, note, at)
     select d.id, s.type, d.created_by_id, s.from_state, s.to_state, null, d.created_at + s.n * interval '1 hour'
       from document d
       cross join lateral (values (1, 'RECEIVED', null, 'RECEIVED'), (2, 'REGISTERED', 'RECEIVED', 'REGISTERED'), (3, 'SUBMITTED', 'REGISTERED', 'SUBMITTED'),
                                  (4, 'ASSIGNED', 'SUBMITTED', 'ASSIGNED'), (5, 'COMPLETED', 'IN_PROGRESS', 'COMPLETED')) s(n, type, from_state, to_state)
      where d.direction = 'INCOMING' and (s.n = 1 or d.state <> 'RECEIVED') and (s.n < 5 or d.state = 'COMPLETED') and (s.n < 4 or d.state in ('ASSIGNED', 'IN_PROGRESS', 'COMPLETED'))
     union all
     select d.id, s.type, d.created_by_id, s.from_state, s.to_state, null, d.created_at + s.n * interval '1 hour'
       from document d
       cross join lateral (values (1, 'DRAFTED', null, 'DRAFT'), (2, 'SUBMITTED_FOR_REVIEW', 'DRAFT', 'IN_REVIEW'), (3, 'APPROVED', 'IN_REVIEW', 'AWAITING_SIGNATURE'),
                                  (4, 'SIGNED', 'AWAITING_SIGNATURE', 'SIGNED'), (5, 'ISSUED', 'SIGNED', 'ISSUED')) s(n, type, from_state, to_state)
      where d.direction = 'OUTGOING' and (s.n = 1 or d.state <> 'DRAFT') and (s.n < 5 or d.state = 'ISSUED')`,
  );
  // The staff member the inbox case speaks as: at least 80 open lead assignments (more than a page of 50) with their
  // nested data, taken from the documents of his keeping unit still waiting for direction.
  const staff = (
    await pg.query<{ id: string; username: string; keeping_id: string; unit_id: string }>(
      `select a.id, a.username, p.keeping_id, p.unit_id from account a join people p on p.id = a.id order by a.username limit 1`,
    )
  ).rows[0];
  const given = await pg.query(
    `insert into assignment (id, document_id, role, assignee_id, scope_unit_id, assigned_by_id, instruction, deadline, state, active, created_at)
     select md5('staff-lead-' || d.id)::uuid, d.id, 'LEAD', $1, $2, d.created_by_id, 'Giao xử lý', d.due_date, 'IN_PROGRESS', true, d.created_at + interval '3 hours'
       from document d where d.keeping_unit_id = $3 and d.direction = 'INCOMING' and d.state in ('SUBMITTED', 'REGISTERED') order by d.created_at, d.id limit 80`,
    [staff.id, staff.unit_id, staff.keeping_id],
  );
  if ((given.rowCount ?? 0) < 80)
    throw new Error(`the bench's staff member got only ${given.rowCount} documents to process; the inbox case needs more than a page`);
  await pg.query(
    `update document set state = 'IN_PROGRESS' where id in (select document_id from assignment where assignee_id = $1 and state = 'IN_PROGRESS') and state in ('SUBMITTED', 'REGISTERED')`,
    [staff.id],
  );
  const director = (await pg.query<{ username: string }>(`select username from account where username like 'director.%' and unit_id = $1`, [staff.keeping_id]))
    .rows[0].username;
  const clerk = (await pg.query<{ username: string }>(`select username from account where username like 'clerk.%' and unit_id = $1`, [staff.keeping_id]))
    .rows[0].username;
  await pg.query(`analyze`);
  return { staff: staff.username, director, clerk, agencyId: staff.keeping_id };
}
