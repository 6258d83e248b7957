/** Incoming documents a viewer may read or act on: the filters, and the lookups built on them. */
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Assignment, IncomingDocument } from '../../entities';
import type { Action } from '../domain/permissions/ability';
import { IncomingState } from '../domain/incoming/routing';
import { escapeLike } from '../services/input-checks';
import { allOf, allowed, type Viewing } from './where';

type Where = FilterQuery<IncomingDocument>;

/** The incoming documents matching `conditions` on which the viewer may take `action` (`read` for what they may see). */
export function incomingWhere(viewing: Pick<Viewing, 'ability'>, action: Action, ...conditions: Where[]): Where {
  return allOf<IncomingDocument>(...conditions, allowed<IncomingDocument>(viewing, action, 'IncomingDocument'));
}

/** The incoming document with this primary key if the viewer may read it, else null. */
export function findReadableIncoming(viewing: Viewing, key: string): Promise<IncomingDocument | null> {
  return viewing.em.findOne(IncomingDocument, incomingWhere(viewing, 'read', { id: key }));
}

/** Whether the viewer may read the incoming document with this key (read through `em`, e.g. a transaction's). */
export async function isReadableIncoming(viewing: Viewing, key: string, em: EntityManager = viewing.em): Promise<boolean> {
  return (await em.count(IncomingDocument, incomingWhere(viewing, 'read', { id: key }))) > 0;
}

/** What makes two registrations probable duplicates: the same number, symbol and issuer in the same keeping unit. */
export interface RegistrationFacts {
  id: string;
  keepingUnit: string;
  number: string;
  symbol: string;
  issuer: string;
}

/** Registered documents the viewer may read with the same number, symbol and issuer in the same keeping unit (other than `doc`), oldest first. */
export function readableDuplicatesOf(viewing: Viewing, doc: RegistrationFacts): Promise<IncomingDocument[]> {
  const where = allOf<IncomingDocument>(allowed<IncomingDocument>(viewing, 'read', 'IncomingDocument'), {
    id: { $ne: doc.id },
    keepingUnit: doc.keepingUnit,
    number: { $ilike: escapeLike(doc.number) },
    symbol: { $ilike: escapeLike(doc.symbol) },
    issuer: { $ilike: escapeLike(doc.issuer) },
    arrivalNumber: { $ne: null },
    // An annulled registration is no longer a registration to warn about.
    state: { $ne: IncomingState.ANNULLED },
  });
  return viewing.em.find(IncomingDocument, where, { orderBy: { createdAt: 'asc' }, limit: 10 });
}

/** For a subordinate unit's copy: the key of the agency's document it was routed from, or null. */
export async function routedFromKey(viewing: Viewing, copyKey: string): Promise<string | null> {
  const link = await viewing.em.findOne(Assignment, { unitCopy: copyKey }, { fields: ['document'] });
  return link ? link.document.id : null;
}
