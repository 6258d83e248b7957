/** Documents of either direction a viewer may read: the filter every list, count and lookup of documents starts from. */
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Document, IncomingDocument } from '../../entities';
import { Direction } from '../domain/documents/document-enums';
import type { Action } from '../domain/permissions/ability';
import { allOf, allowed, type Viewing } from './where';

type Where = FilterQuery<Document>;

/** The documents the viewer may read, in either direction. */
export function readableDocuments(viewing: Pick<Viewing, 'ability'>): Where {
  return {
    $or: [
      allOf<Document>({ direction: Direction.INCOMING }, allowed<Document>(viewing, 'read', 'IncomingDocument')),
      allOf<Document>({ direction: Direction.OUTGOING }, allowed<Document>(viewing, 'read', 'OutgoingDocument')),
    ],
  };
}

/** The documents matching `conditions` that the viewer may read. */
export function readableDocumentsWhere(viewing: Pick<Viewing, 'ability'>, ...conditions: Where[]): Where {
  return allOf<Document>(...conditions, readableDocuments(viewing));
}

/** The documents of one direction in `state` on which the viewer may take `action` (an inbox view's filter). */
export function documentsFor(viewing: Pick<Viewing, 'ability'>, action: Action, direction: Direction, state: string | { $in: string[] }): Where {
  const subject = direction === Direction.INCOMING ? 'IncomingDocument' : 'OutgoingDocument';
  return allOf<Document>({ direction, state }, allowed<Document>(viewing, action, subject));
}

/** The document with this primary key if the viewer may read it, else null. */
export function findReadableDocument(viewing: Viewing, key: string): Promise<Document | null> {
  return viewing.em.findOne(Document, readableDocumentsWhere(viewing, { id: key }));
}

/** The documents among `keys` the viewer may read. */
export function findReadableDocuments(viewing: Viewing, keys: readonly string[]): Promise<Document[]> {
  return viewing.em.find(Document, readableDocumentsWhere(viewing, { id: { $in: [...keys] } }));
}

/** The keys among `keys` of the documents the viewer may read (read through `em`, e.g. a transaction's). */
export async function readableDocumentKeys(viewing: Viewing, keys: readonly string[], em: EntityManager = viewing.em): Promise<Set<string>> {
  const rows = await em.find(Document, readableDocumentsWhere(viewing, { id: { $in: [...keys] } }), { fields: ['id'] });
  return new Set(rows.map((d) => d.id));
}

/** Whether the viewer may read at least one of the documents among `keys`. */
export async function anyReadableDocument(viewing: Viewing, keys: readonly string[]): Promise<boolean> {
  return (await viewing.em.count(Document, readableDocumentsWhere(viewing, { id: { $in: [...keys] } }))) > 0;
}

/** The incoming documents among `keys` the viewer may read (the same filter as every document list). */
export function findReadableIncomingAmong(viewing: Viewing, keys: readonly string[]): Promise<IncomingDocument[]> {
  // A filter on the table both directions share holds for each direction's entity.
  const where = readableDocumentsWhere(viewing, { id: { $in: [...keys] } }) as FilterQuery<IncomingDocument>;
  return viewing.em.find(IncomingDocument, where);
}
