import { Client, type ClientConfig } from 'pg';
import type { Logger } from 'pino';
import { ListenConnection, OWN_CONNECTION_TIMEOUTS } from '../db/listen-connection';
import { STREAM_HORIZON } from './horizon';

export const ROUTING_EVENT_CHANNEL = 'vpdt_routing_event';

/** A position in the stream of routing events: the writer's transaction id, then the event id. */
export interface Position {
  txid: bigint;
  id: bigint;
}

/** Which table an event of the stream comes from: a document's routing event, or a work schedule's step. */
export type StreamKind = 'document' | 'schedule';

/** What the hub knows of an event: enough to filter it without loading the document. */
export interface StreamEvent {
  position: Position;
  id: string;
  kind: StreamKind;
  /** The document's id (kind `document`), or the work schedule's (kind `schedule`). */
  documentId: string;
  keepingUnitId: string;
  type: string;
}

export const ORIGIN: Position = { txid: 0n, id: 0n };

export function comparePositions(a: Position, b: Position): number {
  if (a.txid !== b.txid) return a.txid < b.txid ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

/** The opaque cursor a client keeps: `<txid>.<id>`. */
export function encodeCursor(p: Position): string {
  return `${p.txid}.${p.id}`;
}

export function decodeCursor(cursor: string): Position | null {
  const m = /^(\d{1,20})\.(\d{1,19})$/.exec(cursor);
  return m ? { txid: BigInt(m[1]), id: BigInt(m[2]) } : null;
}

interface Row {
  txid: string;
  id: string;
  kind: StreamKind;
  document_id: string;
  keeping_unit_id: string;
  type: string;
}

const toEvent = (r: Row): StreamEvent => ({
  position: { txid: BigInt(r.txid), id: BigInt(r.id) },
  id: r.id,
  kind: r.kind,
  documentId: r.document_id,
  keepingUnitId: r.keeping_unit_id,
  type: r.type,
});

/**
 * Reads the routing events and work schedule events tables in (txid, id) order, never past the horizon of this database's transactions
 * still running (src/events/horizon.ts), so every process sees the same stream with no gap even when an
 * earlier transaction commits late. It wakes on NOTIFY and also polls, since an aborted transaction
 * sends no wake-up. Recent events are kept in memory for subscribers; older ones are read again
 * from the table.
 */
export class EventHub {
  private listener: ListenConnection;
  private reader?: Client;
  private connectingReader?: Promise<Client>;
  private timer?: NodeJS.Timeout;
  private reading: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly ring: StreamEvent[] = [];
  /**
   * The ring holds every event after this position up to the head: the head when the hub started,
   * then the last event dropped from the ring. A subscriber whose cursor is here or later reads from
   * memory, including one that was at the head when the ring was still empty.
   */
  private ringFrom: Position = ORIGIN;
  private readonly listeners = new Set<() => void>();
  /** Everything at or before the head has been read into the ring (or is older than it). */
  head: Position = ORIGIN;
  /**
   * When the last read that found nothing more began (ms since the epoch): every event committed
   * before then has been read. Its age is the stream's lag (metrics).
   */
  caughtUpAt = Date.now();

  constructor(
    private readonly connection: ClientConfig,
    private readonly log: Logger,
    private readonly opts: { pollMs?: number; ringSize?: number } = {},
  ) {
    // A reconnected listener may have missed wake-ups: the hub reads at once.
    this.listener = new ListenConnection(connection, [ROUTING_EVENT_CHANNEL], log, {
      name: 'routing events',
      onNotification: () => this.wake(),
      onConnected: () => this.wake(),
    });
  }

  /**
   * The connection for reading. One at a time: callers that arrive while it is being opened share
   * the attempt, so a burst of readers never opens more than one.
   */
  private readerConnection(): Promise<Client> {
    if (this.reader) return Promise.resolve(this.reader);
    if (!this.connectingReader) {
      this.connectingReader = (async () => {
        const client = new Client({ ...OWN_CONNECTION_TIMEOUTS, ...this.connection });
        // A lost connection is reported here when no statement is running; one that is running fails
        // with the loss and `read` drops the client.
        const drop = () => this.dropReader(client);
        client.on('error', drop);
        client.on('end', drop);
        try {
          await client.connect();
        } catch (err) {
          client.end().catch(() => undefined);
          throw err;
        }
        this.reader = client;
        return client;
      })().finally(() => (this.connectingReader = undefined));
    }
    return this.connectingReader;
  }

  private dropReader(client: Client): void {
    if (this.reader === client) this.reader = undefined;
    client.end().catch(() => undefined);
  }

  /** One statement on the reader; a failed statement drops the connection, and the next read opens another. */
  private async read<R extends object>(text: string, params: unknown[] = []): Promise<R[]> {
    const client = await this.readerConnection();
    try {
      return (await client.query<R>(text, params)).rows;
    } catch (err) {
      this.dropReader(client);
      throw err;
    }
  }

  async start(): Promise<void> {
    // Live subscribers start from now: the head is the newest event below the horizon. Positions are
    // compared as numbers (the text of an id sorts "999999" above "1000000").
    const rows = await this.read<{ txid: string; id: string }>(
      `select e.txid::text as txid, e.id::text as id
         from (select txid, id from (select txid, id from routing_event order by txid desc, id desc limit 1) r
               union all select txid, id from (select txid, id from work_schedule_event order by txid desc, id desc limit 1) s) e
        where e.txid < ${STREAM_HORIZON} order by e.txid desc, e.id desc limit 1`,
    );
    if (rows[0]) this.head = { txid: BigInt(rows[0].txid), id: BigInt(rows[0].id) };
    this.ringFrom = this.head;
    await this.listener.start();
    this.timer = setInterval(() => this.wake(), this.opts.pollMs ?? 1000);
    this.timer.unref();
  }

  /** Called on every change: the callback reads what it needs from the hub. */
  onAdvance(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  /** Asks for a read; reads never overlap, and a wake-up during a read causes one more. */
  wake(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readNew()
      .catch((err) => this.log.warn({ err }, 'reading routing events failed; will retry'))
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves when everything committed before the call has been read (for tests and shutdown). */
  async settle(): Promise<void> {
    this.wake();
    while (this.reading) await this.reading;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const asked = Date.now();
      const rows = await this.fetch(this.head, 1000);
      if (rows.length < 1000) this.caughtUpAt = asked;
      if (rows.length === 0) return;
      for (const e of rows) this.ring.push(e);
      const max = this.opts.ringSize ?? 20_000;
      if (this.ring.length > max) this.ringFrom = this.ring.splice(0, this.ring.length - max).pop()!.position;
      this.head = rows[rows.length - 1].position;
      for (const cb of this.listeners) cb();
      if (rows.length < 1000) return;
    }
  }

  private async fetch(after: Position, limit: number, upTo?: Position): Promise<StreamEvent[]> {
    // Both tables take their ids from one sequence, so (txid, id) orders them as one stream.
    const window = `(e.txid, e.id) > ($1::text::xid8, $2::bigint)
          and e.txid < (select x from horizon)
          ${upTo ? 'and (e.txid, e.id) <= ($4::text::xid8, $5::bigint)' : ''}`;
    const rows = await this.read<Row>(
      `with horizon as materialized (select ${STREAM_HORIZON} as x)
       (select e.txid::text as txid, e.id::text as id, 'document' as kind, e.document_id, d.keeping_unit_id, e.type, e.txid as t, e.id as i
          from routing_event e join document d on d.id = e.document_id
         where ${window} order by e.txid, e.id limit $3)
       union all
       (select e.txid::text, e.id::text, 'schedule', e.schedule_id, w.keeping_unit_id, e.type, e.txid, e.id
          from work_schedule_event e join work_schedule w on w.id = e.schedule_id
         where ${window} order by e.txid, e.id limit $3)
       order by t, i
       limit $3`,
      upTo
        ? [after.txid.toString(), after.id.toString(), limit, upTo.txid.toString(), upTo.id.toString()]
        : [after.txid.toString(), after.id.toString(), limit],
    );
    return rows.map(toEvent);
  }

  /** The events after `after` up to the head when memory still holds all of them (an ordered copy), else null. */
  eventsInMemory(after: Position, limit = Infinity): StreamEvent[] | null {
    if (comparePositions(after, this.ringFrom) < 0) return null;
    // The ring is ordered: find the first event after the cursor.
    let lo = 0;
    let hi = this.ring.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comparePositions(this.ring[mid].position, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return this.ring.slice(lo, Math.min(this.ring.length, lo + limit));
  }

  /**
   * The events after `after`, up to the head, at most `limit`: from memory when the ring still holds
   * them, else from the table (a subscriber resuming from an old cursor).
   */
  async eventsAfter(after: Position, limit: number): Promise<StreamEvent[]> {
    const recent = this.eventsInMemory(after, limit);
    if (recent) return recent;
    if (comparePositions(after, this.head) >= 0) return [];
    return this.fetch(after, limit, this.head);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.reading) await this.reading;
    this.listeners.clear();
    await this.listener.stop();
    await this.connectingReader?.catch(() => undefined);
    const reader = this.reader;
    this.reader = undefined;
    await reader?.end().catch(() => undefined);
  }
}
