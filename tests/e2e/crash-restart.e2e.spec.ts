import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chownSync, statSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embedded';
import { DocumentDocument, LoginDocument, MeDocument, ReceiveDocumentDocument } from '../generated/graphql';
import { pdf } from '../helpers/documents';
import { ApiClient, DEMO, DEMO_PASSWORD } from '../helpers/env';
import { processesIn, ready, running, spawnServer, stopPostgresIn, type ServerProcess } from '../helpers/process';

// Each case starts the compiled server (and with it an embedded PostgreSQL) more than once.
jest.setTimeout(240_000);

const dirs: string[] = [];
const started: ServerProcess[] = [];
const others: ChildProcess[] = [];

/** A data folder of its own for one case; `pg` inside it is the embedded cluster's. */
function dataFolder(): { dir: string; pgDir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-crash-'));
  chmodSync(dir, 0o755);
  dirs.push(dir);
  return { dir, pgDir: path.join(dir, 'pg') };
}

/** The server as `npm start` runs it, on a data folder with no DATABASE_URL: the embedded PostgreSQL. */
async function server(dir: string, opts: { detached?: boolean; viaNpm?: boolean } = {}): Promise<ServerProcess> {
  const p = await spawnServer({ DATA_DIR: dir, NODE_ENV: 'development' }, opts);
  started.push(p);
  return p;
}

async function signIn(url: string, username: string): Promise<ApiClient> {
  const c = new ApiClient(url);
  c.token = (await c.ok(LoginDocument, { username, password: DEMO_PASSWORD })).login.token;
  return c;
}

/** What the process wrote that is not a JSON log line: what a person reads in the terminal. */
const plainLines = (p: ServerProcess) =>
  p
    .output()
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('{'));

/** Log lines at warn or above, and anything that looks like a stack trace. */
const warnings = (p: ServerProcess) =>
  p
    .output()
    .split('\n')
    .filter((l) => (l.startsWith('{') && JSON.parse(l).level >= 40) || /^\s+at .+\(.*:\d+:\d+\)$/.test(l));

afterAll(async () => {
  // Whatever happened above: no server and no PostgreSQL of this folder outlives the file.
  for (const p of started) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(started.map((p) => p.exited));
  for (const o of others) o.kill('SIGKILL');
  for (const dir of dirs) {
    await stopPostgresIn(path.join(dir, 'pg'));
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('a crash of the server on the embedded database', () => {
  it('kill -9 of a running server, then npm start: it starts and serves the data that was there', async () => {
    const { dir, pgDir } = dataFolder();
    const first = await server(dir);
    await ready(first);
    const clerk = await signIn(first.url, DEMO.clerk);
    const form = new FormData();
    form.append('file', new Blob([pdf()]), 'cong-van.pdf');
    const uploaded = (await (
      await fetch(`${first.base}/files`, { method: 'POST', headers: { authorization: `Bearer ${clerk.token}` }, body: form })
    ).json()) as { id: string };
    const { receiveDocument: doc } = await clerk.ok(ReceiveDocumentDocument, {
      input: {
        documentTypeCode: 'CV',
        number: '77',
        symbol: 'UBND-XD',
        issuedDate: '2026-11-20',
        issuer: 'Ủy ban nhân dân tỉnh Bình Định',
        subject: 'V/v văn bản vào sổ trước khi máy chủ dừng đột ngột',
        attachmentIds: [uploaded.id],
        registerNow: true,
      },
    });
    expect(doc.arrivalNumber).toBeGreaterThan(0);
    const postmaster = Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(running(postmaster)).toBe(true);

    // A second server on the same folder while the first runs: refused in one line, the first left alone.
    const second = await server(dir);
    expect((await second.exited).code).toBe(1);
    expect(plainLines(second)).toEqual([expect.stringMatching(/^The server could not start: .*belongs to another running server process/)]);
    expect(running(postmaster)).toBe(true);
    expect((await clerk.ok(MeDocument)).me.username).toBe(DEMO.clerk);

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    // The crash leaves PostgreSQL running, orphaned, holding its lock file.
    expect(running(postmaster)).toBe(true);
    expect(existsSync(path.join(pgDir, 'postmaster.pid'))).toBe(true);

    const third = await server(dir);
    await ready(third);
    expect(third.output()).toContain(`stopping the orphaned PostgreSQL (PID ${postmaster})`);
    expect(running(postmaster)).toBe(false);
    // The same session (token secret and sessions were kept) and the same registered document.
    const again = new ApiClient(third.url, clerk.token);
    const { document } = await again.ok(DocumentDocument, { id: doc.id });
    expect(document).toMatchObject({
      id: doc.id,
      subject: 'V/v văn bản vào sổ trước khi máy chủ dừng đột ngột',
      arrivalNumber: doc.arrivalNumber,
      state: 'REGISTERED',
    });
    third.child.kill('SIGTERM');
    expect((await third.exited).code).toBe(0);
    expect(processesIn(pgDir)).toEqual([]);
  });

  it('Ctrl-C in the terminal under npm start (SIGINT to the whole process group) stops it quietly, PostgreSQL last', async () => {
    const { dir, pgDir } = dataFolder();
    const p = await server(dir, { detached: true, viaNpm: true });
    await ready(p);
    const director = await signIn(p.url, DEMO.director);
    expect((await director.ok(MeDocument)).me.username).toBe(DEMO.director);
    const postmaster = Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    // A terminal sends the signal to every process of the foreground group (npm, the server, and until
    // now PostgreSQL), and npm forwards it to the server once more.
    process.kill(-p.child.pid!, 'SIGINT');
    await p.exited;
    expect(warnings(p)).toEqual([]);
    expect(p.output()).not.toMatch(/npm (error|ERR)|Stopping at once/);
    expect(p.output()).toContain('database closed');
    expect(running(postmaster)).toBe(false);
    expect(existsSync(path.join(pgDir, 'postmaster.pid'))).toBe(false);
  });

  it('starts over a postmaster.pid whose process id now belongs to another program', async () => {
    const { dir, pgDir } = dataFolder();
    const before = await server(dir);
    await ready(before);
    before.child.kill('SIGTERM');
    expect((await before.exited).code).toBe(0);
    // After a crash and a reboot, the pid in the lock file may be another program's. PostgreSQL refuses to
    // start when that program runs as its own user (it cannot tell it from a postmaster): here, a sleep.
    const owner = statSync(pgDir);
    const other = spawn('sleep', ['600'], { uid: owner.uid, gid: owner.gid, stdio: 'ignore' });
    others.push(other);
    const lock = path.join(pgDir, 'postmaster.pid');
    writeFileSync(lock, `${other.pid}\n${pgDir}\n1700000000\n5432\n\n127.0.0.1\n  1234567         0\nready   \n`);
    chownSync(lock, owner.uid, owner.gid);
    const p = await server(dir);
    await ready(p);
    expect((await (await signIn(p.url, DEMO.director)).ok(MeDocument)).me.username).toBe(DEMO.director);
    p.child.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });
});

describe('a failure to start', () => {
  const failure = async (env: Record<string, string>) => {
    const p = await spawnServer(env);
    started.push(p);
    expect((await p.exited).code).toBe(1);
    const lines = plainLines(p);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^The server could not start: /);
    expect(lines[0]).not.toMatch(/undefined|\[object/);
    return lines[0];
  };

  it('prints the cause in one line: an unreachable DATABASE_URL', async () => {
    const port = await freePort();
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'vpdt-fail-'));
    try {
      expect(await failure({ DATABASE_URL: `postgres://vpdt@127.0.0.1:${port}/vpdt`, DATA_DIR: tmp })).toContain('ECONNREFUSED');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('prints the cause in one line: a data folder PostgreSQL cannot use', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'vpdt-fail-'));
    chmodSync(tmp, 0o755);
    try {
      // Looks like a cluster (PG_VERSION) but has no configuration: PostgreSQL says so and exits.
      mkdirSync(path.join(tmp, 'pg'), { mode: 0o700 });
      writeFileSync(path.join(tmp, 'pg', 'PG_VERSION'), '18\n');
      if (process.getuid?.() === 0) {
        const { execFileSync } = await import('node:child_process');
        execFileSync('chown', ['-R', 'postgres:postgres', path.join(tmp, 'pg')]);
      }
      const line = await failure({ DATA_DIR: tmp });
      expect(line).toContain('PostgreSQL did not start');
      expect(line).toContain('postgresql.conf');
    } finally {
      await stopPostgresIn(path.join(tmp, 'pg'));
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
