import type { Logger } from 'pino';
import { factKeys, type DocumentFacts, type ReadPlan } from './audience';
import { ORIGIN, type EventHub, type Position, type StreamEvent } from './event-hub';
import { TOLD_AFTER_ACCESS_ENDS } from './withdrawal-notices';

/** A routing-event subscriber as the index sees it. */
export interface AudienceMember {
  /** Wakes the subscriber's stream: it then reads, authorises and delivers from its own cursor as always. */
  wake(): void;
  /** Whether an event passes the subscription's own filter (kind, type, document, unit). */
  matches(e: StreamEvent): boolean;
  /** The read plan of the subscriber's current ability (src/events/audience.ts). */
  plan(): ReadPlan;
}

/** What a subscriber holds while it is in the index. */
export interface Membership {
  /**
   * Called after the subscriber's session was checked again: it is filed under the keys of its new
   * ability, unless rights changed since the check began (`epoch`, the index's {@link AudienceIndex.epoch}
   * then), whose result may then be stale.
   */
  replan(epoch: number): void;
  leave(): void;
}

interface Entry {
  member: AudienceMember;
  /** The plan the entry is filed under; null while it is among those woken for every event. */
  keys: ReadonlySet<string> | null;
  plan: ReadPlan;
}

/** The plan of a subscriber whose rules are not known yet: woken for every event. */
const UNKNOWN: ReadPlan = { exact: false, any: false, keys: new Set() };

/** How often subscribers that were not woken are all woken once, when events were passed over meanwhile (ms). */
export const SWEEP_MS = 15_000;

/**
 * Wakes, for each advance of the event hub, only the routing-event subscribers that may be concerned:
 * its audience. The documents of the new events are read once (their facts: keeping unit, state,
 * drafter, assignees and their units, recipients), and each document's ids are looked up among the
 * ids the subscribers' read rules name (their read plans); subscribers whose rules the facts cannot
 * decide, or that may read any document, are woken for every event that passes their filter.
 * A batch thus costs work per concerned subscriber, not per open subscription.
 *
 * Waking is only a hint: a woken subscriber reads everything after its own cursor and authorises each
 * event as before, so a subscriber passed over never loses an event, it takes it later. Later is
 * bounded: every subscriber is woken, and woken for every event until its session is checked again,
 * when rights change anywhere ({@link rightsChanged}, on the revocation channel's notices of a changed
 * viewer and when that channel reconnects), when the hub's memory no longer
 * holds the new events, when a withdrawal may have to be told, when the facts could not be read, and
 * every {@link SWEEP_MS} while events were passed over (which also keeps cursors within the hub's memory).
 */
export class AudienceIndex {
  private readonly entries = new Set<Entry>();
  private readonly byKey = new Map<string, Set<Entry>>();
  private readonly everyone = new Set<Entry>();
  private seen: Position = ORIGIN;
  private dispatching: Promise<void> | null = null;
  private again = false;
  private passedOver = false;
  private readonly off: () => void;
  private readonly sweep: NodeJS.Timeout;
  /**
   * Bumped by every change of rights: a session check that began in an earlier epoch may have read the
   * rights from before the change, so a plan built from it is not trusted (see {@link Membership.replan}).
   */
  epoch = 0;
  /** Wake-ups given and withheld since the start, for tests and metrics. */
  readonly stats = { woken: 0, passedOver: 0, wokenAll: 0 };

  constructor(
    private readonly hub: Pick<EventHub, 'head' | 'onAdvance' | 'eventsInMemory'>,
    private readonly loadFacts: (ids: string[]) => Promise<Map<string, DocumentFacts>>,
    private readonly log: Logger,
    sweepMs = SWEEP_MS,
  ) {
    this.seen = hub.head;
    this.off = hub.onAdvance(() => this.advance());
    this.sweep = setInterval(() => this.sweepPassedOver(), sweepMs);
    this.sweep.unref();
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * A subscriber joins filed under the keys of the ability it was given, when the session check that
   * built it began in the current rights epoch (`checkedIn`); otherwise it is woken for every event
   * until its next check files it.
   */
  join(member: AudienceMember, checkedIn: number): Membership {
    const entry: Entry = { member, keys: null, plan: checkedIn === this.epoch ? member.plan() : UNKNOWN };
    this.entries.add(entry);
    this.file(entry);
    return {
      replan: (epoch: number) => {
        if (epoch !== this.epoch) return;
        const plan = member.plan();
        if (plan === entry.plan || !this.entries.has(entry)) return;
        this.unfile(entry);
        entry.plan = plan;
        this.file(entry);
      },
      leave: () => {
        if (!this.entries.delete(entry)) return;
        this.unfile(entry);
      },
    };
  }

  /**
   * Rights, units, roles or sessions changed somewhere (or their notices may have been missed): until a
   * subscriber's session is checked again and it files itself anew ({@link Membership.replan}), its
   * plan may be stale, so it is woken for every event, as if its rules named ids the facts cannot
   * decide; and everyone is woken now.
   */
  rightsChanged(): void {
    this.epoch++;
    for (const entry of this.entries) {
      this.unfile(entry);
      entry.plan = UNKNOWN;
      this.file(entry);
    }
    this.wakeAll();
  }

  /** Wakes every subscriber. */
  wakeAll(): void {
    this.passedOver = false;
    this.stats.wokenAll++;
    for (const e of this.entries) e.member.wake();
  }

  /** Wakes everyone if events were passed over since everyone was last woken (every {@link SWEEP_MS}). */
  sweepPassedOver(): void {
    if (this.passedOver) this.wakeAll();
  }

  stop(): void {
    this.off();
    clearInterval(this.sweep);
  }

  private file(entry: Entry): void {
    const { plan } = entry;
    if (!plan.exact || plan.any) {
      entry.keys = null;
      this.everyone.add(entry);
      return;
    }
    entry.keys = plan.keys;
    for (const k of plan.keys) {
      let set = this.byKey.get(k);
      if (!set) this.byKey.set(k, (set = new Set()));
      set.add(entry);
    }
  }

  private unfile(entry: Entry): void {
    if (!entry.keys) {
      this.everyone.delete(entry);
      return;
    }
    for (const k of entry.keys) {
      const set = this.byKey.get(k);
      set?.delete(entry);
      if (set?.size === 0) this.byKey.delete(k);
    }
    entry.keys = null;
  }

  /** Dispatches one advance at a time; advances during a dispatch are taken together by the next. */
  private advance(): void {
    if (this.dispatching) {
      this.again = true;
      return;
    }
    this.dispatching = this.dispatch()
      .catch((err) => {
        // Never leave a subscriber behind because of the index: wake them all and let each stream decide.
        this.log.warn({ err }, 'choosing the audience of new routing events failed; every subscriber is woken');
        this.wakeAll();
      })
      .finally(() => {
        this.dispatching = null;
        if (this.again) {
          this.again = false;
          this.advance();
        }
      });
  }

  private async dispatch(): Promise<void> {
    const events = this.hub.eventsInMemory(this.seen);
    this.seen = this.hub.head;
    if (!events) return this.wakeAll();
    const documents = events.filter((e) => e.kind === 'document');
    if (!documents.length) {
      // Nothing for a routing-event subscriber; their cursors move past these at the next sweep.
      if (this.entries.size) this.passedOver = true;
      return;
    }
    const woken = new Set<Entry>();
    const wake = (entry: Entry, candidates: readonly StreamEvent[]) => {
      if (!woken.has(entry) && candidates.some((e) => entry.member.matches(e))) {
        woken.add(entry);
        entry.member.wake();
      }
    };
    // Whoever is not woken now takes these events later (see the class's comment). Counted over the
    // subscribers still there (some may have left while the facts were read), in work per woken one.
    const passOver = () => {
      let present = 0;
      for (const entry of woken) if (this.entries.has(entry)) present++;
      const missed = this.entries.size - present;
      this.stats.woken += woken.size;
      this.stats.passedOver += missed;
      if (missed > 0) this.passedOver = true;
    };
    if (documents.some((e) => TOLD_AFTER_ACCESS_ENDS.has(e.type))) {
      // Told to whoever held the withdrawn assignment, who may read nothing of the document any more.
      for (const entry of this.entries) wake(entry, documents);
      return passOver();
    }
    for (const entry of this.everyone) wake(entry, documents);
    if (!this.byKey.size) return passOver();
    const facts = await this.loadFacts([...new Set(documents.map((e) => e.documentId))]);
    const byEntry = new Map<Entry, StreamEvent[]>();
    for (const e of documents) {
      const f = facts.get(e.documentId);
      // A document without facts (gone meanwhile) has no audience to name: every filed subscriber whose filter matches decides for itself.
      const keys = f ? factKeys(f) : [...this.byKey.keys()];
      for (const k of keys)
        for (const entry of this.byKey.get(k) ?? []) {
          const list = byEntry.get(entry);
          if (list) {
            if (list[list.length - 1] !== e) list.push(e);
          } else byEntry.set(entry, [e]);
        }
    }
    for (const [entry, candidates] of byEntry) wake(entry, candidates);
    passOver();
  }
}
