import { WorkScheduleEvent } from '../../entities';
import type { Context } from '../context';
import { badInput } from '../errors';
import { ScheduleEventKind } from '../domain/schedule/schedule-rules';
import { keyOf } from '../graphql/global-id';
import { allowed, entriesOf, factsOf, type ScheduleFacts } from '../services/schedule-access';
import { decodeCursor, type Position, type StreamEvent } from './event-hub';
import { followStream, live, requireLiveViewer, type LiveChannel, type Waker } from './subscriptions';

/**
 * The work schedule events the subscriber may read at the moment of delivery (the version the event
 * is about, under the schedule rules then in force): those after `after` first, then live ones. They
 * travel in the same stream as the routing events, so a `routingEventsCursor` read with the data is a
 * valid `after`, and a cursor resumes on any server.
 */
export function workScheduleEvents(
  ctx: Context,
  after: string | null | undefined,
  unitId: string | null | undefined,
): AsyncIterableIterator<WorkScheduleEvent> {
  const channel = requireLiveViewer(ctx, ctx.live);
  let start: Position | null = null;
  if (after) {
    start = decodeCursor(after);
    if (!start) throw badInput('after is not a cursor of the event stream.', 'after');
  }
  const unit = unitId ? keyOf('Unit', unitId, 'unitId') : null;
  return live((waker) => stream(ctx, channel, waker, start, unit));
}

async function* stream(ctx: Context, live: LiveChannel, waker: Waker, start: Position | null, unitId: string | null): AsyncGenerator<WorkScheduleEvent> {
  const matches = (e: StreamEvent) => e.kind === 'schedule' && (!unitId || e.keepingUnitId === unitId);
  yield* followStream(ctx, live, waker, start, matches, async (wanted, tick) => {
    const ids = wanted.map((e) => e.id);
    // Rows and the facts of their versions are the same for every subscriber of the batch (taken after it was committed).
    const rows = await live.memo.get(`schedule-rows|${tick}|${ids.join(',')}`, () => loadRows(ctx, ids));
    return wanted.flatMap((event) => {
      const row = rows.get(event.id);
      return row && ctx.viewer && allowed(ctx, ctx.viewer, 'read', row.facts) ? [{ event, row: row.event }] : [];
    });
  });
}

async function loadRows(ctx: Context, ids: string[]): Promise<Map<string, { event: WorkScheduleEvent; facts: ScheduleFacts }>> {
  const em = ctx.em.fork();
  const events = await em.find(WorkScheduleEvent, { id: { $in: ids } }, { populate: ['schedule', 'version'] });
  const out = new Map<string, { event: WorkScheduleEvent; facts: ScheduleFacts }>();
  const factsByVersion = new Map<string, ScheduleFacts>();
  for (const event of events) {
    let facts = factsByVersion.get(event.version.id);
    if (!facts) {
      facts = factsOf(event.schedule, event.version, await entriesOf(em, event.version.id));
      factsByVersion.set(event.version.id, facts);
    }
    // Who may read an event is judged as of the event, not as of now: a SUBMITTED or RETURNED event of a
    // version published since stays with those who draft and approve; only publication reaches readers.
    out.set(event.id, { event, facts: { ...facts, published: announcesPublication(event.type) } });
  }
  return out;
}

/** Whether an event publishes a version (and so may reach every reader of the published schedule). */
function announcesPublication(type: string): boolean {
  return type === ScheduleEventKind.PUBLISHED || type === ScheduleEventKind.REVISED;
}
