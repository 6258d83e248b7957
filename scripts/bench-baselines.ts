/**
 * The SQL baselines of the benchmark's read cases: for each, ONE statement that builds in PostgreSQL the
 * same JSON the GraphQL case returns (the same page, nested data and total), written by hand for the
 * account the case speaks as. Each case's ratio is measured against its own statement in the same run.
 */

const OPEN_TO_PROCESS = `a.active and a.state in ('PENDING', 'IN_PROGRESS') and a.role in ('LEAD', 'COOPERATE')`;

/** inbox(view: TO_PROCESS, first: 50) of a staff member ($1), with unit, attachments, last event, sender, assignments. */
export const INBOX_SQL = `
with page as (
  select d.id, d.subject, d.state, d.keeping_unit_id, d.sender_correspondent_id, d.sender_unit_id, d.created_at from document d
   where exists (select 1 from assignment a where a.document_id = d.id and a.assignee_id = $1 and ${OPEN_TO_PROCESS})
   order by d.created_at, d.id limit 51)
select json_build_object(
  'totalCount', (select count(*) from document d where exists (select 1 from assignment a where a.document_id = d.id and a.assignee_id = $1
      and ${OPEN_TO_PROCESS})),
  'edges', coalesce((select json_agg(json_build_object(
     'id', p.id, 'subject', p.subject, 'state', p.state,
     'keepingUnit', (select json_build_object('name', u.name) from unit u where u.id = p.keeping_unit_id),
     'attachments', coalesce((select json_agg(json_build_object('name', f.name) order by da.ordinal)
                                from document_attachment da join stored_file f on f.id = da.file_id where da.document_id = p.id), '[]'),
     'lastEvent', (select json_build_object('type', e.type, 'at', e.at) from routing_event e where e.document_id = p.id order by e.id desc limit 1),
     'sender', case when p.sender_correspondent_id is not null then json_build_object('__typename', 'Correspondent')
                    when p.sender_unit_id is not null then json_build_object('__typename', 'Unit') end,
     'assignments', coalesce((select json_agg(json_build_object(
          'role', a.role,
          'assignee', case when ac.id is not null then json_build_object('fullName', ac.full_name, 'unit', json_build_object('name', au.name)) end,
          'assigneeUnit', case when uu.id is not null then json_build_object('name', uu.name) end) order by a.created_at, a.id)
        from assignment a left join account ac on ac.id = a.assignee_id left join unit au on au.id = ac.unit_id left join unit uu on uu.id = a.assignee_unit_id
       where a.document_id = p.id), '[]')
   ) order by p.created_at, p.id) from (select * from page order by created_at, id limit 50) p), '[]')) as data`;

/** documents(first: 50, filter: { registerYear: $2, urgency: [NORMAL, URGENT] }) of a director of keeping unit $1. */
export const DOCUMENTS_SQL = `
with matching as (
  select d.id, d.subject, d.number, d.symbol, d.created_at from document d join register r on r.id = d.register_id
   where d.keeping_unit_id = $1 and r.year = $2 and d.urgency in ('NORMAL', 'URGENT'))
select json_build_object(
  'totalCount', (select count(*) from matching),
  'edges', coalesce((select json_agg(json_build_object('id', p.id, 'subject', p.subject,
                                                     'numberAndSymbol', concat_ws('/', nullif(p.number, ''), nullif(p.symbol, '')))
                              order by p.created_at desc, p.id desc)
                       from (select * from matching order by created_at desc, id desc limit 50) p), '[]')) as data`;

/** document(id: $1) with history(first: 100) and each event's actor, for a director of keeping unit $2. */
export const DOCUMENT_SQL = `
select json_build_object('id', d.id, 'subject', d.subject, 'history', json_build_object(
  'totalCount', (select count(*) from routing_event e where e.document_id = d.id),
  'edges', coalesce((select json_agg(json_build_object('type', e.type, 'fromState', e.from_state, 'toState', e.to_state, 'at', e.at,
                                                       'actor', (select json_build_object('fullName', ac.full_name) from account ac
                                                                  where ac.id = e.actor_id)) order by e.id)
                       from (select * from routing_event e where e.document_id = d.id order by e.id limit 100) e), '[]'))) as data
  from document d where d.id = $1 and d.keeping_unit_id = $2`;

const MINE = `a.active and a.assignee_id = $1`;
/**
 * inboxCounts of a staff member ($1; overdue up to $2, the last working day before today; due soon up
 * to $3, two working days on): the views a staff member can have work in.
 */
export const INBOX_COUNTS_SQL = `
select json_build_object(
  'TO_PROCESS', (select count(*) from document d where exists (select 1 from assignment a where a.document_id = d.id and ${MINE} and ${OPEN_TO_PROCESS})),
  'DUE_SOON', (select count(*) from document d where exists (select 1 from assignment a where a.document_id = d.id and ${MINE} and ${OPEN_TO_PROCESS}
                                                                 and a.deadline > $2::date and a.deadline <= $3::date)),
  'OVERDUE', (select count(*) from document d where exists (select 1 from assignment a where a.document_id = d.id and ${MINE}
      and ${OPEN_TO_PROCESS} and a.deadline <= $2::date)),
  'RETURNED', (select count(*) from document d where exists (select 1 from assignment a where a.document_id = d.id and a.assigned_by_id = $1
      and a.state = 'RETURNED'
                                                                 and not a.return_handled)),
  'FOR_INFORMATION', (select count(*) from document d where exists (select 1 from assignment a where a.document_id = d.id and ${MINE} and a.role = 'INFORM')),
  'DRAFTS', (select count(*) from document d where d.direction = 'OUTGOING' and d.state = 'DRAFT' and d.drafter_id = $1)) as data`;

/**
 * dossiers(first: 50, filter: { year: $2 }) of a director of keeping unit $1, with creator, keeping unit, and the documents
 * filed in each that the director may read (those of his keeping unit) with their ordinals and count.
 */
export const DOSSIERS_SQL = `
with matching as (select x.* from dossier x where x.keeping_unit_id = $1 and x.year = $2)
select json_build_object(
  'totalCount', (select count(*) from matching),
  'edges', coalesce((select json_agg(json_build_object('node', json_build_object('id', p.id, 'code', p.code, 'title', p.title, 'state', p.state, 'closedAt', p.closed_at,
      'creator', (select json_build_object('fullName', ac.full_name) from account ac where ac.id = p.owner_id),
      'keepingUnit', (select json_build_object('name', u.name) from unit u where u.id = p.keeping_unit_id),
      'documentCount', f.n, 'documents', f.docs)) order by p.code, p.id)
    from (select * from matching order by code, id limit 50) p
    cross join lateral (select count(*) as n, coalesce(json_agg(json_build_object('ordinal', dd.ordinal, 'document', json_build_object('id', d.id, 'subject', d.subject))
                                                      order by dd.ordinal), '[]') as docs
                          from dossier_document dd join document d on d.id = dd.document_id where dd.dossier_id = p.id and d.keeping_unit_id = $1) f), '[]')) as data`;
