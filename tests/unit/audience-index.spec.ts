import pino from 'pino';
import type { DocumentFacts, ReadPlan } from '../../src/events/audience';
import { AudienceIndex, type AudienceMember } from '../../src/events/audience-index';
import { comparePositions, ORIGIN, type Position, type StreamEvent } from '../../src/events/event-hub';

/**
 * The audience index (src/events/audience-index.ts) decides whom an advance of the hub wakes. Waking is
 * a hint (a woken stream authorises every event itself), so what matters is that nobody who may be
 * concerned is left asleep: checked here with a hub in memory and facts given by the test.
 */
class FakeHub {
  head: Position = ORIGIN;
  private readonly events: StreamEvent[] = [];
  private readonly listeners = new Set<() => void>();
  /** Memory holds events after this position only. */
  memoryFrom: Position = ORIGIN;
  onAdvance(cb: () => void) {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  eventsInMemory(after: Position): StreamEvent[] | null {
    if (comparePositions(after, this.memoryFrom) < 0) return null;
    return this.events.filter((e) => comparePositions(e.position, after) > 0);
  }
  commit(...events: Array<Pick<StreamEvent, 'documentId' | 'type'> & Partial<StreamEvent>>) {
    for (const e of events) {
      const id = BigInt(this.events.length + 1);
      this.events.push({ kind: 'document', keepingUnitId: 'agency', id: String(id), position: { txid: id, id }, ...e });
    }
    this.head = this.events[this.events.length - 1].position;
    for (const l of this.listeners) l();
  }
}

const facts = (id: string, keepingUnit: string, assignees: string[] = []): DocumentFacts => ({
  id,
  direction: 'INCOMING',
  keepingUnit,
  state: 'IN_PROGRESS',
  draftingUnit: null,
  drafter: null,
  assignments: assignees.map((a) => ({ assignee: a, scopeUnit: null, assigneeUnit: 'dept', active: true })),
  recipients: [],
});

const keyed = (...keys: string[]): ReadPlan => ({ exact: true, any: false, keys: new Set(keys) });
const ANY: ReadPlan = { exact: true, any: true, keys: new Set() };
const INEXACT: ReadPlan = { exact: false, any: false, keys: new Set() };

function member(plan: ReadPlan, matches: (e: StreamEvent) => boolean = () => true) {
  const m = { woken: 0, plan, wake: () => m.woken++, matches };
  const asMember: AudienceMember = { wake: () => m.wake(), matches: (e) => m.matches(e), plan: () => m.plan };
  return Object.assign(m, { asMember });
}

/** Joins with an ability from a session check of the current rights epoch, as a new stream usually does. */
function joined(index: AudienceIndex, m: ReturnType<typeof member>) {
  return index.join(m.asMember, index.epoch);
}

const settle = () => new Promise((r) => setTimeout(r, 10));
const log = pino({ level: 'silent' });

describe('the audience index', () => {
  let hub: FakeHub;
  let known: Map<string, DocumentFacts>;
  let reads: string[][];
  let index: AudienceIndex;
  beforeEach(() => {
    hub = new FakeHub();
    known = new Map([
      ['d1', facts('d1', 'agency', ['alice'])],
      ['d2', facts('d2', 'centre', ['bob'])],
    ]);
    reads = [];
    index = new AudienceIndex(
      hub,
      async (ids) => {
        reads.push(ids);
        return factsOf(ids);
      },
      log,
    );
  });
  afterEach(() => index.stop());

  const factsOf = (ids: string[]) => new Map(ids.flatMap((id) => (known.has(id) ? [[id, known.get(id)!] as const] : [])));
  /** Commits an event, lets the index dispatch it, and tells how many times `m` has been woken so far. */
  const wokenAfter = async (documentId: string, type: string, m: { woken: number }) => {
    hub.commit({ documentId, type });
    await settle();
    return m.woken;
  };

  it('wakes a subscriber only for documents whose ids its rules name, and those who may read anything or whose rules the facts cannot decide for every event', async () => {
    const alice = member(keyed('alice'));
    const centre = member(keyed('centre'));
    const carol = member(keyed('carol'));
    const director = member(ANY);
    const custom = member(INEXACT);
    for (const m of [alice, centre, carol, director, custom]) joined(index, m);
    hub.commit({ documentId: 'd1', type: 'ASSIGNED' });
    await settle();
    expect([alice.woken, centre.woken, carol.woken, director.woken, custom.woken]).toEqual([1, 0, 0, 1, 1]);
    hub.commit({ documentId: 'd2', type: 'PROGRESS' });
    await settle();
    expect([alice.woken, centre.woken, carol.woken, director.woken, custom.woken]).toEqual([1, 1, 0, 2, 2]);
    // One read of the facts per advance, of the new events' documents only.
    expect(reads).toEqual([['d1'], ['d2']]);
    expect(index.stats.passedOver).toBe(4);
  });

  it('respects the subscription’s own filter before waking', async () => {
    const onlyD2 = member(ANY, (e) => e.documentId === 'd2');
    joined(index, onlyD2);
    expect(await wokenAfter('d1', 'PROGRESS', onlyD2)).toBe(0);
    expect(await wokenAfter('d2', 'PROGRESS', onlyD2)).toBe(1);
  });

  it('wakes everyone for a withdrawal (told to a holder who may no longer read the document), when memory no longer holds the new events, and when the facts cannot be read', async () => {
    const carol = member(keyed('carol'));
    joined(index, carol);
    expect(await wokenAfter('d1', 'ASSIGNMENT_WITHDRAWN', carol)).toBe(1);

    hub.memoryFrom = { txid: 100n, id: 100n };
    expect(await wokenAfter('d1', 'PROGRESS', carol)).toBe(2);
    hub.memoryFrom = ORIGIN;

    const failing = new AudienceIndex(hub, () => Promise.reject(new Error('connection lost')), log);
    const dave = member(keyed('dave'));
    joined(failing, dave);
    expect(await wokenAfter('d1', 'PROGRESS', dave)).toBe(1);
    failing.stop();
  });

  it('wakes the subscribers of a document whose facts are gone, whatever their keys', async () => {
    const carol = member(keyed('carol'));
    joined(index, carol);
    expect(await wokenAfter('gone', 'PROGRESS', carol)).toBe(1);
  });

  it('files a subscriber again when its rules change, and forgets one that left', async () => {
    const m = member(keyed('carol'));
    const membership = joined(index, m);
    expect(await wokenAfter('d1', 'PROGRESS', m)).toBe(0);
    m.plan = keyed('alice');
    membership.replan(index.epoch);
    expect(await wokenAfter('d1', 'PROGRESS', m)).toBe(1);
    membership.leave();
    expect(index.size).toBe(0);
    expect(await wokenAfter('d1', 'PROGRESS', m)).toBe(1);
  });

  it('after a change of rights, wakes everyone at once and for every event until each has filed itself again', async () => {
    const carol = member(keyed('carol'));
    const membership = joined(index, carol);
    index.rightsChanged();
    expect(carol.woken).toBe(1);
    // Its rules may name d1 now: woken for it, until its session is checked again.
    expect(await wokenAfter('d1', 'PROGRESS', carol)).toBe(2);
    membership.replan(index.epoch);
    expect(await wokenAfter('d1', 'PROGRESS', carol)).toBe(2);
  });

  it('wakes everyone at the sweep only when events were passed over', async () => {
    const carol = member(keyed('carol'));
    joined(index, carol);
    index.wakeAll();
    expect(carol.woken).toBe(1);
    // Nothing passed over: the sweep wakes nobody.
    index.sweepPassedOver();
    expect(carol.woken).toBe(1);
    expect(await wokenAfter('d1', 'PROGRESS', carol)).toBe(1);
    // Passed over for d1, then woken once by the sweep, which catches its cursor up; once only.
    index.sweepPassedOver();
    index.sweepPassedOver();
    expect(carol.woken).toBe(2);
  });

  it('a session check that began before a change of rights files nothing: the subscriber stays woken for every event', async () => {
    const carol = member(keyed('carol'));
    const membership = joined(index, carol);
    const began = index.epoch;
    index.rightsChanged();
    // The check returns the rules from before the change.
    membership.replan(began);
    expect(await wokenAfter('d1', 'PROGRESS', carol)).toBe(2);
  });

  it('joins woken for every event until its next session check when its ability was built before a change of rights', async () => {
    const carol = member(keyed('carol'));
    const built = index.epoch;
    index.rightsChanged();
    index.join(carol.asMember, built);
    expect(await wokenAfter('d1', 'PROGRESS', carol)).toBe(1);
  });

  it('counts as passed over a subscriber not woken even when another left, or was filed anew, while the facts were read', async () => {
    let release!: () => void;
    const slow = new AudienceIndex(
      hub,
      async (ids) => {
        await new Promise<void>((r) => (release = r));
        return factsOf(ids);
      },
      log,
    );
    const leaving = member(INEXACT);
    const leavingMembership = joined(slow, leaving);
    const bystander = member(keyed('carol'));
    joined(slow, bystander);
    expect(await wokenAfter('d1', 'PROGRESS', leaving)).toBe(1);
    leavingMembership.leave();
    release();
    await settle();
    expect(bystander.woken).toBe(0);
    slow.sweepPassedOver();
    expect(bystander.woken).toBe(1);
    slow.stop();
  });
});
