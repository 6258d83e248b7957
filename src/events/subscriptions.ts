import type { EntityManager } from '@mikro-orm/postgresql';
import { RoutingEvent } from '../../entities';
import type { Context } from '../context';
import { AppError, ErrorCode, badInput } from '../errors';
import { keyOfAny, keyOf } from '../graphql/global-id';
import { inboxCounts } from '../services/document-query.service';
import { readableDocumentKeys } from '../repositories/documents';
import { comparePositions, decodeCursor, encodeCursor, type EventHub, type Position, type StreamEvent } from './event-hub';
import type { BatchMemo } from './batch-memo';
import type { AudienceIndex, Membership } from './audience-index';
import { readPlan, readableBy, type DocumentFacts } from './audience';
import { loadDocumentFacts } from './document-facts';
import { TOLD_AFTER_ACCESS_ENDS, withdrawnFromSubscriber } from './withdrawal-notices';
import { isConnectionFailure } from '../db/faults';
import { reconnectDelay } from '../db/listen-connection';

export interface RoutingEventFilter {
  documentId?: string | null;
  unitId?: string | null;
  types?: string[] | null;
}

/** What a live subscription needs from its socket and from the server. */
export interface LiveChannel {
  hub: EventHub;
  /**
   * Rebuilds the subscriber's viewer, ability and loaders from its session; false when the session has
   * ended. Subscribers on the same session taking the same batch (`tick`) share one check.
   */
  refresh(ctx: Context, tick?: string): Promise<boolean>;
  /** Work shared by the subscribers of this process for one batch. */
  memo: BatchMemo;
  /** Wakes routing-event subscribers only for the events that may concern them (absent: every advance wakes every one). */
  audience?: AudienceIndex;
  /**
   * The audience index's rights epoch when the session check behind the context's viewer and ability
   * began: set when the context is built and at each `refresh`.
   */
  checkedIn?: number;
  /** Closes the subscriber's socket (a slow client is told to resume by cursor). */
  close(code: number, reason: string): void;
  /** A client that has not taken the previous event within this time while more wait is disconnected. */
  slowClientMs: number;
  /**
   * Whether the socket holds written data the client has not read yet. A stream whose event is still
   * being resolved (a slow database, an outage ridden out) has nothing waiting there: the client is
   * not the one holding it up. Absent: every late event counts as the client's.
   */
  backlogged?(): boolean;
}

export const BATCH = 200;

/** How long a subscription rides out an unreachable database before it closes and asks the client to resume. */
export const OUTAGE_LIMIT_MS = 60_000;
/** The close code then: 1013 "Try Again Later", which graphql-ws clients retry (the stream resumes by cursor). */
export const CLOSE_TRY_AGAIN_LATER = 1013;

/**
 * Rides out a lost database connection inside a live stream: the failed step is tried again after a
 * growing pause (the cursor has not moved past anything undelivered), and an outage longer than
 * {@link OUTAGE_LIMIT_MS} closes the socket with 1013 so the client resumes by cursor. Anything else
 * than a lost connection is a real failure and is thrown.
 */
export class Outage {
  private since?: number;
  private attempts = 0;
  /** True when the stream may go on after the pause. */
  async ride(err: unknown, live: LiveChannel, waker: Waker): Promise<boolean> {
    if (!isConnectionFailure(err)) throw err;
    const now = Date.now();
    this.since ??= now;
    if (now - this.since > OUTAGE_LIMIT_MS) {
      live.close(CLOSE_TRY_AGAIN_LATER, 'The database is unavailable: resume with the cursor of the last event received');
      return false;
    }
    await waker.pause(reconnectDelay(this.attempts++));
    // The step is tried again even if nothing new arrives.
    waker.wake();
    return !waker.stopped;
  }
  over(): void {
    this.since = undefined;
    this.attempts = 0;
  }
}

/**
 * Waits for the hub to advance; a wake-up that arrives before the wait is not lost. A stopped waker
 * (the client unsubscribed) returns at once, so the stream can end even while nothing happens.
 */
export class Waker {
  private dirty = true;
  private resolve?: () => void;
  stopped = false;
  wake = () => {
    this.dirty = true;
    this.resolve?.();
  };
  stop = () => {
    this.stopped = true;
    this.resolve?.();
  };
  /** Waits `ms`, or less when the stream is stopped. */
  async pause(ms: number): Promise<void> {
    if (this.stopped) return;
    await new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      t.unref();
      this.resolve = () => {
        clearTimeout(t);
        r();
      };
    });
    this.resolve = undefined;
  }
  async wait(): Promise<void> {
    if (!this.dirty && !this.stopped) await new Promise<void>((r) => (this.resolve = r));
    this.resolve = undefined;
    this.dirty = false;
  }
}

/**
 * An async iterator over a stream that waits on a {@link Waker}. Its `return()` (the client
 * unsubscribing, the socket closing) stops the waker first: an async generator parked in an await
 * would otherwise never reach a point where it can return, and its listeners would leak.
 */
export function live<T>(run: (waker: Waker) => AsyncGenerator<T>): AsyncIterableIterator<T> {
  const waker = new Waker();
  const gen = run(waker);
  return {
    next: () => gen.next(),
    return: async (value?: unknown) => {
      waker.stop();
      return gen.return(value);
    },
    throw: async (err?: unknown) => {
      waker.stop();
      return gen.throw(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

export function requireLiveViewer(ctx: Context, live: LiveChannel | undefined): LiveChannel {
  if (!ctx.viewer) throw new AppError(ErrorCode.UNAUTHENTICATED, ctx.authProblem);
  if (ctx.mustChangePassword) throw new AppError(ErrorCode.PASSWORD_CHANGE_REQUIRED);
  if (!live) throw new AppError(ErrorCode.BAD_USER_INPUT, 'Subscriptions are served over WebSocket (graphql-ws) at /graphql.');
  return live;
}

/**
 * Watches a subscriber that stops taking events: if the event handed out is not taken within the
 * limit while the socket holds data the client has not read, the socket is closed (4429) and the
 * client resumes by cursor, so nothing piles up in server memory. Time the server itself spends on
 * the event (resolving its fields on a slow database) is not held against the client.
 */
export function slowClientGuard(live: LiveChannel) {
  // One timer per subscriber, re-armed for each event handed out (not a new timer per event).
  let timer: NodeJS.Timeout | undefined;
  let waiting = false;
  const fire = () => {
    if (!waiting) return;
    // The server is still resolving or writing the event: look again after another period.
    if (live.backlogged?.() === false) timer?.refresh();
    else live.close(4429, 'Too slow: resume with the cursor of the last event received');
  };
  return {
    handedOut() {
      waiting = true;
      if (timer) timer.refresh();
      else (timer = setTimeout(fire, live.slowClientMs)).unref();
    },
    taken() {
      waiting = false;
    },
    stop() {
      waiting = false;
      clearTimeout(timer);
    },
  };
}

/**
 * The routing events the subscriber may read, in stream order: first those after `after` (replay),
 * then live ones, with no gap and no duplicate at the seam — both come from the same ordered stream.
 * Each batch is authorised under the subscriber's permissions at that moment.
 */
export function routingEvents(
  ctx: Context,
  filter: RoutingEventFilter | null | undefined,
  after: string | null | undefined,
): AsyncIterableIterator<RoutingEvent> {
  const channel = requireLiveViewer(ctx, ctx.live);
  return live((waker) => streamRoutingEvents(ctx, channel, waker, filter, after));
}

async function* streamRoutingEvents(
  ctx: Context,
  live: LiveChannel,
  waker: Waker,
  filter: RoutingEventFilter | null | undefined,
  after: string | null | undefined,
): AsyncGenerator<RoutingEvent> {
  let start: Position | null = null;
  if (after) {
    start = decodeCursor(after);
    if (!start) throw badInput('after is not a cursor of a routing event.', 'after');
  }
  const documentId = filter?.documentId ? keyOfAny(['IncomingDocument', 'OutgoingDocument'] as const, filter.documentId, 'filter.documentId').key : null;
  const unitId = filter?.unitId ? keyOf('Unit', filter.unitId, 'filter.unitId') : null;
  const types = filter?.types?.length ? new Set(filter.types) : null;
  if (types && types.size > 50) throw badInput('filter.types may name at most 50 event types.', 'filter.types');
  const matches = (e: StreamEvent) =>
    e.kind === 'document' && (!documentId || e.documentId === documentId) && (!unitId || e.keepingUnitId === unitId) && (!types || types.has(e.type));

  // Woken by the audience index only for events that may concern the subscriber (src/events/audience-index.ts).
  let membership: Membership | undefined;
  const follow = (wake: () => void) => {
    if (!live.audience) return live.hub.onAdvance(wake);
    const joined = live.audience.join({ wake, matches, plan: () => readPlan(ctx.ability) }, live.checkedIn ?? -1);
    membership = joined;
    return () => joined.leave();
  };
  yield* followStream(
    ctx,
    live,
    waker,
    start,
    matches,
    async (wanted, tick) => {
      // The session was checked again: the subscriber's rules, hence its audience keys, may have changed.
      membership?.replan(live.checkedIn ?? -1);
      // The hub's head names the shared work: subscribers woken by the same advance share the facts of
      // the batch's documents (one statement, read after that advance); each subscriber's rules are
      // then checked against them in memory, or, when its rules name something the facts do not carry,
      // by the database as before (shared by the subscribers of one session).
      const documentIds = [...new Set(wanted.map((e) => e.documentId))].sort();
      const readable = await readableDocuments(ctx, live, tick, documentIds);
      const deliver = wanted.filter((e) => readable.has(e.documentId) || TOLD_AFTER_ACCESS_ENDS.has(e.type));
      if (!deliver.length) return [];
      const ids = deliver.map((e) => e.id);
      // Event rows never change once written: every subscriber of the batch shares them.
      const byId = await live.memo.get(
        `rows|${ids.join(',')}`,
        async () => new Map((await ctx.em.fork().find(RoutingEvent, { id: { $in: ids } })).map((r) => [r.id, r])),
      );
      const unreadable = deliver.filter((e) => !readable.has(e.documentId)).flatMap((e) => byId.get(e.id) ?? []);
      const told = await withdrawnFromSubscriber(ctx, unreadable);
      return deliver.flatMap((event) => {
        const row = byId.get(event.id);
        return row && (readable.has(event.documentId) || told.has(event.id)) ? [{ event, row }] : [];
      });
    },
    follow,
  );
}

/**
 * The facts of a batch's documents (`ids` sorted), read once per advance of the hub (`tick`) for
 * the subscribers of the process and the audience index alike.
 */
export function batchFacts(memo: BatchMemo, tick: string, ids: readonly string[], em: () => EntityManager): Promise<Map<string, DocumentFacts>> {
  return memo.get(`facts|${tick}|${ids.join(',')}`, () => loadDocumentFacts(em(), ids));
}

const decided = new WeakMap<object, WeakMap<object, Set<string>>>();

/** The documents among `ids` the subscriber may read now: in memory from the batch's shared facts when its rules allow, else by the database. */
async function readableDocuments(ctx: Context, live: LiveChannel, tick: string, ids: string[]): Promise<ReadonlySet<string>> {
  const plan = readPlan(ctx.ability);
  if (!plan.exact) return live.memo.get(`readable|${ctx.sessionId}|${tick}|${ids.join(',')}`, async () => readableDocumentKeys(ctx, ids));
  const facts = await batchFacts(live.memo, tick, ids, () => ctx.em.fork());
  // Subscribers sharing an ability (one session, one batch) share the answer.
  let byAbility = decided.get(facts);
  if (!byAbility) decided.set(facts, (byAbility = new WeakMap()));
  let out = byAbility.get(ctx.ability);
  if (!out) {
    out = new Set<string>();
    for (const id of ids) {
      const f = facts.get(id);
      if (f && readableBy(ctx.ability, plan, f)) out.add(id);
    }
    byAbility.set(ctx.ability, out);
  }
  return out;
}

/**
 * Follows the hub's ordered stream from `start` (or from now: what was committed before is not
 * replayed), batch by batch. After the subscriber's session is checked again, `take` authorises the
 * batch's matching events and gives the rows to deliver, in stream order; the cursor moves past an
 * event once it is handed out, so a lost connection (ridden out, see {@link Outage}) never skips or
 * repeats one, and a client that stops taking events is closed (4429). Every live stream is this loop.
 */
export async function* followStream<R>(
  ctx: Context,
  live: LiveChannel,
  waker: Waker,
  start: Position | null,
  matches: (e: StreamEvent) => boolean,
  take: (wanted: StreamEvent[], tick: string) => Promise<Array<{ event: StreamEvent; row: R }>>,
  /** How the stream is woken; by default at every advance of the hub. Returns the way to stop. */
  follow: (wake: () => void) => () => void = (wake) => live.hub.onAdvance(wake),
): AsyncGenerator<R> {
  const hub = live.hub;
  let cursor: Position;
  if (start) cursor = start;
  else {
    // "From now": first read everything committed before the subscription, so it is not replayed as live.
    await hub.settle();
    cursor = hub.head;
  }
  const off = follow(waker.wake);
  const guard = slowClientGuard(live);
  const outage = new Outage();
  try {
    for (;;) {
      await waker.wait();
      if (waker.stopped) return;
      try {
        for (;;) {
          const batch = await hub.eventsAfter(cursor, BATCH);
          if (batch.length === 0) break;
          const wanted = batch.filter(matches);
          if (wanted.length) {
            const tick = encodeCursor(hub.head);
            if (!(await live.refresh(ctx, tick))) return;
            for (const { event, row } of await take(wanted, tick)) {
              cursor = event.position;
              guard.handedOut();
              yield row;
              guard.taken();
            }
          }
          cursor = batch[batch.length - 1].position;
          if (comparePositions(cursor, hub.head) >= 0) break;
        }
        outage.over();
      } catch (err) {
        if (!(await outage.ride(err, live, waker))) return;
      }
    }
  } finally {
    guard.stop();
    off();
  }
}

/** The subscriber's inbox counts: now, then whenever routing events change them. */
export function inboxCountsChanged(ctx: Context): AsyncIterableIterator<Record<string, number>> {
  const channel = requireLiveViewer(ctx, ctx.live);
  return live((waker) => streamInboxCounts(ctx, channel, waker));
}

async function* streamInboxCounts(ctx: Context, live: LiveChannel, waker: Waker): AsyncGenerator<Record<string, number>> {
  const off = live.hub.onAdvance(waker.wake);
  const guard = slowClientGuard(live);
  const outage = new Outage();
  let last = '';
  try {
    for (;;) {
      await waker.wait();
      if (waker.stopped) return;
      const tick = encodeCursor(live.hub.head);
      let counts: Record<string, number>;
      try {
        if (!(await live.refresh(ctx, tick))) return;
        counts = await live.memo.get(`counts|${ctx.sessionId}|${tick}`, () => inboxCounts(ctx));
        outage.over();
      } catch (err) {
        if (!(await outage.ride(err, live, waker))) return;
        continue;
      }
      const key = JSON.stringify(counts);
      if (key !== last) {
        last = key;
        guard.handedOut();
        yield counts;
        guard.taken();
      }
      // Counts move in bursts: look again at most every 200 ms.
      await new Promise((r) => setTimeout(r, 200).unref());
    }
  } finally {
    guard.stop();
    off();
  }
}
