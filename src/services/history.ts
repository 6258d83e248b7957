import type { EntityManager } from '@mikro-orm/postgresql';
import { RoutingEvent, type Assignment, type Document } from '../../entities';
import type { Context } from '../context';

/**
 * Writes a routing event in the caller's transaction: it commits with the change it describes or not at all.
 * `from` and `to` are the document's states before and after.
 */
export function recordEvent(
  em: EntityManager,
  ctx: Context,
  document: Document,
  type: string,
  from: string | null,
  to: string | null,
  note: string | null,
  assignment?: Assignment,
): RoutingEvent {
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
