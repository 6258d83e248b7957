import type { FilterQuery } from '@mikro-orm/core';
import { IncomingDocument, OutgoingDocument, type Document, type Register } from '../../entities';
import type { Context } from '../context';
import { Direction } from '../domain/documents/document-enums';
import { accessibleWhere } from './membership-filter';
import { paginate, type Page } from '../graphql/pagination';
import { requireViewer } from './guards';

/**
 * The entries of a register in number order: every document that took one of its numbers, the
 * annulled ones included (they keep their number and show `annulledAt`), limited to what the viewer
 * may read. Numbers are never reused or skipped, so a clerk's listing runs 1..lastNumber.
 */
export async function registerEntries(ctx: Context, register: Register, first?: number | null, after?: string | null): Promise<Page<Document>> {
  requireViewer(ctx);
  if (register.direction === Direction.INCOMING) {
    const readable = accessibleWhere(ctx.ability, 'read', 'IncomingDocument');
    const where = { $and: [{ register: register.id, arrivalNumber: { $ne: null } }, readable] } as FilterQuery<IncomingDocument>;
    return paginate(ctx.em, IncomingDocument, where, { key: 'arrivalNumber', first, after, direction: 'asc' });
  }
  const readable = accessibleWhere(ctx.ability, 'read', 'OutgoingDocument');
  const where = { $and: [{ register: register.id, issueNumber: { $ne: null } }, readable] } as FilterQuery<OutgoingDocument>;
  return paginate(ctx.em, OutgoingDocument, where, { key: 'issueNumber', first, after, direction: 'asc' });
}
