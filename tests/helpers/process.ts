import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/db/embedded';

const MAIN = path.join(__dirname, '../../dist/src/main.js');

/** The compiled server in a process of its own, as `npm start` runs it. */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:PORT */
  base: string;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  /** Everything it wrote, stdout and stderr together. */
  output(): string;
  /** Its exit: the code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node dist/src/main.js` (or `npm start`) with only the given environment (and PATH, HOME). `detached` makes it
 * the leader of a process group of its own, as a shell does with the command it runs in a terminal, so
 * that a test can send a Ctrl-C to the whole group.
 */
export async function spawnServer(env: Record<string, string>, opts: { detached?: boolean; port?: number; viaNpm?: boolean } = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  // `npm start` itself (without its build step): npm forwards SIGINT and SIGTERM to the server as well.
  const [command, args] = opts.viaNpm ? ['npm', ['start', '--ignore-scripts']] : [process.execPath, [MAIN]];
  const child = spawn(command, args, {
    cwd: path.join(__dirname, '../..'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, port, base: `http://127.0.0.1:${port}`, url: `http://127.0.0.1:${port}/graphql`, output: () => out, exited };
}

/** Waits until the process says it is ready; fails with its output when it exits first or takes too long. */
export async function ready(p: ServerProcess, withinMs = 90_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  let gone: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void p.exited.then((e) => (gone = e));
  while (!p.output().includes('Server ready')) {
    if (gone) throw new Error(`the server exited (${gone.code ?? gone.signal}) before it was ready:\n${p.output()}`);
    if (Date.now() > deadline) throw new Error(`the server was not ready within ${withinMs / 1000} s:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Live processes whose working folder is `dir`: a PostgreSQL postmaster and its backends chdir to their data folder. */
export function processesIn(dir: string): number[] {
  const found: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (path.resolve(readlinkSync(`/proc/${e}/cwd`)) === path.resolve(dir)) found.push(Number(e));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

/** Stops every PostgreSQL process of a data folder: a fast shutdown, then SIGKILL for what is left. For teardown. */
export async function stopPostgresIn(dir: string): Promise<void> {
  for (const pid of processesIn(dir)) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      /* already gone */
    }
  }
  for (let i = 0; i < 200 && processesIn(dir).length; i++) await new Promise((r) => setTimeout(r, 100));
  for (const pid of processesIn(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** True while `pid` runs (a zombie has exited). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
