import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/db/embedded';
import { InboxCountsDocument, LoginDocument, MeDocument } from '../generated/graphql';
import { ApiClient, DEMO, DEMO_PASSWORD } from '../helpers/env';

const MAIN = path.join(__dirname, '../../dist/src/main.js');

interface Booted {
  child: ChildProcess;
  url: string;
  port: number;
  output: () => string;
}

/** Starts the compiled server as `npm start` does and waits until it says it is ready. */
async function boot(env: Record<string, string | undefined>): Promise<Booted> {
  const port = await freePort();
  const childEnv: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', PORT: String(port) };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = v;
  const child = spawn(process.execPath, [MAIN], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${out}`)), 60_000);
    child.stdout.on('data', () => {
      if (out.includes('Server ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return { child, port, url: `http://127.0.0.1:${port}/graphql`, output: () => out };
}

function stop(b: Booted): Promise<number | null> {
  return new Promise((resolve) => {
    b.child.removeAllListeners('exit');
    b.child.on('exit', (code) => resolve(code));
    b.child.kill('SIGTERM');
  });
}

async function directorMe(url: string): Promise<string> {
  const c = new ApiClient(url);
  c.token = (await c.ok(LoginDocument, { username: DEMO.director, password: DEMO_PASSWORD })).login.token;
  return (await c.ok(MeDocument)).me.username;
}

describe('a fresh server boots', () => {
  it('on the embedded PostgreSQL, with demo data, and keeps its data across a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-boot-'));
    chmodSync(dir, 0o755);
    try {
      const first = await boot({ DATA_DIR: dir, NODE_ENV: 'development' });
      expect(first.output()).toContain(DEMO_PASSWORD);
      expect(await directorMe(first.url)).toBe(DEMO.director);
      const base = first.url.replace('/graphql', '');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
      const c = new ApiClient(first.url);
      c.token = (await c.ok(LoginDocument, { username: DEMO.clerk, password: DEMO_PASSWORD })).login.token;
      // The first start also loads the demo documents: the clerk has work waiting (issue 20, item 5).
      const { inboxCounts } = await c.ok(InboxCountsDocument);
      expect(inboxCounts.TO_REGISTER + inboxCounts.TO_SUBMIT + inboxCounts.TO_ISSUE).toBeGreaterThan(0);
      expect(await stop(first)).toBe(0);

      const second = await boot({ DATA_DIR: dir, NODE_ENV: 'development' });
      // Demo data is loaded on the first start only; the token secret and the session survive.
      expect(second.output()).not.toContain('Demo accounts');
      const again = new ApiClient(second.url, c.token);
      expect((await again.ok(MeDocument)).me.username).toBe(DEMO.clerk);
      expect(await stop(second)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('on the server of DATABASE_URL', async () => {
    const serverUrl = process.env.VPDT_TEST_SERVER_URL!;
    const name = `vpdt_boot_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: `${serverUrl}/postgres` });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-boot-url-'));
    try {
      const b = await boot({ DATABASE_URL: `${serverUrl}/${name}`, DEMO_DATA: '1', DATA_DIR: dir, NODE_ENV: 'development' });
      expect(await directorMe(b.url)).toBe(DEMO.director);
      expect(await stop(b)).toBe(0);
    } finally {
      await admin.query(`drop database if exists "${name}" with (force)`);
      await admin.end();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['PORT', { PORT: 'abc' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x/y' }],
    ['TOKEN_SECRET', { NODE_ENV: 'production', DATABASE_URL: 'postgres://u@127.0.0.1:1/x' }],
    ['OFFICE_TZ', { OFFICE_TZ: 'Mars/Olympus' }],
    ['CORS_ORIGINS', { CORS_ORIGINS: 'not a url' }],
    ['WORKERS', { WORKERS: '0' }],
  ])('refuses a bad %s with one line naming it', async (variable, env) => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: os.tmpdir(), PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    const lines = err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
  });
});
