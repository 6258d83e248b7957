import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { Client } from 'pg';
import { WebSocketServer } from 'ws';
import { freePort } from '../src/db/embedded';
import { RoutingEventKind } from '../src/domain/documents/document-enums';
import { withServerFlags } from '../src/node-flags';

/**
 * The fan-out case's baseline (issue 17: "a bare graphql-ws server fed by LISTEN"): graphql-ws on `ws`
 * with a schema of one subscription, `routingEvents(filter:) { note }`, written so that the bench's own
 * query validates; one `pg` client LISTENs on a channel and every NOTIFY payload (JSON `{type, note}`)
 * goes to every subscriber whose filter takes its type. No sign-in (any connectionParams are accepted),
 * no audience, no cursor, no replay: what delivering an event costs with none of the server's work.
 *
 * Run by scripts/bench-fanout.ts as its own process (`node bench-fanout-baseline.js <databaseUrl>
 * <channel>`); it prints `baseline ready <port>` on stdout.
 */
/** The event types of the API's enum, so that the bench's query validates against the baseline too. */
const TYPES = Object.values(RoutingEventKind).join(' ');

const SDL = `
  enum RoutingEventType { ${TYPES} }
  input RoutingEventFilter { documentId: ID, types: [RoutingEventType!], unitId: ID }
  type RoutingEvent { note: String }
  type Query { ok: Boolean }
  type Subscription { routingEvents(after: String, filter: RoutingEventFilter): RoutingEvent! }
`;

interface Event {
  type: string;
  note: string;
}
type Payload = { routingEvents: { note: string } };

/** Everyone listening: one push function per subscription. */
const listeners = new Set<(e: Event) => void>();

/** One subscription's events as an async iterator: a queue, and the waiting `next()` if there is one. */
function subscription(types: readonly string[] | undefined): AsyncIterableIterator<Payload> {
  const queue: Payload[] = [];
  let waiting: ((r: IteratorResult<Payload>) => void) | undefined;
  const push = (e: Event) => {
    if (types && !types.includes(e.type)) return;
    const value = { routingEvents: { note: e.note } };
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w({ value, done: false });
    } else queue.push(value);
  };
  listeners.add(push);
  const done = (): Promise<IteratorResult<Payload>> => {
    listeners.delete(push);
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
    return Promise.resolve({ value: undefined, done: true });
  };
  return {
    next: () => (queue.length ? Promise.resolve({ value: queue.shift()!, done: false }) : new Promise((r) => (waiting = r))),
    return: done,
    throw: done,
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function main() {
  const [databaseUrl, channel] = process.argv.slice(2);
  const schema = buildSchema(SDL);
  schema.getSubscriptionType()!.getFields().routingEvents.subscribe = (_source, args: { filter?: { types?: string[] } }) => subscription(args.filter?.types);

  const pg = new Client({ connectionString: databaseUrl });
  pg.on('error', (e) => process.stderr.write(`baseline: database connection error: ${e.message}\n`));
  pg.on('notification', (m) => {
    const e = JSON.parse(m.payload ?? '{}') as Event;
    for (const push of listeners) push(e);
  });
  await pg.connect();
  await pg.query(`listen "${channel}"`);

  const port = await freePort();
  const wss = new WebSocketServer({ host: '127.0.0.1', port, path: '/graphql' });
  useServer({ schema }, wss);
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  process.stdout.write(`baseline ready ${port}\n`);
  process.once('SIGTERM', () => {
    wss.close();
    void pg.end().finally(() => process.exit(0));
  });
}

/** The baseline server as a child process with the server's own V8 options; resolves when it listens. */
export async function startFanoutBaseline(databaseUrl: string, channel: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...withServerFlags([]), path.join(__dirname, 'bench-fanout-baseline.js'), databaseUrl, channel], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      const m = /baseline ready (\d+)/.exec(String(d));
      if (m) resolve(m[1]);
    });
    child.once('exit', (c) => reject(new Error(`baseline server exited ${c}`)));
  });
  return { child, url: `ws://127.0.0.1:${port}/graphql` };
}

if (require.main === module)
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
