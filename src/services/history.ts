import { RoutingEvent, type Assignment, type Document, type IncomingDocument } from '../../entities';
import { Direction, type DocumentState, type RoutingEventKind } from '../domain/documents/document-enums';
import type { IncomingState } from '../domain/incoming/routing';
import type { OutgoingState } from '../domain/outgoing/workflow';
import type { Context } from '../context';
import type { Tx } from '../transaction';
import { reportStatusIfDue } from '../exchange/outbox';

/** A document's state, as routing events record it (the GraphQL enum DocumentState holds them all). */
export type EventState = IncomingState | OutgoingState | DocumentState;

/**
 * Writes a routing event in the caller's transaction: it commits with the change it describes or not at all.
 * `from` and `to` are the document's states before and after.
 */
export function recordEvent(
  tx: Tx<Pick<Context, 'viewer' | 'app' | 'em'>>,
  document: Document,
  type: RoutingEventKind,
  from: EventState | null,
  to: EventState | null,
  note: string | null,
  assignment?: Assignment,
): RoutingEvent {
  // A document received from a peer reports its new status back to the sender, in this transaction.
  // (By direction, not by class: a document first met as an assignment's reference is a plain Document.)
  // The sender is woken once the status is committed (it also polls).
  const { em } = tx;
  if (document.direction === Direction.INCOMING && reportStatusIfDue(em, document as IncomingDocument, to, note)) tx.afterCommit(() => tx.app.exchange?.wake());
  return em.create(RoutingEvent, {
    document,
    assignment: assignment ?? null,
    type,
    actor: tx.viewer?.accountId ?? null,
    fromState: from,
    toState: to,
    note,
    at: tx.app.clock.now(),
  });
}
