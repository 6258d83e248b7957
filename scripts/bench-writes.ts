import type { Client } from 'pg';

/** What `scripts/bench.ts` hands a write case: its load loop, a GraphQL call and the bench's row shape. */
export interface WriteBench {
  pg: Client;
  api: string;
  quick: boolean;
  agencyId: string;
  clerkUsername: string;
  clerkToken: string;
  load: (
    clients: number,
    seconds: number,
    work: (i: number, n: number) => Promise<void>,
    count?: number,
  ) => Promise<{ rate: number; p50: number; p95: number; p99: number; errors: number; done: number }>;
  gql: (url: string, query: string, variables?: Record<string, unknown>, token?: string) => Promise<unknown>;
}

/**
 * Registrations with 32 clerks on one register: `toRegister` RECEIVED documents of the agency are
 * registered through the API, 32 at a time; afterwards the numbers they took must run without gap or
 * repeat. The row reports the rate, the latencies and the gap check.
 */
export async function benchRegistrations(b: WriteBench) {
  const { pg, api } = b;
  const toRegister = b.quick ? 600 : 3000;
  const clerkId = (await pg.query(`select id from account where username = $1`, [b.clerkUsername])).rows[0].id;
  const fresh = (
    await pg.query(
      `insert into document (id, direction, document_type_code, issuer, subject, keeping_unit_id, state, created_by_id, received_at)
       select gen_random_uuid(), 'INCOMING', 'CV', 'UBND tỉnh', 'Đăng ký hàng loạt ' || g, $1, 'RECEIVED', $2, now() from generate_series(1, $3) g returning id`,
      [b.agencyId, clerkId, toRegister],
    )
  ).rows.map((r) => Buffer.from(`IncomingDocument:${r.id}`).toString('base64url'));
  const year = `extract(year from now() at time zone 'Asia/Ho_Chi_Minh')`;
  const before = Number(
    (
      await pg.query(`select coalesce(max(last_number), 0) as n from register where keeping_unit_id = $1 and direction = 'INCOMING' and year = ${year}`, [
        b.agencyId,
      ])
    ).rows[0].n,
  );
  const MUTATION = `mutation($id:ID!){ registerDocument(id:$id) { arrivalNumber } }`;
  const reg = await b.load(32, 0, async (_i, k) => void (await b.gql(api, MUTATION, { id: fresh[k] }, b.clerkToken)), toRegister);
  const gaps = (
    await pg.query(
      `select count(*) as n, min(arrival_number) as lo, max(arrival_number) as hi, count(distinct arrival_number) as d from document d join register r on r.id = d.register_id
        where r.keeping_unit_id = $1 and r.direction = 'INCOMING' and r.year = ${year} and d.arrival_number > $2`,
      [b.agencyId, before],
    )
  ).rows[0];
  const gapless = Number(gaps.n) === reg.done && Number(gaps.d) === reg.done && Number(gaps.hi) - Number(gaps.lo) + 1 === reg.done;
  return {
    name: 'registrations, 32 clerks on one register',
    ...reg,
    note: gapless ? `gapless: ${reg.done} numbers ${gaps.lo}..${gaps.hi}` : `GAPS: ${JSON.stringify(gaps)}`,
  };
}
