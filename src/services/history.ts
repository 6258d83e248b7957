import type { EntityManager } from '@mikro-orm/postgresql';
import { RoutingEvent, type Assignment, type Document, type IncomingDocument } from '../../entities';
import { Direction, type DocumentState, type RoutingEventKind } from '../domain/documents/document-enums';
import type { IncomingState } from '../domain/incoming/routing';
import type { OutgoingState } from '../domain/outgoing/workflow';
import type { Context } from '../context';
import { reportStatusIfDue } from './exchange-outbox';

/** A document's state, as routing events record it (the GraphQL enum DocumentState holds them all). */
export type EventState = IncomingState | OutgoingState | DocumentState;

/**
 * Writes a routing event in the caller's transaction: it commits with the change it describes or not at all.
 * `from` and `to` are the document's states before and after.
 */
export function recordEvent(
  em: EntityManager,
  ctx: Pick<Context, 'viewer' | 'app'>,
  document: Document,
  type: RoutingEventKind,
  from: EventState | null,
  to: EventState | null,
  note: string | null,
  assignment?: Assignment,
): RoutingEvent {
  // A document received from a peer reports its new status back to the sender, in this transaction.
  // (By direction, not by class: a document first met as an assignment's reference is a plain Document.)
  if (document.direction === Direction.INCOMING && reportStatusIfDue(em, document as IncomingDocument, to, note)) ctx.app.exchange?.wake();
  return em.create(RoutingEvent, {
    document,
    assignment: assignment ?? null,
    type,
    actor: ctx.viewer?.accountId ?? null,
    fromState: from,
    toState: to,
    note,
    at: ctx.app.clock.now(),
  });
}
