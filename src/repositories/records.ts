/**
 * Lookups by key for the nested fields of objects the viewer already reached through a permission
 * check (an assignment's parent, a change's rule, a document's type): no permission filter of their
 * own, and the same statements the resolvers used to send themselves.
 */
import { Assignment, DocumentType, PermissionGrant, RoutingEvent, StoredFile } from '../../entities';
import type { Viewing } from './where';

/** The assignment with this key (a delegated assignment's parent), or null. */
export function assignmentByKey(viewing: Viewing, key: string): Promise<Assignment | null> {
  return viewing.em.findOne(Assignment, { id: key });
}

/** The commit position of a routing event read before its transaction committed (read again from the database). */
export async function routingEventTxid(viewing: Viewing, id: string): Promise<string> {
  return (await viewing.em.findOneOrFail(RoutingEvent, { id }, { fields: ['txid'], refresh: true })).txid;
}

/** A document type by its code. */
export function documentTypeByCode(viewing: Viewing, code: string): Promise<DocumentType> {
  return viewing.em.findOneOrFail(DocumentType, { code });
}

/** A permission rule by its key (the rule a recorded change was made to). */
export function permissionGrantByKey(viewing: Viewing, key: string): Promise<PermissionGrant> {
  return viewing.em.findOneOrFail(PermissionGrant, { id: key });
}

/** A stored file by its key (the file of a draft version). */
export function storedFileByKey(viewing: Viewing, key: string): Promise<StoredFile> {
  return viewing.em.findOneOrFail(StoredFile, { id: key });
}
