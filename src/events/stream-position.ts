import type { EntityManager } from '@mikro-orm/postgresql';
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Context } from '../context';
import { encodeCursor, type Position } from './event-hub';
import { STREAM_HORIZON } from './horizon';

/** The query field that gives the stream position consistent with the data read beside it. */
export const STREAM_POSITION_FIELD = 'routingEventsCursor';

/** The largest event id a cursor can name (bigint). */
export const MAX_EVENT_ID = 2n ** 63n - 1n;

/**
 * The position just before every transaction that was still running, or not yet begun, when a snapshot
 * with this `xmin` was taken.
 *
 * Why it is safe (`xmin` being the horizon of {@link STREAM_HORIZON}). Every transaction of this database
 * with an id below `xmin` had ended (committed or aborted) when the snapshot was taken, so every
 * statement that starts afterwards sees all of their committed events. One running at that moment
 * has an id of at least `xmin` (that is how the horizon is chosen), and one that takes its id later
 * gets one above every id handed out so far, so also at least `xmin`. The events after
 * `(xmin - 1, max bigint)` are exactly those of transactions with ids of at least `xmin`: nothing the
 * data read afterwards could have missed falls before the cursor. A subscription that starts after
 * it therefore misses nothing; it may replay a few events that the data already reflects (those of
 * transactions that committed between the snapshot and the reads): at least once at the seam, never
 * a gap. Clients that must not apply an event twice skip ids they have seen.
 */
export function positionBefore(xmin: bigint): Position {
  return { txid: xmin - 1n, id: MAX_EVENT_ID };
}

/** Reads the horizon now, on a pooled connection (autocommit: a fresh snapshot). */
export async function currentStreamPosition(em: EntityManager): Promise<Position> {
  const rows = await em.getConnection().execute<{ xmin: string }[]>(`select ${STREAM_HORIZON}::text as xmin`, [], 'all', em.getTransactionContext());
  return positionBefore(BigInt(rows[0].xmin));
}

const memo = new WeakMap<Context, Promise<string>>();

/**
 * The request's stream position, read once per request: the first caller reads it, later callers of
 * the same request share it. A failure is shared too, so the cursor field reports it.
 */
export function requestStreamCursor(ctx: Context): Promise<string> {
  let p = memo.get(ctx);
  if (!p) {
    p = currentStreamPosition(ctx.em).then(encodeCursor);
    // Whoever awaits it reports the error; an unawaited rejection must not crash the process.
    p.catch(() => undefined);
    memo.set(ctx, p);
  }
  return p;
}

/**
 * Whether the operation selects `field` at its top level (through inline fragments and fragment
 * spreads too, whatever the alias). Directives are ignored: reading the position when it is skipped
 * costs one statement and changes nothing.
 */
export function selectsTopLevelField(document: DocumentNode, operation: OperationDefinitionNode, field: string): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode): boolean =>
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === field;
      if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet);
      const name = s.name.value;
      if (seen.has(name)) return false;
      seen.add(name);
      const f = fragments.get(name);
      return f ? walk(f.selectionSet) : false;
    });
  return walk(operation.selectionSet);
}

/** The operation a request runs: the named one, or the only one. */
export function operationOf(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return ops.find((o) => o.name?.value === operationName);
  return ops.length === 1 ? ops[0] : undefined;
}

/**
 * Top-level query fields are resolved concurrently, so the cursor field cannot count on running
 * before the data fields. Called before execution starts (Apollo's `didResolveOperation`, and the
 * WebSocket endpoint's execute): when the query asks for the position, it is read first, and every
 * data statement of the request runs after it. Failures are left for the field to report.
 */
export async function readStreamPositionFirst(ctx: Context, document: DocumentNode, operation: OperationDefinitionNode | undefined): Promise<void> {
  // Without a session the field is refused anyway: no statement for it.
  if (!ctx.viewer || !operation || operation.operation !== 'query') return;
  if (!selectsTopLevelField(document, operation, STREAM_POSITION_FIELD)) return;
  await requestStreamCursor(ctx).catch(() => undefined);
}
