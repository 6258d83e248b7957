/** Outgoing documents a viewer may read or act on: the filters, and the lookups built on them. */
import type { FilterQuery } from '@mikro-orm/core';
import { OutgoingDocument } from '../../entities';
import type { Action } from '../domain/permissions/ability';
import { allOf, allowed, type Viewing } from './where';

type Where = FilterQuery<OutgoingDocument>;

/** The outgoing documents matching `conditions` on which the viewer may take `action` (`read` for what they may see). */
export function outgoingWhere(viewing: Pick<Viewing, 'ability'>, action: Action, ...conditions: Where[]): Where {
  return allOf<OutgoingDocument>(...conditions, allowed<OutgoingDocument>(viewing, action, 'OutgoingDocument'));
}

/** The outgoing document with this primary key if the viewer may take `action` on it (read it, by default), else null. */
export function findOutgoingFor(viewing: Viewing, key: string, action: Action = 'read'): Promise<OutgoingDocument | null> {
  return viewing.em.findOne(OutgoingDocument, outgoingWhere(viewing, action, { id: key }));
}
