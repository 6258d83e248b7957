import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/db/embedded';
import { buildPackage, sha256Hex, type DocumentPackage } from '../../src/domain/exchange/edxml';
import { EXCHANGE_HEADERS, signMessage } from '../../src/domain/exchange/delivery';
import { ADMIN_PASSWORD, ADMIN_USERNAME, ApiClient, DEMO_PASSWORD, copyTemplateDatabase, trackedCleanup } from './env';
import { LoginDocument } from '../generated/graphql';
import { pdf } from './documents';

const MAIN = path.join(__dirname, '../../dist/src/main.js');

/**
 * Another deployment in its own server process, with its own database (a copy of the migrated
 * template, with the demo organisation) and its own agency identifier. It can be stopped and
 * started again on the same database and port, as a peer that goes down and comes back.
 */
export interface ProcessPeer {
  organId: string;
  port: number;
  url: string;
  exchangeUrl: string;
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  as(username: string): Promise<ApiClient>;
  start(): Promise<void>;
  stop(): Promise<void>;
  output(): string;
  /** DATA_DIR of the server (its files are under `files/`). */
  dataDir: string;
  /** The server process's id while it runs. */
  pid(): number | undefined;
  close(): Promise<void>;
}

export async function startProcessPeer(organId: string, env: Record<string, string> = {}): Promise<ProcessPeer> {
  const cleanup = trackedCleanup();
  const database = await copyTemplateDatabase('vpdt_p_');
  cleanup.add(() => database.drop());
  const databaseUrl = database.databaseUrl;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'vpdt-peer-'));
  cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const tokenSecret = randomBytes(32).toString('hex');
  const pg = new Client({ connectionString: databaseUrl });
  pg.on('error', () => undefined);
  cleanup.add(() => pg.end());
  await pg.connect();
  cleanup.add(() => peer.stop());
  let child: ChildProcess | null = null;
  let out = '';
  let firstStart = true;

  const peer: ProcessPeer = {
    organId,
    port,
    url: `http://127.0.0.1:${port}/graphql`,
    exchangeUrl: `http://127.0.0.1:${port}/exchange/messages`,
    dataDir,
    sql: async (text, params) => (await pg.query(text, params as unknown[])).rows,
    async as(username) {
      const c = new ApiClient(peer.url);
      c.token = (await c.ok(LoginDocument, { username, password: username === ADMIN_USERNAME ? ADMIN_PASSWORD : DEMO_PASSWORD })).login.token;
      return c;
    },
    async start() {
      const childEnv: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        DATA_DIR: dataDir,
        TOKEN_SECRET: tokenSecret,
        ORGAN_ID: organId,
        ADMIN_USERNAME,
        ADMIN_PASSWORD,
        DEMO_DATA: firstStart ? 'true' : 'false',
        ...env,
      };
      firstStart = false;
      const c = spawn(process.execPath, [MAIN], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      c.stdout.on('data', (d) => (out += d));
      c.stderr.on('data', (d) => (out += d));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`peer did not start within 150 s:\n${out}`)), 150_000);
        const onData = () => {
          if (out.includes(`Server ready at http://localhost:${port}`)) {
            clearTimeout(timer);
            c.stdout.off('data', onData);
            resolve();
          }
        };
        c.stdout.on('data', onData);
        c.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`peer exited with ${code}:\n${out}`));
        });
      });
    },
    async stop() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      c.removeAllListeners('exit');
      await new Promise<void>((resolve) => {
        // A process that does not stop within its own shutdown bound is killed: the test must go on.
        const kill = setTimeout(() => c.kill('SIGKILL'), 30_000);
        c.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        c.kill('SIGTERM');
      });
      out = out.replace(/Server ready at/g, 'Server was ready at');
    },
    output: () => out,
    close: () => cleanup.run(),
    pid: () => child?.pid,
  };
  try {
    await peer.start();
  } catch (err) {
    await cleanup.run().catch(() => undefined);
    throw err;
  }
  return peer;
}

/** Numbers of sample packages: from a random start, never twice in a test file (a DocumentId drawn twice made a "never arrived" recall find a copy). */
let nextSampleNumber = Math.floor(Math.random() * 900);

/** A package as a peer would write it: one PDF attachment, addressed from `from` to `to`. */
export function samplePackage(from: string, to: string, over: Partial<DocumentPackage> = {}): Omit<DocumentPackage, 'kind'> {
  const bytes = pdf();
  const number = over.codeNumber ?? String(100 + (nextSampleNumber++ % 900));
  const notation = over.codeNotation ?? 'UBND-KT';
  const date = over.promulgationDate ?? '2026-11-20';
  return {
    from: { organId: from, organName: 'Ủy ban nhân dân tỉnh Phú Yên' },
    to: [{ organId: to, organName: 'Sở Xây dựng' }],
    documentId: `${from},${date.replace(/-/g, '/')},${number}/${notation}`,
    codeNumber: number,
    codeNotation: notation,
    place: 'Tuy Hòa',
    promulgationDate: date,
    documentTypeCode: 'CV',
    documentTypeName: 'Công văn',
    subject: 'V/v phối hợp kiểm tra chất lượng công trình giao thông liên tỉnh',
    signer: { competence: 'KT. CHỦ TỊCH', position: 'Phó Chủ tịch', fullName: 'Nguyễn Văn A' },
    dueDate: null,
    toPlaces: ['Sở Xây dựng'],
    priority: 'NORMAL',
    securityLevel: 0,
    pageAmount: 2,
    responseFor: null,
    steeringType: 0,
    businessDocType: 0,
    businessDocReason: null,
    timestamp: new Date().toISOString(),
    attachments: [{ name: 'cong-van.pdf', contentType: 'application/pdf', bytes, sha256: sha256Hex(bytes) }],
    ...over,
  };
}

/** POSTs a message to a peer's exchange endpoint, signed as `from` with `secret`. */
export async function postMessage(
  url: string,
  from: string,
  secret: string,
  xml: string | Buffer,
  opts: { timestamp?: number; signature?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = Buffer.isBuffer(xml) ? xml : Buffer.from(xml, 'utf8');
  const ts = opts.timestamp ?? Date.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/xml',
      [EXCHANGE_HEADERS.from]: from,
      [EXCHANGE_HEADERS.timestamp]: String(ts),
      [EXCHANGE_HEADERS.signature]: opts.signature ?? signMessage(secret, from, ts, body),
    },
    body,
  });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

export { buildPackage };

/** Polls `fn` until it returns a truthy value (or fails after `ms`). */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, ms = 20_000, what = 'condition'): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - started > ms) throw new Error(`${what} not reached after ${ms} ms (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
