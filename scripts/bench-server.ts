import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { freePort } from '../src/db/embedded';
import { BENCH_PASSWORD } from './bench-data';
import { withServerFlags } from '../src/node-flags';

/** The compiled server, started for a bench as in production. */
export interface BenchServer {
  child: ChildProcess;
  /** The GraphQL endpoint. */
  api: string;
  /** A session token for a generated account (they all have BENCH_PASSWORD). */
  login(username: string): Promise<string>;
}

/**
 * Starts the compiled server on a free port with NODE_ENV=production against `databaseUrl` and waits
 * until it says it is ready. Sign-in throttling and the per-account socket limit are raised (the
 * bench signs in and connects far more than people do); `env` adds or overrides settings (WORKERS…).
 * BENCH_NODE_ARGS passes options to the server's node (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), beside the
 * server's own (src/node-flags.ts).
 */
export async function startBenchServer(o: { databaseUrl: string; dataDir: string; env?: Record<string, string> }): Promise<BenchServer> {
  const port = await freePort();
  // With the server's own V8 options, as `npm start` gives them (BENCH_NODE_ARGS may set another value).
  const nodeArgs = withServerFlags((process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean));
  const child = spawn(process.execPath, [...nodeArgs, path.join(__dirname, '../src/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: o.databaseUrl,
      PORT: String(port),
      TOKEN_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'warn',
      DATA_DIR: o.dataDir,
      LOGIN_MAX_FAILURES_PER_ADDRESS: '100000',
      WS_CONNECTIONS_PER_ACCOUNT: '20000',
      AUDIT_CHECKPOINT_SECONDS: '0',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => String(d).includes('Server ready') && resolve());
    child.once('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  const api = `http://127.0.0.1:${port}/graphql`;
  const login = async (username: string): Promise<string> => {
    const res = await fetch(api, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `mutation($u:String!,$p:String!){login(username:$u,password:$p){token}}`, variables: { u: username, p: BENCH_PASSWORD } }),
    });
    const body = (await res.json()) as { data?: { login: { token: string } }; errors?: Array<{ message: string }> };
    if (!body.data) throw new Error(`login of ${username} failed: ${body.errors?.[0]?.message ?? res.status}`);
    return body.data.login.token;
  };
  return { child, api, login };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `work` from `clients` concurrent loops for `seconds` (or `count` operations); returns rate and latencies. */
export async function load(clients: number, seconds: number, work: (i: number, n: number) => Promise<void>, count?: number) {
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  let n = 0;
  let errors = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async (_v, i) => {
      while (count !== undefined ? n < count : Date.now() < deadline) {
        const k = n++;
        const t = process.hrtime.bigint();
        try {
          await work(i, k);
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        } catch (e) {
          errors++;
          if (errors < 3) process.stderr.write(`  error: ${(e as Error).message}\n`);
        }
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rate: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors,
    done: latencies.length,
  };
}

/**
 * The load generator's HTTP client: node's own http with kept-alive connections. `fetch` (undici) costs
 * the generator 2–3 ms of CPU per request on this machine, which the server and PostgreSQL lose from
 * the same cores; the SQL baselines' client (`pg`) costs about 1 ms. The generator should measure the
 * server, not itself.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(url: string, body: string, token?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function gql<T = unknown>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await post(url, JSON.stringify({ query, variables }), token);
  let body: { data?: T; errors?: Array<{ message: string }> };
  try {
    body = JSON.parse(res.text) as typeof body;
  } catch {
    throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 200)}`);
  }
  if (body.errors?.length) throw new Error(body.errors[0].message);
  return body.data as T;
}
