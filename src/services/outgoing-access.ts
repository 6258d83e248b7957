/**
 * Which outgoing documents the viewer may read, and act on: the one place the services and resolvers
 * ask, so the rule is written once (CASL's read rule as a filter, then the action on the facts).
 */
import { subject } from '@casl/ability';
import { OutgoingDocument } from '../../entities';
import type { Context } from '../context';
import type { Action } from '../domain/permissions/ability';
import { accessibleWhere } from './membership-filter';
import { AppError, ErrorCode, forbidden } from '../errors';
import { keyOf } from '../graphql/global-id';
import { requireViewer } from './guards';

export const NOT_FOUND = () => new AppError(ErrorCode.NOT_FOUND, 'No document was found with this id, or you may not see it.');

/** An outgoing document the viewer may read, or null. */
export async function readableOutgoingOrNull(ctx: Context, key: string): Promise<OutgoingDocument | null> {
  if (!ctx.viewer) return null;
  return ctx.em.findOne(OutgoingDocument, { $and: [{ id: key }, accessibleWhere(ctx.ability, 'read', 'OutgoingDocument')] });
}

/** An outgoing document the viewer may read, or NOT_FOUND. */
export async function findReadableOutgoing(ctx: Context, id: string, argument = 'id'): Promise<OutgoingDocument> {
  requireViewer(ctx);
  const doc = await readableOutgoingOrNull(ctx, keyOf('OutgoingDocument', id, argument));
  if (!doc) throw NOT_FOUND();
  return doc;
}

/** A readable outgoing document on which the viewer may take `action`: NOT_FOUND when unreadable, FORBIDDEN when only the action is refused. */
export async function findFor(ctx: Context, id: string, action: Action): Promise<OutgoingDocument> {
  const doc = await findReadableOutgoing(ctx, id);
  const facts = { keepingUnit: doc.keepingUnit.id, draftingUnit: doc.draftingUnit.id, drafter: doc.drafter.id, state: doc.state };
  if (!ctx.ability.can(action, subject('OutgoingDocument', facts) as never)) throw forbidden();
  return doc;
}
