import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/**
 * One process of the fan-out load generator (scripts/bench-fanout.ts forks several): opens `count`
 * graphql-ws clients, each subscribed with `query`, and records when each event arrives (by its note).
 * The bench sends `start`, waits for `ready`, writes the burst, follows `progress`, then asks for the
 * `report` and sends `stop`.
 */
type Command = { type: 'start'; url: string; token: string; count: number; query: string } | { type: 'report' } | { type: 'stop' };

export type ClientMessage =
  | { type: 'ready'; connected: number; refused: number }
  | { type: 'progress'; received: number }
  | { type: 'report'; receipts: Record<string, number[]>; received: number; closes: Record<string, number>; errors: string[] };

const send = (m: ClientMessage) => process.send?.(m);
const clients: Client[] = [];
const receipts: Record<string, number[]> = {};
const closes: Record<string, number> = {};
const errors: string[] = [];
let received = 0;
let reported = -1;

async function start(c: Extract<Command, { type: 'start' }>): Promise<void> {
  let connected = 0;
  let refused = 0;
  for (let i = 0; i < c.count; i++) {
    const client = createClient({
      url: c.url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${c.token}` },
      lazy: false,
      retryAttempts: 0,
    });
    client.on('connected', () => connected++);
    client.on('closed', (e) => {
      const code = String((e as { code?: number }).code ?? '?');
      closes[code] = (closes[code] ?? 0) + 1;
    });
    client.subscribe(
      { query: c.query },
      {
        next: (r) => {
          const note = (r.data as { routingEvents?: { note?: string } } | undefined)?.routingEvents?.note;
          if (!note) return;
          (receipts[note] ??= []).push(Date.now());
          received++;
        },
        // A refused subscription delivers nothing: counted and reported.
        error: (e) => {
          refused++;
          if (errors.length < 3) errors.push(e instanceof Error ? e.message : JSON.stringify(e).slice(0, 200));
        },
        complete: () => undefined,
      },
    );
    clients.push(client);
    // Not all at once: at most 100 handshakes under way per process, so the server's accept queue does not overflow.
    while (i + 1 - connected - refused > 100) await new Promise((r) => setTimeout(r, 10));
  }
  for (let i = 0; i < 600 && connected + refused < c.count; i++) await new Promise((r) => setTimeout(r, 100));
  send({ type: 'ready', connected, refused });
  setInterval(() => {
    if (received !== reported) send({ type: 'progress', received: (reported = received) });
  }, 100).unref();
}

process.on('message', (c: Command) => {
  if (c.type === 'start') void start(c);
  else if (c.type === 'report') send({ type: 'report', receipts, received, closes, errors });
  else if (c.type === 'stop') {
    void Promise.all(clients.map((x) => Promise.resolve(x.dispose()))).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  }
});
process.on('disconnect', () => process.exit(0));
