import { Client } from 'pg';
import { ReceiveDocumentDocument, RegisterDocumentDocument, RegistersDocument } from '../generated/graphql';
import { receive, upload } from '../helpers/documents';
import { DEMO, startTestEnv, type ApiClient, type TestEnv } from '../helpers/env';
import { sleep } from '../helpers/live';

let env: TestEnv;
let clerk: ApiClient;

beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  clerk = await env.as(DEMO.clerk);
});
afterAll(() => env?.close());

const HOLD = 7171;

/** The backends of registrations held in the trigger below, waiting for the test's advisory lock. */
const held = () =>
  env.sql<{ pid: number; query: string }>(
    `select a.pid, a.query from pg_locks l join pg_stat_activity a on a.pid = l.pid where l.locktype = 'advisory' and l.objid = $1 and not l.granted`,
    [HOLD],
  );

async function waitForHeld(n: number): Promise<Array<{ pid: number; query: string }>> {
  for (;;) {
    const rows = await held();
    if (rows.length >= n) return rows;
    await sleep(20);
  }
}

describe('the register counter is locked by the last statement only', () => {
  it('registrations held or killed half-way keep no one waiting and leave no gap or repeat: N parallel ones on two processes get 1..N', async () => {
    const peer = await env.startPeer();
    const onPeer = peer.client(clerk.token);
    // Received and registered at once (registerNow): the registering transaction writes the document, its
    // files and its RECEIVED event, changes its state, and only then takes the number.
    const receiveNow = async (c: ApiClient, subject: string) =>
      c.request(ReceiveDocumentDocument, {
        input: {
          documentTypeCode: 'CV',
          issuedDate: '2026-11-20',
          issuer: 'UBND tỉnh',
          subject,
          attachmentIds: [(await upload(env, clerk)).id],
          registerNow: true,
        },
      });
    const docs = [];
    for (let i = 0; i < 20; i++) docs.push(await receive(env, clerk, { subject: `Văn bản song song ${i}` }));
    // Every step of a registration but the number: a [hold] document's registering transaction stops there,
    // inside the change of its state, until the test lets it go. Were the number taken before this step,
    // the held transactions would keep the counter row locked and every registration below would wait.
    await env.sql(`create function hold_registration() returns trigger language plpgsql as $$
      begin
        if old.state = 'RECEIVED' and new.state = 'REGISTERED' and new.subject like '%[hold]%' then perform pg_advisory_xact_lock_shared(${HOLD}); end if;
        return new;
      end $$`);
    await env.sql(`create trigger hold_registration before update on document for each row execute function hold_registration()`);
    const holder = new Client({ connectionString: env.databaseUrl });
    await holder.connect();
    try {
      await holder.query(`select pg_advisory_lock($1)`, [HOLD]);
      const killedResult = receiveNow(clerk, 'Văn bản [hold] bị ngắt kết nối');
      const [victim] = await waitForHeld(1);
      const lateResult = receiveNow(onPeer, 'Văn bản [hold] chờ');
      await waitForHeld(2);

      // Twenty registrations at once on two server processes while two others are held half-way: none waits for them.
      const results = await Promise.all(docs.map((d, i) => (i % 2 ? onPeer : clerk).request(RegisterDocumentDocument, { id: d.id })));
      expect(results.filter((r) => r.errors?.length)).toEqual([]);
      const got = results.map((r) => r.data!.registerDocument.arrivalNumber!).sort((a, b) => a - b);
      expect(got).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

      // One held registration loses its connection: it fails and takes no number.
      await env.sql(`select pg_terminate_backend($1)`, [victim.pid]);
      const failed = await killedResult;
      expect(failed.errors?.length).toBeGreaterThan(0);
      // The other is let go: it takes the next number.
      await holder.query(`select pg_advisory_unlock($1)`, [HOLD]);
      const done = await lateResult;
      expect(done.errors).toBeUndefined();
      expect(done.data!.receiveDocument.arrivalNumber).toBe(21);
    } finally {
      await holder.end();
      await env.sql(`drop trigger hold_registration on document`);
      await env.sql(`drop function hold_registration()`);
    }
    // The killed one left nothing: no document, no event, no number. Received again, it takes the next number.
    const gone = await env.sql<{ n: string }>(`select count(*)::text as n from document where subject like '%ngắt kết nối%'`);
    expect(gone[0].n).toBe('0');
    expect((await receive(env, clerk, { subject: 'Văn bản nhận lại', registerNow: true })).arrivalNumber).toBe(22);
    const entries = await env.sql<{ n: number; notes: string[] }>(
      `select d.arrival_number as n, array(select e.note from routing_event e where e.document_id = d.id and e.type = 'REGISTERED') as notes
         from document d join register r on r.id = d.register_id where r.year = 2026 and d.arrival_number is not null order by 1`,
    );
    expect(entries.map((e) => e.n)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(entries.every((e) => e.notes.length === 1 && e.notes[0] === `Số đến ${e.n}`)).toBe(true);
    expect((await clerk.ok(RegistersDocument, { year: 2026 })).registers[0].lastNumber).toBe(22);
  }, 180_000);
});
