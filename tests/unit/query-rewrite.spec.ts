import { preferIndexedMembership } from '../../src/db/query-rewrite';

describe('membership in assignments, written for an index', () => {
  it('rewrites each assignment subquery on a document id to = any(array(...)), keeping everything else', () => {
    const sql =
      `select count(*) as "count" from "document" as "d0" where (("d0"."direction" = ? and "d0"."id" in (select "d0"."id" from "document" as "d0" inner join "assignment" as "a1" on "d0"."id" = "a1"."document_id" where "a1"."assignee_id" = ? and "a1"."active" = ?)) or ("d0"."direction" = ? and "d0"."drafter_id" = ?)) ` +
      `and "d0"."id" in (select "d0"."id" from "document" as "d0" inner join "assignment" as "a1" on "d0"."id" = "a1"."document_id" where "a1"."state" in (?, ?) and ("a1"."note" = 'a (b' or "a1"."role" in (?, ?)))`;
    expect(preferIndexedMembership(sql)).toBe(
      `select count(*) as "count" from "document" as "d0" where (("d0"."direction" = ? and "d0"."id" = any(array(select "d0"."id" from "document" as "d0" inner join "assignment" as "a1" on "d0"."id" = "a1"."document_id" where "a1"."assignee_id" = ? and "a1"."active" = ?))) or ("d0"."direction" = ? and "d0"."drafter_id" = ?)) ` +
        `and "d0"."id" = any(array(select "d0"."id" from "document" as "d0" inner join "assignment" as "a1" on "d0"."id" = "a1"."document_id" where "a1"."state" in (?, ?) and ("a1"."note" = 'a (b' or "a1"."role" in (?, ?))))`,
    );
  });

  it('leaves other statements, other subqueries and unbalanced text alone', () => {
    const others = [
      'select * from "unit" as "u0" where "u0"."id" in (?, ?)',
      'select * from "document" as "d0" where "d0"."id" in (select "x"."document_id" from "dossier_document" as "x")',
      'select * from "document" as "d0" where "d0"."id" in (select "d1"."id" from "document" as "d1" inner join "assignment" as "a1" on (',
    ];
    for (const sql of others) expect(preferIndexedMembership(sql)).toBe(sql);
  });
});
