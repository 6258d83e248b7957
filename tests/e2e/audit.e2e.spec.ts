import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { receive } from '../helpers/documents';
import { DEMO, startTestEnv, type TestEnv } from '../helpers/env';
import { RegisterDocumentDocument } from '../generated/graphql';
import { parseGlobalId } from '../../src/graphql/global-id';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
  env.clock.set(new Date('2026-11-26T01:30:00Z'));
  const clerk = await env.as(DEMO.clerk);
  for (let i = 0; i < 3; i++) {
    const d = await receive(env, clerk);
    await clerk.ok(RegisterDocumentDocument, { id: d.id });
  }
});
afterAll(() => env?.close());

const verify = () =>
  spawnSync(process.execPath, [path.join(__dirname, '../../dist/scripts/audit-verify.js')], {
    env: { ...process.env, DATABASE_URL: env.databaseUrl, DATA_DIR: env.config.dataDir, TOKEN_SECRET: env.config.tokenSecret },
    encoding: 'utf8',
  });

describe('tamper-evident history (npm run audit:verify)', () => {
  it('passes on a clean history and names the row a table owner edited with the triggers disabled', async () => {
    const clean = verify();
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('intact');
    const rows = await env.sql<{ id: string; hash: string; prev_hash: string }>(`select id::text, hash, prev_hash from routing_event order by id`);
    expect(rows.length).toBe(6);
    // Each chain links to the row before it in the same document.
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    const target = rows[3].id;
    await env.sql(`alter table routing_event disable trigger routing_event_append_only`);
    await env.sql(`update routing_event set note = 'sửa lén' where id = $1`, [target]);
    await env.sql(`alter table routing_event enable trigger routing_event_append_only`);
    const tampered = verify();
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toContain(`routing_event row ${target}`);
  });

  it('keeps account events and permission changes append-only as well', async () => {
    await expect(env.sql(`update account_event set reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(env.sql(`truncate permission_change cascade`)).rejects.toThrow(/append-only/);
    await expect(env.sql(`truncate account_event cascade`)).rejects.toThrow(/append-only/);
  });
});

describe('checkpoints of the chain heads, signed outside the database (audit:verify)', () => {
  let own: TestEnv;
  const docs: string[] = [];
  beforeAll(async () => {
    own = await startTestEnv();
    const clerk = await own.as(DEMO.clerk);
    for (let i = 0; i < 2; i++) {
      const d = await receive(own, clerk);
      await clerk.ok(RegisterDocumentDocument, { id: d.id });
      docs.push(parseGlobalId(d.id)!.key);
    }
  });
  afterAll(() => own?.close());

  const verifyOwn = () =>
    spawnSync(process.execPath, [path.join(__dirname, '../../dist/scripts/audit-verify.js')], {
      env: {
        ...process.env,
        DATABASE_URL: own.databaseUrl,
        TOKEN_SECRET: own.config.tokenSecret,
        DATA_DIR: own.config.dataDir,
        AUDIT_KEY: '',
        AUDIT_CHECKPOINT_FILE: own.config.audit.checkpointFile,
      },
      encoding: 'utf8',
    });
  const chainOf = (documentId: string) =>
    own.sql<{ id: string; note: string | null; hash: string }>(`select id::text, note, hash from routing_event where document_id = $1 order by id`, [
      documentId,
    ]);
  /** What a table owner can do: disable the triggers, change a row, and recompute every hash after it. */
  const rewrite = async (documentId: string, id: string, note: string | null) => {
    await own.sql(`alter table routing_event disable trigger user`);
    try {
      await own.sql(`update routing_event set note = $2 where id = $1`, [id, note]);
      await own.sql(`do $$ declare r record; prev text := ''; begin
        for r in select * from routing_event where document_id = '${documentId}' order by id loop
          update routing_event set prev_hash = prev,
                 hash = encode(sha256(convert_to(concat_ws('|', prev, r.id, r.document_id, r.type, r.actor_id, r.from_state, r.to_state, r.note, extract(epoch from r.at)), 'UTF8')), 'hex')
           where id = r.id returning hash into prev;
        end loop; end $$`);
    } finally {
      await own.sql(`alter table routing_event enable trigger user`);
    }
  };

  it('an untouched history agrees with its checkpoints; a run with nothing new writes nothing', async () => {
    expect(await own.server.auditCheckpoint()).toBeGreaterThanOrEqual(docs.length);
    const lines = readFileSync(own.config.audit.checkpointFile, 'utf8').trim().split('\n');
    for (const d of docs) expect(lines.some((l) => l.includes(`\trouting_event\t${d}\t`))).toBe(true);
    expect(await own.server.auditCheckpoint()).toBe(0);
    const clean = verifyOwn();
    expect(clean.stdout).toMatch(/intact, and agree with \d+ signed checkpoints/);
    expect(clean.status).toBe(0);
  });

  it('a chain edited and recomputed after the edit is reported at its checkpoint', async () => {
    const chain = await chainOf(docs[0]);
    await rewrite(docs[0], chain[0].id, 'sửa lén rồi tính lại');
    const after = await chainOf(docs[0]);
    expect(after.at(-1)!.hash).not.toBe(chain.at(-1)!.hash);
    const tampered = verifyOwn();
    // The links alone look right: only the checkpoint tells.
    expect(tampered.stdout).not.toMatch(/does not match its hash|does not follow/);
    expect(tampered.stdout).toContain(`routing_event row ${chain.at(-1)!.id}: its hash differs from the checkpoint`);
    expect(tampered.status).toBe(1);
    // Put back as it was: the same hashes again, and the checkpoints agree.
    await rewrite(docs[0], chain[0].id, chain[0].note);
    expect(await chainOf(docs[0])).toEqual(chain);
    expect(verifyOwn().status).toBe(0);
  });

  it('a forged or altered checkpoint line is reported', async () => {
    const file = own.config.audit.checkpointFile;
    const original = readFileSync(file, 'utf8');
    const lines = original.trim().split('\n');
    const fields = lines[0].split('\t');
    fields[4] = String(Number(fields[4]) + 1);
    writeFileSync(file, original + fields.join('\t') + '\n');
    try {
      const forged = verifyOwn();
      expect(forged.stdout).toContain(`checkpoint file line ${lines.length + 1}: its signature does not match`);
      expect(forged.status).toBe(1);
    } finally {
      writeFileSync(file, original);
    }
    expect(verifyOwn().status).toBe(0);
  });

  it('the last events of a chain deleted are reported as a chain cut short', async () => {
    const chain = await chainOf(docs[1]);
    expect(chain.length).toBeGreaterThanOrEqual(2);
    await own.sql(`alter table routing_event disable trigger user`);
    try {
      await own.sql(`delete from routing_event where id = $1`, [chain.at(-1)!.id]);
    } finally {
      await own.sql(`alter table routing_event enable trigger user`);
    }
    const cut = verifyOwn();
    expect(cut.stdout).not.toMatch(/does not match its hash|does not follow/);
    expect(cut.stdout).toContain(`routing_event row ${chain.at(-1)!.id}: it is gone from its chain since the checkpoint`);
    expect(cut.status).toBe(1);
    // A later checkpoint of the shortened chain does not hide the cut: every signed line is checked.
    await own.server.auditCheckpoint();
    expect(verifyOwn().status).toBe(1);
  });
});

describe('checkpoints over a history longer than one window of ids', () => {
  let own: TestEnv;
  beforeAll(async () => {
    own = await startTestEnv();
  });
  afterAll(() => own?.close());

  it('writes each chain once, at its real head, when its rows lie in windows far apart', async () => {
    const clerk = await own.as(DEMO.clerk);
    const spanning = await receive(own, clerk);
    const early = await receive(own, clerk);
    // The next events are numbered past several windows (20,000 ids each) from the first ones.
    await own.sql(`select setval(pg_get_serial_sequence('routing_event', 'id'), 65000)`);
    await clerk.ok(RegisterDocumentDocument, { id: spanning.id });
    const late = await receive(own, clerk);
    await own.server.auditCheckpoint();
    const lines = readFileSync(own.config.audit.checkpointFile, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l.includes('\trouting_event\t'));
    for (const d of [spanning, early, late]) {
      const key = parseGlobalId(d.id)!.key;
      const [{ last, count }] = await own.sql<{ last: string; count: string }>(
        `select max(id)::text as last, count(*)::text as count from routing_event where document_id = $1`,
        [key],
      );
      const mine = lines.filter((l) => l.includes(`\trouting_event\t${key}\t`));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toContain(`\t${count}\t${last}\t`);
    }
    expect(
      Number(
        (await own.sql<{ last: string }>(`select max(id)::text as last from routing_event where document_id = $1`, [parseGlobalId(spanning.id)!.key]))[0].last,
      ),
    ).toBeGreaterThan(65000);
  });
});
